#pragma once
// A multi-line text box whose lines wrap at its width (ImGui 1.86's own box does not wrap:
// a paragraph ran out of sight to the right). The breaks are only shown: the text keeps
// its spaces, copying takes the text as written, and the box keeps its own undo (ImGui's
// would replay edits at places the wrap has since moved).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "ui/soft_wrap.hpp"

namespace signpost::ui {

class wrapped_text_box {
public:
    // Draws the box for `text` (ImGui::InputTextMultiline's label and size; a height grows
    // to fit the text, up to three times itself); while it is being edited `text` follows
    // the edits. True when `text` changed this frame.
    bool draw(const char* label, std::string& text, const ImVec2& size);

    // Ends the edit in progress as if the box had lost focus (its undo goes with it).
    void reset() { m_id = 0; }

    // Escape leaves the box keeping what was typed, instead of putting back what the box
    // began with: a note being written is not to be thrown away by the key that leaves.
    bool escape_keeps = false;

private:
    static int on_callback(ImGuiInputTextCallbackData* data);
    void callback(ImGuiInputTextCallbackData* data);
    // Wraps `text` into the box, with the cursor and the selection's other end (in the text).
    void rewrap(ImGuiInputTextCallbackData* data, std::string text, std::size_t cursor, std::size_t anchor);
    // Undo (from m_undo to m_redo) or redo.
    void restore(ImGuiInputTextCallbackData* data, std::vector<edited_text>& from, std::vector<edited_text>& to);

    // The box being drawn this frame: what it was given.
    ImGuiID m_drawing = 0;
    wrapped_text m_offered;
    float m_width = 0;
    char_advance m_advance;

    // The box being edited (0 = none) and its state since its last frame.
    ImGuiID m_id = 0;
    int m_frame = -1;
    wrapped_text m_shown;          // its text, and as the box holds it
    std::string m_returned;        // the text draw() last gave back
    wrapped_text m_initial;       // as it was when editing began (Escape goes back to it)
    float m_shown_width = 0;
    std::size_t m_select_start = 0;  // in m_shown.shown
    std::size_t m_select_end = 0;
    std::vector<edited_text> m_undo;
    std::vector<edited_text> m_redo;
    bool m_typing = false;         // the last edit typed one character: the next joins its undo step
    std::size_t m_cursor_after = 0;
};

}  // namespace signpost::ui
