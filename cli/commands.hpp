#pragma once
// The subcommands of the `signpost` tool, each a plain function over its parsed options so
// main.cpp only wires them to the command line. A new subcommand adds an options struct and
// a run_* function here and an add_* function in main.cpp.

#include <string>
#include <vector>

#include "signpost/export.hpp"

namespace signpost::cli {

// Exit codes shared by every subcommand.
inline constexpr int exit_ok = 0;
inline constexpr int exit_problems = 1;  // the files have problems (or could not be written)
inline constexpr int exit_usage = 2;     // the command line was wrong

struct check_options {
    std::vector<std::string> paths;      // files and folders
    std::vector<std::string> libraries;  // extra folders searched for jump targets
    bool strict = false;                 // warnings fail too
    bool json = false;
    bool verbose = false;                // also print info findings
};
[[nodiscard]] int run_check(const check_options& o);

struct fmt_options {
    std::vector<std::string> paths;
    bool check = false;  // only report files that are not canonical
};
[[nodiscard]] int run_fmt(const fmt_options& o);

struct export_options {
    export_format format = export_format::dot;
    std::string path;
    std::string output;  // "" or "-": standard output
};
[[nodiscard]] int run_export(const export_options& o);

}  // namespace signpost::cli
