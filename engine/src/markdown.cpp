#include "signpost/markdown.hpp"

#include <md4c.h>

#include <cstdint>
#include <string>
#include <vector>

#include "signpost/text.hpp"

namespace signpost {

namespace {

// CommonMark, with raw HTML read as plain text (scripts are shown to agents, never as
// HTML) and without indented code blocks: authors indent text inside XML, and a stray
// four-space indent should not turn a sentence into code. Fenced code still works.
constexpr unsigned parse_flags = MD_DIALECT_COMMONMARK | MD_FLAG_NOHTML | MD_FLAG_NOINDENTEDCODEBLOCKS;

char32_t first_code_point(std::string_view s) {
    char32_t cp = 0;
    return !s.empty() && decode_utf8(s, 0, cp) > 0 ? cp : 0;
}
char32_t last_code_point(std::string_view s) {
    std::size_t at = s.size();
    while (at > 0 && (static_cast<unsigned char>(s[at - 1]) & 0xC0) == 0x80) --at;
    if (at == 0) return 0;
    char32_t cp = 0;
    return decode_utf8(s, at - 1, cp) > 0 ? cp : 0;
}
// Chinese ideographs, kana, CJK and full-width punctuation: written without spaces.
bool unspaced_script(char32_t c) {
    return (c >= 0x3000 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2FFFF);
}

// md4c reports entities ("&amp;", "&#233;") verbatim; the common ones are decoded, any
// other named entity is kept as written (better than dropping it).
std::string decode_entity(std::string_view e) {
    std::string out;
    if (e.size() >= 4 && e.front() == '&' && e[1] == '#' && e.back() == ';') {
        std::string_view digits = e.substr(2, e.size() - 3);
        int base = 10;
        if (!digits.empty() && (digits.front() == 'x' || digits.front() == 'X')) {
            base = 16;
            digits.remove_prefix(1);
        }
        std::uint32_t cp = 0;
        bool valid = !digits.empty() && digits.size() <= 8;
        for (char c : digits) {
            int d = -1;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
            if (d < 0) {
                valid = false;
                break;
            }
            cp = cp * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(d);
        }
        if (valid) {
            append_utf8(out, cp);
            return out;
        }
        return std::string(e);
    }
    struct named {
        std::string_view name;
        std::uint32_t cp;
    };
    static constexpr named table[] = {
        {"&amp;", '&'},       {"&lt;", '<'},        {"&gt;", '>'},        {"&quot;", '"'},
        {"&apos;", '\''},     {"&nbsp;", 0xA0},     {"&copy;", 0xA9},     {"&reg;", 0xAE},
        {"&trade;", 0x2122},  {"&hellip;", 0x2026}, {"&mdash;", 0x2014},  {"&ndash;", 0x2013},
        {"&euro;", 0x20AC},   {"&pound;", 0xA3},    {"&laquo;", 0xAB},    {"&raquo;", 0xBB},
        {"&lsquo;", 0x2018},  {"&rsquo;", 0x2019},  {"&ldquo;", 0x201C},  {"&rdquo;", 0x201D},
        {"&middot;", 0xB7},   {"&bull;", 0x2022},   {"&rarr;", 0x2192},   {"&larr;", 0x2190},
        {"&deg;", 0xB0},      {"&times;", 0xD7},
    };
    for (const auto& n : table) {
        if (n.name == e) {
            append_utf8(out, n.cp);
            return out;
        }
    }
    return std::string(e);
}

std::string attribute_text(const MD_ATTRIBUTE& a) {
    std::string out;
    if (a.text == nullptr) return out;
    if (a.substr_offsets == nullptr || a.substr_types == nullptr) return std::string(a.text, a.size);
    for (int i = 0; a.substr_offsets[i] < a.size; ++i) {
        std::string_view part(a.text + a.substr_offsets[i], a.substr_offsets[i + 1] - a.substr_offsets[i]);
        switch (a.substr_types[i]) {
            case MD_TEXT_ENTITY: out += decode_entity(part); break;
            case MD_TEXT_NULLCHAR: out += "\xEF\xBF\xBD"; break;
            default: out += part; break;
        }
    }
    return out;
}

struct builder {
    struct list_state {
        bool ordered = false;
        int next_number = 1;
    };
    std::vector<md_block> blocks;
    std::vector<list_state> lists;
    // Indices into `blocks` of the blocks text goes to, innermost last.
    std::vector<std::size_t> open;
    // Set when a list item was just opened and has no text yet: its first paragraph
    // (loose lists wrap item text in <p>) is the item's own text, not a new block.
    bool fresh_item = false;
    int bold = 0, italic = 0, code = 0;
    std::vector<std::string> links;

    int depth() const { return lists.empty() ? 0 : static_cast<int>(lists.size()) - 1; }

    std::size_t new_block(md_block_kind kind, int number, int depth_) {
        md_block b;
        b.kind = kind;
        b.number = number;
        b.depth = depth_;
        blocks.push_back(std::move(b));
        return blocks.size() - 1;
    }

    bool soft_break = false;  // a source line break is pending

    // The block text goes to now. Text that resumes an outer item after a nested list
    // becomes a paragraph of its own so block order follows reading order.
    md_block& target() {
        if (open.empty()) {
            open.push_back(new_block(md_block_kind::paragraph, 0, static_cast<int>(lists.size())));
        } else if (open.back() != blocks.size() - 1) {
            int d = blocks[open.back()].depth + (blocks[open.back()].kind == md_block_kind::paragraph ? 0 : 1);
            open.back() = new_block(md_block_kind::paragraph, 0, d);
        }
        fresh_item = false;
        return blocks[open.back()];
    }

    void add_text(std::string_view text) {
        if (text.empty()) return;
        if (soft_break) {
            // A line break in the source between two Chinese or Japanese characters joins
            // them: those scripts put no space between words (Korean does, and keeps it).
            soft_break = false;
            const md_block& before = target();
            const std::string_view prior = before.spans.empty() ? std::string_view() : before.spans.back().text;
            if (!(unspaced_script(last_code_point(prior)) && unspaced_script(first_code_point(text)))) add_text(" ");
        }
        md_block& b = target();
        std::string link = links.empty() ? std::string() : links.back();
        bool is_bold = bold > 0, is_italic = italic > 0, is_code = code > 0;
        if (!b.spans.empty()) {
            md_span& last = b.spans.back();
            if (last.bold == is_bold && last.italic == is_italic && last.code == is_code && last.link == link) {
                last.text += text;
                return;
            }
        }
        md_span s;
        s.text = std::string(text);
        s.bold = is_bold;
        s.italic = is_italic;
        s.code = is_code;
        s.link = std::move(link);
        b.spans.push_back(std::move(s));
    }

    void enter_block(MD_BLOCKTYPE type, void* detail) {
        switch (type) {
            case MD_BLOCK_UL: lists.push_back({false, 1}); break;
            case MD_BLOCK_OL: {
                auto* d = static_cast<MD_BLOCK_OL_DETAIL*>(detail);
                lists.push_back({true, static_cast<int>(d->start)});
                break;
            }
            case MD_BLOCK_LI: {
                if (lists.empty()) lists.push_back({false, 1});  // defensive: md4c always opens a list first
                list_state& l = lists.back();
                int number = l.ordered ? l.next_number++ : 0;
                open.push_back(new_block(l.ordered ? md_block_kind::numbered_item : md_block_kind::bullet_item,
                                         number, depth()));
                fresh_item = true;
                break;
            }
            case MD_BLOCK_H: {
                auto* d = static_cast<MD_BLOCK_H_DETAIL*>(detail);
                open.push_back(new_block(md_block_kind::heading, static_cast<int>(d->level), 0));
                fresh_item = false;
                break;
            }
            case MD_BLOCK_P:
            case MD_BLOCK_CODE:
            case MD_BLOCK_HTML:
                if (fresh_item) {
                    open.push_back(open.back());  // the item's own first paragraph
                    fresh_item = false;
                } else {
                    open.push_back(new_block(md_block_kind::paragraph, 0, static_cast<int>(lists.size())));
                }
                if (type == MD_BLOCK_CODE) ++code;
                break;
            default: break;  // document, quote, hr, tables (not enabled)
        }
    }

    void leave_block(MD_BLOCKTYPE type) {
        switch (type) {
            case MD_BLOCK_UL:
            case MD_BLOCK_OL:
                if (!lists.empty()) lists.pop_back();
                break;
            case MD_BLOCK_CODE:
                --code;
                [[fallthrough]];
            case MD_BLOCK_LI:
            case MD_BLOCK_H:
            case MD_BLOCK_P:
            case MD_BLOCK_HTML:
                if (!open.empty()) open.pop_back();
                fresh_item = false;
                break;
            default: break;
        }
    }

    void enter_span(MD_SPANTYPE type, void* detail) {
        switch (type) {
            case MD_SPAN_EM: ++italic; break;
            case MD_SPAN_STRONG: ++bold; break;
            case MD_SPAN_CODE: ++code; break;
            case MD_SPAN_A: links.push_back(attribute_text(static_cast<MD_SPAN_A_DETAIL*>(detail)->href)); break;
            default: break;  // images show their alt text as plain text
        }
    }

    void leave_span(MD_SPANTYPE type) {
        switch (type) {
            case MD_SPAN_EM: --italic; break;
            case MD_SPAN_STRONG: --bold; break;
            case MD_SPAN_CODE: --code; break;
            case MD_SPAN_A:
                if (!links.empty()) links.pop_back();
                break;
            default: break;
        }
    }

    void text(MD_TEXTTYPE type, std::string_view t) {
        switch (type) {
            case MD_TEXT_NULLCHAR: add_text("\xEF\xBF\xBD"); break;
            case MD_TEXT_BR: add_text("\n"); break;
            case MD_TEXT_SOFTBR: soft_break = true; break;  // a space or nothing: add_text decides
            case MD_TEXT_ENTITY: add_text(decode_entity(t)); break;
            default: add_text(t); break;
        }
    }
};

// Fallback when md4c gives up: each blank-line separated chunk is a plain paragraph.
std::vector<md_block> plain_paragraphs(std::string_view text) {
    std::vector<md_block> out;
    std::string current;
    auto flush = [&] {
        if (current.empty()) return;
        md_block b;
        md_span s;
        s.text = std::move(current);
        b.spans.push_back(std::move(s));
        out.push_back(std::move(b));
        current.clear();
    };
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            flush();
        } else {
            if (!current.empty()) current += ' ';
            current += line;
        }
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    flush();
    return out;
}

}  // namespace

std::vector<md_block> parse_markdown(std::string_view text) {
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = parse_flags;
    parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* user) {
        static_cast<builder*>(user)->enter_block(type, detail);
        return 0;
    };
    parser.leave_block = [](MD_BLOCKTYPE type, void*, void* user) {
        static_cast<builder*>(user)->leave_block(type);
        return 0;
    };
    parser.enter_span = [](MD_SPANTYPE type, void* detail, void* user) {
        static_cast<builder*>(user)->enter_span(type, detail);
        return 0;
    };
    parser.leave_span = [](MD_SPANTYPE type, void*, void* user) {
        static_cast<builder*>(user)->leave_span(type);
        return 0;
    };
    parser.text = [](MD_TEXTTYPE type, const MD_CHAR* t, MD_SIZE size, void* user) {
        static_cast<builder*>(user)->text(type, std::string_view(t, size));
        return 0;
    };

    if (text.size() > 0xFFFFFFFFu) return plain_paragraphs(text);  // MD_SIZE is 32-bit
    builder b;
    // md4c 0.4.8 runs strcspn() over its input, which reads on to a NUL byte past the given
    // size (found by fuzz_text under ASan): it gets a NUL-terminated copy, whatever the view.
    const std::string terminated(text);
    if (md_parse(terminated.c_str(), static_cast<MD_SIZE>(terminated.size()), &parser, &b) != 0)
        return plain_paragraphs(text);

    // Drop blocks that ended up without text (an empty list item, a thematic break...)
    // except list items, whose bullet is still worth showing.
    std::vector<md_block> out;
    out.reserve(b.blocks.size());
    for (auto& block : b.blocks) {
        bool is_item = block.kind == md_block_kind::bullet_item || block.kind == md_block_kind::numbered_item;
        if (!block.spans.empty() || is_item) out.push_back(std::move(block));
    }
    // A trailing newline inside a code block is the fence's, not the author's.
    for (auto& block : out) {
        if (!block.spans.empty() && block.spans.back().code) {
            std::string& t = block.spans.back().text;
            while (!t.empty() && t.back() == '\n') t.pop_back();
        }
    }
    return out;
}

namespace {

std::string_view strip_indent(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return line.substr(i);
}

// A code fence's marker: "```" or "~~~" or longer ("" when the line is none). A fence
// closes only with the character it opened with, at least as many times, nothing after.
std::string_view fence_marker(std::string_view line) {
    const std::string_view s = strip_indent(line);
    if (s.empty() || (s[0] != '`' && s[0] != '~')) return {};
    const std::size_t n = s.find_first_not_of(s[0]);
    const std::string_view marker = s.substr(0, n);
    return marker.size() >= 3 ? marker : std::string_view();
}

// A line that begins a block of its own, or underlines the line before (a setext heading),
// so the break before it is kept.
bool begins_block(std::string_view line) {
    const std::string_view s = strip_indent(line);
    if (s.empty()) return true;
    const char c = s[0];
    if (c == '#' || c == '>' || c == '|' || c == '<' || c == '=' || c == '`' || c == '~') return true;
    if ((c == '-' || c == '*' || c == '+' || c == '_') &&
        (s.size() == 1 || s[1] == ' ' || s[1] == '\t' || s[1] == c))
        return true;
    std::size_t digits = 0;
    while (digits < s.size() && digits < 10 && s[digits] >= '0' && s[digits] <= '9') ++digits;
    return digits > 0 && digits < s.size() && (s[digits] == '.' || s[digits] == ')');
}

// The length of the list marker a line (its indent stripped) starts with: "-", "*", "+",
// "12." or "12)" followed by a blank or the line's end; 0 when it starts with none.
std::size_t list_marker_length(std::string_view s) {
    std::size_t n = 0;
    if (!s.empty() && (s[0] == '-' || s[0] == '*' || s[0] == '+')) {
        n = 1;
    } else {
        while (n < s.size() && n < 10 && s[n] >= '0' && s[n] <= '9') ++n;
        if (n == 0 || n == s.size() || (s[n] != '.' && s[n] != ')')) return 0;
        ++n;
    }
    return n == s.size() || s[n] == ' ' || s[n] == '\t' ? n : 0;
}

// A line that is a block by itself (heading, rule, setext underline, fence, table row,
// HTML), so the break after it is kept too. A list item or quote is not: the line after
// it continues its paragraph.
bool whole_line_block(std::string_view line) {
    const std::string_view s = strip_indent(line);
    if (s.empty()) return true;
    const char c = s[0];
    if (c == '#' || c == '=' || c == '`' || c == '~' || c == '|' || c == '<') return true;
    if (s.find_first_not_of("-*_ \t") == std::string_view::npos) return true;
    // List markers with nothing after them ("+", "2.", "- +"): empty items, which the next
    // line does not continue.
    std::string_view rest = s;
    for (int depth = 0; depth < 16 && !rest.empty(); ++depth) {
        const std::size_t marker = list_marker_length(rest);
        if (marker == 0) return false;
        rest = strip_indent(rest.substr(marker));
    }
    return rest.empty();
}

// Characters whose meaning can depend on what is beside them (emphasis runs, links,
// escapes, code spans): a break beside one stays.
bool marker_character(char32_t c) {
    return c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '(' || c == ')' || c == '!' ||
           c == '\\' || c == '<' || c == '>' || c == '&' || c == '~' || c == '|';
}

}  // namespace

std::string unwrap_paragraph_lines(std::string_view markdown) {
    // md4c reads a carriage return as a line break and a vertical tab or form feed as a
    // space where this reads neither: a text holding one (never one from a file or typed
    // in a box) is left as it is rather than guessed at.
    if (markdown.find_first_of("\r\v\f") != std::string_view::npos) return std::string(markdown);
    std::vector<std::string_view> lines;
    for (std::size_t at = 0;;) {
        const std::size_t nl = markdown.find('\n', at);
        lines.push_back(markdown.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at));
        if (nl == std::string_view::npos) break;
        at = nl + 1;
    }
    std::string out;
    out.reserve(markdown.size());
    std::string_view open_fence;  // the marker of the fence the line is in, if any
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        const std::string_view marker = fence_marker(line);
        const bool fence = !marker.empty();
        if (open_fence.empty()) {
            open_fence = marker;
        } else if (fence && marker[0] == open_fence[0] && marker.size() >= open_fence.size() &&
                   strip_indent(line).substr(marker.size()).find_first_not_of(" \t") == std::string_view::npos) {
            open_fence = {};
        }
        const bool in_fence = !open_fence.empty();
        out += line;
        if (i + 1 == lines.size()) break;
        const std::string_view next = lines[i + 1];
        const std::string_view joined = strip_indent(next);
        bool keep = in_fence || fence || whole_line_block(line) || begins_block(next) || line.ends_with(' ') ||
                    line.ends_with('\t');
        if (!keep) {
            const char32_t before = last_code_point(line);
            const char32_t after = first_code_point(joined);
            keep = marker_character(before) || marker_character(after) || unspaced_script(before) ||
                   unspaced_script(after);
        }
        if (keep) {
            out += '\n';
        } else {
            out += ' ';
            lines[i + 1] = joined;
        }
    }
    // The rules above follow CommonMark; md4c has the last word. Should a join change what
    // the text parses to (a corner the rules miss), the text stays as written.
    return parse_markdown(out) == parse_markdown(markdown) ? out : std::string(markdown);
}

std::string markdown_to_plain(std::string_view markdown) {
    std::string out;
    bool previous_item = false;
    bool first = true;
    for (const md_block& b : parse_markdown(markdown)) {
        bool is_item = b.kind == md_block_kind::bullet_item || b.kind == md_block_kind::numbered_item;
        if (!first) out += (is_item && previous_item) ? "\n" : "\n\n";
        first = false;
        previous_item = is_item;

        out.append(static_cast<std::size_t>(b.depth) * 2, ' ');
        if (b.kind == md_block_kind::bullet_item) out += "- ";
        if (b.kind == md_block_kind::numbered_item) out += std::to_string(b.number) + ". ";

        // Consecutive spans of one link form its label; the URL follows the label once.
        for (std::size_t i = 0; i < b.spans.size();) {
            const std::string& link = b.spans[i].link;
            std::string label;
            std::size_t j = i;
            do {
                label += b.spans[j].text;
                ++j;
            } while (!link.empty() && j < b.spans.size() && b.spans[j].link == link);
            out += label;
            if (!link.empty() && label != link) {
                std::string_view bare = link;
                if (bare.substr(0, 7) == "mailto:") bare.remove_prefix(7);
                if (label != bare) out += " (" + link + ")";
            }
            i = j;
        }
    }
    return out;
}

}  // namespace signpost
