#include "outline_view.hpp"

#include <algorithm>
#include <cctype>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "editor_app.hpp"
#include "palette.hpp"

namespace signpost::editor {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

}  // namespace

void outline_view::reset() {
    m_rows_generation = 0;
    m_rows_doc = nullptr;
}

void outline_view::draw(editor_app& app) {
    document& doc = app.doc();
    const tree& t = doc.current();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##outline_filter", "Filter: id, title or text", &filter);
    app.record("outline:filter");

    // The filtered rows are recomputed only when the filter or the tree changed: big trees
    // stay cheap to draw frame after frame.
    if (m_rows_doc != &doc || m_rows_generation != doc.generation() || m_rows_filter != filter) {
        m_rows_doc = &doc;
        m_rows_generation = doc.generation();
        m_rows_filter = filter;
        m_rows.clear();
        const std::string q = lower(filter);
        for (std::size_t i = 0; i < t.nodes.size(); ++i) {
            const node& n = t.nodes[i];
            if (q.empty() || lower(n.id).find(q) != std::string::npos || lower(n.title).find(q) != std::string::npos ||
                lower(n.text).find(q) != std::string::npos)
                m_rows.push_back(i);
        }
    }
    ImGui::TextColored(colours::muted, "%zu of %zu nodes", m_rows.size(), t.nodes.size());

    ImGui::BeginChild("##outline_rows");
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(m_rows.size()));
    const float badge = ImGui::GetTextLineHeight() * 0.9f;
    std::string clicked;
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const node& n = t.nodes[m_rows[static_cast<std::size_t>(r)]];
            ImGui::PushID(n.id.c_str());
            kind_badge(n.kind, badge);
            ImGui::SameLine();
            const std::string label = n.title.empty() ? n.id : n.title + "  \xC2\xB7  " + n.id;
            if (n.id == t.start) ImGui::PushStyleColor(ImGuiCol_Text, colours::ok);
            if (ImGui::Selectable(label.c_str(), doc.selection().contains(n.id))) clicked = n.id;
            if (n.id == t.start) ImGui::PopStyleColor();
            app.record("outline:" + n.id);
            ImGui::PopID();
        }
    }
    ImGui::EndChild();
    if (!clicked.empty()) {
        if (ImGui::GetIO().KeyCtrl) doc.selection().toggle(clicked);
        else app.select_and_show(clicked);
    }
}

}  // namespace signpost::editor
