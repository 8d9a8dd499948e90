#include "model/layout.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/node_box.hpp"

namespace signpost::editor {

namespace {

// The graph of a tree by node index, with the edges split into forward (DAG) and back.
struct graph {
    std::vector<std::vector<std::size_t>> out;  // forward edges only (back edges dropped)
    std::vector<std::vector<std::size_t>> in;   // reverse of `out`
    std::vector<int> layer;
    std::vector<bool> reachable;
    std::vector<std::size_t> discovery;  // nodes in DFS discovery order
};

// Depth-first search from `root` over unvisited nodes; edges to a node still on the
// stack are back edges (they close a loop) and are left out of the DAG.
void dfs(const std::vector<std::vector<std::size_t>>& all, std::size_t root, std::vector<char>& state,
         graph& g) {
    // state: 0 = unvisited, 1 = on stack, 2 = done
    std::vector<std::pair<std::size_t, std::size_t>> stack;  // node, next edge
    state[root] = 1;
    g.discovery.push_back(root);
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
        auto& [v, next] = stack.back();
        if (next < all[v].size()) {
            const std::size_t w = all[v][next++];
            if (state[w] == 1) continue;  // back edge
            g.out[v].push_back(w);
            if (state[w] == 0) {
                state[w] = 1;
                g.discovery.push_back(w);
                stack.emplace_back(w, 0);
            }
        } else {
            state[v] = 2;
            stack.pop_back();
        }
    }
}

graph build_graph(const tree& t) {
    const std::size_t n = t.nodes.size();
    std::vector<std::vector<std::size_t>> all(n);
    for (std::size_t i = 0; i < n; ++i)
        for (const auto& id : t.successors(t.nodes[i])) {
            const int j = t.index_of(id);
            if (j >= 0) all[i].push_back(static_cast<std::size_t>(j));
        }
    graph g;
    g.out.resize(n);
    g.in.resize(n);
    g.layer.assign(n, 0);
    g.reachable.assign(n, false);
    std::vector<char> state(n, 0);
    const int start = t.index_of(t.start);
    if (start >= 0) dfs(all, static_cast<std::size_t>(start), state, g);
    for (const std::size_t v : g.discovery) g.reachable[v] = true;
    // Unreachable parts: roots without incoming edges first, so chains start at their heads.
    std::vector<std::size_t> indegree(n, 0);
    for (std::size_t i = 0; i < n; ++i)
        for (const std::size_t w : all[i]) ++indegree[w];
    for (std::size_t i = 0; i < n; ++i)
        if (!state[i] && indegree[i] == 0) dfs(all, i, state, g);
    for (std::size_t i = 0; i < n; ++i)
        if (!state[i]) dfs(all, i, state, g);
    // Edges from unreachable into reachable nodes do not constrain layers (the parts are
    // laid out apart).
    for (std::size_t v = 0; v < n; ++v)
        std::erase_if(g.out[v], [&](std::size_t w) { return g.reachable[w] != g.reachable[v]; });
    for (std::size_t v = 0; v < n; ++v)
        for (const std::size_t w : g.out[v]) g.in[w].push_back(v);

    // Longest path layering in topological order (Kahn).
    std::vector<std::size_t> pending(n);
    for (std::size_t v = 0; v < n; ++v) pending[v] = g.in[v].size();
    std::vector<std::size_t> queue;
    for (const std::size_t v : g.discovery)
        if (pending[v] == 0) queue.push_back(v);
    for (std::size_t qi = 0; qi < queue.size(); ++qi) {
        const std::size_t v = queue[qi];
        for (const std::size_t w : g.out[v]) {
            g.layer[w] = std::max(g.layer[w], g.layer[v] + 1);
            if (--pending[w] == 0) queue.push_back(w);
        }
    }
    int reachable_layers = 0;
    for (std::size_t v = 0; v < n; ++v)
        if (g.reachable[v]) reachable_layers = std::max(reachable_layers, g.layer[v] + 1);
    for (std::size_t v = 0; v < n; ++v)
        if (!g.reachable[v]) g.layer[v] += reachable_layers;
    return g;
}

// Reorders each layer by the mean position of its neighbours in the layer before
// (down sweep) or after (up sweep) to reduce crossings.
void barycenter_sweeps(const graph& g, std::vector<std::vector<std::size_t>>& layers, int sweeps) {
    std::vector<double> position(g.layer.size(), 0);
    const auto number = [&](const std::vector<std::size_t>& layer) {
        for (std::size_t k = 0; k < layer.size(); ++k)
            position[layer[k]] = layer.size() > 1 ? static_cast<double>(k) / static_cast<double>(layer.size() - 1) : 0.5;
    };
    for (const auto& layer : layers) number(layer);
    std::vector<std::pair<double, std::size_t>> keyed;
    const auto reorder = [&](std::vector<std::size_t>& layer, const std::vector<std::vector<std::size_t>>& neighbours) {
        keyed.clear();
        for (const std::size_t v : layer) {
            double sum = 0;
            for (const std::size_t w : neighbours[v]) sum += position[w];
            keyed.emplace_back(neighbours[v].empty() ? position[v] : sum / static_cast<double>(neighbours[v].size()), v);
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t k = 0; k < layer.size(); ++k) layer[k] = keyed[k].second;
        number(layer);
    };
    for (int s = 0; s < sweeps; ++s) {
        for (std::size_t l = 1; l < layers.size(); ++l) reorder(layers[l], g.in);
        for (std::size_t l = layers.size(); l-- > 1;) reorder(layers[l - 1], g.out);
    }
}

double snap_up(double v, double grid) { return grid > 0 ? std::ceil(v / grid - 1e-9) * grid : v; }

}  // namespace

std::vector<int> layer_assignment(const tree& t) { return build_graph(t).layer; }

std::vector<layout_entry> auto_layout(const tree& t, const layout_options& options) {
    const std::size_t n = t.nodes.size();
    std::vector<layout_entry> out(n);
    if (n == 0) return out;
    const graph g = build_graph(t);
    const int layer_count = *std::max_element(g.layer.begin(), g.layer.end()) + 1;
    std::vector<std::vector<std::size_t>> layers(static_cast<std::size_t>(layer_count));
    for (const std::size_t v : g.discovery) layers[static_cast<std::size_t>(g.layer[v])].push_back(v);
    barycenter_sweeps(g, layers, std::max(0, options.sweeps));

    const bool across = options.direction == layout_direction::left_to_right;
    std::vector<vec2> size(n);
    for (std::size_t v = 0; v < n; ++v) size[v] = node_size(t.nodes[v]);
    // Main axis: one band per layer, as deep as its deepest node.
    std::vector<double> band(layers.size(), 0);
    double main = 0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        band[l] = main;
        double depth = 0;
        for (const std::size_t v : layers[l]) depth = std::max(depth, across ? size[v].x : size[v].y);
        main = snap_up(main + depth + options.layer_gap, options.grid);
    }
    // Cross axis: each node as close to the centre of its predecessors as the nodes above
    // it in the layer allow.
    std::vector<double> cross(n, 0);
    for (std::size_t l = 0; l < layers.size(); ++l) {
        double next_free = 0;
        for (const std::size_t v : layers[l]) {
            const double extent = across ? size[v].y : size[v].x;
            double want = next_free;
            if (!g.in[v].empty()) {
                double sum = 0;
                for (const std::size_t u : g.in[v]) sum += cross[u] + (across ? size[u].y : size[u].x) * 0.5;
                want = std::max(next_free, sum / static_cast<double>(g.in[v].size()) - extent * 0.5);
            }
            cross[v] = snap_up(want, options.grid);
            next_free = cross[v] + extent + options.node_gap;
        }
    }
    for (std::size_t v = 0; v < n; ++v) {
        const double m = band[static_cast<std::size_t>(g.layer[v])];
        out[v] = {t.nodes[v].id, across ? m : cross[v], across ? cross[v] : m};
    }
    return out;
}

}  // namespace signpost::editor
