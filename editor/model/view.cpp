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

view_transform fit_view(const std::vector<rect>& boxes, vec2 viewport_size, double margin, double max_zoom_fit) {
    if (boxes.empty()) return fit_view(rect{}, viewport_size, margin, max_zoom_fit);
    rect all = boxes.front();
    for (const rect& b : boxes) all = united(all, b);
    view_transform v = fit_view(all, viewport_size, margin, max_zoom_fit);
    const rect shown = v.visible_canvas(viewport_size);
    if (shown.min.x <= all.min.x && shown.min.y <= all.min.y && shown.max.x >= all.max.x && shown.max.y >= all.max.y)
        return v;
    std::vector<double> xs, ys;
    xs.reserve(boxes.size());
    ys.reserve(boxes.size());
    for (const rect& b : boxes) {
        xs.push_back(b.center().x);
        ys.push_back(b.center().y);
    }
    const auto middle = [](std::vector<double>& values) {
        const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
        std::nth_element(values.begin(), mid, values.end());
        return *mid;
    };
    const vec2 centre{middle(xs), middle(ys)};
    v.offset = viewport_size * 0.5 - centre * v.zoom;
    return v;
}

}  // namespace signpost::editor
