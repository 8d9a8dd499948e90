#pragma once
// Path statistics: how sessions really walk a tree, for supervisors (where calls stall,
// are abandoned, go back) and authors (which links are used, which never). Sessions are
// fed one at a time from the log; memory grows with the trees and the distinct paths kept,
// never with the number of sessions. Every figure is defined in docs/report.md.

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/event.hpp"
#include "signpost/library.hpp"
#include "signpost/session.hpp"
#include "signpost/session_log.hpp"
#include "signpost/tree.hpp"

namespace signpost {

// What to compute, and what to compare the log with.
struct statistics_options {
    // The tree as it is now: node titles, kinds and links (also the ones never taken), and
    // version drift (nodes and links in the log that it does not have any more). Null: the
    // tree is looked up in `library` by id, else the figures come from the log alone.
    std::shared_ptr<const tree> current;
    // content_hash of the current tree's file: marks the logged version that is this file.
    std::string current_hash;
    // Trees by id: jump targets, and root trees when `current` is null. May be null.
    // collect_reports uses it from its reading threads, one call at a time: do not use the
    // same library on another thread until it returns.
    const tree_library* library = nullptr;
    // Finds trees by id instead of `library` when set (an editor's open documents, say).
    // collect_reports calls it one call at a time, from its reading threads.
    std::function<std::shared_ptr<const tree>(const std::string& id)> find_tree;
    // Only sessions recorded against this tree version count (0: every version). The
    // version table always lists them all.
    int tree_version = 0;
    // Figures per agent, for coaching. Off unless asked for.
    bool by_agent = false;
    // Distinct complete paths counted exactly; sessions whose path comes after these are
    // counted together as "other paths". Which paths are the first ones depends on the
    // order the log is read in (and the split between threads): past this many, the top
    // paths are an approximation, and the report says how many sessions it left out.
    std::size_t max_distinct_paths = 10000;
    // How many of the most frequent paths, abandonment points and problem spots to list.
    std::size_t top_paths = 10;
    std::size_t top_spots = 5;
    // A node needs this many visits to be listed as a problem spot: tiny samples mislead.
    std::uint64_t min_spot_visits = 5;
    // Threads that read the log, each a part of it (0: one per core, at most 4).
    std::size_t threads = 0;
};

// Summary of durations (ms). Quantiles are exact while count <= duration_sketch::exact_limit,
// otherwise within 1% (`exact` false).
struct duration_figures {
    std::uint64_t count = 0;
    double mean_ms = 0;
    double median_ms = 0;
    double p90_ms = 0;
    bool exact = true;
};

// A node of the root tree or of a tree it jumps into.
struct node_figures {
    std::string tree_id;
    std::string node_id;
    std::string title;               // from the tree file; "" when the tree is not known
    std::string kind;                // "question", "step"...; "" when the tree is not known
    std::uint64_t visits = 0;        // arrivals (enter events)
    std::uint64_t returns = 0;       // arrivals by going back to it
    std::uint64_t found = 0;         // arrivals by the player's find (not through a link)
    std::uint64_t sessions = 0;      // sessions that reached it at least once
    double reach_rate = 0;           // sessions / sessions started
    duration_figures dwell;          // one sample per stay the agent ended (docs/report.md)
    // Stays that ended with the node moving on by itself: a logic or jump node, or, when
    // the tree file is not known, a node left within the millisecond it was entered (one
    // agent action's events share a time). Never dwell samples.
    std::uint64_t automatic_stays = 0;
    std::uint64_t exits = 0;         // moves forward from it to another node
    std::uint64_t abandoned_here = 0;  // abandoned sessions (writer lost too) that ended on it
    double abandon_rate = 0;         // abandoned_here / sessions
    std::uint64_t back_presses = 0;  // back pressed while on it
    double back_rate = 0;            // back_presses / visits
    std::uint64_t ended_here = 0;    // sessions that completed or escalated on it
    std::vector<int> versions;       // tree versions whose sessions reached it (retired nodes)
};

// A move from one node to the next (across a jump, the trees differ).
struct link_figures {
    std::string from_tree, from;
    std::string to_tree, to;
    std::string label;               // choice label, branch condition... from the tree file
    std::uint64_t transitions = 0;
    double share = 0;                // transitions / all forward moves out of `from`
};

// One complete walk: the nodes a session finally went through (steps undone by back
// left out), and how it ended.
struct path_figures {
    std::vector<std::pair<std::string, std::string>> steps;  // (tree id, node id)
    std::vector<std::size_t> found;  // indexes of the steps reached with find, not a link
    session_status end = session_status::completed;
    std::string outcome;             // end outcome, escalation team; "" when abandoned
    std::uint64_t sessions = 0;
    double share = 0;                // of finished sessions

    bool was_found(std::size_t step) const { return std::find(found.begin(), found.end(), step) != found.end(); }
};

// Put before a path step the agent reached with find (the player's Ctrl+F), in every
// format: the step does not follow from the one before by a link of the tree.
inline constexpr const char* found_step_mark = "(find) ";

// The reason given for abandoned sessions whose player stopped without ending them.
inline constexpr const char* writer_lost_reason = "player lost (no end recorded)";
// Abandoned sessions are listed by reason (trimmed, in lower case), the most frequent this
// many; the others are one row, "N other reasons".
inline constexpr std::size_t max_abandon_reasons = 10;

// Escalation priorities as reports list them, most pressing first. "unknown" counts
// escalations logged before the log recorded priorities (log schema 2), or with a priority
// no Signpost writes.
inline constexpr std::array<const char*, 5> report_priorities = {"urgent", "high", "normal", "low", "unknown"};
// Escalated sessions per priority, in the order of report_priorities.
using priority_counts = std::array<std::uint64_t, report_priorities.size()>;
// Where a logged priority is counted in priority_counts ("", or text that is not a
// priority: "unknown").
std::size_t priority_slot(std::string_view priority);
// "urgent", "high", "normal", "low", or "unknown priority", for a slot of priority_counts.
std::string priority_name(std::size_t slot);
// The slots of `counts` that hold escalations, most pressing first.
std::vector<std::size_t> priorities_used(const priority_counts& counts);

struct outcome_figures {
    session_status status = session_status::completed;
    // End outcome or escalation team; for abandoned sessions the reason given at End call
    // ("" when none), or writer_lost_reason.
    std::string outcome;
    std::uint64_t sessions = 0;
    double share = 0;                // of finished sessions
    // Escalated: these sessions by priority (one team's row, split, keeps the team's total
    // beside it); all zero for other statuses.
    priority_counts by_priority{};
};

struct session_figures {
    std::uint64_t started = 0;       // every session in scope, finished or not
    std::uint64_t completed = 0;
    std::uint64_t escalated = 0;
    priority_counts escalated_by_priority{};  // adds up to `escalated`
    std::uint64_t abandoned = 0;     // including writer_lost
    std::uint64_t writer_lost = 0;   // abandoned because the player crashed or went silent
    std::uint64_t active = 0;        // still in progress
    std::uint64_t restarts = 0;      // "start over" presses
    std::uint64_t finds = 0;         // moves made with the player's find
    std::uint64_t back_presses = 0;
    std::uint64_t with_back = 0;     // sessions with at least one back press
    duration_figures handling;       // start to end of finished sessions (not writer_lost)
    std::int64_t first_started_ms = 0;  // 0 without sessions
    std::int64_t last_started_ms = 0;
};

// Sessions recorded against one version of the tree.
struct version_figures {
    int version = 0;
    std::string hash;                // content hash of the tree file they ran
    bool current = false;            // the file given as the current tree
    bool counted = true;             // false: left out by statistics_options::tree_version
    std::uint64_t sessions = 0;
    std::uint64_t completed = 0;
    std::uint64_t escalated = 0;
    std::uint64_t abandoned = 0;
    std::int64_t first_started_ms = 0;
    std::int64_t last_started_ms = 0;
};

struct agent_figures {
    std::string agent;
    std::uint64_t sessions = 0;
    std::uint64_t completed = 0;
    std::uint64_t escalated = 0;
    std::uint64_t abandoned = 0;
    std::uint64_t active = 0;
    duration_figures handling;
    std::vector<outcome_figures> outcomes;
    std::uint64_t visits = 0;
    std::uint64_t back_presses = 0;
    double back_rate = 0;            // back_presses / visits
};

// A node worth a look, with the figure that makes it one.
struct problem_spot {
    std::string tree_id, node_id, title;
    double value = 0;                // a rate (0..1) or a duration in ms
    std::uint64_t count = 0;         // abandoned / back presses / stays
    std::uint64_t out_of = 0;        // sessions / visits / -
    bool retired = false;            // the node is no longer in the tree file (version drift)
    bool exact = true;               // slowest: the median is exact (else within 1%)
};

// Everything known about one root tree in the log.
struct tree_report {
    std::string tree_id;
    std::string title;               // from the tree file, else the id
    bool has_tree = false;           // a tree file was found: kinds, titles, links, drift
    std::string tree_file;
    int tree_file_version = 0;

    session_figures sessions;
    std::vector<outcome_figures> outcomes;    // most frequent first
    std::vector<version_figures> versions;    // by version, then first use
    // Nodes and links come in an order that does not depend on how the log was read. Nodes:
    // those of trees with a file, tree by tree (the root, then jumped trees by id), in file
    // order; then those of trees without a file, tree by tree, most visited first, then by
    // id. Links: by source node in that order (a node not in any file: by tree, then id).
    std::vector<node_figures> nodes;
    std::vector<link_figures> links;          // by source node, then most taken
    std::vector<path_figures> top_paths;      // most frequent first
    std::uint64_t distinct_paths = 0;         // distinct paths counted exactly
    std::uint64_t other_path_sessions = 0;    // finished sessions beyond max_distinct_paths
    std::size_t max_distinct_paths = 0;
    std::vector<problem_spot> abandon_points;  // most abandoned sessions first, retired nodes included
    // Abandoned sessions that ended on a node not listed in abandon_points (past top_spots),
    // and those with no node recorded at all (a player that stopped before its first step).
    std::uint64_t abandoned_elsewhere = 0;
    std::uint64_t abandoned_no_step = 0;
    std::vector<problem_spot> highest_abandonment;  // by abandon_rate
    std::vector<problem_spot> highest_back_rate;    // by back_rate
    std::vector<problem_spot> slowest;              // by median dwell
    // Version drift: what the log has but the tree file no longer does. Never merged into
    // `nodes` and `links`.
    std::vector<node_figures> retired_nodes;
    std::vector<link_figures> retired_links;  // also moves by search (find) outside the links
    std::vector<std::string> unknown_trees;   // jumped into, but no file found: not checked
    std::vector<agent_figures> agents;        // by_agent only; by name, not by any figure

    // Lookups for overlays (the editor colours its canvas with these). Null when absent.
    const node_figures* find_node(std::string_view tree_id, std::string_view node_id) const;
    const link_figures* find_link(std::string_view from_tree, std::string_view from, std::string_view to_tree,
                                  std::string_view to) const;
    // Abandoned sessions that ended on a node of tree `tree_id` (a jumped-into tree: the
    // calls its jump node lost, which are not on the jump itself).
    std::uint64_t abandoned_in(std::string_view tree_id) const;
};

// A share (0..1) as a whole percent for narrow columns, never rounded to a figure that
// says something else: "<1%" for a few calls, not "0%"; ">99%" for all but a few, not "100%".
std::string whole_percent(double share);

// Accumulates one root tree's sessions.
class path_statistics {
public:
    path_statistics(std::string tree_id, statistics_options options = {});
    ~path_statistics();
    path_statistics(path_statistics&&) noexcept;
    path_statistics& operator=(path_statistics&&) noexcept;

    // Adds one session with its events in order. Sessions of other root trees are ignored.
    void add(const session_record& s, std::span<const event> events);
    // The same from the session's path in compact form (log_reader::scan_paths).
    void add(const session_record& s, const session_path& path);
    // Adds what `other` (an accumulator of the same tree, with the same options) has seen:
    // a log read in parts, one per thread, then merged gives the figures of one read.
    void merge(path_statistics&& other);
    // Sessions added so far (counted ones and those of other versions).
    std::uint64_t sessions_added() const;
    // The figures for what was added so far.
    [[nodiscard]] tree_report report() const;

private:
    struct impl;
    std::unique_ptr<impl> m_impl;
};

// Called now and then while a log is read, with the number of sessions done so far.
using report_progress = std::function<void(std::uint64_t sessions_done)>;

// Reads the sessions matching `filter` in one pass (split between threads; the figures do
// not depend on the split, except which paths are kept past max_distinct_paths) and fills `out`
// with one report per root tree (only options.current's tree when it is given), ordered by
// tree id. `progress` is called on the calling thread only.
[[nodiscard]] log_result collect_reports(const log_reader& log, const log_filter& filter,
                                         const statistics_options& options, std::vector<tree_report>& out,
                                         const report_progress& progress = {});

}  // namespace signpost
