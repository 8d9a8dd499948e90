// The console player driven through streams, as a script or tmux would drive it.
#include <doctest/doctest.h>
#include <sstream>
#include <utility>
#include <vector>
#include <unistd.h>

#include "console.hpp"
#include "player_fixture.hpp"
#include "signpost/clock.hpp"

using namespace signpost;

namespace {

struct console_run {
    int code = -1;
    std::string output;
    session_status status = session_status::active;
    std::string transcript;
};

console_run play(const std::string& xml, const std::string& input,
                 const std::vector<std::pair<std::string, std::string>>& other_trees = {}, std::size_t columns = 0,
                 bool scripted = false) {
    test::temp_folder dir;
    for (const auto& [name, text] : other_trees) dir.write(name, text);
    manual_clock clk{1'700'000'000'000};
    player::player_options o;
    o.tree_path = dir.write("router.xml", xml);
    o.agent = "bob";
    o.log_path = "-";
    player::player_app app(o, clk);
    const auto error = app.start();
    REQUIRE_MESSAGE(!error, error.value_or(""));
    std::istringstream in(input);
    std::ostringstream out;
    console_run r;
    r.code = player::run_console(app, in, out, columns, scripted);
    r.output = out.str();
    r.status = app.call().status();
    r.transcript = app.call().transcript();
    return r;
}

}  // namespace

TEST_CASE("console: numbered choices, continue, form and the transcript at the end") {
    const auto r = play(test::player_tree_xml, "2\n\n1\nabc\n12345678\n1\n");
    CHECK(r.code == 0);
    CHECK(r.status == session_status::completed);
    CHECK(r.output.find("  1) Yes, it is lit") != std::string::npos);
    CHECK(r.output.find("  2) No") != std::string::npos);
    CHECK(r.output.find("(agent note) Ask them to look") != std::string::npos);
    // The bad account number is refused with the field's error, then re-asked.
    CHECK(r.output.find("  ! Account number:") != std::string::npos);
    CHECK(r.output.find("--- transcript ---") != std::string::npos);
    CHECK(r.output.find("12345678") != std::string::npos);
    CHECK(r.output.find("resolved") != std::string::npos);
    // The end step says what to tell the caller: shown before the transcript.
    const auto said = r.output.find("== Fixed ==\nThank the customer.");
    CHECK(said != std::string::npos);
    CHECK(said < r.output.find("--- transcript ---"));
}

TEST_CASE("console: an abandoned call does not show its last step as if it were to do") {
    const auto r = play(test::player_tree_xml, "q caller hung up\n");
    CHECK(r.status == session_status::abandoned);
    // Shown once, when the call was on it; not again after the end.
    const auto first = r.output.find("== Power light ==");
    REQUIRE(first != std::string::npos);
    CHECK(r.output.find("== Power light ==", first + 1) == std::string::npos);
}

TEST_CASE("console: b goes back, r restarts, n adds a note, q ends the call with a reason") {
    const auto r = play(test::player_tree_xml, "2\nb\nn caller is on a mobile\nr\ny\nq line dropped\n");
    CHECK(r.code == 0);
    CHECK(r.status == session_status::abandoned);
    CHECK(r.transcript.find("caller is on a mobile") != std::string::npos);
    CHECK(r.transcript.find("line dropped") != std::string::npos);
}

TEST_CASE("console: input that ends mid-call abandons the call and exits 3") {
    const auto r = play(test::player_tree_xml, "2\n");
    CHECK(r.code == 3);
    CHECK(r.status == session_status::abandoned);
}

TEST_CASE("console: a call that ends in a form keeps what was typed there as a note") {
    // Refused (not 8 digits), then the input ends: the caller said it, so it is not lost.
    const auto r = play(test::player_tree_xml, "1\n4011 22\n");
    CHECK(r.code == 3);
    CHECK(r.status == session_status::abandoned);
    CHECK(r.transcript.find("Typed in the form, not submitted: Account number: 4011 22") != std::string::npos);
    // Nothing typed: no note.
    const auto q = play(test::player_tree_xml, "1\n:q caller left\n");
    CHECK(q.transcript.find("not submitted") == std::string::npos);
}

TEST_CASE("console: :b in a form keeps what was typed there for when the call comes back") {
    // Refused (not 8 digits), then :b and the same choice: the field offers what was typed.
    const auto r = play(test::player_tree_xml, "1\n4011 22\n:b\n1\n\n");
    const auto again = r.output.rfind("Account number *");
    REQUIRE(again != std::string::npos);
    CHECK(r.output.compare(again, 27, "Account number * [4011 22]:") == 0);
}

TEST_CASE("console: scripted answers stop at the first one refused") {
    const auto scripted = [](const std::string& answers) { return play(test::player_tree_xml, answers, {}, 0, true); };
    // "7" is no choice: the "1" after it was meant for the next question, so it is not taken.
    auto r = scripted("7\n1\n12345678\n1\n");
    CHECK(r.code == 5);
    CHECK(r.status == session_status::abandoned);
    CHECK(r.output.find("> ! There is no choice 7 here\n! stopped: answer 1 ('7') was refused: There is no choice 7 here") !=
          std::string::npos);
    // The log's reason says which answer and why, never what was typed.
    CHECK(r.transcript.find("Abandoned: scripted answer 1 was refused: There is no choice 7 here") != std::string::npos);
    CHECK(r.transcript.find("Account") == std::string::npos);
    // A form's refused value is a refusal too; a run with no refusal is unchanged.
    r = scripted("1\n4011\n12345678\n1\n");
    CHECK(r.code == 5);
    CHECK(r.output.find("answer 2 ('4011') was refused: Account number:") != std::string::npos);
    CHECK(r.transcript.find("Abandoned: scripted answer 2 was refused: Account number: Must match") !=
          std::string::npos);
    // The field refused is named by its own answer, not by the form's last.
    r = scripted("1\n4011\n:n caller is patient\n\n");
    CHECK(r.output.find("! stopped: answer 2 ('4011') was refused") != std::string::npos);
    r = scripted("1\n12345678\n1\n");
    CHECK(r.code == 0);
    CHECK(r.status == session_status::completed);
    // An after-call line that is not a note is refused as well, and so are answers left over.
    r = scripted("1\n12345678\n1\nthanks\n");
    CHECK(r.code == 5);
    CHECK(r.status == session_status::completed);
    r = scripted("1\n12345678\n1\n\n\n2\n");
    CHECK(r.code == 5);
    CHECK(r.output.find("! stopped: 1 answer was left over after the call ended") != std::string::npos);
    // Typed by hand, the same refusals are said and the call goes on.
    r = play(test::player_tree_xml, "7\n1\n12345678\n1\n");
    CHECK(r.code == 0);
    CHECK(r.status == session_status::completed);
}

TEST_CASE("console: a private field says it is not logged") {
    std::string xml = test::player_tree_xml;
    const std::string plain = "<variable name=\"account\" type=\"text\" default=\"\"/>";
    xml.replace(xml.find(plain), plain.size(), "<variable name=\"account\" type=\"text\" default=\"\" private=\"true\"/>");
    const auto r = play(xml, "1\n12345678\n1\n");
    CHECK(r.output.find("Account number * (private: not logged):") != std::string::npos);
    CHECK(play(test::player_tree_xml, "1\n").output.find("private") == std::string::npos);
}

TEST_CASE("console: unknown commands and out-of-range numbers are refused, not fatal") {
    const auto r = play(test::player_tree_xml, "7\nxyz\n2\n\n1\n12345678\n1\n");
    CHECK(r.code == 0);
    CHECK(r.output.find("! unknown command 'xyz'") != std::string::npos);
    CHECK(r.status == session_status::completed);
}

TEST_CASE("console: a form takes :commands, so the agent can leave it, and - clears a field") {
    // Inside the form every line is a value, except ":b", ":q"... Plain "b" is a value when
    // the agent says so (y).
    const auto r = play(test::player_tree_xml, "1\nb\ny\n:?\n:n caller reads digits slowly\n:b\n1\n:q caller left\n");
    CHECK(r.code == 0);
    CHECK(r.status == session_status::abandoned);
    CHECK(r.output.find("  ! Account number:") != std::string::npos);  // "b" was tried as the account number
    CHECK(r.transcript.find("caller reads digits slowly") != std::string::npos);
    CHECK(r.transcript.find("caller left") != std::string::npos);
    // Help was shown inside the form (once at the start, once for :?).
    const auto first = r.output.find(":b :r :n :g :q :? are the commands above");
    REQUIRE(first != std::string::npos);
    CHECK(r.output.find(":b :r :n :g :q :? are the commands above", first + 1) != std::string::npos);
    // :b went back to the question: it was shown again.
    CHECK(r.output.find("== Power light ==", r.output.find("== Account ==")) != std::string::npos);

    // A wrong value is offered again in [ ]; "-" clears it, so the required field is refused.
    const auto cleared = play(test::player_tree_xml, "1\nabc\n-\n12345678\n1\n");
    CHECK(cleared.code == 0);
    CHECK(cleared.status == session_status::completed);
    CHECK(cleared.output.find("Account number * [abc]: ") != std::string::npos);
    CHECK(cleared.output.find("  ! Account number: Required") != std::string::npos);
}

TEST_CASE("console: restarting from inside the first form asks it again from its first field") {
    const std::string xml = R"(<tree format="1" id="router" start="f">
  <variables><variable name="x" type="text"/><variable name="y" type="text"/></variables>
  <form id="f" title="Details" to="done">
    <field var="x" label="First"/>
    <field var="y" label="Second" required="true"/>
  </form>
  <end id="done" outcome="resolved"/>
</tree>
)";
    const auto r = play(xml, "first-x\n:r\ny\ntwo\nthree\n");
    CHECK(r.code == 0);
    CHECK(r.status == session_status::completed);
    // The form was shown again after the restart, and both answers are the new ones.
    const auto shown = r.output.find("== Details ==");
    REQUIRE(shown != std::string::npos);
    CHECK(r.output.find("== Details ==", shown + 1) != std::string::npos);
    CHECK(r.transcript.find("two") != std::string::npos);
    CHECK(r.transcript.find("three") != std::string::npos);
    // What was typed before the restart is a note now (as End call keeps it), not an answer.
    const auto note = r.transcript.find("Typed in the form, not submitted: First: first-x");
    CHECK(note != std::string::npos);
    CHECK(r.transcript.find("first-x") == note + std::string("Typed in the form, not submitted: First: ").size());
}

TEST_CASE("console: a choice number is digits only, and a huge one is no choice") {
    const auto r = play(test::player_tree_xml, "4294967297\n1x\n+1\n99999999999999999999\n2\n\n1\n12345678\n1\n");
    CHECK(r.code == 0);
    CHECK(r.status == session_status::completed);
    CHECK(r.output.find("! there is no choice 4294967297") != std::string::npos);
    CHECK(r.output.find("! there is no choice 1x") != std::string::npos);
    CHECK(r.output.find("! unknown command '+1'") != std::string::npos);
    CHECK(r.output.find("! there is no choice 99999999999999999999") != std::string::npos);
    // None of them chose anything: the first answer taken was "No" (2), to the reboot step.
    REQUIRE(r.output.find("== Reboot ==") != std::string::npos);
    CHECK(r.output.find("== Reboot ==") < r.output.find("== Account =="));
}

TEST_CASE("console: control characters in tree text cannot reach the terminal") {
    std::string xml = test::player_tree_xml;
    // A C1 CSI (U+009B, legal in XML) and an ESC written as a raw byte would recolour or
    // move the agent's terminal if printed as they are.
    const std::string hostile = "Is the light on?\xC2\x9B" "2J\x1B[31mRED\x07";
    const std::string from = "Is the **power light** on?";
    xml.replace(xml.find(from), from.size(), hostile);
    test::temp_folder dir;
    manual_clock clk{0};
    player::player_options o;
    o.tree_path = dir.write("router.xml", xml);
    o.log_path = "-";
    player::player_app app(o, clk);
    if (app.start()) {
        // The loader may refuse raw control bytes outright; that is safe too, but then the
        // C1 character alone must still be neutralised by the console.
        xml = test::player_tree_xml;
        xml.replace(xml.find(from), from.size(), "Is the light on?\xC2\x9B" "2J");
        o.tree_path = dir.write("router.xml", xml);
        player::player_app app2(o, clk);
        REQUIRE_FALSE(app2.start());
        std::istringstream in("q\n");
        std::ostringstream out;
        player::run_console(app2, in, out);
        CHECK(out.str().find("\xC2\x9B") == std::string::npos);
        CHECK(out.str().find("\xEF\xBF\xBD" "2J") != std::string::npos);
        return;
    }
    std::istringstream in("q\n");
    std::ostringstream out;
    player::run_console(app, in, out);
    const std::string printed = out.str();
    CHECK(printed.find('\x1B') == std::string::npos);
    CHECK(printed.find('\x07') == std::string::npos);
    CHECK(printed.find("\xC2\x9B") == std::string::npos);
    CHECK(printed.find("RED") != std::string::npos);
}

TEST_CASE("console: terminal_text drops Markdown markers and neutralises controls") {
    CHECK(player::terminal_text("**bold** and *it*") == "bold and it");
    CHECK(player::terminal_text("a\x1B[2Jb").find('\x1B') == std::string::npos);
}

TEST_CASE("console: the text of a sub-script's end is shown on the step after the return") {
    const char* check = R"(<tree format="1" id="check" title="Identity check" start="ask">
  <question id="ask" title="Verified?"><choice to="ok">Yes</choice></question>
  <end id="ok" title="Verified" outcome="verified"><text>Thank the caller.</text></end>
</tree>)";
    const char* desk = R"(<tree format="1" id="desk" start="verify">
  <jump id="verify" tree="check" to="done"/>
  <step id="done" title="Help them" to="bye"/>
  <end id="bye" outcome="resolved"/>
</tree>)";
    const auto r = play(desk, "1\n\n", {{"check.xml", check}});
    CHECK(r.status == session_status::completed);
    const auto said = r.output.find("-- Identity check: Verified --\nThank the caller.\n");
    REQUIRE(said != std::string::npos);
    CHECK(said < r.output.find("== Help them =="));
}

TEST_CASE("console: after the call, n adds after-call notes until an empty line") {
    const auto r = play(test::player_tree_xml, "1\n12345678\n1\nn caller will call back Monday\nhello\n\nn too late\n");
    CHECK(r.code == 0);
    CHECK(r.status == session_status::completed);
    CHECK(r.output.find("The call is over.") != std::string::npos);
    CHECK(r.output.find("! the call is over") != std::string::npos);  // "hello" is no note
    CHECK(r.transcript.find("- after the call: caller will call back Monday") != std::string::npos);
    CHECK(r.transcript.find("too late") == std::string::npos);  // after the empty line: not read
    // The transcript printed at the end has the note too.
    CHECK(r.output.find("after the call: caller will call back Monday", r.output.find("--- transcript ---")) !=
          std::string::npos);
}

TEST_CASE("console: a command typed in a form without its colon is asked about, not kept unsaid") {
    // "q caller hung up" out of habit: not saved as the account number; the call ends.
    const auto r = play(test::player_tree_xml, "1\nq caller hung up\n\n");
    CHECK(r.output.find("'q caller hung up' is the command :q outside a form. Keep it as the value instead (y/N): ") !=
          std::string::npos);
    CHECK(r.status == session_status::abandoned);
    CHECK(r.transcript.find("caller hung up") != std::string::npos);
    CHECK(r.transcript.find("Account number: q caller") == std::string::npos);
}

TEST_CASE("console: r asks before it throws the answers away") {
    const auto r = play(test::player_tree_xml, "2\nr\nn\n\n1\n12345678\n1\n");
    CHECK(r.output.find("Start over from the first step?") != std::string::npos);
    CHECK(r.status == session_status::completed);
    CHECK(r.transcript.find("No") != std::string::npos);  // the first answer is still there
    CHECK(r.transcript.find("Reboot") != std::string::npos);
}

TEST_CASE("console: the hand-off says to whom and how urgently, a placeholder shows what to type") {
    std::string xml = test::player_tree_xml;
    xml.replace(xml.find("pattern=\"[0-9]{8}\""), 18, "pattern=\"[0-9]{8}\" placeholder=\"8 digits, e.g. 40112233\"");
    const auto r = play(xml, "1\n12345678\n2\n");
    CHECK(r.status == session_status::escalated);
    CHECK(r.output.find("Account number * (8 digits, e.g. 40112233): ") != std::string::npos);
    const auto said = r.output.find("== Tier 2 ==\nAccount 12345678, 0 reboots.\n  Hand off to Network Tier 2, priority high\n");
    CHECK(said != std::string::npos);
    CHECK(said < r.output.find("--- transcript ---"));
}

TEST_CASE("console: full-width digits choose, as a Japanese input method types them") {
    const auto r = play(test::player_tree_xml, "\xEF\xBC\x92\n\n\xEF\xBC\x91\n12345678\n1\n");
    CHECK(r.output.find("unknown command") == std::string::npos);
    CHECK(r.status == session_status::completed);
    CHECK(r.transcript.find("Reboot") != std::string::npos);
}

TEST_CASE("console: g finds a step by the words of its title and asks before one that ends the call") {
    std::string xml = test::player_tree_xml;
    xml.replace(xml.find("start=\"power\""), 13, "start=\"power\" allow-find=\"true\"");
    // One title holds "working": gone to. "t" is in many: listed, nothing moves.
    const auto r = play(xml, "g t\ng working\n1\n");
    CHECK(r.output.find("steps match; go to one with g and its id:\n") != std::string::npos);
    CHECK(r.output.find("  g tier2   Tier 2 (hands off to Network Tier 2)\n") != std::string::npos);
    CHECK(r.status == session_status::completed);
    CHECK(r.transcript.find("Working now?") != std::string::npos);
    // A hand-off is gone to only when confirmed.
    const auto asked = play(xml, "g tier 2\nn\ng tier 2\ny\n");
    CHECK(asked.output.find("Go to Tier 2 (hands off to Network Tier 2)? (y/N): ") != std::string::npos);
    CHECK(asked.status == session_status::escalated);
    const auto none = play(xml, "g printer\nq\n");
    CHECK(none.output.find("! no step's id, title or text holds 'printer'") != std::string::npos);
}

TEST_CASE("console: a multi-line agent note is marked once") {
    std::string xml = test::player_tree_xml;
    xml.replace(xml.find("Ask them to look at the front of the router."), 44,
                "Ask them to look at the front.\n\nIt may be behind the TV.");
    const auto r = play(xml, "q\n");
    CHECK(r.output.find("  (agent note) Ask them to look at the front.\n\n"
                        "               It may be behind the TV.\n") != std::string::npos);
}

TEST_CASE("console: at a terminal's width the script's text wraps between words") {
    std::string xml = test::player_tree_xml;
    xml.replace(xml.find("Unplug the router for 30 seconds."), 33,
                "Unplug the router for thirty seconds, then plug it back in and wait for the lights.");
    const auto r = play(xml, "2\nq\n", {}, 40);
    CHECK(r.output.find("Unplug the router for thirty seconds,\nthen plug it back in and wait for the\nlights.\n") !=
          std::string::npos);
    // The agent note's lines keep their indent.
    CHECK(r.output.find("  (agent note) Ask them to look at the\n               front of the router.\n") !=
          std::string::npos);
}

TEST_CASE("console: a sub-script's closing words are said once, not again after a refused command") {
    const std::string root = R"(<tree format="1" id="router" start="check">
  <jump id="check" tree="verify" to="next"/>
  <question id="next" title="Next">
    <choice to="done">Go on</choice>
  </question>
  <end id="done" outcome="resolved"/>
</tree>
)";
    const std::string verify = R"(<tree format="1" id="verify" title="Verify" start="ok">
  <end id="ok" title="Verified" outcome="verified"><text>Thank the caller for confirming.</text></end>
</tree>
)";
    const auto r = play(root, "xyz\n1\n", {{"verify.xml", verify}});
    CHECK(r.status == session_status::completed);
    CHECK(r.output.find("! unknown command 'xyz'") != std::string::npos);
    const auto said = r.output.find("Thank the caller for confirming.");
    REQUIRE(said != std::string::npos);
    CHECK(r.output.find("Thank the caller for confirming.", said + 1) == std::string::npos);
    // The step itself is shown again after the refused command.
    CHECK(r.output.find("== Next ==", r.output.find("== Next ==") + 1) != std::string::npos);
}

TEST_CASE("console: g inside a sub-script that forbids find says which part of the call forbids it") {
    const std::string root = R"(<tree format="1" id="router" title="Router check" start="check" allow-find="true">
  <jump id="check" tree="verify" to="done"/>
  <end id="done" outcome="resolved"/>
</tree>
)";
    const std::string verify = R"(<tree format="1" id="verify" title="Verify the caller" start="ask">
  <question id="ask" title="Verified?"><choice to="ok">Yes</choice></question>
  <end id="ok" outcome="verified"/>
</tree>
)";
    const auto r = play(root, "g done\n1\n", {{"verify.xml", verify}});
    CHECK(r.output.find("! find is not available in this part of the call: 'Verify the caller' does not allow jumping "
                        "to a step. Finish it first; the call then goes back to 'Router check'") != std::string::npos);
    CHECK(r.status == session_status::completed);
}

TEST_CASE("console: Alt+Left then Enter goes back, from a form keeping what was typed on the line") {
    // xterm's Alt+Left in a form field: back to the question, the digits kept for the form.
    const auto r = play(test::player_tree_xml, "1\n1234\x1b[1;3D\n1\n\n12345678\n1\n");
    CHECK(r.code == 0);
    CHECK(r.status == session_status::completed);
    CHECK(r.output.find("Account number * [1234]: ") != std::string::npos);
    CHECK(r.transcript.find("12345678") != std::string::npos);
    // rxvt's Alt+Left at a question's prompt.
    const auto q = play(test::player_tree_xml, "2\n\x1b\x1b[D\nq\n");
    CHECK(q.code == 0);
    const auto first = q.output.find("== Power light ==");
    REQUIRE(first != std::string::npos);
    CHECK(q.output.find("== Power light ==", q.output.find("== Reboot ==")) != std::string::npos);
    CHECK(q.output.find("unknown command") == std::string::npos);
    CHECK(q.output.find("Alt+Left then Enter goes back") != std::string::npos);  // in the help
}

TEST_CASE("console: a line with arrow keys in it is not taken as a value or a command") {
    // Left arrow to mend a typo adds ESC [D to the line: the value would have been kept with it.
    const auto r = play(test::player_tree_xml, "1\n4011\x1b[D2233\n40112233\n1\n");
    CHECK(r.code == 0);
    CHECK(r.output.find("special keys") != std::string::npos);
    // Asked again at once, the same field (nothing was submitted).
    std::size_t asked = 0;
    for (auto at = r.output.find("Account number *: "); at != std::string::npos; at = r.output.find("Account number *: ", at + 1))
        ++asked;
    CHECK(asked == 2);
    CHECK(r.output.find("! Account number:") == std::string::npos);
    CHECK(r.transcript.find("40112233") != std::string::npos);
    CHECK(r.transcript.find("[D") == std::string::npos);
    const auto q = play(test::player_tree_xml, "\x1b[A\nq\n");
    CHECK(q.output.find("special keys") != std::string::npos);
    CHECK(q.output.find("unknown command") == std::string::npos);
    // A script's answers stop at one (exit 5), as at any refused answer.
    const auto s = play(test::player_tree_xml, "1\n4011\x1b[D2233\n40112233\n1\n", {}, 0, true);
    CHECK(s.code == 5);
}

TEST_CASE("console: Enter alone at a question says what to type, without showing the question again") {
    const auto r = play(test::player_tree_xml, "\n1\n12345678\n\n\n1\n", {}, 0, /*scripted=*/true);
    CHECK(r.code == 0);
    CHECK(r.status == session_status::completed);
    const auto count = [&](const std::string& s) {
        std::size_t n = 0;
        for (auto at = r.output.find(s); at != std::string::npos; at = r.output.find(s, at + 1)) ++n;
        return n;
    };
    CHECK(count("  type a choice's number, 1-2 (b back, ? help)\n") == 3);
    CHECK(count("== Power light ==") == 1);
    CHECK(count("== Working now? ==") == 1);
}

TEST_CASE("console: a date field reads the typed day back, and refuses one that could be two") {
    const char* xml = R"(<tree format="1" id="router" start="ask">
  <variables><variable name="due" type="date" label="Deadline"/></variables>
  <form id="ask" title="Deadline" to="done"><field var="due" required="true"/></form>
  <end id="done" title="Done" outcome="planned"><text>Due {due}.</text></end>
</tree>)";
    const auto r = play(xml, "04/12/2026\n4 Dec 2026\n", {}, 0, /*scripted=*/false);
    CHECK(r.code == 0);
    CHECK(r.status == session_status::completed);
    CHECK(r.output.find("Deadline * (e.g. 24 Dec, friday, tomorrow, 2026-12-24): ") != std::string::npos);
    CHECK(r.output.find("  ! Deadline: '04/12/2026' could be 4 Dec or 12 Apr; type it as 2026-12-04 or 4 Dec 2026") !=
          std::string::npos);
    CHECK(r.output.find("  taken as Fri 4 Dec 2026\n") != std::string::npos);
    CHECK(r.output.find("Due 2026-12-04.") != std::string::npos);
}

TEST_CASE("console: a choice or yes/no field typed by its start is read back as the answer it is taken as") {
    const char* xml = R"(<tree format="1" id="router" start="ask">
  <variables>
    <variable name="plan" type="choice" options="basic plus business" label="Plan"/>
    <variable name="vip" type="flag" label="VIP"/>
  </variables>
  <form id="ask" title="Plan" to="done"><field var="plan" required="true"/><field var="vip"/></form>
  <end id="done" title="Done" outcome="resolved"/>
</tree>)";
    const auto r = play(xml, "pl\ny\n");
    CHECK(r.status == session_status::completed);
    // (The typed line is not echoed here: on a terminal, the reading is on the line below it.)
    CHECK(r.output.find("Plan * (basic/plus/business):   taken as plus\n") != std::string::npos);
    CHECK(r.output.find("VIP (yes/no):   taken as yes\n") != std::string::npos);
    // Typed whole, nothing is repeated.
    const auto whole = play(xml, "plus\nyes\n");
    CHECK(whole.output.find("taken as") == std::string::npos);
}
