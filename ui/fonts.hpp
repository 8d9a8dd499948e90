#pragma once
// The UI fonts: DejaVu from Debian's fonts-dejavu-core, in the faces Markdown needs, and
// Chinese, Japanese and Korean glyphs from Noto Sans CJK (fonts-noto-cjk) as text needs them.

#include <string>
#include <string_view>

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

// Where Noto Sans CJK is looked for (SIGNPOST_CJK_FONT_DIR overrides).
std::string cjk_font_directory();

// CJK glyphs are added to the atlas when text that uses them is first noted: a whole CJK
// font is some 40,000 glyphs per face, far more than an atlas holds, and a script uses a
// few hundred. Note text that is drawn (or about to be); text already covered costs a scan.
// Characters no font here draws (right-to-left and shaped scripts, past U+FFFF) stay as
// ImGui's replacement mark.
void want_glyphs(std::string_view utf8);
void want_glyph(unsigned code_point);

// Between frames (not between NewFrame and Render): notes the characters typed since the
// last frame (and has text read from the clipboard noted from now on), then adds every
// wanted glyph a font has and rebuilds the current context's atlas. Returns true when it rebuilt it: the renderer must upload the atlas again.
// `warning` (once per atlas) says when the CJK font could not be read.
bool add_wanted_glyphs(std::string* warning = nullptr);

// The renderer's largest texture side (GL_MAX_TEXTURE_SIZE; at most 16384 is used, 16384
// when not set). CJK glyphs that would make the atlas larger are not added: a texture the
// GPU refuses would draw no text at all.
void set_max_texture_size(int pixels);

// True while noted text waits for add_wanted_glyphs (the window then draws again soon).
bool glyphs_wanted();

}  // namespace signpost::ui
