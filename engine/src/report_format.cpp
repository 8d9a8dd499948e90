// Path statistics as JSON and CSV.
//
// [SECTION] A small JSON document model
// [SECTION] Reports as JSON
// [SECTION] Reports as CSV

#include "signpost/report_format.hpp"
#include "signpost/text.hpp"

#include <cmath>
#include <cstdint>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "signpost/utc_time.hpp"

namespace signpost {

std::string qualified_node(std::string_view root_tree, std::string_view tree, std::string_view node) {
    if (tree == root_tree) return std::string(node);
    return fmt::format("{}:{}", tree, node);
}

std::string path_step_name(const tree_report& r, const path_figures& p, std::size_t i) {
    const auto& [tree, node] = p.steps[i];
    return (p.was_found(i) ? found_step_mark : "") + qualified_node(r.tree_id, tree, node);
}

namespace {

// [SECTION] A small JSON document model

// Shares are printed to 4 decimals (0.01 %), durations to 0.1 ms: enough for any reader,
// and stable text for tests and diffs.
double round_to(double v, double scale) { return std::round(v * scale) / scale; }

struct json;
using json_array = std::vector<json>;
using json_object = std::vector<std::pair<std::string, json>>;  // keeps key order

struct json {
    std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, json_array, json_object> v;
    json() : v(nullptr) {}
    json(std::nullptr_t) : v(nullptr) {}
    json(bool b) : v(b) {}
    json(int i) : v(std::int64_t{i}) {}
    json(std::uint64_t i) : v(static_cast<std::int64_t>(i)) {}
    json(std::int64_t i) : v(i) {}
    json(double d) : v(d) {}
    json(std::string s) : v(std::move(s)) {}
    json(const char* s) : v(std::string(s)) {}
    json(json_array a) : v(std::move(a)) {}
    json(json_object o) : v(std::move(o)) {}
};

json share(double v) { return round_to(v, 1e4); }
json ms(double v) { return round_to(v, 10); }
json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
std::string iso_utc(std::int64_t t) {
    std::string s = format_utc_time(t);
    s[10] = 'T';
    return s + "Z";
}
json time_or_null(std::int64_t t, bool known) {
    if (!known) return nullptr;
    return iso_utc(t);
}

void print(std::string& out, const json& j, int depth) {
    const std::string pad(static_cast<std::size_t>(depth + 1) * 2, ' ');
    const std::string close_pad(static_cast<std::size_t>(depth) * 2, ' ');
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
                out += "null";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                out += std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                out += std::isfinite(v) ? fmt::format("{}", v) : "null";
            } else if constexpr (std::is_same_v<T, std::string>) {
                append_json_string(out, v, true);
            } else if constexpr (std::is_same_v<T, json_array>) {
                if (v.empty()) {
                    out += "[]";
                    return;
                }
                // Arrays of plain values (path steps, versions) stay on one line.
                bool flat = true;
                for (const json& e : v)
                    flat = flat && !std::holds_alternative<json_array>(e.v) && !std::holds_alternative<json_object>(e.v);
                out += flat ? "[" : "[\n";
                for (std::size_t i = 0; i < v.size(); ++i) {
                    if (!flat) out += pad;
                    print(out, v[i], depth + 1);
                    if (i + 1 < v.size()) out += flat ? ", " : ",\n";
                }
                out += flat ? "]" : "\n" + close_pad + "]";
            } else {
                if (v.empty()) {
                    out += "{}";
                    return;
                }
                out += "{\n";
                for (std::size_t i = 0; i < v.size(); ++i) {
                    out += pad;
                    append_json_string(out, v[i].first, true);
                    out += ": ";
                    print(out, v[i].second, depth + 1);
                    out += i + 1 < v.size() ? ",\n" : "\n";
                }
                out += close_pad + "}";
            }
        },
        j.v);
}

// [SECTION] Reports as JSON

json durations(const duration_figures& d) {
    // No samples, no figure: null, not a 0 that reads as "instant".
    if (d.count == 0)
        return json_object{{"count", d.count}, {"mean", nullptr}, {"median", nullptr}, {"p90", nullptr}, {"exact", true}};
    return json_object{{"count", d.count}, {"mean", ms(d.mean_ms)},     {"median", ms(d.median_ms)},
                       {"p90", ms(d.p90_ms)}, {"exact", d.exact}};
}

json node_json(const tree_report& r, const node_figures& n, bool with_versions) {
    json_object o{
        {"node", qualified_node(r.tree_id, n.tree_id, n.node_id)},
        {"tree", n.tree_id},
        {"id", n.node_id},
        {"title", text_or_null(n.title)},
        {"kind", text_or_null(n.kind)},
        {"visits", n.visits},
        {"returns", n.returns},
        {"found", n.found},
        {"sessions", n.sessions},
        {"reach_rate", share(n.reach_rate)},
        {"dwell_ms", durations(n.dwell)},
        {"automatic_stays", n.automatic_stays},
        {"exits", n.exits},
        {"abandoned_here", n.abandoned_here},
        {"abandon_rate", share(n.abandon_rate)},
        {"back_presses", n.back_presses},
        {"back_rate", share(n.back_rate)},
        {"ended_here", n.ended_here},
    };
    if (with_versions) {
        json_array versions;
        for (int v : n.versions) versions.emplace_back(v);
        o.emplace_back("versions", std::move(versions));
    }
    return o;
}

json link_json(const tree_report& r, const link_figures& l) {
    return json_object{
        {"from", qualified_node(r.tree_id, l.from_tree, l.from)},
        {"to", qualified_node(r.tree_id, l.to_tree, l.to)},
        {"label", text_or_null(l.label)},
        {"transitions", l.transitions},
        {"share", share(l.share)},
    };
}

// {"urgent": n, "high": n, "normal": n, "low": n, "unknown": n}: every key, always.
json priorities_json(const priority_counts& counts) {
    json_object o;
    for (std::size_t i = 0; i < counts.size(); ++i) o.emplace_back(report_priorities[i], counts[i]);
    return o;
}

json outcome_json(const outcome_figures& o) {
    json_object out{{"status", to_string(o.status)},
                    {"outcome", text_or_null(o.outcome)},
                    {"sessions", o.sessions},
                    {"share", share(o.share)}};
    if (o.status == session_status::escalated) out.emplace_back("by_priority", priorities_json(o.by_priority));
    return out;
}

json outcomes_json(const std::vector<outcome_figures>& list) {
    json_array a;
    for (const outcome_figures& o : list) a.push_back(outcome_json(o));
    return a;
}

json spots_json(const tree_report& r, const std::vector<problem_spot>& spots, const char* value_name,
                const char* count_name, const char* out_of_name, bool value_is_ms) {
    json_array a;
    for (const problem_spot& s : spots) {
        json_object o{{"node", qualified_node(r.tree_id, s.tree_id, s.node_id)},
                      {"title", text_or_null(s.title)},
                      {value_name, value_is_ms ? ms(s.value) : share(s.value)},
                      {count_name, s.count}};
        if (out_of_name != nullptr) o.emplace_back(out_of_name, s.out_of);
        if (s.retired) o.emplace_back("retired", true);
        if (value_is_ms) o.emplace_back("exact", s.exact);
        a.push_back(std::move(o));
    }
    return a;
}

json tree_json(const tree_report& r, bool by_agent) {
    const session_figures& s = r.sessions;
    json_object sessions{
        {"started", s.started},
        {"completed", s.completed},
        {"escalated", s.escalated},
        {"escalated_by_priority", priorities_json(s.escalated_by_priority)},
        {"abandoned", s.abandoned},
        {"writer_lost", s.writer_lost},
        {"active", s.active},
        {"restarts", s.restarts},
        {"finds", s.finds},
        {"back_presses", s.back_presses},
        {"sessions_with_back", s.with_back},
        {"handling_ms", durations(s.handling)},
        {"first_started", time_or_null(s.first_started_ms, s.started > 0)},
        {"last_started", time_or_null(s.last_started_ms, s.started > 0)},
    };

    json_array versions;
    for (const version_figures& v : r.versions) {
        versions.push_back(json_object{
            {"version", v.version},
            {"hash", text_or_null(v.hash)},
            {"current", v.current},
            {"counted", v.counted},
            {"sessions", v.sessions},
            {"completed", v.completed},
            {"escalated", v.escalated},
            {"abandoned", v.abandoned},
            {"first_started", time_or_null(v.first_started_ms, true)},
            {"last_started", time_or_null(v.last_started_ms, true)},
        });
    }

    json_array nodes, links, retired_nodes, retired_links, paths, unknown;
    for (const node_figures& n : r.nodes) nodes.push_back(node_json(r, n, false));
    for (const link_figures& l : r.links) links.push_back(link_json(r, l));
    for (const node_figures& n : r.retired_nodes) retired_nodes.push_back(node_json(r, n, true));
    for (const link_figures& l : r.retired_links) retired_links.push_back(link_json(r, l));
    for (const std::string& t : r.unknown_trees) unknown.emplace_back(t);
    for (const path_figures& p : r.top_paths) {
        json_array steps, found;
        for (const auto& [tree, node] : p.steps) steps.emplace_back(qualified_node(r.tree_id, tree, node));
        for (const std::size_t i : p.found) found.emplace_back(i);
        paths.push_back(json_object{{"sessions", p.sessions},
                                    {"share", share(p.share)},
                                    {"status", to_string(p.end)},
                                    {"outcome", text_or_null(p.outcome)},
                                    {"steps", std::move(steps)},
                                    {"found_steps", std::move(found)}});
    }

    json_object o{
        {"tree_id", r.tree_id},
        {"title", r.title},
        {"tree_file", r.has_tree ? text_or_null(r.tree_file) : json(nullptr)},
        {"tree_file_version", r.has_tree ? json(r.tree_file_version) : json(nullptr)},
        {"sessions", std::move(sessions)},
        {"outcomes", outcomes_json(r.outcomes)},
        {"versions", std::move(versions)},
        {"nodes", std::move(nodes)},
        {"links", std::move(links)},
        {"paths", json_object{{"distinct", r.distinct_paths},
                              {"limit", static_cast<std::uint64_t>(r.max_distinct_paths)},
                              {"other_sessions", r.other_path_sessions},
                              {"top", std::move(paths)}}},
        {"abandon_points", spots_json(r, r.abandon_points, "share", "abandoned", nullptr, false)},
        {"abandoned_elsewhere", r.abandoned_elsewhere},
        {"abandoned_no_step", r.abandoned_no_step},
        {"problem_spots",
         json_object{
             {"highest_abandonment",
              spots_json(r, r.highest_abandonment, "rate", "abandoned", "sessions", false)},
             {"highest_back_rate", spots_json(r, r.highest_back_rate, "rate", "back_presses", "visits", false)},
             {"slowest", spots_json(r, r.slowest, "median_ms", "stays", nullptr, true)},
         }},
        {"drift", json_object{{"retired_nodes", std::move(retired_nodes)},
                              {"retired_links", std::move(retired_links)},
                              {"unknown_trees", std::move(unknown)}}},
    };
    if (by_agent) {
        json_array agents;
        for (const agent_figures& a : r.agents) {
            agents.push_back(json_object{
                {"agent", a.agent},
                {"sessions", a.sessions},
                {"completed", a.completed},
                {"escalated", a.escalated},
                {"abandoned", a.abandoned},
                {"active", a.active},
                {"handling_ms", durations(a.handling)},
                {"outcomes", outcomes_json(a.outcomes)},
                {"visits", a.visits},
                {"back_presses", a.back_presses},
                {"back_rate", share(a.back_rate)},
            });
        }
        o.emplace_back("agents", std::move(agents));
    }
    return o;
}

// [SECTION] Reports as CSV

std::string csv_field(std::string_view s, bool is_text) {
    // A spreadsheet would run "=..." as a formula: agent names and team names are typed
    // by people, so they are kept as text.
    std::string v;
    if (is_text && !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) v += '\'';
    // Logs written before input was cleaned may hold control bytes and invalid UTF-8.
    v += neutralise_controls(s);
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string number(double v) { return fmt::format("{}", v); }

struct csv_writer {
    std::string out = "tree_id,section,subject,metric,value\n";
    std::string tree;

    void row(std::string_view section, std::string_view subject, std::string_view metric, const std::string& value,
             bool value_is_text = false) {
        out += csv_field(tree, true) + "," + std::string(section) + "," + csv_field(subject, true) + "," +
               std::string(metric) + "," + csv_field(value, value_is_text) + "\n";
    }
    void count(std::string_view section, std::string_view subject, std::string_view metric, std::uint64_t v) {
        row(section, subject, metric, std::to_string(v));
    }
    void rate(std::string_view section, std::string_view subject, std::string_view metric, double v) {
        row(section, subject, metric, number(round_to(v, 1e4)));
    }
    void durations(std::string_view section, std::string_view subject, std::string_view prefix,
                   const duration_figures& d) {
        const std::string p(prefix);
        count(section, subject, p + "_count", d.count);
        // No samples, no figure: an empty cell, not a 0 that reads as "instant".
        const auto figure = [&](double v) { return d.count == 0 ? std::string() : number(round_to(v, 10)); };
        row(section, subject, p + "_mean_ms", figure(d.mean_ms));
        row(section, subject, p + "_median_ms", figure(d.median_ms));
        row(section, subject, p + "_p90_ms", figure(d.p90_ms));
        row(section, subject, p + "_exact", d.exact ? "true" : "false");
    }
    void node(const tree_report& r, std::string_view section, const node_figures& n) {
        const std::string subject = qualified_node(r.tree_id, n.tree_id, n.node_id);
        // What a sheet shows beside the id; only when the tree file is known.
        if (!n.title.empty()) row(section, subject, "title", n.title, true);
        if (!n.kind.empty()) row(section, subject, "kind", n.kind, true);
        count(section, subject, "visits", n.visits);
        count(section, subject, "returns", n.returns);
        count(section, subject, "found", n.found);
        count(section, subject, "sessions", n.sessions);
        rate(section, subject, "reach_rate", n.reach_rate);
        durations(section, subject, "dwell", n.dwell);
        count(section, subject, "automatic_stays", n.automatic_stays);
        count(section, subject, "exits", n.exits);
        count(section, subject, "abandoned_here", n.abandoned_here);
        rate(section, subject, "abandon_rate", n.abandon_rate);
        count(section, subject, "back_presses", n.back_presses);
        rate(section, subject, "back_rate", n.back_rate);
        count(section, subject, "ended_here", n.ended_here);
    }
    void link(const tree_report& r, std::string_view section, const link_figures& l) {
        const std::string subject = qualified_node(r.tree_id, l.from_tree, l.from) + " -> " +
                                    qualified_node(r.tree_id, l.to_tree, l.to);
        if (!l.label.empty()) row(section, subject, "label", l.label, true);
        count(section, subject, "transitions", l.transitions);
        rate(section, subject, "share", l.share);
    }
};

std::string outcome_subject(session_status status, const std::string& outcome) {
    std::string s = to_string(status);
    if (!outcome.empty()) s += ":" + outcome;
    return s;
}

}  // namespace

std::string report_json(const std::vector<tree_report>& reports, const report_scope& scope) {
    const log_filter& f = scope.filter;
    json_array trees;
    for (const tree_report& r : reports) trees.push_back(tree_json(r, scope.by_agent));
    json doc = json_object{
        {"report", "signpost path statistics"},
        {"format_version", 4},
        {"log", scope.log_path},
        {"filters", json_object{{"tree", text_or_null(f.tree_id)},
                                {"agent", text_or_null(f.agent)},
                                {"since", f.since_ms ? time_or_null(*f.since_ms, true) : json(nullptr)},
                                {"until", f.until_ms ? time_or_null(*f.until_ms, true) : json(nullptr)},
                                {"tree_version", scope.tree_version != 0 ? json(scope.tree_version) : json(nullptr)}}},
        {"trees", std::move(trees)},
    };
    std::string out;
    print(out, doc, 0);
    out += '\n';
    return out;
}

std::string report_csv(const std::vector<tree_report>& reports, const report_scope& scope) {
    csv_writer w;
    for (const tree_report& r : reports) {
        w.tree = r.tree_id;
        // The filters the figures are under, so a saved sheet cannot pass for the whole log.
        const log_filter& f = scope.filter;
        if (!f.agent.empty()) w.row("filter", "", "agent", f.agent, true);
        if (f.since_ms) w.row("filter", "", "since", iso_utc(*f.since_ms));
        if (f.until_ms) w.row("filter", "", "until", iso_utc(*f.until_ms));
        if (scope.tree_version != 0) w.row("filter", "", "tree_version", std::to_string(scope.tree_version));
        const session_figures& s = r.sessions;
        w.count("sessions", "", "started", s.started);
        w.count("sessions", "", "completed", s.completed);
        w.count("sessions", "", "escalated", s.escalated);
        for (std::size_t i = 0; i < s.escalated_by_priority.size(); ++i)
            w.count("sessions", "", fmt::format("escalated_{}", report_priorities[i]), s.escalated_by_priority[i]);
        w.count("sessions", "", "abandoned", s.abandoned);
        w.count("sessions", "", "writer_lost", s.writer_lost);
        w.count("sessions", "", "active", s.active);
        w.count("sessions", "", "restarts", s.restarts);
        w.count("sessions", "", "finds", s.finds);
        w.count("sessions", "", "back_presses", s.back_presses);
        w.count("sessions", "", "sessions_with_back", s.with_back);
        w.durations("sessions", "", "handling", s.handling);
        for (const outcome_figures& o : r.outcomes) {
            const std::string subject = outcome_subject(o.status, o.outcome);
            w.count("outcome", subject, "sessions", o.sessions);
            w.rate("outcome", subject, "share", o.share);
            if (o.status != session_status::escalated) continue;
            for (std::size_t i = 0; i < o.by_priority.size(); ++i)
                w.count("outcome", subject, fmt::format("sessions_{}", report_priorities[i]), o.by_priority[i]);
        }
        for (const version_figures& v : r.versions) {
            const std::string subject = fmt::format("{} {}", v.version, v.hash);
            w.count("version", subject, "sessions", v.sessions);
            w.count("version", subject, "completed", v.completed);
            w.count("version", subject, "escalated", v.escalated);
            w.count("version", subject, "abandoned", v.abandoned);
            w.count("version", subject, "current", v.current ? 1 : 0);
            w.count("version", subject, "counted", v.counted ? 1 : 0);
        }
        for (const node_figures& n : r.nodes) w.node(r, "node", n);
        for (const link_figures& l : r.links) w.link(r, "link", l);
        std::size_t rank = 0;
        for (const path_figures& p : r.top_paths) {
            const std::string subject = std::to_string(++rank);
            std::string steps;
            for (std::size_t i = 0; i < p.steps.size(); ++i)
                steps += (steps.empty() ? "" : " > ") + path_step_name(r, p, i);
            w.count("path", subject, "sessions", p.sessions);
            w.rate("path", subject, "share", p.share);
            w.row("path", subject, "end", outcome_subject(p.end, p.outcome), true);
            w.row("path", subject, "steps", steps, true);
        }
        w.count("paths", "", "distinct", r.distinct_paths);
        w.count("paths", "", "other_sessions", r.other_path_sessions);
        for (const node_figures& n : r.retired_nodes) w.node(r, "retired_node", n);
        for (const link_figures& l : r.retired_links) w.link(r, "retired_link", l);
        for (const agent_figures& a : r.agents) {
            w.count("agent", a.agent, "sessions", a.sessions);
            w.count("agent", a.agent, "completed", a.completed);
            w.count("agent", a.agent, "escalated", a.escalated);
            w.count("agent", a.agent, "abandoned", a.abandoned);
            w.count("agent", a.agent, "active", a.active);
            w.durations("agent", a.agent, "handling", a.handling);
            w.count("agent", a.agent, "back_presses", a.back_presses);
            w.rate("agent", a.agent, "back_rate", a.back_rate);
        }
    }
    return w.out;
}

}  // namespace signpost
