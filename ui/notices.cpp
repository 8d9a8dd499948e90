#include "notices.hpp"

#include <algorithm>

#include <imgui.h>

namespace signpost::ui {

void notice_list::add(const std::string& text) {
    if (text.empty() || std::find(m_added.begin(), m_added.end(), text) != m_added.end()) return;
    m_added.push_back(text);
    m_shown.push_back(text);
}

void notice_list::draw() {
    if (m_shown.empty()) return;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float margin = ImGui::GetFontSize();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x - margin,
                                   viewport->WorkPos.y + viewport->WorkSize.y - margin * 2.5f),
                            ImGuiCond_Always, ImVec2(1, 1));
    ImGui::SetNextWindowBgAlpha(0.97f);
    ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0.85f, 0.62f, 0.18f, 1.0f));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 2.0f);
    ImGui::Begin("##notices", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
    // At most about 26 em wide, and never wider than the window.
    const float width = std::min(ImGui::GetFontSize() * 26, std::max(margin * 4, viewport->WorkSize.x - margin * 4));
    ImGui::PushTextWrapPos(width);
    ImGui::TextColored(ImVec4(0.95f, 0.72f, 0.25f, 1.0f), "Warning");
    for (const std::string& text : m_shown) ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Dismiss")) m_shown.clear();
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

}  // namespace signpost::ui
