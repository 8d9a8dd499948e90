#pragma once
// Word wrap for text boxes that cannot wrap by themselves. ImGui 1.86's multi-line input
// breaks lines only at '\n', so a paragraph of step text is one line running out of the
// box. The box is given the text with line breaks put in where a line would pass its
// width; an edit made there is read back into the text, and the breaks are put in again.
// No ImGui here: the box (wrapped_text_box.hpp) measures characters and calls these.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::ui {

// The code point at byte `i` of UTF-8 text and its length in bytes (a malformed byte reads
// as U+FFFD, one byte long).
char32_t code_point_at(std::string_view s, std::size_t i, std::size_t& length);

// Chinese and Japanese are written without spaces: a line may break after any ideograph,
// kana or CJK punctuation mark (Korean puts spaces between words, so Hangul does not).
// Not after an opening bracket, which belongs with what follows it.
bool may_break_after(char32_t c);
// ...and not before a mark a line must not start with: closing brackets and punctuation,
// the prolonged-sound mark, small kana, the iteration marks.
bool may_start_line(char32_t c);

// The width a character takes in the box's font.
using char_advance = std::function<float(char32_t)>;

// A place where the shown text differs from the text.
struct shown_piece {
    enum class kind {
        break_for_space,  // '\n' shown for a space where the line breaks
        added_break,      // '\n' shown where a line breaks inside a word: no character
        stand_in,         // U+FFFD shown for a character ImGui cannot hold (past U+FFFF, malformed)
    };
    std::size_t at = 0;  // byte offset in the shown text
    kind what = kind::break_for_space;
    std::size_t text_length = 1;  // bytes of text it stands for (0 for an added break)

    std::size_t shown_length() const { return what == kind::stand_in ? 3 : 1; }
};

// Text as a wrapping box shows it.
struct wrapped_text {
    std::string text;
    std::string shown;
    std::vector<shown_piece> pieces;  // by `at`

    // Byte offset in the text of a byte offset in `shown` (an added break is no character:
    // the place before it and the place after it are the same place in the text).
    std::size_t to_text(std::size_t shown_pos) const;
    // Byte offset in `shown` of a byte offset in the text; where a break was added, the
    // place after it (the start of the next line).
    std::size_t to_shown(std::size_t text_pos) const;
};

// Breaks the lines of `text` that are wider than `width`: at a space (the last of a run),
// else after a Chinese or Japanese character, else inside a word that fills the line.
// Lines the text breaks itself ('\n') stay as they are. ImGui 1.86 keeps 16-bit characters:
// an emoji (or a malformed byte) is shown as U+FFFD and kept in the text as it was.
wrapped_text wrap_text(std::string_view text, float width, const char_advance& advance);

// What a box showing `before` holds after one edit (typing, a paste, a cut, Backspace,
// Delete, Enter), and where the selection was before it (byte offsets in before.shown;
// start == end when there was only the cursor).
struct box_edit {
    std::string_view now;
    std::size_t cursor = 0;  // in `now`, after the edit
    std::size_t before_start = 0;
    std::size_t before_end = 0;
};

struct edited_text {
    std::string text;
    std::size_t cursor = 0;  // byte offset in `text`
};

// The text after the edit. What was typed is taken as typed (Enter is a line break of the
// text); removing a break that stood for a space removes the space, removing a U+FFFD that
// stood in for a character removes it; Backspace or Delete on a break that was added
// removes the character before or after it, as it would with no wrap.
edited_text read_edit(const wrapped_text& before, const box_edit& edit);

}  // namespace signpost::ui
