#pragma once
// How big a node is drawn and where its pins sit, in canvas units. The UI draws to these
// numbers and the layout and hit tests use them, so all three agree.

#include <cstdint>
#include <functional>
#include <string>
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
// Characters that fit on one preview line (the estimate used until the UI gives its font).
inline constexpr int node_chars_per_line = 32;
// Space between the box's edges and its text, each side.
inline constexpr double node_text_inset = 8.0;
// The width box text is wrapped or cut to.
inline constexpr double node_text_width = node_width - 2 * node_text_inset;
// Height of one output row (a choice label, a branch condition, "next").
inline constexpr double node_slot_height = 22.0;
// Padding below the text block and at the bottom.
inline constexpr double node_padding = 6.0;
// Radius of a pin circle; hits count within pin_hit_radius.
inline constexpr double pin_radius = 5.0;
inline constexpr double pin_hit_radius = 9.0;

// [SECTION] box text
// The box's height depends on how many lines its text wraps to, which depends on the
// font. The model has none: the UI gives the widths of its font's characters
// (set_preview_widths), so the lines the model sizes a box for are the lines the canvas
// draws. Until then, and in tools without a window, characters are counted
// (node_chars_per_line to a line; twice for wide CJK ones).

// The width of one character as drawn, in canvas units.
using char_width = std::function<double(char32_t)>;

// The character widths of preview text: the UI's font's, or the estimate.
const char_width& preview_widths();
// Sets them (an empty function goes back to the estimate). The UI calls it from its one
// thread, before geometry is computed and again when the font changes.
void set_preview_widths(char_width widths);
// Increases on every set_preview_widths(): geometry computed before is stale.
std::uint64_t preview_widths_generation();

// What a box previews of a node: its text as plain text, blank lines dropped, tabs as
// spaces; an end without text shows its outcome.
std::string preview_text(const node& n);

// Text wrapped to a width: between words (after any wide CJK character too), inside a
// word only when it fills a line alone. At most `max_lines` lines; when text is left over
// the last line ends with '…'. Characters ImGui cannot draw (past U+FFFF, invalid UTF-8)
// are U+FFFD in the lines, as they are drawn.
struct wrapped_lines {
    std::vector<std::string> lines;
    bool cut = false;  // text did not fit and was left out
};
wrapped_lines wrap_lines(std::string_view text, double width, const char_width& widths, int max_lines);

// One line of text cut to `width` with a '…' at the end when it does not fit (at a
// line break too: what follows it is left out).
std::string fit_line(std::string_view text, double width, const char_width& widths);

// The width of text drawn on one line.
double text_width(std::string_view text, const char_width& widths);

// The lines a node's preview shows: preview_text() wrapped to node_text_width with
// preview_widths(), at most node_max_text_lines.
wrapped_lines preview_of(const node& n);

// Lines the preview of `text` takes with preview_widths(): at most node_max_text_lines, 0
// if empty.
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
