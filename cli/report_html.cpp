// `signpost report --html`: one self-contained page with SVG charts.
//
// [SECTION] Escaping and small formatting
// [SECTION] Page frame and styles
// [SECTION] Outcome bars
// [SECTION] Flow of the top paths (Sankey-style)
// [SECTION] The tree drawn with its traffic
// [SECTION] Tables
// [SECTION] The page

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "progress_bar.hpp"
#include "report_output.hpp"
#include "signpost/text.hpp"
#include "signpost/utc_time.hpp"

namespace signpost::cli {

namespace {

// [SECTION] Escaping and small formatting

// Everything from trees and the log goes through this: node text may hold "<script>".
std::string esc(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : neutralise_controls(s)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

// Markdown labels and titles as plain, escaped text, cut to `width` code points.
std::string label(std::string_view s, std::size_t width = 0) {
    std::string plain = markdown_to_plain(s);
    std::replace(plain.begin(), plain.end(), '\n', ' ');
    if (width > 1) {
        std::vector<std::size_t> starts;  // byte offset of each code point
        for (std::size_t i = 0; i < plain.size(); ++i)
            if ((static_cast<unsigned char>(plain[i]) & 0xc0) != 0x80) starts.push_back(i);
        if (starts.size() > width) plain = plain.substr(0, starts[width - 1]) + "\u2026";
    }
    return esc(plain);
}

// Code points in UTF-8 text.
std::size_t length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xc0) != 0x80) ++n;
    return n;
}

// The first `width` - 1 code points and an ellipsis, when `s` is longer than `width`.
std::string cut(const std::string& s, std::size_t width) {
    if (length(s) <= width) return s;
    std::size_t n = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80 && ++n == width) break;
    }
    return s.substr(0, i) + "\u2026";
}

// Words into at most `max_lines` lines of `width` code points; what does not fit is cut
// with an ellipsis.
std::vector<std::string> wrap(const std::string& text, std::size_t width, std::size_t max_lines) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t end = text.find(' ', at);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(at, end - at);
        at = end + 1;
        if (word.empty()) continue;
        if (line.empty() || length(line) + 1 + length(word) <= width) {
            line += (line.empty() ? "" : " ") + word;
        } else {
            lines.push_back(line);
            line = word;
        }
    }
    if (!line.empty()) lines.push_back(line);
    if (lines.empty()) lines.emplace_back();
    while (lines.size() > max_lines) {
        lines[lines.size() - 2] += " " + lines.back();
        lines.pop_back();
    }
    for (std::string& l : lines) l = cut(l, width);
    return lines;
}

std::string num(std::uint64_t n) { return with_thousands(n); }
std::string pct(double share) { return percent(share); }
// "1 session", "3 sessions".
std::string counted(std::uint64_t n, const char* one, const char* many) {
    return num(n) + " " + (n == 1 ? one : many);
}
std::string coord(double v) { return fmt::format("{:.1f}", v); }

const char* status_colour(session_status s) {
    switch (s) {
        case session_status::completed: return "#2e8b57";
        case session_status::escalated: return "#d9881a";
        case session_status::abandoned: return "#c8423b";
        case session_status::active: return "#7a8793";
    }
    return "#7a8793";
}

std::string outcome_name(session_status status, const std::string& outcome) {
    switch (status) {
        case session_status::completed: return outcome.empty() ? "completed" : outcome;
        case session_status::escalated: return "escalated to " + outcome;
        case session_status::abandoned: return outcome.empty() ? "abandoned" : "abandoned: " + outcome;
        case session_status::active: return "in progress";
    }
    return "";
}

// Light blue to dark blue by traffic (square root: small differences stay visible).
std::string traffic_fill(double share) {
    share = std::sqrt(std::clamp(share, 0.0, 1.0));
    auto mix = [&](int lo, int hi) { return static_cast<int>(std::lround(lo + (hi - lo) * share)); };
    return fmt::format("#{:02x}{:02x}{:02x}", mix(0xee, 0x1b), mix(0xf3, 0x4f), mix(0xfa, 0x8f));
}

std::string display_name(const tree* t, const std::string& root_id, const std::string& tree_id,
                         const std::string& node_id) {
    if (t != nullptr) {
        if (const node* n = t->find(node_id); n != nullptr && !n->title.empty()) return n->title;
    }
    return qualified_node(root_id, tree_id, node_id);
}

// [SECTION] Page frame and styles

constexpr const char* page_style = R"css(
:root { --ink: #1d2733; --muted: #5b6876; --line: #d9e0e7; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink);
       margin: 0; background: #fff; }
main { max-width: 1220px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 8px; }
.meta { color: var(--muted); margin: 2px 0; }
.note { color: var(--muted); font-size: 13px; margin: 4px 0 10px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0 6px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.card .v { font-size: 22px; font-weight: 600; }
/* Drawn at its own size, scrolled sideways when wider than the page: scaled down to fit,
   a wide tree's labels were a few pixels high. */
.wide { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
.wide svg { display: block; }
.card .v .count { font-size: 14px; font-weight: 400; color: #5b6876; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.ok { color: #2e8b57; } .warn { color: #b86e0c; } .bad { color: #c8423b; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.path { font-size: 12px; color: #344250; }
.chart { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; color: var(--muted); font-size: 12px; margin: 6px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -2px; margin-right: 4px; }
.ramp { display: inline-block; width: 120px; height: 10px; vertical-align: -1px; margin: 0 4px;
        background: linear-gradient(90deg, #eef3fa, #1b4f8f); border-radius: 2px; }
details { margin: 8px 0; } summary { cursor: pointer; font-weight: 600; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } }
footer { color: var(--muted); font-size: 12px; margin-top: 36px; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
)css";

// [SECTION] Outcome bars

std::string outcome_bars(const tree_report& r) {
    if (r.outcomes.empty()) return "<p class=\"note\">No finished sessions.</p>\n";
    const double width = 1160, label_w = 300, bar_h = 26, gap = 10;
    const double height = 20 + static_cast<double>(r.outcomes.size()) * (bar_h + gap);
    double top_share = 0;
    for (const outcome_figures& o : r.outcomes) top_share = std::max(top_share, o.share);
    const double scale = (width - label_w - 150) / std::max(top_share, 1e-9);
    std::string svg = fmt::format(
        "<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"How sessions ended\">\n", coord(width),
        coord(height));
    double y = 14;
    for (const outcome_figures& o : r.outcomes) {
        const double w = std::max(2.0, o.share * scale);
        const std::string name = outcome_name(o.status, o.outcome);
        svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"14\" fill=\"#1d2733\">{}</text>\n",
                           coord(label_w - 12), coord(y + bar_h * 0.68), label(name, 40));
        svg += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\"><title>{}: {} "
            "({})</title></rect>\n",
            coord(label_w), coord(y), coord(w), coord(bar_h), status_colour(o.status), esc(name),
            counted(o.sessions, "session", "sessions"),
            pct(o.share));
        // A team's escalations by priority, beside its bar: "12 · 30.0% · urgent 3, normal 9".
        const std::string mix = o.status == session_status::escalated ? priority_mix(o.by_priority) : "";
        svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#5b6876\">{} \u00b7 {}{}</text>\n",
                           coord(label_w + w + 8), coord(y + bar_h * 0.68), num(o.sessions), pct(o.share),
                           mix.empty() ? "" : " \u00b7 " + esc(mix));
        y += bar_h + gap;
    }
    svg += "</svg>\n";
    return svg;
}

// [SECTION] Flow of the top paths (Sankey-style)

struct flow_step {
    std::string key;    // tree:node
    std::string name;   // shown
};

// The steps of a path as the flow shows them: logic and jump nodes are left out, and a
// stay in a jumped tree is one step (named by the jump and where the jumped tree ended),
// so the chart stays a handful of columns wide.
std::vector<flow_step> visible_steps(const tree_report& r, const path_figures& p, const report_context& context) {
    std::vector<flow_step> steps;
    const tree* root = context.tree_for(r.tree_id);
    std::string jump_id, jump_title;
    const std::pair<std::string, std::string>* inside = nullptr;  // last step in a jumped tree
    auto close_group = [&] {
        if (inside == nullptr) return;
        const tree* t = context.tree_for(inside->first);
        std::string via = jump_title.empty() ? inside->first : jump_title;
        // Named by where the jumped tree ended first: that is what tells the steps apart.
        steps.push_back({"via:" + jump_id + ":" + qualified_node(r.tree_id, inside->first, inside->second),
                         display_name(t, r.tree_id, inside->first, inside->second) + " (" + via + ")"});
        inside = nullptr;
    };
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
        const auto& step = p.steps[i];
        if (step.first != r.tree_id) {
            inside = &step;
            continue;
        }
        close_group();
        const node* n = root != nullptr ? root->find(step.second) : nullptr;
        if (n != nullptr && n->kind == node_kind::jump) {
            jump_id = n->id;
            jump_title = n->title.empty() ? n->id : n->title;
        }
        const bool last = i + 1 == p.steps.size();
        if (n != nullptr && !last && (n->kind == node_kind::logic || n->kind == node_kind::jump)) continue;
        const std::string mark = p.was_found(i) ? found_step_mark : "";
        steps.push_back({mark + step.second, mark + display_name(root, r.tree_id, step.first, step.second)});
    }
    close_group();
    return steps;
}

std::string path_flow(const tree_report& r, const report_context& context) {
    const std::size_t shown = std::min<std::size_t>(r.top_paths.size(), 8);
    if (shown == 0) return "<p class=\"note\">No finished sessions.</p>\n";
    struct column_node {
        std::string name;
        std::uint64_t value = 0;
        double y = 0, h = 0, out_used = 0, in_used = 0;
    };
    struct band {
        std::size_t column;
        std::string from, to;
        session_status status;
        std::uint64_t value;
    };
    std::vector<std::map<std::string, column_node>> columns;
    std::map<std::tuple<std::size_t, std::string, std::string, int>, std::uint64_t> bands_by_key;
    for (std::size_t i = 0; i < shown; ++i) {
        const path_figures& p = r.top_paths[i];
        std::vector<flow_step> steps = visible_steps(r, p, context);
        if (columns.size() < steps.size()) columns.resize(steps.size());
        for (std::size_t c = 0; c < steps.size(); ++c) {
            column_node& n = columns[c][steps[c].key];
            n.name = steps[c].name;
            n.value += p.sessions;
            if (c + 1 < steps.size())
                bands_by_key[{c, steps[c].key, steps[c + 1].key, static_cast<int>(p.end)}] += p.sessions;
        }
    }
    // Columns share the page width while they can; long paths make the chart scale down.
    const double node_w = 12, top = 24, height = 430, gap = 14;
    const double col_w = std::max(150.0, 1000.0 / static_cast<double>(std::max<std::size_t>(columns.size() - 1, 1)));
    const double width = std::max(1160.0, static_cast<double>(columns.size() - 1) * col_w + 220);
    std::uint64_t tallest = 1;
    std::size_t most_nodes = 1;
    for (const auto& col : columns) {
        std::uint64_t total = 0;
        for (const auto& [k, n] : col) total += n.value;
        tallest = std::max(tallest, total);
        most_nodes = std::max(most_nodes, col.size());
    }
    const double unit = (height - top - 30 - gap * static_cast<double>(most_nodes - 1)) / static_cast<double>(tallest);
    for (auto& col : columns) {
        // Biggest flow at the top, so the main road reads along the top edge.
        std::vector<column_node*> order;
        for (auto& [k, n] : col) order.push_back(&n);
        std::stable_sort(order.begin(), order.end(),
                         [](const column_node* a, const column_node* b) { return a->value > b->value; });
        double y = top;
        for (column_node* n : order) {
            n->y = y;
            n->h = std::max(2.0, static_cast<double>(n->value) * unit);
            y += n->h + gap;
        }
    }
    std::string svg = fmt::format(
        "<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Flow of the most frequent "
        "paths\">\n",
        coord(width), coord(height));
    std::vector<band> bands;
    for (const auto& [k, v] : bands_by_key)
        bands.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), static_cast<session_status>(std::get<3>(k)), v});
    // Bands leave and arrive in the order of their other end, so they do not cross needlessly.
    std::stable_sort(bands.begin(), bands.end(), [&](const band& a, const band& b) {
        if (a.column != b.column) return a.column < b.column;
        const double ya = columns[a.column + 1][a.to].y, yb = columns[b.column + 1][b.to].y;
        if (ya != yb) return ya < yb;
        return static_cast<int>(a.status) < static_cast<int>(b.status);
    });
    for (const band& b : bands) {
        column_node& from = columns[b.column][b.from];
        column_node& to = columns[b.column + 1][b.to];
        const double h = std::max(1.0, static_cast<double>(b.value) * unit);
        const double x1 = 40 + static_cast<double>(b.column) * col_w + node_w;
        const double x2 = 40 + static_cast<double>(b.column + 1) * col_w;
        const double y1 = from.y + from.out_used, y2 = to.y + to.in_used;
        from.out_used += h;
        to.in_used += h;
        const double mid = (x1 + x2) / 2;
        svg += fmt::format(
            "<path d=\"M{0},{1} C{2},{1} {2},{3} {4},{3} L{4},{5} C{2},{5} {2},{6} {0},{6} Z\" fill=\"{7}\" "
            "fill-opacity=\"0.42\"><title>{8} \u2192 {9}: {10}, ending {11}</title></path>\n",
            coord(x1), coord(y1), coord(mid), coord(y2), coord(x2), coord(y2 + h), coord(y1 + h),
            status_colour(b.status), esc(from.name), esc(to.name), counted(b.value, "session", "sessions"),
            esc(to_string(b.status)));
    }
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const double x = 40 + static_cast<double>(c) * col_w;
        for (const auto& [k, n] : columns[c]) {
            svg += fmt::format(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#34495e\"><title>{}: {} of the top-path "
                "sessions</title></rect>\n",
                coord(x), coord(n.y), coord(node_w), coord(n.h), esc(n.name), num(n.value));
            // Thin bars keep their name in the tooltip only: labels would overlap.
            if (n.h < 9) continue;
            svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#1d2733\">{}</text>\n",
                               coord(x + node_w + 4), coord(n.y + std::min(n.h / 2 + 4, 15.0)),
                               label(n.name, static_cast<std::size_t>(col_w / 7.5)));
        }
    }
    svg += "</svg>\n";
    return svg;
}

// [SECTION] The tree drawn with its traffic

struct box {
    double x = 0, y = 0;
};

constexpr double box_w = 236, box_h = 84;

// Where each node of `t` is drawn: the editor's layout when it has one, else columns by
// distance from the start.
std::map<std::string, box> place(const tree& t) {
    std::map<std::string, box> at;
    for (const layout_entry& l : t.layout)
        if (t.find(l.node) != nullptr) at[l.node] = {l.x, l.y};
    if (at.size() == t.nodes.size()) return at;
    // Breadth-first from the start; unreachable nodes in a last column.
    std::map<std::string, int> depth;
    std::vector<std::string> queue{t.start};
    depth[t.start] = 0;
    for (std::size_t i = 0; i < queue.size(); ++i) {
        const node* n = t.find(queue[i]);
        if (n == nullptr) continue;
        for (const std::string& next : t.successors(*n)) {
            if (!depth.contains(next) && t.find(next) != nullptr) {
                depth[next] = depth[queue[i]] + 1;
                queue.push_back(next);
            }
        }
    }
    int last = 0;
    for (const auto& [id, d] : depth) last = std::max(last, d);
    std::map<int, int> used;
    for (const node& n : t.nodes) {
        if (at.contains(n.id)) continue;
        int d = depth.contains(n.id) ? depth[n.id] : last + 1;
        at[n.id] = {d * 280.0, used[d]++ * 130.0};
    }
    return at;
}

// The trees other than the root that the report has nodes of.
std::vector<std::string> jumped_trees(const tree_report& r) {
    std::vector<std::string> ids;
    for (const node_figures& n : r.nodes)
        if (n.tree_id != r.tree_id && std::find(ids.begin(), ids.end(), n.tree_id) == ids.end()) ids.push_back(n.tree_id);
    return ids;
}

std::string tree_drawing(const tree_report& r, const tree& t) {
    const std::map<std::string, box> at = place(t);
    double min_x = 1e18, min_y = 1e18, max_x = -1e18, max_y = -1e18;
    for (const auto& [id, b] : at) {
        min_x = std::min(min_x, b.x);
        min_y = std::min(min_y, b.y);
        max_x = std::max(max_x, b.x + box_w);
        max_y = std::max(max_y, b.y + box_h);
    }
    if (at.empty()) return "";
    const double pad = 40;
    const double width = max_x - min_x + 2 * pad, height = max_y - min_y + 2 * pad + 20;
    auto X = [&](double x) { return x - min_x + pad; };
    auto Y = [&](double y) { return y - min_y + pad; };

    std::uint64_t most_visits = 1, most_moves = 1;
    for (const node_figures& n : r.nodes)
        if (n.tree_id == r.tree_id) most_visits = std::max(most_visits, n.visits);
    // Moves drawn between nodes of this tree; a jump is drawn to its return node, with the
    // moves that came back from the jumped tree.
    struct edge {
        std::string from, to, label;
        std::uint64_t moves;
    };
    std::vector<edge> edges;
    for (const link_figures& l : r.links) {
        if (l.from_tree == r.tree_id && l.to_tree == r.tree_id) edges.push_back({l.from, l.to, l.label, l.transitions});
    }
    for (const node& n : t.nodes) {
        if (n.kind != node_kind::jump || n.to.empty()) continue;
        std::uint64_t back = 0;
        for (const link_figures& l : r.links)
            if (l.from_tree == n.tree_ref && l.to_tree == r.tree_id && l.to == n.to) back += l.transitions;
        edges.push_back({n.id, n.to, "via " + n.tree_ref, back});
    }
    for (const edge& e : edges) most_moves = std::max(most_moves, e.moves);

    std::string svg = fmt::format(
        "<div class=\"wide\"><svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
        "aria-label=\"The tree with its traffic\">\n"
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" "
        "markerWidth=\"16\" markerHeight=\"16\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
        "fill=\"#55687c\"/></marker></defs>\n",
        coord(width), coord(height));
    for (const edge& e : edges) {
        auto a = at.find(e.from), b = at.find(e.to);
        if (a == at.end() || b == at.end()) continue;
        const double x1 = X(a->second.x + box_w), y1 = Y(a->second.y + box_h / 2);
        const double x2 = X(b->second.x), y2 = Y(b->second.y + box_h / 2);
        const double dx = std::max(60.0, std::abs(x2 - x1) / 2);
        const double w = e.moves == 0 ? 1.2 : 1.5 + 16.0 * static_cast<double>(e.moves) / static_cast<double>(most_moves);
        svg += fmt::format(
            "<path d=\"M{},{} C{},{} {},{} {},{}\" fill=\"none\" stroke=\"#6b7b8c\" stroke-opacity=\"{}\" "
            "stroke-width=\"{}\"{} marker-end=\"url(#arrow)\"><title>{} \u2192 {}{}: {}</title></path>\n",
            coord(x1), coord(y1), coord(x1 + dx), coord(y1), coord(x2 - dx), coord(y2), coord(x2), coord(y2),
            e.moves == 0 ? "0.5" : "0.55", coord(w), e.moves == 0 ? " stroke-dasharray=\"5 4\"" : "", esc(e.from),
            esc(e.to), e.label.empty() ? "" : " (" + label(e.label, 60) + ")", counted(e.moves, "move", "moves"));
    }
    for (const node& n : t.nodes) {
        auto it = at.find(n.id);
        if (it == at.end()) continue;
        const node_figures* f = r.find_node(r.tree_id, n.id);
        const std::uint64_t visits = f != nullptr ? f->visits : 0;
        const double share = static_cast<double>(visits) / static_cast<double>(most_visits);
        const std::string fill = traffic_fill(share);
        const char* ink = std::sqrt(share) > 0.5 ? "#ffffff" : "#1d2733";
        const double x = X(it->second.x), y = Y(it->second.y);
        const bool ends = n.kind == node_kind::end || n.kind == node_kind::escalate;
        std::string tip = fmt::format("{} ({}, {}): {} visits", n.title.empty() ? n.id : n.title, n.id,
                                      to_string(n.kind), num(visits));
        if (f != nullptr) {
            tip += fmt::format(", reached by {} of sessions", pct(f->reach_rate));
            if (f->dwell.count > 0) tip += fmt::format(", median dwell {}", human_duration(f->dwell.median_ms));
            if (f->abandoned_here > 0) tip += fmt::format(", {} abandoned here", num(f->abandoned_here));
            if (f->back_presses > 0) tip += fmt::format(", back pressed {} times", num(f->back_presses));
            if (f->found > 0) tip += fmt::format(", reached with find {} times", num(f->found));
        }
        svg += fmt::format(
            "<g><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\" "
            "stroke=\"{}\" stroke-width=\"1.5\"/>\n",
            esc(tip), coord(x), coord(y), coord(box_w), coord(box_h), ends ? "22" : "6", fill,
            n.kind == node_kind::escalate ? "#d9881a" : n.kind == node_kind::end ? "#2e8b57" : "#41576d");
        const std::vector<std::string> lines = wrap(markdown_to_plain(n.title.empty() ? n.id : n.title), 21, 2);
        const double first_line = lines.size() == 1 ? y + 32 : y + 24;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"18\" font-weight=\"600\" fill=\"{}\" "
                               "text-anchor=\"middle\">{}</text>\n",
                               coord(x + box_w / 2), coord(first_line + 21 * static_cast<double>(i)), ink,
                               esc(lines[i]));
        }
        std::string second = fmt::format("{} visits", num(visits));
        if (f != nullptr && f->sessions > 0) second += fmt::format(" \u00b7 {}", pct(f->reach_rate));
        svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"16\" fill=\"{}\" text-anchor=\"middle\">{}</text></g>\n",
                           coord(x + box_w / 2), coord(y + 72), ink, esc(second));
    }
    svg += "</svg></div>\n";
    // Jumped-into trees are not drawn: what happens inside them is said, not left out.
    std::uint64_t inside = 0;
    for (const std::string& sub : jumped_trees(r)) inside += r.abandoned_in(sub);
    if (inside > 0)
        svg += fmt::format("<p class=\"note\">Not drawn: the trees this one jumps into, where {} ended (see "
                           "the steps table).</p>\n",
                           counted(inside, "abandoned call", "abandoned calls"));
    return svg;
}

// [SECTION] Tables

// A quantile past the sketch's exact range is marked "≈" (within 1%, docs/report.md).
std::string dwell(const duration_figures& d, double v) {
    return d.count == 0 ? "&ndash;" : (d.exact ? "" : "&asymp;") + esc(human_duration(v));
}

std::string node_rows(const tree_report& r, const std::vector<node_figures>& nodes, bool versions) {
    std::string out;
    for (const node_figures& n : nodes) {
        out += fmt::format(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
            "<td class=\"n\">{}</td>",
            esc(qualified_node(r.tree_id, n.tree_id, n.node_id)), label(n.title), esc(kind_shown(n)), num(n.visits),
            num(n.sessions), pct(n.reach_rate), dwell(n.dwell, n.dwell.median_ms), dwell(n.dwell, n.dwell.p90_ms),
            num(n.abandoned_here), num(n.back_presses), n.visits > 0 ? pct(n.back_rate) : "&ndash;");
        if (versions) {
            std::string list;
            for (int v : n.versions) list += (list.empty() ? "" : ", ") + std::to_string(v);
            out += fmt::format("<td>{}</td>", esc(list));
        }
        out += "</tr>\n";
    }
    return out;
}

std::string node_table(const tree_report& r, const std::vector<node_figures>& nodes, bool versions) {
    std::string out =
        "<table><thead><tr><th>Node</th><th>Title</th><th>Kind</th><th class=\"n\">Visits</th>"
        "<th class=\"n\">Sessions</th><th class=\"n\">Reach</th><th class=\"n\">Dwell median</th>"
        "<th class=\"n\">Dwell p90</th><th class=\"n\">Abandoned here</th><th class=\"n\">Back</th>"
        "<th class=\"n\">Back rate</th>";
    if (versions) out += "<th>Versions</th>";
    out += "</tr></thead><tbody>\n" + node_rows(r, nodes, versions) + "</tbody></table>\n";
    return out;
}

std::string link_table(const tree_report& r, const std::vector<link_figures>& links) {
    std::string out =
        "<table><thead><tr><th>From</th><th>To</th><th>Answer</th><th class=\"n\">Moves</th>"
        "<th class=\"n\">Share of moves out</th></tr></thead><tbody>\n";
    for (const link_figures& l : links) {
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                           esc(qualified_node(r.tree_id, l.from_tree, l.from)),
                           esc(qualified_node(r.tree_id, l.to_tree, l.to)), label(l.label), num(l.transitions),
                           pct(l.share));
    }
    return out + "</tbody></table>\n";
}

std::string path_table(const tree_report& r) {
    std::string out =
        "<table><thead><tr><th class=\"n\">#</th><th class=\"n\">Sessions</th><th class=\"n\">Share</th>"
        "<th>End</th><th>Path</th></tr></thead><tbody>\n";
    std::size_t rank = 0;
    for (const path_figures& p : r.top_paths) {
        std::string steps;
        for (std::size_t i = 0; i < p.steps.size(); ++i)
            steps += (steps.empty() ? "" : " \u203a ") + esc(path_step_name(r, p, i));
        out += fmt::format(
            "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><span class=\"swatch\" "
            "style=\"background:{}\"></span>{}</td><td class=\"path\">{}</td></tr>\n",
            ++rank, num(p.sessions), pct(p.share), status_colour(p.end), esc(outcome_name(p.end, p.outcome)), steps);
    }
    return out + "</tbody></table>\n";
}

std::string spot_table(const tree_report& r) {
    std::string rows;
    auto row = [&](const char* what, const char* css, const problem_spot& s, const std::string& figure) {
        rows += fmt::format("<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", css, what,
                            esc(qualified_node(r.tree_id, s.tree_id, s.node_id)), label(s.title), figure);
    };
    for (const problem_spot& s : r.highest_abandonment)
        row("Abandoned", "bad", s,
            fmt::format("{} of the sessions that reach it ({} of {})", pct(s.value), num(s.count), num(s.out_of)));
    for (const problem_spot& s : r.highest_back_rate)
        row("Back presses", "warn", s,
            fmt::format("{} of visits end with Back ({} of {})", pct(s.value), num(s.count), num(s.out_of)));
    for (const problem_spot& s : r.slowest)
        row("Slow", "warn", s,
            fmt::format("median {}{} over {} stays", s.exact ? "" : "&asymp;", esc(human_duration(s.value)),
                        num(s.count)));
    if (rows.empty()) return "<p class=\"note\">Nothing stands out yet (a node needs a few visits to count).</p>\n";
    return "<table><thead><tr><th>Problem</th><th>Node</th><th>Title</th><th>Figure</th></tr></thead><tbody>\n" +
           rows + "</tbody></table>\n";
}

std::string version_table(const tree_report& r) {
    std::string out =
        "<table><thead><tr><th>Version</th><th>File hash</th><th class=\"n\">Sessions</th>"
        "<th class=\"n\">Completed</th><th class=\"n\">Escalated</th><th class=\"n\">Abandoned</th>"
        "<th>First</th><th>Last</th><th></th></tr></thead><tbody>\n";
    for (const version_figures& v : r.versions) {
        std::string note = v.current ? "the current file" : "";
        if (!v.counted) note += std::string(note.empty() ? "" : "; ") + "not counted";
        out += fmt::format(
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
            "<td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            v.version == 0 ? "?" : std::to_string(v.version), esc(v.hash.empty() ? "-" : v.hash), num(v.sessions),
            num(v.completed), num(v.escalated), num(v.abandoned), format_utc_day(v.first_started_ms),
            format_utc_day(v.last_started_ms), esc(note));
    }
    return out + "</tbody></table>\n";
}

std::string agent_table(const tree_report& r) {
    if (r.agents.empty()) return "<p class=\"note\">No sessions.</p>\n";
    std::string out =
        "<table><thead><tr><th>Agent</th><th class=\"n\">Sessions</th><th class=\"n\">Completed</th>"
        "<th class=\"n\">Escalated</th><th class=\"n\">Abandoned</th><th class=\"n\">In progress</th>"
        "<th class=\"n\">Handling median</th>"
        "<th class=\"n\">Back rate</th><th>Outcome mix</th></tr></thead><tbody>\n";
    for (const agent_figures& a : r.agents) {
        std::string mix;
        for (const outcome_figures& o : a.outcomes)
            mix += (mix.empty() ? "" : ", ") + esc(outcome_name(o.status, o.outcome)) + " " + pct(o.share);
        out += fmt::format(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
            esc(a.agent.empty() ? "(no name)" : a.agent), num(a.sessions), num(a.completed), num(a.escalated),
            num(a.abandoned), num(a.active), dwell(a.handling, a.handling.median_ms), a.visits > 0 ? pct(a.back_rate) : "&ndash;",
            mix);
    }
    return out + "</tbody></table>\n";
}

// [SECTION] The page

std::string filters_text(const report_scope& scope) {
    const log_filter& f = scope.filter;
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
    if (!f.agent.empty()) add("agent " + f.agent);
    if (f.since_ms) add("from " + format_utc_time(*f.since_ms) + " UTC");
    if (f.until_ms) add("before " + format_utc_time(*f.until_ms) + " UTC");
    if (scope.tree_version != 0) add(fmt::format("tree version {}", scope.tree_version));
    return out.empty() ? "none" : out;
}

std::string card(const std::string& key, const std::string& value, const char* css = "") {
    return fmt::format("<div class=\"card\"><div class=\"k\">{}</div><div class=\"v {}\">{}</div></div>\n", key, css,
                       value);
}

std::string tree_section(const tree_report& r, const report_context& context) {
    const session_figures& s = r.sessions;
    const std::uint64_t finished = s.completed + s.escalated + s.abandoned;
    // The share, and the count it is of: 50% of 4 calls is not 50% of 4,000.
    auto share = [&](std::uint64_t n) {
        return finished == 0 ? std::string("&ndash;")
                             : pct(static_cast<double>(n) / static_cast<double>(finished)) +
                                   " <span class=\"count\">(" + num(n) + ")</span>";
    };
    std::string out = fmt::format("<section>\n<h1>{}</h1>\n<p class=\"meta\">Tree <code>{}</code>", esc(r.title),
                                  esc(r.tree_id));
    if (r.has_tree) out += fmt::format(", compared with {} (version {})", esc(r.tree_file), r.tree_file_version);
    out += "</p>\n";
    out += fmt::format("<p class=\"meta\">Log {} &middot; filters: {}", esc(context.scope.log_path),
                       esc(filters_text(context.scope)));
    if (s.started > 0)
        out += fmt::format(" &middot; sessions started {} to {} UTC", format_utc_time(s.first_started_ms),
                           format_utc_time(s.last_started_ms));
    out += "</p>\n";

    out += "<div class=\"cards\">\n";
    out += card("Sessions", num(s.started));
    out += card("Completed (of finished)", share(s.completed), "ok");
    out += card("Escalated (of finished)", share(s.escalated), "warn");
    out += card("Abandoned (of finished)", share(s.abandoned), "bad");
    out += card("Handling median", dwell(s.handling, s.handling.median_ms));
    out += card("Handling p90", dwell(s.handling, s.handling.p90_ms));
    out += card("Sessions with Back (of all)", s.started ? pct(static_cast<double>(s.with_back) / static_cast<double>(s.started))
                                                : "&ndash;");
    out += "</div>\n";
    std::string notes;
    if (s.writer_lost > 0)
        notes += fmt::format("{} left open by a player that stopped or fell silent (a crash, power loss, or no "
                             "sign of life for 2 hours): counted as abandoned, \"{}\". ",
                             counted(s.writer_lost, "abandoned session was", "abandoned sessions were"),
                             writer_lost_reason);
    if (s.escalated > 0)
        notes += fmt::format("Escalations by priority: {}. ", esc(priority_mix(s.escalated_by_priority)));
    if (s.active > 0)
        notes += fmt::format("{} still in progress. ", counted(s.active, "session is", "sessions are"));
    if (s.finds > 0)
        notes += fmt::format("Agents moved with find {}; those moves are not counted as links. ",
                             counted(s.finds, "time", "times"));
    bool approximate = !s.handling.exact;
    for (const node_figures& n : r.nodes) approximate = approximate || (n.dwell.count > 0 && !n.dwell.exact);
    if (approximate) notes += "Medians and 90th percentiles marked &asymp; are within 1% (over 1,024 samples). ";
    if (!notes.empty()) out += "<p class=\"note\">" + notes + "</p>\n";

    out += "<h2>How calls end</h2>\n" + outcome_bars(r);

    out += "<h2>Flow of the most frequent paths</h2>\n";
    out += "<p class=\"note\">The top paths from the first step to the end (logic and jump steps left out); band "
           "width is the number of sessions, colour how they ended.</p>\n";
    out += "<div class=\"legend\"><span><span class=\"swatch\" style=\"background:#2e8b57\"></span>completed</span>"
           "<span><span class=\"swatch\" style=\"background:#d9881a\"></span>escalated</span>"
           "<span><span class=\"swatch\" style=\"background:#c8423b\"></span>abandoned</span></div>\n";
    out += path_flow(r, context);

    if (const tree* t = context.tree_for(r.tree_id)) {
        out += "<h2>The tree and its traffic</h2>\n";
        out += "<div class=\"legend\"><span>visits: fewer<span class=\"ramp\"></span>more</span><span>line width: "
               "moves along the link; dashed: never taken</span></div>\n";
        out += tree_drawing(r, *t);
    }

    out += "<h2>Problem spots</h2>\n" + spot_table(r);
    if (!r.abandon_points.empty()) {
        out += "<h3>Where calls end abandoned</h3>\n<table><thead><tr><th>Node</th><th>Title</th>"
               "<th class=\"n\">Abandoned</th><th class=\"n\">Of all abandoned</th></tr></thead><tbody>\n";
        for (const problem_spot& p : r.abandon_points)
            out += fmt::format("<tr><td>{}{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                               esc(qualified_node(r.tree_id, p.tree_id, p.node_id)),
                               p.retired ? " <span class=\"note\">(not in the file)</span>" : "", label(p.title),
                               num(p.count), pct(p.value));
        // The rest, so the rows add up to every abandoned session.
        for (const auto& [what, n] : {std::pair{"(elsewhere)", r.abandoned_elsewhere},
                                      std::pair{"(no step recorded)", r.abandoned_no_step}})
            if (n > 0)
                out += fmt::format("<tr><td>{}</td><td></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n", what,
                                   num(n), pct(static_cast<double>(n) / static_cast<double>(r.sessions.abandoned)));
        out += "</tbody></table>\n";
    }

    out += fmt::format("<h2>Most frequent paths</h2>\n<p class=\"note\">{} distinct complete paths",
                       num(r.distinct_paths));
    if (r.other_path_sessions > 0)
        out += fmt::format("; {} more sessions took paths beyond the first {} and are not ranked",
                           num(r.other_path_sessions), num(r.max_distinct_paths));
    out += ". Steps undone with Back are left out.</p>\n" + path_table(r);

    out += "<h2>Steps</h2>\n<p class=\"note\">Dwell: how long the agent stayed on the step. Reach: share of sessions "
           "that got there. Back rate: share of visits that ended with Back.</p>\n";
    out += node_table(r, r.nodes, false);
    out += "<details><summary>Links (" + num(r.links.size()) + ")</summary>\n" + link_table(r, r.links) + "</details>\n";

    out += "<h2>Tree versions</h2>\n" + version_table(r);
    if (!r.retired_nodes.empty() || !r.retired_links.empty()) {
        out += "<h3>Version drift</h3>\n<p class=\"note\">Recorded by sessions of older versions (or moves by "
               "find) but not in the current file: listed apart, not counted with the steps above.</p>\n";
        if (!r.retired_nodes.empty()) out += node_table(r, r.retired_nodes, true);
        if (!r.retired_links.empty()) out += link_table(r, r.retired_links);
    }
    if (!r.unknown_trees.empty() && r.has_tree) {
        std::string list;
        for (const std::string& t : r.unknown_trees) list += (list.empty() ? "" : ", ") + esc(t);
        out += "<p class=\"note\">Trees jumped into with no file that loads (not checked for drift): " + list + "</p>\n";
    }
    if (context.scope.by_agent) {
        out += "<h2>Agents</h2>\n<p class=\"note\">For coaching, not ranking: sorted by name.</p>\n" + agent_table(r);
    }
    out += "</section>\n";
    return out;
}

}  // namespace

std::string report_html(const std::vector<tree_report>& reports, const report_context& context) {
    std::string title = "Signpost report";
    if (reports.size() == 1) title += " \u2014 " + reports.front().title;
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    // Nothing may be fetched or run: the file is mailed around and opened offline.
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "img-src data:\">\n";
    out += "<title>" + esc(title) + "</title>\n<style>" + page_style + "</style>\n</head>\n<body>\n<main>\n";
    if (reports.empty())
        out += fmt::format("<h1>Signpost report</h1>\n<p>No sessions in {} match (filters: {}).</p>\n",
                           esc(context.scope.log_path), esc(filters_text(context.scope)));
    for (const tree_report& r : reports) out += tree_section(r, context);
    out += fmt::format("<footer>Made by {} from {}. Times are UTC.</footer>\n", esc(context.generated_by),
                       esc(context.scope.log_path));
    out += "</main>\n</body>\n</html>\n";
    return out;
}

}  // namespace signpost::cli
