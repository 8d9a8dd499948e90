#pragma once
// Shared fixtures of the editor model tests: a sample tree, a generated big tree, temp dirs.

#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <string>

#include "model/document.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"

namespace model_test {

namespace fs = std::filesystem;

// Every node kind, variables of each type, conditions with string literals, layout.
inline const char* sample_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="sample" version="2" title="Sample" start="power">
  <description>Account {account}.</description>
  <variables>
    <variable name="plan" type="choice" options="basic plus business" default="basic"/>
    <variable name="reboots" type="number" default="0"/>
    <variable name="account" type="text" label="Account number"/>
  </variables>
  <question id="power" title="Power">
    <text>Is the light on? {reboots} so far.</text>
    <choice to="acct">Yes</choice>
    <choice to="reboot" set="reboots = reboots + 1">No</choice>
    <choice to="route" if="plan == 'business' or account == 'account'">Business, plan {plan}</choice>
  </question>
  <step id="reboot" to="power"><text>Unplug it.</text></step>
  <form id="acct" to="route"><field var="account" label="Account" required="true" pattern="[0-9]{8}"/></form>
  <logic id="route"><branch if="reboots >= 2" to="tier2"/><otherwise to="fixed"/></logic>
  <escalate id="tier2" team="Network" priority="high"><text>Account {account}.</text></escalate>
  <end id="fixed" outcome="resolved"><text>Thanks.</text></end>
  <layout>
    <pos node="power" x="0" y="0"/>
    <pos node="reboot" x="300" y="200"/>
    <pos node="acct" x="300" y="0"/>
    <pos node="route" x="600" y="0"/>
    <pos node="tier2" x="900" y="0"/>
    <pos node="fixed" x="900" y="200"/>
  </layout>
</tree>
)";

inline signpost::tree load_sample() {
    auto r = signpost::load_tree_string(sample_xml, "sample.xml");
    REQUIRE(r.loaded);
    INFO(r.problems.size());
    REQUIRE(r.ok());
    return *r.loaded;
}

inline signpost::editor::document sample_document() { return signpost::editor::document(load_sample(), ""); }

inline std::string text_of(const signpost::editor::document& d) { return signpost::save_tree_string(d.current()); }

// A valid tree of `n` nodes: questions with two or three answers leading forward (some
// loops back), logic nodes, and ends; no layout.
inline signpost::tree big_tree(int n, unsigned seed = 7) {
    using namespace signpost;
    std::mt19937 rng(seed);
    tree t;
    t.id = "big";
    t.title = "Big";
    variable v;
    v.name = "count";
    v.type = var_type::number;
    v.default_text = "0";
    v.default_value = value{0.0};
    t.variables.push_back(v);
    const auto id = [](int i) { return "n" + std::to_string(i); };
    for (int i = 0; i < n; ++i) {
        node x;
        x.id = id(i);
        const int left = n - 1 - i;
        if (left <= 0 || (i % 50 == 49)) {
            x.kind = node_kind::end;
            x.outcome = "resolved";
            x.text = "Done.";
        } else if (i % 7 == 3) {
            x.kind = node_kind::logic;
            branch b;
            b.to = id(i + 1);
            b.condition = *parse_expression("count >= 2").result;
            x.branches.push_back(b);
            x.otherwise = id(std::min(n - 1, i + 2));
        } else {
            x.kind = node_kind::question;
            x.title = "Question " + std::to_string(i);
            x.text = "Ask the customer about item " + std::to_string(i) + ".";
            const int answers = 2 + static_cast<int>(rng() % 2);
            for (int k = 0; k < answers; ++k) {
                choice c;
                c.label = "Answer " + std::to_string(k + 1);
                // Answer 2 always skips one node so ends never cut the chain.
                int target = k == 0 ? i + 1 : k == 1 ? i + 2 : i + 1 + static_cast<int>(rng() % 6);
                if (k == 2 && i > 10 && rng() % 2) target = i - 5;  // a loop back
                c.to = id(std::min(n - 1, target));
                if (k == 1) {
                    c.set_source = "count = count + 1";
                    c.sets = *parse_assignments(c.set_source).result;
                }
                x.choices.push_back(c);
            }
        }
        t.nodes.push_back(x);
    }
    t.start = id(0);
    t.reindex();
    return t;
}

// A fresh folder under the system temp dir, removed afterwards.
struct temp_dir {
    fs::path path;
    temp_dir() {
        static std::atomic<int> counter{0};
        path = fs::temp_directory_path() /
               ("signpost-model-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

}  // namespace model_test
