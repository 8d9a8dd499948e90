#include "model/view.hpp"

#include <algorithm>

namespace signpost::editor {

double clamp_zoom(double zoom) { return std::clamp(zoom, min_zoom, max_zoom); }

void view_transform::zoom_at(vec2 screen_point, double new_zoom) {
    const vec2 anchor = to_canvas(screen_point);
    zoom = clamp_zoom(new_zoom);
    // Solve screen_point = anchor * zoom + offset for the new offset.
    offset = screen_point - anchor * zoom;
}

view_transform fit_view(const rect& content, vec2 viewport_size, double margin, double max_zoom_fit) {
    view_transform v;
    const double avail_w = std::max(1.0, viewport_size.x - 2 * margin);
    const double avail_h = std::max(1.0, viewport_size.y - 2 * margin);
    const double w = std::max(1.0, content.width());
    const double h = std::max(1.0, content.height());
    v.zoom = std::clamp(std::min(avail_w / w, avail_h / h), min_zoom, std::max(min_zoom, max_zoom_fit));
    v.offset = viewport_size * 0.5 - content.center() * v.zoom;
    return v;
}

}  // namespace signpost::editor
