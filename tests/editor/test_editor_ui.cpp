// The editor's canvas and inspector driven like a person would: mouse drags from pins,
// clicks, typing and shortcuts, one frame at a time. Results are checked on the document
// and, after saving, on the file as the engine loads it.
#include "test_editor_ui_rig.hpp"

#include <imgui_internal.h>

#include <algorithm>

#include "model/commands.hpp"
#include "signpost/save.hpp"

using namespace editor_ui_test;

namespace {

// The node a question's choice points at.
std::string choice_target(const tree& t, const std::string& id, std::size_t index) {
    const node* n = t.find(id);
    REQUIRE(n);
    REQUIRE(index < n->choices.size());
    return n->choices[index].to;
}

// What the text box being edited holds (ImGui's own copy: with the wrap's line breaks).
std::string active_box_text() {
    const ImGuiInputTextState& s = ImGui::GetCurrentContext()->InputTextState;
    return s.TextA.Data ? std::string(s.TextA.Data, static_cast<std::size_t>(s.CurLenA)) : std::string();
}

}  // namespace

TEST_CASE("editor ui: draws every node, the outline and the inspector") {
    rig r;
    CHECK(r.ui.last_vertex_count > 0);
    CHECK(r.canvas().drawn_nodes() == 4);
    CHECK(r.canvas().drawn_links() == 4);  // power->acct, power->reboot, reboot->power, acct->fixed
    CHECK(r.app->outline().rows().size() == 4);
    CHECK(r.drawn("outline:power"));
    CHECK(r.drawn("field:title"));  // nothing selected: the tree's own fields
    CHECK(r.app->window_title().find("router.xml") != std::string::npos);
    CHECK(r.app->window_title().rfind("\xE2\x97\x8F", 0) != 0);  // no unsaved marker yet
}

TEST_CASE("editor ui: dragging from a pin to empty space creates a linked node there") {
    rig r;
    const std::size_t before = r.t().nodes.size();
    // The "+ answer" pin of the question (index == number of choices).
    const ImVec2 from = r.pin_at("power", pin_slot::choice, 2);
    const ImVec2 to(from.x + 120, from.y + 200);
    REQUIRE(r.canvas().current_scene().node_at(r.canvas().to_canvas(to)) < 0);
    r.ui.drag(from, to);
    REQUIRE(r.drawn("new:Question"));  // the kind menu opened where the link was dropped
    r.click("new:Step");
    REQUIRE(r.t().nodes.size() == before + 1);
    const node& q = *r.t().find("power");
    REQUIRE(q.choices.size() == 3);
    const std::string created = q.choices[2].to;
    const node* n = r.t().find(created);
    REQUIRE(n);
    CHECK(n->kind == node_kind::step);
    CHECK(r.doc().selection().primary() == created);
    // Its input pin sits where the link was dropped (on the snap grid).
    const vec2 drop = r.canvas().to_canvas(to);
    const vec2 pos = r.position(created);
    CHECK(std::abs(pos.x - drop.x) <= snap_grid);
    CHECK(std::abs(pos.y + node_header_height * 0.5 - drop.y) <= snap_grid);
    CHECK(r.app->window_title().rfind("\xE2\x97\x8F", 0) == 0);  // unsaved marker
    // One step undoes both the node and the link.
    r.ui.press(ui::letter('Z'), true);
    CHECK(r.t().nodes.size() == before);
    CHECK(r.t().find("power")->choices.size() == 2);
}

TEST_CASE("editor ui: dragging from a pin onto a node links it, and Delete on a clicked link unlinks") {
    rig r;
    // The question's first answer goes to acct; re-route it onto "fixed".
    r.ui.drag(r.pin_at("power", pin_slot::choice, 0), r.node_at("fixed"));
    CHECK(choice_target(r.t(), "power", 0) == "fixed");
    CHECK(r.doc().edits().undo_depth() == 1);
    // A click on the (linked) pin selects its link; Delete removes the link (and the choice:
    // a choice without a target means nothing).
    r.ui.click(r.pin_at("reboot", pin_slot::next));
    REQUIRE(r.canvas().selected_link());
    CHECK(r.canvas().selected_link()->node == "reboot");
    r.ui.press(ui::key::del);
    CHECK(r.t().find("reboot")->to.empty());
    CHECK(r.t().find("power") != nullptr);
}

TEST_CASE("editor ui: renaming a node in the inspector updates every link, undo and redo") {
    rig r;
    r.ui.click(r.node_at("acct"));
    REQUIRE(r.doc().selection().primary() == "acct");
    r.retype("id", "account-form");
    CHECK(r.t().find("acct") != nullptr);  // applied only when the field is left
    r.enter();
    REQUIRE(r.t().find("account-form"));
    CHECK(r.t().find("acct") == nullptr);
    CHECK(choice_target(r.t(), "power", 0) == "account-form");
    CHECK(r.t().find_layout("account-form"));
    CHECK(r.doc().selection().primary() == "account-form");

    // A taken id is refused with the reason under the field.
    r.retype("id", "power");
    r.enter();
    CHECK(r.t().find("account-form"));
    CHECK_FALSE(r.app->inspector().field_error("id").empty());
    r.settle(1);
    CHECK(r.drawn("not-renamed:id"));  // the new name stays in the box: said not to be applied

    r.ui.click(r.node_at("power"));  // leave the inspector, so Ctrl+Z is the document's
    r.ui.press(ui::letter('Z'), true);
    CHECK(r.t().find("acct"));
    CHECK(choice_target(r.t(), "power", 0) == "acct");
    r.press_ctrl_shift(ui::letter('Z'));
    CHECK(r.t().find("account-form"));
    r.ui.press(ui::letter('Z'), true);
    r.ui.press(ui::letter('Y'), true);
    CHECK(r.t().find("account-form"));
}

TEST_CASE("editor ui: a refused edit's red status goes once an edit goes through") {
    rig r;
    variable bad;
    bad.name = "asset tag";
    CHECK_FALSE(r.app->run(add_variable(bad)));
    CHECK(r.app->status_is_error());
    CHECK(r.app->status().find("'asset tag' is not a valid variable name") != std::string::npos);
    variable good;
    good.name = "asset_tag";
    CHECK(r.app->run(add_variable(good)));
    CHECK_FALSE(r.app->status_is_error());
    CHECK(r.app->status().find("asset tag") == std::string::npos);
}

TEST_CASE("editor ui: a typing burst in one field is one undo step") {
    rig r;
    r.ui.click(r.node_at("reboot"));
    r.click("field:title");
    r.ui.press(ui::key::end);
    r.ui.type(" the");
    r.ui.type(" router");
    r.ui.type(" now");
    CHECK(r.t().find("reboot")->title == "Reboot the router now");
    r.enter();
    r.ui.click(r.node_at("reboot"));
    CHECK(r.doc().edits().undo_depth() == 1);
    r.ui.press(ui::letter('Z'), true);
    CHECK(r.t().find("reboot")->title == "Reboot");
}

TEST_CASE("editor ui: the text box wraps long lines at its width and keeps the text as typed") {
    rig r;
    r.ui.click(r.node_at("reboot"));
    r.click("field:text");
    r.ui.press(ui::key::end, true);
    const std::string more =
        " Then wait until every light on the front of the router is steady again, which can take up to two "
        "minutes, and ask the customer to read out what each light shows.";
    r.ui.type(more);
    const std::string typed = "Unplug the router for 30 seconds." + more;
    CHECK(r.t().find("reboot")->text == typed);
    // Shown on several lines, each break standing for a space of the text.
    const std::string shown = active_box_text();
    CHECK(std::count(shown.begin(), shown.end(), '\n') >= 2);
    std::string spaced = shown;
    std::replace(spaced.begin(), spaced.end(), '\n', ' ');
    CHECK(spaced == typed);

    // Copy takes the text as written, not the lines as shown.
    r.ui.press(ui::letter('A'), true);
    r.ui.press(ui::letter('C'), true);
    CHECK(std::string(ImGui::GetClipboardText()) == typed);

    // Backspace at the start of the second line takes the space the break stood for.
    r.ui.press(ui::key::home, true);
    r.ui.press(ui::key::down);
    r.ui.press(ui::key::home);
    r.ui.press(ui::key::backspace);
    std::string joined = typed;
    joined.erase(shown.find('\n'), 1);
    CHECK(r.t().find("reboot")->text == joined);

    // Escape puts back what the box held when editing began.
    r.ui.press(ui::key::escape);
    CHECK(r.t().find("reboot")->text == "Unplug the router for 30 seconds.");
}

TEST_CASE("editor ui: a text wrapped by hand in the file is shown as one paragraph, and changes only when edited") {
    std::string xml = router_xml;
    const std::string one_line = "<text>Unplug the router for 30 seconds.</text>";
    const std::string wrapped = "<text>\n      Unplug the router\n      for 30 seconds.\n    </text>";
    REQUIRE(xml.find(one_line) != std::string::npos);
    xml.replace(xml.find(one_line), one_line.size(), wrapped);
    rig r(xml);
    const std::string stored = "Unplug the router\nfor 30 seconds.";
    REQUIRE(r.t().find("reboot")->text == stored);
    r.ui.click(r.node_at("reboot"));
    r.click("field:text");
    r.settle(1);
    // The box wraps at its own width, not where the file broke the line.
    CHECK(active_box_text() == "Unplug the router for 30 seconds.");
    r.ui.press(ui::key::escape);
    r.settle(1);
    CHECK(r.t().find("reboot")->text == stored);
    CHECK_FALSE(r.doc().dirty());
    // Edited, it is the paragraph as shown; typed back to how it began, the file's text again.
    r.click("field:text");
    r.ui.press(ui::key::end, true);
    r.ui.type(" Then");
    CHECK(r.t().find("reboot")->text == "Unplug the router for 30 seconds. Then");
    for (int i = 0; i < 5; ++i) r.ui.press(ui::key::backspace);
    CHECK(r.t().find("reboot")->text == stored);
    r.ui.type("!");
    r.ui.press(ui::key::escape);
    r.settle(1);
    CHECK(r.t().find("reboot")->text == stored);
}

TEST_CASE("editor ui: Ctrl+Z in a wrapped text box undoes its own typing, a word at a time") {
    rig r;
    r.ui.click(r.node_at("reboot"));
    r.click("field:text");
    r.ui.press(ui::key::end, true);
    const std::string before = "Unplug the router for 30 seconds.";
    // The box holds what was typed; the tree holds it as saving gives it back (no trailing space).
    const auto box = [] {
        std::string shown = active_box_text();
        std::replace(shown.begin(), shown.end(), '\n', ' ');  // the text has no line breaks of its own
        return shown;
    };
    for (const char* piece : {" ", "N", "o", "w", " ", "t", "h", "e", "n"}) r.ui.type(piece);
    CHECK(r.t().find("reboot")->text == before + " Now then");
    r.ui.press(ui::letter('Z'), true);
    CHECK(box() == before + " Now ");
    CHECK(r.t().find("reboot")->text == before + " Now");
    r.ui.press(ui::letter('Z'), true);
    CHECK(box() == before + " Now");
    r.ui.press(ui::letter('Z'), true);
    CHECK(box() == before + " ");
    r.ui.press(ui::letter('Y'), true);
    CHECK(box() == before + " Now");
    // Typing after an undo goes on from where the undo left the cursor.
    r.ui.type("!");
    CHECK(r.t().find("reboot")->text == before + " Now!");
    // Undo goes no further back than where editing began.
    for (int i = 0; i < 6; ++i) r.ui.press(ui::letter('Z'), true);
    CHECK(box() == before);
    CHECK(r.t().find("reboot")->text == before);
}

TEST_CASE("editor ui: Chinese, Japanese and Korean text from the file, typed and pasted is drawn in its own glyphs") {
    std::string xml = router_xml;
    xml.replace(xml.find("title=\"Reboot\""), 14, "title=\"\xE9\x87\x8D\xE5\x90\xAF\"");  // 重启
    rig r(xml);
    const ImFont* f = r.ui.fonts().regular;
    auto drawable = [&](unsigned c) { return f->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr; };
    CHECK(drawable(0x91CD));         // 重, a title in the file
    CHECK_FALSE(drawable(0x8DEF));   // 路, nowhere yet
    CHECK_FALSE(drawable(0xCFE0));   // 쿠
    r.ui.click(r.node_at("reboot"));
    r.click("field:title");
    r.ui.press(ui::key::end);
    r.ui.type("\xE8\xB7\xAF");  // 路
    CHECK(drawable(0x8DEF));
    ImGui::SetClipboardText("\xEC\xBF\xA0\xED\x82\xA4");  // 쿠키
    r.ui.press(ui::letter('V'), true);
    r.enter();
    CHECK(r.t().find("reboot")->title == "\xE9\x87\x8D\xE5\x90\xAF\xE8\xB7\xAF\xEC\xBF\xA0\xED\x82\xA4");
    CHECK(drawable(0xCFE0));
    CHECK(drawable(0xD0A4));
}

TEST_CASE("editor ui: saving a tree with errors saves it and says players refuse it") {
    rig r;
    r.ui.click(r.node_at("power"));
    r.click("field:choice.0.if");
    r.ui.type("reboots >");
    r.enter();
    r.ui.press(ui::letter('S'), true);
    CHECK_FALSE(r.doc().dirty());  // saved all the same: nothing is lost
    CHECK(r.app->status().find("with 1 error") != std::string::npos);
    CHECK(r.app->status().find("players refuse it") != std::string::npos);
    // Fixed and saved again: a plain "Saved".
    r.click("field:choice.0.if");
    r.ui.press(ui::key::end);
    r.ui.type(" 1");
    r.enter();
    r.ui.press(ui::letter('S'), true);
    CHECK(r.app->status().rfind("Saved ", 0) == 0);
    CHECK(r.app->status().find("error") == std::string::npos);
}

TEST_CASE("editor ui: expression fields show parse and type errors as the author types") {
    rig r;
    r.ui.click(r.node_at("power"));
    r.click("field:choice.0.if");
    r.ui.type("reboots >");
    CHECK(r.drawn("error:choice.0.if"));  // the syntax error is shown inline
    r.ui.type(" 1");
    r.settle(1);
    CHECK_FALSE(r.drawn("error:choice.0.if"));
    REQUIRE(r.t().find("power")->choices[0].condition);
    CHECK(r.t().find("power")->choices[0].condition->source() == "reboots > 1");
    // A type error (a number compared with text) is shown too; the validator reports it.
    r.ui.type(" and account");
    r.settle(1);
    CHECK(r.drawn("error:choice.0.if"));
}

TEST_CASE("editor ui: refused text stays in its box while other nodes are edited, until the field changes") {
    rig r;
    r.ui.click(r.node_at("acct"));
    r.retype("id", "power");
    r.enter();
    CHECK(r.t().find("acct"));  // refused: the id is taken
    CHECK_FALSE(r.app->inspector().field_error("id").empty());
    // Another node is selected and edited meanwhile; the typing is still there on return.
    r.ui.click(r.node_at("reboot"));
    r.click("field:title");
    r.ui.press(ui::key::end);
    r.ui.type(" twice");
    r.enter();
    REQUIRE(r.t().find("reboot")->title == "Reboot twice");
    r.ui.click(r.node_at("acct"));
    CHECK_FALSE(r.app->inspector().field_error("id").empty());
    r.click("field:id");
    r.ui.press(ui::key::end);
    r.ui.type("-form");
    r.enter();
    CHECK(r.t().find("power-form"));  // what was typed before, completed
    CHECK(r.t().find("acct") == nullptr);

    // Once the field's value changes underneath (here an undo), the draft gives way to it.
    r.ui.press(ui::key::escape);
    r.settle();
    r.retype("var.0.name", "tries");
    r.enter();
    REQUIRE(r.t().find_variable("tries"));
    r.retype("var.0.name", "account");
    r.enter();
    CHECK(r.t().find_variable("tries"));  // refused: the name is taken
    CHECK_FALSE(r.app->inspector().field_error("var.0.name").empty());
    r.ui.click(r.node_at("reboot"));
    r.ui.press(ui::letter('Z'), true);
    REQUIRE(r.t().find_variable("reboots"));
    r.ui.press(ui::key::escape);
    r.settle();
    CHECK(r.app->inspector().field_error("var.0.name").empty());
}

TEST_CASE("editor ui: a refused draft never moves to another item when the list changes") {
    rig r(R"(<tree format="1" id="vars" start="e">
  <variables>
    <variable name="a" type="choice" options="yes no"/>
    <variable name="b" type="choice" options="yes no"/>
    <variable name="c" type="choice" options="yes no"/>
  </variables>
  <end id="e" outcome="resolved"/>
</tree>)", "vars.xml");
    r.ui.press(ui::key::escape);
    r.settle();
    r.click("field:var.0.options");
    r.ui.press(ui::key::end);
    r.ui.type(" no");
    CHECK(r.t().variables.at(0).options == std::vector<std::string>{"yes", "no"});  // refused: listed twice
    CHECK_FALSE(r.app->inspector().field_error("var.0.options").empty());
    r.enter();
    // Renaming another variable moves no index: the draft stays.
    r.retype("var.2.name", "cc");
    r.enter();
    REQUIRE(r.t().variables.at(2).name == "cc");
    r.settle();
    CHECK_FALSE(r.app->inspector().field_error("var.0.options").empty());
    r.click("Remove variable##var.0");
    r.settle();
    REQUIRE(r.t().variables.size() == 2);
    CHECK(r.t().variables.at(0).name == "b");
    // b now has index 0 and the same options text, but the draft was typed over a's.
    r.settle();
    CHECK(r.app->inspector().field_error("var.0.options").empty());
}

TEST_CASE("editor ui: dragging nodes snaps them to the grid as one undo step") {
    rig r;
    const vec2 before = r.position("fixed");
    const ImVec2 at = r.node_at("fixed");
    r.ui.drag(at, ImVec2(at.x + 47, at.y + 33));
    const vec2 after = r.position("fixed");
    CHECK(after.x != before.x);
    CHECK(std::fmod(after.x, snap_grid) == doctest::Approx(0));
    CHECK(std::fmod(after.y, snap_grid) == doctest::Approx(0));
    CHECK(r.doc().edits().undo_depth() == 1);
    r.ui.press(ui::letter('Z'), true);
    CHECK(r.position("fixed") == before);
}

TEST_CASE("editor ui: box select, Ctrl+click, delete, copy/paste and duplicate with unique ids") {
    rig r;
    // A rubber band from empty space around power and reboot.
    const ImVec2 p = r.node_at("power"), q = r.node_at("reboot");
    const ImVec2 corner(std::max(p.x - 140, r.canvas().origin().x + 4), std::max(p.y - 40, r.canvas().origin().y + 4));
    r.ui.drag(corner, ImVec2(q.x + 140, q.y + 120));
    CHECK(r.doc().selection().size() == 2);
    CHECK(r.doc().selection().contains("power"));
    CHECK(r.doc().selection().contains("reboot"));
    // Ctrl+click adds and removes one.
    ImGui::GetIO().KeyCtrl = true;
    r.ui.click(r.node_at("fixed"));
    ImGui::GetIO().KeyCtrl = false;
    CHECK(r.doc().selection().size() == 3);

    r.ui.click(r.node_at("reboot"));
    CHECK(r.doc().selection().size() == 1);
    r.ui.press(ui::letter('C'), true);
    r.ui.move_mouse(ImVec2(p.x + 60, p.y + 420));
    r.ui.press(ui::letter('V'), true);
    REQUIRE(r.t().nodes.size() == 5);
    const std::string pasted = r.doc().selection().primary();
    CHECK(pasted != "reboot");
    CHECK(r.t().find(pasted)->kind == node_kind::step);
    CHECK(r.t().find(pasted)->to == "power");  // links to nodes outside the copy are kept
    CHECK(r.app->status() == "Pasted 1 node(s)");  // said, not an older message left standing

    r.ui.press(ui::letter('D'), true);
    CHECK(r.t().nodes.size() == 6);
    r.ui.press(ui::key::del);
    CHECK(r.t().nodes.size() == 5);
    r.ui.click(r.node_at("reboot"));
    r.ui.press(ui::letter('X'), true);
    CHECK(r.t().find("reboot") == nullptr);
    // The answer into the cut node stays, unlinked, and the status line says so.
    REQUIRE(r.t().find("power")->choices.size() == 2);
    CHECK(r.t().find("power")->choices[1].to.empty());
    CHECK(r.app->status().find("1 link that led to it is broken") != std::string::npos);
}

TEST_CASE("editor ui: paste between two untitled trees drops links, into its own tree saved since keeps them") {
    rig r("");  // an untitled Blank: a question whose answer leads to an end node
    const std::string question = r.t().start;
    REQUIRE(r.t().find(question));
    const std::string end = r.t().find(question)->choices.at(0).to;
    const ImVec2 empty_space(r.canvas().origin().x + 60, r.canvas().origin().y + r.canvas().size().y - 60);
    r.ui.click(r.node_at(question));
    r.ui.press(ui::letter('C'), true);
    // Another Blank: the same tree id and the same node ids, but not the same tree.
    r.app->new_document(0);
    r.settle();
    REQUIRE(r.doc().untitled());
    REQUIRE(r.t().find(end));
    r.ui.move_mouse(empty_space);
    r.ui.press(ui::letter('V'), true);
    std::string pasted = r.doc().selection().primary();
    REQUIRE(pasted != question);
    CHECK(r.t().find(pasted)->choices.at(0).to.empty());
    CHECK(r.app->status().find("from another tree: 1 link") != std::string::npos);

    // Copied while untitled, then saved (the template's id becomes the file's): pasting
    // back into it is pasting into its own tree.
    r.ui.click(r.node_at(question));
    r.ui.press(ui::letter('C'), true);
    REQUIRE(r.app->save_as(r.dir.file("printer.xml")));
    CHECK(r.t().id == "printer");
    r.ui.move_mouse(empty_space);
    r.ui.press(ui::letter('V'), true);
    pasted = r.doc().selection().primary();
    REQUIRE(pasted != question);
    CHECK(r.t().find(pasted)->choices.at(0).to == end);
    CHECK(r.app->status() == "Pasted 1 node(s)");
}

TEST_CASE("editor ui: pan with the right button, zoom around the cursor, F fits") {
    rig r;
    const ImVec2 c(r.canvas().origin().x + 300, r.canvas().origin().y + 200);
    const vec2 under = r.canvas().to_canvas(c);
    const double zoom = r.canvas().transform().zoom;
    r.ui.wheel(c, 2.0f);
    CHECK(r.canvas().transform().zoom > zoom);
    const vec2 still = r.canvas().to_canvas(c);
    CHECK(still.x == doctest::Approx(under.x).epsilon(0.001));
    CHECK(still.y == doctest::Approx(under.y).epsilon(0.001));

    const vec2 offset = r.canvas().transform().offset;
    r.ui.drag(c, ImVec2(c.x + 80, c.y + 30), 1);
    CHECK(r.canvas().transform().offset.x == doctest::Approx(offset.x + 80).epsilon(0.05));
    CHECK(r.doc().edits().undo_depth() == 0);  // panning edits nothing

    // Middle button, and Space with the left button, pan too (and select nothing).
    const vec2 offset2 = r.canvas().transform().offset;
    r.ui.drag(c, ImVec2(c.x - 50, c.y + 20), 2);
    CHECK(r.canvas().transform().offset.x == doctest::Approx(offset2.x - 50).epsilon(0.05));
    ImGui::GetIO().KeysDown[ui::key::space] = true;
    r.ui.drag(c, ImVec2(c.x + 40, c.y), 0);
    ImGui::GetIO().KeysDown[ui::key::space] = false;
    CHECK(r.canvas().transform().offset.x == doctest::Approx(offset2.x - 10).epsilon(0.05));
    CHECK(r.doc().selection().empty());

    r.ui.press(ui::letter('F'));
    const rect shown = r.canvas().transform().visible_canvas({r.canvas().size().x, r.canvas().size().y});
    CHECK(encloses(shown, r.canvas().current_scene().bounds()));
}

TEST_CASE("editor ui: changing a question into a step says how many answers it dropped") {
    rig r;
    r.ui.click(r.node_at("power"));
    REQUIRE(r.t().find("power")->choices.size() == 2);
    r.click("field:kind");
    r.settle();
    r.click("kind:Step");
    REQUIRE(r.t().find("power")->kind == node_kind::step);
    CHECK(r.app->status().find("Kind changed to Step: 1 of its 2 links was dropped") != std::string::npos);
}

TEST_CASE("editor ui: Ctrl+S while the Id box still has the keyboard saves the rename too") {
    rig r;
    r.ui.click(r.node_at("acct"));
    r.retype("id", "account-form");
    REQUIRE(r.t().find("acct") != nullptr);  // not left yet: not applied
    r.ui.press(ui::letter('S'), true);
    r.settle(2);
    CHECK(r.t().find("account-form") != nullptr);
    CHECK_FALSE(r.doc().dirty());
    const load_result saved = load_tree_file(r.tree_path);
    REQUIRE(saved.loaded);
    CHECK(saved.loaded->find("account-form") != nullptr);
    CHECK(saved.loaded->find("acct") == nullptr);

    // Closing the window while a field holds an edit: the edit is taken, then the editor
    // asks about the unsaved change instead of quitting.
    r.ui.click(r.node_at("power"));
    r.retype("title", "Is the power light on?");
    CHECK_FALSE(r.app->request_close());
    r.settle(2);
    CHECK(r.t().find("power")->title == "Is the power light on?");
    CHECK_FALSE(r.app->quit_requested());
    CHECK(r.drawn("prompt:Save"));
}

TEST_CASE("editor ui: create, link, rename, undo and save, and the engine loads the result") {
    rig r;
    // New end node from the step's pin... the step already goes to power: re-route it by
    // dragging onto empty space.
    const ImVec2 from = r.pin_at("reboot", pin_slot::next);
    r.ui.drag(from, ImVec2(from.x + 160, from.y + 140));
    r.click("new:End");
    const std::string created = r.t().find("reboot")->to;
    REQUIRE(r.t().find(created));
    REQUIRE(r.t().find(created)->kind == node_kind::end);

    // Rename it in the inspector (it is selected).
    r.retype("id", "gave-up");
    r.enter();
    REQUIRE(r.t().find("gave-up"));
    CHECK(r.t().find("reboot")->to == "gave-up");
    r.retype("outcome", "unresolved");
    r.enter();

    // Link the question's new answer to it. First let the background check of the edits
    // above come back: while the list still holds an error of a half-typed state
    // (invalid-attribute), the Problems panel is taller and covers the node, so the drop
    // would land on the panel. How soon the check returns depends on the machine (a
    // sanitizer build under load missed it).
    r.wait_for_problems();
    REQUIRE(r.node_at("gave-up").y < r.canvas().origin().y + r.canvas().size().y);
    r.ui.drag(r.pin_at("power", pin_slot::choice, 2), r.node_at("gave-up"));
    REQUIRE(r.t().find("power")->choices.size() == 3);
    CHECK(r.t().find("power")->choices[2].to == "gave-up");

    // An edit to take back.
    r.ui.click(r.node_at("fixed"));
    r.ui.press(ui::key::del);
    REQUIRE(r.t().find("fixed") == nullptr);
    r.ui.press(ui::letter('Z'), true);
    REQUIRE(r.t().find("fixed"));

    r.ui.press(ui::letter('S'), true);
    CHECK_FALSE(r.doc().dirty());
    CHECK(r.app->window_title().rfind("\xE2\x97\x8F", 0) != 0);

    const load_result saved = load_tree_file(r.tree_path);
    REQUIRE(saved.loaded);
    CHECK(saved.ok());
    const tree& t = *saved.loaded;
    REQUIRE(t.find("gave-up"));
    CHECK(t.find("gave-up")->kind == node_kind::end);
    CHECK(t.find("gave-up")->outcome == "unresolved");
    CHECK(t.find("reboot")->to == "gave-up");
    CHECK(t.find("power")->choices[2].to == "gave-up");
    CHECK(t.find("fixed"));
    CHECK(t.find_layout("gave-up"));
    // Saved canonically: saving the loaded tree again gives the same bytes.
    std::ifstream in(r.tree_path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(save_tree_string(t) == bytes);
}

TEST_CASE("editor ui: the inspector edits choices, targets by search, kinds and variables") {
    rig r;
    r.ui.click(r.node_at("power"));
    r.click("Add answer");
    REQUIRE(r.t().find("power")->choices.size() == 3);
    // Pick the target from the searchable list.
    r.click("pick:choice.2.to");
    r.ui.type("thank");  // matches the end node's text
    REQUIRE(r.drawn("pick-item:fixed"));
    CHECK_FALSE(r.drawn("pick-item:reboot"));
    r.click("pick-item:fixed");
    CHECK(r.t().find("power")->choices[2].to == "fixed");
    r.retype("choice.2.label", "Already fixed");
    r.enter();
    CHECK(r.t().find("power")->choices[2].label == "Already fixed");
    r.retype("choice.2.set", "reboots = 0");
    r.enter();
    CHECK(r.t().find("power")->choices[2].set_source == "reboots = 0");
    // Reorder and remove answers.
    r.click("Down##choice.0");
    CHECK(r.t().find("power")->choices[1].label == "Yes, it is lit");
    r.click("Remove##choice.1");
    REQUIRE(r.t().find("power")->choices.size() == 2);
    CHECK(r.t().find("power")->choices[0].label == "No");
    r.ui.press(ui::letter('Z'), true);
    CHECK(r.t().find("power")->choices.size() == 3);

    // Tree level: nothing selected.
    r.ui.press(ui::key::escape);
    r.settle();
    REQUIRE(r.drawn("field:var.0.name"));
    r.retype("var.0.name", "restarts");
    r.enter();
    CHECK(r.t().find_variable("restarts"));
    CHECK(r.t().find("power")->choices[0].set_source == "restarts = restarts + 1");
    CHECK(r.t().find("power")->choices[2].set_source == "restarts = 0");
}
