#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "signpost/clock.hpp"
#include "signpost/text.hpp"
#include "signpost/event.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/session.hpp"

using namespace signpost;

namespace {

struct recording_sink final : event_sink {
    std::vector<event> events;
    void on_event(const event& e) override { events.push_back(e); }

    // "kind node detail" per event from `from` on: short enough to compare whole sequences.
    std::vector<std::string> trail(std::size_t from = 0) const {
        std::vector<std::string> out;
        for (std::size_t i = from; i < events.size(); ++i) {
            const event& e = events[i];
            std::string line = std::string(to_string(e.kind)) + " " + e.node;
            if (!e.detail.empty()) line += " " + e.detail;
            out.push_back(line);
        }
        return out;
    }
};

std::shared_ptr<const tree> load(std::string_view xml) {
    load_result r = load_tree_string(xml);
    std::string problems;
    for (const auto& d : r.problems) problems += format(d) + "\n";
    INFO(problems);
    REQUIRE(r.ok());
    return r.loaded;
}

double number(const session& s, const std::string& name) {
    auto vars = s.variables();
    auto it = vars.find(name);
    REQUIRE(it != vars.end());
    REQUIRE(std::holds_alternative<double>(it->second));
    return std::get<double>(it->second);
}

std::string text(const session& s, const std::string& name) {
    auto vars = s.variables();
    auto it = vars.find(name);
    REQUIRE(it != vars.end());
    REQUIRE(std::holds_alternative<std::string>(it->second));
    return std::get<std::string>(it->second);
}

bool flag(const session& s, const std::string& name) {
    auto vars = s.variables();
    auto it = vars.find(name);
    REQUIRE(it != vars.end());
    REQUIRE(std::holds_alternative<bool>(it->second));
    return std::get<bool>(it->second);
}

std::string node_id(const session& s) { return s.current().node_ptr ? s.current().node_ptr->id : ""; }

// Every node kind in one tree.
constexpr std::string_view outage_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="outage" version="3" title="Home internet outage" start="power">
  <variables>
    <variable name="plan" type="choice" options="basic plus business" default="basic"/>
    <variable name="reboots" type="number" default="0"/>
    <variable name="account" type="text" label="Account number"/>
  </variables>
  <question id="power" title="Router power light">
    <text>Is the **power light** lit? Reboots so far: {reboots}.</text>
    <hint>Account {account}</hint>
    <choice to="acct">Yes, it is lit</choice>
    <choice to="reboot" set="reboots = reboots + 1">No</choice>
    <choice to="tier2" if="plan == 'business'">Business line down</choice>
  </question>
  <step id="reboot" title="Reboot" to="route">
    <text>Unplug the router for 30 seconds.</text>
  </step>
  <logic id="route">
    <branch if="reboots &gt;= 2" to="tier2"/>
    <otherwise to="power"/>
  </logic>
  <form id="acct" title="Account" to="fixed">
    <field var="account" required="true" pattern="[0-9]{8}"/>
    <field var="plan" label="Plan"/>
  </form>
  <escalate id="tier2" title="Hand off" team="Network Tier 2" priority="high">
    <text>Account {account} on the {plan} plan, **{reboots}** reboots.</text>
  </escalate>
  <end id="fixed" title="Working again" outcome="resolved">
    <text>Thank the customer.</text>
  </end>
</tree>
)";

constexpr std::string_view billing_xml = R"(<tree format="1" id="billing" title="Billing" start="intro">
  <variables>
    <variable name="verified" type="flag" default="false"/>
    <variable name="fee" type="number" default="5"/>
  </variables>
  <question id="intro" title="Intro">
    <choice to="check" set="fee = fee * 2">Start</choice>
  </question>
  <jump id="check" tree="verify" to="after"/>
  <logic id="after">
    <branch if="verified" to="refund"/>
    <otherwise to="refused"/>
  </logic>
  <question id="refund" title="Refund">
    <text>Refund {fee}?</text>
    <choice to="done">Refund</choice>
  </question>
  <end id="done" title="Refunded" outcome="resolved"/>
  <end id="refused" title="Refused" outcome="unverified"/>
</tree>
)";

constexpr std::string_view verify_xml = R"(<tree format="1" id="verify" title="Verify" start="ask">
  <variables>
    <variable name="verified" type="flag" default="true"/>
    <variable name="tries" type="number" default="0"/>
  </variables>
  <question id="ask" title="Date of birth">
    <choice to="ok" set="verified = true; tries = tries + 1">Matches</choice>
    <choice to="no" set="verified = false; tries = tries + 1">Does not match</choice>
  </question>
  <end id="ok" title="Verified" outcome="verified"/>
  <end id="no" title="Not verified" outcome="failed"/>
</tree>
)";

}  // namespace

// [SECTION] Starting and moving

TEST_CASE("session: start emits start and enter, initialises defaults, shows the question") {
    manual_clock clk(1000);
    recording_sink sink;
    session s(load(outage_xml), nullptr, clk, &sink, "alice");

    REQUIRE(sink.events.size() == 2);
    CHECK(sink.events[0].kind == event_kind::start);
    CHECK(sink.events[0].node == "power");
    CHECK(sink.events[0].detail == "alice");
    CHECK(sink.events[0].tree_id == "outage");
    CHECK(sink.events[1].kind == event_kind::enter);
    CHECK(sink.events[1].node == "power");
    CHECK(sink.events[1].tree_id == "outage");
    CHECK(sink.events[0].sequence == 0);
    CHECK(sink.events[1].sequence == 1);
    CHECK(sink.events[1].time_ms == 1000);

    CHECK(s.status() == session_status::active);
    CHECK_FALSE(s.finished());
    CHECK(s.started_ms() == 1000);
    CHECK(s.agent() == "alice");
    CHECK(text(s, "plan") == "basic");
    CHECK(number(s, "reboots") == 0);
    CHECK(s.variables().count("account") == 0);  // no default: unset

    const view& v = s.current();
    REQUIRE(v.node_ptr != nullptr);
    CHECK(v.tree_ptr->id == "outage");
    CHECK(v.title == "Router power light");
    CHECK(v.text == "Is the **power light** lit? Reboots so far: 0.");
    CHECK(v.hint == "Account ");  // unset variables show as nothing
    CHECK(v.jump_depth == 0);
    CHECK(v.stuck.empty());
    REQUIRE(v.choices.size() == 2);  // the business choice is hidden on the basic plan
    CHECK(v.choices[0].label == "Yes, it is lit");
    CHECK(v.choices[1].index == 1);
    CHECK(v.choices[1].to == "reboot");

    REQUIRE(s.breadcrumb().size() == 1);
    CHECK(s.breadcrumb()[0].node_id == "power");
    CHECK(s.breadcrumb()[0].title == "Router power light");
    CHECK(s.breadcrumb()[0].answer.empty());
    CHECK(s.breadcrumb()[0].entered_ms == 1000);
    CHECK_FALSE(s.can_go_back());
}

TEST_CASE("session: choose applies sets, steps continue, logic routes, escalate ends with a hand-off") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(outage_xml), nullptr, clk, &sink, "bob");

    REQUIRE(s.choose(1));  // No
    CHECK(node_id(s) == "reboot");
    CHECK(number(s, "reboots") == 1);
    CHECK(s.current().text == "Unplug the router for 30 seconds.");
    CHECK(s.breadcrumb()[0].answer == "No");

    REQUIRE(s.next());  // -> route -> power (only one reboot)
    CHECK(node_id(s) == "power");
    CHECK(s.current().text == "Is the **power light** lit? Reboots so far: 1.");
    CHECK(s.breadcrumb()[1].answer == "Continue");

    REQUIRE(s.choose(1));
    REQUIRE(s.next());  // -> route -> tier2
    CHECK(s.finished());
    CHECK(s.status() == session_status::escalated);
    CHECK(s.team() == "Network Tier 2");
    CHECK(s.priority() == "high");
    CHECK(s.handoff() == "Account  on the basic plan, **2** reboots.");
    CHECK(s.outcome().empty());
    CHECK(node_id(s) == "tier2");

    // Logic nodes are passed through (entered) but never shown as steps.
    std::vector<std::string> crumbs;
    for (const auto& c : s.breadcrumb()) crumbs.push_back(c.node_id);
    CHECK(crumbs == std::vector<std::string>{"power", "reboot", "power", "reboot", "tier2"});

    CHECK(sink.trail() == std::vector<std::string>{
                              "start power bob", "enter power", "choose power No", "enter reboot",
                              "enter route", "enter power", "choose power No", "enter reboot",
                              "enter route", "enter tier2", "end tier2 escalated"});
    CHECK(sink.events.back().outcome == "Network Tier 2");
    // The priority goes with the end event so the log can record it; no other event has one.
    CHECK(sink.events.back().priority == "high");
    CHECK(std::count_if(sink.events.begin(), sink.events.end(), [](const event& e) { return !e.priority.empty(); }) == 1);
    CHECK(sink.events[2].choice == 1);

    // Nothing can be done once the call has ended.
    CHECK_FALSE(s.choose(0));
    CHECK_FALSE(s.next());
    CHECK_FALSE(s.back());
    CHECK_FALSE(s.submit({}));
    CHECK_FALSE(s.can_go_back());
    const auto before = sink.events.size();
    s.restart();
    s.abandon("late");
    CHECK(sink.events.size() == before);
    CHECK(s.status() == session_status::escalated);
    // ...but a note: after-call work, logged after the end, on the node the call ended on.
    s.note("caller will send photos of the router lights");
    REQUIRE(sink.events.size() == before + 1);
    CHECK(sink.events.back().kind == event_kind::note);
    CHECK(sink.events.back().node == "tier2");
    CHECK(s.status() == session_status::escalated);
    REQUIRE(s.notes().size() == 1);
    CHECK(s.transcript().find("- after the call: caller will send photos of the router lights") !=
          std::string::npos);
}

TEST_CASE("session: choices with conditions are listed by visible position, events record the real index") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(R"(<tree format="1" id="vip" start="q">
  <variables><variable name="vip" type="flag" default="false"/><variable name="n" type="number"/></variables>
  <question id="q">
    <choice to="done">Plain</choice>
    <choice to="done" if="vip">VIP lane for {n}</choice>
    <choice to="q" set="vip = true; n = 1; n = n + 1">Make VIP</choice>
    <choice to="done" if="n &gt; 5">Only when n is big</choice>
  </question>
  <end id="done" outcome="resolved"/>
</tree>)"),
              nullptr, clk, &sink);
    // `n > 5` cannot be evaluated while n is unset: the choice is hidden, not an error.
    REQUIRE(s.current().choices.size() == 2);
    CHECK(s.current().title == "q");  // no title: the id
    CHECK(s.current().choices[1].label == "Make VIP");
    CHECK(s.current().choices[1].index == 2);

    REQUIRE(s.choose(1));
    CHECK(sink.events[2].kind == event_kind::choose);
    CHECK(sink.events[2].choice == 2);
    CHECK(sink.events[2].detail == "Make VIP");
    CHECK(flag(s, "vip"));
    CHECK(number(s, "n") == 2);  // assignments run in order, each seeing the previous

    REQUIRE(s.current().choices.size() == 3);
    CHECK(s.current().choices[1].label == "VIP lane for 2");
    CHECK(s.current().choices[1].index == 1);
    REQUIRE(s.choose(1));
    CHECK(sink.events.back().kind == event_kind::end);
    CHECK(s.outcome() == "resolved");
    CHECK(s.breadcrumb()[1].answer == "VIP lane for 2");

    session t(load(R"(<tree format="1" id="one" start="q">
  <question id="q"><choice to="e">Only</choice></question>
  <end id="e" outcome="resolved"/>
</tree>)"),
              nullptr, clk);
    CHECK_FALSE(t.choose(1));
    CHECK_FALSE(t.choose(-1));
    CHECK_FALSE(t.next());                                 // not a step
    CHECK_FALSE(t.submit({}));                             // not a form
    CHECK_FALSE(t.choose(5).error.empty());
    CHECK(node_id(t) == "q");
}

namespace {

// Chooses answer `index` on question "q" expecting a refusal that leaves no trace: same
// node, no event, no answer recorded, nothing to go back to.
action_result choose_refused(session& s, const recording_sink& sink, int index) {
    const auto before = sink.events.size();
    action_result r = s.choose(index);
    CHECK_FALSE(r.ok);
    CHECK(node_id(s) == "q");
    CHECK(sink.events.size() == before);
    CHECK(s.breadcrumb().back().answer.empty());
    CHECK_FALSE(s.can_go_back());
    return r;
}

}  // namespace

TEST_CASE("session: a set that fails to evaluate changes nothing") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(R"(<tree format="1" id="div" start="q">
  <variables><variable name="a" type="number" default="1"/><variable name="zero" type="number" default="0"/></variables>
  <question id="q">
    <choice to="e" set="a = 7; a = a / zero">Divide</choice>
  </question>
  <end id="e" outcome="resolved"/>
</tree>)"),
              nullptr, clk, &sink);
    const action_result r = choose_refused(s, sink, 0);
    CHECK_FALSE(r.error.empty());
    CHECK(number(s, "a") == 1);
}

TEST_CASE("session: a set that would give a choice variable a value outside its options changes nothing") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(R"(<tree format="1" id="opts" start="q">
  <variables>
    <variable name="plan" type="choice" options="basic plus" default="basic"/>
    <variable name="typed" type="text" default="gold"/>
    <variable name="tier" type="text" default="plus"/>
  </variables>
  <question id="q">
    <choice to="e" set="plan = typed">From what was typed</choice>
    <choice to="e" set="plan = tier">From the tier</choice>
  </question>
  <end id="e" outcome="resolved"/>
</tree>)"),
              nullptr, clk, &sink);
    const action_result r = choose_refused(s, sink, 0);
    CHECK(r.error == "Cannot set plan: 'gold' is not one of its options (basic, plus)");
    CHECK(s.variables().at("plan") == value{std::string("basic")});
    // A text that is one of the options is fine.
    REQUIRE(s.choose(1).ok);
    CHECK(s.variables().at("plan") == value{std::string("plus")});
}

// [SECTION] Forms

constexpr std::string_view form_xml = R"(<tree format="1" id="forms" start="f">
  <variables>
    <variable name="code" type="text" label="Case code"/>
    <variable name="count" type="number" default="1"/>
    <variable name="urgent" type="flag" default="false"/>
    <variable name="plan" type="choice" options="basic plus" default="basic"/>
    <variable name="note" type="text" default="none"/>
  </variables>
  <form id="f" title="Details" to="done">
    <field var="code" required="true" pattern="[A-Z]{3}" placeholder="ABC"/>
    <field var="count" label="Devices" required="true"/>
    <field var="urgent" label="Urgent"/>
    <field var="plan" label="Plan"/>
    <field var="note" label="Note"/>
  </form>
  <end id="done" outcome="resolved"><text>Code {code}, {count} devices.</text></end>
</tree>)";

TEST_CASE("session: the form view lists fields with labels, types and current values") {
    manual_clock clk(0);
    session s(load(form_xml), nullptr, clk);
    const auto& fields = s.current().fields;
    REQUIRE(fields.size() == 5);
    CHECK(fields[0].variable == "code");
    CHECK(fields[0].label == "Case code");  // from the variable
    CHECK(fields[0].required);
    CHECK(fields[0].pattern == "[A-Z]{3}");
    CHECK(fields[0].placeholder == "ABC");
    CHECK(fields[0].value.empty());
    CHECK(fields[1].type == var_type::number);
    // A declared default is told apart: no answer the caller gave.
    CHECK(fields[1].value.empty());
    CHECK(fields[1].default_value == "1");
    CHECK(fields[2].type == var_type::flag);
    CHECK(fields[2].value.empty());
    CHECK(fields[2].default_value == "false");
    CHECK(fields[3].options == std::vector<std::string>{"basic", "plus"});
}

TEST_CASE("session: a default is no answer: a required field needs one typed, an empty field keeps it unchecked") {
    const char* xml = R"(<tree format="1" id="t" version="1" start="ask">
  <variables>
    <variable name="callback" type="text" default="none given"/>
    <variable name="where" type="text" default="not given"/>
    <variable name="mood" type="choice" options="calm upset" default="calm"/>
  </variables>
  <question id="ask"><text>Upset?</text>
    <choice to="f" set="mood = 'upset'">Yes</choice>
    <choice to="f">No</choice>
  </question>
  <form id="f" to="done">
    <field var="callback" pattern="[0-9 +]{4,}"/>
    <field var="where" required="true"/>
    <field var="mood"/>
  </form>
  <end id="done" outcome="resolved"><text>{callback} / {where} / {mood}</text></end>
</tree>)";
    manual_clock clk(0);
    session s(load(xml), nullptr, clk);
    REQUIRE(s.choose(1));  // No: mood keeps its default
    const auto& fields = s.current().fields;
    REQUIRE(fields.size() == 3);
    CHECK(fields[0].default_value == "none given");
    CHECK(fields[2].default_value == "calm");
    CHECK(fields[2].value.empty());
    // The required field left empty is refused even though its variable has a default;
    // the callback's default, which does not fit its pattern, is not checked.
    const action_result refused = s.submit({});
    REQUIRE_FALSE(refused);
    REQUIRE(refused.field_errors.size() == 1);
    CHECK(refused.field_errors[0].variable == "where");
    REQUIRE(s.submit({{"where", "Floor 3"}}));
    CHECK(s.finished());
    CHECK(s.variables().at("callback") == value{std::string("none given")});
    CHECK(s.variables().at("where") == value{std::string("Floor 3")});

    // Set by the call (an answer's `set`), it is a value, shown as one; Back makes it a
    // default again.
    session t(load(xml), nullptr, clk);
    REQUIRE(t.choose(0));
    CHECK(t.current().fields[2].value == "upset");
    CHECK(t.current().fields[2].default_value.empty());
    REQUIRE(t.back());
    REQUIRE(t.choose(1));
    CHECK(t.current().fields[2].value.empty());
    CHECK(t.current().fields[2].default_value == "calm");
}

TEST_CASE("session: form validation reports every bad field and stores nothing") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(form_xml), nullptr, clk, &sink);
    const auto before = sink.events.size();

    action_result r = s.submit({});
    CHECK_FALSE(r.ok);
    // A required field left empty is an error even when the variable has a value already.
    REQUIRE(r.field_errors.size() == 2);
    CHECK(r.field_errors[0].variable == "code");
    CHECK(r.field_errors[0].message == "Required");
    CHECK(r.field_errors[1].variable == "count");
    CHECK(r.field_errors[1].message == "Required");

    r = s.submit({{"code", "abc"}, {"count", "many"}, {"urgent", "maybe"}, {"plan", "gold"}, {"note", "x"}});
    CHECK_FALSE(r.ok);
    REQUIRE(r.field_errors.size() == 4);
    CHECK(r.field_errors[0].variable == "code");
    // The field's example, not its regular expression (agents do not read those); fields
    // with no placeholder say "Must match PATTERN".
    CHECK(r.field_errors[0].message == "Should look like ABC");
    CHECK(r.field_errors[1].variable == "count");
    CHECK(r.field_errors[1].message == "Not a number");
    CHECK(r.field_errors[2].variable == "urgent");
    CHECK(r.field_errors[2].message == "Must be yes or no");
    CHECK(r.field_errors[3].variable == "plan");
    CHECK(r.field_errors[3].message == "Must be one of: basic, plus");
    {
        // A placeholder that says "e.g." is not repeated after "Should look like".
        std::string xml(form_xml);
        xml.replace(xml.find("placeholder=\"ABC\""), 17, "placeholder=\"e.g. ABC\"");
        session eg(load(xml), nullptr, clk);
        CHECK(eg.submit({{"code", "abc"}, {"count", "2"}}).field_errors.at(0).message == "Should look like ABC");
    }

    // The pattern must match the whole input, not a part of it.
    r = s.submit({{"code", "ABCD"}, {"count", "2"}});
    REQUIRE(r.field_errors.size() == 1);
    CHECK(r.field_errors[0].variable == "code");

    r = s.submit({{"code", "ABC"}, {"count", "  "}});
    REQUIRE(r.field_errors.size() == 1);
    CHECK(r.field_errors[0].variable == "count");
    CHECK(r.field_errors[0].message == "Required");

    CHECK(s.variables().count("code") == 0);
    CHECK(number(s, "count") == 1);
    CHECK(text(s, "note") == "none");
    CHECK(node_id(s) == "f");
    CHECK(sink.events.size() == before);
}

TEST_CASE("session: a valid form stores typed values, emits field events and records them") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(form_xml), nullptr, clk, &sink);
    action_result r = s.submit({{"code", " XYZ "}, {"count", "3"}, {"urgent", "yes"}, {"plan", "plus"}, {"note", ""}});
    REQUIRE(r.ok);
    CHECK(text(s, "code") == "XYZ");
    CHECK(number(s, "count") == 3);
    CHECK(flag(s, "urgent"));
    CHECK(text(s, "plan") == "plus");
    CHECK(text(s, "note") == "none");  // empty optional field: left as it was
    CHECK(s.status() == session_status::completed);
    CHECK(s.current().text == "Code XYZ, 3 devices.");

    CHECK(sink.trail() == std::vector<std::string>{"start f", "enter f", "field f code=XYZ", "field f count=3",
                                                   "field f urgent=true", "field f plan=plus", "enter done",
                                                   "end done completed"});
    const crumb& c = s.breadcrumb()[0];
    REQUIRE(c.fields.size() == 4);
    CHECK(c.fields[0] == std::pair<std::string, std::string>{"Case code", "XYZ"});
    CHECK(c.fields[1] == std::pair<std::string, std::string>{"Devices", "3"});
    CHECK(c.fields[3] == std::pair<std::string, std::string>{"Plan", "plus"});
}

// [SECTION] Back, back_to, restart, go_to

TEST_CASE("session: back undoes position, variables and the breadcrumb") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(outage_xml), nullptr, clk, &sink);
    REQUIRE(s.choose(1));
    REQUIRE(s.next());
    CHECK(number(s, "reboots") == 1);
    CHECK(s.breadcrumb().size() == 3);

    clk.advance(500);
    REQUIRE(s.back());
    CHECK(node_id(s) == "reboot");
    CHECK(s.breadcrumb().size() == 2);
    CHECK(s.breadcrumb().back().answer.empty());
    CHECK(number(s, "reboots") == 1);
    CHECK(sink.events.back().kind == event_kind::back);
    CHECK(sink.events.back().node == "power");
    CHECK(sink.events.back().detail == "reboot");
    CHECK(sink.events.back().time_ms == 500);

    REQUIRE(s.back());
    CHECK(node_id(s) == "power");
    CHECK(number(s, "reboots") == 0);  // the choice's set is undone
    CHECK(s.breadcrumb().size() == 1);
    CHECK(s.breadcrumb()[0].answer.empty());
    CHECK(s.current().text == "Is the **power light** lit? Reboots so far: 0.");
    CHECK_FALSE(s.can_go_back());
    action_result r = s.back();
    CHECK_FALSE(r.ok);
    CHECK_FALSE(r.error.empty());
}

TEST_CASE("session: back undoes a submitted form") {
    manual_clock clk(0);
    session s(load(outage_xml), nullptr, clk);
    REQUIRE(s.choose(0));
    REQUIRE(s.submit({{"account", "12345678"}}));
    CHECK(s.finished());  // fixed: completed, nothing more to undo
    CHECK_FALSE(s.back());

    session t(load(outage_xml), nullptr, clk);
    REQUIRE(t.choose(0));
    REQUIRE(t.submit({{"account", "1234"}}).field_errors.size() == 1);
    CHECK(t.variables().count("account") == 0);
}

// A clock that moves on each time it is read, as time passes while a player writes each
// event to its log (an fsync per event).
struct ticking_clock final : clock {
    std::int64_t t = 1000;
    std::int64_t now_ms() override { return t += 7; }
};

TEST_CASE("session: every event of one action carries the time the action began") {
    ticking_clock clk;
    recording_sink sink;
    tree_library lib;
    lib.add(load(verify_xml));
    session s(load(billing_xml), &lib, clk, &sink);
    // Start: the start event and the first enter are one moment, the session's start.
    REQUIRE(sink.events.size() == 2);
    CHECK(sink.events[0].time_ms == s.started_ms());
    CHECK(sink.events[1].time_ms == s.started_ms());

    // Each action's events (a choice, the jump, the sub-tree's start; an end, the return,
    // a logic node, the next question) share one time, and the next action has a later one.
    std::vector<std::int64_t> action_times;
    auto act = [&](auto&& action) {
        const std::size_t from = sink.events.size();
        REQUIRE(action());
        REQUIRE(sink.events.size() > from);
        for (std::size_t i = from + 1; i < sink.events.size(); ++i)
            CHECK_MESSAGE(sink.events[i].time_ms == sink.events[from].time_ms, sink.trail(from)[i - from]);
        action_times.push_back(sink.events[from].time_ms);
    };
    act([&] { return s.choose(0); });  // choose intro, enter check (jump), enter ask
    CHECK(sink.trail(2) == std::vector<std::string>{"choose intro Start", "enter check", "enter ask"});
    act([&] { return s.choose(0); });  // choose ask, enter ok, enter after (logic), enter refund
    CHECK(sink.trail(5) == std::vector<std::string>{"choose ask Matches", "enter ok", "enter after", "enter refund"});
    CHECK(s.breadcrumb().back().entered_ms == action_times.back());
    act([&] { return s.back(); });
    act([&] { return s.choose(0); });
    act([&] { return s.choose(0); });  // choose refund, enter done, end
    CHECK(s.ended_ms() == action_times.back());
    CHECK(sink.events.back().kind == event_kind::end);
    CHECK(std::adjacent_find(action_times.begin(), action_times.end(), std::greater_equal<>()) == action_times.end());
}

TEST_CASE("session: jump runs the sub-tree, returns to `to`, and back crosses the jump") {
    manual_clock clk(0);
    recording_sink sink;
    tree_library lib;
    lib.add(load(verify_xml));
    session s(load(billing_xml), &lib, clk, &sink);

    REQUIRE(s.choose(0));  // Start: fee doubles, jump into verify
    CHECK(node_id(s) == "ask");
    CHECK(s.current().tree_ptr->id == "verify");
    CHECK(s.current().jump_depth == 1);
    CHECK(number(s, "fee") == 10);
    CHECK_FALSE(flag(s, "verified"));  // already set by billing: the sub-tree default does not apply
    CHECK(number(s, "tries") == 0);    // declared only by verify: initialised on entry
    CHECK(sink.trail(2) == std::vector<std::string>{"choose intro Start", "enter check", "enter ask"});
    CHECK(sink.events[3].tree_id == "billing");
    CHECK(sink.events[4].tree_id == "verify");

    // Back from the sub-tree's start lands on the question before the jump, fully undone.
    REQUIRE(s.back());
    CHECK(node_id(s) == "intro");
    CHECK(s.current().tree_ptr->id == "billing");
    CHECK(s.current().jump_depth == 0);
    CHECK(number(s, "fee") == 5);
    CHECK(s.variables().count("tries") == 0);
    CHECK(s.breadcrumb().size() == 1);
    CHECK(sink.events.back().kind == event_kind::back);
    CHECK(sink.events.back().tree_id == "verify");
    CHECK(sink.events.back().node == "ask");
    // The node returned to is in another tree than the node left: named with its tree.
    CHECK(sink.events.back().detail == "billing:intro");

    REQUIRE(s.choose(0));
    REQUIRE(s.choose(0));  // Matches -> ok (end) -> back in billing at `after` -> refund
    CHECK(node_id(s) == "refund");
    CHECK(s.current().jump_depth == 0);
    CHECK(flag(s, "verified"));
    CHECK(number(s, "tries") == 1);
    CHECK(s.current().text == "Refund 10?");
    // The sub-tree's end was passed through, not shown as a step.
    std::vector<std::string> crumbs;
    for (const auto& c : s.breadcrumb()) crumbs.push_back(c.tree_id + ":" + c.node_id);
    CHECK(crumbs == std::vector<std::string>{"billing:intro", "verify:ask", "billing:refund"});

    // Back from after the return goes into the sub-tree again.
    REQUIRE(s.back());
    CHECK(node_id(s) == "ask");
    CHECK(s.current().jump_depth == 1);
    CHECK(flag(s, "verified") == false);
    CHECK(number(s, "tries") == 0);

    REQUIRE(s.choose(1));  // Does not match -> no -> after -> refused
    CHECK(s.status() == session_status::completed);
    CHECK(s.outcome() == "unverified");
}

TEST_CASE("session: the text of a sub-tree's end is carried to the step after the return") {
    std::string verify(verify_xml);
    const std::string ok = R"(<end id="ok" title="Verified" outcome="verified"/>)";
    verify.replace(verify.find(ok), ok.size(),
                   R"(<end id="ok" title="Verified" outcome="verified"><text>Thank the caller ({tries} tries).</text>)"
                   R"(<hint>Do not read the date back.</hint></end>)");
    manual_clock clk(0);
    tree_library lib;
    lib.add(load(verify));
    session s(load(billing_xml), &lib, clk);
    REQUIRE(s.choose(0));
    CHECK(s.current().passed.empty());  // into the sub-tree: nothing passed yet
    CHECK(s.current().end_returns);     // its ends go back to billing
    REQUIRE(s.choose(0));  // Matches -> ok (end, with text) -> back in billing at refund
    CHECK(node_id(s) == "refund");
    REQUIRE(s.current().passed.size() == 1);
    const passed_end& p = s.current().passed[0];
    CHECK(p.tree_title == "Verify");
    CHECK(p.title == "Verified");
    CHECK(p.text == "Thank the caller (1 tries).");  // filled in as it was there
    CHECK(p.hint == "Do not read the date back.");
    CHECK_FALSE(s.current().end_returns);  // billing's own ends end the call
    // Only the step right after the return shows it: gone after Back, and after the next move.
    REQUIRE(s.back());
    CHECK(s.current().passed.empty());
    REQUIRE(s.choose(1));  // Does not match -> no (an end without text) -> after -> refused
    CHECK(s.current().passed.empty());
}

TEST_CASE("session: a jump without `to` ends the call at the sub-tree's end") {
    manual_clock clk(0);
    recording_sink sink;
    tree_library lib;
    lib.add(load(verify_xml));
    session s(load(R"(<tree format="1" id="transfer" start="go">
  <jump id="go" tree="verify"/>
</tree>)"),
              &lib, clk, &sink);
    CHECK(node_id(s) == "ask");
    CHECK(s.current().jump_depth == 1);
    CHECK(s.breadcrumb().size() == 1);  // the jump node is not a step
    REQUIRE(s.choose(0));
    CHECK(s.status() == session_status::completed);
    CHECK(s.outcome() == "verified");
    CHECK(sink.trail() == std::vector<std::string>{"start go", "enter go", "enter ask", "choose ask Matches",
                                                   "enter ok", "end ok completed"});
    CHECK(sink.events.back().tree_id == "verify");
    CHECK(sink.events.back().outcome == "verified");
}

TEST_CASE("session: back_to returns to a breadcrumb entry, undoing everything after it") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(outage_xml), nullptr, clk, &sink);
    REQUIRE(s.choose(1));
    REQUIRE(s.next());
    REQUIRE(s.choose(1));
    CHECK(s.breadcrumb().size() == 4);
    CHECK(number(s, "reboots") == 2);

    CHECK_FALSE(s.back_to(4));
    REQUIRE(s.back_to(1));
    CHECK(s.breadcrumb().size() == 2);
    CHECK(node_id(s) == "reboot");
    CHECK(number(s, "reboots") == 1);
    // One back event per action undone, so a path is cut exactly; all but the last say
    // more of the same press follow, so statistics count one press and no stay on the
    // question passed over.
    CHECK(sink.trail(sink.events.size() - 2) == std::vector<std::string>{"back reboot power", "back power reboot"});
    CHECK(sink.events[sink.events.size() - 2].choice == back_passes_on);
    CHECK(sink.events.back().choice == -1);

    const std::size_t events = sink.events.size();
    REQUIRE(s.back_to(1));  // already there: nothing happens
    CHECK(node_id(s) == "reboot");
    CHECK(sink.events.size() == events);

    REQUIRE(s.back_to(0));
    CHECK(node_id(s) == "power");
    CHECK(number(s, "reboots") == 0);
    CHECK_FALSE(s.can_go_back());
}

TEST_CASE("session: back_to reaches a question whose choice led somewhere stuck") {
    manual_clock clk(0);
    session s(load(R"(<tree format="1" id="st" start="q1">
  <variables><variable name="x" type="number" default="0"/></variables>
  <question id="q1"><choice to="q2">On</choice></question>
  <question id="q2"><choice to="l" set="x = 1">Go</choice></question>
  <logic id="l"><branch if="x &gt; 5" to="q1"/></logic>
</tree>)"),
              nullptr, clk);
    REQUIRE(s.choose(0));
    REQUIRE(s.choose(0));
    CHECK_FALSE(s.current().stuck.empty());
    CHECK(s.breadcrumb().size() == 2);
    REQUIRE(s.back_to(1));
    CHECK(node_id(s) == "q2");
    CHECK(s.current().stuck.empty());
    CHECK(number(s, "x") == 0);
    CHECK(s.breadcrumb()[1].answer.empty());
}

TEST_CASE("session: restart starts over with fresh variables and no history") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(outage_xml), nullptr, clk, &sink);
    REQUIRE(s.choose(1));
    REQUIRE(s.next());
    s.note("customer rebooted twice already");
    clk.advance(100);
    s.restart();
    CHECK(node_id(s) == "power");
    CHECK(number(s, "reboots") == 0);
    CHECK(s.breadcrumb().size() == 1);
    CHECK(s.breadcrumb()[0].answer.empty());
    CHECK_FALSE(s.can_go_back());
    CHECK(s.status() == session_status::active);
    CHECK(s.notes().size() == 1);  // the record of the call keeps the note
    CHECK(sink.trail(sink.events.size() - 2) == std::vector<std::string>{"restart power", "enter power"});
    CHECK(sink.events[sink.events.size() - 2].time_ms == 100);
}

TEST_CASE("session: go_to moves within a tree that allows find, and back returns") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(R"(<tree format="1" id="find" start="a" allow-find="true">
  <question id="a" title="A"><choice to="b">Next</choice></question>
  <step id="b" title="B" to="c"/>
  <end id="c" outcome="resolved"/>
</tree>)"),
              nullptr, clk, &sink);
    CHECK_FALSE(s.go_to("nowhere"));
    REQUIRE(s.go_to("b"));
    CHECK(node_id(s) == "b");
    CHECK(sink.events.back().kind == event_kind::enter);
    CHECK(sink.events.back().detail == found_by_search);  // not a link of the tree
    CHECK(s.breadcrumb().size() == 2);
    REQUIRE(s.back());
    CHECK(node_id(s) == "a");
    CHECK(s.breadcrumb().size() == 1);

    // What follows a find on its own is a link again.
    REQUIRE(s.go_to("b"));
    REQUIRE(s.next());
    CHECK(sink.events.back().kind == event_kind::end);
    CHECK(sink.events[sink.events.size() - 2].kind == event_kind::enter);
    CHECK(sink.events[sink.events.size() - 2].detail.empty());

    session refused(load(outage_xml), nullptr, clk);
    action_result r = refused.go_to("reboot");
    CHECK_FALSE(r.ok);
    CHECK_FALSE(r.error.empty());
    CHECK(node_id(refused) == "power");
    CHECK_FALSE(refused.can_go_back());
}

// [SECTION] Stuck

TEST_CASE("session: a jump to a tree that cannot be loaded is stuck with the reason") {
    manual_clock clk(0);
    tree_library lib;  // no folders: nothing can be found
    session s(load(R"(<tree format="1" id="root" start="q">
  <question id="q" title="Q"><choice to="j">Go</choice></question>
  <jump id="j" tree="missing-tree" to="q"/>
</tree>)"),
              &lib, clk);
    REQUIRE(s.choose(0));
    CHECK(s.status() == session_status::active);
    CHECK(node_id(s) == "j");
    CHECK(s.current().stuck.find("missing-tree") != std::string::npos);
    CHECK(s.current().jump_depth == 0);
    CHECK_FALSE(s.choose(0));
    CHECK_FALSE(s.next());
    REQUIRE(s.back());
    CHECK(node_id(s) == "q");
    CHECK(s.current().stuck.empty());

    session no_library(load(R"(<tree format="1" id="root2" start="j">
  <jump id="j" tree="anything"/>
</tree>)"),
                       nullptr, clk);
    CHECK(no_library.current().stuck.find("anything") != std::string::npos);
}

TEST_CASE("session: a logic node with no matching branch is stuck, unevaluable conditions count false") {
    manual_clock clk(0);
    session s(load(R"(<tree format="1" id="lg" start="route">
  <variables><variable name="n" type="number"/></variables>
  <logic id="route"><branch if="n &gt; 1" to="e"/></logic>
  <end id="e" outcome="resolved"/>
</tree>)"),
              nullptr, clk);
    CHECK(s.current().stuck == "No branch of 'route' matched and it has no otherwise");
    CHECK(s.status() == session_status::active);
    CHECK(s.breadcrumb().empty());
    s.abandon("script broken");
    CHECK(s.status() == session_status::abandoned);

    session other(load(R"(<tree format="1" id="lg2" start="route">
  <variables><variable name="n" type="number"/></variables>
  <logic id="route"><branch if="n &gt; 1" to="bad"/><otherwise to="e"/></logic>
  <end id="bad" outcome="unresolved"/>
  <end id="e" outcome="resolved"/>
</tree>)"),
                  nullptr, clk);
    CHECK(other.outcome() == "resolved");
}

TEST_CASE("session: a runaway logic loop stops and is stuck") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(R"(<tree format="1" id="loop" start="q">
  <question id="q"><choice to="a">Go</choice></question>
  <logic id="a"><otherwise to="b"/></logic>
  <logic id="b"><otherwise to="a"/></logic>
</tree>)"),
              nullptr, clk, &sink);
    REQUIRE(s.choose(0));
    CHECK(s.current().stuck.find("unaway loop") != std::string::npos);
    CHECK(s.status() == session_status::active);
    // 10,000 automatic moves, plus the node where it stopped.
    CHECK(sink.events.size() == 3 + 1 + 10000);
    REQUIRE(s.back());
    CHECK(node_id(s) == "q");
}

// [SECTION] Notes, abandon, events, transcript

TEST_CASE("session: a note longer than max_note_bytes is refused, saying so, and nothing is recorded") {
    manual_clock clk(10);
    recording_sink sink;
    session s(load(outage_xml), nullptr, clk, &sink, "carol");
    const std::size_t before = sink.events.size();
    const action_result r = s.note(std::string(session::max_note_bytes + 1, 'x'));
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("a note holds at most 16 KiB") != std::string::npos);
    CHECK(s.notes().empty());
    CHECK(sink.events.size() == before);
    CHECK(s.note(std::string(session::max_note_bytes, 'x')).ok);
    CHECK(s.notes().size() == 1);
}

TEST_CASE("session: a private variable's value never reaches the events, here or in a sub-script") {
    constexpr std::string_view checkin = R"(<tree format="1" id="checkin" start="how">
  <variables>
    <variable name="feeling" type="text" private="true"/>
    <variable name="follow_up" type="text"/>
    <variable name="phone" type="text"/>
  </variables>
  <form id="how" to="more">
    <field var="feeling"/>
    <field var="follow_up"/>
  </form>
  <jump id="more" tree="contact" to="again"/>
  <form id="again" to="done">
    <field var="phone"/>
  </form>
  <end id="done" outcome="talked"><text>{feeling}</text></end>
</tree>)";
    // The sub-script does not call it private: the calling script's word holds there.
    constexpr std::string_view contact = R"(<tree format="1" id="contact" start="ask">
  <variables>
    <variable name="feeling" type="text"/>
    <variable name="phone" type="text" private="true"/>
  </variables>
  <form id="ask" to="ok">
    <field var="feeling"/>
    <field var="phone"/>
  </form>
  <end id="ok" outcome="noted"/>
</tree>)";
    manual_clock clk(0);
    recording_sink sink;
    tree_library lib;
    lib.add(load(contact));
    session s(load(checkin), &lib, clk, &sink);
    // The form says which fields are private, so the agent can tell the person.
    REQUIRE(s.current().fields.size() == 2);
    CHECK(s.current().fields[0].is_private);
    CHECK_FALSE(s.current().fields[1].is_private);
    REQUIRE(s.submit({{"feeling", "rough week"}, {"follow_up", "friday"}}));
    REQUIRE(s.current().fields.size() == 2);
    CHECK(s.current().fields[0].is_private);
    CHECK(s.current().fields[1].is_private);
    REQUIRE(s.submit({{"feeling", "better now"}, {"phone", "555 0100"}}));
    // Back in the script, which does not call the phone private: the sub-script did.
    REQUIRE(s.current().fields.size() == 1);
    CHECK(s.current().fields[0].is_private);
    REQUIRE(s.submit({{"phone", "555 0199"}}));
    std::vector<std::string> fields;
    for (const event& e : sink.events) {
        CHECK(e.detail.find("rough week") == std::string::npos);
        CHECK(e.detail.find("better now") == std::string::npos);
        CHECK(e.detail.find("555") == std::string::npos);
        if (e.kind == event_kind::field) fields.push_back(e.detail);
    }
    CHECK(fields == std::vector<std::string>{"feeling", "follow_up=friday", "feeling", "phone", "phone"});
    // The call itself has the values.
    CHECK(s.current().text == "better now");
    CHECK(s.transcript().find("better now") != std::string::npos);
}

TEST_CASE("session: notes and abandon are recorded as events") {
    manual_clock clk(10);
    recording_sink sink;
    session s(load(outage_xml), nullptr, clk, &sink, "carol");
    clk.advance(5);
    s.note("customer is on a mobile");
    s.note("   ");  // blank notes are ignored
    REQUIRE(s.notes().size() == 1);
    CHECK(s.notes()[0] == std::pair<std::string, std::string>{"power", "customer is on a mobile"});
    clk.advance(5);
    s.abandon("customer hung up");
    CHECK(s.status() == session_status::abandoned);
    CHECK(s.abandon_reason() == "customer hung up");
    CHECK(s.ended_ms() == 20);
    CHECK_FALSE(s.choose(0));

    REQUIRE(sink.events.size() == 4);
    CHECK(sink.events[2].kind == event_kind::note);
    CHECK(sink.events[2].node == "power");
    CHECK(sink.events[2].detail == "customer is on a mobile");
    CHECK(sink.events[2].time_ms == 15);
    CHECK(sink.events[3].kind == event_kind::end);
    CHECK(sink.events[3].detail == "abandoned");
    CHECK(sink.events[3].outcome == "customer hung up");
    CHECK(sink.events[3].time_ms == 20);
}

TEST_CASE("session: the event sequence of a whole call, with sequence numbers and times") {
    manual_clock clk(1000);
    recording_sink sink;
    session s(load(outage_xml), nullptr, clk, &sink, "dan");
    clk.advance(2000);
    REQUIRE(s.choose(0));
    clk.advance(3000);
    REQUIRE(s.submit({{"account", "12345678"}}));

    struct expected {
        event_kind kind;
        std::int64_t time;
        const char* tree_id;
        const char* node;
        int choice;
        const char* detail;
        const char* outcome;
    };
    const std::vector<expected> want = {
        {event_kind::start, 1000, "outage", "power", -1, "dan", ""},
        {event_kind::enter, 1000, "outage", "power", -1, "", ""},
        {event_kind::choose, 3000, "outage", "power", 0, "Yes, it is lit", ""},
        {event_kind::enter, 3000, "outage", "acct", -1, "", ""},
        {event_kind::field, 6000, "outage", "acct", -1, "account=12345678", ""},
        {event_kind::enter, 6000, "outage", "fixed", -1, "", ""},
        {event_kind::end, 6000, "outage", "fixed", -1, "completed", "resolved"},
    };
    REQUIRE(sink.events.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i);
        const event& e = sink.events[i];
        CHECK(e.sequence == static_cast<int>(i));
        CHECK(e.kind == want[i].kind);
        CHECK(e.time_ms == want[i].time);
        CHECK(e.tree_id == want[i].tree_id);
        CHECK(e.node == want[i].node);
        CHECK(e.choice == want[i].choice);
        CHECK(e.detail == want[i].detail);
        CHECK(e.outcome == want[i].outcome);
    }
    CHECK(s.ended_ms() == 6000);
    CHECK(s.outcome() == "resolved");
}

TEST_CASE("session: transcript of a resolved call") {
    manual_clock clk(1700000000000);  // 2023-11-14 22:13:20 UTC
    session s(load(outage_xml), nullptr, clk, nullptr, "alice");
    clk.advance(20000);
    REQUIRE(s.choose(0));
    s.note("customer calls from work");
    clk.advance(310000);
    REQUIRE(s.submit({{"account", "12345678"}, {"plan", "plus"}}));
    CHECK(s.transcript() ==
          "Home internet outage (outage, version 3)\n"
          "Agent: alice\n"
          "Started: 2023-11-14 22:13:20 UTC\n"
          "Ended: 2023-11-14 22:18:50 UTC\n"
          "Duration: 5m 30s\n"
          "\n"
          "Steps:\n"
          "1. Router power light \u2014 Yes, it is lit\n"
          "2. Account\n"
          "   Account number: 12345678\n"
          "   Plan: plus\n"
          "3. Working again\n"
          "\n"
          "Notes:\n"
          "- Account: customer calls from work\n"
          "\n"
          "Outcome: resolved\n");
}

TEST_CASE("session: transcript of an escalated and of an abandoned call") {
    manual_clock clk(0);
    session s(load(R"(<tree format="1" id="esc" title="Escalation" start="f">
  <variables><variable name="account" type="text"/><variable name="reboots" type="number" default="2"/></variables>
  <form id="f" title="Account" to="q"><field var="account" required="true"/></form>
  <question id="q" title="Still down?"><choice to="t2">Yes, **still** down</choice></question>
  <escalate id="t2" title="Tier 2" team="Network Tier 2" priority="high">
    <text>Account {account}, **{reboots}** reboots.</text>
  </escalate>
</tree>)"),
              nullptr, clk);
    REQUIRE(s.submit({{"account", "A_1*"}}));
    clk.advance(3722600);  // 1h 02m 02.6s: rounded to the second, as the report rounds
    REQUIRE(s.choose(0));
    // Typed values are escaped so they show as typed, not as Markdown.
    CHECK(s.handoff() == "Account A\\_1\\*, **2** reboots.");
    const std::string t = s.transcript();
    CHECK(t.find("Escalation (esc, version 1)\n") == 0);
    CHECK(t.find("Agent:") == std::string::npos);  // no agent given
    CHECK(t.find("Duration: 1h 02m 03s\n") != std::string::npos);
    CHECK(t.find("2. Still down? \u2014 Yes, still down\n3. Tier 2\n") != std::string::npos);
    CHECK(t.find("\nEscalated to Network Tier 2 (priority high)\nHand-off: Account A_1*, 2 reboots.\n") !=
          std::string::npos);

    session a(load(outage_xml), nullptr, clk);
    REQUIRE(a.choose(1));
    a.abandon("line dropped");
    const std::string ta = a.transcript();
    CHECK(ta.find("1. Router power light \u2014 No\n2. Reboot (the call ended here)\n") != std::string::npos);
    CHECK(ta.substr(ta.size() - std::string("\nAbandoned: line dropped\n").size()) == "\nAbandoned: line dropped\n");
}

// [SECTION] Hostile patterns and inputs

namespace {

constexpr std::string_view pattern_xml = R"(<tree format="1" id="pat" start="f">
  <variables><variable name="code" type="text"/><variable name="n" type="number"/></variables>
  <form id="f" to="done"><field var="code" pattern=".{10,}"/><field var="n"/></form>
  <end id="done" outcome="resolved"/>
</tree>)";

// The loaded tree with the form's first pattern replaced: the loader would refuse risky ones,
// but a tree built in memory reaches the session unchecked.
std::shared_ptr<const tree> with_pattern(const std::string& pattern) {
    auto t = std::make_shared<tree>(*load(pattern_xml));
    t->find("f")->fields[0].pattern = pattern;
    return t;
}

}  // namespace

TEST_CASE("session: field input over 1000 characters is refused before any pattern runs") {
    manual_clock clk(0);
    session s(load(pattern_xml), nullptr, clk);
    // 30,000 characters used to overflow the stack inside std::regex.
    action_result r = s.submit({{"code", std::string(30000, 'a')}, {"n", std::string(1001, '1')}});
    REQUIRE(r.field_errors.size() == 2);
    CHECK(r.field_errors[0].variable == "code");
    CHECK(r.field_errors[0].message == "Too long: at most 1000 characters");
    CHECK(r.field_errors[1].variable == "n");
    CHECK(r.field_errors[1].message == "Too long: at most 1000 characters");
    CHECK(node_id(s) == "f");

    // Characters, not bytes: 1000 two-byte letters are fine.
    std::string accents;
    for (int i = 0; i < 1000; ++i) accents += "\xC3\xA9";
    REQUIRE(s.submit({{"code", accents}}));
    CHECK(text(s, "code") == accents);
}

TEST_CASE("session: 1000-character inputs match the usual patterns") {
    for (const auto& [pattern, input] : std::vector<std::pair<std::string, std::string>>{
             {".{10,}", std::string(1000, 'a')},
             {"[A-Za-z ]+", std::string(500, 'a') + std::string(500, ' ')},
             {"[0-9]{8}", std::string(1000, '1')}}) {
        CAPTURE(pattern);
        manual_clock clk(0);
        session s(with_pattern(pattern), nullptr, clk);
        const action_result r = s.submit({{"code", input}});
        if (pattern == "[0-9]{8}") {
            REQUIRE(r.field_errors.size() == 1);
            CHECK(r.field_errors[0].message == "Must match [0-9]{8}");
        } else {
            CHECK(r);
            CHECK(node_id(s) == "done");
        }
    }
}

TEST_CASE("session: a pattern that can backtrack exponentially is not run") {
    const std::string risky = R"(([a-zA-Z0-9]+\.?)+@example\.com)";
    manual_clock clk(0);
    session s(with_pattern(risky), nullptr, clk);
    // Used to run for over a minute.
    const action_result r = s.submit({{"code", std::string(28, 'a') + "@example.org"}});
    REQUIRE(r.field_errors.size() == 1);
    CHECK(r.field_errors[0].message == "Cannot check the pattern " + risky);
    CHECK(node_id(s) == "f");
}

TEST_CASE("session: patterns are matched in polynomial time, even those pattern_risk lets through") {
    // a?a?...a?aa...a: no nested repetition, so the loader accepts it, but a backtracking
    // matcher tries every way to skip the a? (2^40 here, hours; a review found 30 s at 30).
    std::string chain;
    for (int i = 0; i < 40; ++i) chain += "a?";
    chain += std::string(40, 'a');
    REQUIRE_FALSE(pattern_risk(chain).has_value());
    for (const auto& [input, matches] : {std::pair{std::string(40, 'a'), true}, {std::string(39, 'a'), false},
                                         {std::string(80, 'a'), true}, {std::string(81, 'a'), false}}) {
        CAPTURE(input.size());
        manual_clock clk(0);
        session s(with_pattern(chain), nullptr, clk);
        const action_result r = s.submit({{"code", input}});
        CHECK(r.ok == matches);
        CHECK(node_id(s) == (matches ? "done" : "f"));
    }
}

TEST_CASE("session: a question whose every choice is ruled out says so") {
    manual_clock clk(0);
    session s(load(R"(<tree format="1" id="none" start="q0">
  <variables><variable name="vip" type="flag" default="false"/></variables>
  <question id="q0"><choice to="q">Go</choice></question>
  <question id="q" title="Premium line"><choice to="done" if="vip">Put through</choice><choice to="done" if="not vip and vip">Never</choice></question>
  <end id="done" outcome="resolved"/>
</tree>)"),
              nullptr, clk);
    CHECK(s.current().stuck.empty());
    REQUIRE(s.choose(0));
    CHECK(node_id(s) == "q");
    CHECK(s.current().choices.empty());
    CHECK(s.current().stuck ==
          "None of the answers of 'Premium line' applies (every one has a condition that is false); go back or end "
          "the call");
    CHECK_FALSE(s.choose(0));
    REQUIRE(s.back());
    CHECK(node_id(s) == "q0");
    CHECK(s.current().stuck.empty());
}

// [SECTION] Long calls

namespace {

// A tree that can loop forever: counting, a form, a step, a jump into a small sub-tree and
// back, and a jump into itself (so the call stack grows and shrinks with the walk).
constexpr std::string_view loop_xml = R"(<tree format="1" id="loop" start="ask">
  <variables>
    <variable name="count" type="number" default="0"/>
    <variable name="label" type="text"/>
  </variables>
  <question id="ask" title="Ask">
    <choice to="ask" set="count = count + 1">Again</choice>
    <choice to="form">Fill in</choice>
    <choice to="pause">Pause</choice>
    <choice to="sub">Sub</choice>
    <choice to="deeper">Deeper</choice>
    <choice to="up">Up</choice>
  </question>
  <form id="form" title="Form" to="ask">
    <field var="label" required="true" pattern="[a-z]+[0-9]*"/>
  </form>
  <step id="pause" title="Pause" to="ask"/>
  <jump id="sub" tree="counter" to="ask"/>
  <jump id="deeper" tree="loop" to="ret"/>
  <step id="ret" title="Returned" to="ask"/>
  <end id="up" outcome="up"/>
</tree>
)";

// Declares a variable only it uses: entering it sets the default, going back must unset it.
constexpr std::string_view counter_xml = R"(<tree format="1" id="counter" start="inner">
  <variables><variable name="subs" type="number" default="0"/></variables>
  <question id="inner" title="Inner">
    <choice to="fin" set="subs = subs + 1">Done</choice>
    <choice to="inner">Stay</choice>
  </question>
  <end id="fin" outcome="counted"/>
</tree>
)";

// What back() must give back: the position, the variables, and the breadcrumb's length and
// last entry (the entries before it are compared against the whole breadcrumb separately).
struct walk_snapshot {
    std::string tree_id;
    std::string node;
    int depth = 0;
    std::map<std::string, value> vars;
    std::size_t crumbs = 0;
    crumb last;
};

walk_snapshot snapshot(const session& s) {
    walk_snapshot w;
    w.tree_id = s.current().tree_ptr->id;
    w.node = node_id(s);
    w.depth = s.current().jump_depth;
    w.vars = s.variables();
    w.crumbs = s.breadcrumb().size();
    w.last = s.breadcrumb().back();
    return w;
}

bool same_crumb(const crumb& a, const crumb& b) {
    return a.tree_id == b.tree_id && a.node_id == b.node_id && a.title == b.title && a.answer == b.answer &&
           a.fields == b.fields && a.entered_ms == b.entered_ms;
}

void check_restored(const session& s, const walk_snapshot& w) {
    CHECK(s.current().tree_ptr->id == w.tree_id);
    CHECK(node_id(s) == w.node);
    CHECK(s.current().jump_depth == w.depth);
    CHECK(s.variables() == w.vars);
    REQUIRE(s.breadcrumb().size() == w.crumbs);
    CHECK(same_crumb(s.breadcrumb().back(), w.last));
}

}  // namespace

TEST_CASE("session: a call of 20,000 actions goes back exactly, step by step, to its start") {
    manual_clock clk(0);
    recording_sink sink;
    tree_library lib;
    lib.add(load(counter_xml));
    auto root = load(loop_xml);
    lib.add(root);
    session s(root, &lib, clk, &sink);
    const walk_snapshot initial = snapshot(s);

    std::uint64_t r = 0x9e3779b97f4a7c15ULL;
    auto roll = [&r](std::uint64_t n) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        return r % n;
    };
    std::vector<walk_snapshot> expected;  // before each action still in the history
    int backs = 0, max_depth = 0, refused = 0;
    for (int i = 0; i < 20000; ++i) {
        clk.advance(1000);  // every crumb gets its own time, so a wrong one shows
        CAPTURE(i);
        const view& v = s.current();
        REQUIRE(v.stuck.empty());
        if (s.can_go_back() && roll(10) < 3) {
            const std::size_t events = sink.events.size();
            REQUIRE(s.back());
            ++backs;
            REQUIRE(!expected.empty());
            check_restored(s, expected.back());
            expected.pop_back();
            REQUIRE(sink.events.size() == events + 1);
            CHECK(sink.events.back().kind == event_kind::back);
            const std::string& tree_now = s.current().tree_ptr->id;
            CHECK(sink.events.back().detail ==
                  (tree_now == sink.events.back().tree_id ? node_id(s) : tree_now + ":" + node_id(s)));
            continue;
        }
        walk_snapshot before = snapshot(s);
        const int depth = v.jump_depth;
        if (!v.fields.empty()) {
            if (roll(5) == 0) {  // refused input changes nothing and is not a step
                const action_result bad = s.submit({{"label", "Not Valid"}});
                REQUIRE_FALSE(bad.ok);
                REQUIRE(bad.field_errors.size() == 1);
                CHECK(bad.field_errors[0].message == "Must match [a-z]+[0-9]*");
                ++refused;
                check_restored(s, before);
                continue;
            }
            REQUIRE(s.submit({{"label", "call" + std::to_string(i)}}));
            CHECK(node_id(s) == "ask");
            CHECK(text(s, "label") == "call" + std::to_string(i));
        } else if (v.node_ptr->kind == node_kind::step) {
            REQUIRE(s.next());
            CHECK(node_id(s) == "ask");
        } else {
            // "Up" ends the call at the top level: only taken inside a jump.
            const std::size_t options = v.tree_ptr->id == "loop" && depth == 0 ? v.choices.size() - 1 : v.choices.size();
            const int pick = static_cast<int>(roll(options));
            const std::string label = v.choices[static_cast<std::size_t>(pick)].label;
            REQUIRE(s.choose(pick));
            if (label == "Sub") {
                CHECK(node_id(s) == "inner");
                CHECK(s.current().jump_depth == depth + 1);
            } else if (label == "Deeper") {
                CHECK(node_id(s) == "ask");
                CHECK(s.current().jump_depth == depth + 1);
            } else if (label == "Up") {
                CHECK(node_id(s) == "ret");  // the frame pushed by "Deeper", not by "Sub"
                CHECK(s.current().jump_depth == depth - 1);
            } else if (label == "Done") {
                CHECK(node_id(s) == "ask");
                CHECK(s.current().tree_ptr->id == "loop");
                CHECK(s.current().jump_depth == depth - 1);
            } else {
                CHECK(s.current().jump_depth == depth);
            }
        }
        CHECK(s.breadcrumb().size() == before.crumbs + 1);
        max_depth = std::max(max_depth, s.current().jump_depth);
        expected.push_back(std::move(before));
    }
    REQUIRE_FALSE(s.finished());
    // A long call indeed, through sub-trees and refused input.
    CHECK(s.breadcrumb().size() > 5000);
    CHECK(backs > 4000);
    CHECK(refused > 10);
    CHECK(max_depth > 3);
    CHECK(number(s, "count") > 100);

    // Back all the way: every step restores exactly what was there before it, and the
    // breadcrumb is the walk's breadcrumb cut short (the last entry not yet answered).
    const std::vector<crumb> walked = s.breadcrumb();
    std::size_t unwound = 0;
    while (!expected.empty()) {
        clk.advance(1000);
        REQUIRE(s.back());
        check_restored(s, expected.back());
        expected.pop_back();
        const auto& now = s.breadcrumb();
        CHECK(now.back().answer.empty());
        CHECK(now.back().fields.empty());
        if (++unwound % 500 == 0 || expected.empty()) {
            for (std::size_t k = 0; k + 1 < now.size(); ++k) {
                CAPTURE(k);
                REQUIRE(same_crumb(now[k], walked[k]));
            }
        }
    }
    CHECK_FALSE(s.can_go_back());
    CHECK_FALSE(s.back());
    check_restored(s, initial);
    CHECK(s.variables().count("subs") == 0);
    CHECK(s.variables().count("label") == 0);

    // The call goes on normally from there.
    REQUIRE(s.choose(1));
    REQUIRE(s.submit({{"label", "again"}}));
    CHECK(s.breadcrumb().size() == 3);
    CHECK(s.breadcrumb()[0].answer == "Fill in");
    CHECK(s.breadcrumb()[1].fields == std::vector<std::pair<std::string, std::string>>{{"label", "again"}});
}

TEST_CASE("session: back_to far back in a long call restores the breadcrumb and variables of then") {
    manual_clock clk(0);
    tree_library lib;
    lib.add(load(counter_xml));
    auto root = load(loop_xml);
    lib.add(root);
    session s(root, &lib, clk);
    // Count to 10, go into the sub-tree and back out, then loop 10,000 more times.
    for (int i = 0; i < 10; ++i) REQUIRE(s.choose(0));
    REQUIRE(s.choose(3));  // Sub
    REQUIRE(s.choose(0));  // Done
    const walk_snapshot then = snapshot(s);
    const std::vector<crumb> crumbs_then = s.breadcrumb();
    for (int i = 0; i < 10000; ++i) {
        clk.advance(10);
        REQUIRE(s.choose(i % 2 == 0 ? 0 : 2));  // Again, or Pause ...
        if (s.current().node_ptr->kind == node_kind::step) REQUIRE(s.next());  // ... and Continue
    }
    CHECK(number(s, "count") == 5010);
    CHECK(s.breadcrumb().size() == 13 + 15000);

    REQUIRE(s.back_to(then.crumbs - 1));
    check_restored(s, then);
    CHECK(number(s, "count") == 10);
    CHECK(number(s, "subs") == 1);
    REQUIRE(s.breadcrumb().size() == crumbs_then.size());
    for (std::size_t k = 0; k < crumbs_then.size(); ++k) CHECK(same_crumb(s.breadcrumb()[k], crumbs_then[k]));
}

// [SECTION] Patterns over repeated submits

namespace {

// Two fields share a pattern text, one has its own: a form submitted again and again.
constexpr std::string_view repeat_form_xml = R"(<tree format="1" id="rep" start="f">
  <variables>
    <variable name="a" type="text"/>
    <variable name="b" type="text"/>
    <variable name="ref" type="text"/>
  </variables>
  <form id="f" title="Codes" to="again">
    <field var="a" required="true" pattern="[A-Z]{3}"/>
    <field var="ref" pattern="[0-9]{4}-[0-9]{2}"/>
    <field var="b" pattern="[A-Z]{3}"/>
  </form>
  <step id="again" title="Again" to="f"/>
</tree>)";

// A different valid reference each round: "2000-10", "2001-11", ...
std::string fmt_ref(int round) {
    const std::string year = std::to_string(2000 + round % 100);
    const std::string month = std::to_string(round % 12 + 10);
    return year + "-" + month;
}

}  // namespace

TEST_CASE("session: patterns check the same way on every submit, per field, valid or not") {
    manual_clock clk(0);
    session s(load(repeat_form_xml), nullptr, clk);
    for (int round = 0; round < 50; ++round) {
        CAPTURE(round);
        // Every field wrong: each reports its own pattern.
        action_result r = s.submit({{"a", "abc"}, {"ref", "2024-1"}, {"b", "ABCD"}});
        REQUIRE(r.field_errors.size() == 3);
        CHECK(r.field_errors[0].message == "Must match [A-Z]{3}");
        CHECK(r.field_errors[1].message == "Must match [0-9]{4}-[0-9]{2}");
        CHECK(r.field_errors[2].message == "Must match [A-Z]{3}");
        CHECK(node_id(s) == "f");

        // The patterns are not mixed up between fields: a ref-shaped code is refused.
        r = s.submit({{"a", "2024-05"}, {"ref", "XYZ"}});
        REQUIRE(r.field_errors.size() == 2);
        CHECK(r.field_errors[0].variable == "a");
        CHECK(r.field_errors[1].variable == "ref");

        // Whole-input match, every time.
        r = s.submit({{"a", "XYZW"}});
        REQUIRE(r.field_errors.size() == 1);
        CHECK(r.field_errors[0].message == "Must match [A-Z]{3}");

        const std::string a = std::string(1, static_cast<char>('A' + round % 26)) + "BC";
        REQUIRE(s.submit({{"a", a}, {"ref", fmt_ref(round)}, {"b", "QRS"}}));
        CHECK(text(s, "a") == a);
        CHECK(text(s, "ref") == fmt_ref(round));
        CHECK(text(s, "b") == "QRS");
        REQUIRE(s.next());
    }
}

TEST_CASE("session: a pattern that cannot be compiled or is risky is reported on every submit") {
    for (const std::string pattern : {"[a-", "(a+)+b"}) {
        CAPTURE(pattern);
        manual_clock clk(0);
        session s(with_pattern(pattern), nullptr, clk);
        for (int round = 0; round < 3; ++round) {
            const action_result r = s.submit({{"code", "aaaaaaaaaaab"}});
            REQUIRE(r.field_errors.size() == 1);
            CHECK(r.field_errors[0].message == "Cannot check the pattern " + pattern);
            CHECK(node_id(s) == "f");
        }
        // An empty optional field does not run its pattern.
        REQUIRE(s.submit({{"n", "4"}}));
        CHECK(node_id(s) == "done");
    }
}

TEST_CASE("session: sessions on one tree in several threads check patterns independently") {
    const auto shared = load(repeat_form_xml);
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (std::size_t k = 0; k < wrong.size(); ++k) {
        threads.emplace_back([&shared, &wrong, k] {
            manual_clock clk(0);
            session s(shared, nullptr, clk);
            for (int round = 0; round < 200; ++round) {
                const bool valid = (round + static_cast<int>(k)) % 2 == 0;
                const action_result r = s.submit({{"a", valid ? "ABC" : "abc"}, {"ref", "1234-56"}});
                if (r.ok != valid) ++wrong[k];
                if (r.ok && !s.next().ok) ++wrong[k];
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(wrong == std::vector<int>(4, 0));
}

TEST_CASE("session: a choice that would grow a text past its limit is refused, not run out of memory") {
    const char* xml = R"(<tree format="1" id="dbl" start="q">
  <variables><variable name="t" type="text" default="xxxxxxxxxxxxxxxx"/></variables>
  <question id="q"><text>len?</text>
    <choice to="q" set="t = t + t">double</choice><choice to="e">done</choice></question>
  <end id="e" outcome="resolved"><text>x</text></end></tree>)";
    manual_clock clk(0);
    session s(load(xml), nullptr, clk);
    int taken = 0;
    action_result r;
    while ((r = s.choose(0)) && taken < 100) ++taken;
    CHECK(taken == 12);  // 16 bytes doubled 12 times is 64 KiB, the limit
    CHECK(r.error == "Cannot set t: text too long (over 65536 bytes)");
    CHECK(s.choose(1));  // the call goes on
    CHECK(s.status() == session_status::completed);
}

TEST_CASE("session: typed text reaches the log without control characters or invalid UTF-8") {
    manual_clock clk(0);
    recording_sink sink;
    session s(load(form_xml), nullptr, clk, &sink, "ana\x1b[31m");
    s.note("call\xfe back \x1b]0;pwn\x07 later");
    const auto r = s.submit({{"code", "ABC"}, {"count", "2"}, {"note", "x\xff\x1b[2Jy"}});
    CHECK(r.ok);
    s.abandon("hung\x00up" + std::string(1, '\x1b'));
    for (const event& e : sink.events) {
        CAPTURE(e.detail);
        CHECK_FALSE(find_invalid_utf8(e.detail).has_value());
        CHECK(e.detail.find('\x1b') == std::string::npos);
        CHECK(e.outcome.find('\x1b') == std::string::npos);
    }
    CHECK(sink.events.front().detail == "ana\xEF\xBF\xBD[31m");
    CHECK(s.transcript().find("call\xEF\xBF\xBD back \xEF\xBF\xBD]0;pwn\xEF\xBF\xBD later") != std::string::npos);
    CHECK(s.variables().at("note") == value{std::string("x\xEF\xBF\xBD\xEF\xBF\xBD[2Jy")});
}

TEST_CASE("session: a date field takes what the agent types as a day, and logic reads it against today") {
    constexpr std::string_view xml = R"(<tree format="1" id="deadline" title="Deadline" start="ask">
  <variables>
    <variable name="due" type="date" label="Agreed deadline"/>
    <variable name="review" type="date" default="2026-12-31"/>
    <variable name="days_left" type="number" default="0"/>
  </variables>
  <form id="ask" title="Deadline" to="route">
    <text>Today is {today}.</text>
    <field var="due" required="true"/>
  </form>
  <logic id="route">
    <branch if="due &lt; today" to="past"/>
    <branch if="due - today &lt;= 5" to="soon"/>
    <otherwise to="later"/>
  </logic>
  <question id="soon" title="Soon">
    <text>Due {due}, in {days_left} days.</text>
    <choice to="ok" set="days_left = due - today; review = due + 7">Plan it</choice>
  </question>
  <end id="ok" title="Planned" outcome="planned"/>
  <end id="past" title="Past" outcome="late"/>
  <end id="later" title="Later" outcome="later"/>
</tree>
)";
    // Noon UTC: the same calendar day in every time zone within 11 hours of it.
    manual_clock clk(1'796'126'400'000);  // Tuesday 2026-12-01 12:00 UTC
    recording_sink sink;
    session s(load(xml), nullptr, clk, &sink, "bob");
    CHECK(s.current().text == "Today is 2026-12-01.");
    // Refused with what to type; nothing recorded.
    auto r = s.submit({{"due", "04/12/2026"}});
    REQUIRE_FALSE(r);
    REQUIRE(r.field_errors.size() == 1);
    CHECK(r.field_errors[0].message == "'04/12/2026' could be 4 Dec or 12 Apr; type it as 2026-12-04 or 4 Dec 2026");
    // "friday" is the coming Friday, held and logged as its ISO day.
    REQUIRE(s.submit({{"due", "friday"}}));
    CHECK(text(s, "due") == "2026-12-04");
    CHECK(node_id(s) == "soon");
    REQUIRE(s.choose(0));
    CHECK(number(s, "days_left") == 3);
    CHECK(text(s, "review") == "2026-12-11");
    bool logged = false;
    for (const event& e : sink.events) logged = logged || (e.kind == event_kind::field && e.detail == "due=2026-12-04");
    CHECK(logged);
    // A day before today goes the other way.
    session late(load(xml), nullptr, clk, nullptr, "bob");
    REQUIRE(late.submit({{"due", "1 Nov 2026"}}));
    CHECK(late.status() == session_status::completed);
    CHECK(late.outcome() == "late");
}
