#pragma once
// Colours and small drawing helpers shared by the editor's views, so a node kind looks the
// same on the canvas, in the outline and in the inspector.

#include <imgui.h>

#include "signpost/diagnostic.hpp"
#include "signpost/tree.hpp"

namespace signpost::editor {

// The colour of a node kind (the box header, the outline badge).
ImU32 kind_colour(node_kind k);
// The letter drawn in a kind's badge: Q S F L J E (escalate) and X (end).
const char* kind_letter(node_kind k);
// "Question", "Step", ... for menus.
const char* kind_label(node_kind k);
// Every kind, in menu order.
inline constexpr node_kind all_kinds[] = {node_kind::question, node_kind::step,     node_kind::form,
                                          node_kind::logic,    node_kind::jump,     node_kind::escalate,
                                          node_kind::end};

// The colour diagnostics of a severity are shown in.
ImVec4 severity_colour(severity s);

// A blue -> yellow -> red heat scale for a share in [0, 1] (statistics overlay).
ImU32 heat_colour(double share);

namespace colours {
inline const ImVec4 muted(0.62f, 0.66f, 0.72f, 1.0f);
inline const ImVec4 error(1.0f, 0.42f, 0.40f, 1.0f);
inline const ImVec4 warning(1.0f, 0.78f, 0.30f, 1.0f);
inline const ImVec4 ok(0.35f, 0.78f, 0.48f, 1.0f);
inline const ImVec4 accent(0.35f, 0.65f, 1.0f, 1.0f);
}  // namespace colours

// Draws a small rounded badge with the kind letter at the cursor (an outline row).
void kind_badge(node_kind k, float size);

// [SECTION] tables of one-line rows in the bottom panel: no row is ever half shown.
// The height of one one-line table row (its header row too).
float table_row_height();
// The tallest height of whole rows within `room` (0, the table's own default, when fewer
// than two fit).
float whole_rows_height(float room);
// Call inside a scrolling table with a frozen header row, after its rows: moves its scroll
// to whole rows (a wheel step is not a multiple of the row height), so no row is cut at the
// top or bottom. Takes effect from the next frame, as ImGui scrolls.
void snap_scroll_to_rows();

}  // namespace signpost::editor
