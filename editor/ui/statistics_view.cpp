#include "statistics_view.hpp"

#include <algorithm>

#include <imgui.h>

#include "editor_app.hpp"
#include "palette.hpp"
#include "signpost/session_log.hpp"
#include "ui/fonts.hpp"

namespace signpost::editor {

bool statistics_view::open(editor_app& app, const std::string& path) {
    m_path = path;
    return reload(app);
}

void statistics_view::close() {
    m_report.reset();
    m_path.clear();
    m_traffic = {};
    m_left_inside.clear();
}

bool statistics_view::reload(editor_app& app) {
    log_reader reader;
    if (const log_result r = reader.open(m_path); !r) {
        m_error = r.error;
        m_report.reset();
        return false;
    }
    // The tree as edited now gives titles and the links never taken.
    auto current = std::make_shared<tree>(app.doc().current());
    current->reindex();
    tree_library library(app.library_folders());
    library.add(current);
    statistics_options options;
    options.current = current;
    options.library = &library;
    log_filter filter;
    filter.tree_id = current->id;
    std::vector<tree_report> reports;
    if (const log_result r = collect_reports(reader, filter, options, reports); !r) {
        m_error = r.error;
        m_report.reset();
        return false;
    }
    m_error.clear();
    m_report.reset();
    for (tree_report& rep : reports)
        if (rep.tree_id == current->id) m_report = std::move(rep);
    if (!m_report) {
        m_report = tree_report{};
        m_report->tree_id = current->id;
    }
    // None of this tree's calls: say which trees the log has calls of (the wrong log, or a
    // tree renamed since), instead of a canvas of links marked "never".
    m_other_trees.clear();
    if (m_report->sessions.started == 0) {
        std::vector<tree_report> all;
        statistics_options any;
        any.library = &library;
        if (collect_reports(reader, {}, any, all))
            for (const tree_report& rep : all) m_other_trees.emplace_back(rep.tree_id, rep.sessions.started);
    }

    // What the canvas needs, keyed by node id of the edited tree.
    // A jump's calls abandoned inside the tree it runs are not on the jump: they are added
    // to its row, or where most calls are left would not show. Only for the one jump into
    // that tree: with two, which of them lost each call is unknown.
    m_left_inside.clear();
    std::map<std::string, std::vector<std::string>> jumps_into;
    for (const node& n : current->nodes)
        if (n.kind == node_kind::jump) jumps_into[n.tree_ref].push_back(n.id);
    for (const auto& [sub, jumps] : jumps_into)
        if (const std::uint64_t inside = m_report->abandoned_in(sub); jumps.size() == 1 && inside > 0)
            m_left_inside[jumps.front()] = {sub, inside};

    m_traffic = {};
    std::uint64_t busiest = 0;
    for (const node_figures& n : m_report->nodes)
        if (n.tree_id == current->id) busiest = std::max(busiest, n.visits);
    for (const node_figures& n : m_report->nodes) {
        if (n.tree_id != current->id || n.visits == 0) continue;
        m_traffic.node_count[n.node_id] = static_cast<long long>(n.visits);
        m_traffic.node_share[n.node_id] = busiest ? double(n.visits) / double(busiest) : 0.0;
    }
    for (const link_figures& l : m_report->links) {
        if (l.to_tree != current->id) continue;
        const auto count = static_cast<long long>(l.transitions);
        if (l.from_tree == current->id) {
            m_traffic.link_count[link_key(l.from, l.to)] += count;
            continue;
        }
        // Back from a jumped-into tree: on the canvas that is the jump node's "then" link.
        for (const node& n : current->nodes)
            if (n.kind == node_kind::jump && n.to == l.to) m_traffic.link_count[link_key(n.id, l.to)] += count;
    }
    for (const auto& [key, count] : m_traffic.link_count) m_traffic.busiest_link = std::max(m_traffic.busiest_link, count);
    return true;
}

namespace {

// A figure column: wide enough for five digits and for its whole header (with the sort
// arrow), so neither is cut.
float figure_width(const char* header) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float arrow = ImGui::GetTextLineHeight() + style.ItemInnerSpacing.x;
    return std::max(ImGui::CalcTextSize("00000").x, ImGui::CalcTextSize(header).x + arrow);
}

}  // namespace

void statistics_view::draw_nodes(editor_app& app, const tree_report& r) {
    const tree& t = app.doc().current();
    // As tall as whole rows fill, scrolled by whole rows (as Problems): no row half shown.
    if (!ImGui::BeginTable("##nodes", 6,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Sortable |
                               ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable,
                           ImVec2(0, whole_rows_height(ImGui::GetContentRegionAvail().y))))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    const ImGuiTableColumnFlags figure = ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_PreferSortDescending;
    ImGui::TableSetupColumn("Node", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Visits", figure | ImGuiTableColumnFlags_DefaultSort, figure_width("Visits"));
    ImGui::TableSetupColumn("Reach", figure, figure_width("Reach"));
    ImGui::TableSetupColumn("Left", figure, figure_width("Left"));
    ImGui::TableSetupColumn("Back", figure, figure_width("Back"));
    ImGui::TableSetupColumn("Stay", figure, figure_width("Stay"));
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
        if (specs->SpecsCount > 0) {
            m_sort_column = specs->Specs[0].ColumnIndex;
            m_sort_ascending = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
        }
        specs->SpecsDirty = false;
    }
    std::vector<const node_figures*> rows;
    for (const node_figures& n : r.nodes)
        if (n.tree_id == r.tree_id || (include_jumped && n.visits > 0)) rows.push_back(&n);
    const auto value = [this](const node_figures* n) -> double {
        switch (m_sort_column) {
        case 2: return n->reach_rate;
        case 3: return double(left(*n));
        case 4: return n->back_rate;
        case 5: return n->dwell.median_ms;
        default: return double(n->visits);
        }
    };
    std::stable_sort(rows.begin(), rows.end(), [&](const node_figures* a, const node_figures* b) {
        if (m_sort_column == 0) return m_sort_ascending ? a->node_id < b->node_id : a->node_id > b->node_id;
        return m_sort_ascending ? value(a) < value(b) : value(a) > value(b);
    });
    std::string clicked;
    for (const node_figures* n : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const bool here = n->tree_id == r.tree_id && t.find(n->node_id);
        std::string label = n->title.empty() || n->title == n->node_id ? n->node_id : n->node_id + "  \xC2\xB7  " + n->title;
        if (n->tree_id != r.tree_id) label = n->tree_id + " / " + label;
        ui::want_glyphs(label);  // a sub-tree's or a retired node's title comes from the log
        if (!here) ImGui::PushStyleColor(ImGuiCol_Text, colours::muted);
        ImGui::PushID(n);
        if (ImGui::Selectable(label.c_str(), here && app.doc().selection().contains(n->node_id),
                              ImGuiSelectableFlags_SpanAllColumns) &&
            here)
            clicked = n->node_id;
        ImGui::PopID();
        if (!here) ImGui::PopStyleColor();
        app.record("stats:" + n->tree_id + "/" + n->node_id);
        ImGui::TableNextColumn();
        ImGui::Text("%llu", static_cast<unsigned long long>(n->visits));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(whole_percent(n->reach_rate).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%llu", static_cast<unsigned long long>(left(*n)));
        if (const auto it = m_left_inside.find(n->node_id); n->tree_id == r.tree_id && it != m_left_inside.end() &&
                                                            ImGui::IsItemHovered())
            ImGui::SetTooltip("%llu abandoned inside %s", static_cast<unsigned long long>(it->second.second),
                              it->second.first.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(whole_percent(n->back_rate).c_str());
        ImGui::TableNextColumn();
        if (n->dwell.count) ImGui::Text("%.0f s", n->dwell.median_ms / 1000.0);
        else ImGui::TextDisabled("-");
    }
    snap_scroll_to_rows();
    ImGui::EndTable();
    if (!clicked.empty()) app.select_and_show(clicked);
}

void statistics_view::draw_side(editor_app& app, const tree_report& r) {
    const tree& t = app.doc().current();
    // Two tabs, so both lists are there at any panel height; each scrolls in whole rows
    // within the panel (as Problems).
    if (!ImGui::BeginTabBar("##stat_side_tabs")) return;
    const bool endings = ImGui::BeginTabItem("Endings");
    app.record("stats:endings");
    if (endings) {
        if (ImGui::BeginTable("##outcomes", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY,
                              ImVec2(0, whole_rows_height(ImGui::GetContentRegionAvail().y)))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("How calls ended", ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn("Share", ImGuiTableColumnFlags_WidthFixed,
                                    std::max(ImGui::CalcTextSize("100%").x, ImGui::CalcTextSize("Share").x));
            ImGui::TableHeadersRow();
            // `part_of`: the row this one splits (named after it for the tests), else null.
            auto row = [&](const std::string& what, double share, const std::string* part_of) {
                const bool part = part_of != nullptr;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ui::want_glyphs(what);
                if (part) ImGui::TextDisabled("%s", what.c_str());
                else ImGui::TextUnformatted(what.c_str());
                app.record("stats:ending:" + (part ? *part_of + " /" : "") + what);
                ImGui::TableNextColumn();
                if (part) ImGui::TextDisabled("%s", whole_percent(share).c_str());
                else ImGui::TextUnformatted(whole_percent(share).c_str());
            };
            for (const outcome_figures& o : r.outcomes) {
                std::string what = std::string(to_string(o.status)) + (o.outcome.empty() ? "" : ": " + o.outcome);
                // A team's escalations by priority, as the text report has them: in its row
                // when they share one, else a muted row per priority under it.
                const std::vector<std::size_t> used = priorities_used(o.by_priority);
                if (used.size() == 1) what += " (" + priority_name(used[0]) + ")";
                row(what, o.share, nullptr);
                if (used.size() < 2) continue;
                for (std::size_t i : used)
                    row("    " + priority_name(i),
                        o.share * static_cast<double>(o.by_priority[i]) / static_cast<double>(o.sessions), &what);
            }
            snap_scroll_to_rows();
            ImGui::EndTable();
        }
        ImGui::EndTabItem();
    }
    const std::string links_title = "Links (" + std::to_string(r.links.size()) + ")###links";
    const bool links = ImGui::BeginTabItem(links_title.c_str());
    app.record("stats:links");
    if (links) {
        if (ImGui::BeginTable("##links", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY,
                              ImVec2(0, whole_rows_height(ImGui::GetContentRegionAvail().y)))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("From \xE2\x86\x92 to", ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn("Moves", ImGuiTableColumnFlags_WidthFixed,
                                    std::max(ImGui::CalcTextSize("00000").x, ImGui::CalcTextSize("Moves").x));
            ImGui::TableHeadersRow();
            std::vector<const link_figures*> links;
            for (const link_figures& l : r.links) links.push_back(&l);
            std::stable_sort(links.begin(), links.end(),
                             [](const link_figures* a, const link_figures* b) { return a->transitions > b->transitions; });
            for (const link_figures* l : links) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                const std::string label = l->from + " \xE2\x86\x92 " + l->to;
                ImGui::PushID(l);
                if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns) &&
                    l->from_tree == r.tree_id && t.find(l->from))
                    app.select_and_show(l->from);
                ImGui::PopID();
                app.record("stats-link:" + l->from + ">" + l->to);
                ImGui::TableNextColumn();
                if (l->transitions) ImGui::Text("%llu", static_cast<unsigned long long>(l->transitions));
                else ImGui::TextColored(colours::warning, "never");
            }
            snap_scroll_to_rows();
            ImGui::EndTable();
        }
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

void statistics_view::draw(editor_app& app) {
    if (!m_report) {
        if (!m_error.empty()) {
            ImGui::PushTextWrapPos(0);
            ui::want_glyphs(m_error);
            ImGui::TextColored(colours::error, "%s", m_error.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::TextWrapped("Open a session log (File > Open statistics...) to see how calls move through this tree.");
        return;
    }
    const tree_report& r = *m_report;
    const session_figures& s = r.sessions;
    if (ImGui::SmallButton("Reload")) reload(app);
    ImGui::SameLine();
    if (ImGui::SmallButton("Close")) {
        close();
        return;
    }
    if (s.started == 0) {
        ImGui::PushTextWrapPos(0);
        std::string message = "This log has no calls of '" + r.tree_id + "'.";
        if (!m_other_trees.empty()) {
            message += " It has calls of: ";
            for (std::size_t i = 0; i < m_other_trees.size(); ++i)
                message += (i ? ", " : "") + m_other_trees[i].first + " (" + std::to_string(m_other_trees[i].second) + ")";
            message += ". Is it the log of another tree, or was this tree's id changed?";
        }
        ui::want_glyphs(message);
        ImGui::TextColored(colours::warning, "%s", message.c_str());
        ImGui::PopTextWrapPos();
        app.record("stats:no-calls");
        return;
    }
    ImGui::SameLine();
    ImGui::Text("%llu calls", static_cast<unsigned long long>(s.started));
    ImGui::SameLine();
    ImGui::TextColored(colours::muted, "(%llu completed, %llu escalated, %llu abandoned)",
                       static_cast<unsigned long long>(s.completed), static_cast<unsigned long long>(s.escalated),
                       static_cast<unsigned long long>(s.abandoned));
    ImGui::Checkbox("On canvas", &show_on_canvas);
    ImGui::SameLine();
    ImGui::Checkbox("Nodes of jumped-into trees", &include_jumped);
    // Beside the boxes when it fits, else on its own lines, wrapped at the panel's edge.
    const char* note = "Left: calls abandoned there (a jump: inside its tree).  Stay: median time on it.";
    const float gap = ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::SameLine(0, gap);
    if (ImGui::CalcTextSize(note).x > ImGui::GetContentRegionAvail().x) ImGui::NewLine();
    ImGui::PushStyleColor(ImGuiCol_Text, colours::muted);
    ImGui::TextWrapped("%s", note);
    ImGui::PopStyleColor();
    app.record("stats:note");
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::BeginChild("##stat_nodes", ImVec2(width * 0.6f, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    draw_nodes(app, r);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##stat_side", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
    draw_side(app, r);
    ImGui::EndChild();
}

}  // namespace signpost::editor
