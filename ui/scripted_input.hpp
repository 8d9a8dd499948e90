#pragma once
// The keys --after plays before --screenshot (player and editor), written as one string.

#include <string>
#include <vector>

namespace signpost::ui {

// One scripted input step for --after: a key press (with Ctrl, Shift or Alt held), or typed text.
struct scripted_input {
    int key = -1;         // key code (keys.hpp), -1 for text
    bool ctrl = false;
    bool shift = false;
    bool alt = false;
    std::string text;     // typed characters when key == -1
};

// Parses "1,2,Enter,Ctrl+R,Alt+Left,text:12345678" into steps; "\," is a comma inside a
// step ("text:Flat 2\, Hill Road"). On a bad token returns false and sets `error`.
bool parse_scripted_inputs(const std::string& spec, std::vector<scripted_input>& out, std::string& error);

}  // namespace signpost::ui
