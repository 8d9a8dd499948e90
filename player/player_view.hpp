#pragma once
// The agent's window, drawn with ImGui from the player_app model. Thin: it reads the model,
// maps keys and clicks to player_app actions, and nothing else.

#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

#include "player_app.hpp"
#include "ui/fonts.hpp"
#include "ui/wrapped_text_box.hpp"

namespace signpost::player {

// Something the view drew that a person can act on: tests find and click these.
struct drawn_control {
    std::string label;
    ImVec2 min;
    ImVec2 max;
};

// What the view keeps between frames (open dialogs, the find query).
struct player_view_state {
    bool find_open = false;
    bool restart_dialog_open = false;
    std::string find_query;
    std::string find_confirm;  // an end or hand-off step picked in find: asked again before going
    std::string find_error;    // why the last pick did not go
    bool find_focus = false;   // put the keyboard back in the search box next frame
    bool end_dialog_open = false;
    bool focus_form = false;
    bool show_first_error = false;  // a submit was refused: scroll to its first refused field
    std::string focus_field;        // the variable whose input takes the focus next frame
    std::string select_field;       // the variable whose text is selected when its input takes the focus
    int select_frame = 0;           // the frame select_field was set in
    std::string last_field;         // the form field the keyboard was last in (given back after a dialog)
    // The field the player just gave the keyboard to, and when: ImGui 1.86 selects all of a
    // field focused from code, and the next key (Backspace for Back) replaced the typing.
    std::string caret_end_field;
    int caret_end_frame = 0;
    bool modal_was_open = false;    // a dialog was open last frame
    bool focus_notes = false;       // put the keyboard in the notes box next frame
    // Characters typed after a form appeared but before its first field had the keyboard
    // (a frame or two): given to the field once it has it, not dropped.
    std::vector<ImWchar> typed_early;
    std::size_t find_pick = 0;      // the result Enter takes in the find dialog
    std::string find_pick_query;    // the query find_pick was for
    std::uint64_t focused_generation = 0;  // player_app::drafts_generation the keyboard was last set up for
    std::vector<drawn_control> controls;  // rebuilt every frame
    std::size_t crumbs_followed = 0;      // breadcrumb length last scrolled to its end
    std::uint64_t back_after_end = 0;     // the call (call_number) Back was tried on after it ended
    std::string transcript_copied;        // last text put on the clipboard
    // The ended call's transcript, built once rather than every frame, and the number of
    // the call it belongs to (player_app::call_number; 0 = none yet).
    std::string transcript;
    std::uint64_t transcript_of = 0;
    std::size_t transcript_notes = 0;  // notes it was built with (after-call notes rebuild it)
    bool transcript_box_active = false;  // last frame
    // It as shown: long lines broken at the box's width (the last frame's).
    std::string transcript_shown;
    float transcript_shown_width = 0;
    ui::wrapped_text_box note_box;  // the call-notes box
};

// Draws one frame of the player filling the main viewport.
void draw_player(player_app& app, player_view_state& state, const ui::font_set& fonts);

}  // namespace signpost::player
