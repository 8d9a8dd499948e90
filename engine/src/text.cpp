#include "signpost/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

namespace signpost {

namespace {

bool is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// Length of a `{name}` reference starting at `i` (which holds '{'), or 0 if there is none.
std::size_t reference_length(std::string_view text, std::size_t i) {
    std::size_t k = i + 1;
    if (k >= text.size() || !is_name_start(text[k])) return 0;
    while (k < text.size() && is_name_char(text[k])) ++k;
    return k < text.size() && text[k] == '}' ? k + 1 - i : 0;
}

void append_replacement(std::string& out) { out += "\xEF\xBF\xBD"; }  // U+FFFD

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        // Fast path for ASCII runs, most of a tree: sixteen bytes at a time with no high bit.
        if (i + 16 <= s.size()) {
            std::uint64_t w[2];
            std::memcpy(w, s.data() + i, 16);
            if (((w[0] | w[1]) & 0x8080808080808080u) == 0) {
                i += 16;
                continue;
            }
        }
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        char32_t cp = 0;
        const std::size_t n = decode_utf8(s, i, cp);
        if (n == 0) return i;
        i += n;
    }
    return std::nullopt;
}

namespace {

struct code_range {
    char32_t first, last;
};

bool in_table(const code_range* table, std::size_t n, char32_t c) {
    const code_range* end = table + n;
    const code_range* r = std::upper_bound(table, end, c, [](char32_t v, const code_range& x) { return v < x.first; });
    return r != table && c <= (r - 1)->last;
}

// Zero width: combining marks, Hangul medial vowels and final consonants, kana voicing
// marks, zero-width spaces, joiners and marks, variation selectors, the byte order mark.
constexpr code_range zero_width[] = {
    {0x0300, 0x036F}, {0x1160, 0x11FF}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF},
};

// Wide (Unicode's East Asian Width W and F): Hangul initial consonants and syllables, the
// emoji presentation symbols, CJK radicals to Yi, compatibility ideographs, vertical and
// fullwidth forms, emoji, the supplementary ideographic planes.
constexpr code_range wide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x3098},   {0x309B, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF},
    {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x3FFFD},
};

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
        cp = lead;
        return 1;
    }
    std::size_t length = 0;
    char32_t min = 0;
    if ((lead & 0xE0u) == 0xC0u) {
        length = 2, cp = lead & 0x1Fu, min = 0x80;
    } else if ((lead & 0xF0u) == 0xE0u) {
        length = 3, cp = lead & 0x0Fu, min = 0x800;
    } else if ((lead & 0xF8u) == 0xF0u) {
        length = 4, cp = lead & 0x07u, min = 0x10000;
    } else {
        return 0;  // continuation byte without a lead, or 0xF8..0xFF
    }
    if (s.size() - i < length) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return length;
}

int display_width(char32_t c) {
    if (in_table(zero_width, std::size(zero_width), c)) return 0;
    if (in_table(wide, std::size(wide), c)) return 2;
    return 1;
}

std::size_t display_width(std::string_view text) {
    std::size_t columns = 0;
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = 0;
        const std::size_t n = decode_utf8(text, i, c);
        columns += n ? static_cast<std::size_t>(display_width(c)) : 1;
        i += n ? n : 1;
    }
    return columns;
}

std::string_view fit_display_width(std::string_view text, std::size_t columns) {
    std::size_t used = 0;
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = 0;
        const std::size_t n = decode_utf8(text, i, c);
        const std::size_t w = n ? static_cast<std::size_t>(display_width(c)) : 1;
        if (used + w > columns) return text.substr(0, i);
        used += w;
        i += n ? n : 1;
    }
    return text;
}

std::vector<brace_group> find_brace_groups(std::string_view text) {
    std::vector<brace_group> out;
    for (std::size_t i = text.find('{'); i != std::string_view::npos; i = text.find('{', i)) {
        if (i + 1 < text.size() && text[i + 1] == '{') {
            // `{{name}` but not `{{name}}` (the braces, written as meant).
            if (const std::size_t n = reference_length(text, i + 1);
                n > 0 && !(i + 1 + n < text.size() && text[i + 1 + n] == '}'))
                out.push_back({text.substr(i + 2, n - 2), i, true});
            i += 2;
            continue;
        }
        if (reference_length(text, i) > 0) {
            ++i;
            continue;
        }
        const std::size_t close = text.find_first_of("{}\n", i + 1);
        if (close != std::string_view::npos && text[close] == '}' && close - i - 1 <= 64 && close > i + 1)
            out.push_back({text.substr(i + 1, close - i - 1), i, false});
        i = close == std::string_view::npos ? text.size() : close;
    }
    return out;
}

std::vector<text_reference> find_references(std::string_view text) {
    std::vector<text_reference> out;
    // Only '{' can start a reference ("}}" is a literal brace that never holds one), so the
    // search jumps from one '{' to the next.
    for (std::size_t i = text.find('{'); i != std::string_view::npos; i = text.find('{', i)) {
        if (i + 1 < text.size() && text[i + 1] == '{') {
            i += 2;  // literal brace
        } else if (const std::size_t n = reference_length(text, i); n > 0) {
            out.push_back({text.substr(i + 1, n - 2), i});
            i += n;
        } else {
            ++i;
        }
    }
    return out;
}

namespace {
// Ends with a full stop, question or exclamation mark, or an ellipsis ("..." or U+2026).
bool ends_sentence(std::string_view s) {
    if (s.empty()) return false;
    const char last = s.back();
    return last == '.' || last == '?' || last == '!' || s.ends_with("\xE2\x80\xA6");
}
}  // namespace

std::string interpolate(std::string_view text,
                        const std::function<std::optional<std::string>(std::string_view)>& lookup) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
            out += c;
            i += 2;
            continue;
        }
        if (c == '{') {
            if (const std::size_t n = reference_length(text, i); n > 0) {
                const auto name = text.substr(i + 1, n - 2);
                if (auto replacement = lookup ? lookup(name) : std::nullopt) {
                    out += *replacement;
                    i += n;
                    // "Scope: {scope}." with a typed scope that ends a sentence would read
                    // "signs off.." : the value's own stop stands for the text's (not an
                    // ellipsis, which is the author's).
                    if (ends_sentence(*replacement) && i < text.size() && text[i] == '.' &&
                        (i + 1 == text.size() || text[i + 1] != '.'))
                        ++i;
                    continue;
                }
                out += text.substr(i, n);
                i += n;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return out;
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string neutralise_controls(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        const std::size_t n = decode_utf8(text, i, cp);
        if (n == 0) {
            append_replacement(out);  // one replacement per invalid byte
            ++i;
            continue;
        }
        const bool control = (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F ||
                             (cp >= 0x80 && cp <= 0x9F);
        if (control)
            append_replacement(out);  // ESC included: a sequence's remaining bytes are harmless text
        else
            out += text.substr(i, n);
        i += n;
    }
    return out;
}

void append_json_string(std::string& out, std::string_view s, bool html_safe) {
    static constexpr const char* hex = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80) {
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                case '\b': out += "\\b"; break;
                case '\f': out += "\\f"; break;
                default:
                    if (u < 0x20 || (html_safe && (c == '<' || u == 0x7f))) {
                        out += "\\u00";
                        out += hex[u >> 4];
                        out += hex[u & 0xf];
                    } else {
                        out += c;
                    }
            }
            ++i;
            continue;
        }
        char32_t cp = 0;
        const std::size_t len = decode_utf8(s, i, cp);
        if (len == 0) {
            append_replacement(out);
            ++i;
        } else if (cp == 0x2028 || cp == 0x2029) {
            out += cp == 0x2028 ? "\\u2028" : "\\u2029";
            i += len;
        } else {
            out.append(s.substr(i, len));
            i += len;
        }
    }
    out += '"';
}

namespace {

// The repetition a quantifier starting at `i` allows, and its length (0 = not a quantifier).
struct quantifier {
    std::size_t length = 0;
    bool repeats = false;   // may match its operand more than once
    bool variable = false;  // may match a varying number of times (so the engine must guess)
    unsigned long copies = 1;  // how many copies of its operand a regex engine builds: {n,m} makes m
};
quantifier read_quantifier(std::string_view p, std::size_t i) {
    quantifier q;
    if (i >= p.size()) return q;
    const char c = p[i];
    if (c == '*' || c == '+') q = {1, true, true};
    else if (c == '?') q = {1, false, true};
    else if (c == '{') {
        // {n}, {n,} or {n,m}; anything else is a literal brace.
        auto digits = [&](std::size_t& k, unsigned long& out) {
            const std::size_t from = k;
            out = 0;
            while (k < p.size() && p[k] >= '0' && p[k] <= '9') {
                if (out < 100000) out = out * 10 + static_cast<unsigned long>(p[k] - '0');
                ++k;
            }
            return k > from;
        };
        std::size_t k = i + 1;
        unsigned long min = 0, max = 0;
        if (!digits(k, min)) return q;
        bool unbounded = false;
        max = min;
        if (k < p.size() && p[k] == ',') {
            ++k;
            if (!digits(k, max)) unbounded = true;
        }
        if (k >= p.size() || p[k] != '}') return q;
        // A minimum above the maximum ({99999999999,1}) is an error, but std::regex reads the
        // number first (overflowing int): it counts as big as it is.
        q = {k + 1 - i, unbounded || max > 1, unbounded || max > min, std::max({1ul, unbounded ? min + 1 : max, min})};
    }
    if (q.length && i + q.length < p.size() && p[i + q.length] == '?') ++q.length;  // lazy form
    return q;
}

}  // namespace

// Element text as authors mean it, so text may be indented with the XML.
std::string normalise_element_text(std::string_view raw) {
    // Calls `each(line)` for every line, trailing blanks removed; two passes over the lines
    // (measure, then copy) instead of a list of them: this runs for every text in a tree.
    const auto for_lines = [raw](auto&& each) {
        for (std::size_t start = 0;;) {
            const std::size_t nl = raw.find('\n', start);
            std::string_view line = raw.substr(start, nl == std::string_view::npos ? raw.npos : nl - start);
            while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
                line.remove_suffix(1);
            each(line);
            if (nl == std::string_view::npos) return;
            start = nl + 1;
        }
    };
    std::size_t count = 0;
    std::size_t first = 0;  // first and one past the last non-empty line
    std::size_t last = 0;
    std::string_view common;
    bool have_common = false;
    for_lines([&](std::string_view line) {
        ++count;
        if (line.empty()) return;
        if (!have_common) first = count - 1;
        last = count;
        const auto lead = line.substr(0, line.find_first_not_of(" \t"));
        if (!have_common) {
            common = lead;
            have_common = true;
            return;
        }
        std::size_t k = 0;
        while (k < common.size() && k < lead.size() && common[k] == lead[k]) ++k;
        common = common.substr(0, k);
    });
    if (!have_common) return {};

    std::string out;
    out.reserve(raw.size());
    std::size_t i = 0;
    for_lines([&](std::string_view line) {
        const std::size_t index = i++;
        if (index < first || index >= last) return;
        if (index > first) out += '\n';
        if (!line.empty()) out += line.substr(common.size());
    });
    return out;
}

std::optional<std::string> pattern_risk(std::string_view p) {
    // Per open group: does its body contain a variable repetition, and how many pieces
    // (characters, classes) its body makes once counted repeats are copied out.
    struct group {
        bool varies = false;
        unsigned long size = 0;
    };
    // std::regex copies the operand of {n} n times (and its own int maths overflows on a
    // huge n): past this, a pattern costs megabytes and seconds before matching anything.
    static constexpr unsigned long max_expanded = 20'000;
    const auto too_big = [] {
        return fmt::format("its repeat counts ({{n}}, {{n,m}}) multiply out to more than {} pieces; use smaller "
                           "counts, or + and * instead",
                           max_expanded);
    };
    auto add = [&](group& g, unsigned long size, unsigned long copies) {
        // size <= max_expanded + 1 and copies < 10^6: the product fits 64 bits anywhere.
        g.size += static_cast<unsigned long>(
            std::min<std::uint64_t>(std::uint64_t{size} * copies, std::uint64_t{max_expanded} + 1));
        return g.size > max_expanded;
    };
    std::vector<group> groups{{}};
    for (std::size_t i = 0; i < p.size();) {
        const char c = p[i];
        std::size_t atom = 0;  // length of a one-piece operand starting at i
        if (c == '\\') {
            if (i + 1 < p.size() && p[i + 1] >= '1' && p[i + 1] <= '9')
                return "backreferences like \\" + std::string(1, p[i + 1]) +
                       " can take exponential time; match the text without referring back";
            atom = 2;
        } else if (c == '[') {  // a character class: quantifier characters are literal inside
            std::size_t k = i + 1;
            while (k < p.size() && p[k] != ']') k += p[k] == '\\' ? 2 : 1;
            atom = std::min(k + 1, p.size()) - i;
        } else if (c == '(') {
            groups.push_back({});
            ++i;
            if (i < p.size() && p[i] == '?') i += 2;  // (?:  (?=  (?!  are not quantifiers
            continue;
        } else if (c == ')' && groups.size() > 1) {
            const group inner = groups.back();
            groups.pop_back();
            const quantifier q = read_quantifier(p, i + 1);
            if (inner.varies && q.repeats)
                return "nested repetition like (a+)+ can take exponential time; remove the inner or outer "
                       "repetition";
            groups.back().varies = groups.back().varies || inner.varies || (q.variable && q.repeats);
            if (add(groups.back(), std::max(1ul, inner.size), q.copies)) return too_big();
            i += 1 + q.length;
            continue;
        } else if (read_quantifier(p, i).length == 0) {
            atom = 1;
        }
        i += atom;
        const quantifier q = read_quantifier(p, i);
        if (q.length) {
            if (q.variable && q.repeats) groups.back().varies = true;  // a lone ? is harmless
            i += q.length;
        }
        if (atom && add(groups.back(), 1, q.copies)) return too_big();
        if (!atom && !q.length) ++i;
    }
    return std::nullopt;
}

}  // namespace signpost
