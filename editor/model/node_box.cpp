#include "model/node_box.hpp"

#include <algorithm>

#include "signpost/text.hpp"

namespace signpost::editor {

namespace {

double text_block_height(const node& n) {
    const int lines = preview_lines(n.text);
    return lines == 0 ? 0.0 : lines * node_line_height + node_padding;
}

}  // namespace

int preview_lines(std::string_view text) {
    if (text.empty()) return 0;
    int lines = 0;
    std::size_t start = 0;
    while (start <= text.size() && lines < node_max_text_lines) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const int len = static_cast<int>(display_width(text.substr(start, end - start)));
        lines += std::max(1, (len + node_chars_per_line - 1) / node_chars_per_line);
        start = end + 1;
    }
    return std::min(lines, node_max_text_lines);
}

std::vector<pin> output_pins(const node& n) {
    std::vector<pin> pins;
    switch (n.kind) {
        case node_kind::question:
            for (std::size_t i = 0; i <= n.choices.size(); ++i)
                pins.push_back({n.id, pin_slot::choice, static_cast<int>(i)});
            break;
        case node_kind::logic:
            for (std::size_t i = 0; i <= n.branches.size(); ++i)
                pins.push_back({n.id, pin_slot::branch, static_cast<int>(i)});
            pins.push_back({n.id, pin_slot::otherwise, 0});
            break;
        case node_kind::step:
        case node_kind::form:
        case node_kind::jump:
            pins.push_back({n.id, pin_slot::next, 0});
            break;
        case node_kind::escalate:
        case node_kind::end:
            break;
    }
    return pins;
}

namespace {
std::size_t output_count(const node& n) {
    switch (n.kind) {
        case node_kind::question: return n.choices.size() + 1;
        case node_kind::logic: return n.branches.size() + 2;
        case node_kind::step:
        case node_kind::form:
        case node_kind::jump: return 1;
        case node_kind::escalate:
        case node_kind::end: return 0;
    }
    return 0;
}
}  // namespace

vec2 node_size(const node& n) {
    const double outputs = static_cast<double>(output_count(n)) * node_slot_height;
    return {node_width, node_header_height + text_block_height(n) + outputs + node_padding};
}

node_geometry geometry_of(const node& n, vec2 pos) {
    node_geometry g;
    g.box = rect_at(pos, node_size(n));
    g.input = {pos.x, pos.y + node_header_height * 0.5};
    g.text_top = pos.y + node_header_height;
    g.outputs = output_pins(n);
    const double rows_top = g.text_top + text_block_height(n);
    g.output_positions.reserve(g.outputs.size());
    for (std::size_t i = 0; i < g.outputs.size(); ++i)
        g.output_positions.push_back({g.box.max.x, rows_top + (static_cast<double>(i) + 0.5) * node_slot_height});
    return g;
}

int hit_output_pin(const node_geometry& g, vec2 p, double radius) {
    int best = -1;
    double best_d = radius;
    for (std::size_t i = 0; i < g.output_positions.size(); ++i) {
        const double d = length(g.output_positions[i] - p);
        if (d <= best_d) {
            best_d = d;
            best = static_cast<int>(i);
        }
    }
    return best;
}

bool hit_input_pin(const node_geometry& g, vec2 p, double radius) { return length(g.input - p) <= radius; }

std::string pin_target(const tree& t, const pin& p) {
    const node* n = t.find(p.node);
    if (!n || p.index < 0) return {};
    const auto i = static_cast<std::size_t>(p.index);
    switch (p.slot) {
        case pin_slot::choice: return i < n->choices.size() ? n->choices[i].to : std::string();
        case pin_slot::branch: return i < n->branches.size() ? n->branches[i].to : std::string();
        case pin_slot::otherwise: return n->otherwise;
        case pin_slot::next: return n->to;
    }
    return {};
}

}  // namespace signpost::editor
