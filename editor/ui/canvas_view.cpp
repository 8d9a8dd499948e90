// The node canvas.
//
// Index
//   [SECTION] helpers
//   [SECTION] frame
//   [SECTION] input
//   [SECTION] drawing
//   [SECTION] menus and keys

#include "canvas_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "editor_app.hpp"
#include "model/commands.hpp"
#include "model/node_box.hpp"
#include "palette.hpp"
#include "signpost/load.hpp"
#include "signpost/text.hpp"
#include "ui/keys.hpp"

namespace signpost::editor {

// [SECTION] helpers

namespace {

ImVec2 im(vec2 v) { return ImVec2(static_cast<float>(v.x), static_cast<float>(v.y)); }
vec2 vv(ImVec2 v) { return {v.x, v.y}; }
ImVec2 add(ImVec2 a, ImVec2 b) { return ImVec2(a.x + b.x, a.y + b.y); }
ImVec2 sub(ImVec2 a, ImVec2 b) { return ImVec2(a.x - b.x, a.y - b.y); }
float dist(ImVec2 a, ImVec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

const ImU32 colour_background = IM_COL32(24, 26, 31, 255);
const ImU32 colour_grid_minor = IM_COL32(38, 41, 48, 255);
const ImU32 colour_grid_major = IM_COL32(50, 54, 63, 255);
const ImU32 colour_body = IM_COL32(42, 46, 55, 245);
const ImU32 colour_border = IM_COL32(70, 76, 90, 255);
const ImU32 colour_text = IM_COL32(226, 230, 236, 255);
const ImU32 colour_text_muted = IM_COL32(150, 158, 172, 255);
const ImU32 colour_link = IM_COL32(140, 150, 168, 200);
const ImU32 colour_link_hot = IM_COL32(200, 212, 232, 255);
const ImU32 colour_selected = IM_COL32(90, 170, 255, 255);
const ImU32 colour_highlight = IM_COL32(120, 230, 120, 255);
const ImU32 colour_start = IM_COL32(84, 190, 110, 255);

// Sizes of canvas text, in canvas units (scaled by the zoom).
constexpr float title_size = 15.0f;
constexpr float body_size = 13.5f;
constexpr float row_size = 13.0f;

// The widths of `font`'s characters drawn `size` canvas units high (ImGui scales a
// font's advances linearly with the size, so these hold at every zoom).
// The widths are copied: the model keeps them past this frame's font (a context or atlas
// may be gone before the next geometry is computed).
char_width widths_of(const ImFont* font, float size) {
    const double scale = static_cast<double>(size / font->FontSize);
    auto advances = std::make_shared<const std::vector<float>>(font->IndexAdvanceX.begin(), font->IndexAdvanceX.end());
    const float fallback = font->FallbackAdvanceX;
    return [advances, fallback, scale](char32_t c) {
        const float a = c < advances->size() ? (*advances)[c] : fallback;
        return static_cast<double>(a) * scale;
    };
}

// The room a title has in the header: after the kind badge, to the inset from the right edge.
constexpr double title_left = node_text_inset * 1.6 + 18.0;
constexpr double title_width = node_width - title_left - node_text_inset;
// The room a row label has: to the left of its pin.
constexpr double row_width = node_width - node_text_inset - 2 * pin_radius;

// The label of each output row, in output_pins() order, cut to the row.
std::vector<std::string> row_labels(const node& n, const std::vector<pin>& pins, const char_width& widths) {
    std::vector<std::string> rows;
    for (const pin& p : pins) {
        switch (p.slot) {
        case pin_slot::choice:
            if (p.index < static_cast<int>(n.choices.size())) {
                const choice& c = n.choices[static_cast<std::size_t>(p.index)];
                std::string label = markdown_to_plain(c.label);
                if (label.empty()) label = "(no label)";
                rows.push_back(fit_line(c.condition ? "\xE2\x97\x87 " + label : label, row_width, widths));  // ◇ marks a condition
            } else {
                rows.push_back("+ answer");
            }
            break;
        case pin_slot::branch:
            if (p.index < static_cast<int>(n.branches.size()))
                rows.push_back(fit_line("if " + n.branches[static_cast<std::size_t>(p.index)].condition.source(), row_width, widths));
            else
                rows.push_back("+ branch");
            break;
        case pin_slot::otherwise: rows.push_back("otherwise"); break;
        case pin_slot::next:
            rows.push_back(n.kind == node_kind::jump ? fit_line("then (after " + n.tree_ref + ")", row_width, widths) : "next");
            break;
        }
    }
    return rows;
}

}  // namespace

std::string link_key(const std::string& from, const std::string& to) { return from + "\n" + to; }

void canvas_view::reset() {
    m_scene_generation = 0;
    m_scene_doc = nullptr;
    m_fit_pending = true;
    m_first_view = true;
    m_centre_pending.clear();
    m_gesture = canvas_gesture::idle;
    m_selected_link.reset();
    m_link_from.reset();
    m_new_from.reset();
    highlighted.clear();
}

ImVec2 canvas_view::to_screen(vec2 canvas) const { return add(m_origin, im(m_view.to_screen(canvas))); }
vec2 canvas_view::to_canvas(ImVec2 screen) const { return m_view.to_canvas(vv(sub(screen, m_origin))); }

// [SECTION] frame

void canvas_view::sync_scene(editor_app& app) {
    const document& doc = app.doc();
    // Boxes are sized for the lines the font wraps their text to: the model measures with
    // the font's widths, given again when its glyphs change (CJK ones are added as text
    // needs them).
    const ImFont* font = app.fonts().regular;
    const ImFont* bold = app.fonts().bold;
    if (font != m_measured_font || font->Glyphs.Size != m_measured_glyphs || bold->Glyphs.Size != m_measured_bold) {
        set_preview_widths(widths_of(font, body_size));
        m_title_widths = widths_of(bold, title_size);
        m_row_widths = widths_of(font, row_size);
        m_measured_font = font;
        m_measured_glyphs = font->Glyphs.Size;
        m_measured_bold = bold->Glyphs.Size;
    }
    if (m_scene_doc == &doc && m_scene_generation == doc.generation() &&
        m_scene_widths == preview_widths_generation())
        return;
    m_scene_widths = preview_widths_generation();
    m_scene.rebuild(doc.current());
    m_scene_doc = &doc;
    m_scene_generation = doc.generation();
    m_text.assign(m_scene.nodes().size(), std::nullopt);
    if (m_selected_link && pin_target(doc.current(), *m_selected_link).empty()) m_selected_link.reset();
}

void canvas_view::draw(editor_app& app) {
    sync_scene(app);
    m_origin = ImGui::GetCursorScreenPos();
    m_size = ImGui::GetContentRegionAvail();
    m_size.x = std::max(m_size.x, 50.0f);
    m_size.y = std::max(m_size.y, 50.0f);
    ImGui::InvisibleButton("##canvas", m_size,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                               ImGuiButtonFlags_MouseButtonMiddle);
    const bool hovered = ImGui::IsItemHovered();
    app.record("canvas");

    if (m_fit_pending) {
        std::vector<rect> boxes;
        boxes.reserve(m_scene.nodes().size());
        for (const auto& g : m_scene.nodes()) boxes.push_back(g.box);
        m_view = fit_view(boxes, vv(m_size));
        m_fit_pending = false;
        // A freshly opened big tree would fit only as unreadable specks: start readable,
        // at the start node, instead (F still fits everything). A small one (a template)
        // is better seen whole, if a little small, but not so small that the boxes lose
        // their text (below simple_zoom they are drawn as bare boxes).
        const int start = m_scene.index_of(app.doc().current().start);
        const bool big = m_scene.nodes().size() > 12;
        const bool textless = m_view.zoom < simple_zoom + 0.1;
        if (m_first_view && (big || textless) && m_view.zoom < readable_zoom && start >= 0) {
            const rect box = m_scene.nodes()[static_cast<std::size_t>(start)].box;
            m_view.zoom = readable_zoom;
            m_view.offset = vec2{60.0, m_size.y * 0.45} - vec2{box.min.x, box.center().y} * m_view.zoom;
        }
        m_first_view = false;
    }
    if (!m_centre_pending.empty()) {
        if (const int i = m_scene.index_of(m_centre_pending); i >= 0) {
            const vec2 c = m_scene.nodes()[static_cast<std::size_t>(i)].box.center();
            m_view.offset = vv(m_size) * 0.5 - c * m_view.zoom;
        }
        m_centre_pending.clear();
    }

    handle_input(app, hovered);
    sync_scene(app);  // the input may have edited the tree

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 end = add(m_origin, m_size);
    dl->PushClipRect(m_origin, end, true);
    dl->AddRectFilled(m_origin, end, colour_background);

    // Grid: minor lines on the snap grid when they are far enough apart, major every 5.
    const rect visible = m_view.visible_canvas(vv(m_size));
    for (const double step : {snap_grid, snap_grid * 5}) {
        if (step * m_view.zoom < 10) continue;
        const ImU32 colour = step > snap_grid ? colour_grid_major : colour_grid_minor;
        // Lines counted, not stepped to: far out (x = 1e19) adding the step no longer
        // changes x, and the loop would never end.
        const auto lines = [&](double from, double to) {
            const double first = std::floor(from / step);
            const double count = std::min(1000.0, std::floor((to - first * step) / step) + 1);
            return std::pair{first, count > 0 ? static_cast<int>(count) : 0};
        };
        const auto [x_first, x_count] = lines(visible.min.x, visible.max.x);
        for (int i = 0; i < x_count; ++i) {
            const float sx = to_screen({(x_first + i) * step, 0}).x;
            dl->AddLine(ImVec2(sx, m_origin.y), ImVec2(sx, end.y), colour);
        }
        const auto [y_first, y_count] = lines(visible.min.y, visible.max.y);
        for (int i = 0; i < y_count; ++i) {
            const float sy = to_screen({0, (y_first + i) * step}).y;
            dl->AddLine(ImVec2(m_origin.x, sy), ImVec2(end.x, sy), colour);
        }
    }

    const rect cull = expanded(visible, 12.0 / m_view.zoom);
    draw_links(app, dl, cull);
    draw_nodes(app, dl, cull);
    draw_overlays(app, dl);
    dl->PopClipRect();

    if (traffic) draw_legend(dl);

    // Zoom readout, bottom-right.
    char zoom_text[32];
    std::snprintf(zoom_text, sizeof zoom_text, "%.0f%%", m_view.zoom * 100);
    const ImVec2 zs = ImGui::CalcTextSize(zoom_text);
    dl->AddText(ImVec2(end.x - zs.x - 8, end.y - zs.y - 6), colour_text_muted, zoom_text);

    draw_popups(app);
    handle_keys(app);
}

// [SECTION] input

void canvas_view::handle_input(editor_app& app, bool hovered) {
    ImGuiIO& io = ImGui::GetIO();
    document& doc = app.doc();
    const ImVec2 mouse = io.MousePos;
    const vec2 at = to_canvas(mouse);
    const bool popup_open = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
    m_hovered = hovered && !popup_open;
    m_hovered_node = hovered && !popup_open ? m_scene.node_at(at) : -1;

    if (hovered && io.MouseWheel != 0.0f && m_gesture != canvas_gesture::dragging_nodes) {
        m_view.zoom_at(vv(sub(mouse, m_origin)), m_view.zoom * std::pow(1.15, static_cast<double>(io.MouseWheel)));
    }

    if (m_gesture == canvas_gesture::idle && hovered && !popup_open) {
        const bool ctrl = io.KeyCtrl;
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Middle) || ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
            m_gesture = canvas_gesture::panning;
            m_gesture_button = ImGui::IsMouseClicked(ImGuiMouseButton_Middle) ? 2 : 1;
            m_press_screen = mouse;
            m_moved = false;
        } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            m_press_screen = mouse;
            m_moved = false;
            m_gesture_button = 0;
            const double pin_radius_canvas = std::max(pin_hit_radius, 9.0 / m_view.zoom);
            const auto [pin_node, pin_index] = m_scene.output_pin_at(at, pin_radius_canvas);
            if (ImGui::IsKeyDown(ui::key::space) && !io.WantTextInput) {
                m_gesture = canvas_gesture::panning;
            } else if (pin_node >= 0 && m_view.zoom >= simple_zoom) {
                m_link_from = m_scene.nodes()[static_cast<std::size_t>(pin_node)].outputs[static_cast<std::size_t>(pin_index)];
                m_gesture = canvas_gesture::linking;
            } else if (m_hovered_node >= 0) {
                const std::string& id = m_scene.ids()[static_cast<std::size_t>(m_hovered_node)];
                m_pressed_node = id;
                m_pressed_ctrl = ctrl;
                m_selected_link.reset();
                if (ctrl) doc.selection().toggle(id);
                else if (!doc.selection().contains(id)) doc.selection().select_only(id);
                m_drag_start.clear();
                if (doc.selection().contains(id)) {
                    for (const std::string& sel : doc.selection().ids()) {
                        const int i = m_scene.index_of(sel);
                        if (i < 0) continue;
                        const vec2 p = position_of(doc.current(), sel).value_or(m_scene.nodes()[static_cast<std::size_t>(i)].box.min);
                        m_drag_start.emplace_back(sel, p);
                    }
                }
                m_drag_sent = m_drag_start;
                m_drag_time = document::clock::now();
                doc.edits().seal();
                m_gesture = canvas_gesture::dragging_nodes;
            } else if (const int link = m_scene.link_at(at, 6.0 / m_view.zoom); link >= 0) {
                const scene_link& l = m_scene.links()[static_cast<std::size_t>(link)];
                m_selected_link = m_scene.nodes()[l.from_node].outputs[l.from_pin];
                if (!ctrl) doc.selection().clear();
            } else {
                if (!ctrl) doc.selection().clear();
                m_selected_link.reset();
                m_gesture = canvas_gesture::box_selecting;
            }
        }
    }

    if (m_gesture == canvas_gesture::idle) return;
    if (dist(mouse, m_press_screen) > 3.0f) m_moved = true;
    switch (m_gesture) {
    case canvas_gesture::panning:
        if (m_moved) m_view.pan_by(vv(io.MouseDelta));
        break;
    case canvas_gesture::dragging_nodes:
        if (m_moved && !m_drag_start.empty()) {
            const vec2 delta = vv(sub(mouse, m_press_screen)) / m_view.zoom;
            std::vector<std::pair<std::string, vec2>> target;
            target.reserve(m_drag_start.size());
            for (const auto& [id, start] : m_drag_start) target.emplace_back(id, snap_to_grid(start + delta, snap_grid));
            if (target != m_drag_sent) {
                // Every move of one drag carries the press time, so however long the
                // author pauses mid-drag, the moves merge into one undo step.
                if (const auto error = app.doc().execute(move_nodes(target), m_drag_time)) app.set_status(*error, true);
                m_drag_sent = std::move(target);
            }
        }
        break;
    default:
        break;
    }
    if (!ImGui::IsMouseDown(m_gesture_button)) finish_gesture(app);
}

void canvas_view::finish_gesture(editor_app& app) {
    document& doc = app.doc();
    const vec2 at = to_canvas(ImGui::GetIO().MousePos);
    switch (m_gesture) {
    case canvas_gesture::panning:
        if (m_gesture_button == 1 && !m_moved) {
            // A right click without a drag: the context menu of what is under the mouse.
            const int n = m_scene.node_at(at);
            if (n >= 0) {
                m_menu_node = m_scene.ids()[static_cast<std::size_t>(n)];
                if (!doc.selection().contains(m_menu_node)) doc.selection().select_only(m_menu_node);
                m_open_node_menu = true;
            } else {
                m_new_from.reset();
                m_new_at = at;
                m_open_new_menu = true;
            }
        }
        break;
    case canvas_gesture::dragging_nodes:
        doc.edits().seal();
        if (!m_moved && !m_pressed_ctrl && doc.selection().size() > 1) doc.selection().select_only(m_pressed_node);
        break;
    case canvas_gesture::box_selecting:
        if (m_moved) {
            const rect band = rect_from_corners(to_canvas(m_press_screen), at);
            std::vector<std::string> ids;
            for (const std::size_t i : m_scene.nodes_in(band)) ids.push_back(m_scene.ids()[i]);
            if (ImGui::GetIO().KeyCtrl) {
                for (const std::string& id : ids) doc.selection().add(id);
            } else {
                doc.selection().set(ids);
            }
        }
        break;
    case canvas_gesture::linking:
        if (m_link_from && !ImGui::IsMouseHoveringRect(m_origin, add(m_origin, m_size), false)) {
            m_link_from.reset();  // dropped outside the canvas: nothing to link
        } else if (m_link_from) {
            if (m_moved) {
                const int target = m_scene.node_at(at);
                if (target >= 0) {
                    app.run(connect(*m_link_from, m_scene.ids()[static_cast<std::size_t>(target)]));
                    doc.edits().seal();
                } else {
                    m_new_from = m_link_from;
                    m_new_at = at;
                    m_open_new_menu = true;
                }
            } else if (!pin_target(doc.current(), *m_link_from).empty()) {
                m_selected_link = m_link_from;  // a click on a linked pin selects its link
            }
        }
        m_link_from.reset();
        break;
    case canvas_gesture::idle:
        break;
    }
    m_gesture = canvas_gesture::idle;
}

// [SECTION] drawing

void canvas_view::draw_links(editor_app& app, ImDrawList* dl, const rect& visible) {
    const selection& sel = app.doc().selection();
    const float z = static_cast<float>(m_view.zoom);
    const bool simple = m_view.zoom < simple_zoom;
    m_drawn_links = 0;
    const auto& nodes = m_scene.nodes();
    for (const std::size_t li : m_scene.links_in(visible)) {
        const scene_link& l = m_scene.links()[li];
        const pin& from = nodes[l.from_node].outputs[l.from_pin];
        const bool selected = m_selected_link && *m_selected_link == from;
        const bool touches = sel.contains(m_scene.ids()[l.from_node]) || sel.contains(m_scene.ids()[l.to_node]);
        ImU32 colour = selected ? colour_selected : touches ? colour_link_hot : colour_link;
        float thickness = (selected ? 3.0f : touches ? 2.2f : 1.6f) * std::max(z, 0.6f);
        if (traffic) {
            const auto it = traffic->link_count.find(link_key(m_scene.ids()[l.from_node], m_scene.ids()[l.to_node]));
            const long long count = it == traffic->link_count.end() ? 0 : it->second;
            const double share = traffic->busiest_link > 0 ? double(count) / double(traffic->busiest_link) : 0.0;
            if (!selected) colour = count > 0 ? heat_colour(share) : IM_COL32(90, 96, 108, 160);
            thickness = (1.2f + 9.0f * static_cast<float>(share)) * std::max(z, 0.5f);
        }
        const ImVec2 p0 = to_screen(l.curve.p0), p1 = to_screen(l.curve.p1), p2 = to_screen(l.curve.p2),
                     p3 = to_screen(l.curve.p3);
        dl->AddBezierCubic(p0, p1, p2, p3, colour, thickness, simple ? 8 : 0);
        if (!simple) {
            // Arrowhead into the input pin.
            const float s = 6.0f * z;
            const float tip = p3.x - static_cast<float>(pin_radius) * z;
            dl->AddTriangleFilled(ImVec2(tip, p3.y), ImVec2(tip - s * 1.4f, p3.y - s * 0.8f),
                                  ImVec2(tip - s * 1.4f, p3.y + s * 0.8f), colour);
        }
        ++m_drawn_links;
    }
}

void canvas_view::draw_nodes(editor_app& app, ImDrawList* dl, const rect& visible) {
    m_drawn_nodes = 0;
    const auto indices = m_scene.nodes_in(visible);
    const selection& sel = app.doc().selection();
    const float z = static_cast<float>(m_view.zoom);
    if (m_view.zoom < simple_zoom) {
        const tree& t = app.doc().current();
        for (const std::size_t i : indices) {
            const node_geometry& g = m_scene.nodes()[i];
            const node& n = t.nodes[i];
            const ImVec2 a = to_screen(g.box.min), b = to_screen(g.box.max);
            ImU32 fill = kind_colour(n.kind);
            if (traffic) {
                const auto it = traffic->node_share.find(n.id);
                fill = it == traffic->node_share.end() ? IM_COL32(70, 74, 84, 255) : heat_colour(it->second);
            }
            dl->AddRectFilled(a, b, fill, 2.0f * z);
            if (sel.contains(n.id)) dl->AddRect(a, b, colour_selected, 2.0f * z, 0, 2.0f);
            if (n.id == highlighted) dl->AddRect(a, b, colour_highlight, 2.0f * z, 0, 3.0f);
            ++m_drawn_nodes;
        }
        return;
    }
    for (const std::size_t i : indices) {
        draw_node(app, dl, i);
        ++m_drawn_nodes;
    }
}

void canvas_view::draw_node(editor_app& app, ImDrawList* dl, std::size_t index) {
    const tree& t = app.doc().current();
    const node& n = t.nodes[index];
    const node_geometry& g = m_scene.nodes()[index];
    const float z = static_cast<float>(m_view.zoom);
    ImFont* font = app.fonts().regular;
    ImFont* bold = app.fonts().bold;

    if (index >= m_text.size()) m_text.resize(m_scene.nodes().size());
    if (!m_text[index]) {
        // Cut and wrapped once per scene, in canvas units: the font's widths scale with the
        // zoom, so the same lines fit at every zoom.
        box_text bt;
        bt.title = fit_line(n.title.empty() ? n.id : n.title, title_width, m_title_widths);
        bt.body = preview_of(n).lines;
        bt.rows = row_labels(n, g.outputs, m_row_widths);
        m_text[index] = std::move(bt);
    }
    const box_text& text = *m_text[index];

    const ImVec2 a = to_screen(g.box.min), b = to_screen(g.box.max);
    const float rounding = 6.0f * z;
    const float header = static_cast<float>(node_header_height) * z;
    const float pad = 8.0f * z;

    ImU32 body = colour_body;
    if (traffic) {
        const auto it = traffic->node_share.find(n.id);
        // Heat tints the body; nodes nobody visited stay dark.
        if (it != traffic->node_share.end()) {
            ImVec4 c = ImGui::ColorConvertU32ToFloat4(heat_colour(it->second));
            c.x = c.x * 0.55f + 0.06f;
            c.y = c.y * 0.55f + 0.06f;
            c.z = c.z * 0.55f + 0.07f;
            body = ImGui::ColorConvertFloat4ToU32(c);
        } else {
            body = IM_COL32(34, 36, 42, 245);
        }
    }
    dl->AddRectFilled(ImVec2(a.x + 3 * z, a.y + 4 * z), ImVec2(b.x + 3 * z, b.y + 4 * z), IM_COL32(0, 0, 0, 70), rounding);
    dl->AddRectFilled(a, b, body, rounding);
    dl->AddRectFilled(a, ImVec2(b.x, a.y + header), kind_colour(n.kind), rounding, ImDrawFlags_RoundCornersTop);

    // Badge with the kind letter, then the title.
    const float badge = 18.0f * z;
    const ImVec2 bc(a.x + pad + badge * 0.5f, a.y + header * 0.5f);
    dl->AddCircleFilled(bc, badge * 0.5f, IM_COL32(255, 255, 255, 60));
    const char* letter = kind_letter(n.kind);
    const float letter_px = 12.0f * z;
    const ImVec2 ls = bold->CalcTextSizeA(letter_px, FLT_MAX, 0, letter);
    dl->AddText(bold, letter_px, ImVec2(bc.x - ls.x * 0.5f, bc.y - ls.y * 0.5f), IM_COL32(255, 255, 255, 255), letter);
    // Text is cut to fit (fit_line, wrap_lines) before it is drawn; the clip rectangles
    // only keep rounding at tiny zooms inside the box.
    const float title_px = title_size * z;
    const ImVec4 title_clip(a.x, a.y, b.x, a.y + header);
    dl->AddText(bold, title_px, ImVec2(a.x + static_cast<float>(title_left) * z, a.y + (header - title_px) * 0.5f - z),
                IM_COL32(255, 255, 255, 255), text.title.c_str(), nullptr, 0.0f, &title_clip);

    // Preview text: the lines the model sized the box for.
    if (!text.body.empty()) {
        const float top = to_screen({0, g.text_top}).y;
        const float line = static_cast<float>(node_line_height) * z;
        const ImVec4 clip(a.x, top, b.x, b.y);
        for (std::size_t l = 0; l < text.body.size(); ++l)
            dl->AddText(font, body_size * z, ImVec2(a.x + pad, top + 2 * z + line * static_cast<float>(l)), colour_text,
                        text.body[l].c_str(), nullptr, 0.0f, &clip);
    }

    // Output rows and pins.
    for (std::size_t r = 0; r < g.outputs.size(); ++r) {
        const ImVec2 pp = to_screen(g.output_positions[r]);
        const pin& p = g.outputs[r];
        const std::string target = pin_target(t, p);
        const bool linked = !target.empty() && t.find(target);
        const bool broken = !target.empty() && !linked;  // its node was deleted: see Problems
        const bool adder = (p.slot == pin_slot::choice && p.index >= static_cast<int>(n.choices.size())) ||
                           (p.slot == pin_slot::branch && p.index >= static_cast<int>(n.branches.size()));
        const float row_px = row_size * z;
        const ImVec4 clip(a.x, pp.y - row_px, b.x, pp.y + row_px);
        if (r < text.rows.size())
            dl->AddText(font, row_px, ImVec2(a.x + pad, pp.y - row_px * 0.55f), adder ? colour_text_muted : colour_text,
                        text.rows[r].c_str(), nullptr, 0.0f, &clip);
        const float pr = static_cast<float>(pin_radius) * z;
        const ImU32 pin_colour = adder ? colour_text_muted : kind_colour(n.kind);
        if (linked) dl->AddCircleFilled(pp, pr, pin_colour);
        else dl->AddCircle(pp, pr, broken ? ImGui::GetColorU32(colours::error) : pin_colour, 0, (broken ? 2.4f : 1.6f) * z);
        if (m_selected_link && *m_selected_link == p) dl->AddCircle(pp, pr + 3 * z, colour_selected, 0, 2.0f);
    }
    // Input pin.
    dl->AddCircleFilled(to_screen(g.input), static_cast<float>(pin_radius) * z, IM_COL32(170, 178, 192, 255));

    // Outline: preview position, selection, hover.
    const bool selected = app.doc().selection().contains(n.id);
    if (n.id == highlighted) {
        dl->AddRect(ImVec2(a.x - 4 * z, a.y - 4 * z), ImVec2(b.x + 4 * z, b.y + 4 * z), IM_COL32(120, 230, 120, 90),
                    rounding + 4 * z, 0, 6.0f * z);
        dl->AddRect(a, b, colour_highlight, rounding, 0, 3.0f);
    }
    if (selected) dl->AddRect(a, b, colour_selected, rounding, 0, 2.5f);
    else if (static_cast<int>(index) == m_hovered_node) dl->AddRect(a, b, IM_COL32(150, 160, 180, 255), rounding, 0, 1.5f);
    else dl->AddRect(a, b, colour_border, rounding, 0, 1.0f);

    // The start marker: a green tag above the box.
    if (n.id == t.start) {
        const char* label = "START";
        const float px = 11.0f * z;
        const ImVec2 ts = bold->CalcTextSizeA(px, FLT_MAX, 0, label);
        const ImVec2 ta(a.x, a.y - ts.y - 8 * z), tb(a.x + ts.x + 12 * z, a.y - 2 * z);
        dl->AddRectFilled(ta, tb, colour_start, 4 * z);
        dl->AddText(bold, px, ImVec2(ta.x + 6 * z, ta.y + 3 * z), IM_COL32(255, 255, 255, 255), label);
        dl->AddTriangleFilled(ImVec2(a.x - 14 * z, a.y + header * 0.5f - 7 * z), ImVec2(a.x - 14 * z, a.y + header * 0.5f + 7 * z),
                              ImVec2(a.x - 3 * z, a.y + header * 0.5f), colour_start);
    }
}

void canvas_view::draw_overlays(editor_app& app, ImDrawList* dl) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (m_gesture == canvas_gesture::box_selecting && m_moved) {
        dl->AddRectFilled(m_press_screen, mouse, IM_COL32(90, 170, 255, 40));
        dl->AddRect(m_press_screen, mouse, IM_COL32(90, 170, 255, 200));
    }
    if (m_gesture == canvas_gesture::linking && m_link_from) {
        const int n = m_scene.index_of(m_link_from->node);
        if (n >= 0) {
            const node_geometry& g = m_scene.nodes()[static_cast<std::size_t>(n)];
            for (std::size_t r = 0; r < g.outputs.size(); ++r) {
                if (!(g.outputs[r] == *m_link_from)) continue;
                const int target = m_scene.node_at(to_canvas(mouse));
                vec2 end = to_canvas(mouse);
                if (target >= 0) {
                    end = m_scene.nodes()[static_cast<std::size_t>(target)].input;
                    const node_geometry& tg = m_scene.nodes()[static_cast<std::size_t>(target)];
                    dl->AddRect(to_screen(tg.box.min), to_screen(tg.box.max), colour_selected, 6.0f * static_cast<float>(m_view.zoom), 0, 2.5f);
                }
                const bezier c = link_curve(g.output_positions[r], end);
                dl->AddBezierCubic(to_screen(c.p0), to_screen(c.p1), to_screen(c.p2), to_screen(c.p3), colour_selected,
                                   2.5f, 0);
            }
        }
    }
    // Hover details: id, kind and, with statistics, the counts.
    if (m_gesture == canvas_gesture::idle && m_hovered_node >= 0 && m_hovered) {
        const node& n = app.doc().current().nodes[static_cast<std::size_t>(m_hovered_node)];
        ImGui::BeginTooltip();
        ImGui::Text("%s  (%s)", n.id.c_str(), to_string(n.kind));
        if (traffic) {
            const auto it = traffic->node_count.find(n.id);
            const long long visits = it == traffic->node_count.end() ? 0 : it->second;
            ImGui::Text("%lld visits", visits);
            for (const std::string& to : app.doc().current().successors(n)) {
                const auto lt = traffic->link_count.find(link_key(n.id, to));
                if (lt != traffic->link_count.end()) ImGui::Text("\xE2\x86\x92 %s: %lld", to.c_str(), lt->second);
            }
        }
        ImGui::EndTooltip();
    } else if (traffic && m_gesture == canvas_gesture::idle && m_hovered) {
        const int l = m_scene.link_at(to_canvas(mouse), 6.0 / m_view.zoom);
        if (l >= 0) {
            const scene_link& sl = m_scene.links()[static_cast<std::size_t>(l)];
            const auto it = traffic->link_count.find(link_key(m_scene.ids()[sl.from_node], m_scene.ids()[sl.to_node]));
            ImGui::SetTooltip("%s \xE2\x86\x92 %s: %lld", m_scene.ids()[sl.from_node].c_str(), m_scene.ids()[sl.to_node].c_str(),
                              it == traffic->link_count.end() ? 0LL : it->second);
        }
    }
}

void canvas_view::draw_legend(ImDrawList* dl) {
    // Heat scale, bottom-left: what the colours mean.
    const float w = 160, h = 10;
    const ImVec2 a(m_origin.x + 12, m_origin.y + m_size.y - h - 26);
    dl->AddRectFilled(ImVec2(a.x - 6, a.y - 22), ImVec2(a.x + w + 6, a.y + h + 20), IM_COL32(20, 22, 27, 220), 4);
    dl->AddText(ImVec2(a.x, a.y - 19), colour_text_muted, "Traffic (visits)");
    const int steps = 32;
    for (int i = 0; i < steps; ++i) {
        const float x0 = a.x + w * float(i) / steps, x1 = a.x + w * float(i + 1) / steps;
        dl->AddRectFilled(ImVec2(x0, a.y), ImVec2(x1 + 0.5f, a.y + h), heat_colour(double(i) / (steps - 1)));
    }
    dl->AddText(ImVec2(a.x, a.y + h + 2), colour_text_muted, "few");
    const ImVec2 ms = ImGui::CalcTextSize("most");
    dl->AddText(ImVec2(a.x + w - ms.x, a.y + h + 2), colour_text_muted, "most");
}

// [SECTION] menus and keys

void canvas_view::draw_popups(editor_app& app) {
    document& doc = app.doc();
    if (m_open_new_menu) {
        ImGui::OpenPopup("##new_node");
        m_open_new_menu = false;
    }
    if (m_open_node_menu) {
        ImGui::OpenPopup("##node_menu");
        m_open_node_menu = false;
    }
    if (ImGui::BeginPopup("##new_node")) {
        ImGui::TextDisabled(m_new_from ? "Link to a new node" : "Add a node");
        ImGui::Separator();
        for (const node_kind k : all_kinds) {
            const bool chosen = ImGui::MenuItem(kind_label(k));
            app.record(std::string("new:") + kind_label(k));
            if (!chosen) continue;
            // The new box's input pin lands where the link was dropped.
            const vec2 pos = snap_to_grid(m_new_at - vec2{0, node_header_height * 0.5}, snap_grid);
            if (m_new_from) app.run(connect_to_new_node(*m_new_from, k, pos));
            else app.run(add_node(k, pos));
            doc.edits().seal();
            m_new_from.reset();
        }
        if (!m_new_from) {
            ImGui::Separator();
            if (ImGui::MenuItem("Paste here", "Ctrl+V", false, is_node_clipboard(ImGui::GetClipboardText() ? ImGui::GetClipboardText() : "")))
                paste(app, m_new_at);
            if (ImGui::MenuItem("Fit view", "F")) request_fit();
        }
        ImGui::EndPopup();
    } else if (m_new_from && !ImGui::IsPopupOpen("##new_node")) {
        m_new_from.reset();  // the menu was dismissed
    }
    if (ImGui::BeginPopup("##node_menu")) {
        const tree& t = doc.current();
        if (const node* n = t.find(m_menu_node)) {
            ImGui::TextDisabled("%s", n->id.c_str());
            ImGui::Separator();
            if (ImGui::MenuItem("Set as start", nullptr, false, t.start != n->id)) {
                tree_header h = header_of(t);
                h.start = n->id;
                app.run(set_tree_header(h));
                doc.edits().seal();
            }
            if (ImGui::MenuItem("Duplicate", "Ctrl+D")) app.run(duplicate_nodes(t, doc.selection().ids()));
            if (ImGui::MenuItem("Copy", "Ctrl+C"))
                ImGui::SetClipboardText(copy_nodes(t, doc.selection().ids(), doc.path(), doc.instance_id()).c_str());
            if (ImGui::MenuItem("Delete", "Delete")) app.delete_selection();
        }
        ImGui::EndPopup();
    }
}

void canvas_view::paste(editor_app& app, vec2 at) {
    const char* clip = ImGui::GetClipboardText();
    if (!clip || !is_node_clipboard(clip)) {
        app.set_status("The clipboard holds no nodes to paste", true);
        return;
    }
    // Paste so the copied group's top-left lands at `at`.
    vec2 offset = at;
    if (const load_result parsed = load_tree_string(clip); parsed.loaded && !parsed.loaded->layout.empty()) {
        vec2 low{1e300, 1e300};
        for (const layout_entry& e : parsed.loaded->layout) low = {std::min(low.x, e.x), std::min(low.y, e.y)};
        offset = at - low;
    }
    const document& doc = app.doc();
    const int dropped = links_dropped_by_paste(clip, doc.current(), doc.path(), doc.instance_id());
    if (app.run(paste_nodes(clip, snap_to_grid(offset, snap_grid), doc.path(), doc.instance_id()))) {
        const std::string pasted = "Pasted " + std::to_string(doc.last_created().size()) + " node(s)";
        // Said, because the author may expect the links to come along (see paste_nodes);
        // said either way, so an older message does not stay as if it were about this paste.
        if (dropped > 0)
            app.set_status(pasted + " from another tree: " + std::to_string(dropped) +
                           (dropped == 1 ? " link" : " links") + " to nodes not copied left unlinked (see Problems)");
        else
            app.set_status(pasted);
    }
    app.doc().edits().seal();
}

void canvas_view::handle_keys(editor_app& app) {
    ImGuiIO& io = ImGui::GetIO();
    // The graph's keys work wherever the focus is, as long as no text is being typed.
    if (io.WantTextInput || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) return;
    document& doc = app.doc();
    const auto pressed = [](int k) { return ImGui::IsKeyPressed(k, false); };
    const bool ctrl = io.KeyCtrl;
    // Nothing is deleted while the preview has the keyboard: Backspace is its Back there
    // (refused, stopped or not started as well), and the selection is out of sight.
    const bool erase = (pressed(ui::key::del) || pressed(ui::key::backspace)) && !app.preview().has_keys();
    if (erase && !ctrl) {
        if (!doc.selection().empty()) {
            app.delete_selection();
            doc.edits().seal();
        } else if (m_selected_link) {
            app.run(disconnect(*m_selected_link));
            doc.edits().seal();
            m_selected_link.reset();
        }
    }
    if (ctrl && pressed(ui::letter('A'))) doc.selection().select_all(doc.current());
    if (ctrl && (pressed(ui::letter('C')) || pressed(ui::letter('X'))) && !doc.selection().empty()) {
        ImGui::SetClipboardText(copy_nodes(doc.current(), doc.selection().ids(), doc.path(), doc.instance_id()).c_str());
        if (pressed(ui::letter('X'))) {
            app.delete_selection();
            doc.edits().seal();
        } else {
            app.set_status(std::to_string(doc.selection().size()) + " node(s) copied");
        }
    }
    if (ctrl && pressed(ui::letter('V'))) {
        const bool inside = ImGui::IsMouseHoveringRect(m_origin, add(m_origin, m_size));
        paste(app, inside ? to_canvas(io.MousePos) : to_canvas(add(m_origin, ImVec2(m_size.x * 0.4f, m_size.y * 0.4f))));
    }
    if (ctrl && pressed(ui::letter('D')) && !doc.selection().empty()) {
        app.run(duplicate_nodes(doc.current(), doc.selection().ids()));
        doc.edits().seal();
    }
    if (!ctrl && pressed(ui::letter('F'))) request_fit();
    if (pressed(ui::key::escape)) {
        if (m_gesture == canvas_gesture::linking) m_gesture = canvas_gesture::idle;
        m_link_from.reset();
        m_selected_link.reset();
        doc.selection().clear();
    }
}

}  // namespace signpost::editor
