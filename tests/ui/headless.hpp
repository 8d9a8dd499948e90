#pragma once
// An ImGui context with no renderer, fed input one frame at a time, for UI tests.
// Follows ImGui's example_null: build the font atlas, set DisplaySize and DeltaTime, then
// NewFrame/Render.

#include <functional>
#include <string>

#include <imgui.h>

#include "ui/fonts.hpp"

namespace signpost::test {

class headless_ui {
public:
    headless_ui(float width = 1280, float height = 800);
    ~headless_ui();
    headless_ui(const headless_ui&) = delete;
    headless_ui& operator=(const headless_ui&) = delete;

    const ui::font_set& fonts() const { return m_fonts; }

    // Runs one frame that draws with `draw`.
    void frame(const std::function<void()>& draw);
    // Runs frames: key down (with Ctrl if asked), key up, and one settling frame.
    void press(int key, bool ctrl = false, const std::function<void()>& draw = {});
    // The same with Alt held (Alt+Left, say).
    void press_alt(int key, const std::function<void()>& draw = {});
    // Moves the mouse to `pos`, presses and releases the left button over three frames.
    void click(ImVec2 pos, const std::function<void()>& draw = {});
    // Presses and releases mouse button `button` where the mouse is (3: a mouse's Back button).
    void mouse_button(int button, const std::function<void()>& draw = {});
    // Queues typed characters and runs a frame.
    void type(const std::string& text, const std::function<void()>& draw = {});
    // Mouse drag from `a` to `b` with the given button over several frames.
    void drag(ImVec2 a, ImVec2 b, int button = 0, const std::function<void()>& draw = {});
    // Moves the mouse without pressing.
    void move_mouse(ImVec2 pos, const std::function<void()>& draw = {});
    void wheel(ImVec2 pos, float amount, const std::function<void()>& draw = {});

    // The function drawn by press/click/type when they are given none.
    std::function<void()> default_draw;
    // Total vertices the last frame produced (something was drawn).
    int last_vertex_count = 0;

private:
    void run(const std::function<void()>& draw);
    // Key down with `modifier` (KeyCtrl, KeyAlt) set to `held`, key up, a settling frame.
    void press_holding(int key, bool ImGuiIO::*modifier, bool held, const std::function<void()>& draw);
    ImGuiContext* m_context = nullptr;
    ui::font_set m_fonts;
};

}  // namespace signpost::test
