// Automatic layout: layers along edges, no overlaps, unreachable nodes after, speed.

#include <doctest/doctest.h>

#include <chrono>
#include <random>

#include "model/commands.hpp"
#include "model/layout.hpp"
#include "model/node_box.hpp"
#include "model/scene.hpp"
#include "test_model_fixture.hpp"

using namespace signpost;
using namespace signpost::editor;

namespace {

// Boxes of a layout, node i at out[i].
std::vector<rect> boxes_of(const tree& t, const std::vector<layout_entry>& positions) {
    std::vector<rect> out;
    for (std::size_t i = 0; i < t.nodes.size(); ++i)
        out.push_back(rect_at({positions[i].x, positions[i].y}, node_size(t.nodes[i])));
    return out;
}

// Pairs of boxes whose interiors overlap (touching edges allowed), using the grid index.
int overlapping_pairs(const std::vector<rect>& boxes) {
    spatial_index index(600);
    index.rebuild(boxes);
    int pairs = 0;
    for (std::size_t i = 0; i < boxes.size(); ++i)
        for (const std::size_t j : index.query(expanded(boxes[i], -0.5)))
            if (j != i) ++pairs;
    return pairs;
}

// A DAG in which every node is reachable from node 0: i -> i+1 plus random forward links.
tree random_dag(int n, unsigned seed) {
    std::mt19937 rng(seed);
    tree t;
    t.id = "dag";
    for (int i = 0; i < n; ++i) {
        node x;
        x.id = "d" + std::to_string(i);
        if (i == n - 1) {
            x.kind = node_kind::end;
            x.outcome = "resolved";
        } else {
            x.kind = node_kind::question;
            choice c;
            c.label = "next";
            c.to = "d" + std::to_string(i + 1);
            x.choices.push_back(c);
            const int extra = static_cast<int>(rng() % 3);
            for (int k = 0; k < extra; ++k) {
                c.to = "d" + std::to_string(i + 1 + static_cast<int>(rng() % static_cast<unsigned>(n - 1 - i)));
                x.choices.push_back(c);
            }
            x.text = std::string(rng() % 150, 'x');
        }
        t.nodes.push_back(x);
    }
    t.start = "d0";
    t.reindex();
    return t;
}

}  // namespace

TEST_CASE("model: layout of a DAG puts every edge's target in a later layer, left to right") {
    for (unsigned seed = 1; seed <= 5; ++seed) {
        const tree t = random_dag(120, seed);
        const auto layers = layer_assignment(t);
        const auto positions = auto_layout(t);
        REQUIRE(positions.size() == t.nodes.size());
        for (std::size_t i = 0; i < t.nodes.size(); ++i) {
            CHECK(positions[i].node == t.nodes[i].id);
            for (const auto& to : t.successors(t.nodes[i])) {
                const auto j = static_cast<std::size_t>(t.index_of(to));
                CHECK(layers[j] > layers[i]);
                CHECK(positions[j].x > positions[i].x);
            }
        }
        CHECK(overlapping_pairs(boxes_of(t, positions)) == 0);
    }
}

TEST_CASE("model: layout top-down runs the layers down the canvas") {
    const tree t = random_dag(60, 9);
    layout_options o;
    o.direction = layout_direction::top_down;
    const auto positions = auto_layout(t, o);
    for (std::size_t i = 0; i < t.nodes.size(); ++i)
        for (const auto& to : t.successors(t.nodes[i]))
            CHECK(positions[static_cast<std::size_t>(t.index_of(to))].y > positions[i].y);
    CHECK(overlapping_pairs(boxes_of(t, positions)) == 0);
}

TEST_CASE("model: layout handles loops and puts unreachable nodes after the rest") {
    tree t = model_test::load_sample();
    node lone;
    lone.kind = node_kind::step;
    lone.id = "lonely";
    lone.to = "island";
    t.nodes.push_back(lone);
    node island;
    island.kind = node_kind::end;
    island.id = "island";
    island.outcome = "resolved";
    t.nodes.push_back(island);
    t.reindex();
    const auto layers = layer_assignment(t);
    const auto positions = auto_layout(t);
    const int start_layer = layers[static_cast<std::size_t>(t.index_of("power"))];
    CHECK(start_layer == 0);
    int max_reachable = 0;
    for (std::size_t i = 0; i + 2 < t.nodes.size(); ++i) max_reachable = std::max(max_reachable, layers[i]);
    const auto lonely = static_cast<std::size_t>(t.index_of("lonely"));
    const auto isl = static_cast<std::size_t>(t.index_of("island"));
    CHECK(layers[lonely] > max_reachable);
    CHECK(layers[isl] == layers[lonely] + 1);
    for (std::size_t i = 0; i + 2 < t.nodes.size(); ++i) CHECK(positions[lonely].x > positions[i].x);
    CHECK(overlapping_pairs(boxes_of(t, positions)) == 0);
    // Coordinates sit on the grid.
    for (const auto& p : positions) {
        CHECK(std::fmod(p.x, 20.0) == doctest::Approx(0));
        CHECK(std::fmod(p.y, 20.0) == doctest::Approx(0));
    }
    CHECK(auto_layout(tree{}).empty());
}

TEST_CASE("model: arranging is one undo step") {
    auto d = model_test::sample_document();
    const std::string before = model_test::text_of(d);
    REQUIRE(!d.execute(apply_auto_layout()));
    CHECK(d.edits().undo_depth() == 1);
    CHECK(model_test::text_of(d) != before);
    CHECK(position_of(d.current(), "power") == vec2{0, 0});
    d.undo();
    CHECK(model_test::text_of(d) == before);
    // Arranging twice changes nothing the second time.
    d.redo();
    REQUIRE(!d.execute(apply_auto_layout()));
    CHECK(d.edits().undo_depth() == 1);
}

TEST_CASE("model: layout of 5,000 nodes") {
    const tree t = model_test::big_tree(5000);
    const auto started = std::chrono::steady_clock::now();
    const auto positions = auto_layout(t);
    const auto took = std::chrono::steady_clock::now() - started;
    MESSAGE("auto_layout of 5000 nodes (debug build): "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
    REQUIRE(positions.size() == 5000);
    CHECK(overlapping_pairs(boxes_of(t, positions)) == 0);
}
