#pragma once
// The editor window in an ImGui context with no renderer: a tree file in a temp folder,
// the editor_app drawing every frame, and helpers to find and work what it drew.

#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "editor_app.hpp"
#include "model/node_box.hpp"
#include "signpost/load.hpp"
#include "ui/headless.hpp"
#include "ui/keys.hpp"

namespace editor_ui_test {

namespace fs = std::filesystem;
using namespace signpost;
using namespace signpost::editor;

// A small script with every kind an author meets first, laid out left to right.
inline const char* router_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="router" version="2" title="Router check" start="power">
  <variables>
    <variable name="reboots" type="number" default="0"/>
    <variable name="account" type="text" label="Account number"/>
  </variables>
  <question id="power" title="Power light">
    <text>Is the **power light** on?</text>
    <choice to="acct">Yes, it is lit</choice>
    <choice to="reboot" set="reboots = reboots + 1">No</choice>
  </question>
  <step id="reboot" title="Reboot" to="power">
    <text>Unplug the router for 30 seconds.</text>
  </step>
  <form id="acct" title="Account" to="fixed">
    <field var="account" label="Account number" required="true" pattern="[0-9]{8}"/>
  </form>
  <end id="fixed" title="Fixed" outcome="resolved">
    <text>Thank the customer.</text>
  </end>
  <layout>
    <pos node="power" x="0" y="0"/>
    <pos node="reboot" x="0" y="260"/>
    <pos node="acct" x="320" y="0"/>
    <pos node="fixed" x="640" y="0"/>
  </layout>
</tree>
)";

class temp_dir {
public:
    temp_dir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("signpost-editor-ui-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& content) const {
        std::ofstream(path / name, std::ios::binary) << content;
        return (path / name).string();
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
    fs::path path;
};

// Untitled autosaves go to $XDG_STATE_HOME: each rig gets a folder of its own, so no test
// sees another's (or the user's) autosave offered back at start.
struct private_state_home {
    temp_dir dir;
    std::optional<std::string> before;
    private_state_home() {
        if (const char* old = std::getenv("XDG_STATE_HOME")) before = old;
        ::setenv("XDG_STATE_HOME", dir.path.c_str(), 1);
    }
    ~private_state_home() {
        if (before) ::setenv("XDG_STATE_HOME", before->c_str(), 1);
        else ::unsetenv("XDG_STATE_HOME");
    }
    private_state_home(const private_state_home&) = delete;
    private_state_home& operator=(const private_state_home&) = delete;
};

struct rig {
    private_state_home state_home;
    temp_dir dir;
    std::string tree_path;
    document::clock::time_point now = document::clock::now();
    std::unique_ptr<editor_app> app;
    signpost::test::headless_ui ui{1280, 800};

    explicit rig(const std::string& xml = router_xml, const std::string& name = "router.xml") {
        tree_path = xml.empty() ? std::string() : dir.write(name, xml);
        app = make_app(tree_path);
        ui.default_draw = [this] { app->draw(ui.fonts()); };
        settle();
    }

    // The editor stops with no clean close (a crash, a kill) and starts again on `path`:
    // the old one is gone first, as a crashed process is, and so are its holds on autosaves.
    void restart_after_crash(const std::string& path) {
        app.reset();
        app = make_app(path);
    }

    std::unique_ptr<editor_app> make_app(const std::string& path) {
        editor_options o;
        o.tree_path = path;
        o.remember_recent = false;
        auto a = std::make_unique<editor_app>(o);
        // Simulated time: every frame is 50 ms later, so revalidation and autosave happen.
        a->set_time_source([this] { return now += std::chrono::milliseconds(50); });
        a->start();
        return a;
    }

    void settle(int frames = 3) {
        for (int i = 0; i < frames; ++i) ui.frame({});
    }

    // Runs frames until the background check of the latest edit has come back.
    void wait_for_problems() {
        for (int i = 0; i < 400 && (i < 2 || doc().problems_stale()); ++i) {
            settle(1);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        REQUIRE_FALSE(doc().problems_stale());
    }

    document& doc() { return app->doc(); }
    const tree& t() { return app->doc().current(); }
    canvas_view& canvas() { return app->canvas(); }

    const drawn_control& control(const std::string& prefix) {
        const drawn_control* c = app->find_control(prefix);
        REQUIRE_MESSAGE(c, "nothing starting with '" << prefix << "' was drawn");
        return *c;
    }
    bool drawn(const std::string& prefix) const { return app->find_control(prefix) != nullptr; }
    // Scrolls the panel holding a control until the control is on screen.
    const drawn_control& reveal(const std::string& prefix) {
        for (int i = 0; i < 40; ++i) {
            const drawn_control& c = control(prefix);
            const float y = c.centre().y;
            if (y > 70 && y < 740) return c;
            ui.wheel(ImVec2(c.centre().x, 400), y >= 740 ? -1.0f : 1.0f);
        }
        return control(prefix);
    }
    void click(const std::string& prefix) { ui.click(reveal(prefix).centre()); }
    // Clicks a table row near its left end (its middle may be a column's resize border).
    void click_row(const std::string& prefix) {
        const drawn_control& c = reveal(prefix);
        ui.click(ImVec2(c.min.x + 12, c.centre().y));
    }

    // Screen position of a node's output pin (slot/index as in model/pin.hpp).
    ImVec2 pin_at(const std::string& node_id, pin_slot slot, int index = 0) {
        const scene& s = canvas().current_scene();
        const int n = s.index_of(node_id);
        REQUIRE(n >= 0);
        const node_geometry& g = s.nodes()[static_cast<std::size_t>(n)];
        for (std::size_t i = 0; i < g.outputs.size(); ++i)
            if (g.outputs[i].slot == slot && g.outputs[i].index == index) return canvas().to_screen(g.output_positions[i]);
        FAIL("no such pin on " << node_id);
        return {};
    }
    // Screen position of the middle of a node's title bar (away from its pins).
    ImVec2 node_at(const std::string& node_id) {
        const scene& s = canvas().current_scene();
        const int n = s.index_of(node_id);
        REQUIRE(n >= 0);
        const rect& box = s.nodes()[static_cast<std::size_t>(n)].box;
        return canvas().to_screen({box.center().x, box.min.y + node_header_height * 0.5});
    }
    // Canvas top-left corner of a node as the layout stores it.
    vec2 position(const std::string& node_id) {
        const layout_entry* e = t().find_layout(node_id);
        REQUIRE(e);
        return {e->x, e->y};
    }

    // Clicks a text field drawn by the inspector, selects all of it and types `text`.
    void retype(const std::string& field, const std::string& text) {
        click("field:" + field);
        ui.press(ui::letter('A'), true);
        ui.press(ui::key::backspace);
        ui.type(text);
    }
    // Ends typing in a field the way a person does: Enter.
    void enter() { ui.press(ui::key::enter); }

    void press_ctrl_shift(int key) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyShift = true;
        ui.press(key, true);
        io.KeyShift = false;
        settle(1);
    }
};

}  // namespace editor_ui_test
