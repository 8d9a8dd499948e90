#pragma once
// How big a node is drawn and where its pins sit, in canvas units. The UI draws to these
// numbers and the layout and hit tests use them, so all three agree.

#include <string_view>
#include <vector>

#include "model/geometry.hpp"
#include "model/pin.hpp"
#include "signpost/tree.hpp"

namespace signpost::editor {

// Every node box has this width.
inline constexpr double node_width = 220.0;
// Height of the title bar (kind + id/title).
inline constexpr double node_header_height = 28.0;
// Height of one line of preview text.
inline constexpr double node_line_height = 18.0;
// Preview text is cut to this many lines.
inline constexpr int node_max_text_lines = 4;
// Characters that fit on one preview line (wrapping estimate without a font).
inline constexpr int node_chars_per_line = 32;
// Height of one output row (a choice label, a branch condition, "next").
inline constexpr double node_slot_height = 22.0;
// Padding below the text block and at the bottom.
inline constexpr double node_padding = 6.0;
// Radius of a pin circle; hits count within pin_hit_radius.
inline constexpr double pin_radius = 5.0;
inline constexpr double pin_hit_radius = 9.0;

// Lines the preview of `text` takes: wrapped estimate, at most node_max_text_lines, 0 if empty.
int preview_lines(std::string_view text);

// The output pins of a node, top to bottom (including the "add answer"/"add branch" pins).
std::vector<pin> output_pins(const node& n);

// Size of a node's box: header + preview text lines + one row per output pin.
vec2 node_size(const node& n);

// Where everything of one node is, for a box whose top-left is at `pos`.
struct node_geometry {
    rect box;
    vec2 input;                 // the input pin (left edge, middle of the header)
    std::vector<pin> outputs;   // same order as output_pins()
    std::vector<vec2> output_positions;  // right edge, middle of each output row
    double text_top = 0;        // y of the preview text block
};

// Geometry of `n` placed with its top-left corner at `pos`.
node_geometry geometry_of(const node& n, vec2 pos);

// Index into g.outputs of the output pin within pin_hit_radius of `p`, or -1.
int hit_output_pin(const node_geometry& g, vec2 p, double radius = pin_hit_radius);

// True when `p` is within pin_hit_radius of the input pin.
bool hit_input_pin(const node_geometry& g, vec2 p, double radius = pin_hit_radius);

// The node id a pin currently points at ("" when unset or an "add" pin).
std::string pin_target(const tree& t, const pin& p);

}  // namespace signpost::editor
