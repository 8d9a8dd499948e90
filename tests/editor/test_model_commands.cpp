// Editing commands: each one applied, undone and redone through a document, with the
// tree compared as canonical text.

#include <doctest/doctest.h>

#include <chrono>

#include "model/commands.hpp"
#include "model/node_box.hpp"
#include "model/expression_text.hpp"
#include "model/files.hpp"
#include "test_model_fixture.hpp"

using namespace signpost;
using namespace signpost::editor;
using model_test::text_of;
using namespace std::chrono_literals;

namespace {

// Executes `c`, then checks undo restores the exact text before and redo the text after.
std::string round_trip(document& d, std::unique_ptr<command> c) {
    const std::string before = text_of(d);
    const auto error = d.execute(std::move(c));
    REQUIRE_MESSAGE(!error, error.value_or(""));
    const std::string after = text_of(d);
    CHECK(after != before);
    REQUIRE(d.undo());
    CHECK(text_of(d) == before);
    REQUIRE(d.redo());
    CHECK(text_of(d) == after);
    return after;
}

const node& get(const document& d, std::string_view id) {
    const node* n = d.current().find(id);
    REQUIRE_MESSAGE(n, std::string(id));
    return *n;
}

}  // namespace

TEST_CASE("model: add node gets a unique id, a position and undoes") {
    auto d = model_test::sample_document();
    round_trip(d, add_node(node_kind::question, {40, 400}));
    REQUIRE(d.last_created() == std::vector<std::string>{"question-1"});
    CHECK(get(d, "question-1").kind == node_kind::question);
    CHECK(position_of(d.current(), "question-1") == vec2{40, 400});
    REQUIRE(!d.execute(add_node(node_kind::question, {0, 0})));
    CHECK(d.last_created() == std::vector<std::string>{"question-2"});
    REQUIRE(!d.execute(add_node(node_kind::end, {0, 0})));
    CHECK(d.last_created() == std::vector<std::string>{"end-1"});
    CHECK(d.edits().undo_depth() == 3);
    CHECK(unique_node_id(d.current(), "question-2") == "question-3");
    CHECK(unique_node_id(d.current(), "fresh") == "fresh");
    CHECK(unique_node_id(d.current(), "../bad") == "node");
}

TEST_CASE("model: add node to a tree without a start makes it the start") {
    tree t;
    t.id = "empty";
    document d(t, "");
    REQUIRE(!d.execute(add_node(node_kind::step, {0, 0})));
    CHECK(d.current().start == "step-1");
    d.undo();
    CHECK(d.current().start.empty());
    CHECK(d.current().nodes.empty());
}

TEST_CASE("model: a node added after the start was deleted does not become the start") {
    auto d = model_test::sample_document();
    const std::string start = d.current().start;
    REQUIRE(!d.execute(delete_nodes({start})));
    REQUIRE(d.current().start.empty());
    REQUIRE(!d.execute(add_node(node_kind::end, {0, 0})));
    CHECK(d.current().start.empty());  // still the error that says to pick one
}

TEST_CASE("model: delete unlinks the answers and branches to the nodes, clears to and start, and breaks otherwise") {
    auto d = model_test::sample_document();
    round_trip(d, delete_nodes({"route", "power"}));
    const tree& t = d.current();
    CHECK(!t.find("route"));
    CHECK(!t.find("power"));
    CHECK(get(d, "acct").to.empty());     // form -> route cleared
    CHECK(get(d, "reboot").to.empty());   // step -> power cleared
    CHECK(t.start.empty());
    CHECK(!t.find_layout("route"));
    CHECK(!t.find_layout("power"));
    CHECK(t.layout.size() == 4);

    auto d2 = model_test::sample_document();
    REQUIRE(!d2.execute(delete_nodes({"reboot", "fixed"})));
    const node& q = get(d2, "power");
    // The "No" answer stays, unlinked, with its label and `set`: the author's work is kept
    // and Problems says to link it again.
    REQUIRE(q.choices.size() == 3);
    CHECK(q.choices[0].to == "acct");
    CHECK(q.choices[1].to.empty());
    CHECK(q.choices[1].label == "No");
    CHECK_FALSE(q.choices[1].sets.empty());
    CHECK(q.choices[2].to == "route");
    // Cleared, the <otherwise> would be gone and calls no branch matches would stop: it
    // keeps naming the deleted node, an error until linked again.
    CHECK(get(d2, "route").otherwise == "fixed");
    CHECK(get(d2, "route").branches.size() == 1);
    REQUIRE(!d2.execute(delete_nodes({"tier2"})));
    REQUIRE(get(d2, "route").branches.size() == 1);
    CHECK(get(d2, "route").branches[0].to.empty());
    CHECK_FALSE(get(d2, "route").branches[0].condition.source().empty());
    d2.revalidate();
    std::size_t unlinked = 0;
    bool otherwise_broken = false;
    for (const diagnostic& p : d2.problems()) {
        unlinked += p.node_id == "power" || p.node_id == "route";
        otherwise_broken |= p.node_id == "route" && p.level == severity::error &&
                            p.message.find("'fixed'") != std::string::npos;
    }
    CHECK(unlinked >= 2);
    CHECK(otherwise_broken);

    CHECK(d2.execute(delete_nodes({"nope"})).has_value());
}

TEST_CASE("model: deleting the node a jump returns to keeps the jump's link, broken, not a call-ending jump") {
    const auto loaded = load_tree_string(R"(<tree format="1" id="outage" version="1" start="verify">
  <jump id="verify" tree="identity" to="greet"/>
  <step id="greet" to="done"><text>Hello.</text></step>
  <end id="done" outcome="resolved"/>
</tree>)",
                                         "outage.xml");
    REQUIRE(loaded.loaded);
    document d(*loaded.loaded, "");
    REQUIRE(!d.execute(delete_nodes({"greet"})));
    CHECK(get(d, "verify").to == "greet");  // an empty `to` would end the call when identity ends
    d.revalidate();
    bool broken = false;
    for (const diagnostic& p : d.problems())
        broken |= p.node_id == "verify" && p.level == severity::error && p.message.find("'greet'") != std::string::npos;
    CHECK(broken);
    REQUIRE(d.undo());
    CHECK(get(d, "verify").to == "greet");
    CHECK(d.current().find("greet"));
}

TEST_CASE("model: delete everything and undo restores the exact file") {
    auto d = model_test::sample_document();
    std::vector<std::string> all;
    for (const auto& n : d.current().nodes) all.push_back(n.id);
    round_trip(d, delete_nodes(all));
}

TEST_CASE("model: a drag of many moves is one undo step") {
    auto d = model_test::sample_document();
    const std::string before = text_of(d);
    auto t0 = history::clock::now();
    for (int i = 1; i <= 30; ++i)
        REQUIRE(!d.execute(move_nodes({{"power", {i * 5.0, i * 2.0}}, {"acct", {300 + i * 5.0, i * 2.0}}}),
                           t0 + i * 16ms));
    CHECK(d.edits().undo_depth() == 1);
    CHECK(position_of(d.current(), "power") == vec2{150, 60});
    d.undo();
    CHECK(text_of(d) == before);
    d.redo();
    CHECK(position_of(d.current(), "acct") == vec2{450, 60});
}

TEST_CASE("model: moves merge only within the window, with the same nodes and no command between") {
    auto d = model_test::sample_document();
    const auto t0 = history::clock::now();
    REQUIRE(!d.execute(move_nodes({{"power", {1, 1}}}), t0));
    REQUIRE(!d.execute(move_nodes({{"power", {2, 2}}}), t0 + 500ms));
    CHECK(d.edits().undo_depth() == 1);
    REQUIRE(!d.execute(move_nodes({{"power", {3, 3}}}), t0 + 1600ms));  // paused > 1 s
    CHECK(d.edits().undo_depth() == 2);
    REQUIRE(!d.execute(move_nodes({{"acct", {3, 3}}}), t0 + 1700ms));  // other nodes
    CHECK(d.edits().undo_depth() == 3);
    REQUIRE(!d.execute(set_node_property("power", node_property::title, "P"), t0 + 1750ms));
    REQUIRE(!d.execute(move_nodes({{"acct", {4, 4}}}), t0 + 1800ms));  // a command between
    CHECK(d.edits().undo_depth() == 5);
    d.edits().seal();  // mouse released
    REQUIRE(!d.execute(move_nodes({{"acct", {5, 5}}}), t0 + 1850ms));
    CHECK(d.edits().undo_depth() == 6);
    REQUIRE(!d.execute(offset_nodes(d.current(), {"acct"}, {10, 0}), t0 + 1900ms));
    CHECK(d.edits().undo_depth() == 6);
    CHECK(position_of(d.current(), "acct") == vec2{15, 5});
}

TEST_CASE("model: a typing burst is one undo step, another field starts a new one") {
    auto d = model_test::sample_document();
    const std::string before = text_of(d);
    const auto t0 = history::clock::now();
    std::string typed;
    for (char c : std::string("Router power")) {
        typed += c;
        REQUIRE(!d.execute(set_node_property("power", node_property::text, typed), t0 + typed.size() * 150ms));
    }
    CHECK(d.edits().undo_depth() == 1);
    CHECK(get(d, "power").text == "Router power");
    REQUIRE(!d.execute(set_node_property("power", node_property::hint, "h"), t0 + 2s));
    CHECK(d.edits().undo_depth() == 2);
    REQUIRE(!d.execute(set_node_property("power", node_property::text, "again"), t0 + 2100ms));
    CHECK(d.edits().undo_depth() == 3);
    d.undo();
    d.undo();
    d.undo();
    CHECK(text_of(d) == before);
    CHECK(!d.dirty());
}

TEST_CASE("model: setting a property to its value records nothing") {
    auto d = model_test::sample_document();
    REQUIRE(!d.execute(set_node_property("power", node_property::title, "Power")));
    CHECK(d.edits().undo_depth() == 0);
    CHECK(!d.dirty());
}

TEST_CASE("model: node properties and the kinds they belong to") {
    auto d = model_test::sample_document();
    round_trip(d, set_node_property("power", node_property::title, "Router"));
    round_trip(d, set_node_property("reboot", node_property::hint, "Agent note"));
    round_trip(d, set_node_property("tier2", node_property::team, "Tier 3"));
    round_trip(d, set_node_property("tier2", node_property::priority, "urgent"));
    round_trip(d, set_node_property("fixed", node_property::outcome, "callback"));
    round_trip(d, set_node_property("reboot", node_property::to, "fixed"));
    CHECK(get(d, "tier2").team == "Tier 3");
    CHECK(get(d, "reboot").to == "fixed");
    const std::string before = text_of(d);
    CHECK(d.execute(set_node_property("route", node_property::text, "x")).has_value());
    CHECK(d.execute(set_node_property("power", node_property::team, "x")).has_value());
    CHECK(d.execute(set_node_property("power", node_property::to, "x")).has_value());
    CHECK(d.execute(set_node_property("ghost", node_property::title, "x")).has_value());
    CHECK(text_of(d) == before);
}

TEST_CASE("model: rename node updates every reference") {
    auto d = model_test::sample_document();
    round_trip(d, rename_node("route", "router"));
    round_trip(d, rename_node("power", "light"));
    round_trip(d, rename_node("fixed", "done"));
    const tree& t = d.current();
    CHECK(t.start == "light");
    CHECK(get(d, "light").choices[2].to == "router");
    CHECK(get(d, "acct").to == "router");
    CHECK(get(d, "reboot").to == "light");
    CHECK(get(d, "router").otherwise == "done");
    CHECK(t.find_layout("router"));
    CHECK(!t.find_layout("route"));
    CHECK(t.find_layout("light")->x == 0);
    // The renamed tree is as valid as before.
    auto reloaded = load_tree_string(text_of(d));
    CHECK(reloaded.ok());
}

TEST_CASE("model: rename node refuses invalid and taken ids") {
    auto d = model_test::sample_document();
    const std::string before = text_of(d);
    CHECK(d.execute(rename_node("power", "reboot")).has_value());
    CHECK(d.execute(rename_node("power", "../x")).has_value());
    CHECK(d.execute(rename_node("power", "")).has_value());
    CHECK(d.execute(rename_node("ghost", "new")).has_value());
    CHECK(text_of(d) == before);
    CHECK(d.edits().undo_depth() == 0);
}

TEST_CASE("model: selection follows deletes and undo") {
    auto d = model_test::sample_document();
    d.selection().focus({"acct", "to", -1});  // a problem click selects its node
    CHECK(d.selection().ids() == std::vector<std::string>{"acct"});
    d.selection().add("power");
    REQUIRE(!d.execute(delete_nodes({"acct"})));
    CHECK(d.selection().ids() == std::vector<std::string>{"power"});
    CHECK(!d.selection().focused());
    d.selection().toggle("reboot");
    CHECK(d.selection().contains("reboot"));
    d.selection().toggle("reboot");
    CHECK(!d.selection().contains("reboot"));
    d.selection().rename("power", "p");
    CHECK(d.selection().primary() == "p");
    d.selection().select_all(d.current());
    CHECK(d.selection().size() == d.current().nodes.size());
}

TEST_CASE("model: change kind keeps text and the first link") {
    auto d = model_test::sample_document();
    round_trip(d, change_kind("reboot", node_kind::question));
    const node& q = get(d, "reboot");
    CHECK(q.kind == node_kind::question);
    CHECK(q.text == "Unplug it.");
    REQUIRE(q.choices.size() == 1);
    CHECK(q.choices[0].to == "power");
    round_trip(d, change_kind("power", node_kind::step));
    CHECK(get(d, "power").to == "acct");
    round_trip(d, change_kind("route", node_kind::end));
    CHECK(get(d, "route").outcome == "resolved");
}

TEST_CASE("model: choices add, remove, reorder, edit") {
    auto d = model_test::sample_document();
    round_trip(d, add_choice("power", "Maybe", "fixed"));
    CHECK(get(d, "power").choices.size() == 4);
    round_trip(d, move_choice("power", 3, 0));
    CHECK(get(d, "power").choices[0].label == "Maybe");
    CHECK(get(d, "power").choices[1].label == "Yes");
    round_trip(d, move_choice("power", 0, 3));
    CHECK(get(d, "power").choices[3].label == "Maybe");
    round_trip(d, set_choice_label("power", 0, "Yes, lit"));
    round_trip(d, set_choice_target("power", 0, "fixed"));
    CHECK(get(d, "power").choices[0].to == "fixed");
    round_trip(d, remove_choice("power", 3));
    CHECK(get(d, "power").choices.size() == 3);
    CHECK(d.execute(remove_choice("power", 3)).has_value());
    CHECK(d.execute(add_choice("reboot", "x")).has_value());  // not a question
    CHECK(d.execute(set_choice_target("power", 0, "ghost")).has_value());
}

TEST_CASE("model: conditions and assignments are stored parsed, broken text kept as typed") {
    auto d = model_test::sample_document();
    round_trip(d, set_choice_condition("power", 0, "  reboots > 1 "));
    const choice& c = get(d, "power").choices[0];
    REQUIRE(c.condition);
    CHECK(c.condition->source() == "reboots > 1");
    CHECK(!c.condition->empty());

    round_trip(d, set_choice_condition("power", 0, "reboots >"));
    CHECK(get(d, "power").choices[0].condition->source() == "reboots >");
    CHECK(get(d, "power").choices[0].condition->empty());  // not parsed, but kept
    round_trip(d, set_choice_condition("power", 0, ""));
    CHECK(!get(d, "power").choices[0].condition);

    round_trip(d, set_choice_assignments("power", 0, "reboots = 0; plan = 'plus'"));
    CHECK(get(d, "power").choices[0].sets.size() == 2);
    CHECK(get(d, "power").choices[0].set_source == "reboots = 0; plan = 'plus'");
    round_trip(d, set_choice_assignments("power", 0, ""));
    CHECK(get(d, "power").choices[0].sets.empty());
    CHECK(get(d, "power").choices[0].set_source.empty());

    // The inspector's inline check, as the author types.
    const tree& t = d.current();
    CHECK(!check_expression_text(t, "reboots >= 2 and plan == 'plus'", expression_kind::condition));
    CHECK(!check_expression_text(t, "", expression_kind::condition));
    const auto syntax = check_expression_text(t, "reboots >", expression_kind::condition);
    REQUIRE(syntax);
    CHECK(syntax->code == "expr-syntax");
    CHECK(syntax->column == 10);
    const auto undeclared = check_expression_text(t, "rebots > 1", expression_kind::condition);
    REQUIRE(undeclared);
    CHECK(undeclared->code == "undeclared-variable");
    CHECK(undeclared->column == 1);
    const auto type = check_expression_text(t, "reboots + 1", expression_kind::condition);
    REQUIRE(type);
    CHECK(type->code == "expr-type");
    const auto option = check_expression_text(t, "plan == 'gold'", expression_kind::condition);
    CHECK(option);
    CHECK(!check_expression_text(t, "reboots = reboots + 1; account = 'x'", expression_kind::assignments));
    const auto bad_set = check_expression_text(t, "reboots = 'x'", expression_kind::assignments);
    REQUIRE(bad_set);
    CHECK(bad_set->code == "expr-type");
    const auto no_var = check_expression_text(t, "ghost = 1", expression_kind::assignments);
    REQUIRE(no_var);
    CHECK(no_var->code == "undeclared-variable");
    // Columns count code points, not bytes.
    const auto utf8 = check_expression_text(t, "'é' == 'é' and", expression_kind::condition);
    REQUIRE(utf8);
    CHECK(utf8->column == 15);
}

TEST_CASE("model: a typed condition merges into one step") {
    auto d = model_test::sample_document();
    const auto t0 = history::clock::now();
    std::string typed;
    for (char c : std::string("reboots > 2")) {
        typed += c;
        REQUIRE(!d.execute(set_branch_condition("route", 0, typed), t0 + typed.size() * 100ms));
    }
    CHECK(d.edits().undo_depth() == 1);
    CHECK(get(d, "route").branches[0].condition.source() == "reboots > 2");
    CHECK(!get(d, "route").branches[0].condition.empty());
}

TEST_CASE("model: branches and otherwise") {
    auto d = model_test::sample_document();
    round_trip(d, add_branch("route", "plan == 'plus'", "acct"));
    CHECK(get(d, "route").branches.size() == 2);
    round_trip(d, move_branch("route", 1, 0));
    CHECK(get(d, "route").branches[0].to == "acct");
    round_trip(d, set_branch_target("route", 0, "reboot"));
    round_trip(d, set_branch_condition("route", 0, "reboots == 1"));
    CHECK(get(d, "route").branches[0].condition.source() == "reboots == 1");
    round_trip(d, remove_branch("route", 0));
    round_trip(d, set_otherwise("route", ""));
    CHECK(get(d, "route").otherwise.empty());
    round_trip(d, set_otherwise("route", "fixed"));
    CHECK(d.execute(add_branch("power", "true", "fixed")).has_value());
    CHECK(d.execute(set_otherwise("power", "fixed")).has_value());
}

TEST_CASE("model: form fields") {
    auto d = model_test::sample_document();
    field f;
    f.variable = "plan";
    f.label = "Plan";
    round_trip(d, add_field("acct", f));
    CHECK(get(d, "acct").fields.size() == 2);
    round_trip(d, move_field("acct", 1, 0));
    CHECK(get(d, "acct").fields[0].variable == "plan");
    f.required = true;
    f.placeholder = "basic";
    round_trip(d, set_field("acct", 0, f));
    CHECK(get(d, "acct").fields[0].required);
    round_trip(d, remove_field("acct", 0));
    CHECK(get(d, "acct").fields[0].variable == "account");
    CHECK(d.execute(add_field("power", f)).has_value());
}

TEST_CASE("model: links from pins, including the add pins") {
    auto d = model_test::sample_document();
    round_trip(d, connect({"power", pin_slot::choice, 1}, "fixed"));
    CHECK(get(d, "power").choices[1].to == "fixed");
    round_trip(d, connect({"power", pin_slot::choice, 3}, "tier2"));  // the "add answer" pin
    REQUIRE(get(d, "power").choices.size() == 4);
    CHECK(get(d, "power").choices[3].to == "tier2");
    CHECK(get(d, "power").choices[3].label == "New answer");
    round_trip(d, connect({"route", pin_slot::branch, 1}, "reboot"));
    CHECK(get(d, "route").branches[1].condition.source() == "true");
    round_trip(d, connect({"route", pin_slot::otherwise, 0}, "tier2"));
    round_trip(d, connect({"reboot", pin_slot::next, 0}, "fixed"));
    round_trip(d, disconnect({"reboot", pin_slot::next, 0}));
    CHECK(get(d, "reboot").to.empty());
    CHECK(pin_target(d.current(), {"route", pin_slot::otherwise, 0}) == "tier2");
    CHECK(d.execute(connect({"power", pin_slot::next, 0}, "fixed")).has_value());
    CHECK(d.execute(connect({"power", pin_slot::choice, 9}, "fixed")).has_value());
    CHECK(d.execute(connect({"power", pin_slot::choice, 0}, "ghost")).has_value());
}

TEST_CASE("model: dragging a pin to empty space makes a linked node in one step") {
    auto d = model_test::sample_document();
    const std::string before = text_of(d);
    round_trip(d, connect_to_new_node({"power", pin_slot::choice, 3}, node_kind::step, {100, 500}));
    REQUIRE(d.last_created() == std::vector<std::string>{"step-1"});
    CHECK(get(d, "power").choices.back().to == "step-1");
    CHECK(position_of(d.current(), "step-1") == vec2{100, 500});
    CHECK(d.edits().undo_depth() == 1);
    d.undo();
    CHECK(text_of(d) == before);
    d.redo();
    round_trip(d, connect_to_new_node({"step-1", pin_slot::next, 0}, node_kind::end, {400, 500}));
    CHECK(get(d, "step-1").to == "end-1");
    // A bad pin adds no node.
    const std::string now = text_of(d);
    CHECK(d.execute(connect_to_new_node({"fixed", pin_slot::next, 0}, node_kind::end, {0, 0})).has_value());
    CHECK(text_of(d) == now);
}

TEST_CASE("model: text a tree file cannot hold is refused, whatever the command") {
    // ImGui lets U+FFFE through a paste; XML cannot store it (nor controls but tab,
    // newline and carriage return), so the saved file would not open again.
    auto d = model_test::sample_document();
    const std::string before = text_of(d);
    const std::size_t depth = d.edits().undo_depth();
    const std::string nonchar = "Power \xEF\xBF\xBE";
    auto refused = [&](std::unique_ptr<command> c, const std::string& where) {
        CAPTURE(where);
        const auto error = d.execute(std::move(c));
        REQUIRE(error.has_value());
        CAPTURE(*error);
        CHECK(error->find(where) != std::string::npos);
        CHECK(text_of(d) == before);
        CHECK(d.edits().undo_depth() == depth);
        CHECK_FALSE(d.dirty());
    };
    refused(set_node_property("power", node_property::title, nonchar), "node 'power', title: holds U+FFFE");
    refused(set_node_property("reboot", node_property::text, "Unplug\x01 it."), "node 'reboot', text: holds the control "
                                                                             "character U+0001");
    refused(add_choice("power", "Yes\x1b[31m", "fixed"), "node 'power', answer 4 label: holds the control character "
                                                         "U+001B");
    field f = get(d, "acct").fields.at(0);
    f.placeholder = "\xEF\xBF\xBF";
    refused(set_field("acct", 0, f), "node 'acct', field 1 placeholder: holds U+FFFF");
    tree_header h = header_of(d.current());
    h.description = "bad \xFF byte";
    refused(set_tree_header(h), "the tree's description: is not valid UTF-8");
    variable v;
    v.name = "note";
    v.label = "Note\x07";
    refused(add_variable(v), "variable 'note', label: holds the control character U+0007");
    // Tabs, newlines and carriage returns are text like any other.
    round_trip(d, set_node_property("reboot", node_property::text, "Unplug it.\r\n\tWait."));
}

TEST_CASE("model: tree header") {
    auto d = model_test::sample_document();
    tree_header h = header_of(d.current());
    h.title = "Renamed";
    h.version = 3;
    h.allow_find = true;
    h.description = "About.";
    round_trip(d, set_tree_header(h));
    CHECK(d.current().title == "Renamed");
    CHECK(d.current().allow_find);
    h.id = "bad id";
    CHECK(d.execute(set_tree_header(h)).has_value());
    h.id = "sample";
    h.version = 0;
    CHECK(d.execute(set_tree_header(h)).has_value());
    // Typing in one field merges; another field is a new step.
    const auto t0 = history::clock::now();
    d.edits().seal();
    const std::size_t depth = d.edits().undo_depth();
    h = header_of(d.current());
    for (const char* title : {"A", "Ab", "Abc"}) {
        h.title = title;
        REQUIRE(!d.execute(set_tree_header(h), t0));
    }
    CHECK(d.edits().undo_depth() == depth + 1);
    h.description = "Other";
    REQUIRE(!d.execute(set_tree_header(h), t0));
    CHECK(d.edits().undo_depth() == depth + 2);
}

TEST_CASE("model: variables add, edit, remove") {
    auto d = model_test::sample_document();
    variable v;
    v.name = "vip";
    v.type = var_type::flag;
    v.default_text = "false";
    round_trip(d, add_variable(v));
    const variable* added = d.current().find_variable("vip");
    REQUIRE(added);
    REQUIRE(added->default_value);
    CHECK(std::get<bool>(*added->default_value) == false);
    CHECK(d.execute(add_variable(v)).has_value());  // taken
    v.name = "and";
    CHECK(d.execute(add_variable(v)).has_value());  // keyword
    v.name = "9x";
    CHECK(d.execute(add_variable(v)).has_value());

    variable plan = *d.current().find_variable("plan");
    plan.options = {"basic", "plus", "business", "gold"};
    plan.default_text = "gold";
    round_trip(d, set_variable("plan", plan));
    CHECK(d.current().find_variable("plan")->options.size() == 4);
    CHECK(std::get<std::string>(*d.current().find_variable("plan")->default_value) == "gold");
    // Private alone is a change, saved and undone like any other.
    plan.is_private = true;
    const std::string made_private = round_trip(d, set_variable("plan", plan));
    CHECK(made_private.find("private=\"true\"") != std::string::npos);
    CHECK(d.current().find_variable("plan")->is_private);
    plan.options = {"a b"};
    CHECK(d.execute(set_variable("plan", plan)).has_value());
    plan.options = {"a", "a"};
    CHECK(d.execute(set_variable("plan", plan)).has_value());
    plan.name = "other";
    CHECK(d.execute(set_variable("plan", plan)).has_value());

    round_trip(d, remove_variable("vip"));
    CHECK(!d.current().find_variable("vip"));
    CHECK(d.execute(remove_variable("vip")).has_value());
}

TEST_CASE("model: variable rename updates expressions and texts but not string literals") {
    auto d = model_test::sample_document();
    round_trip(d, rename_variable("account", "acct_no"));
    round_trip(d, rename_variable("reboots", "tries"));
    const tree& t = d.current();
    CHECK(t.find_variable("acct_no"));
    CHECK(!t.find_variable("account"));
    const node& q = get(d, "power");
    CHECK(q.text == "Is the light on? {tries} so far.");
    CHECK(q.choices[1].set_source == "tries = tries + 1");
    REQUIRE(q.choices[1].sets.size() == 1);
    CHECK(q.choices[1].sets[0].variable == "tries");
    CHECK(q.choices[2].condition->source() == "plan == 'business' or acct_no == 'account'");
    CHECK(get(d, "route").branches[0].condition.source() == "tries >= 2");
    CHECK(get(d, "acct").fields[0].variable == "acct_no");
    CHECK(get(d, "tier2").text == "Account {acct_no}.");
    CHECK(t.description == "Account {acct_no}.");
    // Still a clean tree after both renames.
    const auto reloaded = load_tree_string(text_of(d));
    CHECK(reloaded.ok());
    CHECK(d.execute(rename_variable("plan", "tries")).has_value());
    CHECK(d.execute(rename_variable("plan", "not")).has_value());
}

TEST_CASE("model: expression and text renaming helpers") {
    CHECK(rename_in_expression("a == 'a' and ab > a1 or a", "a", "b") == "b == 'a' and ab > a1 or b");
    CHECK(rename_in_expression(R"(x == "x \" x" and x)", "x", "y") == R"(y == "x \" x" and y)");
    CHECK(rename_in_expression("n = n + 1; m = 12n", "n", "k") == "k = k + 1; m = 12n");
    CHECK(rename_in_expression("not and", "and", "x") == "not x");  // tokens only; keywords are never variables
    CHECK(rename_in_text("{a} {{a}} {ab} {a}", "a", "b") == "{b} {{a}} {ab} {b}");
    CHECK(rename_in_text("no refs", "a", "b") == "no refs");
}

TEST_CASE("model: paste makes ids unique and remaps links among the pasted nodes") {
    auto d = model_test::sample_document();
    const std::string clip = copy_nodes(d.current(), {"power", "reboot"}, d.path(), d.instance_id());
    REQUIRE(!clip.empty());
    CHECK(is_node_clipboard(clip));
    CHECK(!is_node_clipboard("hello"));
    CHECK(!is_node_clipboard("<tree>"));
    round_trip(d, paste_nodes(clip, {1000, 1000}, d.path(), d.instance_id()));
    const auto created = d.last_created();
    REQUIRE(created.size() == 2);
    CHECK(created[0] == "power-2");
    CHECK(created[1] == "reboot-2");
    const node& q = get(d, "power-2");
    CHECK(q.choices[0].to == "acct");      // outside the pasted set: kept
    CHECK(q.choices[1].to == "reboot-2");  // inside: remapped
    CHECK(get(d, "reboot-2").to == "power-2");
    CHECK(position_of(d.current(), "power-2") == vec2{1000, 1000});
    CHECK(position_of(d.current(), "reboot-2") == vec2{1300, 1200});
    // Pasting again gives fresh ids again.
    REQUIRE(!d.execute(paste_nodes(clip, {0, 0}, d.path(), d.instance_id())));
    CHECK(d.last_created() == std::vector<std::string>{"power-3", "reboot-3"});
    CHECK(d.execute(paste_nodes("not xml", {0, 0})).has_value());
}

TEST_CASE("model: pasting a node whose id is empty links no empty target to it") {
    // A broken file can hold a node with id=""; its pasted copy gets a fresh id, and the
    // pasted nodes' missing targets must stay missing, not turn into links to that copy.
    const std::string clip = R"(<tree format="1" id="clip" start="a">
  <end id="" outcome="resolved"/>
  <form id="f" title="F"><field var="x"/></form>
  <logic id="l"><branch if="true" to="f"/></logic>
  <variables><variable name="x" type="text"/></variables>
</tree>)";
    tree empty;
    empty.id = "other";
    document d(empty, "");
    REQUIRE(!d.execute(paste_nodes(clip, {0, 0})));
    const std::vector<std::string> created = d.last_created();
    REQUIRE(created.size() == 3);
    CHECK(!created[0].empty());
    CHECK(get(d, created[1]).to.empty());
    CHECK(get(d, created[1]).otherwise.empty());
    CHECK(get(d, created[2]).otherwise.empty());
    CHECK(get(d, created[2]).branches.at(0).to == created[1]);
}

TEST_CASE("model: paste into another tree declares the variables it needs") {
    auto src = model_test::sample_document();
    const std::string clip = copy_nodes(src.current(), {"route"});
    tree empty;
    empty.id = "other";
    document d(empty, "");
    round_trip(d, paste_nodes(clip, {0, 0}));
    CHECK(d.current().find("route"));
    CHECK(d.current().find_variable("reboots"));
    CHECK(d.current().find_variable("plan"));
}

TEST_CASE("model: the clipboard names the tree and file it was copied from, and still reads as a tree") {
    const model_test::temp_dir tmp;
    const std::filesystem::path& dir = tmp.path;
    auto src = model_test::sample_document();
    const std::string file = tmp.file("sample.xml");
    const std::string clip = copy_nodes(src.current(), {"power"}, file);
    CHECK(is_node_clipboard(clip));
    const auto loaded = load_tree_string(clip, "<clipboard>");
    REQUIRE(loaded.loaded);
    CHECK(loaded.loaded->nodes.size() == 1);
    const auto source = source_of_clipboard(clip);
    REQUIRE(source);
    CHECK(source->tree_id == "sample");
    CHECK(source->file == absolute_path(file));
    // The same file however it is spelt; another file, or none, is another tree.
    CHECK(same_tree(*source, src.current(), (dir / "." / "sample.xml").string()));
    CHECK(!same_tree(*source, src.current(), (dir / "other.xml").string()));
    CHECK(!same_tree(*source, src.current(), ""));
    // An untitled tree's copy names no file, and matches only the document it came from.
    const auto untitled = source_of_clipboard(copy_nodes(src.current(), {"power"}, "", src.instance_id()));
    REQUIRE(untitled);
    CHECK(untitled->file.empty());
    CHECK(untitled->instance == src.instance_id());
    CHECK(same_tree(*untitled, src.current(), "", src.instance_id()));
    CHECK(!same_tree(*untitled, src.current(), ""));
    CHECK(!same_tree(*untitled, src.current(), "", model_test::sample_document().instance_id()));
    CHECK(!source_of_clipboard(R"(<tree format="1" id="x" start="a"><end id="a" outcome="done"/></tree>)"));
}

TEST_CASE("model: paste into another tree drops the links that lead outside the copy") {
    // "power" links to acct and route, which were not copied, and to reboot, which was.
    auto src = model_test::sample_document();
    const std::string clip = copy_nodes(src.current(), {"power", "reboot"}, "/somewhere/sample.xml");
    // The target has nodes with the ids the outside links name: kept, they would silently
    // lead to those.
    tree other = model_test::load_sample();
    other.id = "other";
    document d(other, "");
    CHECK(links_dropped_by_paste(clip, d.current(), "") == 2);
    const std::string before = text_of(d);
    round_trip(d, paste_nodes(clip, {0, 0}));
    const node& q = get(d, "power-2");
    CHECK(q.choices.size() == 3);          // the answers stay, with their labels and sets
    CHECK(q.choices[0].to.empty());        // acct: outside, dropped
    CHECK(q.choices[1].to == "reboot-2");  // inside: remapped
    CHECK(q.choices[1].set_source == "reboots = reboots + 1");
    CHECK(q.choices[2].to.empty());        // route: dropped
    CHECK(get(d, "reboot-2").to == "power-2");
    // The validator reports the unlinked answers.
    d.revalidate();
    int unlinked = 0;
    for (const diagnostic& diag : d.problems()) unlinked += diag.node_id == "power-2" && diag.level == severity::error;
    CHECK(unlinked >= 1);
    // Undo leaves the tree exactly as it was.
    REQUIRE(d.undo());
    CHECK(text_of(d) == before);

    // The same tree id in another file is another tree too.
    document same_id(model_test::load_sample(), "/elsewhere/sample.xml");
    CHECK(links_dropped_by_paste(clip, same_id.current(), same_id.path()) == 2);
    REQUIRE(!same_id.execute(paste_nodes(clip, {0, 0}, same_id.path())));
    CHECK(get(same_id, "power-2").choices[0].to.empty());

    // Into the tree it came from (same id, same file), the links are kept.
    document back(model_test::load_sample(), "/somewhere/sample.xml");
    CHECK(links_dropped_by_paste(clip, back.current(), back.path()) == 0);
    round_trip(back, paste_nodes(clip, {0, 0}, back.path()));
    CHECK(get(back, "power-2").choices[0].to == "acct");
    CHECK(get(back, "power-2").choices[2].to == "route");

    // Text that does not say where it came from is treated as another tree's.
    const std::string hand_made = R"(<tree format="1" id="sample" start="a">
  <step id="a" to="fixed"/>
</tree>)";
    document plain(model_test::load_sample(), "");
    CHECK(links_dropped_by_paste(hand_made, plain.current(), "") == 1);
    REQUIRE(!plain.execute(paste_nodes(hand_made, {0, 0})));
    CHECK(get(plain, "a").to.empty());
}

TEST_CASE("model: every open document has its own instance id") {
    const auto a = document::from_template();
    const auto b = document::from_template();
    CHECK(!a->instance_id().empty());
    CHECK(a->instance_id() != b->instance_id());
    CHECK(a->current().id == b->current().id);  // both "new-tree": the id cannot tell them apart
}

TEST_CASE("model: paste between two untitled documents drops the outside links, even with the same ids") {
    // Blank to Blank: the question's answer leads to end-1 in both, but another node.
    const auto from = document::from_template();
    const auto into = document::from_template();
    const std::string question = from->current().start;
    REQUIRE(from->current().find(question));
    const node& q = *from->current().find(question);
    REQUIRE(!q.choices.empty());
    const std::string outside = q.choices[0].to;
    REQUIRE(into->current().find(outside));  // the same id exists there
    const std::string clip = copy_nodes(from->current(), {question}, from->path(), from->instance_id());
    CHECK(links_dropped_by_paste(clip, into->current(), into->path(), into->instance_id()) == 1);
    REQUIRE(!into->execute(paste_nodes(clip, {0, 0}, into->path(), into->instance_id())));
    REQUIRE(into->last_created().size() == 1);
    CHECK(get(*into, into->last_created()[0]).choices[0].to.empty());
    // Back into the document it came from, the link stays.
    CHECK(links_dropped_by_paste(clip, from->current(), from->path(), from->instance_id()) == 0);
    REQUIRE(!from->execute(paste_nodes(clip, {0, 0}, from->path(), from->instance_id())));
    CHECK(get(*from, from->last_created()[0]).choices[0].to == outside);
}

TEST_CASE("model: copied before a save (or Save As under a new id), pasted after, the links stay") {
    const model_test::temp_dir tmp;
    auto d = document::from_template();
    const std::string question = d->current().start;
    const std::string outside = d->current().find(question)->choices[0].to;
    const std::string clip = copy_nodes(d->current(), {question}, d->path(), d->instance_id());
    // What the editor's Save As does to a template's placeholder id.
    tree_header named = header_of(d->current());
    named.id = "renamed";
    REQUIRE(!d->execute(set_tree_header(named)));
    REQUIRE(!d->save_as(tmp.file("renamed.xml")));
    CHECK(links_dropped_by_paste(clip, d->current(), d->path(), d->instance_id()) == 0);
    REQUIRE(!d->execute(paste_nodes(clip, {0, 0}, d->path(), d->instance_id())));
    CHECK(get(*d, d->last_created()[0]).choices[0].to == outside);

    // Another editor on that file (another document, same file and tree id) keeps them too.
    const std::string saved_clip = copy_nodes(d->current(), {question}, d->path(), d->instance_id());
    open_result other = document::open(tmp.file("renamed.xml"));
    REQUIRE(other.doc);
    CHECK(other.doc->instance_id() != d->instance_id());
    CHECK(links_dropped_by_paste(saved_clip, other.doc->current(), other.doc->path(), other.doc->instance_id()) == 0);
}

TEST_CASE("model: duplicate") {
    auto d = model_test::sample_document();
    round_trip(d, duplicate_nodes(d.current(), {"route", "tier2"}));
    CHECK(d.last_created() == std::vector<std::string>{"route-2", "tier2-2"});
    CHECK(get(d, "route-2").branches[0].to == "tier2-2");
    CHECK(get(d, "route-2").otherwise == "fixed");
    CHECK(position_of(d.current(), "route-2") == vec2{640, 40});
    CHECK(d.execute(duplicate_nodes(d.current(), {"ghost"})).has_value());
}

TEST_CASE("model: batch is all or nothing and one step") {
    auto d = model_test::sample_document();
    const std::string before = text_of(d);
    std::vector<std::unique_ptr<command>> parts;
    parts.push_back(set_node_property("power", node_property::title, "X"));
    parts.push_back(rename_node("fixed", "reboot"));  // fails: taken
    CHECK(d.execute(batch("Both", std::move(parts))).has_value());
    CHECK(text_of(d) == before);
    std::vector<std::unique_ptr<command>> ok;
    ok.push_back(set_node_property("power", node_property::title, "X"));
    ok.push_back(rename_node("fixed", "done"));
    round_trip(d, batch("Both", std::move(ok)));
    CHECK(d.edits().undo_depth() == 1);
    CHECK(d.edits().undo_label() == "Both");
}

TEST_CASE("model: history labels and redo cleared by a new command") {
    auto d = model_test::sample_document();
    REQUIRE(!d.execute(add_node(node_kind::end, {0, 0})));
    CHECK(d.edits().undo_label() == "Add end");
    d.undo();
    CHECK(d.edits().redo_label() == "Add end");
    CHECK(d.edits().can_redo());
    REQUIRE(!d.execute(add_node(node_kind::step, {0, 0})));
    CHECK(!d.edits().can_redo());
    CHECK(!d.redo());
    d.undo();
    CHECK(!d.undo());
}
