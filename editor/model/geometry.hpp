#pragma once
// Plain 2-D geometry for the canvas: points, boxes, hit tests. No UI types here.

#include <cmath>
#include <optional>

namespace signpost::editor {

// A point or a size, in canvas units or screen pixels (the caller knows which).
struct vec2 {
    double x = 0;
    double y = 0;
    // Component-wise arithmetic and exact comparison.
    friend vec2 operator+(vec2 a, vec2 b) { return {a.x + b.x, a.y + b.y}; }
    friend vec2 operator-(vec2 a, vec2 b) { return {a.x - b.x, a.y - b.y}; }
    friend vec2 operator*(vec2 a, double s) { return {a.x * s, a.y * s}; }
    friend vec2 operator/(vec2 a, double s) { return {a.x / s, a.y / s}; }
    friend bool operator==(const vec2&, const vec2&) = default;
};

// Euclidean length of a vector.
inline double length(vec2 v) { return std::hypot(v.x, v.y); }

// An axis-aligned box; `min` is the top-left corner (y grows downwards).
struct rect {
    vec2 min;  // top-left
    vec2 max;  // bottom-right
    // Extent along x.
    double width() const { return max.x - min.x; }
    // Extent along y.
    double height() const { return max.y - min.y; }
    // Width and height.
    vec2 size() const { return max - min; }
    // The middle point.
    vec2 center() const { return (min + max) * 0.5; }
    // Exact comparison.
    friend bool operator==(const rect&, const rect&) = default;
};

// The box with top-left `pos` and size `size`.
inline rect rect_at(vec2 pos, vec2 size) { return {pos, pos + size}; }

// The box spanned by two corners given in any order (a rubber band).
rect rect_from_corners(vec2 a, vec2 b);

// True when `p` is inside `r` (edges included).
bool contains(const rect& r, vec2 p);

// True when the boxes share any point (touching edges count).
bool overlaps(const rect& a, const rect& b);

// True when `inner` lies completely inside `outer`.
bool encloses(const rect& outer, const rect& inner);

// The smallest box holding both.
rect united(const rect& a, const rect& b);

// `r` grown by `margin` on every side (shrunk when negative).
rect expanded(const rect& r, double margin);

// A cubic Bezier curve: start, two control points, end.
struct bezier {
    vec2 p0, p1, p2, p3;  // start, control, control, end
    // The point at parameter t in [0, 1].
    vec2 at(double t) const;
    // A box holding the whole curve (the control polygon's bounds).
    rect bounds() const;
};

// The curve drawn for a link from an output pin to an input pin: leaves to the right and
// arrives from the left, bending more when the target lies behind the source.
bezier link_curve(vec2 from, vec2 to);

// Shortest distance from `p` to the curve (sampled, then refined locally).
double distance_to(const bezier& b, vec2 p);

// True when the curve passes within `tolerance` of `p` (cheap bounds test first).
bool near_curve(const bezier& b, vec2 p, double tolerance);

// `p` rounded to the nearest multiple of `grid` on each axis (grid <= 0: unchanged).
vec2 snap_to_grid(vec2 p, double grid);

}  // namespace signpost::editor
