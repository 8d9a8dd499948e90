// `signpost export`: a tree as Graphviz DOT, Mermaid or JSON.

#include <cstdio>
#include <string>

#include <fmt/core.h>

#include "commands.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"
#include "signpost/text.hpp"
#include "tree_files.hpp"

namespace signpost::cli {

int run_export(const export_options& o) {
    load_result loaded = load_tree_file(o.path);
    if (!loaded.ok()) {
        // Findings go to stderr: stdout may be piped into dot or a docs build.
        for (const diagnostic& d : loaded.problems)
            if (d.level != severity::info) print_diagnostic(stderr, d);
        if (loaded.problems.empty())
            fmt::print(stderr, "{}: error: cannot be loaded as a tree\n", neutralise_controls(o.path));
        return exit_problems;
    }
    const std::string text = export_tree(*loaded.loaded, o.format);

    if (!o.output.empty() && o.output != "-") {
        if (auto error = write_file_atomic(o.output, text)) {
            // The message already names the file.
            fmt::print(stderr, "signpost: error: {}\n", neutralise_controls(*error));
            return exit_problems;
        }
        return exit_ok;
    }
    const bool written = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
    if (std::fflush(stdout) != 0 || !written) {
        fmt::print(stderr, "signpost: error: cannot write to standard output\n");
        return exit_problems;
    }
    return exit_ok;
}

}  // namespace signpost::cli
