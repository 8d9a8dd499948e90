// The player's model without a window: republishing mid-shift, the log warning, find.
#include <doctest/doctest.h>
#include <unistd.h>

#include "player_app.hpp"
#include "player_fixture.hpp"
#include "signpost/session_log.hpp"

using namespace signpost;

namespace {

std::string with_version(std::string xml, int version) {
    const std::string from = "version=\"2\"";
    xml.replace(xml.find(from), from.size(), "version=\"" + std::to_string(version) + "\"");
    return xml;
}

// Options for the fixture script in `dir`, logging to `log` ("-": no log).
player::player_options router_options(const test::temp_folder& dir, const std::string& log) {
    player::player_options o;
    o.tree_path = dir.write("router.xml", test::player_tree_xml);
    o.log_path = log == "-" ? log : dir.file(log);
    return o;
}

// Plays the fixture script to its last question and takes `last` there (0: fixed, the call
// completes; 1: escalated to Tier 2).
void play_to_the_end(player::player_app& app, int last) {
    app.choose(0);
    app.form_inputs["account"] = "12345678";
    app.submit();
    app.choose(last);
    REQUIRE(app.call().finished());
}

}  // namespace

TEST_CASE("player app: a republished script is used from the next call, never mid-call") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_options o;
    o.tree_path = dir.write("router.xml", test::player_tree_xml);
    o.log_path = dir.file("log.db");
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    app.choose(1);
    REQUIRE(app.call().current().node_ptr->id == "reboot");

    // Republished with a new version and an extra choice text.
    std::string v3 = with_version(test::player_tree_xml, 3);
    v3.replace(v3.find("Unplug the router"), 17, "Switch the router off");
    dir.write("router.xml", v3);
    clk.advance(1500);
    app.poll_file_change();
    CHECK(app.notice().find("republished") != std::string::npos);
    // The call in progress goes on, on the version it started with.
    CHECK(app.call().root_tree().version == 2);
    CHECK(app.call().current().text.find("Unplug the router") != std::string::npos);
    app.next();
    CHECK(app.call().current().node_ptr->id == "power");

    app.next_call();
    CHECK(app.call().root_tree().version == 3);
    CHECK(app.notice().find("version 3") != std::string::npos);
    app.choose(1);
    CHECK(app.call().current().text.find("Switch the router off") != std::string::npos);

    // The log knows which version each call ran.
    log_reader reader;
    REQUIRE(reader.open(o.log_path));
    std::vector<int> versions;
    CHECK(reader.for_each_session({}, [&](const session_record& s, const std::vector<event>&) {
        versions.push_back(s.tree_version);
    }));
    CHECK(versions == std::vector<int>{2, 3});
}

TEST_CASE("player app: a republished sub-script is used from the next call too") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    const std::string sub = R"(<tree format="1" id="check" version="1" start="ask">
  <step id="ask" title="Ask the caller's name" to="ok"><text>Ask.</text></step>
  <end id="ok" outcome="verified"/>
</tree>)";
    dir.write("check.xml", sub);
    player::player_options o;
    o.tree_path = dir.write("root.xml", R"(<tree format="1" id="root" version="1" start="verify">
  <jump id="verify" tree="check" to="done"/>
  <end id="done" outcome="resolved"/>
</tree>)");
    o.log_path = "-";
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    CHECK(app.call().current().title == "Ask the caller's name");

    std::string v2 = sub;
    v2.replace(v2.find("Ask the caller's name"), 21, "Ask for the employee id");
    dir.write("check.xml", v2);
    clk.advance(1500);
    app.poll_file_change();
    CHECK(app.notice().find("republished") != std::string::npos);
    CHECK(app.call().current().title == "Ask the caller's name");  // not mid-call
    app.next_call();
    CHECK(app.call().current().title == "Ask for the employee id");
    // And no false alarm after that.
    clk.advance(1500);
    app.poll_file_change();
    CHECK(app.notice().find("The script was republished") == std::string::npos);
}

TEST_CASE("player app: a republished file that no longer loads keeps the old version running") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_options o;
    o.tree_path = dir.write("router.xml", test::player_tree_xml);
    o.log_path = "-";
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    dir.write("router.xml", "<tree format=\"1\" id=\"router\" start=\"nowhere\">");
    clk.advance(1500);
    app.poll_file_change();
    app.end_call();
    app.next_call();
    CHECK(app.call().root_tree().version == 2);
    CHECK(app.notice().find("does not load") != std::string::npos);
    CHECK(app.notice().find("router.xml:1:") != std::string::npos);
    CHECK_FALSE(app.call().finished());
}

TEST_CASE("player app: ending a call on a form keeps what was typed and not submitted as a note") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_app app(router_options(dir, "-"), clk);
    REQUIRE_FALSE(app.start());
    app.choose(0);
    REQUIRE(app.call().current().node_ptr->id == "acct");
    app.form_inputs["account"] = "4011";
    app.end_reason = "line dropped";
    app.end_call();
    CHECK(app.call().status() == session_status::abandoned);
    CHECK(app.call().transcript().find("Typed in the form, not submitted: Account number: 4011") != std::string::npos);

    // An untouched form adds nothing.
    app.next_call();
    app.choose(0);
    app.end_call();
    CHECK(app.call().transcript().find("not submitted") == std::string::npos);
}

TEST_CASE("player app: typing left in a form by going back is there again when the call returns to it") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_options o = router_options(dir, "-");
    std::string findable = test::player_tree_xml;
    findable.replace(findable.find("start=\"power\""), 13, "start=\"power\" allow-find=\"true\"");
    dir.write("router.xml", findable);
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    app.choose(0);
    REQUIRE(app.call().current().node_ptr->id == "acct");
    app.form_inputs["account"] = "4011";
    app.back();
    REQUIRE(app.call().current().node_ptr->id == "power");
    app.choose(0);
    CHECK(app.form_inputs["account"] == "4011");

    // The same through a crumb and through find.
    app.form_inputs["account"] = "4011 2";
    app.back_to(0);
    REQUIRE(app.call().current().node_ptr->id == "power");
    CHECK(app.go_to("acct"));
    CHECK(app.form_inputs["account"] == "4011 2");
    CHECK(app.go_to("power"));
    app.choose(0);
    CHECK(app.form_inputs["account"] == "4011 2");

    // Still not submitted when the call ends: the note says so.
    app.end_call();
    CHECK(app.call().transcript().find("Typed in the form, not submitted: Account number: 4011 2") != std::string::npos);

    // Submitted typing is the script's value from then on; restart forgets typing.
    app.next_call();
    app.choose(0);
    app.form_inputs["account"] = "12345678";
    app.submit();
    REQUIRE(app.call().current().node_ptr->id == "works");
    app.back();
    app.form_inputs["account"] = "9999";
    app.back();
    app.choose(0);
    CHECK(app.form_inputs["account"] == "9999");
    app.restart();
    app.choose(0);
    CHECK(app.form_inputs["account"].empty());

    // A field put back as it was is not brought back.
    app.form_inputs["account"] = "55";
    app.back();
    app.choose(0);
    REQUIRE(app.form_inputs["account"] == "55");
    app.form_inputs["account"] = "";
    app.back();
    app.choose(0);
    CHECK(app.form_inputs["account"].empty());
}

TEST_CASE("player app: a note too long stays in the box, and left there at the next call it is kept in parts") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    const player::player_options o = router_options(dir, "log.db");
    {
        player::player_app app(o, clk);
        REQUIRE_FALSE(app.start());
        // Two-byte characters, so a part must not end inside one.
        std::string pasted;
        while (pasted.size() < 2 * session::max_note_bytes + 100) pasted += "\xC3\xA9";
        app.note_draft = pasted;
        CHECK_FALSE(app.add_note());
        CHECK(app.note_error.find("at most 16 KiB") != std::string::npos);
        CHECK(app.note_draft == pasted);
        CHECK(app.call().notes().empty());
        app.next_call();
        CHECK(app.note_draft.empty());
        CHECK(app.note_error.empty());
    }
    // The first call's log has it, in three parts that put back together are the text.
    log_reader reader;
    REQUIRE(reader.open(o.log_path));
    std::vector<std::string> notes;
    CHECK(reader.for_each_session({}, [&](const session_record&, const std::vector<event>& events) {
        for (const event& e : events)
            if (e.kind == event_kind::note) notes.push_back(e.detail);
    }));
    REQUIRE(notes.size() == 3);
    std::string joined;
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const std::string mark = "(part " + std::to_string(i + 1) + " of 3) ";
        REQUIRE(notes[i].starts_with(mark));
        CHECK(notes[i].size() <= session::max_note_bytes);
        joined += notes[i].substr(mark.size());
    }
    std::string pasted;
    while (pasted.size() < 2 * session::max_note_bytes + 100) pasted += "\xC3\xA9";
    CHECK(joined == pasted);
}

TEST_CASE("player app: a private field typed and not submitted is named in the note, without its value") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_options o = router_options(dir, "-");
    std::string xml = test::player_tree_xml;
    const std::string plain = "<variable name=\"account\" type=\"text\" default=\"\"/>";
    xml.replace(xml.find(plain), plain.size(), "<variable name=\"account\" type=\"text\" default=\"\" private=\"true\"/>");
    dir.write("router.xml", xml);
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    app.choose(0);
    app.form_inputs["account"] = "4011";
    app.end_call();
    CHECK(app.call().transcript().find("Typed in the form, not submitted: Account number: (private, not kept)") !=
          std::string::npos);
    CHECK(app.call().transcript().find("4011") == std::string::npos);
}

TEST_CASE("player app: after restart, a refused Back does not bring back what was typed before") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_app app(router_options(dir, "-"), clk);
    REQUIRE_FALSE(app.start());
    app.choose(0);
    app.form_inputs["account"] = "12345678";
    app.submit();
    REQUIRE(app.call().current().node_ptr->id == "works");
    app.restart();
    app.back();  // nothing to go back to
    CHECK_FALSE(app.action_error.empty());
    app.choose(0);
    REQUIRE(app.call().current().node_ptr->id == "acct");
    CHECK(app.form_inputs["account"].empty());
}

TEST_CASE("player app: typing over a note's size left in a form at the end is kept in parts") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_app app(router_options(dir, "-"), clk);
    REQUIRE_FALSE(app.start());
    app.choose(0);
    app.form_inputs["account"] = std::string(session::max_note_bytes + 10, '7');
    app.end_call();
    const std::string transcript = app.call().transcript();
    CHECK(transcript.find("(part 1 of 2) Typed in the form, not submitted: Account number: 777") != std::string::npos);
    CHECK(transcript.find("(part 2 of 2) 777") != std::string::npos);
}

TEST_CASE("player app: a log that cannot be written warns the agent and the call goes on") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_options o;
    o.tree_path = dir.write("router.xml", test::player_tree_xml);
    // A path under a regular file can never be created, whoever runs the test.
    dir.write("not-a-folder", "x");
    o.log_path = dir.file("not-a-folder/sessions.db");
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    CHECK_FALSE(app.log_warning().empty());
    app.choose(0);
    CHECK(app.call().current().node_ptr->id == "acct");
}

TEST_CASE("player app: unwritten events are kept in the spill file and replayed on the next start") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_options o;
    o.tree_path = dir.write("router.xml", test::player_tree_xml);
    o.log_path = dir.file("sessions.db");
    // A folder where the database file should be: SQLite cannot open it, the spill beside it works.
    std::filesystem::create_directories(o.log_path);
    {
        player::player_app app(o, clk);
        REQUIRE_FALSE(app.start());
        CHECK_FALSE(app.log_warning().empty());
        app.choose(1);
        app.end_call();
    }
    CHECK(std::filesystem::exists(o.log_path + ".spill"));
    std::filesystem::remove_all(o.log_path);
    {
        player::player_app app(o, clk);
        REQUIRE_FALSE(app.start());
        CHECK(app.log_warning().empty());
    }
    CHECK_FALSE(std::filesystem::exists(o.log_path + ".spill"));
    log_reader reader;
    REQUIRE(reader.open(o.log_path));
    int sessions = 0, chooses = 0;
    CHECK(reader.for_each_session({}, [&](const session_record&, const std::vector<event>& events) {
        ++sessions;
        for (const event& e : events) chooses += e.kind == event_kind::choose;
    }));
    CHECK(sessions == 2);
    CHECK(chooses == 1);
}

TEST_CASE("player app: find jumps only when the tree allows it") {
    test::temp_folder dir;
    manual_clock clk{0};
    player::player_options o;
    o.log_path = "-";
    o.tree_path = dir.write("router.xml", test::player_tree_xml);
    {
        player::player_app app(o, clk);
        REQUIRE_FALSE(app.start());
        CHECK_FALSE(app.go_to("works"));
        CHECK(app.call().current().node_ptr->id == "power");
    }
    std::string xml = test::player_tree_xml;
    xml.replace(xml.find("start=\"power\""), 13, "start=\"power\" allow-find=\"true\"");
    o.tree_path = dir.write("router.xml", xml);
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    CHECK(app.go_to("works"));
    CHECK(app.call().current().node_ptr->id == "works");
    app.back();
    CHECK(app.call().current().node_ptr->id == "power");
}

TEST_CASE("player app: notes after the call ends are after-call work: logged after the end, the call's figures unchanged") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    const player::player_options o = router_options(dir, "log.db");
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    play_to_the_end(app, 1);  // not working: escalated to Tier 2, the call ends
    REQUIRE(app.call().status() == session_status::escalated);
    clk.advance(60'000);  // the caller is gone; the agent writes up the call
    app.note_draft = "caller will send photos of the router lights";
    app.add_note();
    CHECK(app.note_draft.empty());
    // A note typed and not added when the next call starts is kept too.
    app.note_draft = "router is in the basement";
    app.next_call();
    CHECK(app.note_draft.empty());

    log_reader reader;
    REQUIRE(reader.open(o.log_path));
    std::vector<session_record> sessions;
    std::vector<std::vector<event>> events;
    CHECK(reader.for_each_session({}, [&](const session_record& s, const std::vector<event>& e) {
        sessions.push_back(s);
        events.push_back(e);
    }));
    REQUIRE(sessions.size() == 2);  // the escalated call and the next one, in progress
    CHECK(sessions[0].status == session_status::escalated);
    REQUIRE(events[0].size() >= 3);
    const auto n = events[0].size();
    CHECK(events[0][n - 3].kind == event_kind::end);
    CHECK(events[0][n - 2].kind == event_kind::note);
    CHECK(events[0][n - 2].detail == "caller will send photos of the router lights");
    CHECK(events[0][n - 1].kind == event_kind::note);
    CHECK(events[0][n - 1].detail == "router is in the basement");
    // The call took until its end, not until the last note.
    REQUIRE(sessions[0].ended_ms);
    CHECK(*sessions[0].ended_ms == events[0][n - 3].time_ms);
    CHECK(events[0][n - 2].time_ms - *sessions[0].ended_ms == 60'000);
}

TEST_CASE("player app: a note typed during a call and not added is logged before the call's end") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    const player::player_options o = router_options(dir, "log.db");
    {
        player::player_app app(o, clk);
        REQUIRE_FALSE(app.start());
        app.note_draft = "caller upset";
        app.add_note();
        app.note_draft = "second note";  // still in the box when the player closes mid-call
    }
    log_reader reader;
    REQUIRE(reader.open(o.log_path));
    std::vector<event> seen;
    CHECK(reader.for_each_session({}, [&](const session_record&, const std::vector<event>& e) { seen = e; }));
    REQUIRE(seen.size() >= 2);
    // Not after-call work: the call was open when it was typed.
    CHECK(seen.back().kind == event_kind::end);
    CHECK(seen[seen.size() - 2].kind == event_kind::note);
    CHECK(seen[seen.size() - 2].detail == "second note");
}

TEST_CASE("player app: call data keeps a sub-script's labels after the call returns from it") {
    test::temp_folder dir;
    dir.write("check.xml", R"(<tree format="1" id="check" start="ask">
  <variables>
    <variable name="method" type="choice" options="badge code" label="Verification method"/>
    <variable name="tries" type="number" default="1"/>
  </variables>
  <question id="ask" title="How?"><choice to="ok" set="method = 'badge'">Badge</choice></question>
  <end id="ok" outcome="verified"/>
</tree>)");
    const char* root = R"(<tree format="1" id="desk" start="verify">
  <variables>
    <variable name="reason" type="text" default="lockout" label="Reason for the call"/>
    <variable name="steps" type="text" default="" label="Steps taken"/>
  </variables>
  <jump id="verify" tree="check" to="done"/>
  <step id="done" title="Done" to="bye"/>
  <end id="bye" outcome="resolved"/>
</tree>)";
    manual_clock clk{1'700'000'000'000};
    player::player_options o;
    o.tree_path = dir.write("desk.xml", root);
    o.log_path = "-";
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    app.choose(0);
    REQUIRE(app.call().current().node_ptr->id == "done");  // back in the script
    const auto rows = app.call_data();
    std::vector<std::pair<std::string, std::string>> shown;
    for (const auto& r : rows) shown.emplace_back(r.label, r.value);
    // The script's own first, then the sub-script's in its order, labelled where it can be;
    // the empty "Steps taken" is left out.
    CHECK(shown == std::vector<std::pair<std::string, std::string>>{
                       {"Reason for the call", "lockout"}, {"Verification method", "badge"}, {"tries", "1"}});
}

TEST_CASE("player app: a form shows what was typed only when gone back to, not when the script comes to it again") {
    const char* xml = R"(<tree format="1" id="acct" start="ask">
  <variables><variable name="account" type="text" label="Account"/></variables>
  <form id="ask" title="Account" to="check"><field var="account" required="true"/></form>
  <question id="check" title="Found?">
    <choice to="ok">Yes</choice>
    <choice to="ask" set="account = ''">No: ask for it again</choice>
  </question>
  <end id="ok" outcome="resolved"/>
</tree>)";
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    player::player_options o;
    o.tree_path = dir.write("acct.xml", xml);
    o.log_path = "-";
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    app.form_inputs["account"] = "11112222";
    app.submit();
    REQUIRE(app.call().current().node_ptr->id == "check");
    app.back();
    CHECK(app.form_inputs["account"] == "11112222");  // gone back to: as typed
    app.submit();
    app.choose(1);  // the script clears the number and asks again
    REQUIRE(app.call().current().node_ptr->id == "ask");
    CHECK(app.form_inputs["account"].empty());
}

TEST_CASE("player app: a note still being typed when the player closes is kept with the call") {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    const player::player_options o = router_options(dir, "log.db");
    {
        player::player_app app(o, clk);
        REQUIRE_FALSE(app.start());
        play_to_the_end(app, 0);  // fixed: the call is over
        REQUIRE(app.call().status() == session_status::completed);
        app.note_draft = "end of shift wrap-up";
    }
    log_reader reader;
    REQUIRE(reader.open(o.log_path));
    std::vector<event> events;
    CHECK(reader.for_each_session({}, [&](const session_record&, const std::vector<event>& e) { events = e; }));
    REQUIRE_FALSE(events.empty());
    CHECK(events.back().kind == event_kind::note);
    CHECK(events.back().detail == "end of shift wrap-up");
}
