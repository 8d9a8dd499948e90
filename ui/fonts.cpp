#include "fonts.hpp"

#include <algorithm>
#include <bitset>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <tuple>
#include <vector>

#include <imgui.h>
#include <stb_truetype.h>

namespace signpost::ui {

std::string font_directory() {
    if (const char* dir = std::getenv("SIGNPOST_FONT_DIR"); dir && *dir) return dir;
    return "/usr/share/fonts/truetype/dejavu";
}

std::string cjk_font_directory() {
    if (const char* dir = std::getenv("SIGNPOST_CJK_FONT_DIR"); dir && *dir) return dir;
    return "/usr/share/fonts/opentype/noto";
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


bool in_ranges(const ImWchar* ranges, unsigned c) {
    for (; ranges[0]; ranges += 2)
        if (c >= ranges[0] && c <= ranges[1]) return true;
    return false;
}

bool right_to_left(unsigned c) {
    return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

// Noto Sans CJK holds one face per region in a collection: Han characters are drawn as
// the reader's region writes them. The region comes from the locale; others get the
// Simplified Chinese forms. The monospaced faces follow the five proportional ones.
int cjk_face_index(bool mono) {
    std::string_view locale;
    for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        if (const char* v = std::getenv(name); v && *v) {
            locale = v;
            break;
        }
    }
    int region = 2;  // SC
    if (locale.starts_with("ja")) region = 0;
    else if (locale.starts_with("ko")) region = 1;
    else if (locale.starts_with("zh_TW")) region = 3;
    else if (locale.starts_with("zh_HK") || locale.starts_with("zh_MO")) region = 4;
    return region + (mono ? 5 : 0);
}

// The CJK font files, read once per process on first need (40 MB: every atlas shares them).
struct cjk_font {
    std::vector<unsigned char> regular, bold;
    stbtt_fontinfo regular_info{};  // the locale's face, to ask which glyphs it has
    std::string error;
};

bool read_file(const std::string& path, std::vector<unsigned char>& out) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return false;
    const std::streamoff size = in.tellg();
    if (size <= 0) return false;
    out.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    return static_cast<bool>(in.read(reinterpret_cast<char*>(out.data()), size));
}

const cjk_font& the_cjk_font() {
    static const cjk_font font = [] {
        cjk_font f;
        const std::string dir = cjk_font_directory();
        for (const auto& [file, data] : {std::pair{"NotoSansCJK-Regular.ttc", &f.regular},
                                         std::pair{"NotoSansCJK-Bold.ttc", &f.bold}}) {
            if (!read_file(dir + "/" + file, *data)) {
                f.error = "cannot read " + dir + "/" + file +
                          "; Chinese, Japanese and Korean text is drawn as '?' (Debian package fonts-noto-cjk)";
                return f;
            }
        }
        const int offset = stbtt_GetFontOffsetForIndex(f.regular.data(), cjk_face_index(false));
        if (offset < 0 || !stbtt_InitFont(&f.regular_info, f.regular.data(), offset))
            f.error = "cannot read the font in " + dir + "/NotoSansCJK-Regular.ttc";
        return f;
    }();
    return font;
}

// The CJK glyphs one atlas has and wants. load_fonts registers the atlas.
struct glyph_supply {
    struct face {
        ImFont* font = nullptr;
        bool bold = false;
        bool mono = false;
    };
    ImFontAtlas* atlas = nullptr;
    std::vector<face> faces;
    std::bitset<0x10000> seen;    // noted once: wanted, added, or not drawable
    std::vector<ImWchar> wanted;  // noted, not yet looked up in the font
    std::vector<ImWchar> added;   // sorted; in the atlas
    std::vector<ImWchar> ranges;  // `added` as ImGui glyph ranges, 0-terminated
    std::vector<int> configs;     // our merged entries in atlas->ConfigData
    bool warned = false;
    const char* (*read_clipboard)(void*) = nullptr;  // the context's own, wrapped
};

std::vector<std::unique_ptr<glyph_supply>>& supplies() {
    static std::vector<std::unique_ptr<glyph_supply>> all;
    return all;
}

// Text noted before there is a window (an app opens its file first) waits here for the
// first atlas load_fonts makes.
glyph_supply& early_supply() {
    static glyph_supply early;
    return early;
}

glyph_supply* current_supply() {
    if (!ImGui::GetCurrentContext()) return &early_supply();
    for (auto& s : supplies())
        if (s->atlas == ImGui::GetIO().Fonts) return s.get();
    return nullptr;
}

glyph_supply& reset_supply(ImFontAtlas* atlas) {
    auto& all = supplies();
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s->atlas == atlas; });
    if (it == all.end()) it = all.insert(all.end(), std::make_unique<glyph_supply>());
    **it = glyph_supply{};
    (*it)->atlas = atlas;
    return **it;
}

// A font's line height (ascent - descent) in ems. ImGui sizes a font by its line height,
// so a CJK font (1.45 em) merged at DejaVu's size (1.16 em) would draw a fifth smaller.
float line_height_in_ems(const stbtt_fontinfo& info) {
    int ascent = 0, descent = 0, gap = 0;
    stbtt_GetFontVMetrics(&info, &ascent, &descent, &gap);
    return static_cast<float>(ascent - descent) * stbtt_ScaleForMappingEmToPixels(&info, 1.0f);
}

// The size to merge the CJK font at into `face` so both have the same em.
float cjk_size_for(const ImFontAtlas* atlas, const ImFont* face, const cjk_font& cjk) {
    for (const ImFontConfig& c : atlas->ConfigData) {
        if (c.DstFont != face || c.MergeMode) continue;
        const float size = c.SizePixels;  // the face's FontSize is 0 until the atlas is built
        const auto* data = static_cast<const unsigned char*>(c.FontData);
        stbtt_fontinfo info{};
        const int offset = stbtt_GetFontOffsetForIndex(data, c.FontNo);
        if (offset < 0 || !stbtt_InitFont(&info, data, offset)) break;
        const float own = line_height_in_ems(info);
        return own > 0 ? size * line_height_in_ems(cjk.regular_info) / own : size;
    }
    return face->FontSize;
}

// Merges the CJK font into every face (once), sharing one copy of each file.
void add_cjk_configs(glyph_supply& s, const cjk_font& cjk) {
    ImFontAtlas* atlas = s.atlas;
    for (const glyph_supply::face& f : s.faces) {
        const std::vector<unsigned char>& data = f.bold ? cjk.bold : cjk.regular;
        ImFontConfig config;
        config.MergeMode = true;
        config.DstFont = f.font;  // not the last font added: every face gets the glyphs
        config.FontNo = cjk_face_index(f.mono);
        config.OversampleH = 1;
        config.OversampleV = 1;
        config.FontDataOwnedByAtlas = false;
        atlas->AddFontFromMemoryTTF(const_cast<unsigned char*>(data.data()), static_cast<int>(data.size()), cjk_size_for(atlas, f.font, cjk), &config,
                                    s.ranges.data());
        // The atlas copies data it does not own; one copy of a 20 MB file per face is
        // too many, so the entry points back at ours.
        ImFontConfig& added = atlas->ConfigData.back();
        if (added.FontData != data.data()) {
            ImGui::MemFree(added.FontData);
            added.FontData = const_cast<unsigned char*>(data.data());  // never written
            added.FontDataOwnedByAtlas = false;
        }
        s.configs.push_back(atlas->ConfigData.Size - 1);
    }
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

    glyph_supply& supply = reset_supply(ImGui::GetIO().Fonts);
    for (auto [font, bold, mono] : {std::tuple{f.regular, false, false}, {f.bold, true, false},
                                    {f.italic, false, false}, {f.bold_italic, true, false},
                                    {f.heading, true, false}, {f.mono, false, true}}) {
        const bool known = std::any_of(supply.faces.begin(), supply.faces.end(),
                                       [&](const glyph_supply::face& g) { return g.font == font; });
        if (font && !known) supply.faces.push_back({font, bold, mono});
    }
    supply.seen = early_supply().seen;
    supply.wanted = std::move(early_supply().wanted);
    early_supply() = glyph_supply{};
    return f;
}

void want_glyph(unsigned c) {
    // ImWchar is 16 bits in Debian's ImGui: characters past the BMP cannot be drawn.
    if (c < 0x80 || c > 0xFFFF) return;
    glyph_supply* s = current_supply();
    if (!s || s->seen[c]) return;
    s->seen[c] = true;
    if (in_ranges(glyph_ranges, c) || in_ranges(extended_ranges, c) || right_to_left(c)) return;
    if (c >= 0xD800 && c <= 0xDFFF) return;
    s->wanted.push_back(static_cast<ImWchar>(c));
}

void want_glyphs(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        if (*p < 0x80) {
            ++p;
            continue;
        }
        // Malformed sequences are skipped a byte at a time: what is drawn for them is
        // ImGui's replacement character, which the atlas has.
        unsigned c = 0;
        int n = 0;
        if ((*p & 0xE0) == 0xC0) c = *p & 0x1F, n = 1;
        else if ((*p & 0xF0) == 0xE0) c = *p & 0x0F, n = 2;
        else if ((*p & 0xF8) == 0xF0) c = *p & 0x07, n = 3;
        else {
            ++p;
            continue;
        }
        if (end - p <= n) break;
        bool ok = true;
        for (int i = 1; i <= n; ++i) {
            if ((p[i] & 0xC0) != 0x80) ok = false;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (!ok) {
            ++p;
            continue;
        }
        want_glyph(c);
        p += n + 1;
    }
}

bool glyphs_wanted() {
    const glyph_supply* s = current_supply();
    return s && s->atlas && !s->wanted.empty();
}

namespace {

// Pasted text is noted like typed text, so its glyphs are there when it is drawn.
const char* read_clipboard_noting_glyphs(void* user_data) {
    const glyph_supply* s = current_supply();
    const char* text = s && s->read_clipboard ? s->read_clipboard(user_data) : nullptr;
    if (text) want_glyphs(text);
    return text;
}

}  // namespace

bool add_wanted_glyphs(std::string* warning) {
    glyph_supply* s = current_supply();
    if (!s || !s->atlas) return false;
    ImGuiIO& io = ImGui::GetIO();
    // Here rather than in load_fonts: a platform backend sets its clipboard after the fonts.
    if (io.GetClipboardTextFn != &read_clipboard_noting_glyphs) {
        s->read_clipboard = io.GetClipboardTextFn;
        io.GetClipboardTextFn = &read_clipboard_noting_glyphs;
    }
    for (ImWchar c : io.InputQueueCharacters) want_glyph(c);
    if (s->wanted.empty()) return false;
    std::vector<ImWchar> wanted;
    wanted.swap(s->wanted);
    const cjk_font& cjk = the_cjk_font();
    if (!cjk.error.empty()) {
        if (warning && !s->warned) *warning = cjk.error;
        s->warned = true;
        return false;
    }
    std::erase_if(wanted, [&](ImWchar c) { return stbtt_FindGlyphIndex(&cjk.regular_info, c) == 0; });
    if (wanted.empty()) return false;
    s->added.insert(s->added.end(), wanted.begin(), wanted.end());
    std::sort(s->added.begin(), s->added.end());
    s->ranges.clear();
    for (ImWchar c : s->added) {
        if (!s->ranges.empty() && s->ranges.back() + 1 == c) s->ranges.back() = c;
        else s->ranges.insert(s->ranges.end(), {c, c});
    }
    s->ranges.push_back(0);
    if (s->configs.empty()) add_cjk_configs(*s, cjk);
    for (int i : s->configs) s->atlas->ConfigData[i].GlyphRanges = s->ranges.data();
    s->atlas->ClearTexData();
    s->atlas->Build();
    return true;
}

}  // namespace signpost::ui
