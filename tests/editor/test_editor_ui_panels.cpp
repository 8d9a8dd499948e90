// The editor's side panels: outline, problems, preview and statistics; and culling on a
// big tree.
#include "test_editor_ui_rig.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <vector>

#include "model/commands.hpp"

#include "signpost/log_generator.hpp"
#include "signpost/session_log.hpp"
#include "signpost/statistics.hpp"
#include "tree_generator.hpp"

using namespace editor_ui_test;

namespace {

// The tops of the drawn controls whose label starts with `prefix` (table rows).
std::vector<float> row_tops(rig& r, const std::string& prefix) {
    std::vector<float> tops;
    for (const drawn_control& c : r.app->controls())
        if (c.label.rfind(prefix, 0) == 0) tops.push_back(c.min.y);
    std::sort(tops.begin(), tops.end());
    return tops;
}

// True when every top is `first` plus whole rows: no row is drawn half under the header.
bool on_whole_rows(const std::vector<float>& tops, float first, float row) {
    for (const float y : tops) {
        const float rows = (y - first) / row;
        if (std::abs(rows - std::round(rows)) > 0.02f) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("editor panels: the outline filters by id, title and text, and a click selects and centres") {
    rig r;
    r.click("outline:filter");
    r.ui.type("unplug");  // only in the step's text
    r.settle(1);
    REQUIRE(r.app->outline().rows().size() == 1);
    CHECK(r.t().nodes[r.app->outline().rows()[0]].id == "reboot");
    CHECK_FALSE(r.drawn("outline:power"));
    r.click("outline:reboot");
    r.settle();
    CHECK(r.doc().selection().primary() == "reboot");
    const rect box = r.canvas().current_scene().nodes()[static_cast<std::size_t>(r.canvas().current_scene().index_of("reboot"))].box;
    const ImVec2 c = r.canvas().to_screen(box.center());
    CHECK(c.x == doctest::Approx(r.canvas().origin().x + r.canvas().size().x / 2).epsilon(0.01));
    CHECK(c.y == doctest::Approx(r.canvas().origin().y + r.canvas().size().y / 2).epsilon(0.01));
}

TEST_CASE("editor panels: problems follow the edits, and a click selects the node and its field") {
    rig r;
    bool before = false;
    for (const diagnostic& d : r.doc().problems()) before |= d.level != severity::info;
    CHECK_FALSE(before);
    // Unlink the form's "next": the tree now has a form going nowhere.
    r.ui.click(r.pin_at("acct", pin_slot::next));
    r.ui.press(ui::key::del);
    REQUIRE(r.t().find("acct")->to.empty());
    r.wait_for_problems();  // revalidation runs in the background shortly after the edit
    std::string code;
    for (const diagnostic& d : r.doc().problems())
        if (d.node_id == "acct" && d.level == severity::error) code = d.code;
    REQUIRE_FALSE(code.empty());
    r.ui.press(ui::key::escape);
    r.click_row("problem:" + code + ":acct");
    CHECK(r.doc().selection().primary() == "acct");
}

TEST_CASE("editor panels: a problem too long for its column is shown whole when its row is hovered") {
    rig r;
    // A variable nobody declared: its message is a long sentence.
    REQUIRE_FALSE(r.doc().execute(set_node_property("acct", node_property::text, "Ask for {nobody_declared_this}.")));
    r.wait_for_problems();
    std::string code;
    for (const diagnostic& d : r.doc().problems())
        if (d.node_id == "acct" && d.level == severity::error) code = d.code;
    REQUIRE_FALSE(code.empty());
    r.ui.press(ui::key::escape);
    const drawn_control& row = r.reveal("problem:" + code + ":acct");
    CHECK_FALSE(r.drawn("problem-tooltip:" + code));
    r.ui.move_mouse(ImVec2(row.min.x + 12, row.centre().y));
    r.settle(2);
    CHECK(r.drawn("problem-tooltip:" + code));
}

TEST_CASE("editor panels: the problems list scrolls by whole rows") {
    rig r;
    // Unreachable steps going nowhere: more problems than the panel shows.
    for (int i = 0; i < 16; ++i) REQUIRE_FALSE(r.doc().execute(add_node(node_kind::step, {0, 600.0 + i * 200})));
    r.wait_for_problems();
    r.ui.press(ui::key::escape);
    r.settle(2);
    const std::vector<float> top = row_tops(r, "problem:");
    REQUIRE(top.size() >= 3);
    const float row = top[1] - top[0];
    REQUIRE(row > 0);
    const ImVec2 over(r.canvas().origin().x + 100, top[1] + row * 0.5f);
    // A wheel step is not a multiple of the row height; after it (and back up, and a
    // fraction of a step) the rows still sit where whole rows do.
    for (const float step : {-1.0f, -1.0f, 1.0f, -0.3f}) {
        r.ui.wheel(over, step);
        r.settle(3);
        const std::vector<float> now = row_tops(r, "problem:");
        CAPTURE(step);
        CHECK(on_whole_rows(now, top[0], row));
    }
    CHECK(row_tops(r, "problem:") != top);  // it did scroll
}

TEST_CASE("editor panels: the bottom panel starts at its least height, and a drag still sets it") {
    rig r;
    const float canvas_height = r.canvas().size().y;
    const ImVec2 bar = r.control("split:bottom").centre();
    // Dragged lower than its floor: it is there already, the canvas gains nothing.
    r.ui.drag(bar, ImVec2(bar.x, bar.y + 150));
    r.settle(2);
    CHECK(r.canvas().size().y == doctest::Approx(canvas_height));
    // Dragged up, the panel grows by the drag.
    const ImVec2 again = r.control("split:bottom").centre();
    r.ui.drag(again, ImVec2(again.x, again.y - 80));
    r.settle(2);
    CHECK(r.canvas().size().y == doctest::Approx(canvas_height - 80).epsilon(0.01));
}

TEST_CASE("editor panels: Remove variable stands apart from the Private box above it") {
    rig r;  // nothing selected: the inspector shows the tree, with its variables
    const drawn_control& box = r.reveal("field:var.0.private");
    const float box_bottom = box.max.y;
    const drawn_control& remove = r.control("Remove variable##var.0");
    CHECK(remove.min.y - box_bottom > ImGui::GetStyle().ItemSpacing.y);
}

TEST_CASE("editor panels: the preview plays the tree and the canvas follows the call") {
    rig r;
    r.click("tab:preview");
    r.click("preview:play");
    REQUIRE(r.app->preview().running());
    r.settle(1);
    CHECK(r.canvas().highlighted == "power");
    r.click("preview:choice:2");  // "No": sets reboots
    r.settle(1);
    CHECK(r.canvas().highlighted == "reboot");
    REQUIRE(r.app->preview().call());
    CHECK(r.app->preview().call()->variables().at("reboots") == value{1.0});
    r.click("preview:continue");
    r.click("preview:choice:1");
    r.settle(1);
    CHECK(r.canvas().highlighted == "acct");
    r.click("preview:field:account");
    r.ui.type("12345678");
    r.click("preview:submit");
    r.settle(1);
    CHECK(r.app->preview().call()->status() == session_status::completed);
    CHECK(r.app->preview().call()->outcome() == "resolved");
    // Edits do not disturb the call in progress; Restart plays the edited tree.
    r.click("preview:restart");
    r.settle(1);
    CHECK(r.canvas().highlighted == "power");
}

TEST_CASE("editor panels: the preview shows a long answer whole, wrapped in its button") {
    rig r;
    const std::string long_answer =
        "No, the power light stays dark even after the caller has checked the plug, the socket and the "
        "switch on the back of the router";
    REQUIRE_FALSE(r.doc().execute(set_choice_label("power", 1, long_answer)));
    r.click("tab:preview");
    r.click("preview:play");
    r.settle(1);
    const drawn_control& one_line = r.control("preview:choice:1");
    const drawn_control& wrapped = r.control("preview:choice:2");
    const float width = wrapped.max.x - wrapped.min.x;
    REQUIRE(width > 0);
    REQUIRE(ImGui::CalcTextSize(long_answer.c_str()).x > width * 1.5f);  // more than a line's worth
    // Taller by the lines it needs, and no wider than the panel's.
    CHECK(wrapped.max.y - wrapped.min.y >= (one_line.max.y - one_line.min.y) + ImGui::GetTextLineHeight());
    CHECK(width == doctest::Approx(one_line.max.x - one_line.min.x));
    r.click("preview:choice:2");
    r.settle(1);
    CHECK(r.canvas().highlighted == "reboot");
}

TEST_CASE("editor panels: the canvas keeps its size as problems come and go") {
    rig r;
    const auto errors = [&] {
        int n = 0;
        for (const diagnostic& d : r.doc().problems()) n += d.level == severity::error;
        return n;
    };
    r.wait_for_problems();
    REQUIRE(errors() == 0);
    r.settle(2);
    const ImVec2 size = r.canvas().size();
    // Deleting the end leaves the form with no next step: an error in the list.
    r.doc().selection().select_only("fixed");
    r.app->delete_selection();
    r.wait_for_problems();
    r.settle(2);
    REQUIRE(errors() > 0);
    CHECK(r.canvas().size().x == size.x);
    CHECK(r.canvas().size().y == size.y);
    REQUIRE(r.doc().undo());
    r.wait_for_problems();
    r.settle(2);
    CHECK(errors() == 0);
    CHECK(r.canvas().size().y == size.y);
}

TEST_CASE("editor panels: the preview plays from the keyboard, and Back leaves its end screen") {
    rig r;
    r.click("tab:preview");
    r.click("preview:play");  // the preview panel has the focus now
    REQUIRE(r.app->preview().running());
    r.doc().selection().select_only("reboot");  // Backspace must not delete it
    r.ui.press(ui::key::digit_0 + 2);  // "No"
    r.settle(1);
    CHECK(r.canvas().highlighted == "reboot");
    r.ui.press(ui::key::enter);  // Continue
    r.settle(1);
    CHECK(r.canvas().highlighted == "power");
    r.ui.press(ui::key::keypad_0 + 1);  // "Yes", on the number pad
    r.settle(1);
    CHECK(r.canvas().highlighted == "acct");
    // Keys typed into a field are the field's: the digits are the account number.
    r.click("preview:field:account");
    r.ui.type("12345678");
    r.ui.press(ui::key::enter);  // Enter in the field submits
    r.settle(1);
    REQUIRE(r.app->preview().call());
    CHECK(r.app->preview().call()->status() == session_status::completed);
    // Back from the end screen: the form again, with what was typed in it.
    r.ui.press(ui::key::backspace);
    r.settle(1);
    CHECK_FALSE(r.app->preview().call()->finished());
    CHECK(r.canvas().highlighted == "acct");
    CHECK(r.app->preview().inputs.at("account") == "12345678");
    r.ui.press(ui::key::backspace);
    r.settle(1);
    CHECK(r.canvas().highlighted == "power");
    CHECK(r.doc().current().find("reboot"));  // the canvas left Backspace to the preview
    // The Back button works on the end screen too.
    r.ui.press(ui::key::digit_0 + 1);
    r.click("preview:field:account");
    r.ui.press(ui::letter('A'), true);
    r.ui.type("87654321");
    r.click("preview:submit");
    r.settle(1);
    REQUIRE(r.app->preview().call()->finished());
    r.click("preview:back");
    r.settle(1);
    CHECK(r.canvas().highlighted == "acct");
    // Alt+Left goes back from inside a form field, where Backspace mends the typing.
    r.click("preview:field:account");
    r.ui.type("1");
    r.ui.press(ui::key::backspace);
    r.settle(1);
    CHECK(r.canvas().highlighted == "acct");
    r.ui.press_alt(ui::key::left);
    r.settle(1);
    CHECK(r.canvas().highlighted == "power");
    CHECK(r.doc().current().find("reboot"));
    r.ui.press(ui::key::digit_0 + 1);
    r.settle(1);
    CHECK(r.canvas().highlighted == "acct");
    // Ctrl+R restarts.
    r.ui.press(ui::letter('R'), true);
    r.settle(1);
    CHECK(r.canvas().highlighted == "power");
    // With the canvas focused, Backspace is the canvas's again: it deletes the selection.
    r.ui.click(r.node_at("reboot"));
    r.settle(1);
    r.ui.press(ui::key::backspace);
    r.settle(1);
    CHECK_FALSE(r.doc().current().find("reboot"));
}

TEST_CASE("editor panels: Backspace and Delete delete no node while the preview has the focus, call or not") {
    rig r;
    r.click("tab:preview");
    r.click("preview:play");
    REQUIRE(r.app->preview().running());
    // Stopped: the Play screen, the panel still focused.
    r.app->preview().stop();
    r.settle(2);
    REQUIRE_FALSE(r.app->preview().running());
    REQUIRE(r.app->preview().has_keys());
    r.doc().selection().select_only("reboot");
    r.ui.press(ui::key::backspace);
    r.settle(1);
    r.ui.press(ui::key::del);
    r.settle(1);
    CHECK(r.doc().current().find("reboot"));
    CHECK(r.doc().selection().contains("reboot"));
    // A tree the preview refuses to play ("Fix this first"): still no deleting from there.
    r.doc().selection().select_only("fixed");
    r.app->delete_selection();  // the form now leads nowhere
    r.click("preview:play");
    r.settle(1);
    REQUIRE_FALSE(r.app->preview().running());
    REQUIRE_FALSE(r.app->preview().error().empty());
    REQUIRE(r.app->preview().has_keys());
    r.doc().selection().select_only("acct");
    r.ui.press(ui::key::backspace);
    r.settle(1);
    r.ui.press(ui::key::del);
    r.settle(1);
    CHECK(r.doc().current().find("acct"));
    // The canvas focused again, Delete deletes.
    r.ui.click(r.node_at("acct"));
    r.settle(1);
    REQUIRE_FALSE(r.app->preview().has_keys());
    r.ui.press(ui::key::del);
    r.settle(1);
    CHECK_FALSE(r.doc().current().find("acct"));
}

TEST_CASE("editor panels: statistics colour the canvas and a table row selects the node") {
    rig r;
    const std::string log = r.dir.file("sessions.db");
    {
        log_bulk_writer out;
        REQUIRE(out.open(log));
        generator_options o;
        o.sessions = 200;
        generator_summary summary;
        auto t = std::make_shared<tree>(r.t());
        REQUIRE(generate_log(t, nullptr, o, out, summary));
        REQUIRE(summary.sessions == 200);
    }
    const float bar_before = r.control("split:bottom").centre().y;
    r.app->open_statistics(log);
    r.settle();
    REQUIRE(r.app->statistics().loaded());
    // The panel starts taller with statistics open (the author has not dragged it): the
    // tables get rows enough to read.
    const float bar_after = r.control("split:bottom").centre().y;
    CHECK(bar_after < bar_before - 100);
    const std::vector<float> all_rows = row_tops(r, "stats:router/");
    REQUIRE(all_rows.size() == 4);
    const float row_height = all_rows[1] - all_rows[0];
    CHECK(all_rows.back() + row_height < r.control("split:bottom").centre().y + 0.4f * 800);  // all in view
    // A wheel over a list that fits moves nothing (it used to scroll the whole window 2 px).
    r.ui.wheel(ImVec2(r.canvas().origin().x + 60, all_rows[0] + row_height * 0.5f), -1.0f);
    r.settle(3);
    CHECK(row_tops(r, "stats:router/") == all_rows);
    const canvas_traffic* traffic = r.canvas().traffic;
    REQUIRE(traffic);
    CHECK(traffic->node_count.at("power") >= 200);
    CHECK(traffic->node_share.at("power") == doctest::Approx(1.0));
    CHECK(traffic->link_count.at(link_key("power", "acct")) > 0);
    CHECK(traffic->busiest_link > 0);
    r.click_row("stats:router/acct");
    CHECK(r.doc().selection().primary() == "acct");

    // The note under the boxes stays inside the panel (wrapped), and with the panel dragged
    // to its least height the nodes table scrolls by whole rows.
    const drawn_control& note = r.control("stats:note");
    CHECK(note.max.x <= r.canvas().origin().x + r.canvas().size().x);
    const ImVec2 bar = r.control("split:bottom").centre();
    r.ui.drag(bar, ImVec2(bar.x, bar.y + 400));
    r.settle(2);
    const std::vector<float> top = row_tops(r, "stats:router/");
    REQUIRE(top.size() >= 2);
    const float row = top[1] - top[0];
    r.ui.wheel(ImVec2(r.canvas().origin().x + 60, top[0] + row * 0.5f), -1.0f);
    r.settle(3);
    CHECK(row_tops(r, "stats:router/") != top);
    CHECK(on_whole_rows(row_tops(r, "stats:router/"), top[0], row));

    // How calls ended shows first; the links have a tab of their own, there at any panel
    // height, and a link's row selects the node it leaves.
    CHECK(r.drawn("stats:endings"));
    CHECK_FALSE(r.drawn("stats-link:"));
    r.click("stats:links");
    r.settle();
    CHECK(r.drawn("stats-link:power>acct"));
    r.click_row("stats-link:power>acct");
    r.settle();
    CHECK(r.doc().selection().primary() == "power");

    // A file that is no session log says so.
    r.app->open_statistics(r.tree_path);
    CHECK_FALSE(r.app->statistics().loaded());
    CHECK_FALSE(r.app->statistics().error().empty());
}

TEST_CASE("editor panels: the endings list shows the priority beside escalations") {
    // Billing takes urgent and high hand-offs, Network only default (normal) ones.
    std::ifstream in(SIGNPOST_SOURCE_DIR "/tests/data/handoffs.xml", std::ios::binary);
    rig r(std::string{std::istreambuf_iterator<char>(in), {}}, "handoffs.xml");
    const std::string log = r.dir.file("sessions.db");
    {
        log_bulk_writer out;
        REQUIRE(out.open(log));
        generator_options o;
        o.sessions = 200;
        generator_summary summary;
        REQUIRE(generate_log(std::make_shared<tree>(r.t()), nullptr, o, out, summary));
    }
    r.app->open_statistics(log);
    r.settle();
    REQUIRE(r.app->statistics().loaded());
    const priority_counts& by = r.app->statistics().report()->sessions.escalated_by_priority;
    REQUIRE(by[priority_slot("urgent")] > 0);
    REQUIRE(by[priority_slot("high")] > 0);
    REQUIRE(by[priority_slot("normal")] > 0);
    // A team at one priority: in its row. Several: the team's row, and one per priority under it.
    CHECK(r.drawn("stats:ending:escalated: Network (normal)"));
    CHECK(r.drawn("stats:ending:escalated: Billing"));
    CHECK(r.drawn("stats:ending:escalated: Billing /    urgent"));
    CHECK(r.drawn("stats:ending:escalated: Billing /    high"));
    CHECK_FALSE(r.drawn("stats:ending:escalated: Billing /    normal"));
    CHECK_FALSE(r.drawn("stats:ending:completed: resolved ("));
}

TEST_CASE("editor panels: only what is in view is drawn, and far out boxes become blocks") {
    const bench::generated_trees big = bench::generate_trees({2000, 3, false, true});
    rig r(big.root.xml, big.root.id + ".xml");
    REQUIRE(r.t().nodes.size() >= 2000);
    r.canvas().transform().zoom = 1.0;
    r.settle(2);
    CHECK(r.canvas().drawn_nodes() > 0);
    CHECK(r.canvas().drawn_nodes() < 60);
    r.ui.press(ui::letter('F'));
    r.settle(1);
    CHECK(r.canvas().transform().zoom < simple_zoom);  // drawn as blocks
    CHECK(r.canvas().drawn_nodes() >= 150);
}

TEST_CASE("editor panels: a log with no calls of this tree says whose calls it has, and colours nothing") {
    rig r;
    const std::string log = r.dir.file("sessions.db");
    {
        log_bulk_writer out;
        REQUIRE(out.open(log));
        generator_options o;
        o.sessions = 50;
        generator_summary summary;
        auto other = std::make_shared<tree>(r.t());
        other->id = "printer";  // the log of another tree
        REQUIRE(generate_log(other, nullptr, o, out, summary));
    }
    r.app->open_statistics(log);
    r.settle();
    REQUIRE(r.app->statistics().loaded());
    CHECK(r.drawn("stats:no-calls"));
    CHECK(r.canvas().traffic == nullptr);  // no links marked "never"
    CHECK(r.app->statistics().report()->sessions.started == 0);
    using calls = std::vector<std::pair<std::string, std::uint64_t>>;
    CHECK(r.app->statistics().other_trees() == calls{{"printer", 50}});
}
