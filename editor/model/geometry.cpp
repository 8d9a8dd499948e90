#include "model/geometry.hpp"

#include <algorithm>

namespace signpost::editor {

rect rect_from_corners(vec2 a, vec2 b) {
    return {{std::min(a.x, b.x), std::min(a.y, b.y)}, {std::max(a.x, b.x), std::max(a.y, b.y)}};
}

bool contains(const rect& r, vec2 p) {
    return p.x >= r.min.x && p.x <= r.max.x && p.y >= r.min.y && p.y <= r.max.y;
}

bool overlaps(const rect& a, const rect& b) {
    return a.min.x <= b.max.x && b.min.x <= a.max.x && a.min.y <= b.max.y && b.min.y <= a.max.y;
}

bool encloses(const rect& outer, const rect& inner) {
    return inner.min.x >= outer.min.x && inner.max.x <= outer.max.x && inner.min.y >= outer.min.y &&
           inner.max.y <= outer.max.y;
}

rect united(const rect& a, const rect& b) {
    return {{std::min(a.min.x, b.min.x), std::min(a.min.y, b.min.y)},
            {std::max(a.max.x, b.max.x), std::max(a.max.y, b.max.y)}};
}

rect expanded(const rect& r, double margin) {
    return {{r.min.x - margin, r.min.y - margin}, {r.max.x + margin, r.max.y + margin}};
}

vec2 bezier::at(double t) const {
    const double u = 1.0 - t;
    const double a = u * u * u;
    const double b = 3 * u * u * t;
    const double c = 3 * u * t * t;
    const double d = t * t * t;
    return {a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y};
}

rect bezier::bounds() const {
    // The curve lies inside the convex hull of its control points.
    return united(rect_from_corners(p0, p1), rect_from_corners(p2, p3));
}

bezier link_curve(vec2 from, vec2 to) {
    const double dx = to.x - from.x;
    // A target behind the source needs a wider loop so the curve does not cross the box.
    const double bend = dx >= 0 ? std::max(40.0, dx * 0.5) : std::max(80.0, -dx * 0.5);
    return {from, {from.x + bend, from.y}, {to.x - bend, to.y}, to};
}

double distance_to(const bezier& b, vec2 p) {
    constexpr int samples = 32;
    double best_t = 0;
    double best = length(b.at(0) - p);
    for (int i = 1; i <= samples; ++i) {
        const double t = static_cast<double>(i) / samples;
        const double d = length(b.at(t) - p);
        if (d < best) {
            best = d;
            best_t = t;
        }
    }
    // Ternary-like refinement around the best sample: the distance is smooth there.
    double step = 1.0 / samples;
    for (int i = 0; i < 20; ++i) {
        step *= 0.5;
        for (const double t : {best_t - step, best_t + step}) {
            if (t < 0 || t > 1) continue;
            const double d = length(b.at(t) - p);
            if (d < best) {
                best = d;
                best_t = t;
            }
        }
    }
    return best;
}

bool near_curve(const bezier& b, vec2 p, double tolerance) {
    if (!contains(expanded(b.bounds(), tolerance), p)) return false;
    return distance_to(b, p) <= tolerance;
}

vec2 snap_to_grid(vec2 p, double grid) {
    if (grid <= 0) return p;
    return {std::round(p.x / grid) * grid, std::round(p.y / grid) * grid};
}

}  // namespace signpost::editor
