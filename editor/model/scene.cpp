#include "model/scene.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace signpost::editor {

namespace {

// Boxes touching more cells than this are kept loose instead of in the grid.
constexpr long long max_cells_per_item = 256;
// The grid never has more cells than this many per item (plus a floor), so a spread-out
// canvas cannot make it huge.
constexpr double cells_per_item = 4.0;
constexpr double min_cells = 4096.0;

}  // namespace

spatial_index::spatial_index(double cell_size) : m_requested_cell(cell_size > 0 ? cell_size : 512.0) {}

void spatial_index::rebuild(std::vector<rect> boxes) {
    m_boxes = std::move(boxes);
    const std::size_t n = m_boxes.size();
    m_loose.clear();
    m_is_loose.assign(n, 0);
    m_seen.assign(n, 0);
    m_stamp = 0;
    m_offsets.clear();
    m_items.clear();
    m_columns = m_rows = 0;
    if (n == 0) return;
    rect all = m_boxes[0];
    for (const rect& b : m_boxes) all = united(all, b);
    // Positions so far apart that their spread is no finite number (x=1e308 and -1e308):
    // no grid at all, every item is checked on each query.
    if (!std::isfinite(all.width()) || !std::isfinite(all.height())) {
        m_loose.resize(n);
        for (std::size_t i = 0; i < n; ++i) m_loose[i] = i;
        m_is_loose.assign(n, 1);
        return;
    }
    const double area = std::max(1.0, all.width()) * std::max(1.0, all.height());
    const double max_cells = std::max(min_cells, cells_per_item * static_cast<double>(n));
    // Bounded by area and by each side: one node at x=1e18 in a one-row layout has a small
    // area per cell but would want billions of columns.
    m_cell = std::max({m_requested_cell, std::sqrt(area / max_cells), all.width() / max_cells,
                       all.height() / max_cells});
    m_origin = all.min;
    m_columns = static_cast<long long>(all.width() / m_cell) + 1;
    m_rows = static_cast<long long>(all.height() / m_cell) + 1;
    const auto cells = static_cast<std::size_t>(m_columns * m_rows);

    // Two passes (count, then fill) give one flat array with no per-cell allocation.
    const auto range = [&](const rect& b, long long& x0, long long& x1, long long& y0, long long& y1) {
        x0 = static_cast<long long>((b.min.x - m_origin.x) / m_cell);
        x1 = std::min(m_columns - 1, static_cast<long long>((b.max.x - m_origin.x) / m_cell));
        y0 = static_cast<long long>((b.min.y - m_origin.y) / m_cell);
        y1 = std::min(m_rows - 1, static_cast<long long>((b.max.y - m_origin.y) / m_cell));
    };
    m_offsets.assign(cells + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        long long x0, x1, y0, y1;
        range(m_boxes[i], x0, x1, y0, y1);
        if ((x1 - x0 + 1) * (y1 - y0 + 1) > max_cells_per_item) {
            m_is_loose[i] = 1;
            m_loose.push_back(i);
            continue;
        }
        for (long long y = y0; y <= y1; ++y)
            for (long long x = x0; x <= x1; ++x) ++m_offsets[static_cast<std::size_t>(y * m_columns + x) + 1];
    }
    for (std::size_t c = 0; c < cells; ++c) m_offsets[c + 1] += m_offsets[c];
    m_items.resize(m_offsets[cells]);
    std::vector<std::uint32_t> fill(m_offsets.begin(), m_offsets.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
        if (m_is_loose[i]) continue;
        long long x0, x1, y0, y1;
        range(m_boxes[i], x0, x1, y0, y1);
        for (long long y = y0; y <= y1; ++y)
            for (long long x = x0; x <= x1; ++x)
                m_items[fill[static_cast<std::size_t>(y * m_columns + x)]++] = static_cast<std::uint32_t>(i);
    }
}

void spatial_index::update(std::size_t i, const rect& box) {
    if (i >= m_boxes.size()) return;
    m_boxes[i] = box;
    // Its grid cells are stale now; checking it directly keeps queries exact.
    if (!m_is_loose[i]) {
        m_is_loose[i] = 1;
        m_loose.push_back(i);
    }
}

std::vector<std::size_t> spatial_index::query(const rect& area) const {
    std::vector<std::size_t> out;
    if (m_boxes.empty()) return out;
    if (++m_stamp == 0) {  // wrapped: reset stamps so old marks cannot match
        std::fill(m_seen.begin(), m_seen.end(), 0u);
        m_stamp = 1;
    }
    const auto consider = [&](std::size_t i) {
        if (m_seen[i] == m_stamp) return;
        m_seen[i] = m_stamp;
        if (overlaps(m_boxes[i], area)) out.push_back(i);
    };
    const double fx0 = std::floor((area.min.x - m_origin.x) / m_cell);
    const double fx1 = std::floor((area.max.x - m_origin.x) / m_cell);
    const double fy0 = std::floor((area.min.y - m_origin.y) / m_cell);
    const double fy1 = std::floor((area.max.y - m_origin.y) / m_cell);
    if (m_columns > 0 && fx1 >= 0 && fy1 >= 0 && fx0 < static_cast<double>(m_columns) &&
        fy0 < static_cast<double>(m_rows)) {
        const auto x0 = static_cast<long long>(std::max(0.0, fx0));
        const auto y0 = static_cast<long long>(std::max(0.0, fy0));
        const long long x1 = std::min(m_columns - 1, static_cast<long long>(fx1));
        const long long y1 = std::min(m_rows - 1, static_cast<long long>(fy1));
        for (long long y = y0; y <= y1; ++y)
            for (long long x = x0; x <= x1; ++x) {
                const auto c = static_cast<std::size_t>(y * m_columns + x);
                for (std::uint32_t k = m_offsets[c]; k < m_offsets[c + 1]; ++k) consider(m_items[k]);
            }
    }
    for (const std::size_t i : m_loose) consider(i);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::size_t> spatial_index::query_point(vec2 p) const { return query(rect{p, p}); }

void scene::rebuild(const tree& t) {
    m_nodes.clear();
    m_ids.clear();
    m_by_id.clear();
    m_links.clear();
    m_nodes.reserve(t.nodes.size());
    m_ids.reserve(t.nodes.size());
    m_by_id.reserve(t.nodes.size());
    std::vector<rect> boxes;
    boxes.reserve(t.nodes.size());
    m_bounds = {};
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
        const node& n = t.nodes[i];
        vec2 pos;
        if (const layout_entry* e = t.find_layout(n.id)) pos = {e->x, e->y};
        m_nodes.push_back(geometry_of(n, pos));
        m_ids.push_back(n.id);
        m_by_id.emplace(n.id, i);
        boxes.push_back(m_nodes.back().box);
        m_bounds = i == 0 ? boxes.back() : united(m_bounds, boxes.back());
    }
    std::vector<rect> link_boxes;
    m_node_links.assign(m_nodes.size(), {});
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const node_geometry& g = m_nodes[i];
        for (std::size_t p = 0; p < g.outputs.size(); ++p) {
            const auto hit = m_by_id.find(pin_target(t, g.outputs[p]));
            if (hit == m_by_id.end()) continue;
            scene_link l;
            l.from_node = i;
            l.from_pin = p;
            l.to_node = hit->second;
            l.curve = link_curve(g.output_positions[p], m_nodes[hit->second].input);
            link_boxes.push_back(l.curve.bounds());
            m_node_links[i].push_back(m_links.size());
            if (hit->second != i) m_node_links[hit->second].push_back(m_links.size());
            m_links.push_back(l);
        }
    }
    m_index.rebuild(std::move(boxes));
    m_link_index.rebuild(std::move(link_boxes));
}

void scene::update_positions(const tree& t, const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
        const int found = index_of(id);
        const node* n = t.find(id);
        if (found < 0 || !n) continue;
        const auto i = static_cast<std::size_t>(found);
        vec2 pos;
        if (const layout_entry* e = t.find_layout(id)) pos = {e->x, e->y};
        m_nodes[i] = geometry_of(*n, pos);
        m_index.update(i, m_nodes[i].box);
        for (const std::size_t l : m_node_links[i]) {
            scene_link& link = m_links[l];
            link.curve = link_curve(m_nodes[link.from_node].output_positions[link.from_pin], m_nodes[link.to_node].input);
            m_link_index.update(l, link.curve.bounds());
        }
    }
    if (m_nodes.empty()) return;
    m_bounds = m_nodes[0].box;
    for (const auto& g : m_nodes) m_bounds = united(m_bounds, g.box);
}

int scene::node_at(vec2 p) const {
    const auto hits = m_index.query_point(p);
    return hits.empty() ? -1 : static_cast<int>(hits.back());
}

int scene::link_at(vec2 p, double tolerance) const {
    int best = -1;
    double best_d = tolerance;
    for (const std::size_t i : m_link_index.query(expanded(rect{p, p}, tolerance))) {
        const double d = distance_to(m_links[i].curve, p);
        if (d <= best_d) {
            best_d = d;
            best = static_cast<int>(i);
        }
    }
    return best;
}

std::pair<int, int> scene::output_pin_at(vec2 p, double radius) const {
    const auto near = m_index.query(expanded(rect{p, p}, radius));
    for (auto it = near.rbegin(); it != near.rend(); ++it) {
        const int pin_index = hit_output_pin(m_nodes[*it], p, radius);
        if (pin_index >= 0) return {static_cast<int>(*it), pin_index};
    }
    return {-1, -1};
}

int scene::index_of(const std::string& id) const {
    const auto hit = m_by_id.find(id);
    return hit == m_by_id.end() ? -1 : static_cast<int>(hit->second);
}

}  // namespace signpost::editor
