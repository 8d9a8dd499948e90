// Canvas maths: view transform, node boxes and pins, hit tests, culling index.

#include <doctest/doctest.h>

#include <random>

#include "model/commands.hpp"
#include "model/geometry.hpp"
#include "model/node_box.hpp"
#include "model/scene.hpp"
#include "model/view.hpp"
#include "signpost/text.hpp"
#include "test_model_fixture.hpp"

using namespace signpost;
using namespace signpost::editor;
using doctest::Approx;

TEST_CASE("model: view transform round trips and pans") {
    view_transform v{{120, -40}, 1.7};
    for (const vec2 p : {vec2{0, 0}, vec2{10.5, -3}, vec2{-1000, 2500}}) {
        const vec2 back = v.to_canvas(v.to_screen(p));
        CHECK(back.x == Approx(p.x));
        CHECK(back.y == Approx(p.y));
    }
    CHECK(v.to_screen(vec2{0, 0}) == vec2{120, -40});
    v.pan_by({10, 20});
    CHECK(v.offset == vec2{130, -20});
    const rect visible = v.visible_canvas({800, 600});
    CHECK(visible.min.x == Approx(-130 / 1.7));
    CHECK(visible.width() == Approx(800 / 1.7));
    const rect s = v.to_screen(visible);
    CHECK(s.max.x == Approx(800));
    CHECK(s.max.y == Approx(600));
}

TEST_CASE("model: zooming around a screen point keeps that point fixed") {
    view_transform v{{33, 44}, 1.0};
    const vec2 mouse{400, 250};
    for (const double z : {2.0, 0.5, 3.3, 0.12}) {
        const vec2 under = v.to_canvas(mouse);
        v.zoom_at(mouse, z);
        CHECK(v.zoom == Approx(z));
        const vec2 again = v.to_screen(under);
        CHECK(again.x == Approx(mouse.x));
        CHECK(again.y == Approx(mouse.y));
    }
    v.zoom_at(mouse, 100);
    CHECK(v.zoom == max_zoom);
    v.zoom_at(mouse, 0.0001);
    CHECK(v.zoom == min_zoom);
    CHECK(clamp_zoom(1.5) == 1.5);
}

TEST_CASE("model: zoom to fit puts the content centred inside the margins") {
    const vec2 viewport{1000, 700};
    const rect big{{-500, 200}, {4500, 1200}};
    const view_transform v = fit_view(big, viewport, 40);
    const rect s = v.to_screen(big);
    CHECK(s.min.x >= 40 - 1e-6);
    CHECK(s.max.x <= 960 + 1e-6);
    CHECK(s.min.y >= 40 - 1e-6);
    CHECK(s.max.y <= 660 + 1e-6);
    CHECK(s.min.x == Approx(40));  // the wide side fills the width
    CHECK(s.center().x == Approx(500));
    CHECK(s.center().y == Approx(350));
    // Small content is not blown up past 1:1.
    const view_transform small = fit_view(rect{{0, 0}, {100, 50}}, viewport);
    CHECK(small.zoom == Approx(1.0));
    CHECK(small.to_screen(vec2{50, 25}).x == Approx(500));
    // Huge content stops at the minimum zoom.
    CHECK(fit_view(rect{{0, 0}, {1e7, 10}}, viewport).zoom == min_zoom);
}

TEST_CASE("model: fitting nodes with one far away shows the bulk of them, not the gap") {
    const vec2 viewport{1000, 700};
    std::vector<rect> boxes;
    for (int i = 0; i < 9; ++i) boxes.push_back({{i * 300.0, 0}, {i * 300.0 + 240, 120}});
    // All fit: the same view as fitting their bounds.
    const view_transform near = fit_view(boxes, viewport);
    rect all = boxes.front();
    for (const rect& b : boxes) all = united(all, b);
    CHECK(near.zoom == Approx(fit_view(all, viewport).zoom));
    CHECK(near.offset.x == Approx(fit_view(all, viewport).offset.x));
    // One node a million units away: min_zoom cannot show both, so the nine are shown.
    boxes.push_back({{1e6, 1e6}, {1e6 + 240, 1e6 + 120}});
    const view_transform far = fit_view(boxes, viewport);
    CHECK(far.zoom == min_zoom);
    const rect shown = far.visible_canvas(viewport);
    for (int i = 0; i < 9; ++i) {
        CAPTURE(i);
        CHECK(shown.min.x <= boxes[static_cast<std::size_t>(i)].min.x);
        CHECK(shown.max.x >= boxes[static_cast<std::size_t>(i)].max.x);
        CHECK(shown.min.y <= boxes[static_cast<std::size_t>(i)].min.y);
        CHECK(shown.max.y >= boxes[static_cast<std::size_t>(i)].max.y);
    }
    CHECK(fit_view(std::vector<rect>{}, viewport).zoom > 0);
}

TEST_CASE("model: node box size follows kind, outputs and text lines") {
    CHECK(preview_lines("") == 0);
    CHECK(preview_lines("short") == 1);
    CHECK(preview_lines(std::string(node_chars_per_line + 1, 'a')) == 2);
    CHECK(preview_lines("a\nb") == 2);
    CHECK(preview_lines("a\nb\nc\nd\ne\nf") == node_max_text_lines);
    CHECK(preview_lines("ééé") == 1);
    // Chinese, Japanese and Korean characters are drawn about twice as wide as Latin ones.
    auto repeated = [](const std::string& s, int n) {
        std::string out;
        for (int i = 0; i < n; ++i) out += s;
        return out;
    };
    const int half = node_chars_per_line / 2;
    CHECK(preview_lines(repeated("\xE7\x82\xB9", half)) == 1);      // 点
    CHECK(preview_lines(repeated("\xE7\x82\xB9", half + 1)) == 2);
    CHECK(preview_lines(repeated("\xED\x95\x9C", half + 1)) == 2);  // 한
    CHECK(preview_lines(repeated("\xEF\xBC\x81", half + 1)) == 2);  // fullwidth !
    // Past U+FFFF ImGui draws one replacement mark per character: measured as drawn.
    CHECK(preview_lines(repeated("\xF0\xA0\x80\x8B", half + 1)) == 1);  // U+2000B
    CHECK(preview_lines(repeated("\xD0\x96", half + 1)) == 1);      // Cyrillic is narrow

    node q = make_node(node_kind::question, "q");
    q.text = "one line";
    const vec2 empty_q = node_size(q);
    CHECK(empty_q.x == node_width);
    CHECK(empty_q.y == Approx(node_header_height + node_line_height + node_padding + node_slot_height + node_padding));
    q.choices.resize(3);
    CHECK(node_size(q).y == Approx(empty_q.y + 3 * node_slot_height));
    q.text = "1\n\n2";  // two paragraphs (one line break joins lines, as Markdown does)
    CHECK(node_size(q).y == Approx(empty_q.y + 3 * node_slot_height + node_line_height));
    node e = make_node(node_kind::end, "e");
    e.text.clear();
    e.outcome.clear();
    CHECK(node_size(e).y == Approx(node_header_height + node_padding));
    // An end without text shows its outcome, and its box has the line for it.
    e.outcome = "resolved";
    CHECK(preview_text(e) == "outcome: resolved");
    CHECK(node_size(e).y == Approx(node_header_height + node_line_height + node_padding + node_padding));
    // The box is sized for the text as shown: Markdown markers and blank lines are not.
    q.choices.clear();
    q.text = "**Bold**\n\n\nand *more*";
    CHECK(preview_text(q) == "Bold\nand more");
    CHECK(node_size(q).y == Approx(empty_q.y + node_line_height));
    node l = make_node(node_kind::logic, "l");
    l.branches.resize(2);
    CHECK(output_pins(l).size() == 4);  // 2 branches, add branch, otherwise
    CHECK(output_pins(l).back().slot == pin_slot::otherwise);
    CHECK(output_pins(make_node(node_kind::step, "s")).size() == 1);
    CHECK(output_pins(make_node(node_kind::escalate, "x")).empty());
}

TEST_CASE("model: pins sit on the box edges and are hit near their centre") {
    node q = make_node(node_kind::question, "q");
    q.choices.resize(2);
    const node_geometry g = geometry_of(q, {100, 50});
    CHECK(g.box.min == vec2{100, 50});
    CHECK(g.box.width() == node_width);
    CHECK(g.input == vec2{100, 50 + node_header_height / 2});
    REQUIRE(g.output_positions.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(g.output_positions[i].x == g.box.max.x);
        CHECK(g.output_positions[i].y > g.text_top);
        CHECK(g.output_positions[i].y < g.box.max.y);
        if (i > 0) CHECK(g.output_positions[i].y == Approx(g.output_positions[i - 1].y + node_slot_height));
        CHECK(hit_output_pin(g, g.output_positions[i] + vec2{3, -3}) == static_cast<int>(i));
    }
    CHECK(g.outputs[2] == pin{"q", pin_slot::choice, 2});
    CHECK(hit_output_pin(g, g.output_positions[0] + vec2{20, 0}) == -1);
    CHECK(hit_input_pin(g, g.input + vec2{0, 4}));
    CHECK(!hit_input_pin(g, g.input + vec2{0, 40}));
}

TEST_CASE("model: rectangles and curves") {
    const rect r = rect_from_corners({10, 20}, {0, 0});
    CHECK(r == rect{{0, 0}, {10, 20}});
    CHECK(contains(r, {0, 0}));
    CHECK(contains(r, {10, 20}));
    CHECK(!contains(r, {10.1, 5}));
    CHECK(overlaps(r, {{10, 20}, {30, 30}}));  // touching corner
    CHECK(!overlaps(r, {{11, 0}, {30, 30}}));
    CHECK(encloses(r, {{1, 1}, {9, 9}}));
    CHECK(!encloses(r, {{1, 1}, {11, 9}}));
    CHECK(united(r, {{-5, 5}, {1, 30}}) == rect{{-5, 0}, {10, 30}});
    CHECK(snap_to_grid({29, -31}, 20) == vec2{20, -40});
    CHECK(snap_to_grid({29, -31}, 0) == vec2{29, -31});

    const bezier b = link_curve({0, 0}, {300, 100});
    CHECK(b.at(0) == vec2{0, 0});
    CHECK(b.at(1).x == Approx(300));
    CHECK(distance_to(b, {0, 0}) == Approx(0).epsilon(1e-9));
    CHECK(distance_to(b, b.at(0.37)) < 1e-3);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> coord(-200, 500);
    for (int i = 0; i < 50; ++i) {
        const vec2 p{coord(rng), coord(rng)};
        double brute = 1e300;
        for (int k = 0; k <= 20000; ++k) brute = std::min(brute, length(b.at(k / 20000.0) - p));
        CHECK(distance_to(b, p) == Approx(brute).epsilon(1e-3));
    }
    CHECK(near_curve(b, b.at(0.5) + vec2{0, 4}, 5));
    CHECK(!near_curve(b, b.at(0.5) + vec2{0, 40}, 5));
    CHECK(!near_curve(b, {5000, 5000}, 5));
    // A link going backwards still leaves to the right and arrives from the left.
    const bezier back = link_curve({500, 0}, {0, 0});
    CHECK(back.p1.x > 500);
    CHECK(back.p2.x < 0);
}

TEST_CASE("model: the culling index returns exactly the intersecting boxes") {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> pos(-5000, 5000);
    std::uniform_real_distribution<double> size(1, 400);
    for (const double cell : {64.0, 512.0, 3000.0}) {
        std::vector<rect> boxes;
        for (int i = 0; i < 1500; ++i) boxes.push_back(rect_at({pos(rng), pos(rng)}, {size(rng), size(rng)}));
        boxes.push_back({{-100000, -5}, {100000, 5}});  // one huge box (kept outside the grid)
        boxes.push_back({{7, 7}, {7, 7}});               // a point
        spatial_index index(cell);
        index.rebuild(boxes);
        CHECK(index.size() == boxes.size());
        for (int q = 0; q < 300; ++q) {
            rect area = rect_from_corners({pos(rng), pos(rng)}, {pos(rng), pos(rng)});
            if (q % 10 == 0) area = rect_at({pos(rng), pos(rng)}, {size(rng), size(rng)});
            if (q == 1) area = {{-1e6, -1e6}, {1e6, 1e6}};  // zoomed far out
            if (q == 2) area = {{7, 7}, {7, 7}};
            std::vector<std::size_t> brute;
            for (std::size_t i = 0; i < boxes.size(); ++i)
                if (overlaps(boxes[i], area)) brute.push_back(i);
            CHECK(index.query(area) == brute);
        }
        const vec2 p{pos(rng), pos(rng)};
        std::vector<std::size_t> brute;
        for (std::size_t i = 0; i < boxes.size(); ++i)
            if (contains(boxes[i], p)) brute.push_back(i);
        CHECK(index.query_point(p) == brute);
    }
    spatial_index empty;
    CHECK(empty.query({{0, 0}, {10, 10}}).empty());
}

TEST_CASE("model: the culling index stays small and exact with nodes absurdly far apart") {
    // A legal file may place a node at x=1e18 (or 1e308): the grid sized itself by area
    // alone and asked for billions of cells (bad_alloc in the editor, found by a review).
    for (const double far : {1e6, 1e14, 1e18, 1e300, 1.7e308}) {
        CAPTURE(far);
        std::vector<rect> boxes{rect_at({0, 0}, {220, 100}), rect_at({far, 0}, {220, 100}),
                                rect_at({-far, far}, {220, 100}), rect_at({300, 40}, {220, 100})};
        spatial_index index;
        index.rebuild(boxes);
        CHECK(index.query({{0, 0}, {600, 200}}) == std::vector<std::size_t>{0, 3});
        CHECK(index.query_point({far + 10, 10}) == std::vector<std::size_t>{1});
        CHECK(index.query_point({-far + 10, far + 10}) == std::vector<std::size_t>{2});
    }
}

TEST_CASE("model: the culling index stays exact when items move without a rebuild") {
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> pos(-3000, 3000);
    std::vector<rect> boxes;
    for (int i = 0; i < 800; ++i) boxes.push_back(rect_at({pos(rng), pos(rng)}, {220, 100}));
    spatial_index index;
    index.rebuild(boxes);
    for (int round = 0; round < 50; ++round) {
        const auto i = static_cast<std::size_t>(rng() % boxes.size());
        boxes[i] = rect_at({pos(rng) * 3, pos(rng) * 3}, {220, 100});  // also far outside the grid
        index.update(i, boxes[i]);
        const rect area = rect_from_corners({pos(rng) * 2, pos(rng) * 2}, {pos(rng) * 2, pos(rng) * 2});
        std::vector<std::size_t> brute;
        for (std::size_t k = 0; k < boxes.size(); ++k)
            if (overlaps(boxes[k], area)) brute.push_back(k);
        CHECK(index.query(area) == brute);
        CHECK(index.box(i) == boxes[i]);
    }
}

TEST_CASE("model: scene hit tests nodes, pins and links") {
    const tree t = model_test::load_sample();
    scene s;
    s.rebuild(t);
    REQUIRE(s.nodes().size() == t.nodes.size());
    const int power = s.index_of("power");
    REQUIRE(power >= 0);
    const node_geometry& g = s.nodes()[static_cast<std::size_t>(power)];
    CHECK(g.box.min == vec2{0, 0});
    CHECK(s.node_at(g.box.center()) == power);
    CHECK(s.node_at({-50, -50}) == -1);
    // Links: power 3, reboot 1, acct 1, route 2 (branch + otherwise).
    CHECK(s.links().size() == 7);
    const auto [n, p] = s.output_pin_at(g.output_positions[1]);
    CHECK(n == power);
    CHECK(p == 1);
    const scene_link& l = s.links()[0];
    const int picked = s.link_at(l.curve.at(0.5), 6);
    REQUIRE(picked >= 0);
    CHECK(s.links()[static_cast<std::size_t>(picked)].curve.at(0.5) == l.curve.at(0.5));
    CHECK(s.link_at({-3000, -3000}, 6) == -1);
    // Culling: a view around "power" only sees power.
    const auto visible = s.nodes_in({{-10, -10}, {100, 50}});
    CHECK(visible == std::vector<std::size_t>{static_cast<std::size_t>(power)});
    CHECK(s.nodes_in(s.bounds()).size() == t.nodes.size());
    CHECK(s.links_in(s.bounds()).size() == s.links().size());
}

TEST_CASE("model: scene of 5,000 nodes culls to the visible ones") {
    document d(model_test::big_tree(5000), "");
    const auto started = std::chrono::steady_clock::now();
    scene s;
    s.rebuild(d.current());
    const auto built = std::chrono::steady_clock::now();
    const auto visible = s.nodes_in({{0, 0}, {1600, 1000}});
    const auto queried = std::chrono::steady_clock::now();
    MESSAGE("scene rebuild " << std::chrono::duration_cast<std::chrono::microseconds>(built - started).count()
                             << " us, query " << std::chrono::duration_cast<std::chrono::microseconds>(queried - built).count()
                             << " us for " << visible.size() << " visible nodes (debug build)");
    CHECK(!visible.empty());
    CHECK(visible.size() < 200);

    // A drag frame: move a few nodes, refresh only them, and compare with a full rebuild.
    std::vector<std::pair<std::string, vec2>> moved;
    for (const char* id : {"n0", "n1", "n2500"}) moved.emplace_back(id, vec2{-2000, -1500});
    REQUIRE(!d.execute(move_nodes(moved)));
    const auto frame = std::chrono::steady_clock::now();
    s.update_positions(d.current(), {"n0", "n1", "n2500"});
    const auto updated = std::chrono::steady_clock::now();
    MESSAGE("update_positions of 3 nodes " << std::chrono::duration_cast<std::chrono::microseconds>(updated - frame).count() << " us");
    scene full;
    full.rebuild(d.current());
    CHECK(s.bounds() == full.bounds());
    for (const rect area : {rect{{-2100, -1600}, {-1500, -1000}}, rect{{0, 0}, {1600, 1000}}, full.bounds()}) {
        CHECK(s.nodes_in(area) == full.nodes_in(area));
        CHECK(s.links_in(area) == full.links_in(area));
    }
    CHECK(s.node_at({-1990, -1490}) == full.node_at({-1990, -1490}));
    REQUIRE(s.links().size() == full.links().size());
    for (std::size_t i = 0; i < s.links().size(); ++i) CHECK(s.links()[i].curve.p0 == full.links()[i].curve.p0);
}

namespace {
// A font where every narrow character is 1 wide, a wide (CJK) one 2, the ellipsis 1.
double unit_width(char32_t c) { return display_width(c) == 2 ? 2.0 : display_width(c) == 0 ? 0.0 : 1.0; }
}  // namespace

TEST_CASE("model: box text wraps between words to the width, and a cut line ends with an ellipsis") {
    const char_width w = unit_width;
    // Between words; a line's trailing spaces are not kept, nor carried to the next line.
    auto r = wrap_lines("the quick brown fox jumps", 10, w, 4);
    CHECK(r.lines == std::vector<std::string>{"the quick", "brown fox", "jumps"});
    CHECK(!r.cut);
    for (const std::string& line : r.lines) CHECK(text_width(line, w) <= 10);
    // A word longer than the line breaks inside it, between characters.
    r = wrap_lines("abcdefghijkl xy", 5, w, 4);
    CHECK(r.lines == std::vector<std::string>{"abcde", "fghij", "kl xy"});
    // The text's own line breaks stay.
    r = wrap_lines("one\ntwo three", 20, w, 4);
    CHECK(r.lines == std::vector<std::string>{"one", "two three"});
    // More than fits: the last line shown ends with '…', and the line with it fits.
    r = wrap_lines("aa bb cc dd ee ff gg hh", 5, w, 2);
    REQUIRE(r.lines.size() == 2);
    CHECK(r.cut);
    CHECK(r.lines[0] == "aa bb");
    CHECK(r.lines[1] == "cc d\xE2\x80\xA6");  // "cc dd" left no room for the mark
    CHECK(text_width(r.lines[1], w) <= 5);
    r = wrap_lines("a\nb\nc", 10, w, 2);
    CHECK(r.lines == std::vector<std::string>{"a", "b\xE2\x80\xA6"});
    CHECK(r.cut);
    // Exactly filling the lines is no cut.
    r = wrap_lines("abcde fghij", 5, w, 2);
    CHECK(r.lines == std::vector<std::string>{"abcde", "fghij"});
    CHECK(!r.cut);
    // Chinese and Japanese break between characters; every line fits.
    r = wrap_lines("\xE7\x82\xB9\xE7\x82\xB9\xE7\x82\xB9\xE7\x82\xB9\xE7\x82\xB9", 4, w, 4);  // 点 x5
    CHECK(r.lines.size() == 3);
    for (const std::string& line : r.lines) CHECK(text_width(line, w) <= 4);
    // ...but a line does not start with closing punctuation: the character before goes with it.
    r = wrap_lines("\xE7\x82\xB9\xE7\x82\xB9\xE3\x80\x81\xE7\x82\xB9", 4, w, 4);  // 点点、点
    CHECK(r.lines == std::vector<std::string>{"\xE7\x82\xB9", "\xE7\x82\xB9\xE3\x80\x81", "\xE7\x82\xB9"});
    // What ImGui cannot draw is a replacement mark in the lines, as it is drawn.
    r = wrap_lines("a\xF0\x9F\x98\x80" "b\xFF", 10, w, 1);
    CHECK(r.lines == std::vector<std::string>{"a\xEF\xBF\xBD" "b\xEF\xBF\xBD"});
    CHECK(wrap_lines("", 10, w, 4).lines.empty());
    CHECK(wrap_lines("text", 10, w, 0).lines.empty());
}

TEST_CASE("model: a title cut to its width ends with an ellipsis") {
    const char_width w = unit_width;
    CHECK(fit_line("short", 10, w) == "short");
    CHECK(fit_line("exactly-10", 10, w) == "exactly-10");
    CHECK(fit_line("a title too long", 10, w) == "a title t\xE2\x80\xA6");
    CHECK(fit_line("a title  too", 10, w) == "a title\xE2\x80\xA6");  // no spaces before the mark
    CHECK(text_width(fit_line("a title too long", 10, w), w) <= 10);
    CHECK(fit_line("first\nsecond", 20, w) == "first\xE2\x80\xA6");  // the rest is left out: said
    // Cut between whole characters.
    CHECK(fit_line("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3, w) == "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
}

TEST_CASE("model: boxes are sized with the widths the UI gives, for the lines it draws") {
    node s = make_node(node_kind::step, "s");
    s.text = "one two three four five six seven eight nine ten eleven twelve";
    const double estimated = node_size(s).y;
    const std::uint64_t before = preview_widths_generation();
    // A font twice as wide as the estimate: more lines, a taller box.
    set_preview_widths([](char32_t c) { return 2 * display_width(c) * (node_text_width / node_chars_per_line); });
    CHECK(preview_widths_generation() > before);
    const wrapped_lines shown = preview_of(s);
    CHECK(node_size(s).y == Approx(node_header_height + static_cast<double>(shown.lines.size()) * node_line_height +
                                   node_padding + node_slot_height + node_padding));
    CHECK(node_size(s).y > estimated);
    for (const std::string& line : shown.lines) CHECK(text_width(line, preview_widths()) <= node_text_width);
    set_preview_widths({});  // back to the estimate
    CHECK(node_size(s).y == Approx(estimated));
}
