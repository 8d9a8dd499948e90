// `signpost report` as terminal tables.

#include <algorithm>
#include <cmath>
#include <utility>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "progress_bar.hpp"
#include "report_output.hpp"
#include "signpost/text.hpp"
#include "signpost/utc_time.hpp"

namespace signpost::cli {

std::string human_duration(double ms) {
    if (ms < 60'000) return fmt::format("{:.1f}s", ms / 1000);
    auto total = static_cast<std::int64_t>(std::llround(ms / 1000));
    if (total < 3600) return fmt::format("{}m {:02}s", total / 60, total % 60);
    return fmt::format("{}h {:02}m", total / 3600, total / 60 % 60);
}

std::string percent(double share) { return fmt::format("{:.1f}%", share * 100); }

std::string priority_mix(const priority_counts& counts) {
    std::string out;
    for (std::size_t i : priorities_used(counts))
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ", priority_name(i), with_thousands(counts[i]));
    return out;
}

std::string kind_shown(const node_figures& n) {
    if (!n.kind.empty()) return n.kind;
    return n.automatic_stays > 0 && n.dwell.count == 0 ? "automatic" : "";
}

namespace {

// Cuts to `width` columns, marking the cut with an ellipsis.
std::string fit(std::string_view s, std::size_t width) {
    if (display_width(s) <= width) return std::string(s);
    return std::string(fit_display_width(s, width - 1)) + "\u2026";
}

// Text from trees and the log, made safe and plain for a terminal.
std::string plain(std::string_view s) {
    std::string out = neutralise_controls(markdown_to_plain(s));
    std::replace(out.begin(), out.end(), '\n', ' ');
    return out;
}

class table {
public:
    // `align`: one letter per column, 'l' or 'r'; `limits`: widest a column may be (0: any).
    table(std::vector<std::string> headers, std::string align, std::vector<std::size_t> limits = {})
        : m_headers(std::move(headers)), m_align(std::move(align)), m_limits(std::move(limits)) {
        m_limits.resize(m_headers.size(), 0);
    }
    void row(std::vector<std::string> cells) {
        cells.resize(m_headers.size());
        for (std::size_t i = 0; i < cells.size(); ++i)
            if (m_limits[i] > 0) cells[i] = fit(cells[i], m_limits[i]);
        m_rows.push_back(std::move(cells));
    }
    bool empty() const { return m_rows.empty(); }

    std::string render() const {
        std::vector<std::size_t> width(m_headers.size(), 0);
        for (std::size_t i = 0; i < m_headers.size(); ++i) width[i] = display_width(m_headers[i]);
        for (const auto& r : m_rows)
            for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
        std::string out;
        auto line = [&](const std::vector<std::string>& cells) {
            std::string text = "  ";
            for (std::size_t i = 0; i < cells.size(); ++i) {
                const std::size_t pad = width[i] - display_width(cells[i]);
                const bool last = i + 1 == cells.size();
                if (m_align[i] == 'r') text += std::string(pad, ' ') + cells[i];
                else text += cells[i] + (last ? "" : std::string(pad, ' '));
                if (!last) text += "  ";
            }
            while (!text.empty() && text.back() == ' ') text.pop_back();
            out += text + "\n";
        };
        line(m_headers);
        for (const auto& r : m_rows) line(r);
        return out;
    }

private:
    std::vector<std::string> m_headers;
    std::string m_align;
    std::vector<std::size_t> m_limits;
    std::vector<std::vector<std::string>> m_rows;
};

std::string count(std::uint64_t n) { return with_thousands(n); }

// A quantile past the sketch's exact range is marked "~" (within 1%, docs/report.md).
std::string dwell_or_dash(const duration_figures& d, double v) {
    return d.count == 0 ? "-" : (d.exact ? "" : "~") + human_duration(v);
}

std::string outcome_name(const outcome_figures& o) {
    switch (o.status) {
        case session_status::completed: return plain(o.outcome.empty() ? "completed" : o.outcome);
        case session_status::escalated: return "escalated to " + plain(o.outcome);
        case session_status::abandoned: return o.outcome.empty() ? "abandoned" : "abandoned: " + plain(o.outcome);
        case session_status::active: return "in progress";
    }
    return "";
}

std::string end_name(const path_figures& p) {
    outcome_figures o;
    o.status = p.end;
    o.outcome = p.outcome;
    return outcome_name(o);
}

// The outcomes column is cut at this width; a priority after a team is kept whole.
constexpr std::size_t outcome_width = 48;

// "escalated to Billing (urgent)", the team cut short if need be, not the priority.
std::string escalation_name(const outcome_figures& o, std::size_t slot, std::string_view indent = "") {
    const std::string suffix = " (" + priority_name(slot) + ")";
    return std::string(indent) + fit(outcome_name(o), outcome_width - indent.size() - display_width(suffix)) + suffix;
}

void heading(std::string& out, std::string_view title) { out += fmt::format("\n{}\n", title); }

void session_section(std::string& out, const tree_report& r) {
    const session_figures& s = r.sessions;
    const std::uint64_t finished = s.completed + s.escalated + s.abandoned;
    heading(out, "Sessions");
    table t({"", "", ""}, "lrr");
    t.row({"Started", count(s.started), ""});
    // Shares are of finished sessions (those in progress have no ending yet): said in the row.
    const auto of_finished = [&](std::uint64_t n) {
        return finished ? percent(static_cast<double>(n) / static_cast<double>(finished)) + " of finished" : std::string();
    };
    t.row({"Completed", count(s.completed), of_finished(s.completed)});
    t.row({"Escalated", count(s.escalated), of_finished(s.escalated)});
    for (std::size_t i = 0; i < s.escalated_by_priority.size(); ++i) {
        if (s.escalated_by_priority[i] > 0)
            t.row({"  of which " + priority_name(i), count(s.escalated_by_priority[i]), ""});
    }
    t.row({"Abandoned", count(s.abandoned), of_finished(s.abandoned)});
    if (s.writer_lost > 0) t.row({std::string("  of which ") + writer_lost_reason, count(s.writer_lost), ""});
    if (s.active > 0) t.row({"In progress", count(s.active), ""});
    std::string rendered = t.render();
    out += rendered.substr(rendered.find('\n') + 1);  // no header row
    if (s.handling.count > 0) {
        out += fmt::format("  Handling time: median {}, 90% within {}, average {}{}\n",
                           human_duration(s.handling.median_ms), human_duration(s.handling.p90_ms),
                           human_duration(s.handling.mean_ms), s.handling.exact ? "" : " (within 1%)");
    }
    out += fmt::format("  Back presses: {} in {} session{}; restarts: {}\n", count(s.back_presses),
                       count(s.with_back), s.with_back == 1 ? "" : "s", count(s.restarts));
    if (s.finds > 0)
        out += fmt::format("  Moves made with find: {} (not counted as links)\n", count(s.finds));
}

void outcome_section(std::string& out, const tree_report& r) {
    if (r.outcomes.empty()) return;
    heading(out, "Outcomes (finished sessions)");
    table t({"Outcome", "Sessions", "Share"}, "lrr", {outcome_width});
    long tenths = 0;  // the shares as printed, in tenths of a percent
    for (const outcome_figures& o : r.outcomes) {
        const std::string shown = percent(o.share);
        // A team's escalations by priority: one row when they share one, else the team's
        // total and then a row per priority, with no share: the column still adds up.
        const std::vector<std::size_t> used = priorities_used(o.by_priority);
        const bool escalated = o.status == session_status::escalated && !used.empty();
        t.row({escalated && used.size() == 1 ? escalation_name(o, used[0]) : outcome_name(o), count(o.sessions), shown});
        if (escalated && used.size() > 1) {
            for (std::size_t i : used) t.row({escalation_name(o, i, "  "), count(o.by_priority[i]), ""});
        }
        // Summed as printed: lround rounds a half up where the printed figure rounded it
        // to even, and the note then gave a sum the column does not add up to.
        tenths += std::lround(std::stod(shown) * 10);
    }
    out += t.render();
    if (tenths != 1000) out += "  (shares are rounded to 0.1%, so they add up to " + percent(tenths / 1000.0) + ")\n";
}

void version_section(std::string& out, const tree_report& r) {
    if (r.versions.empty()) return;
    heading(out, "Tree versions in the log");
    table t({"Version", "File hash", "Sessions", "Completed", "Escalated", "Abandoned", "First", "Last", ""},
            "lrrrrrlll");
    for (const version_figures& v : r.versions) {
        std::string note = v.current ? "the current file" : "";
        if (!v.counted) note += std::string(note.empty() ? "" : "; ") + "not counted (--tree-version)";
        t.row({v.version == 0 ? "?" : std::to_string(v.version), v.hash.empty() ? "-" : v.hash, count(v.sessions),
               count(v.completed), count(v.escalated), count(v.abandoned), format_utc_day(v.first_started_ms),
               format_utc_day(v.last_started_ms), note});
    }
    out += t.render();
}

void node_rows(table& t, const tree_report& r, const std::vector<node_figures>& nodes) {
    for (const node_figures& n : nodes) {
        t.row({plain(qualified_node(r.tree_id, n.tree_id, n.node_id)), plain(n.title), kind_shown(n), count(n.visits),
               count(n.sessions), percent(n.reach_rate), dwell_or_dash(n.dwell, n.dwell.median_ms),
               dwell_or_dash(n.dwell, n.dwell.p90_ms), count(n.abandoned_here), count(n.back_presses),
               n.visits > 0 ? percent(n.back_rate) : "-"});
    }
}

table node_table() {
    return table({"Node", "Title", "Kind", "Visits", "Sessions", "Reach", "Dwell med", "Dwell p90", "Abandoned",
                  "Back", "Back rate"},
                 "lllrrrrrrrr", {36, 28});
}

void node_section(std::string& out, const tree_report& r) {
    heading(out, "Nodes (dwell: time the agent spent on the step; reach: share of sessions that got there)");
    table t = node_table();
    node_rows(t, r, r.nodes);
    out += t.render();
}

void link_rows(table& t, const tree_report& r, const std::vector<link_figures>& links) {
    for (const link_figures& l : links) {
        t.row({plain(qualified_node(r.tree_id, l.from_tree, l.from)), plain(qualified_node(r.tree_id, l.to_tree, l.to)),
               plain(l.label), count(l.transitions), percent(l.share)});
    }
}

void link_section(std::string& out, const tree_report& r) {
    if (r.links.empty()) return;
    heading(out, "Links (share: of the moves out of the node)");
    table t({"From", "To", "Answer", "Moves", "Share"}, "lllrr", {36, 36, 36});
    link_rows(t, r, r.links);
    out += t.render();
}

void path_section(std::string& out, const tree_report& r) {
    if (r.top_paths.empty()) return;
    std::string title = fmt::format("Most frequent paths ({} distinct", count(r.distinct_paths));
    if (r.other_path_sessions > 0)
        title += fmt::format("; {} more sessions took paths beyond the first {} and are not ranked",
                             count(r.other_path_sessions), count(r.max_distinct_paths));
    heading(out, title + ")");
    table t({"#", "Sessions", "Share", "End", "Path"}, "rrrll", {0, 0, 0, 32});
    std::size_t rank = 0;
    for (const path_figures& p : r.top_paths) {
        std::string steps;
        for (std::size_t i = 0; i < p.steps.size(); ++i) steps += (steps.empty() ? "" : " > ") + plain(path_step_name(r, p, i));
        t.row({std::to_string(++rank), count(p.sessions), percent(p.share), end_name(p), steps});
    }
    out += t.render();
}

void spot_section(std::string& out, const tree_report& r) {
    if (!r.abandon_points.empty()) {
        heading(out, "Where calls end abandoned");
        table t({"Node", "Title", "Abandoned", "Of all abandoned"}, "llrr", {36, 28});
        for (const problem_spot& s : r.abandon_points)
            t.row({plain(qualified_node(r.tree_id, s.tree_id, s.node_id)) + (s.retired ? " (not in the file)" : ""),
                   plain(s.title), count(s.count), percent(s.value)});
        // The rest, so the rows add up to every abandoned session.
        for (const auto& [what, n] : {std::pair{"(elsewhere)", r.abandoned_elsewhere},
                                      std::pair{"(no step recorded)", r.abandoned_no_step}})
            if (n > 0) t.row({what, "", count(n), percent(static_cast<double>(n) / static_cast<double>(r.sessions.abandoned))});
        out += t.render();
    }
    if (r.highest_abandonment.empty() && r.highest_back_rate.empty() && r.slowest.empty()) return;
    heading(out, "Problem spots");
    table t({"Spot", "Node", "Title", "Figure"}, "llll", {0, 36, 28});
    for (const problem_spot& s : r.highest_abandonment)
        t.row({"abandoned", plain(qualified_node(r.tree_id, s.tree_id, s.node_id)), plain(s.title),
               fmt::format("{} of sessions reaching it ({} of {})", percent(s.value), count(s.count), count(s.out_of))});
    for (const problem_spot& s : r.highest_back_rate)
        t.row({"back presses", plain(qualified_node(r.tree_id, s.tree_id, s.node_id)), plain(s.title),
               fmt::format("{} of visits ({} of {})", percent(s.value), count(s.count), count(s.out_of))});
    for (const problem_spot& s : r.slowest)
        t.row({"slow", plain(qualified_node(r.tree_id, s.tree_id, s.node_id)), plain(s.title),
               fmt::format("median {}{} over {} stays", s.exact ? "" : "~", human_duration(s.value), count(s.count))});
    out += t.render();
}

void drift_section(std::string& out, const tree_report& r) {
    if (!r.retired_nodes.empty()) {
        heading(out, "Version drift: nodes the log has but the tree file does not (not in the node table above)");
        table t({"Node", "Title", "Kind", "Visits", "Sessions", "Reach", "Dwell med", "Dwell p90", "Abandoned",
                 "Back", "Versions"},
                "lllrrrrrrrl", {36, 28});
        for (const node_figures& n : r.retired_nodes) {
            std::string versions;
            for (int v : n.versions) versions += (versions.empty() ? "" : ", ") + std::to_string(v);
            t.row({plain(qualified_node(r.tree_id, n.tree_id, n.node_id)), plain(n.title), kind_shown(n), count(n.visits),
                   count(n.sessions), percent(n.reach_rate), dwell_or_dash(n.dwell, n.dwell.median_ms),
                   dwell_or_dash(n.dwell, n.dwell.p90_ms), count(n.abandoned_here), count(n.back_presses), versions});
        }
        out += t.render();
    }
    if (!r.retired_links.empty()) {
        heading(out, "Version drift: moves that are not links of the tree file (older versions, or find)");
        table t({"From", "To", "Moves", "Share"}, "llrr", {36, 36});
        for (const link_figures& l : r.retired_links)
            t.row({plain(qualified_node(r.tree_id, l.from_tree, l.from)),
                   plain(qualified_node(r.tree_id, l.to_tree, l.to)), count(l.transitions), percent(l.share)});
        out += t.render();
    }
}

void agent_section(std::string& out, const tree_report& r, bool asked) {
    if (!asked) return;
    heading(out, "Agents (for coaching, not ranking: sorted by name)");
    if (r.agents.empty()) {
        out += "  No sessions.\n";
        return;
    }
    table t({"Agent", "Sessions", "Completed", "Escalated", "Abandoned", "In progress", "Handling med", "Back rate",
             "Top outcome"},
            "lrrrrrrrl", {28, 0, 0, 0, 0, 0, 0, 0, 40});
    for (const agent_figures& a : r.agents) {
        std::string top = "-";
        if (!a.outcomes.empty()) {
            // Outcomes are sorted by sessions; a tie for the top is said, not settled silently.
            std::size_t tied = 1;
            while (tied < a.outcomes.size() && a.outcomes[tied].sessions == a.outcomes.front().sessions) ++tied;
            top = fmt::format("{} ({}){}", outcome_name(a.outcomes.front()), percent(a.outcomes.front().share),
                              tied > 1 ? fmt::format(", tied with {} more", tied - 1) : std::string());
        }
        t.row({plain(a.agent.empty() ? "(no name)" : a.agent), count(a.sessions), count(a.completed),
               count(a.escalated), count(a.abandoned), count(a.active), dwell_or_dash(a.handling, a.handling.median_ms),
               a.visits > 0 ? percent(a.back_rate) : "-", top});
    }
    out += t.render();
}

std::string filters_text(const report_scope& scope) {
    const log_filter& f = scope.filter;
    std::vector<std::string> parts;
    if (!f.agent.empty()) parts.push_back("agent \"" + plain(f.agent) + "\"");
    if (f.since_ms) parts.push_back("from " + format_utc_time(*f.since_ms) + " UTC");
    if (f.until_ms) parts.push_back("before " + format_utc_time(*f.until_ms) + " UTC");
    if (scope.tree_version != 0) parts.push_back(fmt::format("tree version {}", scope.tree_version));
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out.empty() ? "none" : out;
}

}  // namespace

std::string report_text(const std::vector<tree_report>& reports, const report_context& context) {
    std::string out;
    if (reports.empty()) {
        out += fmt::format("No sessions in {} match (filters: {}).\n", plain(context.scope.log_path),
                           filters_text(context.scope));
        return out;
    }
    bool first = true;
    for (const tree_report& r : reports) {
        if (!first) out += "\n" + std::string(78, '=') + "\n";
        first = false;
        out += fmt::format("{} ({})\n", plain(r.title), plain(r.tree_id));
        out += fmt::format("  Log: {}\n", plain(context.scope.log_path));
        if (r.has_tree) {
            out += fmt::format("  Compared with: {} (version {})\n", plain(r.tree_file.empty() ? "(in memory)" : r.tree_file),
                               r.tree_file_version);
        } else {
            out += "  No tree file: node titles, links never taken and version drift need --tree or --library\n";
        }
        out += fmt::format("  Filters: {}\n", filters_text(context.scope));
        if (r.sessions.started > 0) {
            out += fmt::format("  Sessions started {} to {} UTC\n", format_utc_time(r.sessions.first_started_ms),
                               format_utc_time(r.sessions.last_started_ms));
        } else {
            out += "  No sessions match.\n";
        }
        if (!r.unknown_trees.empty() && r.has_tree) {
            std::string list;
            for (const std::string& t : r.unknown_trees) list += (list.empty() ? "" : ", ") + plain(t);
            out += fmt::format("  Trees jumped into with no file that loads (not checked for drift): {}\n", list);
        }
        session_section(out, r);
        outcome_section(out, r);
        version_section(out, r);
        node_section(out, r);
        link_section(out, r);
        path_section(out, r);
        spot_section(out, r);
        drift_section(out, r);
        agent_section(out, r, context.scope.by_agent);
    }
    return out;
}

}  // namespace signpost::cli
