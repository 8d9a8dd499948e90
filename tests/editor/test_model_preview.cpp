// The Preview's call: Back from the end screen returns to the step the call ended from.

#include <doctest/doctest.h>

#include "model/preview_call.hpp"
#include "signpost/clock.hpp"
#include "test_model_fixture.hpp"

using namespace signpost;
using namespace signpost::editor;

namespace {

std::shared_ptr<const tree> sample() { return std::make_shared<const tree>(model_test::load_sample()); }

const std::string& at(const preview_call& c) { return c.call().current().node_ptr->id; }

}  // namespace

TEST_CASE("preview call: Back from the end returns to the step before it, variables as they were there") {
    system_clock clk;
    preview_call c(sample(), nullptr, clk);
    CHECK(!c.can_go_back());
    CHECK(!c.back().ok);
    REQUIRE(c.choose(1));  // "No": reboots = 1
    CHECK(at(c) == "reboot");
    REQUIRE(c.next());
    REQUIRE(c.choose(0));  // "Yes"
    CHECK(at(c) == "acct");
    REQUIRE(c.submit({{"account", "12345678"}}));  // through route (reboots 1 < 2) to fixed
    REQUIRE(c.call().finished());
    CHECK(c.call().outcome() == "resolved");
    CHECK(c.can_go_back());

    REQUIRE(c.back());
    CHECK(!c.call().finished());
    CHECK(at(c) == "acct");
    CHECK(c.call().variables().at("reboots") == value{1.0});
    CHECK(c.call().variables().count("account") == 0);  // the submit is undone
    // What was submitted there is given back to show in the form.
    REQUIRE(c.undone_inputs());
    CHECK(c.undone_inputs()->at("account") == "12345678");
    CHECK(c.call().breadcrumb().size() == 4);  // power, reboot, power, acct

    // Back on from there is the session's own back, step by step.
    REQUIRE(c.back());
    CHECK(at(c) == "power");
    CHECK(!c.undone_inputs());
    REQUIRE(c.back());
    CHECK(at(c) == "reboot");
    REQUIRE(c.back());
    CHECK(at(c) == "power");
    CHECK(c.call().variables().at("reboots") == value{0.0});
    CHECK(!c.can_go_back());

    // Another way to the end, and back again.
    REQUIRE(c.choose(0));
    REQUIRE(c.submit({{"account", "87654321"}}));
    REQUIRE(c.call().finished());
    REQUIRE(c.back());
    CHECK(at(c) == "acct");
    REQUIRE(c.back());
    CHECK(at(c) == "power");
    CHECK(!c.can_go_back());
}

TEST_CASE("preview call: a failed action is not one to go back over") {
    system_clock clk;
    preview_call c(sample(), nullptr, clk);
    REQUIRE(c.choose(0));
    CHECK(!c.submit({{"account", "short"}}).ok);  // the pattern wants 8 digits
    CHECK(!c.choose(7).ok);
    REQUIRE(c.back());
    CHECK(at(c) == "power");
    CHECK(!c.can_go_back());
}
