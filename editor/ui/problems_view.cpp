#include "problems_view.hpp"

#include <cmath>
#include <vector>

#include <imgui.h>

#include "editor_app.hpp"
#include "palette.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"
#include "ui/fonts.hpp"

namespace signpost::editor {

std::string problems_view::summary(const diagnostics& list) {
    int errors = 0, warnings = 0;
    for (const diagnostic& d : list) {
        if (d.level == severity::error) ++errors;
        else if (d.level == severity::warning) ++warnings;
    }
    if (errors == 0 && warnings == 0) return "none";
    std::string s;
    if (errors) s += std::to_string(errors) + (errors == 1 ? " error" : " errors");
    if (warnings) s += (s.empty() ? "" : ", ") + std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
    return s;
}

int problems_view::item_index(const tree& t, const diagnostic& d) {
    if (d.node_id.empty() || d.pos.line == 0) return -1;
    const load_result again = load_tree_string(save_tree_string(t));
    if (!again.loaded) return -1;
    const node* n = again.loaded->find(d.node_id);
    if (!n) return -1;
    for (std::size_t i = 0; i < n->choices.size(); ++i)
        if (n->choices[i].pos.line == d.pos.line) return static_cast<int>(i);
    for (std::size_t i = 0; i < n->branches.size(); ++i)
        if (n->branches[i].pos.line == d.pos.line) return static_cast<int>(i);
    for (std::size_t i = 0; i < n->fields.size(); ++i)
        if (n->fields[i].pos.line == d.pos.line) return static_cast<int>(i);
    return -1;
}

void problems_view::go_to(editor_app& app, const diagnostic& d) {
    document& doc = app.doc();
    field_focus f;
    f.node_id = d.node_id;
    f.field = d.field;
    f.index = item_index(doc.current(), d);
    if (!d.node_id.empty() && doc.current().find(d.node_id)) {
        doc.selection().focus(f);
        app.canvas().request_centre(d.node_id);
    } else {
        doc.selection().clear();
        doc.selection().focus(f);  // tree-level: the inspector shows the tree's fields
    }
}

void problems_view::draw(editor_app& app) {
    document& doc = app.doc();
    if (!app.failed_path().empty()) {
        // A file that did not open at all: its findings are all there is. One that opened
        // with errors: they are also below, as found on the tree now; these are as read.
        const std::string title = (app.failed_fatal() ? app.failed_path() + " could not be opened"
                                                      : app.failed_path() + " as read from the file") +
                                  " (" + summary(app.failed_problems()) + ")###failed";
        ImGui::PushStyleColor(ImGuiCol_Text, app.failed_fatal() ? colours::error : colours::warning);
        const bool open = ImGui::CollapsingHeader(title.c_str(), app.failed_fatal() ? ImGuiTreeNodeFlags_DefaultOpen : 0);
        ImGui::PopStyleColor();
        if (open) {
            for (const diagnostic& d : app.failed_problems()) {
                if (d.level == severity::info) continue;
                ImGui::PushTextWrapPos(0);
                ImGui::TextColored(severity_colour(d.level), "%s", format(d).c_str());
                ImGui::PopTextWrapPos();
            }
            ImGui::Separator();
        }
    }
    const diagnostics& list = doc.problems();
    const std::string counts = summary(list);
    ImGui::TextColored(colours::muted, "%s%s", counts == "none" ? "No problems found" : counts.c_str(),
                       doc.problems_stale() ? "  (checking...)" : "");
    ImGui::SameLine();
    ImGui::Checkbox("Show info", &show_info);
    // Only the rows in view are drawn: a big broken tree can have thousands of findings.
    std::vector<const diagnostic*> rows;
    rows.reserve(list.size());
    for (const diagnostic& d : list)
        if (d.level != severity::info || show_info) rows.push_back(&d);
    // The table scrolls inside the panel, as tall as whole rows fill and scrolled by whole
    // rows: no row is cut by the panel's bottom edge or the header.
    const float table_height = whole_rows_height(ImGui::GetContentRegionAvail().y);
    if (!rows.empty() && ImGui::BeginTable("##problems", 4,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                              ImGuiTableFlags_BordersInnerV,
                          ImVec2(0, table_height))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 4.5f);
        ImGui::TableSetupColumn("Problem", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Node", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 9);
        ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8);
        ImGui::TableHeadersRow();
        const diagnostic* clicked = nullptr;
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(rows.size()));
        while (clipper.Step()) {
            for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
                const diagnostic& d = *rows[static_cast<std::size_t>(row)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(row);
                ImGui::PushStyleColor(ImGuiCol_Text, severity_colour(d.level));
                if (ImGui::Selectable(to_string(d.level), false, ImGuiSelectableFlags_SpanAllColumns)) clicked = &d;
                const bool row_hovered = ImGui::IsItemHovered();
                ImGui::PopStyleColor();
                app.record("problem:" + d.code + (d.node_id.empty() ? "" : ":" + d.node_id));
                ImGui::TableNextColumn();
                // Rows stay one line (the clipper needs equal heights): a message wider
                // than its column is shown whole, wrapped, when its row is hovered.
                ui::want_glyphs(d.message);
                const bool cut = ImGui::CalcTextSize(d.message.c_str()).x > ImGui::GetContentRegionAvail().x;
                ImGui::TextUnformatted(d.message.c_str());
                if (cut && row_hovered) {
                    app.record("problem-tooltip:" + d.code);
                    ImGui::BeginTooltip();
                    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
                    ImGui::TextUnformatted(d.message.c_str());
                    ImGui::PopTextWrapPos();
                    ImGui::EndTooltip();
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.node_id.empty() ? "(tree)" : d.node_id.c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(colours::muted, "%s", d.code.c_str());
                ImGui::PopID();
            }
        }
        snap_scroll_to_rows();
        ImGui::EndTable();
        if (clicked) go_to(app, *clicked);
    }
}

}  // namespace signpost::editor
