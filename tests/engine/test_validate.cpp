// Whole-tree validation and the tree library. Fixtures are inline XML; trees for jumps
// go into a temporary folder per test.

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/validate.hpp"

using namespace signpost;

namespace {

// Loads a tree that must be free of loader errors (the validator's input).
std::shared_ptr<const tree> parse(const std::string& xml, const std::string& file = "t.xml") {
    load_result r = load_tree_string(xml, file);
    for (const auto& d : r.problems) INFO(format(d));
    REQUIRE(r.ok());
    return r.loaded;
}

// A tree with the given body; variables go in `vars` (inner XML of <variables>).
std::string tree_xml(const std::string& id, const std::string& start, const std::string& body,
                     const std::string& vars = "") {
    std::string xml = "<tree format=\"1\" id=\"" + id + "\" start=\"" + start + "\">\n";
    if (!vars.empty()) xml += "  <variables>\n" + vars + "  </variables>\n";
    return xml + body + "</tree>\n";
}

std::vector<diagnostic> with_code(const diagnostics& all, const std::string& code) {
    std::vector<diagnostic> out;
    for (const auto& d : all)
        if (d.code == code) out.push_back(d);
    return out;
}

// Every finding except the always-present path-stats.
std::vector<diagnostic> findings(const diagnostics& all) {
    std::vector<diagnostic> out;
    for (const auto& d : all)
        if (d.code != "path-stats") out.push_back(d);
    return out;
}

std::string dump(const diagnostics& all) {
    std::string out;
    for (const auto& d : all) out += format(d) + "\n";
    return out;
}

// A fresh folder under the system temp dir, removed afterwards.
struct temp_folder {
    std::filesystem::path path;
    temp_folder() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("signpost-validate-" + std::to_string(rd()) + "-" + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~temp_folder() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    temp_folder(const temp_folder&) = delete;
    temp_folder& operator=(const temp_folder&) = delete;

    std::string write(const std::string& name, const std::string& content) const {
        const auto file = path / name;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
        return file.string();
    }
    std::string str() const { return path.string(); }
};

const std::string clean_tree = R"(<tree format="1" id="clean" start="ask">
  <variables>
    <variable name="reboots" type="number" default="0"/>
    <variable name="account" type="text"/>
  </variables>
  <question id="ask" title="Power light">
    <text>Is the power light on?</text>
    <choice to="acct">Yes</choice>
    <choice to="reboot" set="reboots = reboots + 1">No</choice>
  </question>
  <step id="reboot" to="ask"><text>Unplug it for 30 seconds ({reboots} so far).</text></step>
  <form id="acct" to="route"><field var="account" label="Account" required="true"/></form>
  <logic id="route">
    <branch if="reboots >= 2" to="tier2"/>
    <otherwise to="fixed"/>
  </logic>
  <escalate id="tier2" team="Tier 2"><text>Account {account}.</text></escalate>
  <end id="fixed" outcome="resolved"><text>Thanks, account {account}.</text></end>
</tree>
)";

}  // namespace

// [SECTION] whole trees

TEST_CASE("validate: a sound tree gives only path statistics") {
    const auto t = parse(clean_tree);
    const diagnostics all = validate_tree(*t, nullptr);
    INFO(dump(all));
    CHECK(findings(all).empty());
    const auto stats = with_code(all, "path-stats");
    REQUIRE(stats.size() == 1);
    CHECK(stats[0].level == severity::info);
    CHECK(stats[0].pos == t->pos);
    CHECK(stats[0].file == "t.xml");
    // ask -> acct -> route -> tier2 (the loop back from reboot is a back edge).
    CHECK(stats[0].message == "longest path: 4 steps, 1 question on the worst path");
}

TEST_CASE("validate: path-stats counts the questions of the longest path") {
    const auto t = parse(tree_xml("p", "q1", R"(
  <question id="q1"><choice to="q2">A</choice><choice to="done">B</choice></question>
  <question id="q2"><choice to="s">A</choice><choice to="q1">Again</choice></question>
  <step id="s" to="q3"/>
  <question id="q3"><choice to="done">A</choice></question>
  <end id="done" outcome="resolved"/>
)"));
    const auto stats = with_code(validate_tree(*t, nullptr), "path-stats");
    REQUIRE(stats.size() == 1);
    CHECK(stats[0].message == "longest path: 5 steps, 3 questions on the worst path");
}

// [SECTION] unreachable

TEST_CASE("validate: unreachable nodes are warned about one by one") {
    const auto t = parse(tree_xml("u", "a", R"(
  <step id="a" to="done"/>
  <step id="lost" to="lost2"/>
  <step id="lost2" to="done"/>
  <end id="done" outcome="resolved"/>
)"));
    const diagnostics all = validate_tree(*t, nullptr);
    const auto found = with_code(all, "unreachable");
    REQUIRE(found.size() == 2);
    CHECK(found[0].level == severity::warning);
    CHECK(found[0].node_id == "lost");
    CHECK(found[0].pos == t->find("lost")->pos);
    CHECK(found[0].pos.line > 0);
    CHECK(found[1].node_id == "lost2");
    CHECK(found[0].message.find("'a'") != std::string::npos);  // names the start
    // Unreachable nodes are not also reported as dead ends or read-before-set.
    CHECK(findings(all).size() == 2);
}

TEST_CASE("validate: nodes reached only through otherwise, branches or a jump's to are reachable") {
    const auto t = parse(tree_xml("r", "route", R"(
  <logic id="route"><branch if="n > 1" to="big"/><otherwise to="small"/></logic>
  <jump id="big" tree="other" to="after"/>
  <step id="after" to="done"/>
  <step id="small" to="done"/>
  <end id="done" outcome="resolved"/>
)", "    <variable name=\"n\" type=\"number\" default=\"0\"/>\n"));
    const diagnostics all = validate_tree(*t, nullptr);
    INFO(dump(all));
    CHECK(findings(all).empty());
}

// [SECTION] no follow-ons of loader errors

namespace {

// Loads a tree with loader errors; the validator still runs on what came back.
struct loaded_with_errors {
    load_result loaded;
    diagnostics validated;
};
loaded_with_errors load_broken(const std::string& xml) {
    loaded_with_errors out{load_tree_string(xml, "f.xml"), {}};
    REQUIRE(out.loaded.loaded != nullptr);
    CHECK(has_errors(out.loaded.problems));
    out.validated = validate_tree(*out.loaded.loaded, nullptr);
    return out;
}

std::vector<std::string> unreachable_ids(const diagnostics& all) {
    std::vector<std::string> ids;
    for (const auto& d : with_code(all, "unreachable")) ids.push_back(d.node_id);
    return ids;
}

}  // namespace

TEST_CASE("validate: a node behind a mistyped target is not also unreachable") {
    const auto r = load_broken(tree_xml("f", "ask", R"(
  <question id="ask"><choice to="lgihts">Lit</choice><choice to="vanished-entirely">Dark</choice></question>
  <step id="lights" to="after"/>
  <step id="after" to="done"/>
  <step id="orphan" to="done"/>
  <step id="other" to="done"/>
  <end id="done" outcome="resolved"/>
)"));
    INFO(dump(r.loaded.problems) << dump(r.validated));
    // The loader's finding already names the node the author meant...
    const auto targets = with_code(r.loaded.problems, "unknown-target");
    REQUIRE(targets.size() == 2);
    CHECK(targets[0].message.find("did you mean 'lights'?") != std::string::npos);
    // ...so 'lights', and what it leads to, are not reported again. The reference with no
    // suggestion may have meant any node ('orphan', 'other'), so none is reported.
    CHECK(unreachable_ids(r.validated).empty());
    CHECK(with_code(r.validated, "dead-end").empty());
    // With only suggested references broken, a node none of them names is still reported.
    const auto named = load_broken(tree_xml("f", "ask", R"(
  <question id="ask"><choice to="lgihts">Lit</choice><choice to="done">Dark</choice></question>
  <step id="lights" to="after"/>
  <step id="after" to="done"/>
  <step id="orphan" to="done"/>
  <end id="done" outcome="resolved"/>
)"));
    CHECK(unreachable_ids(named.validated) == std::vector<std::string>{"orphan"});
}

TEST_CASE("validate: a duplicate or missing node id is not also unreachable") {
    const auto r = load_broken(tree_xml("f", "a", R"(
  <step id="a" to="done"/>
  <step id="a" to="done"/>
  <step to="done"/>
  <step id="lost" to="done"/>
  <end id="done" outcome="resolved"/>
)"));
    INFO(dump(r.loaded.problems) << dump(r.validated));
    CHECK(with_code(r.loaded.problems, "duplicate-id").size() == 1);
    CHECK(with_code(r.loaded.problems, "missing-attribute").size() == 1);
    CHECK(unreachable_ids(r.validated) == std::vector<std::string>{"lost"});
}

TEST_CASE("validate: while a reached node lacks a target altogether, no node is called unreachable") {
    // A step without `to`: 'done' is most likely where it was meant to go.
    const auto step = load_broken(tree_xml("f", "s", R"(
  <step id="s"><text>Do it</text></step>
  <end id="done" outcome="resolved"/>
)"));
    INFO(dump(step.loaded.problems) << dump(step.validated));
    CHECK(with_code(step.loaded.problems, "missing-attribute").size() == 1);
    CHECK(unreachable_ids(step.validated).empty());

    // A question whose only choice was misspelt: the unknown element is the one error.
    const auto question = load_broken(tree_xml("f", "q", R"(
  <question id="q"><text>x</text><chioce to="done">A</chioce></question>
  <end id="done" outcome="resolved"/>
)"));
    INFO(dump(question.loaded.problems) << dump(question.validated));
    REQUIRE(question.loaded.problems.size() == 1);
    CHECK(question.loaded.problems[0].code == "unknown-element");
    CHECK(unreachable_ids(question.validated).empty());

    // An unknown element that is no misspelt choice: the question is empty as well.
    const auto picture = load_broken(tree_xml("f", "q", R"(
  <question id="q"><text>x</text><picture/></question>
  <end id="done" outcome="resolved"/>
)"));
    INFO(dump(picture.loaded.problems));
    CHECK(with_code(picture.loaded.problems, "unknown-element").size() == 1);
    CHECK(with_code(picture.loaded.problems, "empty-question").size() == 1);
    // One with a `to` is taken for a choice, whatever its name.
    const auto option = load_broken(tree_xml("f", "q", R"(
  <question id="q"><text>x</text><option to="done">A</option></question>
  <end id="done" outcome="resolved"/>
)"));
    CHECK(with_code(option.loaded.problems, "unknown-element").size() == 1);
    CHECK(with_code(option.loaded.problems, "empty-question").empty());

    // A choice without `to` among others.
    const auto choice = load_broken(tree_xml("f", "q", R"(
  <question id="q"><choice to="a">A</choice><choice>B</choice></question>
  <step id="a" to="done"/>
  <step id="b" to="done"/>
  <end id="done" outcome="resolved"/>
)"));
    CHECK(unreachable_ids(choice.validated).empty());

    // The same tree with every target written: 'b' really is unreachable.
    const auto t = parse(tree_xml("f", "q", R"(
  <question id="q"><choice to="a">A</choice><choice to="a">B</choice></question>
  <step id="a" to="done"/>
  <step id="b" to="done"/>
  <end id="done" outcome="resolved"/>
)"));
    CHECK(unreachable_ids(validate_tree(*t, nullptr)) == std::vector<std::string>{"b"});

    // A node that lacks a target but is not reached changes nothing.
    const auto unreached = load_broken(tree_xml("f", "a", R"(
  <step id="a" to="done"/>
  <step id="stray"/>
  <end id="done" outcome="resolved"/>
)"));
    CHECK(unreachable_ids(unreached.validated) == std::vector<std::string>{"stray"});
}

TEST_CASE("validate: a branch condition that does not parse leaves no logic-unmatched behind") {
    const auto r = load_broken(tree_xml("f", "l", R"(
  <logic id="l"><branch if="1 +" to="done"/></logic>
  <end id="done" outcome="resolved"/>
)"));
    INFO(dump(r.loaded.problems) << dump(r.validated));
    CHECK(with_code(r.loaded.problems, "expr-syntax").size() == 1);
    CHECK(with_code(r.validated, "logic-unmatched").empty());
}

TEST_CASE("validate: a misspelt <otherwise> or <choice> with a target is one error, not unmatched or unreachable too") {
    const auto r = load_broken(tree_xml("u", "q", R"(
  <question id="q"><text>Stolen?</text>
    <choice to="route">Yes</choice>
    <chioce to="police-advice">Not sure</chioce>
  </question>
  <logic id="route"><branch if="n > 1" to="done"/><else to="security"/></logic>
  <escalate id="security" team="Security"><text>Stolen.</text></escalate>
  <end id="police-advice" outcome="advised"/>
  <end id="done" outcome="resolved"/>
)", "    <variable name=\"n\" type=\"number\" default=\"0\"/>\n"));
    INFO(dump(r.loaded.problems) << dump(r.validated));
    CHECK(with_code(r.loaded.problems, "unknown-element").size() == 2);
    CHECK(with_code(r.validated, "logic-unmatched").empty());
    CHECK(with_code(r.validated, "unreachable").empty());  // not an invitation to delete Security
}

TEST_CASE("validate: a variable type named as other languages do is read as meant: no type errors follow") {
    const auto r = load_broken(tree_xml("t", "f", R"(
  <form id="f" to="l"><field var="encrypted" required="true"/><field var="age" required="true"/></form>
  <logic id="l"><branch if="encrypted and age > 3" to="a"/><otherwise to="a"/></logic>
  <end id="a" outcome="resolved"/>
)", "    <variable name=\"encrypted\" type=\"boolean\"/>\n    <variable name=\"age\" type=\"Integer\"/>\n"));
    INFO(dump(r.loaded.problems) << dump(r.validated));
    const auto found = with_code(r.loaded.problems, "invalid-attribute");
    REQUIRE(found.size() == 2);
    CHECK(found[0].message == "unknown variable type 'boolean'; write 'flag' (true or false)");
    CHECK(found[1].message == "unknown variable type 'Integer'; write 'number'");
    CHECK(r.loaded.problems.size() == 2);  // no expr-type error about 'and' or '>'
    REQUIRE(r.loaded.loaded);
    CHECK(r.loaded.loaded->variables[0].type == var_type::flag);
}

TEST_CASE("validate: an <otherwise> without a target is not 'no <otherwise>', nor are its nodes unreachable") {
    for (const char* otherwise : {"<otherwise to=\"\"/>", "<otherwise too=\"tried\"/>"}) {
        CAPTURE(otherwise);
        const auto r = load_broken(tree_xml("f", "l", std::string(R"(
  <logic id="l"><branch if="false" to="done"/>)") + otherwise + R"(</logic>
  <end id="done" outcome="resolved"/>
  <end id="tried" outcome="unresolved"/>
)"));
        INFO(dump(r.loaded.problems) << dump(r.validated));
        CHECK(has_errors(r.loaded.problems));
        // Before: "logic 'l' has no <otherwise>" (it had one) and 'tried' unreachable.
        CHECK(with_code(r.validated, "logic-unmatched").empty());
        CHECK(with_code(r.validated, "unreachable").empty());
    }
}

TEST_CASE("validate: a misspelt node element is one error, not one per reference and unreachable nodes") {
    const auto r = load_broken(tree_xml("f", "ask", R"(
  <question id="ask"><choice to="triage">A</choice><choice to="done">B</choice></question>
  <decision id="triage"><branch if="true" to="fix"/></decision>
  <step id="fix" to="done"/>
  <end id="done" outcome="resolved"/>
  <layout><pos node="triage" x="1" y="2"/></layout>
)"));
    INFO(dump(r.loaded.problems) << dump(r.validated));
    REQUIRE(r.loaded.problems.size() == 1);
    CHECK(r.loaded.problems[0].code == "unknown-element");
    CHECK(with_code(r.validated, "unreachable").empty());
    // A reference like no node at all (no "did you mean") may be meant for any node too.
    const auto far = load_broken(tree_xml("f", "ask", R"(
  <question id="ask"><choice to="zzzzzzzz">A</choice><choice to="done">B</choice></question>
  <step id="fix" to="done"/>
  <end id="done" outcome="resolved"/>
)"));
    CHECK(with_code(far.loaded.problems, "unknown-target").size() == 1);
    CHECK(with_code(far.validated, "unreachable").empty());
}

TEST_CASE("validate: a set that does not parse leaves no read-before-set behind") {
    const std::string vars = "    <variable name=\"account\" type=\"text\"/>\n";
    const auto r = load_broken(tree_xml("f", "ask", R"(
  <question id="ask"><choice to="done" set="account = = 'x'">Go</choice></question>
  <end id="done" outcome="resolved"><text>Account {account}.</text></end>
)", vars));
    INFO(dump(r.loaded.problems) << dump(r.validated));
    CHECK(with_code(r.loaded.problems, "expr-syntax").size() == 1);
    CHECK(with_code(r.validated, "read-before-set").empty());

    // The broken set only covers its own path: another way there still warns.
    const auto other = load_broken(tree_xml("f", "ask", R"(
  <question id="ask"><choice to="done" set="account = = 'x'">Go</choice><choice to="done">Skip</choice></question>
  <end id="done" outcome="resolved"><text>Account {account}.</text></end>
)", vars));
    CHECK(with_code(other.validated, "read-before-set").size() == 1);
}

// [SECTION] dead-end and inescapable-loop

TEST_CASE("validate: a loop with no way out is one inescapable-loop, nodes leading into it are dead ends") {
    const auto t = parse(tree_xml("l", "a", R"(
  <step id="a" to="b"/>
  <question id="b"><choice to="c">Again</choice></question>
  <step id="c" to="b"/>
  <end id="done" outcome="resolved"/>
)"));
    const diagnostics all = validate_tree(*t, nullptr);
    INFO(dump(all));
    const auto loops = with_code(all, "inescapable-loop");
    REQUIRE(loops.size() == 1);
    CHECK(loops[0].level == severity::error);
    CHECK(loops[0].node_id == "b");  // first node of the loop in file order
    CHECK(loops[0].pos == t->find("b")->pos);
    CHECK(loops[0].message.find("'b', 'c'") != std::string::npos);
    const auto dead = with_code(all, "dead-end");
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].node_id == "a");
    CHECK(dead[0].level == severity::error);
    CHECK(with_code(all, "unreachable").size() == 1);  // done
}

TEST_CASE("validate: a loop with an exit is fine") {
    const auto t = parse(tree_xml("l", "a", R"(
  <step id="a" to="b"/>
  <question id="b"><choice to="c">Again</choice><choice to="done">Works now</choice></question>
  <step id="c" to="b"/>
  <end id="done" outcome="resolved"/>
)"));
    const diagnostics all = validate_tree(*t, nullptr);
    INFO(dump(all));
    CHECK(findings(all).empty());
}

TEST_CASE("validate: a node looping to itself is an inescapable loop") {
    const auto t = parse(tree_xml("s", "spin", R"(
  <step id="spin" to="spin"/>
)"));
    const diagnostics all = validate_tree(*t, nullptr);
    const auto loops = with_code(all, "inescapable-loop");
    REQUIRE(loops.size() == 1);
    CHECK(loops[0].node_id == "spin");
    CHECK(with_code(all, "dead-end").empty());
}

TEST_CASE("validate: two separate inescapable loops are reported once each") {
    const auto t = parse(tree_xml("two", "q", R"(
  <question id="q"><choice to="a1">A</choice><choice to="b1">B</choice></question>
  <step id="a1" to="a2"/>
  <step id="a2" to="a1"/>
  <step id="b1" to="b2"/>
  <step id="b2" to="b3"/>
  <step id="b3" to="b1"/>
)"));
    const diagnostics all = validate_tree(*t, nullptr);
    const auto loops = with_code(all, "inescapable-loop");
    REQUIRE(loops.size() == 2);
    CHECK(loops[0].node_id == "a1");
    CHECK(loops[1].node_id == "b1");
    CHECK(loops[1].message.find("'b1', 'b2', 'b3'") != std::string::npos);
    const auto dead = with_code(all, "dead-end");
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].node_id == "q");
}

TEST_CASE("validate: a loop of logic and step nodes can never be left even with a branch out") {
    const std::string vars = "    <variable name=\"x\" type=\"number\" default=\"0\"/>\n";
    SUBCASE("logic and step") {
        const auto t = parse(tree_xml("f", "route", R"(
  <logic id="route"><branch if="x == 1" to="done"/><otherwise to="wait"/></logic>
  <step id="wait" to="route"><text>Wait.</text></step>
  <end id="done" outcome="resolved"/>
)", vars));
        const diagnostics all = validate_tree(*t, nullptr);
        INFO(dump(all));
        const auto loops = with_code(all, "inescapable-loop");
        REQUIRE(loops.size() == 1);
        CHECK(loops[0].level == severity::error);
        CHECK(loops[0].node_id == "route");
        CHECK(loops[0].pos == t->find("route")->pos);
        CHECK(loops[0].message.find("route -> wait -> route") != std::string::npos);
        CHECK(with_code(all, "dead-end").empty());
    }
    SUBCASE("a logic node routing back to itself") {
        const auto t = parse(tree_xml("f", "route", R"(
  <logic id="route"><branch if="x == 1" to="done"/><otherwise to="route"/></logic>
  <end id="done" outcome="resolved"/>
)", vars));
        const auto loops = with_code(validate_tree(*t, nullptr), "inescapable-loop");
        REQUIRE(loops.size() == 1);
        CHECK(loops[0].message.find("route -> route") != std::string::npos);
    }
    SUBCASE("the shortest cycle through the first node is shown") {
        const auto t = parse(tree_xml("f", "a", R"(
  <logic id="a"><branch if="x == 1" to="done"/><branch if="x == 2" to="b"/><otherwise to="c"/></logic>
  <step id="b" to="c"/>
  <step id="c" to="a"/>
  <end id="done" outcome="resolved"/>
)", vars));
        const auto loops = with_code(validate_tree(*t, nullptr), "inescapable-loop");
        REQUIRE(loops.size() == 1);
        CHECK(loops[0].message.find("loop a -> c -> a ") != std::string::npos);
    }
    SUBCASE("a question inside the loop can change the variable: fine") {
        const auto t = parse(tree_xml("f", "route", R"(
  <logic id="route"><branch if="x == 1" to="done"/><otherwise to="ask"/></logic>
  <question id="ask"><choice to="route" set="x = 1">Fixed</choice><choice to="route">Not yet</choice></question>
  <end id="done" outcome="resolved"/>
)", vars));
        const diagnostics all = validate_tree(*t, nullptr);
        INFO(dump(all));
        CHECK(findings(all).empty());
    }
    SUBCASE("a form inside the loop: fine") {
        const auto t = parse(tree_xml("f", "route", R"(
  <logic id="route"><branch if="x == 1" to="done"/><otherwise to="ask"/></logic>
  <form id="ask" to="route"><field var="x" label="X" required="true"/></form>
  <end id="done" outcome="resolved"/>
)", vars));
        const diagnostics all = validate_tree(*t, nullptr);
        INFO(dump(all));
        CHECK(findings(all).empty());
    }
    SUBCASE("a form inside the loop that captures nothing its conditions read") {
        const auto t = parse(tree_xml("f", "ask", R"(
  <form id="ask" to="route"><field var="caller" label="Caller"/></form>
  <logic id="route"><branch if="x > 5" to="done"/><otherwise to="ask"/></logic>
  <end id="done" outcome="resolved"/>
)", vars + "    <variable name=\"caller\" type=\"text\"/>\n"));
        const diagnostics all = validate_tree(*t, nullptr);
        INFO(dump(all));
        const auto loops = with_code(all, "inescapable-loop");
        REQUIRE(loops.size() == 1);
        CHECK(loops[0].node_id == "ask");
        CHECK(loops[0].message.find("loop ask -> route -> ask can never be left: its forms capture nothing its "
                                    "conditions read") != std::string::npos);
    }
}

// [SECTION] logic-unmatched and duplicate-label

TEST_CASE("validate: logic without otherwise may match nothing") {
    const std::string vars = "    <variable name=\"n\" type=\"number\" default=\"0\"/>\n";
    const std::string ends = "  <end id=\"big\" outcome=\"resolved\"/>\n  <end id=\"small\" outcome=\"resolved\"/>\n";
    SUBCASE("warned") {
        const auto t = parse(tree_xml("g", "route", "  <logic id=\"route\"><branch if=\"n > 1\" to=\"big\"/>"
                                                    "<branch if=\"n &lt; 0\" to=\"small\"/></logic>\n" + ends, vars));
        const diagnostics all = validate_tree(*t, nullptr);
        const auto found = with_code(all, "logic-unmatched");
        REQUIRE(found.size() == 1);
        CHECK(found[0].level == severity::warning);
        CHECK(found[0].node_id == "route");
        CHECK(found[0].pos == t->find("route")->pos);
    }
    SUBCASE("a literal true branch always matches") {
        const auto t = parse(tree_xml("g", "route", "  <logic id=\"route\"><branch if=\"n > 1\" to=\"big\"/>"
                                                    "<branch if=\" true \" to=\"small\"/></logic>\n" + ends, vars));
        CHECK(with_code(validate_tree(*t, nullptr), "logic-unmatched").empty());
    }
    SUBCASE("otherwise present") {
        const auto t = parse(tree_xml("g", "route", "  <logic id=\"route\"><branch if=\"n > 1\" to=\"big\"/>"
                                                    "<otherwise to=\"small\"/></logic>\n" + ends, vars));
        CHECK(findings(validate_tree(*t, nullptr)).empty());
    }
}

TEST_CASE("validate: a question whose every answer has a condition may show none") {
    const std::string vars = "    <variable name=\"severity\" type=\"choice\" options=\"high low medium\" default=\"low\"/>\n";
    const auto question = [&](const std::string& choices) {
        return parse(tree_xml("q", "q", "  <question id=\"q\"><text>Which?</text>" + choices +
                                            "</question>\n  <end id=\"done\" outcome=\"resolved\"/>\n",
                              vars));
    };
    SUBCASE("warned: 'medium' matches neither") {
        const auto t = question("<choice to=\"done\" if=\"severity == 'high'\">High</choice>"
                                "<choice to=\"done\" if=\"severity == 'low'\">Low</choice>");
        const auto found = with_code(validate_tree(*t, nullptr), "question-unmatched");
        REQUIRE(found.size() == 1);
        CHECK(found[0].level == severity::warning);
        CHECK(found[0].node_id == "q");
        CHECK(found[0].message.find("add an answer without if") != std::string::npos);
    }
    SUBCASE("an answer without a condition is always there") {
        const auto t = question("<choice to=\"done\" if=\"severity == 'high'\">High</choice>"
                                "<choice to=\"done\">None of these</choice>");
        CHECK(with_code(validate_tree(*t, nullptr), "question-unmatched").empty());
    }
    SUBCASE("a condition and its negation cover every case") {
        const auto t = question("<choice to=\"done\" if=\"severity == 'high'\">High</choice>"
                                "<choice to=\"done\" if=\"not (severity == 'high')\">Other</choice>");
        CHECK(with_code(validate_tree(*t, nullptr), "question-unmatched").empty());
    }
    SUBCASE("a literal true") {
        const auto t = question("<choice to=\"done\" if=\"severity == 'high'\">High</choice>"
                                "<choice to=\"done\" if=\"true\">Other</choice>");
        CHECK(with_code(validate_tree(*t, nullptr), "question-unmatched").empty());
    }
}

TEST_CASE("validate: duplicate choice labels, trimmed and case-insensitive") {
    SUBCASE("warned at the second choice") {
        const auto t = parse(tree_xml("d", "q", R"(
  <question id="q">
    <choice to="done">Yes</choice>
    <choice to="done">No</choice>
    <choice to="done">  yes </choice>
  </question>
  <end id="done" outcome="resolved"/>
)"));
        const auto found = with_code(validate_tree(*t, nullptr), "duplicate-label");
        REQUIRE(found.size() == 1);
        CHECK(found[0].level == severity::warning);
        CHECK(found[0].node_id == "q");
        CHECK(found[0].pos == t->find("q")->choices[2].pos);
        CHECK(found[0].message.find("1 and 3") != std::string::npos);
    }
    SUBCASE("Markdown markers do not make labels different") {
        const auto t = parse(tree_xml("d", "q", R"(
  <question id="q">
    <choice to="done">**Yes**</choice>
    <choice to="done">Yes</choice>
  </question>
  <end id="done" outcome="resolved"/>
)"));
        const auto found = with_code(validate_tree(*t, nullptr), "duplicate-label");
        REQUIRE(found.size() == 1);
        CHECK(found[0].pos == t->find("q")->choices[1].pos);
    }
    SUBCASE("two conditional choices with one label are alternatives") {
        const auto t = parse(tree_xml("d", "q", R"(
  <question id="q">
    <choice to="done" if="vip">Continue</choice>
    <choice to="done" if="not vip">Continue</choice>
  </question>
  <end id="done" outcome="resolved"/>
)", "    <variable name=\"vip\" type=\"flag\" default=\"false\"/>\n"));
        const diagnostics all = validate_tree(*t, nullptr);
        INFO(dump(all));
        CHECK(findings(all).empty());
    }
    SUBCASE("a conditional choice and an unconditional one with one label are warned") {
        const auto t = parse(tree_xml("d", "q", R"(
  <question id="q">
    <choice to="done" if="vip">Continue</choice>
    <choice to="done" if="not vip">Continue</choice>
    <choice to="done">Continue</choice>
  </question>
  <end id="done" outcome="resolved"/>
)", "    <variable name=\"vip\" type=\"flag\" default=\"false\"/>\n"));
        const auto found = with_code(validate_tree(*t, nullptr), "duplicate-label");
        REQUIRE(found.size() == 1);
        CHECK(found[0].pos == t->find("q")->choices[2].pos);
        CHECK(found[0].message.find("1 and 3") != std::string::npos);
    }
    SUBCASE("similar but different labels are fine") {
        const auto t = parse(tree_xml("d", "q", R"(
  <question id="q">
    <choice to="done">Yes</choice>
    <choice to="done">Yes, still down</choice>
  </question>
  <end id="done" outcome="resolved"/>
)"));
        CHECK(findings(validate_tree(*t, nullptr)).empty());
    }
}

// [SECTION] read-before-set

TEST_CASE("validate: read-before-set follows every path from the start") {
    const std::string vars = "    <variable name=\"account\" type=\"text\"/>\n"
                             "    <variable name=\"n\" type=\"number\"/>\n";
    SUBCASE("set on one branch only: warned once, with the path that skips it") {
        const auto t = parse(tree_xml("rb", "q", R"(
  <question id="q">
    <choice to="acct">Has an account</choice>
    <choice to="skip">No account</choice>
  </question>
  <form id="acct" to="done"><field var="account" required="true"/></form>
  <step id="skip" to="done"/>
  <end id="done" outcome="resolved"><text>Account {account}, again {account}.</text></end>
)", vars));
        const diagnostics all = validate_tree(*t, nullptr);
        INFO(dump(all));
        const auto found = with_code(all, "read-before-set");
        REQUIRE(found.size() == 1);
        CHECK(found[0].level == severity::warning);
        CHECK(found[0].node_id == "done");
        CHECK(found[0].field == "text");
        CHECK(found[0].pos == t->find("done")->pos_of("text"));
        CHECK(found[0].message ==
              "'account' may be read before it is set (nothing sets it on the path q -> skip -> done); "
              "give it a default or capture it earlier");
    }
    SUBCASE("set on every branch: fine") {
        const auto t = parse(tree_xml("rb", "q", R"(
  <question id="q">
    <choice to="acct">Has an account</choice>
    <choice to="done" set="account = 'none'">No account</choice>
  </question>
  <form id="acct" to="done"><field var="account" required="true"/></form>
  <end id="done" outcome="resolved"><text>Account {account}.</text></end>
)", vars));
        const diagnostics all = validate_tree(*t, nullptr);
        INFO(dump(all));
        CHECK(findings(all).empty());
    }
    SUBCASE("an optional form field may leave it unset") {
        const auto t = parse(tree_xml("rb", "acct", R"(
  <form id="acct" to="done"><field var="account" required="false"/></form>
  <end id="done" outcome="resolved"><text>Account {account}.</text></end>
)", vars));
        CHECK(with_code(validate_tree(*t, nullptr), "read-before-set").size() == 1);
    }
    SUBCASE("a default counts as set") {
        const auto t = parse(tree_xml("rb", "done", R"(
  <end id="done" outcome="resolved"><text>Account {account}.</text></end>
)", "    <variable name=\"account\" type=\"text\" default=\"unknown\"/>\n"));
        CHECK(findings(validate_tree(*t, nullptr)).empty());
    }
    SUBCASE("conditions, set values and branch conditions are reads") {
        const auto t = parse(tree_xml("rb", "q", R"(
  <question id="q">
    <choice to="route" if="n > 2">Many</choice>
    <choice to="route" set="n = n + 1">More</choice>
  </question>
  <logic id="route"><branch if="account == 'x'" to="done"/><otherwise to="done"/></logic>
  <end id="done" outcome="resolved"/>
)", vars));
        const diagnostics all = validate_tree(*t, nullptr);
        INFO(dump(all));
        const auto found = with_code(all, "read-before-set");
        REQUIRE(found.size() == 2);  // n once on q (if and set), account on route
        CHECK(found[0].node_id == "q");
        CHECK(found[0].field == "if");
        CHECK(found[0].message.find("'n'") == 0);
        CHECK(found[1].node_id == "route");
        CHECK(found[1].message.find("'account'") == 0);
    }
    SUBCASE("a set may read what the same set assigned just before") {
        const auto t = parse(tree_xml("rb", "q", R"(
  <question id="q">
    <choice to="done" set="n = 1; n = n + 1">Go</choice>
  </question>
  <end id="done" outcome="resolved"><text>{n}</text></end>
)", vars));
        const diagnostics all = validate_tree(*t, nullptr);
        INFO(dump(all));
        CHECK(findings(all).empty());
    }
    SUBCASE("a loop back to a node before the assignment does not hide the first pass") {
        const auto t = parse(tree_xml("rb", "top", R"(
  <question id="top">
    <choice to="count">Count</choice>
    <choice to="done">Stop</choice>
  </question>
  <question id="count">
    <text>So far {n}.</text>
    <choice to="top" set="n = 1">Next</choice>
  </question>
  <end id="done" outcome="resolved"/>
)", vars));
        const auto found = with_code(validate_tree(*t, nullptr), "read-before-set");
        REQUIRE(found.size() == 1);
        CHECK(found[0].node_id == "count");
        CHECK(found[0].message.find("nothing sets it on the path top -> count)") != std::string::npos);
    }
}

TEST_CASE("validate: long read-before-set paths are shortened in the message") {
    std::string body = "  <step id=\"s0\" to=\"s1\"/>\n";
    for (int i = 1; i < 10; ++i)
        body += "  <step id=\"s" + std::to_string(i) + "\" to=\"s" + std::to_string(i + 1) + "\"/>\n";
    body += "  <end id=\"s10\" outcome=\"resolved\"><text>{account}</text></end>\n";
    const auto t = parse(tree_xml("long", "s0", body, "    <variable name=\"account\" type=\"text\"/>\n"));
    const auto found = with_code(validate_tree(*t, nullptr), "read-before-set");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message.find("nothing sets it on the path s0 -> ... -> s7 -> s8 -> s9 -> s10)") !=
          std::string::npos);
}

// [SECTION] the library

TEST_CASE("validate: library finds trees by id in its folders, in order, and caches them") {
    temp_folder dir;
    dir.write("first/shared.xml", tree_xml("shared", "e", "  <end id=\"e\" outcome=\"first\"/>\n"));
    dir.write("second/shared.xml", tree_xml("shared", "e", "  <end id=\"e\" outcome=\"second\"/>\n"));
    const std::string only = dir.write("second/only.xml", tree_xml("only", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n"));
    const tree_library lib({(dir.path / "first").string(), (dir.path / "second").string()});

    const auto shared = lib.get("shared");
    REQUIRE(shared.found);
    CHECK(shared.found->nodes[0].outcome == "first");

    const auto first = lib.get("only");
    REQUIRE(first.found);
    std::filesystem::remove(only);
    const auto again = lib.get("only");  // from the cache, although the file is gone
    CHECK(again.found == first.found);
}

TEST_CASE("validate: library reports missing trees with the folders it searched") {
    temp_folder dir;
    const tree_library lib({dir.str(), (dir.path / "nowhere").string()});
    const auto r = lib.get("billing");
    CHECK_FALSE(r.found);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "missing-tree");
    CHECK(r.problems[0].message.find(dir.str()) != std::string::npos);
    CHECK(r.problems[0].message.find("nowhere") != std::string::npos);
}

TEST_CASE("validate: library refuses path-like ids without touching the disk") {
    temp_folder dir;
    // Files sit exactly where a careless lookup would find them.
    dir.write("escape.xml", tree_xml("escape", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n"));
    dir.write("lib/a/b.xml", tree_xml("b", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n"));
    const tree_library lib({(dir.path / "lib").string()});
    for (const std::string id : {"../escape", "a/b", "../../etc/passwd", "", "/etc/passwd", "a\\b"}) {
        CAPTURE(id);
        const auto r = lib.get(id);
        CHECK_FALSE(r.found);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "invalid-tree-ref");
    }
}

TEST_CASE("validate: library prefers added trees and rejects files holding another id") {
    temp_folder dir;
    dir.write("a.xml", tree_xml("a", "e", "  <end id=\"e\" outcome=\"disk\"/>\n"));
    dir.write("wrong.xml", tree_xml("right", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n"));
    dir.write("broken.xml", tree_xml("broken", "nowhere", "  <end id=\"e\" outcome=\"resolved\"/>\n"));
    tree_library lib({dir.str()});
    lib.add(parse(tree_xml("a", "e", "  <end id=\"e\" outcome=\"memory\"/>\n")));
    const auto a = lib.get("a");
    REQUIRE(a.found);
    CHECK(a.found->nodes[0].outcome == "memory");

    const auto wrong = lib.get("wrong");
    CHECK_FALSE(wrong.found);
    REQUIRE_FALSE(wrong.problems.empty());
    CHECK(wrong.problems.back().message.find("'right'") != std::string::npos);

    const auto broken = lib.get("broken");
    CHECK_FALSE(broken.found);
    CHECK(has_errors(broken.problems));
}

// [SECTION] jumps across the library

TEST_CASE("validate: jumps across a library folder") {
    temp_folder dir;
    tree_library lib({dir.str()});
    const auto jumper = [](const std::string& target, const std::string& to_attr) {
        return tree_xml("main", "j",
                        "  <jump id=\"j\" tree=\"" + target + "\"" + to_attr + "/>\n"
                        "  <end id=\"done\" outcome=\"resolved\"/>\n");
    };

    SUBCASE("missing-tree, only with a library") {
        const auto t = parse(jumper("ghost", " to=\"done\""));
        const auto found = with_code(validate_tree(*t, &lib), "missing-tree");
        REQUIRE(found.size() == 1);
        CHECK(found[0].level == severity::error);
        CHECK(found[0].node_id == "j");
        CHECK(found[0].field == "tree");
        CHECK(found[0].pos == t->find("j")->pos_of("tree"));
        CHECK(found[0].message.find("ghost") != std::string::npos);
        CHECK(found[0].message.find("add the tree to the library or fix the id") != std::string::npos);
        CHECK(findings(validate_tree(*t, nullptr)).empty());
    }
    SUBCASE("a tree named by its file name is told to drop the .xml") {
        dir.write("sub.xml", tree_xml("sub", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n"));
        const auto t = parse(jumper("sub.xml", " to=\"done\""));
        const auto found = with_code(validate_tree(*t, &lib), "missing-tree");
        REQUIRE(found.size() == 1);
        CHECK(found[0].message.find("write the tree's id without .xml: 'sub'") != std::string::npos);
    }
    SUBCASE("a broken target is missing too, and the fix is in its file") {
        const std::string bad = dir.write("bad.xml", tree_xml("bad", "nowhere", "  <end id=\"e\" outcome=\"resolved\"/>\n"));
        const auto t = parse(jumper("bad", " to=\"done\""));
        const auto found = with_code(validate_tree(*t, &lib), "missing-tree");
        REQUIRE(found.size() == 1);
        // It was found: adding it to the library or changing the id would not help.
        CHECK(found[0].message.find("fix the errors in " + bad) != std::string::npos);
        CHECK(found[0].message.find("add the tree") == std::string::npos);
    }
    SUBCASE("a good target is fine") {
        dir.write("sub.xml", tree_xml("sub", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n"));
        const auto t = parse(jumper("sub", ""));
        const diagnostics all = validate_tree(*t, &lib);
        INFO(dump(all));
        CHECK(with_code(all, "missing-tree").empty());
        CHECK(with_code(all, "dead-end").empty());
    }
    SUBCASE("path-stats follows jumps into other trees") {
        // Three questions inside the sub-tree: jump (1) + its path (4) + done (1).
        dir.write("sub.xml", tree_xml("sub", "q1",
                                      "  <question id=\"q1\"><choice to=\"q2\">A</choice></question>\n"
                                      "  <question id=\"q2\"><choice to=\"q3\">A</choice></question>\n"
                                      "  <question id=\"q3\"><choice to=\"e\">A</choice></question>\n"
                                      "  <end id=\"e\" outcome=\"resolved\"/>\n"));
        const auto t = parse(jumper("sub", " to=\"done\""));
        const auto with_library = with_code(validate_tree(*t, &lib), "path-stats");
        REQUIRE(with_library.size() == 1);
        CHECK(with_library[0].message == "longest path: 6 steps, 3 questions on the worst path");
        // Without the library the sub-tree is unknown: only this tree's nodes count.
        const auto alone = with_code(validate_tree(*t, nullptr), "path-stats");
        REQUIRE(alone.size() == 1);
        CHECK(alone[0].message == "longest path: 2 steps, 0 questions on the worst path");
    }
    SUBCASE("path-stats: a sub-tree that only escalates does not come back to `to`") {
        dir.write("esc.xml", tree_xml("esc", "q",
                                      "  <question id=\"q\"><choice to=\"x\">A</choice></question>\n"
                                      "  <escalate id=\"x\" team=\"Tier 2\"/>\n"));
        const auto t = parse(tree_xml("main", "j",
                                      "  <jump id=\"j\" tree=\"esc\" to=\"s\"/>\n"
                                      "  <step id=\"s\" to=\"done\"/>\n"
                                      "  <end id=\"done\" outcome=\"resolved\"/>\n"));
        const auto stats = with_code(validate_tree(*t, &lib), "path-stats");
        REQUIRE(stats.size() == 1);
        CHECK(stats[0].message == "longest path: 3 steps, 1 question on the worst path");
    }
    SUBCASE("path-stats: a jump back into the tree being walked adds nothing") {
        const auto t = parse(tree_xml("main", "q",
                                      "  <question id=\"q\"><choice to=\"j\">A</choice></question>\n"
                                      "  <jump id=\"j\" tree=\"main\" to=\"done\"/>\n"
                                      "  <end id=\"done\" outcome=\"resolved\"/>\n"));
        lib.add(t);
        const auto stats = with_code(validate_tree(*t, &lib), "path-stats");
        REQUIRE(stats.size() == 1);
        CHECK(stats[0].message == "longest path: 3 steps, 1 question on the worst path");
    }
    SUBCASE("path-stats: lengths that double with every tree saturate instead of overflowing") {
        // t0 is two steps; each next tree jumps twice into the one before: L(k) = 2 L(k-1) + 3.
        dir.write("t0.xml", tree_xml("t0", "s", "  <step id=\"s\" to=\"e\"/>\n  <end id=\"e\" outcome=\"resolved\"/>\n"));
        for (int k = 1; k <= 70; ++k) {
            const std::string prev = "t" + std::to_string(k - 1);
            const std::string id = "t" + std::to_string(k);
            dir.write(id + ".xml", tree_xml(id, "a",
                                            "  <jump id=\"a\" tree=\"" + prev + "\" to=\"b\"/>\n"
                                            "  <jump id=\"b\" tree=\"" + prev + "\" to=\"e\"/>\n"
                                            "  <end id=\"e\" outcome=\"resolved\"/>\n"));
        }
        const auto t = lib.get("t70").found;
        REQUIRE(t != nullptr);
        const auto stats = with_code(validate_tree(*t, &lib), "path-stats");
        REQUIRE(stats.size() == 1);
        CHECK(stats[0].message == "longest path: more than 10^19 steps, 0 questions on the worst path");
        const auto small = with_code(validate_tree(*lib.get("t3").found, &lib), "path-stats");
        REQUIRE(small.size() == 1);
        CHECK(small[0].message == "longest path: 37 steps, 0 questions on the worst path");
    }
    SUBCASE("jump-cycle through another tree") {
        dir.write("b.xml", tree_xml("b", "jb", "  <jump id=\"jb\" tree=\"main\"/>\n"));
        const auto t = parse(jumper("b", " to=\"done\""));
        lib.add(t);
        const auto found = with_code(validate_tree(*t, &lib), "jump-cycle");
        REQUIRE(found.size() == 1);
        CHECK(found[0].node_id == "j");
        CHECK(found[0].pos == t->find("j")->pos_of("tree"));
        CHECK(found[0].message.find("main -> b -> main") != std::string::npos);
    }
    SUBCASE("jump-cycle further down the chain") {
        dir.write("b.xml", tree_xml("b", "jb", "  <jump id=\"jb\" tree=\"c\"/>\n"));
        dir.write("c.xml", tree_xml("c", "jc", "  <jump id=\"jc\" tree=\"b\"/>\n"));
        const auto t = parse(jumper("b", " to=\"done\""));
        const auto found = with_code(validate_tree(*t, &lib), "jump-cycle");
        REQUIRE(found.size() == 1);
        CHECK(found[0].message.find("main -> b -> c -> b") != std::string::npos);
    }
    SUBCASE("a tree jumped into twice without a cycle is fine") {
        dir.write("leaf.xml", tree_xml("leaf", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n"));
        dir.write("mid.xml", tree_xml("mid", "j1", "  <jump id=\"j1\" tree=\"leaf\" to=\"j2\"/>\n"
                                                   "  <jump id=\"j2\" tree=\"leaf\"/>\n"));
        const auto t = parse(tree_xml("main", "a", "  <jump id=\"a\" tree=\"mid\" to=\"b\"/>\n"
                                                  "  <jump id=\"b\" tree=\"leaf\"/>\n"));
        const diagnostics all = validate_tree(*t, &lib);
        INFO(dump(all));
        CHECK(findings(all).empty());
    }
    SUBCASE("jump-variable-type") {
        dir.write("sub.xml", tree_xml("sub", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n",
                                      "    <variable name=\"account\" type=\"number\"/>\n"
                                      "    <variable name=\"same\" type=\"flag\"/>\n"));
        const auto t = parse(tree_xml("main", "j",
                                      "  <jump id=\"j\" tree=\"sub\" to=\"done\"/>\n"
                                      "  <end id=\"done\" outcome=\"resolved\"/>\n",
                                      "    <variable name=\"account\" type=\"text\" default=\"x\"/>\n"
                                      "    <variable name=\"same\" type=\"flag\" default=\"false\"/>\n"));
        const auto found = with_code(validate_tree(*t, &lib), "jump-variable-type");
        REQUIRE(found.size() == 1);
        CHECK(found[0].level == severity::error);
        CHECK(found[0].pos == t->variables[0].pos);
        CHECK(found[0].message.find("'account'") != std::string::npos);
        CHECK(found[0].message.find("'sub'") != std::string::npos);
    }
    SUBCASE("jump-variable-private") {
        dir.write("sub.xml", tree_xml("sub", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n",
                                      "    <variable name=\"pin\" type=\"text\" private=\"true\"/>\n"
                                      "    <variable name=\"both\" type=\"text\" private=\"true\"/>\n"));
        const auto t = parse(tree_xml("main", "j",
                                      "  <jump id=\"j\" tree=\"sub\" to=\"done\"/>\n"
                                      "  <end id=\"done\" outcome=\"resolved\"/>\n",
                                      "    <variable name=\"pin\" type=\"text\"/>\n"
                                      "    <variable name=\"both\" type=\"text\" private=\"true\"/>\n"));
        const auto found = with_code(validate_tree(*t, &lib), "jump-variable-private");
        REQUIRE(found.size() == 1);
        CHECK(found[0].level == severity::warning);
        CHECK(found[0].pos == t->variables[0].pos);
        CHECK(found[0].message ==
              "variable 'pin' is private in tree 'sub' but not in tree 'main' (reached by jump 'j'); the trees share one "
              "value per name, and a form where it is not private logs it: declare it private in both");
    }
    SUBCASE("jump-variable-type between two jumped-into trees") {
        dir.write("s1.xml", tree_xml("s1", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n",
                                     "    <variable name=\"v\" type=\"number\"/>\n"));
        dir.write("s2.xml", tree_xml("s2", "e", "  <end id=\"e\" outcome=\"resolved\"/>\n",
                                     "    <variable name=\"v\" type=\"text\"/>\n"));
        const auto t = parse(tree_xml("main", "a", "  <jump id=\"a\" tree=\"s1\" to=\"b\"/>\n"
                                                  "  <jump id=\"b\" tree=\"s2\"/>\n"));
        const auto found = with_code(validate_tree(*t, &lib), "jump-variable-type");
        REQUIRE(found.size() == 1);
        CHECK(found[0].node_id == "b");
    }
    SUBCASE("a jump without `to` into a tree that never ends is a dead end") {
        dir.write("forever.xml", tree_xml("forever", "x", "  <step id=\"x\" to=\"x\"/>\n"));
        const auto t = parse(jumper("forever", ""));
        const auto found = with_code(validate_tree(*t, &lib), "dead-end");
        REQUIRE(found.size() == 1);
        CHECK(found[0].node_id == "j");
        CHECK(found[0].message.find("'forever'") != std::string::npos);
    }
    SUBCASE("a jump with `to` into a tree that never ends is a dead end") {
        dir.write("forever.xml", tree_xml("forever", "x", "  <step id=\"x\" to=\"x\"/>\n"));
        const auto t = parse(jumper("forever", " to=\"done\""));
        const diagnostics all = validate_tree(*t, &lib);
        INFO(dump(all));
        const auto found = with_code(all, "dead-end");
        REQUIRE(found.size() == 1);
        CHECK(found[0].level == severity::error);
        CHECK(found[0].node_id == "j");
        CHECK(found[0].message.find("the tree 'forever' this jump runs can never reach an end or escalate") !=
              std::string::npos);
        CHECK(with_code(all, "inescapable-loop").empty());
    }
    SUBCASE("a jump with `to` into a tree that only escalates never continues to `to`") {
        dir.write("handoff.xml", tree_xml("handoff", "x", "  <escalate id=\"x\" team=\"Tier 2\"/>\n"));
        const auto t = parse(tree_xml("main", "j",
                                      "  <jump id=\"j\" tree=\"handoff\" to=\"after\"/>\n"
                                      "  <step id=\"after\" to=\"done\"/>\n"
                                      "  <end id=\"done\" outcome=\"resolved\"/>\n"));
        const diagnostics all = validate_tree(*t, &lib);
        INFO(dump(all));
        const auto found = with_code(all, "unreachable");
        REQUIRE(found.size() == 2);
        CHECK(found[0].node_id == "after");
        CHECK(found[1].node_id == "done");
        CHECK(with_code(all, "dead-end").empty());
    }
    SUBCASE("a jump with `to` into a tree that may end is fine") {
        dir.write("maybe.xml", tree_xml("maybe", "q",
                                        "  <question id=\"q\"><choice to=\"e\">Ok</choice><choice to=\"x\">Not</choice></question>\n"
                                        "  <end id=\"e\" outcome=\"resolved\"/>\n"
                                        "  <escalate id=\"x\" team=\"Tier 2\"/>\n"));
        const diagnostics all = validate_tree(*parse(jumper("maybe", " to=\"done\"")), &lib);
        INFO(dump(all));
        CHECK(findings(all).empty());
    }
    SUBCASE("a jump carries the variables its tree always sets") {
        const std::string vars = "    <variable name=\"account\" type=\"text\"/>\n";
        const std::string main_xml = tree_xml("main", "j",
                                              "  <jump id=\"j\" tree=\"ident\" to=\"done\"/>\n"
                                              "  <end id=\"done\" outcome=\"resolved\"><text>{account}</text></end>\n",
                                              vars);
        SUBCASE("set on every path to its ends") {
            dir.write("ident.xml", tree_xml("ident", "f",
                                            "  <form id=\"f\" to=\"ok\"><field var=\"account\" required=\"true\"/></form>\n"
                                            "  <end id=\"ok\" outcome=\"resolved\"/>\n"
                                            "  <escalate id=\"no\" team=\"x\"/>\n",
                                            vars));
            const diagnostics all = validate_tree(*parse(main_xml), &lib);
            INFO(dump(all));
            CHECK(with_code(all, "read-before-set").empty());
        }
        SUBCASE("an end the assignment can skip") {
            dir.write("ident.xml", tree_xml("ident", "q",
                                            "  <question id=\"q\"><choice to=\"f\">Known</choice><choice to=\"ok\">Not</choice></question>\n"
                                            "  <form id=\"f\" to=\"ok\"><field var=\"account\" required=\"true\"/></form>\n"
                                            "  <end id=\"ok\" outcome=\"resolved\"/>\n",
                                            vars));
            CHECK(with_code(validate_tree(*parse(main_xml), &lib), "read-before-set").size() == 1);
        }
        SUBCASE("without a library nothing is known to be set") {
            CHECK(with_code(validate_tree(*parse(main_xml), nullptr), "read-before-set").size() == 1);
        }
    }
}

TEST_CASE("validate: the broken corpus files of the validator load cleanly and trigger their code") {
    const std::string folder = std::string(SIGNPOST_TEST_DATA) + "/broken";
    const tree_library lib({folder});
    for (const std::string code : {"dead-end", "inescapable-loop", "missing-tree", "jump-cycle", "jump-variable-type",
                                   "unreachable", "logic-unmatched", "duplicate-label", "read-before-set"}) {
        CAPTURE(code);
        const load_result r = load_tree_file(folder + "/" + code + ".xml");
        REQUIRE(r.ok());  // validator files carry no loader errors
        CHECK_FALSE(with_code(validate_tree(*r.loaded, &lib), code).empty());
    }
}

// [SECTION] scale

namespace {

// A chain of `n` steps ending in one end node, with a read of an unset variable at the
// end and a loop back from the middle: deep enough to overflow any recursive walk.
std::shared_ptr<tree> big_chain(int n) {
    auto t = std::make_shared<tree>();
    t->id = "big";
    t->start = "n0";
    variable v;
    v.name = "account";
    t->variables.push_back(v);
    t->nodes.reserve(static_cast<std::size_t>(n) + 1);
    for (int i = 0; i < n; ++i) {
        node nd;
        nd.id = "n" + std::to_string(i);
        if (i == n / 2) {
            nd.kind = node_kind::question;
            choice on, back;
            on.to = "n" + std::to_string(i + 1);
            on.label = "On";
            back.to = "n0";
            back.label = "Back";
            nd.choices = {on, back};
        } else {
            nd.kind = node_kind::step;
            nd.to = "n" + std::to_string(i + 1);
        }
        t->nodes.push_back(std::move(nd));
    }
    node last;
    last.kind = node_kind::end;
    last.id = "n" + std::to_string(n);
    last.outcome = "resolved";
    last.text = "Account {account}";
    t->nodes.push_back(std::move(last));
    t->reindex();
    return t;
}

}  // namespace

TEST_CASE("validate: a 100k-node tree validates without deep recursion, in reasonable time") {
    const auto t = big_chain(100000);
    const auto began = std::chrono::steady_clock::now();
    const diagnostics all = validate_tree(*t, nullptr);
    const auto took = std::chrono::steady_clock::now() - began;
    INFO(dump(findings(all)));
    CHECK(std::chrono::duration_cast<std::chrono::seconds>(took).count() < 10);
    const auto reads = with_code(all, "read-before-set");
    REQUIRE(reads.size() == 1);
    CHECK(reads[0].message.find("n0 -> ... -> n99997 -> n99998 -> n99999 -> n100000") != std::string::npos);
    const auto stats = with_code(all, "path-stats");
    REQUIRE(stats.size() == 1);
    CHECK(stats[0].message == "longest path: 100001 steps, 1 question on the worst path");
    CHECK(findings(all).size() == 1);

    SUBCASE("and the same chain looping forever") {
        t->nodes.back().kind = node_kind::step;
        t->nodes.back().to = "n0";
        const diagnostics loop = validate_tree(*t, nullptr);
        const auto loops = with_code(loop, "inescapable-loop");
        REQUIRE(loops.size() == 1);
        CHECK(loops[0].node_id == "n0");
        CHECK(loops[0].message.find("and 99993 more") != std::string::npos);
    }
}
