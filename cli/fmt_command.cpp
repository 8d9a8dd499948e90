// `signpost fmt`: rewrite trees in the canonical form the saver writes.

#include <filesystem>
#include <string>

#include <fmt/core.h>

#include "commands.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"
#include "signpost/text.hpp"
#include "output_file.hpp"
#include "tree_files.hpp"

namespace fs = std::filesystem;

namespace signpost::cli {

namespace {

enum class fmt_outcome { canonical, rewritten, not_canonical, failed };

void print_error(const std::string& file, const std::string& message) {
    fmt::print("{}\n", neutralise_controls(fmt::format("{}: error: {}", file, message)));
}

fmt_outcome format_file(const std::string& file, bool check_only, bool drop_comments) {
    std::string current;  // the bytes loaded, to compare with the canonical text
    load_result loaded = load_tree_file(file, &current);
    if (!loaded.ok()) {
        // A broken file is never rewritten: the saver would drop what the loader skipped.
        for (const diagnostic& d : loaded.problems)
            if (d.level != severity::info) print_diagnostic(stdout, d);
        if (loaded.problems.empty()) print_error(file, "cannot be loaded as a tree");
        return fmt_outcome::failed;
    }
    const std::string canonical = save_tree_string(*loaded.loaded);
    if (canonical == current) return fmt_outcome::canonical;

    // Writing must never lose content: the canonical text has to load back to itself.
    load_result again = load_tree_string(canonical, file);
    if (!again.ok() || save_tree_string(*again.loaded) != canonical) {
        print_error(file, "internal error: the canonical form does not load back the same; "
                          "file left untouched");
        return fmt_outcome::failed;
    }
    const std::string unkept = unkept_markup(loaded.comments, loaded.instructions);
    if (check_only) {
        fmt::print("{}: not in canonical form (run signpost fmt{})\n", neutralise_controls(file),
                   unkept.empty() ? "" : "; it has " + unkept + ", which the canonical form does not keep");
        return fmt_outcome::not_canonical;
    }
    // The model has no place for comments: rewriting would delete the author's notes.
    if (!unkept.empty() && !drop_comments) {
        print_error(file, "has " + unkept +
                              ", which the canonical form does not keep; file left untouched: move the notes "
                              "into <hint> or <description>, or run signpost fmt --drop-comments");
        return fmt_outcome::failed;
    }
    if (auto error = write_file_atomic(file, canonical)) {
        print_error(file, *error);
        return fmt_outcome::failed;
    }
    return fmt_outcome::rewritten;
}

}  // namespace

int run_fmt(const fmt_options& o) {
    tree_file_list list = expand_tree_paths(o.paths);
    int rc = exit_ok;
    for (const diagnostic& d : list.problems) {
        print_diagnostic(stdout, d);
        rc = exit_problems;
    }
    for (const std::string& file : list.files) {
        const fmt_outcome r = format_file(file, o.check, o.drop_comments);
        if (r == fmt_outcome::not_canonical || r == fmt_outcome::failed) rc = exit_problems;
    }
    if (!stdout_written("signpost fmt")) return exit_problems;
    return rc;
}

}  // namespace signpost::cli
