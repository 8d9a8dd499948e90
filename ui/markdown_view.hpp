#pragma once
// Draws light Markdown (as parsed by the engine) with ImGui, word-wrapped.

#include <string_view>

#include "fonts.hpp"

namespace signpost::ui {

// Draws `markdown` at the cursor, wrapping at the content region's right edge.
void draw_markdown(std::string_view markdown, const font_set& fonts);

}  // namespace signpost::ui
