// The shipped sample trees (trees/*.xml): they must load and validate clean, be in
// canonical form, survive a save/load round trip, and be walkable from start to finish.
// The folder is listed, so a new sample is covered without touching this file.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "signpost/clock.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"
#include "signpost/session.hpp"
#include "signpost/tree.hpp"
#include "signpost/validate.hpp"

using namespace signpost;

namespace {

const std::string trees_dir = std::string(SIGNPOST_SOURCE_DIR) + "/trees";

std::vector<std::string> sample_files() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(trees_dir))
        if (entry.is_regular_file() && entry.path().extension() == ".xml") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

std::string stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

std::string field_errors(const action_result& r) {
    std::string out = r.error;
    for (const auto& e : r.field_errors) out += "\n" + e.variable + ": " + e.message;
    return out;
}

std::string listing(const diagnostics& list) {
    std::string out;
    for (const auto& d : list) out += format(d) + "\n";
    return out;
}

std::shared_ptr<tree> load_clean(const std::string& path) {
    load_result r = load_tree_file(path);
    INFO(listing(r.problems));
    REQUIRE(r.ok());
    return r.loaded;
}

// "line N: expected / actual" for the first line where two texts differ.
std::string first_difference(const std::string& expected, const std::string& actual) {
    std::istringstream a(expected), b(actual);
    std::string la, lb;
    for (int line = 1;; ++line) {
        const bool more_a = static_cast<bool>(std::getline(a, la));
        const bool more_b = static_cast<bool>(std::getline(b, lb));
        if (!more_a && !more_b) return "texts differ only in the final newline";
        if (!more_a || !more_b || la != lb)
            return "line " + std::to_string(line) + "\n  file:  " + (more_a ? la : "<end>") + "\n  saved: " +
                   (more_b ? lb : "<end>");
    }
}

// An input the form accepts for a field: known patterns map to an example, otherwise a
// value of the variable's type. The test checks the example against the pattern, so a new
// pattern in a sample without an entry here fails loudly instead of walking wrongly.
std::string sample_input(const view_field& f) {
    static const std::map<std::string, std::string> by_pattern = {
        {"[0-9]{8}", "40112233"},
        {"[0-9]{6}", "481516"},
        {"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", "2026-03-14"},
        {"E[0-9]{6}", "E104233"},
        {"[a-z][a-z0-9.]{1,31}", "maria.lopez"},
        {"([01][0-9]|2[0-3]):[0-5][0-9]", "17:30"},
        {"\\+?[0-9][0-9 ()-]{5,19}", "+1 555 0100 2233"},
        {R"re(\+?[0-9][0-9 ()-]{5,19}( ?([Ee]xt\.?|x) ?[0-9]{1,6})?|([Ee]xt\.? ?)?[0-9]{3,6})re", "ext 4021"},
        {"([0-9]|０|１|２|３|４|５|６|７|８|９){3,4}", "691"},
    };
    if (!f.pattern.empty()) {
        auto it = by_pattern.find(f.pattern);
        INFO("field " << f.variable << " has pattern " << f.pattern << " with no example in sample_input");
        REQUIRE(it != by_pattern.end());
        REQUIRE(std::regex_match(it->second, std::regex(f.pattern, std::regex::ECMAScript)));
        return it->second;
    }
    switch (f.type) {
        case var_type::number: return "20";
        case var_type::flag: return "true";
        case var_type::choice: REQUIRE(!f.options.empty()); return f.options.front();
        case var_type::date: return "tomorrow";
        case var_type::text: break;
    }
    return "Sample answer";
}

std::map<std::string, std::string> sample_inputs(const view& v) {
    std::map<std::string, std::string> inputs;
    for (const auto& f : v.fields) inputs[f.variable] = sample_input(f);
    return inputs;
}

// One move of the smoke walk: first visible choice, Continue, or a valid form.
void take_default_step(session& s) {
    const view& v = s.current();
    INFO("at node " << v.title);
    REQUIRE(v.stuck.empty());
    REQUIRE(v.node_ptr != nullptr);
    action_result r;
    switch (v.node_ptr->kind) {
        case node_kind::question:
            REQUIRE(!v.choices.empty());
            r = s.choose(0);
            break;
        case node_kind::step: r = s.next(); break;
        case node_kind::form: r = s.submit(sample_inputs(v)); break;
        default: FAIL("the session rests on a node the agent cannot act on");
    }
    INFO(field_errors(r));
    REQUIRE(r.ok);
}

// Scripted walks: choose the visible choice whose label contains `label`.
void choose(session& s, const std::string& label) {
    const auto& choices = s.current().choices;
    INFO("at " << s.current().title << ", choosing '" << label << "'");
    for (std::size_t i = 0; i < choices.size(); ++i)
        if (choices[i].label.find(label) != std::string::npos) {
            REQUIRE(s.choose(static_cast<int>(i)).ok);
            return;
        }
    FAIL("no visible choice contains the label");
}

void submit(session& s, const std::map<std::string, std::string>& inputs) {
    INFO("at " << s.current().title);
    const action_result r = s.submit(inputs);
    INFO(field_errors(r));
    REQUIRE(r.ok);
}

// Verifies through identity-verification with an SMS code (the shared sub-tree).
void verify_by_sms(session& s, const std::string& account) {
    REQUIRE(s.current().tree_ptr->id == "identity-verification");
    submit(s, {{"account", account}, {"caller_name", "Ana Silva"}});
    choose(s, "listed on it");
    choose(s, "One-time code");
    submit(s, {{"code", "123456"}});
    choose(s, "Code accepted");
}

}  // namespace

TEST_CASE("samples: the trees folder holds the expected scripts") {
    const std::vector<std::string> files = sample_files();
    std::set<std::string> ids;
    for (const auto& f : files) ids.insert(stem(f));
    for (const char* id : {"internet-outage", "billing-dispute", "identity-verification", "password-reset",
                           "open-door-escalation", "department-handoff", "agent-checkin", "vpn-trouble-ja"}) {
        CAPTURE(id);
        CHECK(ids.contains(id));
    }
}

TEST_CASE("samples: every sample loads without any diagnostic") {
    for (const auto& path : sample_files()) {
        CAPTURE(path);
        const load_result r = load_tree_file(path);
        INFO(listing(r.problems));
        CHECK(r.problems.empty());
        REQUIRE(r.loaded);
        // The file is named after the tree: that is how jumps find it.
        CHECK(r.loaded->id == stem(path));
    }
}

TEST_CASE("samples: every sample validates with no errors or warnings") {
    const tree_library library({trees_dir});
    for (const auto& path : sample_files()) {
        CAPTURE(path);
        const auto t = load_clean(path);
        const diagnostics found = validate_tree(*t, &library);
        diagnostics serious;
        for (const auto& d : found)
            if (d.level != severity::info) serious.push_back(d);
        INFO(listing(serious));
        CHECK(serious.empty());
    }
}

TEST_CASE("samples: each sample follows the authoring rules") {
    for (const auto& path : sample_files()) {
        CAPTURE(path);
        const auto t = load_clean(path);
        bool routes = false;  // a jump or logic somewhere
        std::set<std::string> placed;
        for (const auto& p : t->layout) {
            CAPTURE(p.node);
            CHECK(placed.insert(p.node).second);  // one position per node
        }
        for (const auto& n : t->nodes) {
            CAPTURE(n.id);
            CHECK(placed.contains(n.id));
            CHECK(!n.title.empty());
            if (n.kind == node_kind::jump || n.kind == node_kind::logic) routes = true;
            if (n.kind == node_kind::logic) CHECK(!n.otherwise.empty());
        }
        CHECK(routes);
        CHECK(!t->description.empty());
        // No two nodes share a position: overlapping boxes hide each other in the editor.
        std::set<std::pair<double, double>> spots;
        for (const auto& p : t->layout) CHECK(spots.insert({p.x, p.y}).second);
    }
}

TEST_CASE("samples: saving a sample reproduces the file byte for byte") {
    for (const auto& path : sample_files()) {
        CAPTURE(path);
        const std::string original = read_all(path);
        const auto t = load_clean(path);
        const std::string saved = save_tree_string(*t);
        // Compared as a flag: doctest would print both whole files otherwise.
        const bool identical = saved == original;
        INFO(first_difference(original, saved));
        CHECK(identical);
    }
}

TEST_CASE("samples: load(save(tree)) gives the same tree") {
    for (const auto& path : sample_files()) {
        CAPTURE(path);
        const auto a = load_clean(path);
        const load_result again = load_tree_string(save_tree_string(*a), path);
        INFO(listing(again.problems));
        REQUIRE(again.ok());
        const tree& b = *again.loaded;

        CHECK(b.id == a->id);
        CHECK(b.version == a->version);
        CHECK(b.title == a->title);
        CHECK(b.start == a->start);
        CHECK(b.allow_find == a->allow_find);
        CHECK(b.description == a->description);

        REQUIRE(b.variables.size() == a->variables.size());
        for (std::size_t i = 0; i < b.variables.size(); ++i) {
            const variable &x = a->variables[i], &y = b.variables[i];
            CAPTURE(x.name);
            CHECK(y.name == x.name);
            CHECK(y.type == x.type);
            CHECK(y.options == x.options);
            CHECK(y.default_text == x.default_text);
            CHECK(y.default_value == x.default_value);
            CHECK(y.label == x.label);
        }

        REQUIRE(b.nodes.size() == a->nodes.size());
        for (std::size_t i = 0; i < b.nodes.size(); ++i) {
            const node &x = a->nodes[i], &y = b.nodes[i];
            CAPTURE(x.id);
            CHECK(y.kind == x.kind);
            CHECK(y.id == x.id);
            CHECK(y.title == x.title);
            CHECK(y.text == x.text);
            CHECK(y.hint == x.hint);
            CHECK(y.to == x.to);
            CHECK(y.tree_ref == x.tree_ref);
            CHECK(y.team == x.team);
            CHECK(y.priority == x.priority);
            CHECK(y.outcome == x.outcome);
            CHECK(y.otherwise == x.otherwise);
            REQUIRE(y.choices.size() == x.choices.size());
            for (std::size_t c = 0; c < y.choices.size(); ++c) {
                CHECK(y.choices[c].label == x.choices[c].label);
                CHECK(y.choices[c].to == x.choices[c].to);
                CHECK(y.choices[c].condition.has_value() == x.choices[c].condition.has_value());
                if (x.choices[c].condition && y.choices[c].condition)
                    CHECK(y.choices[c].condition->source() == x.choices[c].condition->source());
                CHECK(y.choices[c].set_source == x.choices[c].set_source);
                CHECK(y.choices[c].sets.size() == x.choices[c].sets.size());
            }
            REQUIRE(y.fields.size() == x.fields.size());
            for (std::size_t f = 0; f < y.fields.size(); ++f) {
                CHECK(y.fields[f].variable == x.fields[f].variable);
                CHECK(y.fields[f].label == x.fields[f].label);
                CHECK(y.fields[f].required == x.fields[f].required);
                CHECK(y.fields[f].pattern == x.fields[f].pattern);
                CHECK(y.fields[f].placeholder == x.fields[f].placeholder);
            }
            REQUIRE(y.branches.size() == x.branches.size());
            for (std::size_t k = 0; k < y.branches.size(); ++k) {
                CHECK(y.branches[k].to == x.branches[k].to);
                CHECK(y.branches[k].condition.source() == x.branches[k].condition.source());
            }
        }

        REQUIRE(b.layout.size() == a->layout.size());
        for (std::size_t i = 0; i < b.layout.size(); ++i) {
            CHECK(b.layout[i].node == a->layout[i].node);
            CHECK(b.layout[i].x == a->layout[i].x);
            CHECK(b.layout[i].y == a->layout[i].y);
        }
    }
}

TEST_CASE("samples: a walk taking the first choice everywhere finishes") {
    const tree_library library({trees_dir});
    for (const auto& path : sample_files()) {
        CAPTURE(path);
        const std::shared_ptr<const tree> t = load_clean(path);
        manual_clock clk(1'700'000'000'000);
        session s(t, &library, clk, nullptr, "smoke");
        int steps = 0;
        while (!s.finished() && steps < 200) {
            take_default_step(s);
            clk.advance(1000);
            ++steps;
        }
        CHECK(s.finished());
        CHECK(s.status() != session_status::abandoned);
        CHECK(s.breadcrumb().size() >= 2);
    }
}

TEST_CASE("samples: internet outage escalates after two reboots with the facts filled in") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/internet-outage.xml");
    manual_clock clk;
    session s(t, &library, clk);

    verify_by_sms(s, "40112233");
    REQUIRE(s.current().tree_ptr->id == "internet-outage");  // back from the sub-tree
    CHECK(s.current().jump_depth == 0);
    submit(s, {{"plan", "plus"}, {"down_since", "this morning"}});
    // The business shortcut is only offered on business plans.
    for (const auto& c : s.current().choices) CHECK(c.label.find("Business line") == std::string::npos);
    choose(s, "No known outage");
    choose(s, "Blinking");
    for (int reboot = 1; reboot <= 2; ++reboot) {
        CAPTURE(reboot);
        REQUIRE(s.current().node_ptr->id == "reboot");
        REQUIRE(s.next().ok);
        choose(s, "still down");
    }
    REQUIRE(s.status() == session_status::escalated);
    CHECK(s.team() == "Network Tier 2");
    CHECK(s.priority() == "normal");
    CHECK(s.handoff().find("account 40112233") != std::string::npos);
    CHECK(s.handoff().find("Reboots on this call: 2") != std::string::npos);
    // Every check is kept, in order: a later step must not overwrite an earlier one.
    CHECK(s.handoff().find("Checks: outage map, power light blinking or red, reboot, reboot.") != std::string::npos);
}

TEST_CASE("samples: internet outage sends business lines to the high-priority queue") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/internet-outage.xml");
    manual_clock clk;
    session s(t, &library, clk);
    verify_by_sms(s, "40112233");
    submit(s, {{"plan", "business"}, {"down_since", "09:00"}});
    choose(s, "Business line");
    REQUIRE(s.status() == session_status::escalated);
    CHECK(s.team() == "Network Tier 2");
    CHECK(s.priority() == "high");
}

TEST_CASE("samples: billing credits within the agent limit and escalates above it") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/billing-dispute.xml");

    SUBCASE("within the limit: credit issued") {
        manual_clock clk;
        session s(t, &library, clk);
        verify_by_sms(s, "40112233");
        submit(s, {{"amount", "12.50"}, {"charge_date", "2026-02-01"}, {"category", "duplicate"}});
        choose(s, "charged twice");
        CHECK(s.current().text.find("12.5 dollars") != std::string::npos);
        choose(s, "Credit applied");
        CHECK(s.status() == session_status::completed);
        CHECK(s.outcome() == "credit-issued");
    }
    SUBCASE("above the limit: Billing Disputes with the account from verification") {
        manual_clock clk;
        session s(t, &library, clk);
        verify_by_sms(s, "40998877");
        submit(s, {{"amount", "120"}, {"charge_date", "2026-02-01"}, {"category", "late-fee"}});
        choose(s, "on time");
        REQUIRE(s.current().node_ptr->id == "over-limit");
        choose(s, "Hand to Billing Disputes");
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Billing Disputes");
        CHECK(s.handoff().find("account 40998877") != std::string::npos);
        // The finding says both what was found and why the agent did not credit it.
        CHECK(s.handoff().find("payment was on time; credit due, over the agent's credit limit") != std::string::npos);
    }
}

TEST_CASE("samples: billing credits a fault in full only when it covered the whole charged period") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/billing-dispute.xml");
    manual_clock clk;
    session s(t, &library, clk);
    verify_by_sms(s, "40112233");
    submit(s, {{"amount", "45"}, {"charge_date", "2026-03-01"}, {"category", "service-not-received"}});
    choose(s, "fault ticket");
    REQUIRE(s.current().node_ptr->id == "fault-period");

    SUBCASE("a fault for part of the period goes to Billing Disputes, not a full credit") {
        choose(s, "only part");
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Billing Disputes");
        CHECK(s.handoff().find("covers only part of the charged period") != std::string::npos);
    }
    SUBCASE("a fault for the whole period is credited within the limit") {
        choose(s, "whole charged period");
        REQUIRE(s.current().node_ptr->id == "issue-credit");
        CHECK(s.current().text.find("fault ticket covers the whole charged period") != std::string::npos);
        choose(s, "Credit applied");
        CHECK(s.outcome() == "credit-issued");
    }
}

TEST_CASE("samples: billing asks about account misuse before treating an unknown charge as a dispute") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/billing-dispute.xml");
    manual_clock clk;
    session s(t, &library, clk);
    verify_by_sms(s, "40112233");
    submit(s, {{"amount", "79.99"}, {"charge_date", "2026-03-02"}, {"category", "unrecognised"}});
    choose(s, "still do not recognise");
    REQUIRE(s.current().node_ptr->id == "misuse-check");

    SUBCASE("suspected misuse goes to Fraud Prevention with what was seen and a callback") {
        choose(s, "not sure");
        submit(s, {{"misuse_signs", "Unknown tablet added on 2 March"}, {"callback_number", "+1 555 0100 2233"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Fraud Prevention");
        CHECK(s.priority() == "high");
        for (const char* fact : {"account 40112233", "79.99 dollars", "2026-03-02", "Unknown tablet added on 2 March",
                                 "+1 555 0100 2233"}) {
            CAPTURE(fact);
            CHECK(s.handoff().find(fact) != std::string::npos);
        }
    }
    SUBCASE("no sign of misuse stays a billing dispute and says misuse was ruled out") {
        choose(s, "nobody else");
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Billing Disputes");
        CHECK(s.priority() == "normal");
        CHECK(s.handoff().find("no sign that anyone else used the account") != std::string::npos);
    }
}

TEST_CASE("samples: failed identity verification never reaches the calling script") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/billing-dispute.xml");
    manual_clock clk;
    session s(t, &library, clk);
    submit(s, {{"account", "40112233"}, {"caller_name", "Ana Silva"}});
    choose(s, "listed on it");
    for (int attempt = 0; attempt < 3; ++attempt) {
        choose(s, "Security questions");
        choose(s, "wrong");
    }
    REQUIRE(s.current().node_ptr->id == "too-many-failures");

    SUBCASE("warning signs go to Fraud Prevention, written into the hand-off") {
        choose(s, "warning sign");
        REQUIRE(s.current().node_ptr->id == "fraud-signs");
        submit(s, {{"warning_signs", "Someone prompting answers in the background"}});
        CHECK(s.status() == session_status::escalated);
        CHECK(s.team() == "Fraud Prevention");
        CHECK(s.handoff().find("3 failed checks") != std::string::npos);
        CHECK(s.handoff().find("Warning signs seen: Someone prompting answers in the background.") != std::string::npos);
        CHECK(s.handoff().find("agent notes") == std::string::npos);
    }
    SUBCASE("otherwise the caller script ends unverified") {
        choose(s, "probably genuine");
        CHECK(s.status() == session_status::completed);
        CHECK(s.outcome() == "unverified");  // billing's own end, after returning
        CHECK(s.variables().at("verified") == value(false));
    }
}

TEST_CASE("samples: open-door danger and breach hand-offs carry the caller's details") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/open-door-escalation.xml");
    const std::map<std::string, std::string> details = {{"location", "Plant 2, loading bay"},
                                                        {"people_involved", "Two forklift drivers"},
                                                        {"callback_number", "+1 555 0100 2233"},
                                                        {"safe_to_call", "no"}};
    SUBCASE("immediate danger is the first choice and goes to Security") {
        manual_clock clk;
        session s(t, &library, clk);
        REQUIRE(s.current().choices.front().label.find("immediate danger") != std::string::npos);
        choose(s, "immediate danger");
        REQUIRE(s.current().node_ptr->id == "danger-details");
        submit(s, details);
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Corporate Security");
        CHECK(s.priority() == "urgent");
        CHECK(s.handoff().find("Plant 2, loading bay") != std::string::npos);
        CHECK(s.handoff().find("Two forklift drivers") != std::string::npos);
        CHECK(s.handoff().find("+1 555 0100 2233") != std::string::npos);
        CHECK(s.handoff().find("safe to call back: **no**") != std::string::npos);
        CHECK(s.handoff().find("agent notes") == std::string::npos);
    }
    SUBCASE("a safety or legal breach that is not immediate goes to Compliance") {
        manual_clock clk;
        session s(t, &library, clk);
        choose(s, "safety or legal breach");
        choose(s, "give their name");
        auto inputs = details;
        inputs["employee"] = "Sam Ortiz";
        inputs["issue"] = "Fire exit blocked by pallets since Monday";
        submit(s, inputs);
        // Not safe to call back: Compliance is told another way to reach them.
        REQUIRE(s.current().node_ptr->id == "safe-contact");
        submit(s, {{"safe_contact", "Personal e-mail, sam@example.org"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Compliance and Health & Safety");
        CHECK(s.handoff().find("Sam Ortiz") != std::string::npos);
        CHECK(s.handoff().find("Fire exit blocked") != std::string::npos);
        CHECK(s.handoff().find("Plant 2, loading bay") != std::string::npos);
        CHECK(s.handoff().find("sam@example.org") != std::string::npos);
    }
}

TEST_CASE("samples: open-door danger reaches Security with an extension, or with nothing when the caller hangs up") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/open-door-escalation.xml");
    manual_clock clk;
    session s(t, &library, clk);
    choose(s, "immediate danger");
    REQUIRE(s.current().node_ptr->id == "danger-details");
    SUBCASE("an internal extension, the caller's name and whether 999/911 was called") {
        for (const std::string number : {"ext 4021", "4021", "Ext. 4021", "+1 555 0100 ext 12"}) {
            CAPTURE(number);
            session other(t, &library, clk);
            choose(other, "immediate danger");
            submit(other, {{"callback_number", number}});
            REQUIRE(other.status() == session_status::escalated);
            CHECK(other.handoff().find("call back on " + number) != std::string::npos);
        }
        // Words are still not a number: a typo does not pass as one.
        CHECK_FALSE(s.submit({{"callback_number", "unknown"}}).ok);
        submit(s, {{"location", "Site B, floor 2"},
                   {"caller_name", "Kim Lee"},
                   {"callback_number", "ext 4021"},
                   {"emergency_called", "yes"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Corporate Security");
        CHECK(s.priority() == "urgent");
        CHECK(s.handoff().find("Kim Lee, call back on ext 4021") != std::string::npos);
        CHECK(s.handoff().find("Emergency services called:** yes") != std::string::npos);
        CHECK(s.handoff().find("Site B, floor 2") != std::string::npos);
    }
    SUBCASE("the caller hung up: an empty form still reaches Security") {
        submit(s, {});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Corporate Security");
        CHECK(s.priority() == "urgent");
        CHECK(s.handoff().find("call back on none given") != std::string::npos);
        CHECK(s.handoff().find("Where:** not given") != std::string::npos);
        CHECK(s.handoff().find("Emergency services called:** unknown") != std::string::npos);
    }
}

TEST_CASE("samples: open-door Employee Relations takes an extension and a safe way to reach the employee") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/open-door-escalation.xml");
    manual_clock clk;
    session s(t, &library, clk);
    choose(s, "Harassment");
    const std::map<std::string, std::string> inputs = {{"employee", "Ana Ruiz"},
                                                       {"issue", "Comments about her accent in every stand-up"},
                                                       {"location", "Team Blue, Site A"},
                                                       {"people_involved", "Chris Dale, shift lead"},
                                                       {"callback_number", "4021"}};
    SUBCASE("safe to call: straight to Employee Relations") {
        auto safe = inputs;
        safe["safe_to_call"] = "yes";
        submit(s, safe);
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "HR Employee Relations");
        CHECK(s.handoff().find("Call back on:** 4021 (safe to call back: **yes**") != std::string::npos);
    }
    SUBCASE("not safe to call: the form asks how to reach them instead") {
        auto unsafe = inputs;
        unsafe["safe_to_call"] = "no";
        submit(s, unsafe);
        REQUIRE(s.current().node_ptr->id == "safe-contact");
        CHECK_FALSE(s.submit({}).ok);  // a "no" without another way is not enough
        submit(s, {{"safe_contact", "Mobile after 18:00"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "HR Employee Relations");
        CHECK(s.handoff().find("safe to call back: **no**; otherwise: Mobile after 18:00") != std::string::npos);
    }
}

TEST_CASE("samples: an anonymous whistleblower is given the hotline, and nothing is handed off") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/open-door-escalation.xml");
    manual_clock clk;
    session s(t, &library, clk);
    choose(s, "safety or legal breach");
    // The choice comes before any form asks for a name.
    REQUIRE(s.current().fields.empty());
    choose(s, "stay anonymous");
    REQUIRE(s.status() == session_status::completed);
    CHECK(s.outcome() == "hotline-given");
    CHECK(s.team().empty());
    CHECK(s.handoff().empty());
    const auto vars = s.variables();
    CHECK_FALSE(vars.contains("employee"));
    if (vars.contains("callback_number")) CHECK(vars.at("callback_number") == value(std::string("none given")));
}

TEST_CASE("samples: open-door HR hand-off says the manager is the problem, names them, and how to reach the employee") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/open-door-escalation.xml");
    manual_clock clk;
    session s(t, &library, clk);
    choose(s, "work problem");
    choose(s, "Not yet");
    submit(s, {{"employee", "Lee Park"},
               {"issue", "Manager moves my shifts the day before"},
               {"first_noticed", "2026-03-14"},
               {"wanted_outcome", "Shifts fixed two weeks ahead"}});
    choose(s, "Yes");
    REQUIRE(s.current().node_ptr->id == "skip-or-hr");

    SUBCASE("to HR") {
        choose(s, "HR");
        REQUIRE(s.current().node_ptr->id == "hr-details");
        submit(s, {{"manager_name", "Dana Reyes"}, {"callback_number", "ext 4021"}, {"safe_to_call", "no"}});
        REQUIRE(s.current().node_ptr->id == "hr-safe-contact");
        submit(s, {{"safe_contact", "Personal e-mail only"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "HR Business Partners");
        CHECK(s.handoff().find("Dana Reyes (the employee says the manager is part of the problem)") != std::string::npos);
        CHECK(s.handoff().find("ext 4021") != std::string::npos);
        CHECK(s.handoff().find("Personal e-mail only") != std::string::npos);
        CHECK(s.handoff().find("not raised yet") == std::string::npos);
    }
    SUBCASE("to the skip-level manager: the prep does not ask for a manager's response that never happened") {
        choose(s, "skip-level");
        REQUIRE(s.current().node_ptr->kind == node_kind::step);
        CHECK(s.current().text.find("what the manager said") == std::string::npos);
        // The manager's response is still its "not raised" default, and must not be quoted.
        const std::string response = std::get<std::string>(s.variables().at("manager_response"));
        CHECK(s.current().text.find(response) == std::string::npos);
        CHECK(s.current().text.find("manager is part of the problem") != std::string::npos);
    }
}

TEST_CASE("samples: an urgent wellbeing hand-off tells EAP how to reach the team lead") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/agent-checkin.xml");
    manual_clock clk;
    session s(t, &library, clk);
    REQUIRE(s.next().ok);
    submit(s, {{"agent_name", "Jo"}});
    choose(s, "outside work");
    // The team lead is given the words to ask, not only told to check.
    CHECK(s.current().text.find("Are you having thoughts of harming yourself?") != std::string::npos);
    CHECK(s.current().text.find("Do you feel safe at home?") != std::string::npos);
    choose(s, "not sure");
    REQUIRE(s.current().node_ptr->id == "urgent-contact");
    submit(s, {{"lead_name", "Priya Shah"}, {"lead_phone", "+1 555 0100 2233"}, {"lead_location", "Floor 3, room 3.12"}});
    REQUIRE(s.status() == session_status::escalated);
    CHECK(s.team() == "Employee Assistance Programme");
    CHECK(s.priority() == "urgent");
    CHECK(s.handoff().find("Priya Shah") != std::string::npos);
    CHECK(s.handoff().find("+1 555 0100 2233") != std::string::npos);
    CHECK(s.handoff().find("Floor 3, room 3.12") != std::string::npos);
}

TEST_CASE("samples: an agent who would rather not say is still asked whether they are safe") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/agent-checkin.xml");
    manual_clock clk;
    session s(t, &library, clk);
    REQUIRE(s.next().ok);
    submit(s, {{"agent_name", "Jo"}});
    choose(s, "rather not say");
    REQUIRE(s.current().node_ptr->id == "wellbeing-check");
    CHECK(s.current().text.find("Are you having thoughts of harming yourself?") != std::string::npos);
    SUBCASE("not sure: the crisis line gets the team lead's extension") {
        choose(s, "not sure");
        REQUIRE(s.current().node_ptr->id == "urgent-contact");
        submit(s, {{"lead_name", "Priya Shah"}, {"lead_phone", "ext 4021"}, {"lead_location", "Floor 3, room 3.12"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.priority() == "urgent");
        CHECK(s.handoff().find("ext 4021") != std::string::npos);
    }
    SUBCASE("no: on to the break offer, with the reason kept private") {
        choose(s, "No");
        CHECK(s.current().node_ptr->id == "break-offer");
        CHECK(s.variables().at("what_happened") == value(std::string("not discussed")));
    }
}

TEST_CASE("samples: a check-in reports an abusive caller to Quality, with the call ID in the note") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/agent-checkin.xml");
    manual_clock clk;
    session s(t, &library, clk);
    REQUIRE(s.next().ok);
    submit(s, {{"agent_name", "Jo"}});
    choose(s, "difficult call");
    submit(s, {{"what_happened", "10:40 call, caller swore and threatened Jo"}});
    REQUIRE(s.current().node_ptr->id == "abusive");
    SUBCASE("abusive: the report step asks for the call ID, and the note keeps it") {
        choose(s, "report it to Quality");
        REQUIRE(s.current().node_ptr->id == "report-abuse");
        CHECK_FALSE(s.submit({}).ok);  // no report without the call ID
        submit(s, {{"abuse_call_id", "C-20260314-0042"}});
        choose(s, "Carry on as normal");
        submit(s, {{"follow_up", "2026-03-16"}});
        choose(s, "knowing about it is enough");
        REQUIRE(s.status() == session_status::completed);
        CHECK(s.current().text.find("reported to Quality:** C-20260314-0042") != std::string::npos);
    }
    SUBCASE("upsetting but not abusive: nothing is reported") {
        choose(s, "not abusive");
        choose(s, "Carry on as normal");
        submit(s, {{"follow_up", "2026-03-16"}});
        choose(s, "knowing about it is enough");
        REQUIRE(s.status() == session_status::completed);
        CHECK(s.current().text.find("reported to Quality:** none reported") != std::string::npos);
    }
}

TEST_CASE("samples: a concern about the team lead themself is followed up by someone else") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/agent-checkin.xml");
    manual_clock clk;
    session s(t, &library, clk);
    REQUIRE(s.next().ok);
    submit(s, {{"agent_name", "Jo"}});
    choose(s, "their own team lead");
    // The lead does not write down the facts of a complaint about themself.
    REQUIRE(s.current().node_ptr->id == "about-you");
    CHECK(s.current().fields.empty());
    REQUIRE(s.next().ok);
    choose(s, "Carry on as normal");
    REQUIRE(s.current().node_ptr->id == "handover");
    submit(s, {{"lead_name", "Priya Shah"}, {"follow_up_by", "Sam Lee, operations manager"}, {"follow_up", "2026-03-16"}});
    SUBCASE("HR is told who the concern is about and who follows up") {
        choose(s, "Yes");
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "HR Employee Relations");
        CHECK(s.handoff().find("**Priya Shah**") != std::string::npos);
        CHECK(s.handoff().find("Follow-up is with **Sam Lee, operations manager** on 2026-03-16, not with the team lead") !=
              std::string::npos);
        CHECK(s.handoff().find("Follow-up with the supervisor") == std::string::npos);
    }
    SUBCASE("no HR for now: the ending names the other person") {
        choose(s, "Not now");
        REQUIRE(s.status() == session_status::completed);
        CHECK(s.outcome() == "handed-over");
        CHECK(s.current().text.find("Sam Lee, operations manager follows up with them on 2026-03-16") != std::string::npos);
    }
}

TEST_CASE("samples: VPN routes error codes typed in either width and never reuses an old one") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/vpn-trouble-ja.xml");
    manual_clock clk;
    session s(t, &library, clk);
    submit(s, {{"employee_name", "山田 花子"},
               {"employee_id", "123456"},
               {"contact", "090-1234-5678"},
               {"location", "大阪のホテル"}});
    choose(s, "開ける");
    choose(s, "Windows");

    SUBCASE("a full-width 691 twice goes to the account team, not the network team") {
        choose(s, "番号が表示される");
        submit(s, {{"error_code", "６９１"}});
        REQUIRE(s.current().node_ptr->id == "password");
        choose(s, "つながらない");
        choose(s, "番号が表示される");
        submit(s, {{"error_code", "691"}});
        REQUIRE(s.current().node_ptr->id == "password");
        choose(s, "つながらない");
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "アカウント管理チーム");
        for (const char* fact : {"山田 花子", "123456", "090-1234-5678", "大阪のホテル", "会社支給のWindows",
                                 "パスワードの再入力（691）、パスワードの再入力（691）"}) {
            CAPTURE(fact);
            CHECK(s.handoff().find(fact) != std::string::npos);
        }
        CHECK(s.handoff().find("windows") == std::string::npos);
    }
    SUBCASE("no number on the second try does not reuse the first try's 691") {
        choose(s, "番号が表示される");
        submit(s, {{"error_code", "809"}});
        REQUIRE(s.current().node_ptr->id == "port-blocked");
        choose(s, "つながらない");
        choose(s, "番号が出ない");
        REQUIRE(s.current().node_ptr->id == "restart-client");
        choose(s, "つながらない");
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "ネットワーク運用チーム");
        CHECK(s.handoff().find("最後のエラーコード：** 表示なし") != std::string::npos);
    }
}

TEST_CASE("samples: password reset troubleshoots a missing MFA prompt before handing it to IAM") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/password-reset.xml");
    manual_clock clk;
    session s(t, &library, clk);
    submit(s, {{"employee_id", "E104233"}, {"username", "maria.lopez"}});
    choose(s, "callback to the directory number");
    choose(s, "is locked");
    choose(s, "they know it");
    REQUIRE(s.next().ok);  // unlock
    choose(s, "MFA prompt does not arrive");
    REQUIRE(s.current().node_ptr->id == "mfa-troubleshoot");
    CHECK(s.current().text.find("date and time") != std::string::npos);
    choose(s, "Still no prompt");
    REQUIRE(s.status() == session_status::escalated);
    CHECK(s.team() == "Identity & Access Management");
    CHECK(s.handoff().find("**mfa-no-prompt**") != std::string::npos);
    CHECK(s.handoff().find("verified the caller by callback to the directory number; unlocked the account; checked the "
                           "phone is online") != std::string::npos);
}

TEST_CASE("samples: internet outage sends a dead business router to Tier 2 and a single device to device advice") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/internet-outage.xml");
    manual_clock clk;
    session s(t, &library, clk);
    verify_by_sms(s, "40112233");

    SUBCASE("a business router with no power goes to the 1-hour queue, not a next-day replacement") {
        submit(s, {{"plan", "business"}, {"down_since", "09:00"}});
        choose(s, "No known outage");
        choose(s, "No light at all");
        REQUIRE(s.next().ok);
        choose(s, "still nothing");
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Network Tier 2");
        CHECK(s.priority() == "high");
        CHECK(s.handoff().find("no power light with a working socket") != std::string::npos);
    }
    SUBCASE("a home router with no power is replaced") {
        submit(s, {{"plan", "basic"}, {"down_since", "09:00"}});
        choose(s, "No known outage");
        choose(s, "No light at all");
        REQUIRE(s.next().ok);
        choose(s, "still nothing");
        CHECK(s.status() == session_status::completed);
        CHECK(s.outcome() == "replacement-ordered");
    }
    SUBCASE("a dead wall socket is an answer of its own") {
        submit(s, {{"plan", "basic"}, {"down_since", "09:00"}});
        choose(s, "No known outage");
        choose(s, "No light at all");
        REQUIRE(s.next().ok);
        choose(s, "another socket");
        CHECK(s.current().node_ptr->id == "internet-light");
    }
    SUBCASE("one device offline with the router online ends with device advice, not reboots") {
        submit(s, {{"plan", "plus"}, {"down_since", "09:00"}});
        choose(s, "No known outage");
        choose(s, "Yes, steady");
        choose(s, "Steady green");
        choose(s, "Only one device");
        REQUIRE(s.next().ok);
        choose(s, "still offline");
        CHECK(s.status() == session_status::completed);
        CHECK(s.outcome() == "device-advice");
        CHECK(s.variables().at("reboots") == value(0.0));
    }
}

TEST_CASE("samples: open-door hands HR both earlier responses and the stage") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/open-door-escalation.xml");
    manual_clock clk;
    session s(t, &library, clk);
    choose(s, "work problem");
    choose(s, "skip-level manager, still not resolved");
    submit(s, {{"employee", "Lee Park"},
               {"issue", "Rota changed without notice three weeks running"},
               {"first_noticed", "2026-03-14"},
               {"wanted_outcome", "Rota published two weeks ahead"}});
    REQUIRE(s.current().node_ptr->id == "both-responses");
    submit(s, {{"manager_response", "Said the rota is not their call"},
               {"skip_level_response", "Promised a reply, none after a month"}});
    submit(s, {{"manager_name", "Dana Reyes"}, {"callback_number", "+1 555 0100 2233"}, {"safe_to_call", "yes"}});
    REQUIRE(s.status() == session_status::escalated);
    CHECK(s.team() == "HR Business Partners");
    CHECK(s.handoff().find("Dana Reyes (not said to be part of the problem)") != std::string::npos);
    CHECK(s.handoff().find("skip-level-tried") != std::string::npos);
    CHECK(s.handoff().find("Said the rota is not their call") != std::string::npos);
    CHECK(s.handoff().find("Promised a reply, none after a month") != std::string::npos);
    CHECK(s.handoff().find("not raised yet") == std::string::npos);
}

TEST_CASE("samples: identity verification takes the holder's name and counts wrong numbers apart") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/billing-dispute.xml");
    manual_clock clk;
    session s(t, &library, clk);
    REQUIRE(s.current().tree_ptr->id == "identity-verification");

    SUBCASE("the holder who comes to the phone is named and looked up") {
        submit(s, {{"account", "40112233"}, {"caller_name", "Tom Silva"}});
        choose(s, "not listed");
        choose(s, "holder is with them");
        REQUIRE(s.current().node_ptr->id == "holder-on-phone");
        submit(s, {{"caller_name", "Ana Silva"}});
        REQUIRE(s.current().node_ptr->id == "lookup");
        CHECK(s.current().text.find("Ana Silva") != std::string::npos);
        CHECK(s.current().text.find("Tom Silva") == std::string::npos);
    }
    SUBCASE("a mistyped account number is not a failed identity check") {
        submit(s, {{"account", "40112234"}, {"caller_name", "Ana Silva"}});
        choose(s, "No account");
        submit(s, {{"account", "40112233"}, {"caller_name", "Ana Silva"}});
        choose(s, "listed on it");
        for (int attempt = 0; attempt < 2; ++attempt) {
            choose(s, "Security questions");
            choose(s, "wrong");
        }
        // Two identity failures plus one typo: a third identity try is still allowed.
        REQUIRE(s.current().node_ptr->id == "choose-method");
        choose(s, "Security questions");
        choose(s, "wrong");
        choose(s, "warning sign");
        submit(s, {{"warning_signs", "Pressed to change the mobile number"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.handoff().find("3 failed checks") != std::string::npos);
        CHECK(s.handoff().find("account numbers not found before it: 1") != std::string::npos);
    }
}

TEST_CASE("samples: a department hand-off check-in can be on track, and at-risk reports are counted as such") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/department-handoff.xml");
    manual_clock clk;
    session s(t, &library, clk);
    for (int steps = 0; s.current().node_ptr->id != "progress" && steps < 50; ++steps) take_default_step(s);
    REQUIRE(s.current().node_ptr->id == "progress");
    choose(s, "On track");
    CHECK(s.current().node_ptr->id == "progress");
    CHECK(s.variables().at("slips") == value(0.0));
    choose(s, "at risk");
    submit(s, {{"deadline", "2026-04-01"}});
    choose(s, "at risk");
    REQUIRE(s.status() == session_status::escalated);
    CHECK(s.handoff().find("deadline reported at risk 2 times") != std::string::npos);
}

TEST_CASE("samples: a department hand-off records the agreed scope, and Leadership gets the request's urgency") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/department-handoff.xml");
    const std::map<std::string, std::string> priority_for = {
        {"low", "low"}, {"normal", "normal"}, {"high", "high"}, {"critical", "urgent"}};
    std::set<std::string> seen;
    for (const auto& [urgency, priority] : priority_for) {
        CAPTURE(urgency);
        manual_clock clk;
        session s(t, &library, clk);
        submit(s, {{"from_dept", "Billing"}, {"contact", "Ana Ruiz"}, {"request", "Refund report"}, {"urgency", urgency}});
        choose(s, "agreed in writing");
        REQUIRE(s.current().node_ptr->id == "scope-record");
        CHECK_FALSE(s.submit({}).ok);  // "agreed in writing" means there is something to copy here
        submit(s, {{"scope", "In: Q1 refunds. Out: Q2. Done: Billing signs off"}});
        submit(s, {{"owner", "Kim Lee"}, {"deadline", "2026-04-01"}, {"effort_days", "15"}});
        REQUIRE(s.current().node_ptr->id == "leads-approval");
        choose(s, "do not agree");
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Operations Leadership");
        CHECK(s.priority() == priority);
        CHECK(s.handoff().find("Urgency " + urgency) != std::string::npos);
        CHECK(s.handoff().find("Scope: In: Q1 refunds. Out: Q2. Done: Billing signs off") != std::string::npos);
        seen.insert(s.priority());
    }
    CHECK(seen.size() == priority_for.size());
}

TEST_CASE("samples: check-in support offers put Yes first, and an EAP referral has the agent's consent and number") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/agent-checkin.xml");
    // Walks to the support offer for one cause, keeping the agent on the phones.
    auto to_offer = [&](session& s, const std::string& cause) {
        REQUIRE(s.next().ok);
        submit(s, {{"agent_name", "Jo"}});
        choose(s, cause);
        if (s.current().node_ptr->id == "wellbeing-check") choose(s, "No");
        if (s.current().node_ptr->id == "facts") submit(s, {{"what_happened", "10:40 call, caller swore"}});
        choose(s, "Carry on as normal");
        submit(s, {{"follow_up", "2026-03-16"}});
    };
    for (const auto& [cause, offer] : std::map<std::string, std::string>{{"outside work", "offer-eap"},
                                                                         {"workload", "offer-eap-general"},
                                                                         {"colleague", "offer-hr"}}) {
        CAPTURE(offer);
        manual_clock clk;
        session s(t, &library, clk);
        to_offer(s, cause);
        REQUIRE(s.current().node_ptr->id == offer);
        REQUIRE(!s.current().choices.empty());
        CHECK(s.current().choices.front().label.rfind("Yes", 0) == 0);
    }

    manual_clock clk;
    session s(t, &library, clk);
    to_offer(s, "outside work");
    // EAP is confidential, and the lead books a call only if the agent wants one.
    CHECK(s.current().text.find("we never learn who called") == std::string::npos);
    CHECK(s.current().text.find("Only if Jo wants") != std::string::npos);
    choose(s, "help book it");
    REQUIRE(s.current().node_ptr->id == "eap-consent");

    SUBCASE("consent given: EAP gets the number, the time and the consent") {
        choose(s, "they agree");
        submit(s, {{"agent_phone", "+1 555 0100 2233"}, {"best_time", "weekdays after 18:00"}});
        REQUIRE(s.status() == session_status::escalated);
        CHECK(s.team() == "Employee Assistance Programme");
        CHECK(s.handoff().find("call Jo on +1 555 0100 2233 (best time: weekdays after 18:00)") != std::string::npos);
        CHECK(s.handoff().find("agreed that their name and this number are passed to you") != std::string::npos);
        CHECK(s.handoff().find("before 2026-03-16") == std::string::npos);
    }
    SUBCASE("no consent: nothing is passed on") {
        choose(s, "contact EAP themselves");
        CHECK(s.status() == session_status::completed);
        CHECK(s.outcome() == "supported");
    }
}

TEST_CASE("samples: a social-engineering report to IAM carries the warning signs, not a pointer to notes") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/password-reset.xml");
    manual_clock clk;
    session s(t, &library, clk);
    submit(s, {{"employee_id", "E104233"}, {"username", "maria.lopez"}});
    choose(s, "Could not verify");
    choose(s, "Yes");
    REQUIRE(s.current().node_ptr->id == "security-signs");
    // The warning signs are required: the hand-off cannot go without them.
    CHECK(!s.submit({{"warning_signs", "  "}}).ok);
    submit(s, {{"warning_signs", "Refused the callback; wanted the reset sent to a gmail address"}});
    REQUIRE(s.status() == session_status::escalated);
    CHECK(s.team() == "Identity & Access Management");
    CHECK(s.priority() == "urgent");
    CHECK(s.handoff().find("Warning signs: Refused the callback; wanted the reset sent to a gmail address.") !=
          std::string::npos);
    CHECK(s.handoff().find("agent notes") == std::string::npos);
}

TEST_CASE("samples: VPN tells hotel Wi-Fi from a home router and speaks to the agent throughout") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/vpn-trouble-ja.xml");
    manual_clock clk;
    session s(t, &library, clk);
    submit(s, {{"employee_name", "山田 花子"},
               {"employee_id", "123456"},
               {"contact", "090-1234-5678"},
               {"location", "大阪のホテル"}});
    // Instructions to the agent, in one voice.
    CHECK(s.current().text.find("開けるか伺ってください") != std::string::npos);

    SUBCASE("hotel Wi-Fi is not sent to reboot a router: tethering, then the usual checks") {
        choose(s, "開けない");
        REQUIRE(s.current().node_ptr->id == "network-type");
        choose(s, "公衆Wi-Fi");
        REQUIRE(s.current().node_ptr->id == "public-wifi");
        CHECK(s.current().text.find("テザリング") != std::string::npos);
        choose(s, "テザリングに切り替えて");
        REQUIRE(s.current().node_ptr->id == "device");
        CHECK(s.current().text.find("か伺ってください") != std::string::npos);
        CHECK(s.variables().at("steps_tried") == value(std::string("回線の確認、テザリングへの切り替え")));
    }
    SUBCASE("hotel Wi-Fi and tethering both down: ask them to call again if VPN still fails") {
        choose(s, "開けない");
        choose(s, "公衆Wi-Fi");
        choose(s, "どちらでも開けない");
        CHECK(s.status() == session_status::completed);
        CHECK(s.outcome() == "unresolved");
        CHECK(s.current().text.find("改めてご連絡いただくよう案内してください") != std::string::npos);
    }
    SUBCASE("a home router that stays down goes to the line provider, with a call back if VPN still fails") {
        choose(s, "開けない");
        choose(s, "自分で管理しているルーター");
        REQUIRE(s.current().node_ptr->id == "home-network");
        choose(s, "まだ開けない");
        CHECK(s.outcome() == "unresolved");
        const std::string said = s.current().text;
        CHECK(said.find("回線事業者またはプロバイダ") != std::string::npos);
        CHECK(said.find("回線が復旧してもVPNに接続できない場合は、改めてご連絡いただくよう案内してください") !=
              std::string::npos);
    }
    SUBCASE("the retry step uses the built-in Windows VPN settings, not a tray icon") {
        choose(s, "開ける");
        choose(s, "Windows");
        choose(s, "番号が出ない");
        REQUIRE(s.current().node_ptr->id == "restart-client");
        CHECK(s.current().text.find("「ネットワークとインターネット」＞「VPN」") != std::string::npos);
        CHECK(s.current().text.find("タスクトレイ") == std::string::npos);
    }
}

TEST_CASE("samples: a department hand-off due sooner than the work takes needs the leads' approval") {
    const tree_library library({trees_dir});
    const std::shared_ptr<const tree> t = load_clean(trees_dir + "/department-handoff.xml");
    for (const auto& [deadline, next] : {std::pair<std::string, std::string>{"friday", "leads-approval"},
                                         {"2027-01-15", "joint-work"}}) {
        CAPTURE(deadline);
        manual_clock clk(1'796'126'400'000);  // Tuesday 2026-12-01 12:00 UTC
        session s(t, &library, clk);
        submit(s, {{"from_dept", "Billing"}, {"contact", "Ana Ruiz"}, {"request", "Refund report"}, {"urgency", "normal"}});
        choose(s, "agreed in writing");
        submit(s, {{"scope", "In: Q1 refunds."}});
        // Five person-days: due on Friday is three days away.
        submit(s, {{"owner", "Kim Lee"}, {"deadline", deadline}, {"effort_days", "5"}});
        CHECK(s.current().node_ptr->id == next);
    }
}
