// --after's keys (ui/scripted_input.hpp): what the player and editor play before a screenshot.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ui/keys.hpp"
#include "ui/scripted_input.hpp"

using namespace signpost::ui;

TEST_CASE("scripted input: keys, modifiers and typed text, a backslash before a comma types it") {
    std::vector<scripted_input> steps;
    std::string error;
    REQUIRE(parse_scripted_inputs("2,Alt+Left,ctrl+shift+r,text:Flat 2\\, Hill Road,Enter", steps, error));
    CHECK(error.empty());
    REQUIRE(steps.size() == 5);
    CHECK(steps[0].key == key::digit_0 + 2);
    CHECK((steps[1].key == key::left && steps[1].alt && !steps[1].ctrl));
    CHECK((steps[2].key == letter('R') && steps[2].ctrl && steps[2].shift));
    CHECK(steps[3].key == -1);
    CHECK(steps[3].text == "Flat 2, Hill Road");
    CHECK(steps[4].key == key::enter);
    // Empty steps are skipped; a backslash before anything else is kept as typed.
    steps.clear();
    REQUIRE(parse_scripted_inputs(",text:C:\\dir,,", steps, error));
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].text == "C:\\dir");
    // An unknown key says which.
    steps.clear();
    CHECK_FALSE(parse_scripted_inputs("1,Hyper+X", steps, error));
    CHECK(error.find("unknown key 'Hyper+X'") == 0);
}
