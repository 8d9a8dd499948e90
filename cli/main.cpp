// The `signpost` command-line tool: one function per subcommand wires its options to the
// command line; the work itself is in the run_* functions (commands.hpp).

#include <charconv>
#include <cstdio>
#include <exception>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "signpost/text.hpp"

#ifndef SIGNPOST_VERSION
#define SIGNPOST_VERSION "unknown"
#endif

namespace signpost::cli {

namespace {

// A chance between 0 and `most`: CLI::Range lets NaN through (every comparison with it is
// false), and a NaN rate would make every random draw false without a word.
CLI::Validator probability(double most) {
    return CLI::Validator(
        [most](std::string& text) -> std::string {
            double v = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc{} || end != text.data() + text.size() || !(v >= 0 && v <= most))
                return fmt::format("'{}' is not a number from 0 to {}", text, most);
            return {};
        },
        "");
}

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
        "touched: their problems are printed instead. Neither are files with XML comments "
        "or <?...?> processing instructions (the canonical form has none) unless --drop-comments is given.");
    sub->footer("Exit status: 0 every file is canonical (or was rewritten), 1 a file has load "
                "errors, is not canonical (--check) or could not be written, 2 usage error.");
    sub->add_option("paths", o.paths, "Tree files, or folders searched recursively for *.xml")
        ->type_name("FILE|DIR")
        ->required();
    sub->add_flag("--check", o.check,
                  "Write nothing; list the files that are not in canonical form and exit 1 "
                  "if there are any");
    sub->add_flag("--drop-comments", o.drop_comments,
                  "Rewrite files that have XML comments or <?...?> processing instructions too, losing "
                  "them (move notes into <hint> or <description> first)");
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

command add_report(CLI::App& app, report_options& o) {
    CLI::App* sub = app.add_subcommand(
        "report",
        "Path statistics from the session log: sessions and outcomes, per-node visits, dwell "
        "times, back presses and abandonment, links, the most frequent paths, version drift. "
        "The log is only read, never changed.");
    sub->footer("Dates are UTC: YYYY-MM-DD (--until includes that day) or ISO 8601 such as "
                "2025-01-31T14:00Z.\nExit status: 0 report written, 1 the log or tree cannot be "
                "used (missing, not a Signpost log, locked, not matching) or the output cannot be "
                "written, 2 usage error.");
    sub->add_option("--log", o.log, "The session log (default: the player's log, " +
                                        std::string("$XDG_DATA_HOME/signpost/sessions.db)"))
        ->type_name("DB");
    sub->add_option("--tree", o.tree,
                    "The tree as it is now: only its sessions, with titles, links never taken and "
                    "nodes/links the log has but the tree no longer does")
        ->type_name("FILE");
    sub->add_option("--library", o.libraries,
                    "Folder with the trees of jumps (<tree id>.xml), after the tree's own folder; "
                    "repeatable")
        ->type_name("DIR")
        ->allow_extra_args(false)
        ->check(CLI::Validator(CLI::ExistingDirectory).description(""));
    sub->add_option("--since", o.since, "Only sessions started on or after this date/time")->type_name("DATE");
    sub->add_option("--until", o.until, "Only sessions started before this time, or on or before this day")
        ->type_name("DATE");
    sub->add_option("--agent", o.agent, "Only this agent's sessions")->type_name("NAME");
    sub->add_option("--tree-version", o.tree_version, "Only sessions recorded against this tree version")
        ->type_name("N")
        ->check(CLI::Range(1, std::numeric_limits<int>::max()).description(""));
    sub->add_flag("--by-agent", o.by_agent, "Also show figures per agent (for coaching, not ranking)");
    sub->add_option("--format,-f", "Output format (default text)")
        ->type_name("text|json|csv")
        ->check(CLI::IsMember({"text", "json", "csv"}).description(""))
        ->each([&o](const std::string& name) {
            o.format_given = true;
            o.format = name == "json" ? report_output::json
                       : name == "csv" ? report_output::csv
                                       : report_output::text;
        });
    sub->add_option("--output,-o", o.output, "Write to this file instead of standard output (\"-\")")
        ->type_name("OUT");
    sub->add_option("--html", o.html,
                    "Write a self-contained HTML report with charts to this file (then nothing "
                    "else is printed unless --format or --output is given)")
        ->type_name("FILE");
    sub->add_option("--top", o.top, "How many paths to list (default 10); problem spots and abandon points list at most 5 per kind")
        ->type_name("N")
        ->check(CLI::Range(1, 1000).description(""));
    sub->add_option("--busy-timeout", o.busy_timeout_ms,
                    "How long to wait for a writer holding a lock, in ms (default 5000)")
        ->type_name("MS")
        ->check(CLI::Range(0, 600000).description(""));
    sub->add_flag_callback("--no-progress", [&o] { o.progress = false; }, "Never show a progress bar");
    return {sub, [&o] { return run_report(o); }};
}

command add_generate(CLI::App& app, generate_options& o) {
    CLI::App* sub = app.add_subcommand(
        "generate-log",
        "Write a synthetic session log: agents walking a tree through the real runtime, with "
        "realistic dwell times, back presses, abandoned and crashed calls. The same seed gives "
        "the same sessions.");
    sub->footer("Exit status: 0 written, 1 the tree has errors or the log cannot be written, 2 usage "
                "error.");
    sub->add_option("--tree", o.tree, "The tree the agents walk")->type_name("FILE")->required();
    sub->add_option("--library", o.libraries,
                    "Folder with the trees of jumps, after the tree's own folder; repeatable")
        ->type_name("DIR")
        ->allow_extra_args(false)
        ->check(CLI::Validator(CLI::ExistingDirectory).description(""));
    sub->add_option("--sessions,-n", o.sessions, "How many calls (default 1000)")
        ->type_name("N")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}).description(""));
    sub->add_option("--seed", o.seed, "Random seed (default 1)")->type_name("S");
    sub->add_option("--out", o.out, "The log to write")
        ->type_name("DB")
        ->required()
        // A SQLite database is written in place, so it has no standard-output form.
        ->check(CLI::Validator(
            [](std::string& path) {
                if (path.empty()) return std::string("is empty; give a file name, e.g. --out sessions.db");
                return path == "-" ? std::string("a session log is a database file and cannot go to standard output; "
                                                 "give a file name, e.g. --out sessions.db")
                                   : std::string{};
            },
            ""));
    sub->add_option("--agents", o.agents, "How many agents take the calls (default 12)")
        ->type_name("K")
        ->check(CLI::Range(1, 100000).description(""));
    sub->add_option("--start", o.start, "First working day, UTC (default 2025-01-06)")->type_name("DATE");
    sub->add_option("--back-rate", o.back_rate, "Chance of a back press at each step (default 0.05)")
        ->type_name("P")
        ->check(probability(0.5));
    sub->add_option("--abandon-rate", o.abandon_rate, "Share of calls ended early (default 0.03)")
        ->type_name("P")
        ->check(probability(1.0));
    sub->add_flag("--append", o.append, "Add to an existing log instead of refusing to touch it");
    return {sub, [&o] { return run_generate(o); }};
}

int run(int argc, char** argv) {
    CLI::App app{"Signpost: check, format and export call-center decision trees.", "signpost"};
    app.set_version_flag("--version", "signpost " SIGNPOST_VERSION);
    app.require_subcommand(1);
    app.footer("Run 'signpost SUBCOMMAND --help' for the options of a subcommand.");

    check_options check;
    fmt_options format_opts;
    export_options exp;
    report_options report;
    generate_options generate;
    const std::vector<command> commands{
        add_check(app, check),
        add_fmt(app, format_opts),
        add_export(app, exp),
        add_report(app, report),
        add_generate(app, generate),
    };

    // CLI11 would only say "A subcommand is required" for a mistyped one.
    if (argc > 1 && argv[1][0] != '-') {
        std::string names;
        bool known = false;
        for (const command& c : commands) {
            known = known || c.app->get_name() == argv[1];
            names += (names.empty() ? "" : ", ") + c.app->get_name();
        }
        if (!known) {
            std::fprintf(stderr, "signpost: '%s' is not a command; the commands are %s (signpost --help)\n",
                         neutralise_controls(argv[1]).c_str(), names.c_str());
            return exit_usage;
        }
    }
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
