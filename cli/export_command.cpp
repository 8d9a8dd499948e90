// `signpost export`: a tree as Graphviz DOT, Mermaid or JSON.

#include <string>

#include <fmt/core.h>

#include "commands.hpp"
#include "signpost/load.hpp"
#include "signpost/text.hpp"
#include "output_file.hpp"
#include "tree_files.hpp"

namespace signpost::cli {

int run_export(const export_options& o) {
    if (same_file(o.output, o.path)) {
        fmt::print(stderr, "signpost export: error: -o {} is the tree being exported; write the export to another "
                           "file\n",
                   neutralise_controls(o.output));
        return exit_usage;
    }
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
    return write_output(o.output, text, "signpost export") ? exit_ok : exit_problems;
}

}  // namespace signpost::cli
