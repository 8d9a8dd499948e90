// Word wrap for text boxes (ui/soft_wrap.hpp): where lines break, and edits made to the
// wrapped text read back into the text itself.

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "signpost/text.hpp"
#include "ui/soft_wrap.hpp"

using namespace signpost;
using namespace signpost::ui;

namespace {

// One unit per column: wide characters take two, as the windows draw them.
float columns(char32_t c) { return static_cast<float>(display_width(c)); }

wrapped_text wrap(const std::string& text, float width) { return wrap_text(text, width, columns); }

// An edit as ImGui makes it: the shown range [from, to) replaced by `typed`, the cursor
// after it. Before it, [from, to) was selected, or (`cursor_before`) nothing was: the cursor
// stood there, as for Backspace and Delete.
edited_text edit(const wrapped_text& w, std::size_t from, std::size_t to, const std::string& typed,
                 std::size_t cursor_before = std::string::npos) {
    const std::string now = w.shown.substr(0, from) + typed + w.shown.substr(to);
    const bool selected = cursor_before == std::string::npos;
    return read_edit(w, {now, from + typed.size(), selected ? from : cursor_before, selected ? to : cursor_before});
}

}  // namespace

TEST_CASE("wrap breaks a line at the last space that fits, and the text keeps its spaces") {
    const wrapped_text w = wrap("the quick brown fox jumps", 10);
    CHECK(w.shown == "the quick\nbrown fox\njumps");
    REQUIRE(w.pieces.size() == 2);
    CHECK(w.pieces[0].what == shown_piece::kind::break_for_space);
    CHECK(w.pieces[1].what == shown_piece::kind::break_for_space);
    CHECK(w.text == "the quick brown fox jumps");
    // Same offsets: a break that stands for a space moves nothing.
    CHECK(w.to_text(12) == 12);
    CHECK(w.to_shown(12) == 12);
}

TEST_CASE("wrap leaves short lines and the text's own line breaks alone") {
    CHECK(wrap("short", 10).shown == "short");
    CHECK(wrap("short", 10).pieces.empty());
    const wrapped_text w = wrap("one two\nthree four five six", 10);
    CHECK(w.shown == "one two\nthree four\nfive six");
    CHECK(w.pieces.size() == 1);
    CHECK(w.text == "one two\nthree four five six");
    CHECK(wrap("", 10).shown.empty());
}

TEST_CASE("wrap breaks a word longer than the line inside it, with breaks that are no character") {
    const wrapped_text w = wrap("https://example.com/a/b", 8);
    CHECK(w.shown == "https://\nexample.\ncom/a/b");
    REQUIRE(w.pieces.size() == 2);
    CHECK(w.pieces[0].what == shown_piece::kind::added_break);
    CHECK(w.text == "https://example.com/a/b");
    // "e" of example: text offset 8, shown 9 (after the first added break).
    CHECK(w.to_shown(8) == 9);
    CHECK(w.to_text(9) == 8);
    CHECK(w.to_text(8) == 8);  // before the break: the same place in the text
    // Even a width narrower than one character gives every line one character.
    CHECK(wrap("abc", 0.5f).shown == "a\nb\nc");
}

TEST_CASE("a run of spaces stays on the line it ends and the next word starts the next line") {
    const wrapped_text w = wrap("abcdefgh   ijk", 10);
    CHECK(w.shown == "abcdefgh  \nijk");
    CHECK(w.text == "abcdefgh   ijk");
}

TEST_CASE("Japanese wraps between characters, not before closing punctuation or small kana") {
    // Each character takes two columns: five to a line of ten.
    const std::string text = "\xE6\x9C\xAC\xE6\x97\xA5\xE3\x81\xAF\xE6\x99\xB4\xE3\x82\x8C\xE3\x80\x82"
                             "\xE3\x81\xA1\xE3\x82\x87\xE3\x81\xA3\xE3\x81\xA8";  // 本日は晴れ。ちょっと
    const wrapped_text w = wrap(text, 10);
    // "。" may not start a line: the break goes before "れ"; "ょ" may not either.
    CHECK(w.shown == "\xE6\x9C\xAC\xE6\x97\xA5\xE3\x81\xAF\xE6\x99\xB4\n"
                     "\xE3\x82\x8C\xE3\x80\x82\xE3\x81\xA1\xE3\x82\x87\xE3\x81\xA3\n\xE3\x81\xA8");
    CHECK(w.text == text);
    CHECK(may_break_after(U'\u672C'));
    CHECK_FALSE(may_break_after(U'\u300C'));  // 「 belongs with what follows
    CHECK_FALSE(may_start_line(U'\u3002'));
    CHECK(may_start_line(U'\u672C'));
}

TEST_CASE("a character ImGui cannot hold is shown as U+FFFD and kept in the text through edits") {
    // ImGui 1.86 keeps 16-bit characters: an emoji in its copy of the text would be U+FFFD.
    const std::string phone = "\xF0\x9F\x93\x9E";  // U+1F4DE
    const std::string text = "call back " + phone + " tomorrow";
    const wrapped_text w = wrap(text, 40);
    CHECK(w.shown == "call back \xEF\xBF\xBD tomorrow");
    REQUIRE(w.pieces.size() == 1);
    CHECK(w.pieces[0].what == shown_piece::kind::stand_in);
    CHECK(w.to_shown(14) == 13);  // the space after it
    CHECK(w.to_text(13) == 14);
    CHECK(w.to_shown(11) == 10);  // inside it: before it
    // Typing after it keeps it; deleting it (its U+FFFD) removes all four bytes.
    CHECK(edit(w, 13, 13, "!", 13).text == "call back " + phone + "! tomorrow");
    CHECK(edit(w, 10, 13, "").text == "call back  tomorrow");
    // A malformed byte too (text from a file is checked, but the box does not rely on it).
    const wrapped_text bad = wrap("ab\xFF" "cd ef", 4);
    CHECK(bad.text == "ab\xFF" "cd ef");
    CHECK(bad.shown.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(edit(bad, 0, 0, "x", 0).text == "xab\xFF" "cd ef");
}

TEST_CASE("Enter over a selected break, and Enter then Delete, read as line breaks and deletions") {
    const wrapped_text w = wrap("the quick brown fox", 10);  // "the quick\nbrown fox"
    // The bytes do not change when the selected break becomes a typed one: the space goes.
    CHECK(edit(w, 9, 10, "\n").text == "the quick\nbrown fox");
    // Enter at the end of the first line, then Delete on the space now starting the second.
    const edited_text enter = edit(w, 9, 9, "\n", 9);
    REQUIRE(enter.text == "the quick\n brown fox");
    const wrapped_text after = wrap(enter.text, 10);
    REQUIRE(after.shown == "the quick\n brown fox");
    CHECK(edit(after, 10, 11, "", 10).text == "the quick\nbrown fox");
}

TEST_CASE("typing in a wrapped line reads back into the text at the same place") {
    const wrapped_text w = wrap("the quick brown fox", 10);  // "the quick\nbrown fox"
    const edited_text e = edit(w, 4, 4, "very ", 4);
    CHECK(e.text == "the very quick brown fox");
    CHECK(e.cursor == 9);
    // Enter typed at the end of a wrapped line: a line break of the text, before the space.
    const edited_text enter = edit(w, 9, 9, "\n", 9);
    CHECK(enter.text == "the quick\n brown fox");
}

TEST_CASE("Backspace at the start of a wrapped line removes the space the break stood for") {
    const wrapped_text w = wrap("the quick brown fox", 10);
    const edited_text e = edit(w, 9, 10, "", 10);
    CHECK(e.text == "the quickbrown fox");
    CHECK(e.cursor == 9);
    // ...and Delete at the end of the line above does the same.
    CHECK(edit(w, 9, 10, "", 9).text == "the quickbrown fox");
}

TEST_CASE("Backspace or Delete on a break put inside a word removes the character beside it") {
    const wrapped_text w = wrap("abcdefgh", 4);  // "abcd\nefgh"
    REQUIRE(w.shown == "abcd\nefgh");
    const edited_text back = edit(w, 4, 5, "", 5);  // Backspace at the start of "efgh"
    CHECK(back.text == "abcefgh");
    CHECK(back.cursor == 3);
    const edited_text del = edit(w, 4, 5, "", 4);  // Delete at the end of "abcd"
    CHECK(del.text == "abcdfgh");
    CHECK(del.cursor == 4);
}

TEST_CASE("a selection across a break replaced by a paste reads back as the text with the paste") {
    const wrapped_text w = wrap("the quick brown fox", 10);
    const edited_text e = edit(w, 4, 15, "slow", 15);  // "quick\nbrown" -> "slow"
    CHECK(e.text == "the slow fox");
    CHECK(e.cursor == 8);
}

TEST_CASE("any edit of the shown text reads back as the same edit of the text") {
    std::mt19937 random(20261127);
    const std::string pieces[] = {"a", "word", " ", "  ", "\n", "longerwordthanaline", "\xE6\x97\xA5",
                                  "\xE3\x80\x82", "\xC3\xA9t\xC3\xA9", "x", "\xF0\x9F\x93\x9E"};
    int checked = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int n = static_cast<int>(random() % 30);
        for (int i = 0; i < n; ++i) text += pieces[random() % std::size(pieces)];
        const float width = static_cast<float>(1 + random() % 12);
        const wrapped_text w = wrap(text, width);
        REQUIRE(w.text == text);
        // A place between whole characters of the shown text.
        const auto place = [&] {
            std::size_t p = random() % (w.shown.size() + 1);
            while (p > 0 && p < w.shown.size() && (static_cast<unsigned char>(w.shown[p]) & 0xC0u) == 0x80u) --p;
            return p;
        };
        std::size_t from = place();
        std::size_t to = place();
        if (from > to) std::swap(from, to);
        const std::string typed = random() % 3 == 0 ? std::string() : pieces[random() % std::size(pieces)];
        const std::size_t text_from = w.to_text(from);
        const std::size_t text_to = w.to_text(to);
        if (typed.empty() && text_from == text_to) {
            // Only added breaks: with the cursor after one, Backspace takes the character
            // before it; with the cursor before one, Delete the character after.
            if (to != from + 1) continue;
            const edited_text back = edit(w, from, to, "", to);
            std::size_t start = text_from;
            do --start;
            while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0u) == 0x80u);
            CHECK(back.text == text.substr(0, start) + text.substr(text_from));
            CHECK(back.cursor == start);
            const edited_text del = edit(w, from, to, "", from);
            std::size_t end = text_from + 1;
            while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0u) == 0x80u) ++end;
            CHECK(del.text == text.substr(0, text_from) + (end < text.size() ? text.substr(end) : std::string()));
            ++checked;
            continue;
        }
        const edited_text e = from == to ? edit(w, from, to, typed, to) : edit(w, from, to, typed);
        const std::string expected = text.substr(0, text_from) + typed + text.substr(text_to);
        INFO("text: " << text << " width " << width << " shown [" << from << ", " << to << ") typed '" << typed
                      << "'");
        CHECK(e.text == expected);
        CHECK(e.cursor == text_from + typed.size());
        // And the cursor put back into the new wrap lands at the same place of the text.
        const wrapped_text again = wrap(e.text, width);
        CHECK(again.to_text(again.to_shown(e.cursor)) == e.cursor);
        ++checked;
    }
    CHECK(checked > 2000);
}
