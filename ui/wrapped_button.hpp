#pragma once
// A full-width button whose label wraps onto as many lines as it needs: an answer can be
// a sentence or two, and an agent must read all of it before choosing.

#include <string>

namespace signpost::ui {

// Draws `text` on a button as wide as the room left, at least `min_height` tall. `id` is
// the ImGui label (e.g. "##choice3"); the text is drawn, not used as the id, so two equal
// answers stay two buttons. True when clicked.
bool wrapped_button(const std::string& text, const std::string& id, float min_height);

}  // namespace signpost::ui
