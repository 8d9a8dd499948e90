#pragma once
// A temporary folder with a small script, for player tests.

#include <filesystem>
#include <fstream>
#include <string>

namespace signpost::test {

// A script with every kind of step an agent meets: question, step, form, end, escalate.
inline const char* player_tree_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="router" version="2" title="Router check" start="power">
  <variables>
    <variable name="reboots" type="number" default="0"/>
    <variable name="account" type="text" default=""/>
  </variables>
  <question id="power" title="Power light">
    <text>Is the **power light** on?</text>
    <hint>Ask them to look at the front of the router.</hint>
    <choice to="acct">Yes, it is lit</choice>
    <choice to="reboot" set="reboots = reboots + 1">No</choice>
  </question>
  <step id="reboot" title="Reboot" to="power">
    <text>Unplug the router for 30 seconds.</text>
  </step>
  <form id="acct" title="Account" to="works">
    <field var="account" label="Account number" required="true" pattern="[0-9]{8}"/>
  </form>
  <question id="works" title="Working now?">
    <text>Does the internet work now for account {account}?</text>
    <choice to="fixed">Yes</choice>
    <choice to="tier2">No</choice>
  </question>
  <end id="fixed" title="Fixed" outcome="resolved">
    <text>Thank the customer.</text>
  </end>
  <escalate id="tier2" title="Tier 2" team="Network Tier 2" priority="high">
    <text>Account {account}, {reboots} reboots.</text>
  </escalate>
</tree>
)";

class temp_folder {
public:
    temp_folder() {
        path = std::filesystem::temp_directory_path() /
               ("signpost-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~temp_folder() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& content) const {
        const auto p = path / name;
        std::ofstream(p, std::ios::binary) << content;
        return p.string();
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
    std::filesystem::path path;

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
};

}  // namespace signpost::test
