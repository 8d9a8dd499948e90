// The wrapping text box (ui/wrapped_text_box.hpp) in a headless ImGui context: what it does
// with ImGui's own copy of the text while the box is active.

#include <doctest/doctest.h>

#include <string>

#include <imgui.h>

#include "ui/headless.hpp"
#include "ui/keys.hpp"
#include "ui/wrapped_text_box.hpp"

using namespace signpost;

namespace {

struct box_rig {
    test::headless_ui ui{800, 600};
    ui::wrapped_text_box box;
    std::string text;
    float width = 300;
    ImVec2 min, max;  // the box on screen

    explicit box_rig(std::string t) : text(std::move(t)) {
        ui.default_draw = [this] {
            ImGui::SetNextWindowPos(ImVec2(0, 0));
            ImGui::SetNextWindowSize(ImVec2(width, 500));
            ImGui::Begin("box", nullptr, ImGuiWindowFlags_NoDecoration);
            box.draw("##text", text, ImVec2(-1, 120));
            min = ImGui::GetItemRectMin();
            max = ImGui::GetItemRectMax();
            ImGui::End();
        };
        ui.frame({});
        ui.frame({});
    }
    void click_in() { ui.click(ImVec2(min.x + 20, min.y + 10)); }
    void click_away() { ui.click(ImVec2(width / 2, 450)); }
};

}  // namespace

TEST_CASE("wrapped box: a character past U+FFFF survives clicking in and out and typing elsewhere") {
    const std::string phone = "\xF0\x9F\x93\x9E";  // ImGui's copy holds U+FFFD for it
    const std::string original = "call back " + phone + " tomorrow morning about the router";
    box_rig r(original);
    r.width = 180;
    r.ui.frame({});
    r.click_in();
    CHECK(r.text == original);
    r.click_away();
    r.click_in();  // once tripped ImGui's length check (an abort)
    CHECK(r.text == original);
    r.ui.press(ui::key::end, true);
    r.ui.type("!");
    CHECK(r.text == original + "!");
}

TEST_CASE("wrapped box: made narrower while active, a moved cursor is not a selection") {
    const std::string original = "the quick brown fox jumps over the lazy dog once more";
    box_rig r(original);
    r.click_in();
    r.ui.press(ui::key::end, true);
    r.ui.press(ui::key::left);
    r.ui.press(ui::key::left);
    r.width -= 15;
    r.ui.frame({});
    r.ui.type("X");
    CHECK(r.text == "the quick brown fox jumps over the lazy dog once moXre");
}

TEST_CASE("wrapped box: text changed underneath while active wins, and Escape keeps it") {
    box_rig r("first document description, long enough to wrap onto a second line");
    r.click_in();
    r.ui.type("abc");
    REQUIRE(r.text.find("abc") != std::string::npos);
    // Another document comes in (the editor's reset) or the owner clears the text (the
    // player's Restart clears the note): the box shows that, and edits go on from it.
    r.text = "second document";
    r.ui.frame({});
    CHECK(r.text == "second document");
    r.ui.press(ui::key::end, true);
    r.ui.type("!");
    CHECK(r.text == "second document!");
    r.ui.press(ui::key::escape);  // back to what the box held when it began again
    CHECK(r.text == "second document");

    r.click_in();
    r.ui.type("x");
    r.box.reset();
    r.text = "third";
    r.ui.frame({});
    r.ui.press(ui::key::escape);
    CHECK(r.text == "third");
}

TEST_CASE("wrapped box: a box that keeps its text on Escape leaves with what was typed") {
    box_rig r("note:");
    r.box.escape_keeps = true;
    r.click_in();
    r.ui.press(ui::key::end, true);
    r.ui.type(" caller angry");
    r.ui.press(ui::key::escape);
    CHECK(r.text == "note: caller angry");
    r.ui.frame({});
    CHECK_FALSE(ImGui::IsAnyItemActive());  // the box was left
    CHECK(r.text == "note: caller angry");
}
