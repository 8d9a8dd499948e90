// The XML loader, the tree model and diagnostics. Fixtures are inline XML; the broken
// corpus under tests/data/broken holds one small file per diagnostic code.

#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <variant>

#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"
#include "signpost/text.hpp"
#include "signpost/validate.hpp"
#include "slowdown.hpp"

using namespace signpost;

namespace doctest {
template <>
struct StringMaker<signpost::source_pos> {
    static String convert(const signpost::source_pos& p) {
        return (std::to_string(p.line) + ":" + std::to_string(p.column)).c_str();
    }
};
}  // namespace doctest

namespace {

// [SECTION] helpers

load_result load(const std::string& xml) { return load_tree_string(xml, "t.xml"); }

std::string dump(const diagnostics& all) {
    std::string out;
    for (const auto& d : all) out += format(d) + "\n";
    return out;
}

// The diagnostics with this code.
std::vector<diagnostic> with_code(const diagnostics& all, const std::string& code) {
    std::vector<diagnostic> out;
    for (const auto& d : all)
        if (d.code == code) out.push_back(d);
    return out;
}

// The one diagnostic with `code`; fails the test when there is not exactly one.
diagnostic only(const load_result& r, const std::string& code) {
    INFO(dump(r.problems));
    const auto found = with_code(r.problems, code);
    REQUIRE(found.size() == 1);
    return found.front();
}

// Three declared variables, an end node "a" (the start) on line 7, then `body` from line 8.
std::string with_body(const std::string& body) {
    return "<tree format=\"1\" id=\"t\" start=\"a\">\n"
           "  <variables>\n"
           "    <variable name=\"n\" type=\"number\" default=\"0\"/>\n"
           "    <variable name=\"plan\" type=\"choice\" options=\"basic plus\"/>\n"
           "    <variable name=\"account\" type=\"text\" label=\"Account number\"/>\n"
           "  </variables>\n"
           "  <end id=\"a\" outcome=\"resolved\"/>\n" +
           body + "</tree>\n";
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// A fresh folder under the system temp dir, removed afterwards.
struct temp_folder {
    std::filesystem::path path;
    temp_folder() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("signpost-load-" + std::to_string(rd()) + "-" + std::to_string(rd()));
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
        std::ofstream(file, std::ios::binary) << content;
        return file.string();
    }
};

// Time budgets are for optimised builds; sanitizer builds run several times slower
// (slowdown.hpp). The budgets only catch super-linear work.
constexpr double slow = signpost::test::slowdown;

double seconds_since(std::chrono::steady_clock::time_point began) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
}

}  // namespace

// [SECTION] diagnostics

TEST_CASE("load: diagnostics format like a compiler") {
    diagnostic d{severity::error, "unknown-target", "choice goes to 'x'", "trees/a.xml", {12, 5}, "q", "to"};
    CHECK(format(d) == "trees/a.xml:12:5: error: choice goes to 'x' [unknown-target]");
    d.level = severity::warning;
    d.pos = {3, 0};
    CHECK(format(d) == "trees/a.xml:3: warning: choice goes to 'x' [unknown-target]");
    d.level = severity::info;
    d.pos = {};
    CHECK(format(d) == "trees/a.xml: info: choice goes to 'x' [unknown-target]");
    d.file.clear();
    CHECK(format(d) == "info: choice goes to 'x' [unknown-target]");
    CHECK(std::string(to_string(severity::error)) == "error");
    CHECK(std::string(to_string(severity::warning)) == "warning");
    CHECK(std::string(to_string(severity::info)) == "info");

    diagnostics list;
    CHECK_FALSE(has_errors(list));
    list.push_back({severity::warning, "many-choices", "", "", {}, "", ""});
    list.push_back({severity::info, "path-stats", "", "", {}, "", ""});
    CHECK_FALSE(has_errors(list));
    list.push_back({severity::error, "dead-end", "", "", {}, "", ""});
    CHECK(has_errors(list));
}

TEST_CASE("load: position_at counts lines and code points, 1-based") {
    const std::string text = "ab\ncaf\xC3\xA9 x\n\tz";
    CHECK(position_at(text, 0) == source_pos{1, 1});
    CHECK(position_at(text, 2) == source_pos{1, 3});   // the newline itself
    CHECK(position_at(text, 3) == source_pos{2, 1});
    CHECK(position_at(text, 6) == source_pos{2, 4});   // the é
    CHECK(position_at(text, 9) == source_pos{2, 6});   // 'x': é is one column
    CHECK(position_at(text, 11) == source_pos{3, 1});  // tab
    CHECK(position_at(text, 12) == source_pos{3, 2});  // a tab is one column
    CHECK(position_at(text, 500) == source_pos{3, 3});  // past the end: clamped
    CHECK(position_at("", 0) == source_pos{1, 1});
}

TEST_CASE("load: position_at does not count a byte order mark") {
    const std::string text = "\xEF\xBB\xBF<a>\n<b>";
    CHECK(position_at(text, 3) == source_pos{1, 1});  // the '<' after the BOM
    CHECK(position_at(text, 4) == source_pos{1, 2});
    CHECK(position_at(text, 7) == source_pos{2, 1});
    CHECK(position_at(text, 0) == source_pos{1, 1});  // inside the BOM: the start
    CHECK(position_at(text, 2) == source_pos{1, 1});
    // Only at the very start: elsewhere U+FEFF is a character like any other.
    CHECK(position_at("a\xEF\xBB\xBF" "b", 4) == source_pos{1, 3});
}

TEST_CASE("load: closest_match suggests only close candidates") {
    const std::vector<std::string> ids{"lights", "reboot", "tier2", "power"};
    CHECK(closest_match("lihgts", ids) == "lights");   // a swap of two neighbours: distance 1
    CHECK(closest_match("ligths", ids) == "lights");
    CHECK(closest_match("tier-2", ids) == "tier2");
    CHECK(closest_match("rebot", ids) == "reboot");
    CHECK(closest_match("powr", ids) == "power");      // limit max(1, 4/3) = 1
    CHECK(closest_match("pwr", ids) == "");             // distance 2 > 1
    CHECK(closest_match("billing", ids) == "");
    CHECK(closest_match("x", {}) == "");
    CHECK(closest_match("", ids) == "");
    SUBCASE("case-only differences win") {
        CHECK(closest_match("Plan", {"plant", "plan"}) == "plan");
        CHECK(closest_match("ACCOUNT", {"accounts", "account"}) == "account");
        CHECK(closest_match("Abc", {"abd", "Abd"}) == "Abd");
    }
    SUBCASE("ties go to the first candidate") {
        CHECK(closest_match("cat", {"bat", "hat"}) == "bat");
        CHECK(closest_match("cat", {"hat", "bat"}) == "hat");
    }
    SUBCASE("swapped neighbours count as one edit") {
        // Short words allow one edit only: a swap must not count as two.
        CHECK(closest_match("hnit", {"text", "hint"}) == "hint");
        CHECK(closest_match("from", {"form", "field"}) == "form");
        CHECK(closest_match("tiem2", ids) == "tier2");  // a substitution: one edit either way
        CHECK(closest_match("lgihts", {"nights", "lights"}) == "lights");  // swap (1) beats substitution (2)
        CHECK(closest_match("ab", {"ba"}) == "ba");
        CHECK(closest_match("abc", {"cab"}) == "");  // a swap and a move: 2 > limit 1
        CHECK(closest_match("Lgihts", {"lights"}) == "lights");  // case-folded swaps too
    }
    SUBCASE("a huge word costs nothing and matches nothing") {
        CHECK(closest_match(std::string(10'000'000, 'a'), ids) == "");
    }
}

// [SECTION] tree model

TEST_CASE("load: node kinds, ids and the tree's indexes") {
    for (const auto k : {node_kind::question, node_kind::step, node_kind::form, node_kind::logic, node_kind::jump,
                         node_kind::escalate, node_kind::end})
        CHECK(parse_node_kind(to_string(k)) == k);
    CHECK(std::string(to_string(node_kind::escalate)) == "escalate");
    CHECK_FALSE(parse_node_kind("Step").has_value());
    CHECK_FALSE(parse_node_kind("").has_value());

    SUBCASE("is_valid_id") {
        for (const char* good : {"a", "internet-outage", "v1.2_final", "0day"}) CHECK_MESSAGE(is_valid_id(good), good);
        CHECK(is_valid_id(std::string(128, 'x')));
        for (const char* bad : {"", "-a", ".hidden", "_a", "a..b", "../x", "a/b", "a\\b", "/etc/passwd", "C:x",
                                "a b", "caf\xC3\xA9", "a\nb", "~user"})
            CHECK_MESSAGE(!is_valid_id(bad), bad);
        CHECK_FALSE(is_valid_id(std::string(129, 'x')));
    }

    SUBCASE("find, index_of, find_variable, find_layout, successors") {
        tree t;
        node q;
        q.kind = node_kind::question;
        q.id = "q";
        q.choices.resize(3);
        q.choices[0].to = "b";
        q.choices[1].to = "a";
        q.choices[2].to = "b";
        node a;
        a.id = "a";
        a.kind = node_kind::logic;
        a.branches.resize(1);
        a.branches[0].to = "q";
        a.otherwise = "b";
        node b;
        b.id = "b";
        b.kind = node_kind::step;
        b.to = "a";
        t.nodes = {q, a, b};
        variable v;
        v.name = "plan";
        v.type = var_type::choice;
        v.options = {"basic", "plus"};
        t.variables = {v};
        t.layout = {{"a", 1, 2}, {"b", 3, 4}};
        t.reindex();

        CHECK(t.index_of("b") == 2);
        CHECK(t.index_of("zz") == -1);
        REQUIRE(t.find("a") != nullptr);
        CHECK(t.find("a")->kind == node_kind::logic);
        CHECK(t.find("zz") == nullptr);
        CHECK(t.find_variable("plan") == &t.variables[0]);
        CHECK(t.find_variable("Plan") == nullptr);
        REQUIRE(t.find_layout("b") != nullptr);
        CHECK(t.find_layout("b")->x == 3);
        CHECK(t.find_layout("q") == nullptr);
        CHECK(t.successors(t.nodes[0]) == std::vector<std::string>{"b", "a"});
        CHECK(t.successors(t.nodes[1]) == std::vector<std::string>{"q", "b"});
        CHECK(t.successors(t.nodes[2]) == std::vector<std::string>{"a"});

        const tree_type_scope scope(t);
        CHECK(scope.type_of("plan") == var_type::choice);
        CHECK_FALSE(scope.type_of("nope").has_value());
        CHECK(scope.options_of("plan") == std::vector<std::string>{"basic", "plus"});
        CHECK(scope.options_of("nope").empty());

        // Edited without reindex(): lookups still answer correctly.
        std::swap(t.nodes[0], t.nodes[2]);
        REQUIRE(t.find("b") != nullptr);
        CHECK(t.find("b")->id == "b");
        CHECK(t.index_of("q") == 2);
        t.layout.insert(t.layout.begin(), layout_entry{"q", 9, 9});
        REQUIRE(t.find_layout("b") != nullptr);
        CHECK(t.find_layout("b")->x == 3);
        CHECK(t.find_layout("q")->x == 9);
    }

    SUBCASE("pos_of falls back to the element") {
        node n;
        n.pos = {4, 3};
        n.attr_pos["to"] = {4, 20};
        CHECK(n.pos_of("to") == source_pos{4, 20});
        CHECK(n.pos_of("title") == source_pos{4, 3});
    }

    SUBCASE("positions by name: the format's names, any other name, and more than fit inline") {
        attribute_positions a;
        const std::vector<std::string> names{"id",   "title", "to",        "tree",  "team",  "priority",
                                             "outcome", "text", "otherwise", "hint", "x-note", "a-very-long-attribute-name"};
        for (std::size_t i = 0; i < names.size(); ++i) a[names[i]] = {static_cast<int>(i) + 1, 7};
        CHECK(a.size() == names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            CAPTURE(names[i]);
            REQUIRE(a.find(names[i]) != nullptr);
            CHECK(a.find(names[i])->line == static_cast<int>(i) + 1);
        }
        CHECK(a.find("nothing") == nullptr);
        a["to"].column = 99;  // an existing name is updated, not added twice
        CHECK(a.size() == names.size());
        CHECK(a.find("to")->column == 99);

        // Equal: the same names at the same places, whatever the order they were added in.
        attribute_positions b;
        for (std::size_t i = names.size(); i-- > 0;) b[names[i]] = {static_cast<int>(i) + 1, 7};
        CHECK_FALSE(a == b);
        b["to"].column = 99;
        CHECK(a == b);
        b.clear();
        CHECK(b.empty());
        CHECK(b.find("id") == nullptr);
    }

    SUBCASE("the index keeps the first of duplicate ids and finds every one of many") {
        tree t;
        for (int i = 0; i < 5000; ++i) {
            node n;
            n.id = "node-" + std::to_string(i);
            t.nodes.push_back(n);
        }
        node again;
        again.id = "node-17";
        t.nodes.push_back(again);
        t.reindex();
        for (int i = 0; i < 5000; ++i) CHECK(t.index_of("node-" + std::to_string(i)) == i);
        CHECK(t.index_of("node-5000") == -1);
        CHECK(t.index_of("") == -1);
        // Renamed without reindex(): the old name is gone, not answered with the wrong node.
        t.nodes[3].id = "renamed";
        CHECK(t.find("node-3") == nullptr);
    }
}

// [SECTION] a correct tree

TEST_CASE("load: a full tree loads with exact model contents") {
    const std::string xml =
        R"(<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="internet-outage" version="3" title="Home internet outage" start="power" allow-find="true">
  <description>
    Tier 1 script for {plan} customers.
      Indented line.
  </description>
  <variables>
    <variable name="plan" type="choice" options="basic  plus business" default="basic" label="Plan"/>
    <variable name="reboots" type="number" default="0"/>
    <variable name="account" type="text" label="Account number"/>
    <variable name="vip" type="flag" default="false"/>
  </variables>
  <question id="power" title="Router power light">
    <text>Ask: is the **power light** lit?</text>
    <hint>Agent-only note.</hint>
    <choice to="lights">Yes, it is lit</choice>
    <choice to="reboot" set="reboots = reboots + 1; vip = not vip">No</choice>
    <choice to="tier2" if=" plan == 'business' ">Business line, {plan}</choice>
  </question>
  <step id="reboot" to="power"><text>Unplug the router.</text></step>
  <form id="acct" title="Account" to="route"><text>Ask for the number.</text><field var="account" label="Account no." required="true" pattern="[0-9]{8}" placeholder="8 digits"/><field var="plan"/><field var="reboots" required="false"/></form>
  <logic id="route"><branch if="reboots &gt;= 2" to="tier2"/><otherwise to="lights"/></logic>
  <jump id="verify" tree="identity-verification" to="acct"/>
  <jump id="handover" tree="billing"/>
  <escalate id="tier2" team="Network Tier 2" priority="high"><text>Hand off: account {account}, {reboots} reboots.</text></escalate>
  <escalate id="tier3" team="Field"/>
  <end id="lights" outcome="resolved"><text>Thank the customer.</text></end>
  <layout><pos node="power" x="0" y="-12.5"/><pos node="reboot" x="280" y="0"/></layout>
</tree>
)";
    const load_result r = load_tree_string(xml, "trees/internet-outage.xml");
    INFO(dump(r.problems));
    CHECK(r.problems.empty());
    REQUIRE(r.ok());
    const tree& t = *r.loaded;

    CHECK(t.format == 1);
    CHECK(t.id == "internet-outage");
    CHECK(t.version == 3);
    CHECK(t.title == "Home internet outage");
    CHECK(t.start == "power");
    CHECK(t.allow_find);
    CHECK(t.file == "trees/internet-outage.xml");
    CHECK(t.pos == source_pos{2, 1});
    CHECK(t.description == "Tier 1 script for {plan} customers.\n  Indented line.");

    REQUIRE(t.variables.size() == 4);
    const variable& plan = t.variables[0];
    CHECK(plan.name == "plan");
    CHECK(plan.type == var_type::choice);
    CHECK(plan.options == std::vector<std::string>{"basic", "plus", "business"});
    CHECK(plan.default_text == "basic");
    CHECK(plan.default_value == value{std::string("basic")});
    CHECK(plan.label == "Plan");
    CHECK(plan.pos == source_pos{8, 5});
    CHECK(t.variables[1].type == var_type::number);
    CHECK(t.variables[1].default_value == value{0.0});
    CHECK(t.variables[2].type == var_type::text);
    CHECK_FALSE(t.variables[2].default_text.has_value());
    CHECK_FALSE(t.variables[2].default_value.has_value());
    CHECK(t.variables[2].label == "Account number");
    CHECK(t.variables[3].type == var_type::flag);
    CHECK(t.variables[3].default_value == value{false});
    CHECK(t.variables[3].label.empty());

    REQUIRE(t.nodes.size() == 9);
    std::vector<std::string> ids;
    for (const auto& n : t.nodes) ids.push_back(n.id);
    CHECK(ids == std::vector<std::string>{"power", "reboot", "acct", "route", "verify", "handover", "tier2", "tier3",
                                          "lights"});

    const node& power = t.nodes[0];
    CHECK(power.kind == node_kind::question);
    CHECK(power.title == "Router power light");
    CHECK(power.text == "Ask: is the **power light** lit?");
    CHECK(power.hint == "Agent-only note.");
    CHECK(power.pos == source_pos{13, 3});
    CHECK(power.pos_of("id") == source_pos{13, 13});
    CHECK(power.pos_of("title") == source_pos{13, 24});
    CHECK(power.pos_of("text") == source_pos{14, 5});
    CHECK(power.pos_of("hint") == source_pos{15, 5});
    REQUIRE(power.choices.size() == 3);
    CHECK(power.choices[0].label == "Yes, it is lit");
    CHECK(power.choices[0].to == "lights");
    CHECK_FALSE(power.choices[0].condition.has_value());
    CHECK(power.choices[0].sets.empty());
    CHECK(power.choices[0].set_source.empty());
    CHECK(power.choices[0].pos == source_pos{16, 5});
    CHECK(power.choices[1].set_source == "reboots = reboots + 1; vip = not vip");
    REQUIRE(power.choices[1].sets.size() == 2);
    CHECK(power.choices[1].sets[0].variable == "reboots");
    CHECK(power.choices[1].sets[0].value.source() == "reboots + 1");
    CHECK(power.choices[1].sets[1].variable == "vip");
    REQUIRE(power.choices[2].condition.has_value());
    CHECK_FALSE(power.choices[2].condition->empty());
    CHECK(power.choices[2].condition->source() == "plan == 'business'");  // trimmed
    CHECK(power.choices[2].label == "Business line, {plan}");

    const node& reboot = t.nodes[1];
    CHECK(reboot.kind == node_kind::step);
    CHECK(reboot.to == "power");
    CHECK(reboot.title.empty());  // node titles have no default
    CHECK(reboot.pos_of("to") == source_pos{20, 21});

    const node& acct = t.nodes[2];
    CHECK(acct.kind == node_kind::form);
    CHECK(acct.to == "route");
    CHECK(acct.text == "Ask for the number.");
    REQUIRE(acct.fields.size() == 3);
    CHECK(acct.fields[0].variable == "account");
    CHECK(acct.fields[0].label == "Account no.");
    CHECK(acct.fields[0].required);
    CHECK(acct.fields[0].pattern == "[0-9]{8}");
    CHECK(acct.fields[0].placeholder == "8 digits");
    CHECK(acct.fields[0].pos == source_pos{21, 78});
    CHECK(acct.fields[1].label == "Plan");     // the variable's label
    CHECK_FALSE(acct.fields[1].required);
    CHECK(acct.fields[2].label == "reboots");  // no label anywhere: the name
    CHECK_FALSE(acct.fields[2].required);
    CHECK(acct.fields[2].pattern.empty());

    const node& route = t.nodes[3];
    CHECK(route.kind == node_kind::logic);
    REQUIRE(route.branches.size() == 1);
    CHECK(route.branches[0].to == "tier2");
    CHECK(route.branches[0].condition.source() == "reboots >= 2");
    CHECK(route.branches[0].pos == source_pos{22, 21});
    CHECK(route.otherwise == "lights");
    CHECK(route.pos_of("otherwise") == source_pos{22, 62});

    const node& verify = t.nodes[4];
    CHECK(verify.kind == node_kind::jump);
    CHECK(verify.tree_ref == "identity-verification");
    CHECK(verify.to == "acct");
    CHECK(verify.pos_of("tree") == source_pos{23, 21});
    CHECK(t.nodes[5].tree_ref == "billing");
    CHECK(t.nodes[5].to.empty());

    const node& tier2 = t.nodes[6];
    CHECK(tier2.kind == node_kind::escalate);
    CHECK(tier2.team == "Network Tier 2");
    CHECK(tier2.priority == "high");
    CHECK(tier2.text == "Hand off: account {account}, {reboots} reboots.");
    CHECK(t.nodes[7].priority == "normal");  // the default

    const node& lights = t.nodes[8];
    CHECK(lights.kind == node_kind::end);
    CHECK(lights.outcome == "resolved");
    CHECK(lights.text == "Thank the customer.");

    REQUIRE(t.layout.size() == 2);
    CHECK(t.layout[0].node == "power");
    CHECK(t.layout[0].x == 0);
    CHECK(t.layout[0].y == -12.5);
    CHECK(t.layout[1].x == 280);

    // Indexed and ready to use.
    CHECK(t.find("route") == &t.nodes[3]);
    CHECK(t.index_of("lights") == 8);
    CHECK(t.find_variable("vip") == &t.variables[3]);
    CHECK(t.find_layout("reboot") == &t.layout[1]);
    CHECK(t.successors(power) == std::vector<std::string>{"lights", "reboot", "tier2"});
    CHECK(t.successors(route) == std::vector<std::string>{"tier2", "lights"});
    CHECK(t.successors(verify) == std::vector<std::string>{"acct"});
}

TEST_CASE("load: defaults of optional attributes") {
    const load_result r = load(R"(<tree format="1" id="mini" start="e"><end id="e" outcome="done"/></tree>)");
    INFO(dump(r.problems));
    REQUIRE(r.ok());
    CHECK(r.loaded->title == "mini");  // title defaults to the id
    CHECK(r.loaded->version == 1);
    CHECK_FALSE(r.loaded->allow_find);
    CHECK(r.loaded->description.empty());
    CHECK(r.loaded->variables.empty());
    CHECK(r.loaded->layout.empty());
}

TEST_CASE("load: element text is normalised (dedent)") {
    const std::string xml = with_body(
        "  <step id=\"s\" to=\"a\">\n"
        "    <text>\n"
        "\n"
        "      First line   \n"
        "        indented **more**\n"
        "\n"
        "      - item &lt;one&gt; {{literal}}\n"
        "    </text>\n"
        "    <hint>   one line with spaces   </hint>\n"
        "  </step>\n"
        "  <question id=\"q\"><text>\tTabbed\n\t  deeper\n\tback</text>"
        "<choice to=\"a\">\n        Multi\n        line label\n      </choice>"
        "<choice to=\"a\"><![CDATA[  <b>raw</b> ]]> tail</choice></question>\n");
    const load_result r = load(xml);
    INFO(dump(r.problems));
    REQUIRE(r.ok());
    const node& s = *r.loaded->find("s");
    CHECK(s.text == "First line\n  indented **more**\n\n- item <one> {{literal}}");
    CHECK(s.hint == "one line with spaces");
    const node& q = *r.loaded->find("q");
    CHECK(q.text == "Tabbed\n  deeper\nback");
    CHECK(q.choices[0].label == "Multi\nline label");
    CHECK(q.choices[1].label == "<b>raw</b>  tail");

    SUBCASE("the saver's multi-line layout comes back as the same string") {
        const load_result again = load(with_body("  <step id=\"s\" to=\"a\">\n    <text>\n      Line one\n\n"
                                                 "        - sub\n      Line three\n    </text>\n  </step>\n"));
        REQUIRE(again.ok());
        CHECK(again.loaded->find("s")->text == "Line one\n\n  - sub\nLine three");
    }
    SUBCASE("CRLF line ends") {
        const load_result crlf = load(
            "<tree format=\"1\" id=\"t\" start=\"a\">\r\n  <end id=\"a\" outcome=\"x\">\r\n    <text>\r\n"
            "      one\r\n      two\r\n    </text>\r\n  </end>\r\n</tree>\r\n");
        REQUIRE(crlf.ok());
        CHECK(crlf.loaded->nodes[0].text == "one\ntwo");
    }
}

// [SECTION] loader diagnostics

TEST_CASE("load: each loader diagnostic at its exact line and column") {
    struct expected {
        std::string xml;
        severity level;
        const char* code;
        int line;
        int column;
    };
    const std::string head = "<tree format=\"1\" id=\"t\" start=\"a\">\n  <end id=\"a\" outcome=\"x\"/>\n";
    const std::vector<expected> cases{
        {"<script/>", severity::error, "wrong-root", 1, 1},
        {"\n  <tree format=\"1\" id=\"t\" start=\"a\">\n  <end id=\"a\" outcome=\"x\">\n</tree>\n", severity::error,
         "xml-syntax", 4, 3},
        {"<tree format=\"1\" id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"/></tree><tree/>", severity::error,
         "xml-syntax", 1, 67},
        {"<tree format=\"1\" id=\"t\" start=\"a\" id=\"u\"><end id=\"a\" outcome=\"x\"/></tree>", severity::error,
         "xml-syntax", 1, 35},
        {head + "  <step id=\"s\" title=\"&#0;\" to=\"a\"/>\n</tree>", severity::error, "xml-syntax", 3, 23},
        {head + "  <step id=\"s\" to=\"a\"><text>&#xD800;</text></step>\n</tree>", severity::error, "xml-syntax", 3,
         29},
        {"<?xml version=\"1.0\"?>\n<!DOCTYPE tree>\n<tree/>", severity::error, "doctype", 2, 1},
        {"<tree format=\"7\" id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"/></tree>", severity::error,
         "unsupported-format", 1, 7},
        {"<tree format=\"one\" id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"/></tree>", severity::error,
         "invalid-attribute", 1, 7},
        {"<tree id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"/></tree>", severity::error, "missing-attribute", 1,
         1},
        {"<tree format=\"1\" id=\"t\">\n  <end id=\"a\" outcome=\"x\"/></tree>", severity::error, "missing-start", 1,
         1},
        {"<tree format=\"1\" id=\"t\" start=\"b\">\n  <end id=\"a\" outcome=\"x\"/></tree>", severity::error,
         "unknown-start", 1, 25},
        {"<tree format=\"1\" id=\"t/u\" start=\"a\"><end id=\"a\" outcome=\"x\"/></tree>", severity::error,
         "invalid-id", 1, 18},
        {head + "  <end id=\"b\" outcome=\"x\"><txt>Hi</txt></end>\n</tree>", severity::error, "unknown-element", 3,
         27},
        {head + "  <end id=\"b\" outcome=\"x\">Hi</end>\n</tree>", severity::error, "unknown-element", 3, 27},
        {head + "  <logic id=\"b\"><text>Hi</text><otherwise to=\"a\"/></logic>\n</tree>", severity::error,
         "unknown-element", 3, 17},
        {head + "  <end id=\"b\" outcome=\"x\" colour=\"red\"/>\n</tree>", severity::error, "unknown-attribute", 3,
         27},
        {head + "  <step id=\"b\"/>\n</tree>", severity::error, "missing-attribute", 3, 3},
        {head + "  <logic id=\"b\"><branch to=\"a\"/></logic>\n</tree>", severity::error, "missing-attribute", 3,
         17},
        {head + "  <end id=\"b\" outcome=\"Resolved\"/>\n</tree>", severity::error, "invalid-attribute", 3, 15},
        {head + "  <escalate id=\"b\" team=\"T\" priority=\"asap\"/>\n</tree>", severity::error,
         "invalid-attribute", 3, 29},
        {head + "  <escalate id=\"b\" team=\" \"/>\n</tree>", severity::error, "invalid-attribute", 3, 20},
        {head + "  <layout><pos node=\"a\" x=\"inf\" y=\"0\"/></layout>\n</tree>", severity::error,
         "invalid-attribute", 3, 25},
        {head + "  <end id=\"-b\" outcome=\"x\"/>\n</tree>", severity::error, "invalid-id", 3, 8},
        {head + "  <end id=\"a\" outcome=\"x\"/>\n</tree>", severity::error, "duplicate-id", 3, 8},
        {head + "  <jump id=\"b\" tree=\"a/b\"/>\n</tree>", severity::error, "invalid-tree-ref", 3, 16},
        {head + "  <end id=\"b\" outcome=\"x\"><hint>1</hint><hint>2</hint></end>\n</tree>", severity::error,
         "duplicate-element", 3, 41},
        {head + "  <logic id=\"b\"><otherwise to=\"a\"/><otherwise to=\"a\"/></logic>\n</tree>", severity::error,
         "duplicate-element", 3, 36},
        {head + "  <layout/>\n  <layout/>\n</tree>", severity::error, "duplicate-element", 4, 3},
        {head + "  <step id=\"b\" to=\"c\"/>\n</tree>", severity::error, "unknown-target", 3, 16},
        {head + "  <step id=\"b\" to=\"\"/>\n</tree>", severity::error, "unknown-target", 3, 16},
        {head + "  <jump id=\"b\" tree=\"x\" to=\"c\"/>\n</tree>", severity::error, "unknown-target", 3, 25},
        {head + "  <layout><pos node=\"c\" x=\"0\" y=\"0\"/></layout>\n</tree>", severity::error, "unknown-target",
         3, 16},
        {head + "  <question id=\"b\"/>\n</tree>", severity::error, "empty-question", 3, 3},
        {head + "  <form id=\"b\" to=\"a\"></form>\n</tree>", severity::error, "empty-form", 3, 3},
        {head + "  <logic id=\"b\"></logic>\n</tree>", severity::error, "empty-logic", 3, 3},
        {head + "  <question id=\"b\"><choice to=\"a\">  </choice></question>\n</tree>", severity::error,
         "missing-text", 3, 20},
        {with_body("  <logic id=\"b\"><branch if=\"n &gt; \" to=\"a\"/></logic>\n"), severity::error, "expr-syntax",
         8, 35},
        {with_body("  <logic id=\"b\"><branch if=\"n + 1\" to=\"a\"/></logic>\n"), severity::error, "expr-type", 8,
         29},
        {with_body("  <logic id=\"b\"><branch if=\"" + std::string(300, '(') + "n" + std::string(300, ')') +
                   "\" to=\"a\"/></logic>\n"),
         severity::error, "expr-too-deep", 8, 229},
        {with_body("  <end id=\"b\" outcome=\"x\"><text>Hi {nope}</text></end>\n"), severity::error,
         "undeclared-variable", 8, 36},
        {with_body("  <form id=\"b\" to=\"a\"><field var=\"nn\"/></form>\n"), severity::error, "undeclared-variable",
         8, 30},
        {with_body("  <form id=\"b\" to=\"a\"><field var=\"n\" pattern=\"[0-9]+\"/></form>\n"), severity::error,
         "invalid-pattern", 8, 38},
        {with_body("  <form id=\"b\" to=\"a\"><field var=\"account\" pattern=\"(\"/></form>\n"), severity::error,
         "invalid-pattern", 8, 44},
        {with_body("  <form id=\"b\" to=\"a\"><field var=\"account\" pattern=\"" + std::string(513, 'x') +
                   "\"/></form>\n"),
         severity::error, "invalid-pattern", 8, 44},
        {with_body("  <form id=\"b\" to=\"a\"><field var=\"account\" required=\"yes\"/></form>\n"), severity::error,
         "invalid-attribute", 8, 44},
        {"<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n    <variable name=\"n\" type=\"number\"/>\n"
         "    <variable name=\"n\" type=\"text\"/>\n  </variables>\n  <end id=\"a\" outcome=\"x\"/>\n</tree>",
         severity::error, "duplicate-variable", 4, 15},
        {"<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n    <variable name=\"n\" type=\"flag\" "
         "default=\"maybe\"/>\n  </variables>\n  <end id=\"a\" outcome=\"x\"/>\n</tree>",
         severity::error, "invalid-default", 3, 36},
        {"<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n    <variable name=\"not\" type=\"flag\"/>\n"
         "  </variables>\n  <end id=\"a\" outcome=\"x\"/>\n</tree>",
         severity::error, "invalid-attribute", 3, 15},
        {"<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n    <variable name=\"c\" type=\"choice\"/>\n"
         "  </variables>\n  <end id=\"a\" outcome=\"x\"/>\n</tree>",
         severity::error, "missing-attribute", 3, 5},
        {"<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n    <variable name=\"c\" type=\"choice\" "
         "options=\"a b a\"/>\n  </variables>\n  <end id=\"a\" outcome=\"x\"/>\n</tree>",
         severity::error, "invalid-attribute", 3, 38},
        {"<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n    <variable name=\"c\" type=\"number\" "
         "options=\"a b\"/>\n  </variables>\n  <end id=\"a\" outcome=\"x\"/>\n</tree>",
         severity::error, "invalid-attribute", 3, 38},
        {"<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n    <variable name=\"c\" type=\"string\"/>\n"
         "  </variables>\n  <end id=\"a\" outcome=\"x\"/>\n</tree>",
         severity::error, "invalid-attribute", 3, 24},
        {with_body("  <question id=\"b\">\n" + repeat("    <choice to=\"a\">Pick</choice>\n", 10) + "  </question>\n"),
         severity::warning, "many-choices", 18, 5},
    };
    for (const auto& c : cases) {
        CAPTURE(c.xml);
        const load_result r = load(c.xml);
        INFO(dump(r.problems));
        const auto found = with_code(r.problems, c.code);
        REQUIRE(found.size() == 1);
        CHECK(found[0].level == c.level);
        CHECK(found[0].pos == source_pos{c.line, c.column});
        CHECK(found[0].file == "t.xml");
        CHECK_FALSE(found[0].message.empty());
        CHECK(format(found[0]).find("t.xml:" + std::to_string(c.line) + ":" + std::to_string(c.column) + ": ") == 0);
    }
}

TEST_CASE("load: options separated by commas are one error at the options, read as meant") {
    const load_result r = load(
        "<tree format=\"1\" id=\"t\" start=\"l\">\n  <variables>\n    <variable name=\"impact\" type=\"choice\" "
        "options=\"low, medium,high\" default=\"low\"/>\n  </variables>\n"
        "  <logic id=\"l\"><branch if=\"impact == 'high'\" to=\"a\"/><otherwise to=\"a\"/></logic>\n"
        "  <end id=\"a\" outcome=\"x\"/>\n</tree>");
    INFO(dump(r.problems));
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].code == "invalid-attribute");
    CHECK(r.problems[0].pos == source_pos{3, 43});
    CHECK(r.problems[0].message == "options are separated by spaces, not commas; write 'low medium high'");
    REQUIRE(r.loaded);
    // Saving (from the editor) writes the list as it was meant.
    CHECK(r.loaded->variables[0].options == std::vector<std::string>{"low", "medium", "high"});
}

TEST_CASE("load: options joined by commas without spaces are the same error, numbers with thousands commas are not") {
    const auto options_of = [](const std::string& options, std::size_t& problems) {
        const load_result r = load("<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n"
                                   "    <variable name=\"mood\" type=\"choice\" options=\"" + options +
                                   "\"/>\n  </variables>\n  <end id=\"a\" outcome=\"x\"/>\n</tree>");
        problems = r.problems.size();
        if (!r.problems.empty())
            CHECK(r.problems[0].message == "options are separated by spaces, not commas; write 'good okay bad'");
        REQUIRE(r.loaded);
        return r.loaded->variables[0].options;
    };
    std::size_t problems = 0;
    CHECK(options_of("good,okay,bad", problems) == std::vector<std::string>{"good", "okay", "bad"});
    CHECK(problems == 1);
    CHECK(options_of("1,000 2,000", problems) == std::vector<std::string>{"1,000", "2,000"});
    CHECK(problems == 0);
}

TEST_CASE("load: a true/false attribute written another way names the fix and is read as meant") {
    const load_result r = load(
        "<tree format=\"1\" id=\"t\" start=\"f\" allow-find=\"Yes\">\n  <variables>\n"
        "    <variable name=\"caller\" type=\"text\"/>\n  </variables>\n"
        "  <form id=\"f\" to=\"a\"><field var=\"caller\" required=\"yes\"/></form>\n"
        "  <end id=\"a\" outcome=\"x\"><text>Bye {caller}</text></end>\n</tree>");
    INFO(dump(r.problems));
    const auto found = with_code(r.problems, "invalid-attribute");
    REQUIRE(found.size() == 2);
    CHECK(found[0].message == "allow-find must be true or false, not 'Yes'; write 'true'");
    CHECK(found[1].message == "required must be true or false, not 'yes'; write 'true'");
    // Read as required: no read-before-set warning for {caller} follows from the typo.
    CHECK(r.problems.size() == 2);
    REQUIRE(r.loaded);
    CHECK(r.loaded->allow_find);
    CHECK(r.loaded->find("f")->fields[0].required);
    // A value with no clear meaning gets no guess.
    const load_result odd = load(with_body("  <form id=\"b\" to=\"a\"><field var=\"account\" required=\"maybe\"/></form>\n"));
    CHECK(only(odd, "invalid-attribute").message == "required must be true or false, not 'maybe'");
}

TEST_CASE("load: another tool's attribute name for one of ours is one error, read as meant") {
    const load_result r = load(with_body("  <step id=\"b\" next=\"c\"/>\n"
                                         "  <escalate id=\"c\" queue=\"Tier 2\"/>\n"));
    INFO(dump(r.problems));
    // One error each: no "needs a 'to'", and 'c' is not unreachable behind the slip.
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problems[0].code == "unknown-attribute");
    CHECK(r.problems[0].message == "unknown attribute 'next' on <step>; Signpost calls it 'to': write to='c'");
    CHECK(r.problems[0].pos == source_pos{8, 16});
    CHECK(r.problems[1].message ==
          "unknown attribute 'queue' on <escalate>; Signpost calls it 'team': write team='Tier 2'");
    REQUIRE(r.loaded);
    CHECK(r.loaded->find("b")->to == "c");
    CHECK(r.loaded->find("c")->team == "Tier 2");
    // Written beside ours, the other name is not read over it: a plain unknown attribute.
    const load_result both = load(with_body("  <step id=\"b\" to=\"a\" next=\"a\"/>\n"));
    CHECK(only(both, "unknown-attribute").message == "unknown attribute 'next' on <step>; allowed: id, title, to");
    // Where ours is not allowed, no guess: an <end> leads nowhere.
    CHECK(only(load(with_body("  <end id=\"b\" outcome=\"x\" next=\"a\"/>\n")), "unknown-attribute").message ==
          "unknown attribute 'next' on <end>; allowed: id, title, outcome");
}

TEST_CASE("load: another tool's element for one of ours names our form and is read as ours") {
    const load_result r = load(with_body("  <question id=\"b\"><text>Which?</text>\n"
                                         "    <option to=\"l\">One</option><choice to=\"a\">Two</choice>\n"
                                         "  </question>\n"
                                         "  <logic id=\"l\"><branch if=\"n > 1\" to=\"a\"/><else to=\"e\"/></logic>\n"
                                         "  <end id=\"e\" outcome=\"x\"><description>Bye</description></end>\n"));
    INFO(dump(r.problems));
    const auto found = with_code(r.problems, "unknown-element");
    REQUIRE(found.size() == 3);
    // Each names the line to write, with what the element holds.
    CHECK(found[0].message == "unknown element <option> in <question>; Signpost writes it <choice to='l'>One</choice>");
    CHECK(found[0].pos == source_pos{9, 5});
    CHECK(found[1].message == "unknown element <else> in <logic>; Signpost writes it <otherwise to='e'/>");
    CHECK(found[2].message == "unknown element <description> in <end>; Signpost writes it <text>Bye</text>");
    // Nothing else: the links they hold are read, so no node is unreachable behind them.
    CHECK(r.problems.size() == 3);
    REQUIRE(r.loaded);
    REQUIRE(r.loaded->find("b")->choices.size() == 2);
    CHECK(r.loaded->find("b")->choices[0].to == "l");
    CHECK(r.loaded->find("l")->otherwise == "e");
    CHECK(r.loaded->find("e")->text == "Bye");
    // Another tool's attributes on it are renamed in that one error, not reported again;
    // an attribute with no meaning here keeps its own error.
    const load_result slip = load(with_body("  <logic id=\"b\"><if test=\"n > 1\" goto=\"a\" weight=\"2\"/>"
                                            "<otherwise to=\"a\"/></logic>\n"));
    INFO(dump(slip.problems));
    CHECK(only(slip, "unknown-element").message ==
          "unknown element <if> in <logic>; Signpost writes it <branch if='n > 1' to='a'/>");
    CHECK(only(slip, "unknown-attribute").message == "unknown attribute 'weight' on <if>; allowed: if, to");
    CHECK(slip.problems.size() == 2);
    REQUIRE(slip.loaded);
    REQUIRE(slip.loaded->find("b")->branches.size() == 1);
    CHECK(slip.loaded->find("b")->branches[0].to == "a");
    // <var> in <variables> declares the variable: its uses are not each undeclared.
    const load_result var = load("<tree format=\"1\" id=\"t\" start=\"f\">\n"
                                 "  <variables><var name=\"n\" type=\"number\"/></variables>\n"
                                 "  <form id=\"f\" to=\"a\"><field var=\"n\"/></form>\n"
                                 "  <end id=\"a\" outcome=\"x\"/>\n</tree>");
    INFO(dump(var.problems));
    CHECK(only(var, "unknown-element").message ==
          "unknown element <var> in <variables>; Signpost writes it <variable name='n' type='number'/>");
    CHECK(var.problems.size() == 1);
    REQUIRE(var.loaded);
    REQUIRE(var.loaded->find_variable("n"));
    CHECK(var.loaded->find_variable("n")->type == var_type::number);
    // A tree with no format attribute is told the value to add.
    CHECK(only(load("<tree id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"/></tree>"), "missing-attribute").message ==
          "<tree> needs a 'format' attribute: add format=\"1\" (the version of this file format it is written in)");
}

TEST_CASE("load: private on a variable is read, saved back, and a bad value names the fix") {
    const std::string xml =
        "<tree format=\"1\" id=\"t\" start=\"f\">\n  <variables>\n"
        "    <variable name=\"phone\" type=\"text\" private=\"true\"/>\n"
        "    <variable name=\"team\" type=\"text\" private=\"false\"/>\n  </variables>\n"
        "  <form id=\"f\" to=\"a\"><field var=\"phone\"/><field var=\"team\"/></form>\n"
        "  <end id=\"a\" outcome=\"x\"/>\n</tree>";
    const load_result r = load(xml);
    INFO(dump(r.problems));
    CHECK(r.problems.empty());
    REQUIRE(r.loaded);
    CHECK(r.loaded->variables[0].is_private);
    CHECK_FALSE(r.loaded->variables[1].is_private);
    const std::string saved = save_tree_string(*r.loaded);
    CHECK(saved.find("<variable name=\"phone\" type=\"text\" private=\"true\"/>") != std::string::npos);
    CHECK(saved.find("<variable name=\"team\" type=\"text\"/>") != std::string::npos);
    std::string yes = xml;
    yes.replace(yes.find("private=\"true\""), 14, "private=\"yes\"");
    const load_result typo = load(yes);
    CHECK(only(typo, "invalid-attribute").message == "private must be true or false, not 'yes'; write 'true'");
    REQUIRE(typo.loaded);
    CHECK(typo.loaded->variables[0].is_private);
}

TEST_CASE("load: {name} where the player shows it as written is a warning") {
    const load_result r = load(with_body(
        "  <escalate id=\"e\" title=\"Ticket {account}?\" team=\"Desk {caller}\"/>\n"
        "  <form id=\"f\" to=\"a\"><field var=\"account\" label=\"For {n}\" placeholder=\"{account}\"/></form>\n"
        "  <step id=\"s\" title=\"Braces {{as such}}\" to=\"a\"/>\n"));
    INFO(dump(r.problems));
    const auto found = with_code(r.problems, "not-filled-in");
    REQUIRE(found.size() == 4);
    CHECK(found[0].level == severity::warning);
    CHECK(found[0].message == "{account} in a title is shown as written: only text, agent notes and choice labels "
                              "are filled in with values, so move it into the text");
    CHECK(found[0].pos == source_pos{8, 34});
    CHECK(found[0].field == "title");
    CHECK(found[1].message.rfind("{caller} in a team name", 0) == 0);
    CHECK(found[2].message.rfind("{n} in a field label", 0) == 0);
    CHECK(found[3].message.rfind("{account} in a placeholder", 0) == 0);
    CHECK(r.ok());  // a warning: nothing stops the tree from running
}

TEST_CASE("load: braces that were meant as a reference but are shown as written are a warning") {
    const load_result r = load(with_body(
        "  <step id=\"s\" to=\"a\"><text>A { account } B {account } C {ac-count} D {account.number} "
        "E {{account} F {{account}} G {see manual} H {plan}</text></step>\n"));
    INFO(dump(r.problems));
    const auto found = with_code(r.problems, "not-a-reference");
    REQUIRE(found.size() == 4);
    CHECK(found[0].level == severity::warning);
    CHECK(found[0].message == "{ account } is shown as written, not filled in: a reference is {name} exactly; "
                              "write {account}");
    CHECK(found[0].pos == source_pos{8, 31});
    CHECK(found[1].message.rfind("{account } is shown as written", 0) == 0);
    CHECK(found[2].message.rfind("{account.number} is shown as written", 0) == 0);
    CHECK(found[3].message == "{{account} is shown as written, not filled in; write {account} for its value, or "
                              "{{account}} for braces");
    CHECK(r.ok());
    // {ac-count} names no variable: left alone, as {see manual} is (braces an author may mean).
}

TEST_CASE("load: a hyphen or space for the underscore of a declared variable is a warning") {
    const load_result r = load(
        "<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n"
        "    <variable name=\"asset_tag\" type=\"text\"/>\n  </variables>\n"
        "  <end id=\"a\" outcome=\"resolved\"><text>Tag {asset-tag}, {asset tag}.</text></end>\n</tree>\n");
    const auto found = with_code(r.problems, "not-a-reference");
    REQUIRE(found.size() == 2);
    CHECK(found[0].message.find("write {asset_tag}") != std::string::npos);
    CHECK(found[1].message.find("write {asset_tag}") != std::string::npos);
}

TEST_CASE("load: stray text in an element is reported where the text is") {
    const load_result r = load(with_body("  <escalate id=\"e\" team=\"Desk\">\n    call them back\n  </escalate>\n"));
    const diagnostic d = only(r, "unknown-element");
    CHECK(d.message == "text is not allowed directly inside <escalate>; put it in a <text> element");
    CHECK(d.pos == source_pos{9, 5});  // at 'call', not at the end of the line before
}

TEST_CASE("load: a missing attribute is named with its article") {
    CHECK(only(load(with_body("  <end id=\"b\"/>\n")), "missing-attribute").message ==
          "<end> needs an 'outcome' attribute");
    CHECK(only(load(with_body("  <jump id=\"b\" to=\"a\"/>\n")), "missing-attribute").message ==
          "<jump> needs a 'tree' attribute");
}

TEST_CASE("load: a broken tree still comes back, with every problem") {
    const load_result r = load(with_body("  <step id=\"b\" to=\"zz\" colour=\"x\"/>\n"
                                         "  <question id=\"q\"/>\n"
                                         "  <logic id=\"l\"><branch if=\"n +\" to=\"a\"/></logic>\n"));
    REQUIRE(r.loaded != nullptr);
    CHECK_FALSE(r.ok());
    CHECK(r.loaded->nodes.size() == 4);  // a, b, q, l: the editor can show them all
    for (const char* code : {"unknown-target", "unknown-attribute", "empty-question", "expr-syntax"})
        CHECK_MESSAGE(with_code(r.problems, code).size() == 1, code);
    // Sorted by position.
    CHECK(std::is_sorted(r.problems.begin(), r.problems.end(), [](const diagnostic& a, const diagnostic& b) {
        return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
    }));
    // A condition that does not parse keeps its text, so saving from the editor loses nothing.
    const node& l = *r.loaded->find("l");
    REQUIRE(l.branches.size() == 1);
    CHECK(l.branches[0].condition.empty());
    CHECK(l.branches[0].condition.source() == "n +");
    // Diagnostics name their node and field.
    const diagnostic target = only(r, "unknown-target");
    CHECK(target.node_id == "b");
    CHECK(target.field == "to");
}

TEST_CASE("load: positions inside expressions") {
    SUBCASE("entities and code points before the error are counted as written") {
        // Value starts at column 45; "n &gt; 1 and " is 13 bytes as written, so zz is at 58.
        const load_result r = load(with_body(
            "  <logic id=\"b\" title=\"\xC3\x9Cn\xC3\xAF" "c\xC3\xB6" "d\xC3\xA9\"><branch if=\"n &gt; 1 and zz\" "
            "to=\"a\"/></logic>\n"));
        const diagnostic d = only(r, "undeclared-variable");
        CHECK(d.pos == source_pos{8, 58});
        CHECK(d.field == "if");
        CHECK(d.node_id == "b");
    }
    SUBCASE("leading spaces are part of the column") {
        const load_result r = load(with_body("  <logic id=\"b\"><branch if=\"   zz\" to=\"a\"/></logic>\n"));
        CHECK(only(r, "undeclared-variable").pos == source_pos{8, 32});
    }
    SUBCASE("a condition spanning lines") {
        const load_result r =
            load(with_body("  <logic id=\"b\"><branch if=\"n &gt; 1 and\n      zz\" to=\"a\"/></logic>\n"));
        CHECK(only(r, "undeclared-variable").pos == source_pos{9, 7});
    }
    SUBCASE("a condition spanning CRLF lines") {
        const load_result r =
            load(with_body("  <logic id=\"b\"><branch if=\"n &gt; 1 and\r\n      zz\" to=\"a\"/></logic>\n"));
        CHECK(only(r, "undeclared-variable").pos == source_pos{9, 7});
    }
    SUBCASE("a condition spanning lines that end in a lone CR") {
        const load_result r =
            load(with_body("  <logic id=\"b\"><branch if=\"n &gt; 1 and\r      zz\" to=\"a\"/></logic>\n"));
        CHECK(only(r, "undeclared-variable").pos == source_pos{9, 7});
    }
    SUBCASE("a whole file with CR line ends (old Mac) or CRLF has the same positions as with LF") {
        const std::string lf = with_body("  <logic id=\"b\"><branch if=\"n &gt; 1 and\n      zz\" to=\"a\"/></logic>\n"
                                         "  <bogus/>\n");
        std::string cr = lf, crlf;
        std::replace(cr.begin(), cr.end(), '\n', '\r');
        for (const char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        const load_result a = load(lf), b = load(cr), c = load(crlf);
        CHECK(only(a, "undeclared-variable").pos == source_pos{9, 7});
        CHECK(only(b, "undeclared-variable").pos == source_pos{9, 7});
        CHECK(only(c, "undeclared-variable").pos == source_pos{9, 7});
        CHECK(only(a, "unknown-element").pos == source_pos{10, 3});
        CHECK(only(b, "unknown-element").pos == source_pos{10, 3});
        CHECK(only(c, "unknown-element").pos == source_pos{10, 3});
        // Findings placed before the parse (bad bytes) count lines the same way.
        std::string bad = cr;
        bad.insert(bad.find("<bogus/>") + 1, "\xFF");
        CHECK(only(load(bad), "invalid-utf8").pos == source_pos{10, 4});
        CHECK(position_at("a\rb\r\nc\nd", 7) == source_pos{4, 1});
    }
    SUBCASE("single quotes and spaces around '='") {
        const load_result r = load(with_body("  <logic id=\"b\"><branch if = 'zz' to=\"a\"/></logic>\n"));
        CHECK(only(r, "undeclared-variable").pos == source_pos{8, 31});
    }
    SUBCASE("the second statement of a set") {
        // Value starts at column 40; "n = 1;  zz" puts zz at offset 8.
        const load_result r =
            load(with_body("  <question id=\"b\"><choice to=\"a\" set=\"n = 1;  zz = 2\">Go</choice></question>\n"));
        const diagnostic d = only(r, "undeclared-variable");
        CHECK(d.pos == source_pos{8, 48});
        CHECK(d.field == "set");
    }
    SUBCASE("a type error in a set") {
        const load_result r =
            load(with_body("  <question id=\"b\"><choice to=\"a\" set=\"plan = 'gold'\">Go</choice></question>\n"));
        CHECK(only(r, "expr-type").pos == source_pos{8, 47});
    }
    SUBCASE("a value that is not an option, in the second statement of a set") {
        // Value starts at column 40; "n = 1; plan = " puts the literal at offset 14.
        const load_result r = load(
            with_body("  <question id=\"b\"><choice to=\"a\" set=\"n = 1; plan = 'plsu'\">Go</choice></question>\n"));
        const diagnostic d = only(r, "expr-type");
        CHECK(d.pos == source_pos{8, 54});
        CHECK(d.field == "set");
        CHECK(d.message == "'plsu' is not an option of plan (basic, plus); did you mean 'plus'?");
    }
    SUBCASE("a {reference} after an entity and a CDATA section") {
        // <text> ends at column 32; "&amp; " (6) + CDATA "x" (13 as written) + " " = 20 more.
        const load_result r =
            load(with_body("  <end id=\"b\" outcome=\"x\"><text>&amp; <![CDATA[x]]> {zz}</text></end>\n"));
        const diagnostic d = only(r, "undeclared-variable");
        CHECK(d.pos == source_pos{8, 53});
        CHECK(d.field == "text");
    }
    SUBCASE("a {reference} on a later line of an indented text") {
        const load_result r =
            load(with_body("  <end id=\"b\" outcome=\"x\">\n    <text>\n      Line\n      \xC3\xA9 {zz}\n    </text>\n"
                           "  </end>\n"));
        CHECK(only(r, "undeclared-variable").pos == source_pos{11, 9});
    }
}

TEST_CASE("load: did you mean") {
    const auto message_of = [](const std::string& xml, const char* code) {
        const load_result r = load(xml);
        INFO(dump(r.problems));
        const auto found = with_code(r.problems, code);
        REQUIRE(found.size() == 1);
        return found[0].message;
    };
    const auto suggests = [](const std::string& message, const std::string& word) {
        return message.find("did you mean '" + word + "'?") != std::string::npos;
    };
    CHECK(suggests(message_of(with_body("  <step id=\"lights\" to=\"lihgts\"/>\n"), "unknown-target"), "lights"));
    CHECK(suggests(message_of("<tree format=\"1\" id=\"t\" start=\"A\"><end id=\"a\" outcome=\"x\"/></tree>",
                              "unknown-start"),
                   "a"));
    CHECK(suggests(message_of(with_body("  <end id=\"b\" outcome=\"x\"><hnt>x</hnt></end>\n"), "unknown-element"),
                   "hint"));
    CHECK(suggests(message_of(with_body("  <variabels/>\n"), "unknown-element"), "variables"));
    CHECK(suggests(message_of(with_body("  <step id=\"b\" to=\"a\" titl=\"x\"/>\n"), "unknown-attribute"), "title"));
    CHECK(suggests(message_of(with_body("  <end id=\"b\" outcome=\"x\"><text>{acount}</text></end>\n"),
                              "undeclared-variable"),
                   "account"));
    CHECK(suggests(message_of(with_body("  <form id=\"b\" to=\"a\"><field var=\"Plan\"/></form>\n"),
                              "undeclared-variable"),
                   "plan"));
    CHECK(suggests(message_of(with_body("  <logic id=\"b\"><branch if=\"nn &gt; 1\" to=\"a\"/></logic>\n"),
                              "undeclared-variable"),
                   "n"));
    CHECK(suggests(message_of(with_body("  <escalate id=\"b\" team=\"T\" priority=\"hgh\"/>\n"), "invalid-attribute"),
                   "high"));
    CHECK(suggests(message_of("<tree format=\"1\" id=\"t\" start=\"a\"><variables><variable name=\"v\" "
                              "type=\"numbr\"/></variables><end id=\"a\" outcome=\"x\"/></tree>",
                              "invalid-attribute"),
                   "number"));
    CHECK(suggests(message_of("<tree format=\"1\" id=\"t\" start=\"a\"><variables><variable name=\"v\" "
                              "type=\"choice\" options=\"basic plus\" default=\"bsic\"/></variables>"
                              "<end id=\"a\" outcome=\"x\"/></tree>",
                              "invalid-default"),
                   "basic"));
    // A choice value that is not an option, assigned or compared: the same suggestion.
    CHECK(suggests(message_of(with_body("  <question id=\"b\"><choice to=\"a\" set=\"plan = 'plsu'\">Go</choice>"
                                        "</question>\n"),
                              "expr-type"),
                   "plus"));
    CHECK(suggests(message_of(with_body("  <logic id=\"b\"><branch if=\"plan == 'bsaic'\" to=\"a\"/></logic>\n"),
                              "expr-type"),
                   "basic"));
    // An invalid id is never offered as the fix (it would move a right reference to it).
    const std::string invalid = message_of(
        with_body("  <step id=\"b\" to=\"resolved-t1\"/>\n  <end id=\"resolved t1\" outcome=\"x\"/>\n"),
        "unknown-target");
    CHECK(invalid.find("did you mean") == std::string::npos);
    // Nothing close: no suggestion, but still advice.
    const std::string far = message_of(with_body("  <step id=\"b\" to=\"completely-else\"/>\n"), "unknown-target");
    CHECK(far.find("did you mean") == std::string::npos);
    CHECK(far.find("'completely-else'") != std::string::npos);
}

TEST_CASE("load: XML that is not well-formed is refused at the exact line and column") {
    struct expected {
        std::string xml;
        int line;
        int column;
        const char* message;  // a part of it
    };
    const std::string head = "<tree format=\"1\" id=\"t\" start=\"a\">\n  <end id=\"a\" outcome=\"x\"/>\n";
    const std::string step = "  <step id=\"s\" to=\"a\"><text>";  // text starts at column 29
    const std::string tail = "</text></step>\n</tree>\n";
    const std::vector<expected> cases{
        {head + step + "Fish & chips" + tail, 3, 34,
         "'&' starts an entity reference; write '&amp;' for a literal ampersand"},
        {head + step + "a &nbsp; b" + tail, 3, 31,
         "unknown entity '&nbsp;': XML defines only &amp; &lt; &gt; &quot; &apos;; use the character itself or "
         "&#160;"},
        {head + step + "&bogus; done" + tail, 3, 29, "unknown entity '&bogus;'"},
        {head + step + "&#x;" + tail, 3, 29, "malformed character reference"},
        {head + "  <logic id=\"b\"><branch if=\"n < 2\" to=\"a\"/></logic>\n</tree>\n", 3, 31,
         "'<' is not allowed inside an attribute value; write '&lt;'"},
        {head + "  <step id=\"s\" title=\"a\x01\" to=\"a\"/>\n</tree>\n", 3, 24,
         "control character U+0001 is not allowed in XML; remove it"},
        {head + step + "\x1b[1m" + tail, 3, 29, "control character U+001B is not allowed"},
        {head + step + "\xC3\xA9\xEF\xBF\xBE" + tail, 3, 30, "character U+FFFE is not allowed"},
        {head + step + "\xEF\xBF\xBF" + tail, 3, 29, "character U+FFFF is not allowed"},
        {head + "</tree>\n  trailing words\n", 4, 3, "text after the closing </tree> tag"},
        {head + step + "a]]>b" + tail, 3, 30, "']]>' is not allowed in text; write ']]&gt;'"},
        {head + "  <!-- a -- b -->\n</tree>\n", 3, 10, "'--' is not allowed inside a comment"},
        // Said where the comment opens, not at the end of the file.
        {head + "  <!-- routing notes\n  <end id=\"b\" outcome=\"x\"/>\n\n</tree>\n", 3, 3,
         "this comment is never closed: everything after it is read as comment; add --> where it ends"},
        {head + "  <?todo ask\n  <end id=\"b\" outcome=\"x\"/>\n</tree>\n", 3, 3,
         "this <? is never closed: add ?> where it ends"},
        // A closing tag of nothing open (and no typo of the open element's name).
        {head + "  </question>\n</tree>\n", 3, 3,
         "closing tag </question> closes nothing: no <question> is open here; remove it"},
        {head + "  <logic id=\"b\"><branch if=\xE2\x80\x9Cn\xE2\x80\x9D to=\"a\"/></logic>\n</tree>\n", 3, 28,
         "typographic quote \xE2\x80\x9C around a value: XML needs straight quotes; write \"...\""},
        {head + "  <end id=\"b\" outcome=\"x\"><text>Thanks.</txt></end>\n</tree>\n", 3, 42,
         "closing tag </txt> does not match the open element <text> of line 3 (check for a missing </text>"},
        {head + "  <end id=\"b\" outcome=\"x\"><text>Thanks.", 3, 39,
         "the file ends while <text> of line 3 is still open"},
        // Where the element was opened is named: the mismatch is only found far below it.
        {head + "  <question id=\"q\">\n    <choice to=\"a\">A</choice>\n  <end id=\"c\" outcome=\"x\"/>\n</tree>\n", 6, 3,
         "closing tag </tree> does not match the open element <question> of line 3"},
        // A closing tag without its '>' is reported where the '>' belongs, not at the next tag.
        {head + "  <question id=\"q\">\n    <choice to=\"a\">A</choice\n  </question>\n</tree>\n", 4, 29,
         "closing tag </choice has no '>'; add it here"},
        {"", 1, 1, "the file is empty or has no root element"},
        {"<tree format=1 id=\"t\" start=\"a\"/>", 1, 14, "malformed attribute: values must be quoted"},
        {"<?xml version=\"1.0\" encoding='ISO-8859-1'?>\n" + head.substr(head.find('<')) + "</tree>\n", 1, 31,
         "the file declares encoding 'ISO-8859-1', but tree files are UTF-8; save it as UTF-8"},
        {"<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n" + head.substr(head.find('<')) + step + "Caf\xC3\xA9" + tail,
         1, 31, "the file declares encoding 'US-ASCII', but has characters outside ASCII; write encoding=\"UTF-8\""},
        // A quote never closed is one error at the quote, not one per '<' after it (each
        // saying to write &lt;, which would damage the file) plus pugixml's.
        {head + "  <end id=\"b\" outcome=\"done>\n  <end id=\"c\" outcome=\"x\"/>\n  <end id=\"d\"/>\n</tree>\n", 3,
         23, "this attribute value has no closing quote: it runs on past the end of the line; add \""},
    };
    for (const auto& c : cases) {
        CAPTURE(c.xml);
        const load_result r = load(c.xml);
        INFO(dump(r.problems));
        CHECK(r.loaded == nullptr);
        const diagnostic d = only(r, "xml-syntax");
        CHECK(d.pos == source_pos{c.line, c.column});
        CHECK(d.message.find(c.message) != std::string::npos);
    }
    SUBCASE("a file kept to ASCII may say so: it reads the same as UTF-8") {
        for (const char* name : {"US-ASCII", "ascii"}) {
            const load_result r =
                load(std::string("<?xml version=\"1.0\" encoding=\"") + name + "\"?>\n" + head + step + "Cafe" + tail);
            CHECK(r.ok());
            CHECK(r.problems.empty());
        }
    }
    SUBCASE("every problem is reported, in file order") {
        const load_result r = load(head + step + "a & b &c; \x02" + tail);
        const auto found = with_code(r.problems, "xml-syntax");
        REQUIRE(found.size() == 3);
        CHECK(found[0].pos == source_pos{3, 31});
        CHECK(found[1].pos == source_pos{3, 35});
        CHECK(found[2].pos == source_pos{3, 39});
    }
}

TEST_CASE("load: the strict scan accepts what XML allows") {
    const std::string xml =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!-- a comment may hold < & ]]> and - single dashes -->\n"
        "<tree format=\"1\" id=\"t\" start=\"a\" title=\"A &amp; B &lt;&gt; &quot;&apos; &#160; &#x41; x > y\">\n"
        "  <?note a processing instruction with & and < ?>\n"
        "  <end id=\"a\" outcome=\"x\" title='single \"quoted\"'><text>a > b, ]] and ]>, &#233;"
        "<![CDATA[ raw & <tags> -- and ]] ]]></text></end>\n"
        "</tree>\n"
        "<!-- a comment after the root -->\n";
    const load_result r = load(xml);
    INFO(dump(r.problems));
    REQUIRE(r.ok());
    CHECK(r.loaded->title == "A & B <> \"' \xC2\xA0 A x > y");
    CHECK(r.loaded->find("a")->text == "a > b, ]] and ]>, \xC3\xA9 raw & <tags> -- and ]]");
}

TEST_CASE("load: an explicitly empty title or field label is the default and round-trips") {
    const std::string xml =
        "<tree format=\"1\" id=\"t\" title=\"\" start=\"f\">\n"
        "  <variables><variable name=\"acct\" type=\"text\" label=\"Account\"/>"
        "<variable name=\"n\" type=\"text\"/></variables>\n"
        "  <form id=\"f\" to=\"e\"><field var=\"acct\" label=\"\"/><field var=\"n\" label=\"\"/></form>\n"
        "  <end id=\"e\" outcome=\"x\"/>\n"
        "</tree>\n";
    const load_result r = load(xml);
    INFO(dump(r.problems));
    REQUIRE(r.ok());
    CHECK(r.loaded->title == "t");
    REQUIRE(r.loaded->find("f")->fields.size() == 2);
    CHECK(r.loaded->find("f")->fields[0].label == "Account");
    CHECK(r.loaded->find("f")->fields[1].label == "n");
    const std::string saved = save_tree_string(*r.loaded);
    const load_result again = load(saved);
    REQUIRE(again.ok());
    CHECK(save_tree_string(*again.loaded) == saved);
    CHECK(again.loaded->title == "t");
    CHECK(again.loaded->find("f")->fields[0].label == "Account");
}

TEST_CASE("load: many {name} references in one text are placed in linear time") {
    const std::size_t count = 100'000;
    const auto began = std::chrono::steady_clock::now();
    const load_result r =
        load(with_body("  <end id=\"b\" outcome=\"x\"><text>&amp;" + repeat("{zz} &lt;", count) + "</text></end>\n"));
    CHECK(seconds_since(began) < 10.0 * slow);
    const auto found = with_code(r.problems, "undeclared-variable");
    REQUIRE(found.size() == count);
    // <text> ends at column 32; "&amp;" is 5 bytes, each "{zz} &lt;" 9.
    CHECK(found[0].pos == source_pos{8, 38});
    CHECK(found[1].pos == source_pos{8, 47});
    CHECK(found.back().pos == source_pos{8, static_cast<int>(38 + 9 * (count - 1))});
}

// [SECTION] files

TEST_CASE("load: files are read, and unreadable or huge files are refused") {
    temp_folder dir;
    SUBCASE("a file loads and records its path") {
        const std::string path = dir.write("mini.xml", "<tree format=\"1\" id=\"mini\" start=\"e\">\n"
                                                       "  <end id=\"e\" outcome=\"x\" colour=\"red\"/>\n</tree>\n");
        const load_result r = load_tree_file(path);
        REQUIRE(r.loaded != nullptr);
        CHECK(r.loaded->file == path);
        const diagnostic d = only(r, "unknown-attribute");
        CHECK(d.file == path);
        CHECK(format(d).rfind(path + ":2:27: error: ", 0) == 0);
    }
    SUBCASE("a missing file is a read-error with the system's reason") {
        const std::string path = (dir.path / "nope.xml").string();
        const load_result r = load_tree_file(path);
        CHECK(r.loaded == nullptr);
        const diagnostic d = only(r, "read-error");
        CHECK(d.file == path);
        CHECK(d.message.find(std::strerror(ENOENT)) != std::string::npos);
    }
    SUBCASE("a folder is a read-error") {
        const load_result r = load_tree_file(dir.path.string());
        CHECK(r.loaded == nullptr);
        CHECK(only(r, "read-error").file == dir.path.string());
    }
    SUBCASE("a file over the limit is refused by its size, before reading") {
        const std::string path = dir.write("huge.xml", "<tree/>");
        std::filesystem::resize_file(path, max_tree_bytes + 1);  // sparse: nothing is written
        const auto began = std::chrono::steady_clock::now();
        const load_result r = load_tree_file(path);
        CHECK(seconds_since(began) < 1.0 * slow);
        CHECK(r.loaded == nullptr);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "too-large");
        CHECK(r.problems[0].level == severity::error);
    }
    SUBCASE("a string over the limit is refused too") {
        const load_result r = load(std::string(max_tree_bytes + 1, ' '));
        CHECK(r.loaded == nullptr);
        CHECK(only(r, "too-large").message.find("64 MiB") != std::string::npos);
    }
    SUBCASE("an empty file is an XML error") {
        const load_result r = load_tree_file(dir.write("empty.xml", ""));
        CHECK(r.loaded == nullptr);
        CHECK(only(r, "xml-syntax").pos == source_pos{1, 1});
    }
}

TEST_CASE("load: a byte order mark does not shift the columns of line 1") {
    const std::string bom = "\xEF\xBB\xBF";
    temp_folder dir;
    SUBCASE("a loader finding on line 1 of a file") {
        const std::string path =
            dir.write("bom.xml", bom + "<tree format=\"2\" id=\"bom\" start=\"a\"><end id=\"a\" outcome=\"x\"/></tree>\n");
        const load_result r = load_tree_file(path);
        CHECK(only(r, "unsupported-format").pos == source_pos{1, 7});
    }
    SUBCASE("a target on line 1, after other positions were asked") {
        const load_result r =
            load(bom + "<tree format=\"1\" id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"/><step id=\"s\" to=\"b\"/>"
                       "</tree>\n");
        CHECK(only(r, "unknown-target").pos == source_pos{1, 73});
        REQUIRE(r.loaded != nullptr);
        CHECK(r.loaded->pos == source_pos{1, 1});
        CHECK(r.loaded->find("a")->pos == source_pos{1, 35});
    }
    SUBCASE("a well-formedness error on line 1") {
        const load_result r = load(bom + "<tree format=\"1\" id=\"t\" start=\"a\" title=\"a & b\"><end id=\"a\" "
                                         "outcome=\"x\"/></tree>\n");
        CHECK(only(r, "xml-syntax").pos == source_pos{1, 44});
    }
    SUBCASE("an expression on line 1") {
        const load_result r = load(bom + "<tree format=\"1\" id=\"t\" start=\"l\"><logic id=\"l\"><branch if=\"zz\" "
                                         "to=\"l\"/></logic></tree>\n");
        CHECK(only(r, "undeclared-variable").pos == source_pos{1, 61});
    }
    SUBCASE("later lines are unaffected") {
        const load_result r = load(bom + "<tree format=\"1\" id=\"t\" start=\"a\">\n  <end id=\"a\" outcome=\"x\" c=\"1\"/>\n"
                                         "</tree>\n");
        CHECK(only(r, "unknown-attribute").pos == source_pos{2, 27});
    }
}

TEST_CASE("load: a tree whose id does not match its file name is id-file-mismatch") {
    temp_folder dir;
    const auto tree_with_id = [](const std::string& id) {
        return "<tree format=\"1\"\n      id=\"" + id + "\" start=\"e\">\n  <end id=\"e\" outcome=\"x\"/>\n</tree>\n";
    };
    SUBCASE("a mismatch is a warning at the id, naming both fixes") {
        const std::string path = dir.write("foo.xml", tree_with_id("bar"));
        const load_result r = load_tree_file(path);
        REQUIRE(r.ok());  // a warning: the tree itself is fine
        const diagnostic d = only(r, "id-file-mismatch");
        CHECK(d.level == severity::warning);
        CHECK(d.pos == source_pos{2, 7});
        CHECK(d.field == "id");
        CHECK(d.file == path);
        CHECK(d.message ==
              "tree id 'bar' does not match the file name 'foo.xml': jumps find a tree by its file name, so rename "
              "the file to 'bar.xml' or change the id to 'foo'");
    }
    SUBCASE("a file name that is no id: only renaming the file is offered") {
        const load_result r = load_tree_file(dir.write("my tree.xml", tree_with_id("bar")));
        CHECK(only(r, "id-file-mismatch").message.find("rename the file to 'bar.xml'; ") == std::string::npos);
        CHECK(only(r, "id-file-mismatch").message.find("change the id") == std::string::npos);
    }
    SUBCASE("matching names, and names that are not tree files, are fine") {
        CHECK(load_tree_file(dir.write("bar.xml", tree_with_id("bar"))).problems.empty());
        CHECK(load_tree_file(dir.write("v1.2.xml", tree_with_id("v1.2"))).problems.empty());
        // The editor's autosave copy and text that did not come from a file.
        CHECK(load_tree_file(dir.write(".bar.xml.autosave", tree_with_id("bar"))).problems.empty());
        CHECK(load_tree_string(tree_with_id("bar")).problems.empty());
        CHECK(load_tree_string(tree_with_id("bar"), "<clipboard>").problems.empty());
    }
    SUBCASE("an invalid id is reported as such, not as a mismatch too") {
        const load_result r = load_tree_file(dir.write("foo.xml", tree_with_id("a/b")));
        CHECK(with_code(r.problems, "invalid-id").size() == 1);
        CHECK(with_code(r.problems, "id-file-mismatch").empty());
    }
}

TEST_CASE("load: layout numbers read like number values, as the schema's xs:double does") {
    const auto load_pos = [](const std::string& x) {
        return load("<tree format=\"1\" id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"/>"
                    "<layout><pos node=\"a\" x=\"" + x + "\" y=\"0\"/></layout></tree>");
    };
    for (const auto& [text, value] : std::vector<std::pair<std::string, double>>{
             {"+5", 5}, {"+0.5", 0.5}, {"+.5", 0.5}, {" 12 ", 12}, {"-3", -3}, {"1e3", 1000}, {"7.", 7},
             {"1e-999", 0}}) {
        CAPTURE(text);
        const load_result r = load_pos(text);
        INFO(dump(r.problems));
        REQUIRE(r.ok());
        CHECK(r.loaded->layout.at(0).x == value);
    }
    for (const std::string bad : {"++5", "+-5", "+", "5 5", "inf", "+nan", "1e999", "0x10", ""}) {
        CAPTURE(bad);
        CHECK(only(load_pos(bad), "invalid-attribute").field == "x");
    }
}

TEST_CASE("load: a node placed twice in the layout keeps its first position, each repeat is reported") {
    const load_result r = load(
        "<tree format=\"1\" id=\"t\" start=\"a\">\n"
        "  <step id=\"a\" to=\"b\"/>\n"
        "  <end id=\"b\" outcome=\"x\"/>\n"
        "  <layout>\n"
        "    <pos node=\"a\" x=\"1\" y=\"1\"/>\n"
        "    <pos node=\"b\" x=\"2\" y=\"2\"/>\n"
        "    <pos node=\"a\" x=\"3\" y=\"3\"/>\n"
        "    <pos node=\"a\" x=\"4\" y=\"4\"/>\n"
        "  </layout>\n"
        "</tree>\n");
    INFO(dump(r.problems));
    REQUIRE(r.loaded != nullptr);
    REQUIRE(r.problems.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(r.problems[i].code == "duplicate-element");
        CHECK(r.problems[i].message.find("places 'a' twice") != std::string::npos);
        CHECK(r.problems[i].pos == source_pos{7 + static_cast<int>(i), 5});
    }
    const tree& t = *r.loaded;
    REQUIRE(t.layout.size() == 2);
    CHECK(t.layout[0].node == "a");
    CHECK(t.layout[1].node == "b");
    REQUIRE(t.find_layout("a") != nullptr);
    CHECK(t.find_layout("a")->x == 1);
    CHECK(t.find_layout("b")->x == 2);

    // node="" twice is a duplicate too; a <pos> without `node` is only missing-attribute.
    const load_result empty = load(
        "<tree format=\"1\" id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"/><layout>"
        "<pos node=\"\" x=\"1\" y=\"1\"/><pos node=\"\" x=\"2\" y=\"2\"/>"
        "<pos x=\"3\" y=\"3\"/><pos x=\"4\" y=\"4\"/></layout></tree>");
    INFO(dump(empty.problems));
    CHECK(with_code(empty.problems, "duplicate-element").size() == 1);
    CHECK(with_code(empty.problems, "missing-attribute").size() == 2);
}

TEST_CASE("load: format and version are digits with no sign or leading zero, as in the schema") {
    const auto load_tree_attrs = [](const std::string& attrs) {
        return load("<tree " + attrs + " id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"/></tree>");
    };
    for (const auto& [text, value] : std::vector<std::pair<std::string, int>>{
             {"1", 1}, {"7", 7}, {" 12 ", 12}, {"2147483647", 2147483647}}) {
        CAPTURE(text);
        const load_result r = load_tree_attrs("format=\"1\" version=\"" + text + "\"");
        INFO(dump(r.problems));
        REQUIRE(r.ok());
        CHECK(r.loaded->version == value);
    }
    for (const std::string bad : {"07", "+7", "-7", "0", "1.0", "", "2147483648", "99999999999", "1e1"}) {
        CAPTURE(bad);
        CHECK(only(load_tree_attrs("format=\"1\" version=\"" + bad + "\""), "invalid-attribute").field ==
              "version");
    }
    for (const std::string bad : {"01", "+1", " 1", "1.0"}) {
        CAPTURE(bad);
        CHECK(only(load_tree_attrs("format=\"" + bad + "\""), "invalid-attribute").field == "format");
    }
}

TEST_CASE("load: messages about expressions name no column of their own") {
    // The diagnostic's position is a file column; a second, expression-relative column in
    // the message would disagree with it.
    const load_result unclosed = load(with_body("  <logic id=\"b\"><branch if=\"(n &gt; 1\" to=\"a\"/></logic>\n"));
    const diagnostic d = only(unclosed, "expr-syntax");
    CHECK(d.pos == source_pos{8, 38});
    CHECK(d.message == "expected ')' to close '(n > 1'");
    const load_result empty =
        load(with_body("  <question id=\"b\"><choice to=\"a\" set=\"n = 1; plan = \">Go</choice></question>\n"));
    const diagnostic e = only(empty, "expr-syntax");
    CHECK(e.pos == source_pos{8, 53});  // the end of the trimmed value
    CHECK(e.message == "expected a value after 'plan ='");
    for (const auto& found : {d, e}) CHECK(found.message.find("column") == std::string::npos);
}

// [SECTION] hostile input

TEST_CASE("load: hostile inputs are refused cleanly") {
    SUBCASE("billion laughs: any DOCTYPE is refused before entities can expand") {
        std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n  <!ENTITY lol \"lol\">\n";
        for (int i = 1; i <= 9; ++i) {
            const std::string prev = i == 1 ? "lol" : "lol" + std::to_string(i - 1);
            xml += "  <!ENTITY lol" + std::to_string(i) + " \"" + repeat("&" + prev + ";", 10) + "\">\n";
        }
        xml += "]>\n<tree format=\"1\" id=\"t\" start=\"a\"><end id=\"a\" outcome=\"x\"><text>&lol9;</text></end></tree>\n";
        const auto began = std::chrono::steady_clock::now();
        const load_result r = load(xml);
        CHECK(seconds_since(began) < 1.0 * slow);
        CHECK(r.loaded == nullptr);
        const diagnostic d = only(r, "doctype");
        CHECK(d.pos == source_pos{2, 1});
        CHECK(d.message ==
              "DOCTYPE declarations are not allowed (entity definitions could expand without limit); remove it");
    }
    SUBCASE("undeclared entities are not expanded either: they are refused") {
        const load_result r = load(with_body("  <end id=\"b\" outcome=\"x\"><text>&lol9;</text></end>\n"));
        CHECK(r.loaded == nullptr);
        CHECK(only(r, "xml-syntax").message.find("unknown entity '&lol9;'") != std::string::npos);
    }
    SUBCASE("a 10 MB attribute value") {
        const std::string big(10'000'000, 'x');
        const load_result ok = load(with_body("  <step id=\"b\" title=\"" + big + "\" to=\"a\"/>\n"));
        INFO(dump(ok.problems));
        REQUIRE(ok.ok());
        CHECK(ok.loaded->find("b")->title.size() == big.size());
        CHECK(ok.loaded->find("b")->pos_of("to") == source_pos{8, 10'000'025});

        const auto began = std::chrono::steady_clock::now();
        const load_result bad = load(with_body("  <step id=\"b\" to=\"" + big + "\"/>\n"));
        CHECK(seconds_since(began) < 5.0 * slow);
        const diagnostic d = only(bad, "unknown-target");
        CHECK(d.pos == source_pos{8, 16});
        CHECK(d.message.size() < 300);  // the value is shortened in the message

        const load_result text = load(with_body("  <end id=\"b\" outcome=\"x\"><text>" + big + " {zz}</text></end>\n"));
        CHECK(only(text, "undeclared-variable").pos == source_pos{8, 10'000'034});
    }
    SUBCASE("100k-deep element nesting") {
        const std::size_t depth = 100'000;
        const std::string inner = repeat("<x>", depth) + repeat("</x>", depth);
        const load_result r = load(with_body("  <end id=\"b\" outcome=\"x\">" + inner + "</end>\n"));
        REQUIRE(r.loaded != nullptr);
        const diagnostic d = only(r, "unknown-element");
        CHECK(d.pos == source_pos{8, 27});  // the outermost <x>; nothing inside is walked

        const load_result root = load(repeat("<tree>", depth) + repeat("</tree>", depth));
        CHECK(root.loaded != nullptr);  // the root is a tree; the nested ones are unknown
        CHECK(with_code(root.problems, "unknown-element").size() == 1);

        const load_result unclosed = load(repeat("<a>", depth));
        CHECK(unclosed.loaded == nullptr);
        CHECK(only(unclosed, "xml-syntax").pos.line == 1);
    }
    SUBCASE("invalid UTF-8 is found before parsing, at the bad byte") {
        const load_result latin1 = load("<tree format=\"1\" id=\"t\" start=\"a\">\n  <end id=\"a\" outcome=\"x\"><text>"
                                        "\xC3\xA9t\xE9</text></end>\n</tree>");
        CHECK(latin1.loaded == nullptr);
        CHECK(only(latin1, "invalid-utf8").pos == source_pos{2, 35});
        const load_result overlong = load("<tree title=\"\xC0\xAF\"/>");
        CHECK(only(overlong, "invalid-utf8").pos == source_pos{1, 14});
        const load_result surrogate = load("<tree>\n\xED\xA0\x80</tree>");
        CHECK(only(surrogate, "invalid-utf8").pos == source_pos{2, 1});
        const load_result truncated = load("<tree/>\xE2\x82");
        CHECK(only(truncated, "invalid-utf8").pos == source_pos{1, 8});
    }
    SUBCASE("character references that are not characters") {
        const load_result r = load(with_body("  <step id=\"b\" title=\"a&#0;b&#x1F;&#65;\" to=\"a\"/>\n"));
        CHECK(with_code(r.problems, "xml-syntax").size() == 2);  // &#0; and &#x1F;, not &#65;
        CHECK_FALSE(r.ok());
    }
    SUBCASE("ids with path separators") {
        const load_result tree_id = load("<tree format=\"1\" id=\"../../etc/passwd\" start=\"a\">"
                                         "<end id=\"a\" outcome=\"x\"/></tree>");
        CHECK(only(tree_id, "invalid-id").field == "id");
        for (const char* ref : {"../billing", "/etc/passwd", "a/b", "a\\b", "billing.xml/..", ".."}) {
            CAPTURE(ref);
            const load_result r = load(with_body("  <jump id=\"b\" tree=\"" + std::string(ref) + "\"/>\n"));
            const diagnostic d = only(r, "invalid-tree-ref");
            CHECK(d.pos == source_pos{8, 16});
            CHECK(d.node_id == "b");
        }
        const load_result node_id = load(with_body("  <end id=\"x/y\" outcome=\"x\"/>\n"));
        CHECK(only(node_id, "invalid-id").node_id == "x/y");
    }
}

// [SECTION] scale

TEST_CASE("load: a 100k-node file loads quickly, positions on one long line included") {
    const int n = 100'000;
    double multi_line_seconds = 0;
    for (const bool one_line : {false, true}) {
        CAPTURE(one_line);
        const std::string nl = one_line ? "" : "\n";
        std::string xml = "<tree format=\"1\" id=\"big\" start=\"n0\">" + nl +
                          "<variables><variable name=\"count\" type=\"number\" default=\"0\"/></variables>" + nl;
        std::string layout = "<layout>";
        for (int i = 0; i < n; ++i) {
            const std::string id = "n" + std::to_string(i);
            const std::string next = "n" + std::to_string(i + 1);
            if (i % 2 == 0)
                xml += "<question id=\"" + id + "\" title=\"Q \xC3\xA9 " + id + "\"><text>Count {count}</text><choice to=\"" +
                       next + "\" set=\"count = count + 1\">On</choice><choice to=\"end\" if=\"count &gt; 3\">Stop</choice></question>" + nl;
            else
                xml += "<step id=\"" + id + "\" to=\"" + next + "\"><text>Step " + id + "</text></step>" + nl;
            layout += "<pos node=\"" + id + "\" x=\"" + std::to_string(i) + "\" y=\"0\"/>";
        }
        // The last step points nowhere: one error, at the very end of the file.
        xml += "<step id=\"n" + std::to_string(n) + "\" to=\"nowhere\"/>" + nl + "<end id=\"end\" outcome=\"done\"/>" + nl +
               layout + "</layout>" + nl + "</tree>" + nl;

        const auto began = std::chrono::steady_clock::now();
        const load_result r = load(xml);
        const double took = seconds_since(began);
        INFO("load took " << took << " s");
        CHECK(took < 60.0 * slow);  // generous for debug builds; quadratic behaviour takes hours
        // Columns on one 15 MB line must not be found by rescanning the line each time.
        if (one_line)
            CHECK(took < 3 * multi_line_seconds + 2.0);
        else
            multi_line_seconds = took;
        REQUIRE(r.loaded != nullptr);
        CHECK(r.loaded->nodes.size() == static_cast<std::size_t>(n) + 2);
        CHECK(r.loaded->layout.size() == static_cast<std::size_t>(n));
        const diagnostic d = only(r, "unknown-target");
        CHECK(r.problems.size() == 1);
        // Found by scanning the source in the test (slow but obviously right).
        const std::size_t to_at = xml.rfind("to=\"nowhere\"");
        CHECK(d.pos == position_at(xml, to_at));
        const node* last = r.loaded->find("n99999");
        REQUIRE(last != nullptr);
        CHECK(last->pos == position_at(xml, xml.find("<step id=\"n99999\"")));
    }
}

// [SECTION] broken corpus

namespace {

struct expectation {
    std::string level;
    int line = 0;
    int column = 0;
    std::string code;
};

struct corpus_file {
    std::vector<expectation> expected;
    bool none = false;
    std::vector<std::string> malformed;  // expect lines that could not be read
};

// Reads the `<!-- expect: SEVERITY LINE:COL CODE -->` lines (or `<!-- expect: none -->`).
corpus_file read_expectations(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    corpus_file out;
    std::string line;
    while (std::getline(content, line)) {
        const std::size_t at = line.find("<!-- expect:");
        if (at == std::string::npos) continue;
        const std::size_t end = line.find("-->", at);
        std::istringstream words(line.substr(at + 12, end == std::string::npos ? std::string::npos : end - at - 12));
        std::string first;
        words >> first;
        if (first == "none") {
            out.none = true;
            continue;
        }
        expectation e;
        e.level = first;
        std::string where;
        words >> where >> e.code;
        const std::size_t colon = where.find(':');
        try {
            e.line = std::stoi(where.substr(0, colon));
            e.column = std::stoi(where.substr(colon + 1));
        } catch (const std::exception&) {
            out.malformed.push_back(line);
            continue;
        }
        if (e.code.empty() || colon == std::string::npos)
            out.malformed.push_back(line);
        else
            out.expected.push_back(e);
    }
    return out;
}

std::vector<std::string> corpus_paths(const std::string& folder) {
    std::vector<std::string> paths;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().extension() == ".xml") paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    return paths;
}

}  // namespace

TEST_CASE("load: broken corpus: every expectation is met") {
    const std::string folder = std::string(SIGNPOST_TEST_DATA) + "/broken";
    const tree_library library({folder});
    const auto paths = corpus_paths(folder);
    REQUIRE_FALSE(paths.empty());
    for (const auto& path : paths) {
        CAPTURE(path);
        const corpus_file file = read_expectations(path);
        for (const auto& bad : file.malformed) FAIL_CHECK("unreadable expect line: " << bad);
        CHECK_MESSAGE((file.none || !file.expected.empty()), "no expect lines");

        const load_result r = load_tree_file(path);
        diagnostics all = r.problems;
        if (r.loaded) {
            const diagnostics found = validate_tree(*r.loaded, &library);
            all.insert(all.end(), found.begin(), found.end());
        }
        INFO(dump(all));
        for (const auto& e : file.expected) {
            const bool met = std::any_of(all.begin(), all.end(), [&](const diagnostic& d) {
                return d.code == e.code && to_string(d.level) == e.level && d.pos == source_pos{e.line, e.column};
            });
            CHECK_MESSAGE(met, "expected " << e.level << " " << e.line << ":" << e.column << " " << e.code);
        }
        const bool flagged = std::any_of(all.begin(), all.end(),
                                         [](const diagnostic& d) { return d.level != severity::info; });
        if (file.none)
            CHECK_MESSAGE(!flagged, "a file marked `expect: none` must be clean");
        else
            CHECK_MESSAGE(flagged, "a broken file must produce at least one warning or error");
    }
}

TEST_CASE("load: broken corpus: a file for every loader code") {
    const std::string folder = std::string(SIGNPOST_TEST_DATA) + "/broken";
    // too-large and read-error are tested in code: a file cannot hold them.
    for (const std::string code :
         {"invalid-utf8", "xml-syntax", "doctype", "wrong-root", "unsupported-format", "unknown-element",
          "unknown-attribute", "missing-attribute", "invalid-attribute", "invalid-id", "invalid-tree-ref",
          "duplicate-id", "duplicate-element", "duplicate-variable", "invalid-default", "missing-start",
          "unknown-start", "unknown-target", "empty-question", "empty-form", "empty-logic", "expr-syntax",
          "expr-type", "expr-too-deep", "undeclared-variable", "invalid-pattern", "missing-text", "many-choices",
          "id-file-mismatch"}) {
        CAPTURE(code);
        const std::string path = folder + "/" + code + ".xml";
        REQUIRE(std::filesystem::exists(path));
        const corpus_file file = read_expectations(path);
        CHECK(std::any_of(file.expected.begin(), file.expected.end(),
                          [&](const expectation& e) { return e.code == code; }));
    }
}

// [SECTION] Patterns that would freeze std::regex

TEST_CASE("load: pattern_risk refuses nested repetition and backreferences") {
    const std::string nested =
        "nested repetition like (a+)+ can take exponential time; remove the inner or outer repetition";
    for (const char* risky : {"(a+)+", "(a*)*", "([a-zA-Z0-9]+\\.?)+@example\\.com", "(x[0-9]{2,}y)*",
                              "((ab)+c)+", "(?:a|b+){2,}", "(a+?)+?", "(a{1,9})+", "(a+){3}", "x((b)*)+"}) {
        CAPTURE(risky);
        CHECK(pattern_risk(risky) == nested);
    }
    for (const char* backref : {"(a)\\1", "(a)(b)\\2x"}) {
        CAPTURE(backref);
        const auto why = pattern_risk(backref);
        REQUIRE(why.has_value());
        CHECK(why->find("backreference") != std::string::npos);
    }
    // Escaped characters and classes are literal; a single optional group cannot blow up.
    for (const char* safe : {"[0-9]{8}", ".{10,}", "[A-Za-z ]+", "([01][0-9]|2[0-3]):[0-5][0-9]", "(ab)+", "(a\\+)+",
                             "([+*]x)+", "(-[0-9]+)?", "([0-9]{3}-)+", "(a?)+", "\\(a+\\)+", "(?:x)[a-z]+", "a\\\\+",
                             "[a-z][a-z0-9.]{1,31}", "(a{2})+", "\\0"}) {
        CAPTURE(safe);
        CHECK_FALSE(pattern_risk(safe).has_value());
    }
}

TEST_CASE("load: pattern_risk refuses repeat counts that multiply out to a huge regex") {
    // std::regex copies the operand of {n} n times, and its own int maths overflows on a
    // count past INT_MAX (found by fuzz_session).
    for (const char* huge : {"[0-9]{4}-[0-9]{2333333333333333333333333}-[0-9]{2}", "a{20001}", "[a-z]{5,30000}",
                             "((ab){200}){200}", "(x{100}){1000,}", "(((a{30}){30}){30})", "a{200}b{200}(c{20}){999}",
                             "[a-z0-9.]{11111111111111111111,31}", "a{99999,1}"}) {
        CAPTURE(huge);
        const auto why = pattern_risk(huge);
        REQUIRE(why.has_value());
        CHECK(why->find("repeat counts") != std::string::npos);
    }
    for (const char* fine : {"a{20000}", "[0-9]{4}-[0-9]{2}-[0-9]{2}", "((ab){100}){100}", "x{0}", "[a-z]{1,1000}",
                             "(a{9}|b{9}){99}", "\\{99999\\}", "[{99999}]", "a{,99999}"}) {
        CAPTURE(fine);
        CHECK_FALSE(pattern_risk(fine).has_value());
    }
    const load_result r = load(with_body(
        "  <form id=\"b\" to=\"a\"><field var=\"account\" pattern=\"[0-9]{4}-[0-9]{99999999999999999999}\"/></form>\n"));
    const auto found = with_code(r.problems, "invalid-pattern");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message.find("repeat counts") != std::string::npos);
}

TEST_CASE("load: a pattern that can backtrack exponentially is invalid-pattern at the attribute") {
    const load_result r = load(with_body(
        "  <form id=\"b\" to=\"a\"><field var=\"account\" pattern=\"([a-zA-Z0-9]+\\.?)+@example\\.com\"/></form>\n"));
    const auto found = with_code(r.problems, "invalid-pattern");
    REQUIRE(found.size() == 1);
    CHECK(found[0].pos == source_pos{8, 44});
    CHECK(found[0].message.find("nested repetition like (a+)+ can take exponential time") != std::string::npos);
    CHECK(found[0].field == "pattern");
}

TEST_CASE("load: a date variable's default is a day written YYYY-MM-DD, and {today} needs no declaration") {
    const auto tree_with = [](const std::string& defaults) {
        return "<tree format=\"1\" id=\"t\" start=\"a\">\n  <variables>\n" + defaults +
               "  </variables>\n  <step id=\"a\" title=\"A\" to=\"b\"><text>Today is {today}.</text></step>\n"
               "  <end id=\"b\" outcome=\"x\"/>\n</tree>";
    };
    const load_result ok = load(tree_with("    <variable name=\"due\" type=\"date\" default=\"2026-12-24\"/>\n"));
    INFO(dump(ok.problems));
    CHECK(ok.problems.empty());
    REQUIRE(ok.loaded);
    CHECK(ok.loaded->variables[0].type == var_type::date);
    CHECK(ok.loaded->variables[0].default_value == value{std::string("2026-12-24")});
    CHECK(save_tree_string(*ok.loaded).find("<variable name=\"due\" type=\"date\" default=\"2026-12-24\"/>") !=
          std::string::npos);
    for (const char* bad : {"friday", "24 Dec 2026", "2026-02-30"}) {
        CAPTURE(bad);
        const load_result r =
            load(tree_with(std::string("    <variable name=\"due\" type=\"date\" default=\"") + bad + "\"/>\n"));
        CHECK(only(r, "invalid-default").message ==
              "default '" + std::string(bad) + "' is not a day; write it as YYYY-MM-DD, e.g. 2026-12-24");
    }
}
