#pragma once
// The canvas view: pan and zoom, and the conversions between screen and canvas space.
// "Screen" means pixels relative to the canvas widget's top-left corner.

#include <vector>

#include "model/geometry.hpp"

namespace signpost::editor {

// Zoom limits the view keeps to.
inline constexpr double min_zoom = 0.1;
inline constexpr double max_zoom = 4.0;

// screen = canvas * zoom + offset.
struct view_transform {
    vec2 offset;       // screen position of the canvas origin (the pan)
    double zoom = 1.0;  // screen pixels per canvas unit

    // Canvas point -> screen point.
    vec2 to_screen(vec2 canvas) const { return canvas * zoom + offset; }
    // Screen point -> canvas point.
    vec2 to_canvas(vec2 screen) const { return (screen - offset) / zoom; }
    // Canvas box -> screen box.
    rect to_screen(const rect& canvas) const { return {to_screen(canvas.min), to_screen(canvas.max)}; }
    // Screen box -> canvas box.
    rect to_canvas(const rect& screen) const { return {to_canvas(screen.min), to_canvas(screen.max)}; }

    // Moves the view by a screen-space delta (mouse drag with the middle button).
    void pan_by(vec2 screen_delta) { offset = offset + screen_delta; }
    // Sets the zoom (clamped) keeping the canvas point under `screen_point` where it is.
    void zoom_at(vec2 screen_point, double new_zoom);
    // The canvas area a viewport of `viewport_size` pixels shows.
    rect visible_canvas(vec2 viewport_size) const { return to_canvas(rect{{0, 0}, viewport_size}); }
};

// Clamps a zoom factor to [min_zoom, max_zoom].
double clamp_zoom(double zoom);

// The view that shows all of `content` centred in a viewport of `viewport_size` pixels,
// leaving `margin` pixels free around it; zoom clamped to [min_zoom, max_zoom_fit].
view_transform fit_view(const rect& content, vec2 viewport_size, double margin = 40.0,
                        double max_zoom_fit = 1.0);

// The same for a set of boxes (the nodes). When even min_zoom cannot show them all (a node
// dragged or pasted far away), the view centres on the median box centre instead of the
// middle of everything, so the bulk of the tree is on screen rather than the empty space
// between it and the outlier.
view_transform fit_view(const std::vector<rect>& boxes, vec2 viewport_size, double margin = 40.0,
                        double max_zoom_fit = 1.0);

}  // namespace signpost::editor
