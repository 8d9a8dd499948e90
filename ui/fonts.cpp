#include "fonts.hpp"

#include <cstdlib>
#include <filesystem>

#include <imgui.h>

namespace signpost::ui {

std::string font_directory() {
    if (const char* dir = std::getenv("SIGNPOST_FONT_DIR"); dir && *dir) return dir;
    return "/usr/share/fonts/truetype/dejavu";
}

namespace {

// Latin, Latin Extended-A, general punctuation (dashes, quotes, bullets, ellipsis),
// currency, arrows, check marks and the replacement character: what service scripts use
// most, rasterised sharper (oversampled).
const ImWchar glyph_ranges[] = {
    0x0020, 0x017F, 0x2000, 0x206F, 0x20A0, 0x20CF, 0x2190, 0x21FF,
    0x2500, 0x257F, 0x25A0, 0x25FF, 0x2713, 0x2717, 0xFFFD, 0xFFFD, 0,
};
// The rest of what DejaVu draws for left-to-right scripts, merged in without
// oversampling to keep the atlas small: Latin Extended-B and Additional (Romanian,
// Vietnamese...), IPA and spacing modifiers, combining accents, Greek, Cyrillic,
// Armenian, Georgian, letterlike symbols, number forms, maths, technical symbols,
// miscellaneous symbols and dingbats. Right-to-left scripts are left out: Dear ImGui
// neither reorders nor shapes them, so their words would read backwards.
const ImWchar extended_ranges[] = {
    0x0180, 0x036F, 0x0370, 0x03FF, 0x0400, 0x052F, 0x0531, 0x058F, 0x10A0, 0x10FF,
    0x1E00, 0x1FFF, 0x2100, 0x23FF, 0x2600, 0x27BF, 0,
};

ImFont* add_face(const std::string& file, float size, std::string* error) {
    const std::string path = font_directory() + "/" + file;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        if (error && error->empty()) *error = "font not found: " + path;
        return nullptr;
    }
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    ImFont* font = ImGui::GetIO().Fonts->AddFontFromFileTTF(path.c_str(), size, &config, glyph_ranges);
    if (!font) return nullptr;
    ImFontConfig merged;
    merged.MergeMode = true;
    merged.OversampleH = 1;
    merged.OversampleV = 1;
    ImGui::GetIO().Fonts->AddFontFromFileTTF(path.c_str(), size, &merged, extended_ranges);
    return font;
}

}  // namespace

font_set load_fonts(float base_size, std::string* error) {
    font_set f;
    f.size = base_size;
    f.regular = add_face("DejaVuSans.ttf", base_size, error);
    if (!f.regular) f.regular = ImGui::GetIO().Fonts->AddFontDefault();
    auto or_regular = [&](ImFont* face) { return face ? face : f.regular; };
    f.bold = or_regular(add_face("DejaVuSans-Bold.ttf", base_size, error));
    f.italic = or_regular(add_face("DejaVuSans-Oblique.ttf", base_size, error));
    f.bold_italic = or_regular(add_face("DejaVuSans-BoldOblique.ttf", base_size, error));
    f.heading = or_regular(add_face("DejaVuSans-Bold.ttf", base_size * 1.35f, error));
    f.mono = or_regular(add_face("DejaVuSansMono.ttf", base_size * 0.95f, error));
    ImGui::GetIO().FontDefault = f.regular;
    return f;
}

}  // namespace signpost::ui
