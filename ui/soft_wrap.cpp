#include "soft_wrap.hpp"

#include <algorithm>

#include "signpost/text.hpp"

namespace signpost::ui {

namespace {

constexpr std::size_t none = std::string_view::npos;

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0u) == 0x80u; }

// Start of the code point before byte `i`.
std::size_t previous_start(std::string_view s, std::size_t i) {
    if (i == 0) return 0;
    --i;
    while (i > 0 && is_continuation(s[i])) --i;
    return i;
}

}  // namespace

char32_t code_point_at(std::string_view s, std::size_t i, std::size_t& length) {
    char32_t c = 0;
    length = decode_utf8(s, i, c);
    if (length == 0) {
        length = 1;
        return 0xFFFD;
    }
    return c;
}

bool may_break_after(char32_t c) {
    static const std::u32string_view opening = U"\u3008\u300A\u300C\u300E\u3010\u3014\u3016\u3018\u301A\u301D"
                                               U"\uFF08\uFF3B\uFF5B\uFF5F";
    if (opening.find(c) != std::u32string_view::npos) return false;
    return (c >= 0x3000 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF01 && c <= 0xFF60);
}

bool may_start_line(char32_t c) {
    static const std::u32string_view marks =
        U"\u3001\u3002\uFF0C\uFF0E\uFF1A\uFF1B\uFF01\uFF1F\uFF09\u300D\u300F\u3011\u3015\u3009\u300B"
        U"\u3017\u3019\u301F\u30FC\u3005\u309D\u309E\u30FD\u30FE\u30FB"
        U"\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308E"
        U"\u30A1\u30A3\u30A5\u30A7\u30A9\u30C3\u30E3\u30E5\u30E7\u30EE\u30F5\u30F6"
        U")]}.,;:!?";
    return marks.find(c) == std::u32string_view::npos;
}

std::size_t wrapped_text::to_text(std::size_t shown_pos) const {
    std::ptrdiff_t delta = 0;  // text offset - shown offset, before the piece
    for (const shown_piece& p : pieces) {
        if (p.at >= shown_pos) break;
        if (shown_pos < p.at + p.shown_length()) return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(p.at) + delta);
        delta += static_cast<std::ptrdiff_t>(p.text_length) - static_cast<std::ptrdiff_t>(p.shown_length());
    }
    return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(shown_pos) + delta);
}

std::size_t wrapped_text::to_shown(std::size_t text_pos) const {
    std::ptrdiff_t delta = 0;  // shown offset - text offset, before the piece
    const auto text_at = [&](const shown_piece& p) {
        return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(p.at) - delta);
    };
    for (const shown_piece& p : pieces) {
        const std::size_t at = text_at(p);
        if (p.what == shown_piece::kind::added_break) {
            if (at > text_pos) break;  // an added break at the place: after it
        } else {
            if (at >= text_pos) break;
            if (text_pos < at + p.text_length) return p.at;  // inside a stand-in: before it
        }
        delta += static_cast<std::ptrdiff_t>(p.shown_length()) - static_cast<std::ptrdiff_t>(p.text_length);
    }
    return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(text_pos) + delta);
}

wrapped_text wrap_text(std::string_view text, float width, const char_advance& advance) {
    // Where the lines break, as byte offsets in the text.
    struct cut {
        std::size_t at;
        bool replaces_space;
    };
    std::vector<cut> cuts;
    std::size_t line_start = 0;
    std::size_t space_cut = none;  // a space that may become the break (the last of its run)
    std::size_t cjk_cut = none;    // a place after a CJK character where a break may be added
    char32_t previous = 0;
    float x = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\n') {
            line_start = ++i;
            space_cut = cjk_cut = none;
            previous = 0;
            x = 0;
            continue;
        }
        std::size_t length = 0;
        const char32_t c = code_point_at(text, i, length);
        if (c == ' ') {
            x += advance(c);
            if (i + 1 < text.size() && text[i + 1] != ' ' && text[i + 1] != '\n') space_cut = i;
            previous = c;
            i += length;
            continue;
        }
        if (i > line_start && may_break_after(previous) && may_start_line(c)) cjk_cut = i;
        const float a = advance(c);
        if (x + a > width && i > line_start) {
            // The latest place a break may go; inside the word when it fills the line alone.
            if (space_cut != none && (cjk_cut == none || space_cut > cjk_cut)) {
                cuts.push_back({space_cut, true});
                line_start = space_cut + 1;
            } else {
                const std::size_t at = cjk_cut != none ? cjk_cut : i;
                cuts.push_back({at, false});
                line_start = at;
            }
            space_cut = cjk_cut = none;
            previous = 0;
            x = 0;
            i = line_start;  // measure the new line from its start
            continue;
        }
        x += a;
        previous = c;
        i += length;
    }

    wrapped_text out;
    out.text = std::string(text);
    out.shown.reserve(text.size() + cuts.size());
    std::size_t next_cut = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (next_cut < cuts.size() && cuts[next_cut].at == i) {
            const bool space = cuts[next_cut++].replaces_space;
            out.pieces.push_back({out.shown.size(), space ? shown_piece::kind::break_for_space
                                                          : shown_piece::kind::added_break,
                                  space ? 1u : 0u});
            out.shown += '\n';
            if (space) ++i;
            continue;
        }
        char32_t c = 0;
        const std::size_t length = decode_utf8(text, i, c);
        if (length == 0 || c > 0xFFFF) {
            out.pieces.push_back({out.shown.size(), shown_piece::kind::stand_in, length == 0 ? 1 : length});
            out.shown += "\xEF\xBF\xBD";
            i += length == 0 ? 1 : length;
            continue;
        }
        out.shown.append(text, i, length);
        i += length;
    }
    return out;
}

edited_text read_edit(const wrapped_text& before, const box_edit& edit) {
    const std::string_view old = before.shown;
    const std::string_view now = edit.now;
    const std::size_t start = std::min(edit.before_start, edit.before_end);
    const std::size_t end = std::max(edit.before_start, edit.before_end);

    // The changed part: what is left between the common start and the common end. The
    // cursors pin it down where the bytes alone could not ("a|\nb" + Enter: the new line
    // comes before the break, not after it).
    std::size_t prefix = 0;
    const std::size_t shorter = std::min(old.size(), now.size());
    while (prefix < shorter && old[prefix] == now[prefix]) ++prefix;
    prefix = std::min({prefix, start, edit.cursor});
    while (prefix > 0 && prefix < old.size() && is_continuation(old[prefix])) --prefix;
    std::size_t suffix = 0;
    const std::size_t suffix_limit = std::min({old.size() - std::min(old.size(), std::max(prefix, end)),
                                               now.size() - std::min(now.size(), std::max(prefix, edit.cursor))});
    while (suffix < suffix_limit && old[old.size() - 1 - suffix] == now[now.size() - 1 - suffix]) ++suffix;
    while (suffix > 0 && is_continuation(old[old.size() - suffix])) --suffix;

    const std::size_t old_end = old.size() - suffix;
    const std::size_t new_end = now.size() - suffix;
    const std::string& text = before.text;
    std::size_t text_begin = before.to_text(prefix);
    std::size_t text_end = before.to_text(old_end);
    const std::string_view typed = now.substr(prefix, new_end - prefix);

    if (typed.empty() && text_begin == text_end && old_end > prefix && start == end) {
        // Only an added break went: Backspace (the cursor was after it) takes the
        // character before it, Delete the one after, as they do in unwrapped text.
        if (end == old_end) text_begin = previous_start(text, text_begin);
        else if (text_end < text.size()) {
            std::size_t length = 0;
            code_point_at(text, text_end, length);
            text_end += length;
        }
    }

    edited_text out;
    out.text.reserve(text.size() + typed.size());
    out.text.append(text, 0, text_begin);
    out.text.append(typed);
    out.text.append(text, text_end, none);
    const std::size_t typed_end = text_begin + typed.size();
    if (edit.cursor <= prefix) {
        out.cursor = std::min(before.to_text(edit.cursor), text_begin);
    } else if (edit.cursor >= new_end) {
        // In the part after the edit: as far past the typed text as it was past the change.
        const std::size_t was = before.to_text(edit.cursor - new_end + old_end);
        out.cursor = typed_end + (was > text_end ? was - text_end : 0);
    } else {
        out.cursor = text_begin + (edit.cursor - prefix);
    }
    out.cursor = std::min(out.cursor, out.text.size());
    return out;
}

}  // namespace signpost::ui
