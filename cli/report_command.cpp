// `signpost report`: path statistics from the session log, read-only.

#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "report_output.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/report_format.hpp"
#include "signpost/save.hpp"
#include "signpost/session_log.hpp"
#include "signpost/statistics.hpp"
#include "signpost/text.hpp"
#include "signpost/utc_time.hpp"
#include "output_file.hpp"
#include "tree_files.hpp"

#ifndef SIGNPOST_VERSION
#define SIGNPOST_VERSION "unknown"
#endif

namespace signpost::cli {

namespace {

// Above this many sessions a terminal gets a progress bar while the log is read.
constexpr std::uint64_t progress_threshold = 10'000;

void error(const std::string& message) {
    fmt::print(stderr, "signpost report: error: {}\n", neutralise_controls(message));
}

// A --since/--until value as ms; `end` makes a bare day include all of that day.
std::optional<std::int64_t> parse_bound(const std::string& option, const std::string& text, bool end) {
    std::optional<std::int64_t> t = parse_utc_time(text);
    if (!t) {
        error(fmt::format("{} '{}' is not a date: use YYYY-MM-DD (UTC) or an ISO 8601 time such as "
                          "2025-01-31T14:00Z",
                          option, text));
        return std::nullopt;
    }
    if (end && is_utc_day(text)) *t += 24LL * 3600 * 1000;
    return t;
}

// With --tree, the log must hold that tree: a wrong file would give a report of nothing.
std::optional<std::string> tree_not_in_log(const log_reader& reader, const tree& t, const std::string& file) {
    log_filter only;
    only.tree_id = t.id;
    std::uint64_t count = 0;
    if (auto r = reader.count_sessions(only, count); !r) return r.error;
    if (count > 0) return std::nullopt;
    std::vector<std::string> ids;
    if (auto r = reader.tree_ids(ids); !r) return r.error;
    // A log with no calls yet is no mismatch: a report scheduled on a fresh log must not fail.
    if (ids.empty()) return std::nullopt;
    std::string list;
    for (const std::string& id : ids) list += (list.empty() ? "" : ", ") + id;
    return fmt::format("the tree '{}' ({}) does not match the log: the log has no sessions of it, only of: {}", t.id,
                       file, list);
}

// Sessions of the tree id whose recorded nodes the file has none of: another tree that
// reuses the id, or the wrong file.
std::optional<std::string> nodes_not_in_tree(const tree_report& r, const std::string& file) {
    std::uint64_t matched = 0, retired = 0;
    for (const node_figures& n : r.nodes)
        if (n.tree_id == r.tree_id) matched += n.visits;
    for (const node_figures& n : r.retired_nodes)
        if (n.tree_id == r.tree_id) retired += n.visits;
    if (matched > 0 || retired == 0) return std::nullopt;
    return fmt::format("the tree '{}' ({}) does not match the log: none of the {} nodes its sessions visited "
                       "are in the file (is it another tree with the same id?)",
                       r.tree_id, file, r.retired_nodes.size());
}

}  // namespace

const tree* report_context::tree_for(const std::string& id) const {
    if (current && current->id == id) return current.get();
    if (library != nullptr && is_valid_id(id)) return library->get(id).found.get();
    return nullptr;
}

int run_report(const report_options& o) {
    log_filter filter;
    filter.agent = o.agent;
    if (!o.since.empty()) {
        filter.since_ms = parse_bound("--since", o.since, false);
        if (!filter.since_ms) return exit_usage;
    }
    if (!o.until.empty()) {
        filter.until_ms = parse_bound("--until", o.until, true);
        if (!filter.until_ms) return exit_usage;
    }
    if (filter.since_ms && filter.until_ms && *filter.since_ms >= *filter.until_ms) {
        error(fmt::format("--since {} is not before --until {}", o.since, o.until));
        return exit_usage;
    }

    // The current tree, and where the trees of jumps are.
    std::shared_ptr<const tree> current;
    std::string current_hash;
    std::vector<std::string> folders;
    if (!o.tree.empty()) {
        std::string bytes;
        load_result loaded = load_tree_file(o.tree, &bytes);
        if (!loaded.ok()) {
            if (!loaded.problems.empty())
                error(fmt::format("--tree {} cannot be used (see below)", o.tree));
            for (const diagnostic& d : loaded.problems)
                if (d.level != severity::info) print_diagnostic(stderr, d);
            if (loaded.problems.empty()) error(fmt::format("'{}' cannot be loaded as a tree", o.tree));
            return exit_problems;
        }
        current = loaded.loaded;
        current_hash = content_hash(bytes);
        folders.push_back(folder_of(o.tree));
    }
    folders.insert(folders.end(), o.libraries.begin(), o.libraries.end());
    std::unique_ptr<tree_library> library;
    if (!folders.empty()) library = std::make_unique<tree_library>(folders);
    if (library && current) library->add(current);

    const std::string log_path = o.log.empty() ? default_log_path() : o.log;
    if (log_path.empty()) {
        error("no --log was given and there is no home folder for the default log");
        return exit_usage;
    }
    // The log is only ever read: an output that names it, its SQLite companions or the
    // tree would replace them.
    const std::string wal = log_path + "-wal", shm = log_path + "-shm", journal = log_path + "-journal";
    for (const auto& [flag, out] : {std::pair<const char*, const std::string&>{"-o", o.output}, {"--html", o.html}}) {
        for (const auto& [what, in] : {std::pair<const char*, const std::string&>{"the session log", log_path},
                                       {"the session log's -wal file", wal},
                                       {"the session log's -shm file", shm},
                                       {"the session log's -journal file", journal},
                                       {"the --tree file", o.tree}}) {
            if (same_file(out, in)) {
                error(fmt::format("{} {} is {}, which the report only reads; write the report to another file",
                                  flag, out, what));
                return exit_usage;
            }
        }
    }
    if (same_file(o.output, o.html)) {
        error(fmt::format("-o and --html name the same file ({}); give them different files", o.output));
        return exit_usage;
    }
    log_read_options read_options;
    read_options.busy_timeout_ms = o.busy_timeout_ms;
    log_reader reader;
    if (auto opened = reader.open(log_path, read_options); !opened) {
        error(opened.error);
        return exit_problems;
    }
    if (current) {
        if (auto problem = tree_not_in_log(reader, *current, o.tree)) {
            error(*problem);
            return exit_problems;
        }
        filter.tree_id = current->id;
    }

    statistics_options options;
    options.current = current;
    options.current_hash = current_hash;
    options.library = library.get();
    options.tree_version = o.tree_version;
    options.by_agent = o.by_agent;
    options.top_paths = o.top;
    options.top_spots = std::min<std::size_t>(o.top, 5);

    // Counting first is cheap (the sessions table only) and tells whether a bar is worth it.
    std::uint64_t total = 0;
    const bool terminal = o.progress && stderr_is_terminal();
    if (terminal) {
        if (auto counted = reader.count_sessions(filter, total); !counted) total = 0;
    }
    progress_bar bar("Reading sessions", total, terminal && total > progress_threshold);
    std::vector<tree_report> reports;
    log_result read = collect_reports(reader, filter, options, reports,
                                      [&bar](std::uint64_t done) { bar.update(done); });
    bar.finish();
    if (!read) {
        error(read.error);
        return exit_problems;
    }
    std::uint64_t matched = 0;
    for (const tree_report& r : reports) matched += r.sessions.started;
    if (matched == 0 && !filter.agent.empty()) {
        // Names match exactly: "Alice" finds nothing of "alice". Say which there are.
        std::vector<std::string> names;
        if (reader.agents(names) && std::find(names.begin(), names.end(), filter.agent) == names.end()) {
            std::string list;
            for (const std::string& a : names) list += (list.empty() ? "" : ", ") + a;
            fmt::print(stderr, "signpost report: note: no sessions of agent '{}' in the log (names must match "
                               "exactly); its agents: {}\n",
                       neutralise_controls(filter.agent), neutralise_controls(list.empty() ? "none" : list));
        }
    }
    // A sub-tree whose file is there but does not load is not "without a file": its
    // problems are said, so the supervisor knows why its drift is not checked.
    if (library) {
        std::set<std::string> said;
        for (const tree_report& r : reports)
            for (const std::string& id : r.unknown_trees) {
                if (!said.insert(id).second || !is_valid_id(id)) continue;
                const tree_library::lookup found = library->get(id);
                if (found.file.empty()) continue;
                fmt::print(stderr, "signpost report: note: {} has errors, so tree '{}' is not checked for drift:\n",
                           neutralise_controls(found.file), neutralise_controls(id));
                for (const diagnostic& d : found.problems)
                    if (d.level == severity::error) fmt::print(stderr, "{}\n", neutralise_controls(format(d)));
            }
    }
    if (current && !reports.empty()) {
        if (auto problem = nodes_not_in_tree(reports.front(), o.tree)) {
            error(*problem);
            return exit_problems;
        }
    }

    report_context context;
    context.scope.log_path = log_path;
    context.scope.filter = filter;
    context.scope.tree_version = o.tree_version;
    context.scope.by_agent = o.by_agent;
    context.current = current;
    context.library = library.get();
    context.generated_by = "signpost " SIGNPOST_VERSION;

    if (!o.html.empty()) {
        if (auto problem = write_file_atomic(o.html, report_html(reports, context))) {
            error(*problem);
            return exit_problems;
        }
        if (!o.format_given && o.output.empty()) {
            std::uint64_t sessions = 0;
            for (const tree_report& r : reports) sessions += r.sessions.started;
            fmt::print(stderr, "Wrote {} ({} session{})\n", neutralise_controls(o.html), with_thousands(sessions),
                       sessions == 1 ? "" : "s");
            return exit_ok;
        }
    }
    std::string text;
    switch (o.format) {
        case report_output::json: text = report_json(reports, context.scope); break;
        case report_output::csv: text = report_csv(reports, context.scope); break;
        case report_output::text: text = report_text(reports, context); break;
    }
    return write_output(o.output, text, "signpost report") ? exit_ok : exit_problems;
}

}  // namespace signpost::cli
