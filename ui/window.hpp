#pragma once
// The GLFW + OpenGL 3 window shared by the player and the editor: poll, new frame, draw,
// render. Everything drawn is decided by the `frame` callback; this file knows nothing of
// trees or sessions.

#include <functional>
#include <string>
#include <vector>

#include "fonts.hpp"
#include "scripted_input.hpp"

namespace signpost::ui {

struct window_options {
    std::string title;
    int width = 1280;
    int height = 800;
    std::string screenshot;              // when set: play `after`, render, write PNG, exit
    std::vector<scripted_input> after;
    float font_size = 18.0f;
    // Called once when a stop signal arrives (see stop_signal.hpp), before the window
    // closes without asking: the last chance to keep what would be lost.
    std::function<void(int signal)> on_stop;
};

struct frame_context {
    const font_set& fonts;
    bool& quit_requested;  // set to ask the window to close
    std::string title = {};  // when set, the window's title follows it (e.g. an unsaved marker)
};

// Opens the window and runs until it is closed (or a stop signal arrives: the exit code is
// then 128 + the signal, as a shell reports a killed program). `frame` draws one frame of UI.
// `should_close` is asked when the user closes the window; returning false keeps it open
// (e.g. to show an unsaved-changes prompt). Returns the process exit code; on failure to
// open a display prints a one-line error (mentioning `no_display_hint`) and returns 2.
int run_window(const window_options& options, const std::function<void(frame_context&)>& frame,
               const std::function<bool()>& should_close, const std::string& no_display_hint);

// Writes the current OpenGL framebuffer (width x height) as a PNG. Returns an error or "".
std::string write_framebuffer_png(const std::string& path, int width, int height);

}  // namespace signpost::ui
