#pragma once
// Text helpers shared by the loader, the runtime and the front-ends.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost {

// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and
// code points above U+10FFFF count as invalid), or nullopt when `s` is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view s);

// Decodes the UTF-8 sequence at byte `i`: its length, with `cp` set, or 0 when the bytes
// there are not valid UTF-8 (overlong, surrogate, above U+10FFFF, truncated, stray byte).
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp);
// Appends `cp` as UTF-8; one that is no character (0, a surrogate, above U+10FFFF) as U+FFFD.
void append_utf8(std::string& out, char32_t cp);

// Columns a character takes on a terminal, which is also about how wide the windows draw
// it: 2 for the wide and fullwidth characters of Chinese, Japanese and Korean and for
// emoji, 0 for combining marks and zero-width characters, 1 otherwise.
int display_width(char32_t c);
// The columns of UTF-8 text (an invalid byte counts as one).
std::size_t display_width(std::string_view text);
// The longest start of `text` that takes at most `columns`, cut between whole characters.
std::string_view fit_display_width(std::string_view text, std::size_t columns);

// "a, b, c": the words of a message listing names or options.
template <typename Words>
std::string comma_list(const Words& words) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += ", ";
        out += w;
    }
    return out;
}

// One `{name}` reference inside a text.
struct text_reference {
    std::string_view name;   // points into the text searched
    std::size_t offset = 0;  // of the '{'
};
// The `{name}` references in a text. `{{` and `}}` are literal braces. The names point
// into `text`, which must outlive them.
std::vector<text_reference> find_references(std::string_view text);

// Brace groups that are no `{name}` reference and so are shown as written, but look as if
// one was meant: `{ name }`, `{asset-tag}`, `{employee.name}` (the group, `name` its inside),
// and `{{name}` (a literal brace then `name}`: `name` is the name, offset at the first '{').
// At most 64 bytes inside, on one line.
struct brace_group {
    std::string_view inside;  // points into the text searched
    std::size_t offset = 0;   // of the first '{'
    bool doubled = false;     // `{{name}`
};
std::vector<brace_group> find_brace_groups(std::string_view text);

// Replaces each `{name}` with lookup(name); unknown names (lookup returns nullopt) stay as
// written. `{{`/`}}` become single braces. A value ending in '.', '?', '!' or an ellipsis
// takes the place of one '.' right after its reference ("Scope: {scope}." never "off..").
std::string interpolate(std::string_view text,
                        const std::function<std::optional<std::string>(std::string_view)>& lookup);

// Makes text safe to print on a terminal: C0/C1 control characters (except newline and
// tab), ESC sequences and DEL are replaced by U+FFFD; invalid UTF-8 bytes too.
std::string neutralise_controls(std::string_view text);

// Appends `s` as a JSON string literal: quotes, backslashes and control characters escaped,
// U+2028/U+2029 too (line breaks to JavaScript), and each invalid UTF-8 byte as U+FFFD, so
// the output is valid JSON whatever a log or file held. `html_safe` also escapes '<' and
// DEL, so the JSON can sit inside an HTML <script> element.
void append_json_string(std::string& out, std::string_view s, bool html_safe = false);

// ASCII letters in lower case; other bytes (UTF-8 included) as they are.
std::string lower_ascii(std::string_view text);

// Collapses a Markdown text to plain text for transcripts (markers removed, links as
// "label (url)", list items as "- item").
std::string markdown_to_plain(std::string_view markdown);

// What the loader makes of an element's text (<text>, <hint>, <description>, a choice's
// label): trailing blanks of each line and the indentation common to all lines removed,
// blank lines at the start and end dropped. The saver writes a text so that this gives it
// back, so a text set in memory (the editor) goes through it too, or a save and reopen
// would change it.
std::string normalise_element_text(std::string_view raw);

// Why an ECMAScript `pattern` could make std::regex backtrack for an exponential time on a
// short input, or nullopt when it looks safe: a repeated group whose body itself repeats
// (`(a+)+`, `([a-z]*\.?)*`), or a backreference (`\1`). Conservative: it may refuse a
// pattern that would in fact run fast. Used by the loader and again by the runtime.
std::optional<std::string> pattern_risk(std::string_view pattern);

}  // namespace signpost
