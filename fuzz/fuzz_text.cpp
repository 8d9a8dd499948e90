// Fuzz target: the text functions every front-end and file goes through.
// Input: any bytes, used as a text. Checked besides "no crash, no sanitizer report":
//   - neutralise_controls gives valid UTF-8 with no control character but newline and tab
//     (nothing that can drive a terminal);
//   - find_references gives `{name}` spans that lie inside the text and start with '{';
//   - normalise_element_text is idempotent, and a text it gives that unstorable_text lets
//     through is written by the saver (as a node's text and hint, a choice label and the
//     description) and read back by the loader unchanged;
//   - markdown_to_plain and parse_markdown keep valid UTF-8 valid;
//   - interpolate without any known name changes nothing but doubled braces;
//   - unwrap_paragraph_lines (the editor's text boxes) gives a text that parses to the same
//     Markdown blocks;
//   - read_typed_date gives a day or a message, and the day's ISO form reads back as it;
//   - fit_display_width gives a start of the text that fits the width and cuts no valid
//     text inside a character, and the widths of the pieces add up.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "signpost/calendar_date.hpp"
#include "signpost/load.hpp"
#include "signpost/markdown.hpp"
#include "signpost/save.hpp"
#include "signpost/text.hpp"

namespace {

using namespace signpost;
using fuzz::require;

void check_neutralised(std::string_view input) {
    const std::string out = neutralise_controls(input);
    require(!find_invalid_utf8(out), "neutralise_controls gave invalid UTF-8", out);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto c = static_cast<unsigned char>(out[i]);
        require(!(c < 0x20 && c != '\n' && c != '\t') && c != 0x7F, "neutralise_controls kept a C0 control", out);
        // C1 controls (U+0080..U+009F) are C2 80..C2 9F in UTF-8.
        require(!(c == 0xC2 && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) <= 0x9F),
                "neutralise_controls kept a C1 control", out);
    }
}

void check_references(std::string_view input) {
    for (const text_reference& r : find_references(input)) {
        require(r.offset < input.size() && input[r.offset] == '{', "a reference does not start at a '{'");
        require(r.name.data() >= input.data() && r.name.data() + r.name.size() <= input.data() + input.size(),
                "a reference name is not inside the text");
    }
}

// An element text the saver writes must come back from the loader as it was.
void check_element_text(std::string_view input) {
    const std::string text = normalise_element_text(input);
    require(normalise_element_text(text) == text, "normalise_element_text is not idempotent", text);
    if (unstorable_text(text)) return;
    tree t;
    t.id = "t";
    t.start = "a";
    t.description = text;
    node q;
    q.kind = node_kind::question;
    q.id = "a";
    q.text = text;
    q.hint = text;
    choice c;
    c.label = text;
    c.to = "b";
    q.choices.push_back(c);
    node e;
    e.kind = node_kind::end;
    e.id = "b";
    e.outcome = "done";
    t.nodes = {q, e};
    t.reindex();
    const std::string saved = save_tree_string(t);
    const load_result back = load_tree_string(saved, "text.xml");
    std::string why;
    for (const auto& d : back.problems) why += format(d) + "\n";
    require(back.loaded != nullptr, "a saved element text does not load", why + saved);
    require(back.loaded->nodes.size() == 2, "a saved element text changed the nodes", why + saved);
    const node& n = back.loaded->nodes[0];
    require(n.text == text && n.hint == text, "a node's text or hint came back different", saved);
    require(!n.choices.empty() && n.choices[0].label == text, "a choice label came back different", saved);
    require(back.loaded->description == text, "the description came back different", saved);
}

void check_display_width(std::string_view input, bool valid) {
    const std::size_t total = display_width(input);
    require(total <= input.size() * 2, "display_width gave more than two columns a byte");
    for (const std::size_t columns : {std::size_t{0}, std::size_t{1}, total / 2, total}) {
        const std::string_view cut = fit_display_width(input, columns);
        require(cut.data() == input.data() && cut.size() <= input.size(), "fit_display_width is not a start of the text");
        require(display_width(cut) <= columns, "fit_display_width gave more than asked", std::string(cut));
        if (valid) {
            require(!find_invalid_utf8(cut), "fit_display_width cut inside a character", std::string(cut));
            require(display_width(cut) + display_width(input.substr(cut.size())) == total,
                    "the widths of a cut text do not add up", std::string(cut));
        }
    }
    require(fit_display_width(input, total) == input, "the whole width did not fit the whole text");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_neutralised(input);
    check_references(input);
    check_element_text(input);

    const bool valid = !find_invalid_utf8(input);
    const std::string plain = markdown_to_plain(input);
    if (valid) require(!find_invalid_utf8(plain), "markdown_to_plain broke valid UTF-8", plain);
    for (const md_block& b : parse_markdown(input))
        for (const md_span& s : b.spans)
            if (valid) require(!find_invalid_utf8(s.text), "parse_markdown broke valid UTF-8", s.text);

    if (valid) {
        const std::string stored = normalise_element_text(input);
        const std::string shown = unwrap_paragraph_lines(stored);
        require(parse_markdown(shown) == parse_markdown(stored),
                "unwrap_paragraph_lines changed how the text reads", stored);
    }
    const typed_date day = read_typed_date(input, 20'000);
    require(day.days.has_value() != !day.error.empty(), "read_typed_date gave both or neither a day and a message");
    if (day.days) require(parse_iso_day(format_iso_day(*day.days)) == day.days, "a typed day's ISO form reads back otherwise");

    const std::string same = interpolate(input, [](std::string_view) { return std::optional<std::string>(); });
    require(same.size() <= input.size(), "interpolate with no known names made the text longer", same);
    (void)pattern_risk(input);
    check_display_width(input, valid);
    return 0;
}
