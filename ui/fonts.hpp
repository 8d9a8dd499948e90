#pragma once
// The UI fonts: DejaVu from Debian's fonts-dejavu-core, in the faces Markdown needs.

#include <string>

struct ImFont;

namespace signpost::ui {

struct font_set {
    ImFont* regular = nullptr;
    ImFont* bold = nullptr;
    ImFont* italic = nullptr;
    ImFont* bold_italic = nullptr;
    ImFont* heading = nullptr;  // bold, larger
    ImFont* mono = nullptr;
    float size = 0;
};

// Loads the fonts into the current context's atlas at `base_size` pixels (scaled by the
// caller for high-DPI). Faces that are missing fall back to the regular face, and a missing
// regular face falls back to ImGui's built-in font; `error` then says which file was missing.
font_set load_fonts(float base_size, std::string* error = nullptr);

// Where the DejaVu fonts are looked for (SIGNPOST_FONT_DIR overrides).
std::string font_directory();

}  // namespace signpost::ui
