#include "wrapped_button.hpp"

#include <algorithm>

#include <imgui.h>

namespace signpost::ui {

bool wrapped_button(const std::string& text, const std::string& id, float min_height) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float width = ImGui::GetContentRegionAvail().x;
    const float wrap = std::max(1.0f, width - style.FramePadding.x * 2);
    const ImVec2 text_size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
    const float height = std::max(min_height, text_size.y + style.FramePadding.y * 2);
    const bool clicked = ImGui::Button(id.c_str(), ImVec2(width, height));
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 at(min.x + style.FramePadding.x, min.y + (height - text_size.y) * 0.5f);
    ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), at, ImGui::GetColorU32(ImGuiCol_Text),
                                        text.c_str(), nullptr, wrap);
    return clicked;
}

}  // namespace signpost::ui
