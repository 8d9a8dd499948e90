#include "palette.hpp"

#include <algorithm>
#include <cmath>

namespace signpost::editor {

ImU32 kind_colour(node_kind k) {
    switch (k) {
    case node_kind::question: return IM_COL32(66, 120, 206, 255);
    case node_kind::step: return IM_COL32(46, 150, 140, 255);
    case node_kind::form: return IM_COL32(138, 96, 204, 255);
    case node_kind::logic: return IM_COL32(196, 150, 44, 255);
    case node_kind::jump: return IM_COL32(196, 84, 160, 255);
    case node_kind::escalate: return IM_COL32(222, 104, 52, 255);
    case node_kind::end: return IM_COL32(84, 160, 72, 255);
    }
    return IM_COL32(128, 128, 128, 255);
}

const char* kind_letter(node_kind k) {
    switch (k) {
    case node_kind::question: return "Q";
    case node_kind::step: return "S";
    case node_kind::form: return "F";
    case node_kind::logic: return "L";
    case node_kind::jump: return "J";
    case node_kind::escalate: return "E";
    case node_kind::end: return "X";
    }
    return "?";
}

const char* kind_label(node_kind k) {
    switch (k) {
    case node_kind::question: return "Question";
    case node_kind::step: return "Step";
    case node_kind::form: return "Form";
    case node_kind::logic: return "Logic";
    case node_kind::jump: return "Jump";
    case node_kind::escalate: return "Escalate";
    case node_kind::end: return "End";
    }
    return "Node";
}

ImVec4 severity_colour(severity s) {
    switch (s) {
    case severity::error: return colours::error;
    case severity::warning: return colours::warning;
    case severity::info: return colours::muted;
    }
    return colours::muted;
}

ImU32 heat_colour(double share) {
    const float t = static_cast<float>(std::clamp(share, 0.0, 1.0));
    // Cold blue at 0, yellow at 0.5, hot red at 1.
    const ImVec4 cold(0.20f, 0.36f, 0.70f, 1.0f), mid(0.93f, 0.78f, 0.22f, 1.0f), hot(0.90f, 0.22f, 0.16f, 1.0f);
    auto mix = [](const ImVec4& a, const ImVec4& b, float f) {
        return ImVec4(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f, a.z + (b.z - a.z) * f, 1.0f);
    };
    return ImGui::ColorConvertFloat4ToU32(t < 0.5f ? mix(cold, mid, t * 2) : mix(mid, hot, (t - 0.5f) * 2));
}

void kind_badge(node_kind k, float size) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    const ImVec2 a(p.x, p.y + (line - size) * 0.5f);
    dl->AddRectFilled(a, ImVec2(a.x + size, a.y + size), kind_colour(k), size * 0.25f);
    const char* letter = kind_letter(k);
    const ImVec2 ts = ImGui::CalcTextSize(letter);
    const float scale = size * 0.8f / line;
    dl->AddText(nullptr, ImGui::GetFontSize() * scale,
                ImVec2(a.x + (size - ts.x * scale) * 0.5f, a.y + (size - ts.y * scale) * 0.5f),
                IM_COL32(255, 255, 255, 255), letter);
    ImGui::Dummy(ImVec2(size, line));
}

float table_row_height() { return ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2; }

float whole_rows_height(float room) {
    const float row = table_row_height();
    return room >= row * 2 ? std::floor(room / row) * row : 0.0f;
}

void snap_scroll_to_rows() {
    const float row = table_row_height();
    const float y = ImGui::GetScrollY();
    float snapped = std::round(y / row) * row;
    // The end of the list stays reachable, even if it is not a whole row away.
    if (snapped > ImGui::GetScrollMaxY()) snapped = std::floor(ImGui::GetScrollMaxY() / row) * row;
    if (snapped != y) ImGui::SetScrollY(snapped);
}

}  // namespace signpost::editor
