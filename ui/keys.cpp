#include "keys.hpp"

#include <imgui.h>

namespace signpost::ui {

void map_keys_like_glfw() {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_Tab] = key::tab;
    io.KeyMap[ImGuiKey_LeftArrow] = key::left;
    io.KeyMap[ImGuiKey_RightArrow] = key::right;
    io.KeyMap[ImGuiKey_UpArrow] = key::up;
    io.KeyMap[ImGuiKey_DownArrow] = key::down;
    io.KeyMap[ImGuiKey_PageUp] = key::page_up;
    io.KeyMap[ImGuiKey_PageDown] = key::page_down;
    io.KeyMap[ImGuiKey_Home] = key::home;
    io.KeyMap[ImGuiKey_End] = key::end;
    io.KeyMap[ImGuiKey_Insert] = key::insert;
    io.KeyMap[ImGuiKey_Delete] = key::del;
    io.KeyMap[ImGuiKey_Backspace] = key::backspace;
    io.KeyMap[ImGuiKey_Space] = key::space;
    io.KeyMap[ImGuiKey_Enter] = key::enter;
    io.KeyMap[ImGuiKey_Escape] = key::escape;
    io.KeyMap[ImGuiKey_KeyPadEnter] = key::keypad_enter;
    io.KeyMap[ImGuiKey_A] = letter('A');
    io.KeyMap[ImGuiKey_C] = letter('C');
    io.KeyMap[ImGuiKey_V] = letter('V');
    io.KeyMap[ImGuiKey_X] = letter('X');
    io.KeyMap[ImGuiKey_Y] = letter('Y');
    io.KeyMap[ImGuiKey_Z] = letter('Z');
}

}  // namespace signpost::ui
