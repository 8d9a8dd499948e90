#pragma once
// Automatic layout: layered (Sugiyama style) drawing of a tree's graph.

#include <vector>

#include "signpost/tree.hpp"

namespace signpost::editor {

// Which way the layers run.
enum class layout_direction { left_to_right, top_down };

struct layout_options {
    layout_direction direction = layout_direction::left_to_right;
    double layer_gap = 100.0;  // free space between layers (canvas units)
    double node_gap = 40.0;    // free space between nodes of one layer
    int sweeps = 4;            // barycenter down+up sweeps for crossing reduction
    double grid = 20.0;        // coordinates are multiples of this (0 = no snapping)
};

// Positions (top-left corners) for every node, in tree order:
// layers by longest path from the start over the graph with back edges reversed,
// barycenter sweeps to reduce crossings, then coordinates on a grid using node_size().
// Nodes the start does not reach are laid out the same way in extra layers after the rest.
std::vector<layout_entry> auto_layout(const tree& t, const layout_options& options = {});

// The layer every node got (same order as tree nodes); exposed for tests and tools.
std::vector<int> layer_assignment(const tree& t);

}  // namespace signpost::editor
