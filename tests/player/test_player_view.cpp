// The player's window code driven through an ImGui context with no renderer: keys and
// clicks in, assertions on the session and on what was drawn.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cfloat>

#include <imgui_internal.h>

#include "player_fixture.hpp"
#include "player_view.hpp"
#include "signpost/clock.hpp"
#include "signpost/session_log.hpp"
#include "ui/headless.hpp"
#include "ui/keys.hpp"
#include "ui/markdown_view.hpp"
#include "ui/notices.hpp"

using namespace signpost;

namespace {

struct player_rig {
    test::temp_folder dir;
    manual_clock clk{1'700'000'000'000};
    std::unique_ptr<player::player_app> app;
    player::player_view_state state;
    test::headless_ui ui;

    explicit player_rig(const std::string& xml = test::player_tree_xml, float width = 1280) : ui(width, 800) {
        player::player_options o;
        o.tree_path = dir.write("router.xml", xml);
        o.agent = "alice";
        o.log_path = dir.file("sessions.db");
        app = std::make_unique<player::player_app>(o, clk);
        const auto error = app->start();
        REQUIRE_MESSAGE(!error, error.value_or(""));
        ui.default_draw = [this] { player::draw_player(*app, state, ui.fonts()); };
        ui.frame({});
    }

    const player::drawn_control* find(const std::string& prefix) const {
        for (const auto& c : state.controls)
            if (c.label.rfind(prefix, 0) == 0) return &c;
        return nullptr;
    }
    void click(const std::string& prefix) {
        const player::drawn_control* c = find(prefix);
        REQUIRE_MESSAGE(c, "no control starting with '" << prefix << "' was drawn");
        ui.click(ImVec2((c->min.x + c->max.x) / 2, (c->min.y + c->max.y) / 2));
    }
    std::string node() const { return app->call().current().node_ptr->id; }
};

}  // namespace

TEST_CASE("player view: draws the question with numbered choices and the hint") {
    player_rig r;
    CHECK(r.ui.last_vertex_count > 0);
    CHECK(r.find("1   Yes, it is lit"));
    CHECK(r.find("2   No"));
    CHECK(r.find("Back"));
    CHECK(r.find("End call"));
    CHECK_FALSE(r.find("Find"));  // the tree does not allow find
}

TEST_CASE("player view: number keys choose, Enter continues, Backspace goes back") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 2);
    CHECK(r.node() == "reboot");
    CHECK(r.app->call().variables().at("reboots") == value{1.0});
    r.ui.press(ui::key::enter);
    CHECK(r.node() == "power");
    r.ui.press(ui::key::backspace);
    CHECK(r.node() == "reboot");
    r.ui.press(ui::key::backspace);
    CHECK(r.node() == "power");
    CHECK(r.app->call().variables().at("reboots") == value{0.0});
}

TEST_CASE("player view: the breadcrumb of a long call keeps the current step in sight") {
    // Its row used to run off the right edge: the current step was never visible.
    player_rig r;
    for (int i = 0; i < 15; ++i) {
        r.ui.press(ui::key::digit_0 + 2);  // No: to the reboot step
        r.ui.press(ui::key::enter);        // Continue: back to the question
    }
    REQUIRE(r.app->call().breadcrumb().size() == 31);
    r.ui.frame({});
    r.ui.frame({});  // the scroll to the newest step lands on the next frame
    const player::drawn_control* current = r.find("Power light##crumb30");
    REQUIRE(current);
    CHECK(current->min.x >= 0);
    CHECK(current->max.x <= 1280);
    // Earlier steps are still there, scrolled out to the left.
    const player::drawn_control* first = r.find("Power light##crumb0");
    REQUIRE(first);
    CHECK(first->max.x < 0);
}

TEST_CASE("player view: a refused submit of a long form brings the first refused field and its error into view") {
    std::string xml = R"(<tree format="1" id="router" start="f"><variables>)";
    for (int i = 1; i <= 40; ++i) xml += "<variable name=\"v" + std::to_string(i) + "\" type=\"text\"/>";
    xml += R"(</variables><form id="f" title="Forty fields" to="done">)";
    for (int i = 1; i <= 40; ++i)
        xml += "<field var=\"v" + std::to_string(i) + "\" label=\"Field " + std::to_string(i) + "\"" +
               (i == 35 ? " required=\"true\"" : "") + "/>";
    xml += R"(</form><end id="done" outcome="resolved"/></tree>)";
    player_rig r(xml);
    r.click("field:v1");
    r.ui.press(ui::key::enter);  // Submit is below the fold too
    for (int i = 0; i < 4; ++i) r.ui.frame({});
    REQUIRE_FALSE(r.app->field_error_for("v35").empty());
    const player::drawn_control* refused = r.find("field:v35");
    REQUIRE(refused);
    // Mid-view, not below the fold (the window is 800 high; the footer takes the bottom).
    CHECK(refused->min.y > 80);
    CHECK(refused->max.y < 600);
    // And it has the keyboard: typing goes into it.
    r.ui.type("fixed");
    CHECK(r.app->form_inputs["v35"] == "fixed");
}

TEST_CASE("player view: a long answer wraps inside a taller button and is still taken by a click") {
    std::string xml = test::player_tree_xml;
    std::string longer = "No, and the customer says";
    for (int i = 0; i < 8; ++i) longer += " they already unplugged it, waited a full minute, and the light stayed off";
    xml.replace(xml.find(">No<") + 1, 2, longer);
    player_rig r(xml);
    const player::drawn_control* yes = r.find("1   Yes, it is lit");
    const player::drawn_control* no = r.find("2   No, and the customer");
    REQUIRE(yes);
    REQUIRE(no);
    CHECK(no->max.y - no->min.y > (yes->max.y - yes->min.y) * 1.5f);  // several lines, not cut
    CHECK(no->max.x <= 1280);
    r.click("2   No, and the customer");
    CHECK(r.node() == "reboot");
}

TEST_CASE("player view: the fonts draw Latin, Greek and Cyrillic scripts, not boxes") {
    player_rig r;
    const ui::font_set& fonts = r.ui.fonts();
    // Romanian s-comma, Vietnamese e with circumflex and tilde, Greek, Cyrillic, Armenian,
    // Georgian, a combining acute, a telephone sign: each face has them.
    for (const ImWchar c : {0x0219, 0x1EC5, 0x03BB, 0x0416, 0x0531, 0x10D0, 0x0301, 0x260E})
        for (ImFont* face : {fonts.regular, fonts.bold, fonts.italic, fonts.heading}) {
            CAPTURE(static_cast<int>(c));
            CHECK(face->FindGlyphNoFallback(c) != nullptr);
        }
    // The transcript's monospaced face has fewer (DejaVu Sans Mono has no Vietnamese).
    for (const ImWchar c : {0x0219, 0x03BB, 0x0416})
        CHECK(fonts.mono->FindGlyphNoFallback(c) != nullptr);
}

TEST_CASE("player view: clicking a choice button takes it") {
    player_rig r;
    r.click("2   No");
    CHECK(r.node() == "reboot");
    r.click("Continue");
    CHECK(r.node() == "power");
}

TEST_CASE("player view: an agent note is shown whole, not scrolled beside empty room") {
    const char* xml = R"(<tree format="1" id="danger" start="where">
  <variables><variable name="location" type="text"/></variables>
  <form id="where" title="Where and who" to="done">
    <text>Take what Security needs, most important first, and stay on the line.</text>
    <hint>Keep it short: a place and names are enough. An internal extension is fine as a number. A field left empty reaches Security as "not given". If it is not safe for them to take a call back, Security will reach them another way.</hint>
    <field var="location" label="Where is the danger?"/>
  </form>
  <end id="done" outcome="resolved"/>
</tree>)";
    for (const float width : {960.0f, 800.0f, 1280.0f}) {
        CAPTURE(width);
        player_rig r(xml);
        ImGui::GetIO().DisplaySize = ImVec2(width, 1040);
        for (int i = 0; i < 4; ++i) r.ui.frame({});
        const ImGuiWindow* box = nullptr;
        for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
            if (std::string_view(w->Name).find("/hint_") != std::string_view::npos && w->Active) box = w;
        REQUIRE(box);
        CHECK(box->ScrollMax.y == 0.0f);
    }
}

TEST_CASE("player view: a form shows inline errors and submits with Enter") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 1);
    REQUIRE(r.node() == "acct");
    r.ui.frame({});
    r.click("field:account");
    r.ui.type("12ab");
    r.ui.press(ui::key::enter);
    CHECK(r.node() == "acct");
    CHECK_FALSE(r.app->field_error_for("account").empty());
    r.app->form_inputs["account"] = "12345678";
    r.click("Submit");
    CHECK(r.node() == "works");
    CHECK(r.app->call().variables().at("account") == value{std::string("12345678")});
}

TEST_CASE("player view: Ctrl+R restarts and the breadcrumb goes back to a step") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 2);
    r.ui.press(ui::key::enter);
    r.ui.press(ui::key::digit_0 + 2);
    CHECK(r.app->call().breadcrumb().size() == 4);
    r.click("Reboot##crumb1");
    CHECK(r.node() == "reboot");
    CHECK(r.app->call().breadcrumb().size() == 2);
    // With answers given, Ctrl+R asks first: Escape keeps the call as it is, Enter restarts.
    r.ui.press(ui::letter('R'), true);
    CHECK(r.node() == "reboot");
    REQUIRE(r.find("Restart  (Enter)"));
    r.ui.press(ui::key::escape);
    CHECK(r.node() == "reboot");
    CHECK(r.app->call().breadcrumb().size() == 2);
    r.ui.press(ui::letter('R'), true);
    r.ui.press(ui::key::enter);
    CHECK(r.node() == "power");
    CHECK(r.app->call().breadcrumb().size() == 1);
    // At the first step there is nothing to lose: no question.
    r.ui.press(ui::letter('R'), true);
    CHECK_FALSE(r.find("Restart  (Enter)"));
}

TEST_CASE("player view: a form gone back to shows what was typed in it") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 1);  // to the account form
    r.ui.frame({});
    r.ui.type("12345678");
    r.ui.press(ui::key::enter);
    REQUIRE(r.node() == "works");
    r.ui.press(ui::key::backspace);
    REQUIRE(r.node() == "acct");
    CHECK(r.app->form_inputs["account"] == "12345678");
    // A new call starts with empty forms.
    r.app->next_call();
    r.app->choose(0);
    CHECK(r.app->form_inputs["account"].empty());
}

TEST_CASE("player view: End call records an abandoned call with its reason") {
    player_rig r;
    r.click("End call");
    r.ui.type("customer hung up");
    r.click("End call now");
    CHECK(r.app->call().status() == session_status::abandoned);
    CHECK(r.app->call().abandon_reason() == "customer hung up");
    CHECK(r.find("Next call"));
}

TEST_CASE("player view: a long call note wraps in its box and is kept as typed") {
    player_rig r;
    r.click("##note");
    const std::string note =
        "Customer says the router was moved to another room yesterday and the lights have blinked orange "
        "since then; asked them to check the cable at the wall.";
    r.ui.type(note);
    CHECK(r.app->note_draft == note);
    // Shown on more lines than the text has (none): the box wraps it.
    const ImGuiInputTextState& box = ImGui::GetCurrentContext()->InputTextState;
    const std::string shown(box.TextA.Data, static_cast<std::size_t>(box.CurLenA));
    CHECK(std::count(shown.begin(), shown.end(), '\n') >= 1);
    r.click("Add note");
    REQUIRE(r.app->call().notes().size() == 1);
    CHECK(r.app->call().notes()[0].second == note);
    CHECK(r.app->note_draft.empty());
}

TEST_CASE("player view: the end screen copies the transcript and starts the next call") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 1);
    // The form's first field takes the keyboard by itself: the agent just types.
    r.ui.type("12345678");
    CHECK(r.app->form_inputs["account"] == "12345678");
    r.click("Submit");
    REQUIRE(r.node() == "works");
    r.ui.press(ui::key::digit_0 + 2);
    REQUIRE(r.app->call().status() == session_status::escalated);
    CHECK(r.app->call().handoff().find("Account 12345678, 0 reboots.") != std::string::npos);
    r.ui.press(ui::letter('C'), true);
    CHECK(std::string(ImGui::GetClipboardText()) == r.app->call().transcript());
    CHECK(r.state.transcript_copied.find("Network Tier 2") != std::string::npos);
    r.click("Next call");
    CHECK_FALSE(r.app->call().finished());
    CHECK(r.node() == "power");

    // The next call's end screen shows and copies that call's transcript, not the last one's,
    // even when both calls end the same way in the same millisecond.
    r.ui.press(ui::key::digit_0 + 1);
    r.ui.type("87654321");
    r.click("Submit");
    r.ui.press(ui::key::digit_0 + 2);
    REQUIRE(r.app->call().status() == session_status::escalated);
    r.ui.press(ui::letter('C'), true);
    CHECK(std::string(ImGui::GetClipboardText()) == r.app->call().transcript());
    CHECK(r.state.transcript.find("87654321") != std::string::npos);
    CHECK(r.state.transcript.find("12345678") == std::string::npos);
}

// [SECTION] scripts in Chinese, Japanese and Korean

namespace {

// Japanese, with a Korean hint, a code span with marks the monospaced DejaVu face lacks,
// and a form whose answer the agent types.
const char* japanese_tree_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="router" version="1" title="ルーターの確認" start="power">
  <variables>
    <variable name="name" type="text" label="お名前"/>
  </variables>
  <question id="power" title="電源ランプ">
    <text>ルーターの**電源ランプ**は点灯していますか？ *前面の*ランプです。`※ Ⅰ`</text>
    <hint>천천히 설명하세요.</hint>
    <choice to="who">はい</choice>
    <choice to="reboot">いいえ</choice>
  </question>
  <step id="reboot" title="再起動" to="power">
    <text>请拔下电源线。</text>
  </step>
  <form id="who" title="お客様" to="done">
    <field var="name" label="お名前"/>
  </form>
  <end id="done" title="解決" outcome="resolved"/>
</tree>
)";

bool has_glyph(const ImFont* f, unsigned c) { return f->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr; }

}  // namespace

TEST_CASE("player view: a Japanese script draws its own characters in every face, at the Latin text's size") {
    player_rig r(japanese_tree_xml);
    r.ui.frame({});  // glyphs noted in a frame are in the atlas from the next
    const ui::font_set& f = r.ui.fonts();
    for (const ImFont* face : {f.regular, f.bold, f.italic, f.bold_italic, f.heading, f.mono}) {
        CAPTURE(face->FontSize);
        CHECK(has_glyph(face, 0x96FB));  // 電, in the title and in bold text
        CHECK(has_glyph(face, 0x306F));  // は, a choice
        CHECK(has_glyph(face, 0xCC9C));  // 천, the Korean hint
        // Not yet shown: the reboot step's Chinese text, the typed name.
        CHECK_FALSE(has_glyph(face, 0x62D4));  // 拔
    }
    // Merged at DejaVu's em, not its line height: an ideograph is one em wide, like an em space.
    CHECK(f.regular->FindGlyph(0x96FB)->AdvanceX == doctest::Approx(f.regular->FindGlyph(0x2003)->AdvanceX).epsilon(0.08));
    // ※ and Ⅰ are in the monospaced face's ranges, but its font lacks them: they come from
    // the CJK font (the other faces draw their own).
    CHECK(has_glyph(f.mono, 0x203B));
    CHECK(has_glyph(f.mono, 0x2160));

    r.click("2   ");
    REQUIRE(r.node() == "reboot");
    r.ui.frame({});
    CHECK(has_glyph(f.regular, 0x62D4));  // 拔: a step's text gets its glyphs when shown

    r.click("Continue");
    r.ui.press(ui::key::digit_0 + 1);
    REQUIRE(r.node() == "who");
    // Typed text gets its glyphs before the frame that draws it: checked after that one frame.
    ImGui::GetIO().AddInputCharactersUTF8("山本");  // the form's field has the keyboard
    r.ui.frame({});
    CHECK(has_glyph(f.regular, 0x5C71));  // 山
    CHECK(has_glyph(f.mono, 0x672C));     // 本
    r.ui.frame({});
    CHECK(r.app->form_inputs["name"] == "山本");
}

TEST_CASE("player view: Markdown headings # and ## are large, ### and below bold at the text's size") {
    test::headless_ui ui;
    std::string text;
    float used = 0;
    auto draw = [&] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 600));
        ImGui::Begin("headings", nullptr, ImGuiWindowFlags_NoDecoration);
        const float top = ImGui::GetCursorPosY();
        ui::draw_markdown(text, ui.fonts());
        used = ImGui::GetCursorPosY() - top;
        ImGui::End();
    };
    const auto height = [&](const std::string& markdown) {
        text = markdown;
        ui.frame(draw);
        return used;
    };
    const float plain = height("Text");
    CHECK(height("# Title") > plain * 1.2f);
    CHECK(height("## Section") == height("# Title"));
    CHECK(height("### Part") == plain);
    CHECK(height("###### Note") == plain);
}

TEST_CASE("player view: Japanese text wraps at any character, not only at spaces") {
    test::headless_ui ui;
    std::string text = "\xE9\x9B\xBB";  // 電, to measure with
    float used = 0, line = 0, width = 0;
    auto draw = [&] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 600));
        ImGui::Begin("wrap", nullptr, ImGuiWindowFlags_NoDecoration);
        const float top = ImGui::GetCursorPosY();
        width = ImGui::GetContentRegionAvail().x;
        ui::draw_markdown(text, ui.fonts());
        used = ImGui::GetCursorPosY() - top;
        line = ImGui::GetTextLineHeightWithSpacing();
        ImGui::End();
    };
    ui.frame(draw);
    ui.frame(draw);
    const float em = ui.fonts().regular->FindGlyph(0x96FB)->AdvanceX;
    const int per_line = static_cast<int>(width / em);
    REQUIRE(per_line > 12);
    // 4 ideographs, then a bold run of a line and one more with no space between: as one
    // word the bold run would start on a line of its own and take two more (three lines);
    // broken between characters it fills the first line and ends on the second.
    text.clear();
    for (int i = 0; i < 4; ++i) text += "\xE9\x9B\xBB";  // 電
    text += "**";
    for (int i = 0; i < per_line + 1; ++i) text += "\xE6\xBA\x90";  // 源
    text += "**";
    ui.frame(draw);
    ui.frame(draw);
    CAPTURE(per_line);
    CHECK(static_cast<int>(used / line + 0.5f) == 2);
}

TEST_CASE("player view: fonts loaded again into the same atlas keep the CJK glyphs and get new ones") {
    test::headless_ui ui;
    auto draw = [&](const char* text) {
        return [&ui, text] {
            ImGui::Begin("text");
            ui::draw_markdown(text, ui.fonts());
            ImGui::End();
        };
    };
    ui.frame(draw("\xE9\x9B\xBB"));  // 電
    ui.frame(draw("\xE9\x9B\xBB"));
    REQUIRE(ui.fonts().regular->FindGlyphNoFallback(0x96FB));
    // As a change of display scale would: the faces again, at another size, same atlas.
    const ui::font_set again = ui::load_fonts(27.0f);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // as a renderer would, for the new faces
    ui.frame({});
    CHECK(again.regular->FindGlyphNoFallback(0x96FB));  // added before: the new faces get it too
    ui.frame(draw("\xE6\xBA\x90"));  // 源
    ui.frame(draw("\xE6\xBA\x90"));
    for (const ImFont* face : {ui.fonts().regular, again.regular, again.mono}) {
        CHECK(face->FindGlyphNoFallback(0x96FB));
        CHECK(face->FindGlyphNoFallback(0x6E90));
    }
    CHECK(again.regular->FindGlyph(0x96FB)->AdvanceX > ui.fonts().regular->FindGlyph(0x96FB)->AdvanceX);
}

TEST_CASE("player view: an atlas made after another was freed starts its own glyph supply") {
    // glibc gives a freed block of the same size back first: the new context's atlas and
    // fonts come at the old ones' addresses. Nothing of the old supply may be used.
    for (int round = 0; round < 4; ++round) {
        CAPTURE(round);
        test::headless_ui ui;
        auto draw = [&] {
            ImGui::Begin("text");
            ui::draw_markdown("caf\xC3\xA9 `\xE2\x80\xBB` \xE9\x9B\xBB", ui.fonts());  // café `※` 電
            ImGui::End();
        };
        ui.frame(draw);
        ui.frame(draw);
        CHECK(ui.fonts().mono->FindGlyphNoFallback(0x203B));    // ※: the mono face lacks it
        CHECK(ui.fonts().regular->FindGlyphNoFallback(0x96FB)); // 電
        CHECK(ui.fonts().regular->FindGlyph(0x96FB)->AdvanceX ==
              doctest::Approx(ui.fonts().regular->FindGlyph(0x2003)->AdvanceX).epsilon(0.08));
    }
}

TEST_CASE("player view: CJK glyphs stop where the texture would pass the GPU's limit") {
    test::headless_ui ui;
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    const int latin_only = atlas->TexHeight;
    ui::set_max_texture_size(latin_only);  // a GPU whose limit the Latin glyphs already reach
    // 3,000 ideographs from U+4E00 on, in UTF-8: more than the space left can take.
    std::string many;
    for (unsigned c = 0x4E00; c < 0x4E00 + 3000; ++c) {
        many += static_cast<char>(0xE0 | (c >> 12));
        many += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        many += static_cast<char>(0x80 | (c & 0x3F));
    }
    ui::want_glyphs(many);
    std::string warning;
    CHECK(ui::add_wanted_glyphs(&warning));  // built, then taken back
    CHECK(warning.find("the rest are drawn as '?'") != std::string::npos);
    CHECK(atlas->TexHeight <= latin_only);
    CHECK_FALSE(ui.fonts().regular->FindGlyphNoFallback(0x4E00));
    CHECK(ui.fonts().regular->FindGlyphNoFallback(0xE9));  // é: the fonts' own glyphs are all there
    // Full: later characters are not tried (each try would rebuild twice).
    ui::want_glyphs("\xE9\x9B\xBB");  // 電
    CHECK_FALSE(ui::add_wanted_glyphs());
    ui.frame({});  // and the atlas is usable
    CHECK(ui.last_vertex_count >= 0);
}

TEST_CASE("player view: the end screen's transcript breaks long lines at the box's edge, and copies them whole") {
    // A hand-off line in Japanese: no spaces, far wider than a narrow window.
    std::string xml = test::player_tree_xml;
    const std::string handoff = "<text>Account {account}, {reboots} reboots.</text>";
    std::string long_text;
    for (int i = 0; i < 60; ++i) long_text += "\xE5\x9B\x9E\xE7\xB7\x9A";  // 回線
    xml.replace(xml.find(handoff), handoff.size(), "<text>" + long_text + "</text>");
    player_rig r(xml);
    ImGui::GetIO().DisplaySize = ImVec2(520, 800);
    r.ui.press(ui::key::digit_0 + 1);
    r.ui.type("12345678");
    r.click("Submit");
    r.ui.press(ui::key::digit_0 + 2);
    REQUIRE(r.app->call().status() == session_status::escalated);
    r.ui.frame({});
    r.ui.frame({});
    const std::string& shown = r.state.transcript_shown;
    REQUIRE_FALSE(shown.empty());
    CHECK(std::count(shown.begin(), shown.end(), '\n') > std::count(r.state.transcript.begin(), r.state.transcript.end(), '\n'));
    const ImFont* mono = r.ui.fonts().mono;
    std::size_t start = 0;
    while (start < shown.size()) {
        const std::size_t end = std::min(shown.find('\n', start), shown.size());
        const std::string line = shown.substr(start, end - start);
        CAPTURE(line);
        CHECK(mono->CalcTextSizeA(mono->FontSize, FLT_MAX, 0, line.c_str()).x <= r.state.transcript_shown_width + 0.5f);
        start = end + 1;
    }
    // Nothing lost: with the breaks taken out, the text is the transcript's.
    std::string joined;
    for (const char c : shown)
        if (c != '\n') joined += c;
    std::string original;
    for (const char c : r.state.transcript)
        if (c != '\n') original += c;
    CHECK(joined.find(long_text.substr(0, 30)) != std::string::npos);
    std::erase(joined, ' ');
    std::erase(original, ' ');
    CHECK(joined == original);
    r.ui.press(ui::letter('C'), true);
    CHECK(std::string(ImGui::GetClipboardText()) == r.state.transcript);  // copied as it is
    // Also with text selected in the box itself, where ImGui would copy what it shows.
    ImGui::SetClipboardText("");
    r.ui.click(ImVec2(200, 760));
    REQUIRE(ImGui::GetIO().WantTextInput);
    r.ui.press(ui::letter('A'), true);  // select all
    r.ui.press(ui::letter('C'), true);
    CHECK(std::string(ImGui::GetClipboardText()) == r.state.transcript);
}

TEST_CASE("player view: a font warning shows in the window until dismissed, and once only") {
    player_rig r;
    ui::notice_list notices;
    const auto draw = [&] {
        player::draw_player(*r.app, r.state, r.ui.fonts());
        notices.draw();
    };
    const std::string warning = "Chinese, Japanese and Korean text is drawn as '?': cannot read /x (install fonts-noto-cjk)";
    notices.add(warning);
    notices.add(warning);
    r.ui.frame(draw);
    r.ui.frame(draw);  // an auto-sized window takes its size in its first frame, unseen
    REQUIRE(notices.shown().size() == 1);
    const ImGuiWindow* box = ImGui::FindWindowByName("##notices");
    REQUIRE(box);
    CHECK(box->Active);
    // In the window, at its bottom right, over the player.
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    CHECK(box->Pos.x > display.x / 2);
    CHECK(box->Pos.x + box->Size.x <= display.x);
    CHECK(box->Pos.y + box->Size.y <= display.y);
    // Dismiss is the last line of the box.
    const ImGuiStyle& style = ImGui::GetStyle();
    r.ui.click(ImVec2(box->Pos.x + style.WindowPadding.x + 10,
                      box->Pos.y + box->Size.y - style.WindowPadding.y - ImGui::GetFrameHeight() / 2),
               draw);
    CHECK(notices.shown().empty());
    notices.add(warning);  // the same warning again (the next texture rebuild) stays dismissed
    CHECK(notices.shown().empty());
    r.ui.frame(draw);
    r.ui.frame(draw);
    CHECK_FALSE(ImGui::FindWindowByName("##notices")->Active);
    notices.add("another warning");
    CHECK(notices.shown().size() == 1);
}

TEST_CASE("player view: the end screen shows the hand-off step's agent note and takes after-call notes") {
    std::string xml = test::player_tree_xml;
    const std::string text = "<text>Account {account}, {reboots} reboots.</text>";
    xml.replace(xml.find(text), text.size(), text + "<hint>Stay on the line until Tier 2 picks up.</hint>");
    player_rig r(xml);
    r.app->choose(0);
    r.app->form_inputs["account"] = "12345678";
    r.app->submit();
    r.app->choose(1);
    REQUIRE(r.app->call().status() == session_status::escalated);
    r.ui.frame({});
    r.ui.frame({});
    // The agent note is drawn (its box is a child window named after it).
    bool note_box = false;
    for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
        if (std::string(w->Name).find("/hint_") != std::string::npos && w->Active) note_box = true;
    CHECK(note_box);
    r.click("##note");
    r.ui.type("Tier 2 took it at 10:42");
    r.click("Add note");
    REQUIRE(r.app->call().notes().size() == 1);
    r.ui.frame({});
    CHECK(r.state.transcript.find("- after the call: Tier 2 took it at 10:42") != std::string::npos);
}

TEST_CASE("player view: find asks before going to a step that ends or hands off the call") {
    std::string xml = test::player_tree_xml;
    xml.replace(xml.find("start=\"power\""), 13, "start=\"power\" allow-find=\"true\"");
    player_rig r(xml);
    r.ui.press(ui::letter('F'), true);
    r.ui.type("tier");
    r.ui.press(ui::key::enter);
    // Not gone yet: the dialog says what it would do.
    CHECK_FALSE(r.app->call().finished());
    CHECK(r.find("Hand off now"));
    r.ui.press(ui::key::escape);  // back to the search, still on the same step
    CHECK_FALSE(r.app->call().finished());
    CHECK(r.node() == "power");
    CHECK_FALSE(r.find("Hand off now"));
    r.ui.press(ui::key::enter);  // the query is still there: the same step again
    REQUIRE(r.find("Hand off now"));
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().status() == session_status::escalated);

    // A step that goes on is gone to at once.
    r.app->next_call();
    r.ui.frame({});
    r.ui.press(ui::letter('F'), true);
    r.ui.type("reboot");
    r.ui.press(ui::key::enter);
    CHECK(r.node() == "reboot");
}

TEST_CASE("player view: find inside a sub-script that does not allow it says so in the dialog") {
    test::temp_folder dir;
    dir.write("check.xml", R"(<tree format="1" id="check" start="ask">
  <question id="ask" title="Verified?"><choice to="ok">Yes</choice></question>
  <end id="ok" outcome="verified"/>
</tree>)");
    std::string xml = test::player_tree_xml;
    xml.replace(xml.find("start=\"power\""), 13, "start=\"verify\" allow-find=\"true\"");
    xml.replace(xml.find("  <question id=\"power\""), 0, "  <jump id=\"verify\" tree=\"check\" to=\"power\"/>\n");
    manual_clock clk{1'700'000'000'000};
    player::player_options o;
    o.tree_path = dir.write("router.xml", xml);
    o.log_path = "-";
    player::player_app app(o, clk);
    REQUIRE_FALSE(app.start());
    REQUIRE(app.call().current().node_ptr->id == "ask");
    player::player_view_state state;
    test::headless_ui ui;
    ui.default_draw = [&] { player::draw_player(app, state, ui.fonts()); };
    ui.frame({});
    ui.press(ui::letter('F'), true);
    ui.press(ui::key::enter);
    // Before: the sub-script's steps were listed and every pick failed behind the dialog
    // with "This script does not allow jumping to a step".
    CHECK(app.action_error.empty());
    CHECK(state.find_error.empty());
    CHECK(app.call().current().node_ptr->id == "ask");
    const bool close_drawn = std::any_of(state.controls.begin(), state.controls.end(),
                                         [](const player::drawn_control& c) { return c.label == "Close  (Esc)"; });
    CHECK(close_drawn);
}

TEST_CASE("player view: a choice field is typed (a unique start is enough) and Enter ends a call with its reason") {
    const char* xml = R"(<tree format="1" id="plans" start="ask">
  <variables>
    <variable name="plan" type="choice" options="basic plus premium" label="Plan"/>
    <variable name="since" type="text" label="Down since"/>
  </variables>
  <form id="ask" title="Service" to="done">
    <field var="plan" required="true"/>
    <field var="since" required="true"/>
  </form>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml);
    r.ui.frame({});  // the focus set on arrival is in place from the next frame
    // The focus is on the first field, a choice: what is typed goes in.
    r.ui.type("p");
    r.ui.press(ui::key::tab);
    r.ui.type("today 8:30");
    r.ui.press(ui::key::enter);
    // "p" is the start of two options: refused, with the options named.
    CHECK(r.node() == "ask");
    CHECK(r.app->field_error_for("plan").find("basic, plus, premium") != std::string::npos);
    r.click("field:plan");
    r.ui.press(ui::letter('A'), true);
    r.ui.type("PL");
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().status() == session_status::completed);
    CHECK(r.app->call().variables().at("plan") == value{std::string("plus")});

    r.app->next_call();
    r.ui.frame({});
    r.click("End call");
    r.ui.type("caller hung up");
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().status() == session_status::abandoned);
    CHECK(r.app->call().abandon_reason() == "caller hung up");
}

TEST_CASE("player view: a flag field is typed yes or no from the keyboard, or ticked") {
    const char* xml = R"(<tree format="1" id="consent" start="ask">
  <variables>
    <variable name="recorded" type="flag" label="Caller agrees to recording"/>
    <variable name="callback" type="flag" default="true" label="Call back later"/>
  </variables>
  <form id="ask" title="Consent" to="done">
    <field var="recorded" required="true"/>
    <field var="callback"/>
  </form>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml);
    r.ui.frame({});
    // A flag's default is said beside it as the question is asked, yes or no, and not
    // typed in for the agent.
    CHECK(r.app->form_inputs.at("callback").empty());
    CHECK(r.find("default:callback=yes"));
    // The first field has the focus: "n" is the start of "no" only.
    r.ui.type("n");
    r.ui.press(ui::key::tab);
    r.ui.press(ui::letter('A'), true);
    r.ui.type("f");  // "false", another way to say it
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().status() == session_status::completed);
    CHECK(r.app->call().variables().at("recorded") == value{false});
    CHECK(r.app->call().variables().at("callback") == value{false});
    // Read back as asked: yes/no in the transcript and the call data, not true/false.
    CHECK(r.app->call().transcript().find("   Caller agrees to recording: no\n") != std::string::npos);
    const auto rows = r.app->call_data();
    CHECK(std::any_of(rows.begin(), rows.end(), [](const player::call_data_row& row) {
        return row.label == "Call back later" && row.value == "no";
    }));

    r.app->next_call();
    r.ui.frame({});
    r.ui.frame({});  // the focus set on arrival is in place from the next frame
    // Unknown words are refused with what to type; the box beside it ticks and unticks.
    r.ui.type("maybe");
    r.ui.press(ui::key::enter);
    CHECK(r.app->field_error_for("recorded") == "Must be yes or no");
    r.click("tick:recorded");
    CHECK(r.app->form_inputs.at("recorded") == "yes");
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().status() == session_status::completed);
    CHECK(r.app->call().variables().at("recorded") == value{true});
    CHECK(r.app->call().variables().at("callback") == value{true});
}

TEST_CASE("player view: Enter that confirms a dialog is not also taken by the step beneath it") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 2);  // to the Reboot step, whose Continue is Enter
    REQUIRE(r.node() == "reboot");
    r.ui.press(ui::letter('R'), true);
    REQUIRE(r.find("Restart  (Enter)"));
    r.ui.press(ui::key::enter);
    CHECK(r.node() == "power");
    r.app.reset();  // the log is complete once the player is gone
    log_reader reader;
    REQUIRE(reader.open(r.dir.file("sessions.db")));
    std::vector<std::string> kinds;
    CHECK(reader.for_each_session({}, [&](const session_record&, const std::vector<event>& events) {
        for (const event& e : events) kinds.push_back(std::string(to_string(e.kind)) + " " + e.node);
    }));
    // No Continue on the Reboot step between the choice and the restart.
    CHECK(kinds == std::vector<std::string>{"start power", "enter power", "choose power", "enter reboot",
                                            "restart reboot", "enter power", "end power"});
}

// [SECTION] keyboard-only work (from a review of an agent using only the keyboard)

namespace {
// One frame with a key going down and the character it types, as a real keyboard gives both.
void key_with_char(player_rig& r, int key, char c) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    io.AddInputCharacter(static_cast<unsigned>(c));
    r.ui.frame({});
    io.KeysDown[key] = false;
}
// Characters arriving in one frame each, with no settling frames between them.
void type_fast(player_rig& r, const std::string& text) {
    for (const char c : text) {
        ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(c));
        r.ui.frame({});
    }
}
}  // namespace

TEST_CASE("player view: typing straight after a choice reaches the form that comes, all of it") {
    player_rig r;
    r.ui.frame({});
    key_with_char(r, ui::key::digit_0 + 1, '1');  // Power light: Yes, to the account form
    REQUIRE(r.node() == "acct");
    // Before: the first characters went nowhere while the field was still getting the focus.
    type_fast(r, "40112233");
    r.ui.frame({});
    CHECK(r.app->form_inputs.at("account") == "40112233");  // and not the '1' that chose
}

TEST_CASE("player view: a form after a form starts empty where its variable holds only a default") {
    const char* xml = R"(<tree format="1" id="checkin" start="who">
  <variables>
    <variable name="agent" type="text" label="Agent"/>
    <variable name="colleague" type="text" default="not needed" label="Colleague"/>
  </variables>
  <form id="who" title="Who" to="cover"><field var="agent"/></form>
  <form id="cover" title="Cover" to="done"><field var="colleague"/></form>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml);
    r.ui.frame({});
    r.ui.type("Sam");
    r.ui.press(ui::key::enter);
    REQUIRE(r.node() == "cover");
    r.ui.frame({});
    r.ui.type("Alex");
    // Before: "not neededAlex", or the typing put in at the cursor the last form left.
    CHECK(r.app->form_inputs.at("colleague") == "Alex");
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().variables().at("colleague") == value{std::string("Alex")});
}

TEST_CASE("player view: a dialog closed over a form gives the keyboard back to its field") {
    player_rig r;
    r.app->choose(0);
    r.ui.frame({});
    r.ui.frame({});
    r.ui.type("4011");
    r.ui.press(ui::letter('R'), true);  // Restart asks: answers were given
    REQUIRE(r.find("Restart  (Enter)"));
    r.ui.press(ui::key::escape);
    r.ui.frame({});
    r.ui.type("2233");
    CHECK(r.app->form_inputs.at("account") == "40112233");
    // Backspace mends the typing: it does not go back a step.
    r.ui.press(ui::key::backspace);
    CHECK(r.node() == "acct");
    CHECK(r.app->form_inputs.at("account") == "4011223");
}

TEST_CASE("player view: typing in a form survives Back, Backspace, Escape and a cancelled dialog") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 1);  // to the account form
    r.ui.frame({});
    r.ui.type("12345678");
    r.ui.press(ui::key::enter);
    REQUIRE(r.node() == "works");
    r.ui.press(ui::key::backspace);  // Back, to the form, its typing shown
    REQUIRE(r.node() == "acct");
    r.ui.frame({});
    r.ui.frame({});
    // The field has the keyboard with the caret after the text, nothing selected: the
    // next Backspace takes one character, not the whole account number.
    r.ui.press(ui::key::backspace);
    CHECK(r.node() == "acct");
    CHECK(r.app->form_inputs.at("account") == "1234567");
    // Escape leaves the field with what is in it (ImGui's own Escape put back the text
    // the field had when it got the keyboard).
    r.ui.type("9");
    r.ui.press(ui::key::escape);
    r.ui.frame({});
    CHECK(r.app->form_inputs.at("account") == "12345679");
    // Out of the field, Backspace is Back again.
    r.ui.press(ui::key::backspace);
    CHECK(r.node() == "power");

    // A dialog opened and cancelled over a field gives it back with the caret at the end:
    // what is typed next is added, it does not replace the field.
    r.ui.press(ui::key::digit_0 + 1);
    r.ui.frame({});
    r.ui.frame({});
    r.ui.type("4011");
    r.ui.press(ui::letter('E'), true);  // End call asks
    REQUIRE(r.find("End call now"));
    r.ui.press(ui::key::escape);
    r.ui.frame({});
    r.ui.type("2233");
    // (The typing Back left is shown again when the call comes back to the form.)
    CHECK(r.app->form_inputs.at("account") == "1234567940112233");
}

TEST_CASE("player view: End call, the notes box and Add note from the keyboard, and Escape keeps a note") {
    player_rig r;
    r.ui.press(ui::letter('M'), true);
    r.ui.frame({});
    r.ui.type("caller is angry");
    CHECK(r.app->note_draft == "caller is angry");
    r.ui.press(ui::key::escape);  // leaves the box; the note stays
    CHECK(r.app->note_draft == "caller is angry");
    CHECK_FALSE(ImGui::IsAnyItemActive());
    r.ui.press(ui::letter('M'), true);
    r.ui.frame({});
    r.ui.press(ui::key::enter, true);  // Ctrl+Enter adds it
    REQUIRE(r.app->call().notes().size() == 1);
    CHECK(r.app->call().notes()[0].second == "caller is angry");
    CHECK(r.app->note_draft.empty());
    r.ui.frame({});
    CHECK(ImGui::IsAnyItemActive());  // still in the box for the next note

    r.ui.press(ui::key::escape);
    r.ui.press(ui::letter('E'), true);
    r.ui.frame({});
    r.ui.type("line dropped");
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().status() == session_status::abandoned);
    CHECK(r.app->call().abandon_reason() == "line dropped");
}

TEST_CASE("player view: the number pad chooses and continues") {
    player_rig r;
    r.ui.press(ui::key::keypad_0 + 2);
    REQUIRE(r.node() == "reboot");
    r.ui.press(ui::key::keypad_enter);
    CHECK(r.node() == "power");
}

TEST_CASE("player view: Up and Down pick the find result Enter takes") {
    std::string xml = test::player_tree_xml;
    xml.replace(xml.find("start=\"power\""), 13, "start=\"power\" allow-find=\"true\"");
    player_rig r(xml);
    r.ui.press(ui::letter('F'), true);
    r.ui.frame({});
    CHECK(r.find("result:power (Enter)"));  // the first, shown as Enter's
    r.ui.press(ui::key::down);
    r.ui.press(ui::key::down);
    CHECK(r.find("result:acct (Enter)"));
    r.ui.press(ui::key::up);
    CHECK(r.find("result:reboot (Enter)"));
    r.ui.press(ui::key::enter);
    CHECK(r.node() == "reboot");
}

TEST_CASE("player view: Copy transcript on the end screen takes the note still being typed") {
    player_rig r;
    r.app->choose(1);
    r.app->next();
    r.app->choose(0);
    r.app->form_inputs["account"] = "40112233";
    r.app->submit();
    r.app->choose(0);
    REQUIRE(r.app->call().finished());
    r.ui.frame({});
    r.click("##note");
    r.ui.type("engineer to call back");
    r.ui.press(ui::key::escape);
    r.ui.press(ui::letter('C'), true);
    CHECK(r.state.transcript_copied.find("engineer to call back") != std::string::npos);
    REQUIRE(r.app->call().notes().size() == 1);  // added to the call, as Next call would
    CHECK(r.app->note_draft.empty());
}

TEST_CASE("player view: the shown transcript never starts a line with the punctuation of a word") {
    player_rig r;
    std::string note;
    // ImGui's own wrap breaks between a closing quote and the full stop after it.
    for (int i = 0; i < 60; ++i) note += "said \"sign" + std::string(i % 7, 'x') + (i % 3 ? "\". " : "\", ");
    r.app->note_draft = note;
    r.app->add_note();
    r.app->end_call();
    r.ui.frame({});
    r.ui.frame({});
    const std::string& shown = r.state.transcript_shown;
    REQUIRE(shown.size() > note.size());
    int breaks = 0;
    for (std::size_t i = shown.find('\n'); i != std::string::npos; i = shown.find('\n', i + 1)) {
        ++breaks;
        const std::size_t first = shown.find_first_not_of(' ', i + 1);
        if (first == std::string::npos) continue;
        CAPTURE(shown.substr(i + 1, 40));
        CHECK(shown[first] != '.');
        CHECK(shown[first] != ',');
    }
    CHECK(breaks > 10);
}

TEST_CASE("player view: a restart on the first form gives it fresh inputs with the keyboard in them") {
    const char* xml = R"(<tree format="1" id="one" start="who">
  <variables><variable name="caller" type="text" label="Caller"/></variables>
  <form id="who" title="Who" to="done"><field var="caller"/></form>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml);
    r.ui.frame({});
    r.ui.type("Sam Smith");
    REQUIRE(r.app->form_inputs.at("caller") == "Sam Smith");
    // Nothing answered yet, but typed: Restart asks first (it threw the typing away).
    r.ui.press(ui::letter('R'), true);
    REQUIRE(r.find("Restart  (Enter)"));
    CHECK(r.app->form_inputs.at("caller") == "Sam Smith");
    r.ui.press(ui::key::enter);
    CHECK(r.app->form_inputs.at("caller").empty());
    // What was typed is kept as a note, as End call keeps it.
    REQUIRE(r.app->call().notes().size() == 1);
    CHECK(r.app->call().notes()[0].second.find("Caller: Sam Smith") != std::string::npos);
    r.ui.frame({});
    // Before: the input stayed active with its old text, typed on after it, and wrote it back.
    r.ui.type("Jo");
    CHECK(r.app->form_inputs.at("caller") == "Jo");
    // Nothing typed and nothing answered: no question.
    r.ui.press(ui::key::escape);
    r.app->form_inputs["caller"].clear();
    r.ui.press(ui::letter('R'), true);
    CHECK_FALSE(r.find("Restart  (Enter)"));
}

TEST_CASE("player view: Alt+Left goes back from inside a form field, and the typing is there when the call comes back") {
    player_rig r;
    CHECK(r.find("Back  (Alt+Left)"));  // the footer says the key
    r.ui.press(ui::key::digit_0 + 1);    // to the account form, its field taking the keyboard
    r.ui.frame({});
    r.ui.type("4011");
    REQUIRE(ImGui::GetIO().WantTextInput);
    REQUIRE(r.app->form_inputs.at("account") == "4011");
    r.ui.press_alt(ui::key::left);  // one key, no Escape first
    CHECK(r.node() == "power");
    r.ui.press(ui::key::digit_0 + 1);  // forward again, the same way
    REQUIRE(r.node() == "acct");
    r.ui.frame({});
    CHECK(r.app->form_inputs.at("account") == "4011");
    // The field has the keyboard again with the caret after the kept digits.
    r.ui.type("2233");
    CHECK(r.app->form_inputs.at("account") == "40112233");
    r.ui.press(ui::key::enter);
    REQUIRE(r.node() == "works");
    // Outside a field it is Back too; held down it goes back once, not through the call.
    ImGuiIO& io = ImGui::GetIO();
    io.KeyAlt = true;
    io.KeysDown[ui::key::left] = true;
    for (int i = 0; i < 60; ++i) r.ui.frame({});  // a second, well past the key repeat delay
    io.KeysDown[ui::key::left] = false;
    io.KeyAlt = false;
    r.ui.frame({});
    CHECK(r.node() == "acct");
    CHECK(r.app->form_inputs.at("account") == "40112233");
}

TEST_CASE("player view: Alt+Left goes back from the notes box with the note kept, not under a dialog") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 2);  // to the reboot step
    REQUIRE(r.node() == "reboot");
    r.ui.press(ui::letter('M'), true);
    r.ui.frame({});
    r.ui.type("router is old");
    r.ui.press_alt(ui::key::left);
    CHECK(r.node() == "power");
    CHECK(r.app->note_draft == "router is old");
    // A dialog takes the keys: Alt+Left does not move the call beneath it.
    r.ui.press(ui::key::escape);
    r.ui.press(ui::key::digit_0 + 2);
    r.ui.press(ui::letter('E'), true);
    REQUIRE(r.find("End call now"));
    r.ui.press_alt(ui::key::left);
    CHECK(r.node() == "reboot");
    CHECK(r.find("End call now"));
}

TEST_CASE("player view: a mouse's Back button goes back a step") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 2);
    REQUIRE(r.node() == "reboot");
    r.ui.mouse_button(3);
    CHECK(r.node() == "power");
}

TEST_CASE("player view: a field with a pattern is wide enough to show its whole example") {
    // The check-in's phone field read "e.g. +1 555 0100 2233, or the switchboard with ext 40".
    const char* xml = R"(<tree format="1" id="one" start="who">
  <variables><variable name="phone" type="text"/><variable name="code" type="text"/></variables>
  <form id="who" title="Who" to="done">
    <field var="phone" pattern="[0-9 +]+" placeholder="e.g. +1 555 0100 2233, or the switchboard with ext 4021"/>
    <field var="code" pattern="[0-9]{6}" placeholder="6 digits"/>
  </form>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml);
    const player::drawn_control* phone = r.find("field:phone");
    const player::drawn_control* code = r.find("field:code");
    REQUIRE(phone);
    REQUIRE(code);
    float example = 0, usual = 0;
    r.ui.frame([&] {
        example = ImGui::CalcTextSize("e.g. +1 555 0100 2233, or the switchboard with ext 4021").x;
        usual = r.ui.fonts().size * 24;
    });
    CHECK(phone->max.x - phone->min.x > example);
    CHECK(phone->max.x <= 1280 * 0.64f);  // still inside the step's column
    CHECK(code->max.x - code->min.x == doctest::Approx(usual));  // a short example keeps the usual width
}

TEST_CASE("player view: a free-text value longer than its box is shown whole under it, to read back") {
    const char* xml = R"(<tree format="1" id="one" start="facts">
  <variables><variable name="issue" type="text"/><variable name="name" type="text"/></variables>
  <form id="facts" title="Facts" to="done"><field var="issue" label="What happened"/><field var="name" label="Name"/></form>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml);
    r.ui.frame({});
    r.ui.type("Rota changed");
    r.ui.frame({});
    CHECK_FALSE(r.find("whole:issue"));  // it fits: shown once
    const std::string account =
        " without notice three times in May: on the 3rd and the 10th by the shift planner, and on the 24th by "
        "the manager herself, after the employee had arranged childcare for the original shift";
    r.ui.type(account);
    r.ui.frame({});
    const player::drawn_control* field = r.find("field:issue");
    const player::drawn_control* whole = r.find("whole:issue");
    REQUIRE(field);
    REQUIRE(whole);
    CHECK(whole->min.y >= field->max.y);                          // under the box
    CHECK(whole->max.y - whole->min.y > field->max.y - field->min.y);  // wrapped over lines, not cut
    CHECK(whole->max.x <= field->max.x + 1);
    // The next field is pushed down below it, not drawn over it.
    const player::drawn_control* name = r.find("field:name");
    REQUIRE(name);
    CHECK(name->min.y > whole->max.y);
    CHECK(r.app->form_inputs.at("issue") == "Rota changed" + account);
}

TEST_CASE("player view: typing on a form after Escape goes on in the field it left, not nowhere") {
    player_rig r;
    r.ui.press(ui::key::digit_0 + 1);  // the account form, its field taking the keyboard
    r.ui.frame({});
    r.ui.type("4011");
    r.ui.press(ui::key::escape);
    r.ui.frame({});
    REQUIRE_FALSE(ImGui::IsAnyItemActive());
    r.ui.type("22");
    r.ui.type("33");
    for (int i = 0; i < 3; ++i) r.ui.frame({});
    CHECK(r.app->form_inputs.at("account") == "40112233");
    CHECK(ImGui::IsAnyItemActive());  // and the keyboard is back in it: Enter submits
    r.ui.press(ui::key::enter);
    CHECK(r.node() == "works");
    // On a question, typed letters are still nobody's (the number keys choose).
    r.ui.type("x");
    for (int i = 0; i < 3; ++i) r.ui.frame({});
    CHECK(r.node() == "works");
    CHECK_FALSE(ImGui::IsAnyItemActive());
}

TEST_CASE("player view: a choice field says what its typing will be taken as, before Submit") {
    const char* xml = R"(<tree format="1" id="one" start="f">
  <variables><variable name="plan" type="choice" options="basic plus business"/></variables>
  <form id="f" title="Plan" to="done"><field var="plan" label="Plan" required="true"/></form>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml);
    r.ui.frame({});
    r.ui.type("pl");
    r.ui.frame({});
    const player::drawn_control* taken = r.find("reading:plan=taken as plus");
    REQUIRE(taken);
    const player::drawn_control* field = r.find("field:plan");
    REQUIRE(field);
    CHECK(taken->min.x > field->max.x);  // beside the field
    CHECK(taken->max.x <= 1280 * 0.64f);
    r.ui.press(ui::key::backspace);
    r.ui.press(ui::key::backspace);
    r.ui.type("b");
    CHECK(r.find("reading:plan=could be basic, business: type more"));
    r.ui.type("x");
    CHECK(r.find("reading:plan=not one of the options"));
    r.ui.press(ui::key::backspace);
    r.ui.type("us");
    CHECK(r.find("reading:plan=taken as business"));
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().variables().at("plan") == value{std::string("business")});
    // An option typed as it is says nothing.
    r.app->restart();
    r.ui.frame({});
    r.ui.frame({});
    r.ui.type("plus");
    CHECK_FALSE(r.find("reading:plan"));
}

TEST_CASE("player view: Back on the end screen says the call has ended instead of doing nothing") {
    player_rig r;
    r.app->choose(0);
    r.app->form_inputs["account"] = "40112233";
    r.app->submit();
    r.app->choose(0);
    REQUIRE(r.app->call().finished());
    r.ui.frame({});
    CHECK_FALSE(r.find("ended: no back"));
    r.ui.press_alt(ui::key::left);
    CHECK(r.find("ended: no back"));
    CHECK(r.app->call().status() == session_status::completed);
    r.ui.press(ui::letter('N'), true);  // the next call starts without it
    CHECK_FALSE(r.app->call().finished());
    r.ui.frame({});
    CHECK_FALSE(r.find("ended: no back"));
}

TEST_CASE("player view: a breadcrumb step clicked on the end screen says the call has ended") {
    player_rig r;
    r.app->choose(0);
    r.app->form_inputs["account"] = "40112233";
    r.app->submit();
    r.app->choose(0);
    r.ui.frame({});
    r.click("Power light##crumb0");
    CHECK(r.find("ended: no back"));
    CHECK(r.app->call().status() == session_status::completed);
    r.ui.press(ui::key::backspace);  // outside a box, as Back: said too, nothing else
    CHECK(r.find("ended: no back"));
}

TEST_CASE("player view: a value the script asks for again is typed over, what the agent typed is added to") {
    const char* xml = R"(<tree format="1" id="one" start="f">
  <variables><variable name="amount" type="number"/></variables>
  <form id="f" title="Amount" to="check"><field var="amount" label="Amount" required="true"/></form>
  <logic id="check"><branch if="amount &lt;= 0" to="again"/><otherwise to="done"/></logic>
  <step id="again" title="Ask for the amount again" to="f"/>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml);
    r.ui.frame({});
    r.ui.type("-5");
    r.ui.press(ui::key::enter);
    REQUIRE(r.node() == "again");
    r.ui.press(ui::key::enter);  // the script comes to the form again, showing -5
    REQUIRE(r.node() == "f");
    CHECK(r.app->form_inputs.at("amount") == "-5");
    r.ui.frame({});
    r.ui.type("5");  // the amount the caller gives now, not "-55"
    CHECK(r.app->form_inputs.at("amount") == "5");
    // Left by Back and come to again, what was typed is kept and added to.
    r.ui.press_alt(ui::key::left);
    REQUIRE(r.node() == "again");
    r.ui.press(ui::key::enter);
    r.ui.frame({});
    r.ui.type("0");
    CHECK(r.app->form_inputs.at("amount") == "50");
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().status() == session_status::completed);
}

TEST_CASE("player view: a call data value goes under a label that wraps, not beside its first line") {
    const char* xml = R"(<tree format="1" id="one" start="q">
  <variables>
    <variable name="tries" type="number" default="0" label="Account numbers not found"/>
    <variable name="plan" type="text" default="basic" label="Plan"/>
  </variables>
  <question id="q" title="Q"><choice to="done">Done</choice></question>
  <end id="done" outcome="resolved"/>
</tree>)";
    // A window half a screen wide, beside the CRM: the side panel is about 200 pixels.
    player_rig r(xml, 640);
    r.ui.frame({});
    const player::drawn_control* tries = r.find("data:Account numbers not found");
    const player::drawn_control* plan = r.find("data:Plan");
    REQUIRE(tries);
    REQUIRE(plan);
    // "Plan: basic" fits on one line, its value beside the label; the long label wraps
    // ("Account numbers not" / "found:"), and its value starts a line of its own.
    const float panel = 640 * 0.64f;
    CHECK(plan->min.x > panel + 40);
    CHECK(tries->min.x < panel + 40);
}

TEST_CASE("player view: a field's note goes under a label that wraps, not beside its first line") {
    const char* xml = R"(<tree format="1" id="one" start="f">
  <variables><variable name="n" type="number" default="0"/></variables>
  <form id="f" title="F" to="done">
    <field var="n" label="Tell us what matters: extraordinarilylongwordingthere"/>
  </form>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml, 640);
    r.ui.frame({});
    const player::drawn_control* note = r.find("default:n=0");
    REQUIRE(note);
    CHECK(note->min.x < 40);  // at the start of a line of its own
}

TEST_CASE("player view: the find dialog is sized to a message, and has room for results") {
    std::string xml = test::player_tree_xml;
    xml.replace(xml.find("start=\"power\""), 13, "start=\"power\" allow-find=\"true\"");
    player_rig r(xml);
    r.ui.press(ui::letter('F'), true);
    const ImGuiWindow* dialog = ImGui::FindWindowByName("Find a step");
    REQUIRE(dialog);
    const float size = r.ui.fonts().size;
    CHECK(dialog->Size.y == doctest::Approx(size * 22));
    r.ui.type("tier");
    r.ui.press(ui::key::enter);
    REQUIRE(r.find("Hand off now"));
    r.ui.frame({});
    // Its question and buttons, not those over a box of empty room.
    const player::drawn_control* yes = r.find("Hand off now");
    REQUIRE(yes);
    CHECK(dialog->Size.y < size * 10);
    CHECK(dialog->Pos.y + dialog->Size.y - yes->max.y < size * 1.5f);
}

TEST_CASE("player view: a date field says which day its typing is, before Submit") {
    const char* xml = R"(<tree format="1" id="one" start="f">
  <variables><variable name="due" type="date"/></variables>
  <form id="f" title="Deadline" to="done"><field var="due" label="Deadline" required="true"/></form>
  <end id="done" outcome="resolved"/>
</tree>)";
    player_rig r(xml);
    r.ui.frame({});
    r.ui.type("24 dec 2026");
    r.ui.frame({});
    const player::drawn_control* taken = r.find("reading:due=taken as Thu 24 Dec 2026");
    REQUIRE(taken);
    const player::drawn_control* field = r.find("field:due");
    REQUIRE(field);
    CHECK(taken->min.y >= field->max.y);  // under the field
    for (int i = 0; i < 11; ++i) r.ui.press(ui::key::backspace);
    r.ui.type("12/11/2026");
    CHECK(r.find("reading:due='12/11/2026' could be 12 Nov or 11 Dec; type it as 2026-12-04 or 4 Dec 2026"));
    for (int i = 0; i < 10; ++i) r.ui.press(ui::key::backspace);
    r.ui.type("2026-12-24");
    r.ui.press(ui::key::enter);
    CHECK(r.app->call().variables().at("due") == value{std::string("2026-12-24")});
}
