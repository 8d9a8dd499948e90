#include "fonts.hpp"

#include <algorithm>
#include <bitset>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <tuple>
#include <vector>

#include <imgui.h>
#include <stb_truetype.h>

#include "signpost/text.hpp"

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

bool init_font(stbtt_fontinfo& info, const void* data, int index) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    const int offset = bytes ? stbtt_GetFontOffsetForIndex(bytes, index) : -1;
    return offset >= 0 && stbtt_InitFont(&info, bytes, offset);
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
                f.error = "Chinese, Japanese and Korean text is drawn as '?': cannot read " + dir + "/" + file +
                          " (install the Debian package fonts-noto-cjk)";
                return f;
            }
        }
        if (!init_font(f.regular_info, f.regular.data(), cjk_face_index(false)))
            f.error = "cannot read the font in " + dir + "/NotoSansCJK-Regular.ttc";
        return f;
    }();
    return font;
}

// A font's line height (ascent - descent) in ems. ImGui sizes a font by its line height,
// so a CJK font (1.45 em) merged at DejaVu's size (1.16 em) would draw a fifth smaller.
float line_height_in_ems(const stbtt_fontinfo& info) {
    int ascent = 0, descent = 0, gap = 0;
    stbtt_GetFontVMetrics(&info, &ascent, &descent, &gap);
    return static_cast<float>(ascent - descent) * stbtt_ScaleForMappingEmToPixels(&info, 1.0f);
}

// The CJK glyphs one atlas has and wants. load_fonts registers the atlas and its faces.
struct glyph_supply {
    struct face {
        ImFont* font = nullptr;
        bool bold = false;
        bool mono = false;
        float size = 0;         // its pixel size (the ImFont's is 0 until the atlas is built)
        stbtt_fontinfo own{};   // its own (DejaVu) font, to ask which glyphs it lacks
        bool own_ok = false;
        int config = -1;        // its CJK entry in atlas->ConfigData, once added
    };
    ImFontAtlas* atlas = nullptr;
    // Written into the name of the atlas's first font entry: an atlas that does not hold
    // it is not the one this supply was made for (it was cleared, or freed and another
    // came at its address, with fonts at the old fonts' addresses too).
    std::string token;
    std::vector<face> faces;
    std::bitset<0x10000> seen;    // noted once: wanted, added, or not drawable
    std::vector<ImWchar> wanted;  // noted, not yet looked up
    std::vector<ImWchar> added;   // sorted; in the atlas
    std::vector<ImWchar> ranges;  // `added` as ImGui glyph ranges, 0-terminated
    bool kana_added = false;
    bool new_faces = false;  // faces added since the last build, to get the glyphs added so far
    bool full = false;  // the last batch made the atlas too tall: nothing more is added
    int max_texture_size = 16384;
    bool warned_font = false;
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

bool holds_token(const ImFontAtlas* atlas, const std::string& token) {
    return !token.empty() && std::any_of(atlas->ConfigData.begin(), atlas->ConfigData.end(), [&](const ImFontConfig& c) {
               return token == std::string_view(c.Name, strnlen(c.Name, sizeof c.Name));
           });
}

glyph_supply* current_supply() {
    if (!ImGui::GetCurrentContext()) return &early_supply();
    for (auto& s : supplies())
        if (s->atlas == ImGui::GetIO().Fonts) return s.get();
    return nullptr;
}

// Whether the face draws `c` from its own font (in the ranges it was loaded with).
bool drawn_by_own_font(const glyph_supply::face& f, unsigned c) {
    return f.own_ok && (in_ranges(glyph_ranges, c) || in_ranges(extended_ranges, c)) &&
           stbtt_FindGlyphIndex(&f.own, static_cast<int>(c)) != 0;
}

bool is_our_config(const glyph_supply& s, const glyph_supply::face& f, const cjk_font& cjk) {
    if (f.config < 0 || f.config >= s.atlas->ConfigData.Size) return false;
    const ImFontConfig& c = s.atlas->ConfigData[f.config];
    return c.MergeMode && c.DstFont == f.font && (c.FontData == cjk.regular.data() || c.FontData == cjk.bold.data());
}

// Merges the CJK font into a face at the same em, sharing one copy of each file.
void add_cjk_config(glyph_supply& s, glyph_supply::face& f, const cjk_font& cjk) {
    const std::vector<unsigned char>& data = f.bold ? cjk.bold : cjk.regular;
    const float own = f.own_ok ? line_height_in_ems(f.own) : 0;
    ImFontConfig config;
    config.MergeMode = true;
    config.DstFont = f.font;  // not the last font added: every face gets the glyphs
    config.FontNo = cjk_face_index(f.mono);
    config.OversampleH = 1;
    config.OversampleV = 1;
    // "Owned" only while it is added, so the atlas does not copy 20 MB per face; it is
    // ours and never freed by the atlas.
    config.FontDataOwnedByAtlas = true;
    s.atlas->AddFontFromMemoryTTF(const_cast<unsigned char*>(data.data()), static_cast<int>(data.size()),
                                  own > 0 ? f.size * line_height_in_ems(cjk.regular_info) / own : f.size, &config,
                                  s.ranges.data());
    s.atlas->ConfigData.back().FontDataOwnedByAtlas = false;
    f.config = s.atlas->ConfigData.Size - 1;
}

// Chinese and Japanese text brings the kana and CJK punctuation with it, so typing
// through an input method does not rebuild the atlas at every new kana.
bool is_chinese_or_japanese(unsigned c) { return (c >= 0x3000 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF); }

void set_glyph_ranges(glyph_supply& s) {
    s.ranges.clear();
    for (ImWchar c : s.added) {
        if (!s.ranges.empty() && s.ranges.back() + 1 == c) s.ranges.back() = c;
        else s.ranges.insert(s.ranges.end(), {c, c});
    }
    s.ranges.push_back(0);
    for (const glyph_supply::face& f : s.faces) s.atlas->ConfigData[f.config].GlyphRanges = s.ranges.data();
}

// Pasted text is noted like typed text, so its glyphs are there when it is drawn.
const char* read_clipboard_noting_glyphs(void* user_data) {
    const glyph_supply* s = current_supply();
    const char* text = s && s->read_clipboard ? s->read_clipboard(user_data) : nullptr;
    if (text) want_glyphs(text);
    return text;
}

}  // namespace

font_set load_fonts(float base_size, std::string* error) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    font_set f;
    f.size = base_size;
    f.regular = add_face("DejaVuSans.ttf", base_size, error);
    if (!f.regular) f.regular = atlas->AddFontDefault();
    auto or_regular = [&](ImFont* face) { return face ? face : f.regular; };
    f.bold = or_regular(add_face("DejaVuSans-Bold.ttf", base_size, error));
    f.italic = or_regular(add_face("DejaVuSans-Oblique.ttf", base_size, error));
    f.bold_italic = or_regular(add_face("DejaVuSans-BoldOblique.ttf", base_size, error));
    f.heading = or_regular(add_face("DejaVuSans-Bold.ttf", base_size * 1.35f, error));
    f.mono = or_regular(add_face("DejaVuSansMono.ttf", base_size * 0.95f, error));
    ImGui::GetIO().FontDefault = f.regular;

    // The atlas's supply: kept if there is one (fonts loaded again into the same atlas keep
    // the glyphs added so far), else made, with what was noted before there was a window.
    auto& all = supplies();
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s->atlas == atlas; });
    if (it != all.end() && !holds_token(atlas, (*it)->token)) {
        // Another atlas at a freed one's address (or this one cleared): nothing of the old
        // fonts carries over; text noted for it since, and its context's clipboard, do.
        glyph_supply fresh;
        fresh.atlas = atlas;
        fresh.wanted = std::move((*it)->wanted);
        for (ImWchar c : fresh.wanted) fresh.seen[c] = true;
        fresh.read_clipboard = (*it)->read_clipboard;
        **it = std::move(fresh);
    } else if (it == all.end()) {
        it = all.insert(all.end(), std::make_unique<glyph_supply>());
        glyph_supply& early = early_supply();
        (*it)->atlas = atlas;
        (*it)->seen = early.seen;
        (*it)->wanted = std::move(early.wanted);
        early = glyph_supply{};
    }
    glyph_supply& supply = **it;
    if (supply.token.empty()) {
        static int made = 0;
        supply.token = "signpost glyph supply " + std::to_string(++made);
        std::snprintf(atlas->ConfigData[0].Name, sizeof atlas->ConfigData[0].Name, "%s", supply.token.c_str());
    }
    for (auto [font, bold, mono] : {std::tuple{f.regular, false, false}, {f.bold, true, false},
                                    {f.italic, false, false}, {f.bold_italic, true, false},
                                    {f.heading, true, false}, {f.mono, false, true}}) {
        const bool known = std::any_of(supply.faces.begin(), supply.faces.end(),
                                       [&](const glyph_supply::face& g) { return g.font == font; });
        if (!font || known) continue;
        glyph_supply::face face{font, bold, mono};
        for (const ImFontConfig& c : atlas->ConfigData) {
            if (c.DstFont != font || c.MergeMode) continue;
            face.size = c.SizePixels;
            face.own_ok = init_font(face.own, c.FontData, c.FontNo);
            break;
        }
        supply.faces.push_back(face);
        supply.new_faces = !supply.added.empty();
        supply.full = false;  // another size: what fits is measured again
    }
    return f;
}

void want_glyph(unsigned c) {
    // ImWchar is 16 bits in Debian's ImGui: characters past the BMP cannot be drawn.
    if (c < 0x80 || c > 0xFFFF || (c >= 0xD800 && c <= 0xDFFF)) return;
    glyph_supply* s = current_supply();
    if (!s || s->seen[c]) return;
    s->seen[c] = true;
    s->wanted.push_back(static_cast<ImWchar>(c));
}

void want_glyphs(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            ++i;
            continue;
        }
        // A malformed byte is skipped: ImGui draws its replacement character, which the
        // atlas has.
        char32_t c = 0;
        const std::size_t n = decode_utf8(text, i, c);
        if (n) want_glyph(c);
        i += n ? n : 1;
    }
}

void set_max_texture_size(int pixels) {
    if (glyph_supply* s = current_supply(); s && s->atlas && pixels > 0) s->max_texture_size = std::min(pixels, 16384);
}

bool glyphs_wanted() {
    const glyph_supply* s = current_supply();
    return s && s->atlas && !s->wanted.empty();
}

bool add_wanted_glyphs(std::string* warning) {
    glyph_supply* s = current_supply();
    if (!s || !s->atlas || !holds_token(s->atlas, s->token)) return false;
    ImGuiIO& io = ImGui::GetIO();
    // Here rather than in load_fonts: a platform backend sets its clipboard after the fonts.
    if (io.GetClipboardTextFn != &read_clipboard_noting_glyphs) {
        s->read_clipboard = io.GetClipboardTextFn;
        io.GetClipboardTextFn = &read_clipboard_noting_glyphs;
    }
    for (ImWchar c : io.InputQueueCharacters) want_glyph(c);
    if (s->wanted.empty() && !s->new_faces) return false;
    std::vector<ImWchar> wanted;
    wanted.swap(s->wanted);
    // Drawn already: every face has it from its own font (some faces lack a few characters
    // of their ranges, e.g. the monospaced one has no roman numerals).
    std::erase_if(wanted, [&](ImWchar c) {
        return std::all_of(s->faces.begin(), s->faces.end(),
                           [&](const glyph_supply::face& f) { return drawn_by_own_font(f, c); });
    });
    if (wanted.empty() && !s->new_faces) return false;
    const cjk_font& cjk = the_cjk_font();
    if (!cjk.error.empty()) {
        if (warning && !s->warned_font) *warning = cjk.error;
        s->warned_font = true;
        return false;
    }
    if (!s->kana_added && std::any_of(wanted.begin(), wanted.end(), is_chinese_or_japanese)) {
        s->kana_added = true;
        for (unsigned c = 0x3000; c <= 0x30FF; ++c) {
            if (!s->seen[c]) wanted.push_back(static_cast<ImWchar>(c));
            s->seen[c] = true;
        }
    }
    std::erase_if(wanted, [&](ImWchar c) { return stbtt_FindGlyphIndex(&cjk.regular_info, c) == 0; });
    if (s->full) wanted.clear();
    if (wanted.empty() && !s->new_faces) return false;
    s->new_faces = false;
    const std::vector<ImWchar> before = s->added;
    s->added.insert(s->added.end(), wanted.begin(), wanted.end());
    std::sort(s->added.begin(), s->added.end());
    for (glyph_supply::face& f : s->faces)
        if (!is_our_config(*s, f, cjk)) add_cjk_config(*s, f, cjk);
    set_glyph_ranges(*s);
    s->atlas->ClearTexData();
    s->atlas->Build();
    const auto too_large = [&] {
        return s->atlas->TexHeight > s->max_texture_size || s->atlas->TexWidth > s->max_texture_size;
    };
    if (too_large()) {
        // A texture the GPU refuses draws no text at all: this batch is taken back (and all
        // CJK glyphs if that is not enough: faces added at another size get them all), and
        // the characters from here on stay '?' (kept as written, only not drawn).
        s->full = true;
        for (const std::vector<ImWchar>& fewer : {before, std::vector<ImWchar>{}}) {
            s->added = fewer;
            set_glyph_ranges(*s);
            s->atlas->ClearTexData();
            s->atlas->Build();
            if (!too_large()) break;
        }
        if (warning)
            *warning = "more Chinese, Japanese or Korean characters than one font texture holds at this size (" +
                       std::to_string(s->added.size()) + " fit); the rest are drawn as '?'";
    }
    return true;
}

}  // namespace signpost::ui
