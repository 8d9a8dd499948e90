#pragma once
// The node canvas: boxes, links, pan/zoom, and the mouse gestures that edit the graph.
// The canvas keeps only view state (transform, current gesture); every edit is a command.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <imgui.h>

#include "model/node_box.hpp"
#include "model/pin.hpp"
#include "model/scene.hpp"
#include "model/view.hpp"
#include "signpost/tree.hpp"

namespace signpost::editor {

class editor_app;

// What the left mouse button is doing on the canvas.
enum class canvas_gesture { idle, panning, dragging_nodes, box_selecting, linking };

// Traffic drawn over the canvas when statistics are open.
struct canvas_traffic {
    std::unordered_map<std::string, double> node_share;   // node id -> visits / busiest node's visits
    std::unordered_map<std::string, long long> node_count;  // node id -> visits
    // "from\nto" -> transitions along that link, and the share of the busiest link.
    std::unordered_map<std::string, long long> link_count;
    long long busiest_link = 0;
};

// The key under which canvas_traffic stores a link's count.
std::string link_key(const std::string& from, const std::string& to);

// Grid the nodes snap to while dragged (canvas units).
inline constexpr double snap_grid = 20.0;
// Below this zoom boxes are drawn as plain coloured blocks.
inline constexpr double simple_zoom = 0.4;
// The zoom a tree opens at when fitting all of it would go below it.
inline constexpr double readable_zoom = 0.75;

class canvas_view {
public:
    // Draws the canvas in the remaining content region and handles its input.
    void draw(editor_app& app);

    // Fits the whole tree in view on the next frame.
    void request_fit() { m_fit_pending = true; }
    // Centres `node_id` on the next frame (zoom kept).
    void request_centre(const std::string& node_id) { m_centre_pending = node_id; }
    // Forget view state (a new document).
    void reset();

    // Absolute screen position (ImGui coordinates) of a canvas point, and back.
    ImVec2 to_screen(vec2 canvas) const;
    vec2 to_canvas(ImVec2 screen) const;
    view_transform& transform() { return m_view; }
    const view_transform& transform() const { return m_view; }
    // The canvas widget's rectangle on screen (last frame).
    ImVec2 origin() const { return m_origin; }
    ImVec2 size() const { return m_size; }

    // Geometry of the document as drawn last frame.
    const scene& current_scene() const { return m_scene; }
    canvas_gesture gesture() const { return m_gesture; }
    // The link the author clicked (Delete removes it).
    const std::optional<pin>& selected_link() const { return m_selected_link; }
    // Nodes and links drawn last frame (culling makes these follow the view, not the tree).
    std::size_t drawn_nodes() const { return m_drawn_nodes; }
    std::size_t drawn_links() const { return m_drawn_links; }

    // The node the preview is on ("" = none), drawn highlighted.
    std::string highlighted;
    // Set while statistics are shown.
    const canvas_traffic* traffic = nullptr;

private:
    void sync_scene(editor_app& app);
    void handle_input(editor_app& app, bool hovered);
    void finish_gesture(editor_app& app);
    void draw_links(editor_app& app, ImDrawList* dl, const rect& visible);
    void draw_nodes(editor_app& app, ImDrawList* dl, const rect& visible);
    void draw_node(editor_app& app, ImDrawList* dl, std::size_t index);
    void draw_overlays(editor_app& app, ImDrawList* dl);
    void draw_popups(editor_app& app);
    void draw_legend(ImDrawList* dl);
    void handle_keys(editor_app& app);
    void paste(editor_app& app, vec2 at);

    // What a box shows, computed once per node and document generation.
    struct box_text {
        std::string title;
        std::vector<std::string> body;  // its lines
        std::vector<std::string> rows;
    };

    view_transform m_view{{40, 40}, 1.0};
    ImVec2 m_origin{0, 0};
    ImVec2 m_size{0, 0};
    scene m_scene;
    std::uint64_t m_scene_generation = 0;
    std::uint64_t m_scene_widths = 0;  // preview_widths_generation() the scene was built with
    // The fonts' widths the text was measured with, and when they last changed.
    const ImFont* m_measured_font = nullptr;
    int m_measured_glyphs = -1;
    int m_measured_bold = -1;
    char_width m_title_widths;
    char_width m_row_widths;
    const void* m_scene_doc = nullptr;
    bool m_fit_pending = true;
    bool m_first_view = true;
    std::string m_centre_pending;

    canvas_gesture m_gesture = canvas_gesture::idle;
    int m_gesture_button = 0;
    ImVec2 m_press_screen{0, 0};
    bool m_moved = false;
    // dragging_nodes: where each dragged node started; the last positions sent.
    std::vector<std::pair<std::string, vec2>> m_drag_start;
    std::vector<std::pair<std::string, vec2>> m_drag_sent;
    std::chrono::steady_clock::time_point m_drag_time{};
    std::string m_pressed_node;
    bool m_pressed_ctrl = false;
    // linking: the pin the link leaves from.
    std::optional<pin> m_link_from;
    std::optional<pin> m_selected_link;
    int m_hovered_node = -1;
    bool m_hovered = false;
    std::vector<std::optional<box_text>> m_text;

    // The "new node" menu after a link dropped on empty space, or a right click.
    std::optional<pin> m_new_from;
    vec2 m_new_at;
    bool m_open_new_menu = false;
    bool m_open_node_menu = false;
    std::string m_menu_node;

    std::size_t m_drawn_nodes = 0;
    std::size_t m_drawn_links = 0;
};

}  // namespace signpost::editor
