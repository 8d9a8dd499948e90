#include "headless.hpp"

#include "ui/keys.hpp"

namespace signpost::test {

headless_ui::headless_ui(float width, float height) {
    m_context = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(width, height);
    io.DeltaTime = 1.0f / 60.0f;
    ui::map_keys_like_glfw();
    m_fonts = ui::load_fonts(18.0f);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.MousePos = ImVec2(-1, -1);
}

headless_ui::~headless_ui() { ImGui::DestroyContext(m_context); }

void headless_ui::run(const std::function<void()>& draw) {
    ImGui::SetCurrentContext(m_context);
    // As the window does between frames: glyphs for text noted last frame or just typed.
    if (ui::add_wanted_glyphs()) {
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ImGui::NewFrame();
    if (draw) draw();
    else if (default_draw) default_draw();
    ImGui::Render();
    last_vertex_count = ImGui::GetDrawData()->TotalVtxCount;
}

void headless_ui::frame(const std::function<void()>& draw) { run(draw); }

void headless_ui::press_holding(int key, bool ImGuiIO::*modifier, bool held, const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    io.*modifier = held;
    io.KeysDown[key] = true;
    run(draw);
    io.KeysDown[key] = false;
    io.*modifier = false;
    run(draw);
    run(draw);
}

void headless_ui::press(int key, bool ctrl, const std::function<void()>& draw) {
    press_holding(key, &ImGuiIO::KeyCtrl, ctrl, draw);
}

void headless_ui::press_alt(int key, const std::function<void()>& draw) {
    press_holding(key, &ImGuiIO::KeyAlt, true, draw);
}

void headless_ui::mouse_button(int button, const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    io.MouseDown[button] = true;
    run(draw);
    io.MouseDown[button] = false;
    run(draw);
    run(draw);
}

void headless_ui::click(ImVec2 pos, const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = pos;
    run(draw);
    io.MouseDown[0] = true;
    run(draw);
    io.MouseDown[0] = false;
    run(draw);
    run(draw);
}

void headless_ui::type(const std::string& text, const std::function<void()>& draw) {
    ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
    run(draw);
    run(draw);
}

void headless_ui::drag(ImVec2 a, ImVec2 b, int button, const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = a;
    run(draw);
    io.MouseDown[button] = true;
    run(draw);
    const int steps = 6;
    for (int i = 1; i <= steps; ++i) {
        io.MousePos = ImVec2(a.x + (b.x - a.x) * i / steps, a.y + (b.y - a.y) * i / steps);
        run(draw);
    }
    io.MouseDown[button] = false;
    run(draw);
    run(draw);
}

void headless_ui::move_mouse(ImVec2 pos, const std::function<void()>& draw) {
    ImGui::GetIO().MousePos = pos;
    run(draw);
    run(draw);
}

void headless_ui::wheel(ImVec2 pos, float amount, const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = pos;
    run(draw);
    io.MouseWheel = amount;
    run(draw);
    io.MouseWheel = 0;
    run(draw);
}

}  // namespace signpost::test
