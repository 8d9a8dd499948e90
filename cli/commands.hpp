#pragma once
// The subcommands of the `signpost` tool, each a plain function over its parsed options so
// main.cpp only wires them to the command line. A new subcommand adds an options struct and
// a run_* function here and an add_* function in main.cpp.

#include <cstdint>
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
    bool drop_comments = false;  // rewrite files with XML comments (which are lost)
};
[[nodiscard]] int run_fmt(const fmt_options& o);

struct export_options {
    export_format format = export_format::dot;
    std::string path;
    std::string output;  // "" or "-": standard output
};
[[nodiscard]] int run_export(const export_options& o);

// How `report` prints its figures.
enum class report_output { text, json, csv };

struct report_options {
    std::string log;                      // "": the default log (default_log_path())
    std::string tree;                     // the current tree file; "": every tree in the log
    std::vector<std::string> libraries;   // folders with the trees of jumps
    std::string since, until;             // as typed: YYYY-MM-DD or ISO 8601
    std::string agent;
    int tree_version = 0;                 // 0: every version
    bool by_agent = false;
    report_output format = report_output::text;
    bool format_given = false;            // --format was on the command line
    std::string output;                   // "" or "-": standard output
    std::string html;                     // also write a self-contained HTML report here
    std::size_t top = 10;                 // paths and problem spots listed
    int busy_timeout_ms = 5000;
    bool progress = true;                 // progress bar on a terminal for large logs
};
[[nodiscard]] int run_report(const report_options& o);

struct generate_options {
    std::string tree;
    std::vector<std::string> libraries;
    std::uint64_t sessions = 1000;
    std::uint64_t seed = 1;
    std::string out;
    int agents = 12;
    std::string start;                    // first day; "": 2025-01-06
    double back_rate = 0.05;
    double abandon_rate = 0.03;
    bool append = false;                  // add to an existing log instead of refusing it
};
[[nodiscard]] int run_generate(const generate_options& o);

}  // namespace signpost::cli
