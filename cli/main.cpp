// The `signpost` command-line tool: one function per subcommand wires its options to the
// command line; the work itself is in the run_* functions (commands.hpp).

#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.hpp"

#ifndef SIGNPOST_VERSION
#define SIGNPOST_VERSION "unknown"
#endif

namespace signpost::cli {

namespace {

// A registered subcommand and what to run when it was the one given.
struct command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

command add_check(CLI::App& app, check_options& o) {
    CLI::App* sub = app.add_subcommand(
        "check",
        "Load and validate trees, also across jumps, and print every problem as "
        "file:line:col: severity: message [code], then a summary.");
    sub->footer("Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.");
    sub->add_option("paths", o.paths, "Tree files, or folders searched recursively for *.xml")
        ->type_name("FILE|DIR")
        ->required();
    sub->add_flag("--strict", o.strict, "Treat warnings as failures (exit 1)");
    sub->add_flag("--json", o.json,
                  "Print one JSON object {files: [{file, diagnostics}], errors, warnings} "
                  "instead of text");
    sub->add_option("--library", o.libraries,
                    "Also look up jump targets (<tree id>.xml) in this folder, after the "
                    "checked file's own folder; repeatable")
        ->type_name("DIR")
        ->allow_extra_args(false)
        ->check(CLI::Validator(CLI::ExistingDirectory).description(""));
    sub->add_flag("--verbose,-v", o.verbose, "Also print info findings (path statistics)");
    return {sub, [&o] { return run_check(o); }};
}

command add_fmt(CLI::App& app, fmt_options& o) {
    CLI::App* sub = app.add_subcommand(
        "fmt",
        "Rewrite trees in canonical form (atomically). Files with load errors are not "
        "touched: their problems are printed instead.");
    sub->footer("Exit status: 0 every file is canonical (or was rewritten), 1 a file has load "
                "errors, is not canonical (--check) or could not be written, 2 usage error.");
    sub->add_option("paths", o.paths, "Tree files, or folders searched recursively for *.xml")
        ->type_name("FILE|DIR")
        ->required();
    sub->add_flag("--check", o.check,
                  "Write nothing; list the files that are not in canonical form and exit 1 "
                  "if there are any");
    return {sub, [&o] { return run_fmt(o); }};
}

command add_export(CLI::App& app, export_options& o) {
    CLI::App* sub = app.add_subcommand(
        "export",
        "Write a tree as a Graphviz DOT graph, a Mermaid flowchart or JSON. A tree with "
        "load errors is refused and its problems are printed on stderr.");
    sub->footer("Exit status: 0 written, 1 the tree has load errors or the output could not be "
                "written, 2 usage error.");
    // IsMember rather than a CheckedTransformer: its error names the valid choices plainly.
    sub->add_option("--format,-f", "Output format")
        ->required()
        ->type_name("dot|mermaid|json")
        ->check(CLI::IsMember({"dot", "mermaid", "json"}).description(""))
        ->each([&o](const std::string& name) {
            o.format = name == "mermaid" ? export_format::mermaid
                       : name == "json"  ? export_format::json
                                         : export_format::dot;
        });
    sub->add_option("path", o.path, "The tree file")->type_name("FILE")->required();
    sub->add_option("--output,-o", o.output,
                    "Write to this file (atomically) instead of standard output (\"-\")")
        ->type_name("OUT");
    return {sub, [&o] { return run_export(o); }};
}

int run(int argc, char** argv) {
    CLI::App app{"Signpost: check, format and export call-center decision trees.", "signpost"};
    app.set_version_flag("--version", "signpost " SIGNPOST_VERSION);
    app.require_subcommand(1);
    app.footer("Run 'signpost SUBCOMMAND --help' for the options of a subcommand.");

    check_options check;
    fmt_options format_opts;
    export_options exp;
    const std::vector<command> commands{
        add_check(app, check),
        add_fmt(app, format_opts),
        add_export(app, exp),
    };

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version arrive here too, with exit code 0.
        return app.exit(e) == 0 ? exit_ok : exit_usage;
    }
    for (const command& c : commands)
        if (c.app->parsed()) return c.run();
    return exit_usage;  // unreachable: require_subcommand(1)
}

}  // namespace

}  // namespace signpost::cli

int main(int argc, char** argv) {
    // Errors are values inside the engine; anything still thrown (out of memory, a
    // filesystem error) ends the tool with one line instead of an abort.
    try {
        return signpost::cli::run(argc, argv);
    } catch (const std::exception& e) {
        std::fputs("signpost: error: ", stderr);
        std::fputs(e.what(), stderr);
        std::fputs("\n", stderr);
    } catch (...) {
        std::fputs("signpost: error: unexpected failure\n", stderr);
    }
    return signpost::cli::exit_usage;
}
