// signpost-bench-editor: CPU time of one editor UI frame (menus, outline, canvas, inspector,
// problems) for generated trees of 100, 1,000 and 10,000 nodes, at the same view, in an ImGui
// context with no renderer. The canvas culls what is off screen, so the frame should cost
// about the same whatever the tree size. A measurement, not a test: it prints the figures.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <imgui.h>
#include <unistd.h>

#include "editor_app.hpp"
#include "model/commands.hpp"
#include "tree_generator.hpp"
#include "ui/fonts.hpp"
#include "ui/keys.hpp"

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

struct figures {
    std::size_t nodes = 0;
    double median_ms = 0;
    double mean_ms = 0;
    double p90_ms = 0;
    std::size_t drawn_nodes = 0;
    std::size_t drawn_links = 0;
    int vertices = 0;
};

figures measure(std::size_t nodes, const fs::path& dir, const signpost::ui::font_set& fonts, int frames) {
    using namespace signpost;
    bench::generator_options g;
    g.nodes = nodes;
    g.seed = 11;
    g.jumps = false;
    g.layout = true;
    const bench::generated_trees trees = bench::generate_trees(g);
    const fs::path file = dir / (trees.root.id + ".xml");
    std::ofstream(file, std::ios::binary) << trees.root.xml;

    editor::editor_options o;
    o.tree_path = file.string();
    o.remember_recent = false;
    o.autosave = false;
    editor::editor_app app(o);
    app.start();
    // One grid for every size (10 boxes a row), so the view below shows the same region
    // and the same number of boxes whatever the tree's size.
    std::vector<std::pair<std::string, editor::vec2>> grid;
    const auto& all = app.doc().current().nodes;
    for (std::size_t i = 0; i < all.size(); ++i)
        grid.emplace_back(all[i].id, editor::vec2{double(i % 10) * 280.0, double(i / 10) * 240.0});
    app.run(editor::move_nodes(grid));
    app.doc().wait_for_validation();

    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(-1, -1);
    auto frame = [&] {
        ImGui::NewFrame();
        app.draw(fonts);
        ImGui::Render();
    };
    // The same view for every size: the grid's top-left corner at 60% zoom.
    frame();
    app.canvas().transform() = {{30, 30}, 0.6};
    for (int i = 0; i < 10; ++i) frame();

    std::vector<double> ms;
    ms.reserve(static_cast<std::size_t>(frames));
    for (int i = 0; i < frames; ++i) {
        const auto t0 = clock_type::now();
        frame();
        ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
    }
    figures f;
    f.nodes = app.doc().current().nodes.size();
    f.drawn_nodes = app.canvas().drawn_nodes();
    f.drawn_links = app.canvas().drawn_links();
    f.vertices = ImGui::GetDrawData()->TotalVtxCount;
    double sum = 0;
    for (double v : ms) sum += v;
    f.mean_ms = sum / static_cast<double>(ms.size());
    std::sort(ms.begin(), ms.end());
    f.median_ms = ms[ms.size() / 2];
    f.p90_ms = ms[ms.size() * 9 / 10];
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    const int frames = argc > 1 ? std::max(10, std::atoi(argv[1])) : 200;
    const fs::path dir = fs::temp_directory_path() / ("signpost-bench-editor-" + std::to_string(::getpid()));
    fs::create_directories(dir);

    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 800);
    io.DeltaTime = 1.0f / 60.0f;
    signpost::ui::map_keys_like_glfw();
    const signpost::ui::font_set fonts = signpost::ui::load_fonts(16.0f);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);

    std::printf("editor UI frame, 1280x800, headless, %d frames per size\n", frames);
    std::printf("%8s  %10s  %10s  %10s  %7s  %7s  %9s\n", "nodes", "median ms", "mean ms", "p90 ms", "drawn", "links", "vertices");
    std::vector<figures> all;
    for (const std::size_t n : {std::size_t{100}, std::size_t{1000}, std::size_t{10000}}) {
        const figures f = measure(n, dir, fonts, frames);
        all.push_back(f);
        std::printf("%8zu  %10.3f  %10.3f  %10.3f  %7zu  %7zu  %9d\n", f.nodes, f.median_ms, f.mean_ms, f.p90_ms,
                    f.drawn_nodes, f.drawn_links, f.vertices);
    }
    const double ratio = all.back().median_ms / all.front().median_ms;
    std::printf("10,000-node frame / 100-node frame: %.2fx (culling target: within 3x)\n", ratio);

    ImGui::DestroyContext();
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}
