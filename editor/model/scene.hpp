#pragma once
// The canvas scene: every node's geometry plus a uniform-grid index, so drawing, culling
// and hit testing cost O(visible) even for 5,000-node trees. Rebuild it when the
// document's generation() changes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/geometry.hpp"
#include "model/node_box.hpp"
#include "signpost/tree.hpp"

namespace signpost::editor {

// A uniform grid over item boxes (flat arrays: cheap to rebuild for thousands of items).
// Items moved by update() are checked directly until the next rebuild.
class spatial_index {
public:
    // `cell_size` in canvas units; a few node widths keeps cells small but not empty.
    // (It grows when the items spread so far that the grid would get too big.)
    explicit spatial_index(double cell_size = 512.0);

    // Replaces the contents: item i has box boxes[i].
    void rebuild(std::vector<rect> boxes);
    // Gives item i a new box (a dragged node) without rebuilding the grid.
    void update(std::size_t i, const rect& box);
    // Indices of the items whose box overlaps `area` (touching counts), ascending, no repeats.
    std::vector<std::size_t> query(const rect& area) const;
    // Indices of the items whose box contains `p`, ascending.
    std::vector<std::size_t> query_point(vec2 p) const;
    // Number of items.
    std::size_t size() const { return m_boxes.size(); }
    // The box of item i.
    const rect& box(std::size_t i) const { return m_boxes[i]; }

private:
    double m_requested_cell;
    double m_cell = 512.0;
    vec2 m_origin;             // top-left of cell (0, 0)
    long long m_columns = 0;   // grid size in cells
    long long m_rows = 0;
    std::vector<rect> m_boxes;
    std::vector<std::uint32_t> m_offsets;  // cell c holds m_items[m_offsets[c] .. m_offsets[c + 1])
    std::vector<std::uint32_t> m_items;
    // Items checked on every query: too large for the grid, or moved since the rebuild.
    std::vector<std::size_t> m_loose;
    std::vector<char> m_is_loose;
    mutable std::vector<unsigned> m_seen;  // per-item stamp to drop repeats in a query
    mutable unsigned m_stamp = 0;
};

// One drawn link: from an output pin to the target's input pin.
struct scene_link {
    std::size_t from_node = 0;  // index into scene::nodes()
    std::size_t from_pin = 0;   // index into that node's outputs
    std::size_t to_node = 0;
    bezier curve;
};

// Geometry of a whole tree, node i = tree.nodes[i].
class scene {
public:
    // Recomputes geometry, links and the index from the tree (nodes without a layout
    // entry sit at (0, 0)).
    void rebuild(const tree& t);
    // Cheap refresh after only the positions of `ids` changed (a drag frame); anything
    // else (text, links, added or removed nodes) needs rebuild().
    void update_positions(const tree& t, const std::vector<std::string>& ids);
    // Geometry of every node, in tree order.
    const std::vector<node_geometry>& nodes() const { return m_nodes; }
    // Node ids, in tree order.
    const std::vector<std::string>& ids() const { return m_ids; }
    // Every link whose target exists.
    const std::vector<scene_link>& links() const { return m_links; }
    // Nodes whose box overlaps `area` (culling; box select with overlaps semantics).
    std::vector<std::size_t> nodes_in(const rect& area) const { return m_index.query(area); }
    // Links whose curve bounds overlap `area`.
    std::vector<std::size_t> links_in(const rect& area) const { return m_link_index.query(area); }
    // The top-most node (last in tree order) whose box contains `p`, or -1.
    int node_at(vec2 p) const;
    // The link passing within `tolerance` of `p` (closest), or -1.
    int link_at(vec2 p, double tolerance) const;
    // The output pin near `p` as (node, pin) indices, or {-1, -1}.
    std::pair<int, int> output_pin_at(vec2 p, double radius = pin_hit_radius) const;
    // Index of a node by id, or -1.
    int index_of(const std::string& id) const;
    // Bounds of all nodes (zero box when empty), for zoom-to-fit.
    rect bounds() const { return m_bounds; }

private:
    std::vector<node_geometry> m_nodes;
    std::vector<std::string> m_ids;
    std::unordered_map<std::string, std::size_t> m_by_id;
    std::vector<scene_link> m_links;
    std::vector<std::vector<std::size_t>> m_node_links;  // links leaving or entering each node
    spatial_index m_index;
    spatial_index m_link_index;
    rect m_bounds;
};

}  // namespace signpost::editor
