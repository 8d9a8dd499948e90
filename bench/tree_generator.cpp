#include "tree_generator.hpp"

#include <algorithm>
#include <array>
#include <string_view>

// Index
// [SECTION] Random numbers (portable: std distributions differ between libraries)
// [SECTION] Phrase pools
// [SECTION] Canonical XML writing
// [SECTION] Root tree
// [SECTION] Sub-trees

namespace signpost::bench {

namespace {

// [SECTION] Random numbers

// splitmix64: tiny, fast, and the same sequence everywhere.
class rng {
public:
    explicit rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform-enough integer in [0, n); n > 0. The modulo bias is irrelevant here.
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    // True with probability percent/100.
    bool chance(unsigned percent) { return below(100) < percent; }
    template <typename T, std::size_t N>
    const T& pick(const std::array<T, N>& pool) {
        return pool[below(N)];
    }

private:
    std::uint64_t m_state;
};

// [SECTION] Phrase pools

constexpr std::array<std::string_view, 24> topics = {
    "router",  "modem",   "billing",  "refund",   "password", "account", "outage", "wifi",
    "cable",   "invoice", "address",  "contract", "device",   "signal",  "plan",   "payment",
    "meter",   "line",    "voicemail", "roaming", "sim",      "porting", "email",  "tv",
};

constexpr std::array<std::string_view, 20> question_titles = {
    "Router power light",   "Internet light",       "Which device",         "Error message shown",
    "Payment method",       "Invoice period",       "Contract end date",    "Customer location",
    "Signal strength",      "Line test result",     "Wi-Fi name visible",   "Cable condition",
    "Previous contact",     "Refund preference",    "Account holder",       "Service status",
    "Callback wanted",      "Outage notice",        "Reset done",           "Replacement needed",
};

constexpr std::array<std::string_view, 12> step_titles = {
    "Reboot the router",     "Reseat the cables",   "Reset the password", "Check the outage map",
    "Send the reset link",   "Update the address",  "Explain the charges", "Run a line test",
    "Forget the network",    "Check the fuse box",  "Confirm the contact", "Read the disclaimer",
};

constexpr std::array<std::string_view, 40> answers = {
    "Yes, it is lit",
    "No light at all",
    "Blinking, or red / orange",
    "Steady green or white",
    "Only one device",
    "Every device in the house",
    "The customer does not know",
    "Yes, it works again",
    "No, still the same",
    "It got worse",
    "**Card** payment",
    "**Direct debit**",
    "Bank transfer",
    "The customer wants a callback",
    "The customer hangs up",
    "Already tried that today",
    "Error code on screen",
    "No error, just slow",
    "Wants to cancel the contract",
    "Wants to upgrade the plan",
    "Moved house recently",
    "Same address as before",
    "The bill is higher than usual",
    "A charge they do not recognise",
    "Refund to the card",
    "Credit on the next bill",
    "Outage reported in the area",
    "No outage reported",
    "Signal bars: 0 or 1",
    "Signal bars: 3 or more",
    "Line test passed",
    "Line test failed",
    "Cable looks damaged",
    "Cable looks fine",
    "Caller is the account holder",
    "Caller is *not* on the account",
    "Asked for a supervisor",
    "Needs a technician visit",
    "Device is out of warranty",
    "Device is still under warranty",
};

constexpr std::array<std::string_view, 24> sentences = {
    "Ask the customer whether the **power light** on the router is lit.",
    "Open account **{account}** in the CRM and check the service status for the address.",
    "Tell the customer: *\"Thank you for waiting, {name}, I have your account open now.\"*",
    "Check the [outage map](https://status.example.net/map) for the customer's postcode.",
    "If the customer already rebooted today, do not ask again: note it and move on.",
    "Read the last three invoices and compare the totals with the plan price.",
    "Confirm the contact number on file before promising a callback.",
    "Explain that the change can take up to **24 hours** to reach every device.",
    "Make sure the customer is near the router before going on.",
    "Do not read account details out to the caller: they tell you, you compare.",
    "Attempts so far on this call: {attempts}.",
    "The knowledge base article is [KB-1042](https://kb.example.com/articles/1042).",
    "Ask which devices are affected and whether the problem started after a change.",
    "Apologise for the trouble and keep the answer short: the customer has waited already.",
    "Use the **line test** in the diagnostics tab; it takes about a minute.",
    "A refund goes back to the original payment method within *5 working days*.",
    "Business customers ({plan} plan) have a guaranteed response time: mention it.",
    "Write the error text exactly as the customer reads it out.",
    "If the customer sounds unsure, offer to send the steps by email to them.",
    "The region on the account is {region}; outages there are posted every 15 minutes.",
    "Keep the customer on the line while the router restarts.",
    "Note the customer's answer in the ticket before moving on.",
    "Offer the self-service portal at [my.example.net](https://my.example.net) for next time.",
    "Check that the caller is listed as an authorised user on the account.",
};

constexpr std::array<std::string_view, 15> list_items = {
    "unplug the **power** cable from the router",
    "wait *30 seconds*",
    "plug it back in and wait until the lights settle",
    "check the cable from the wall socket clicks into place",
    "turn Wi-Fi off and on again on the device",
    "forget the network and join it again with the password on the router label",
    "restart the device",
    "open a website they do not usually visit",
    "read out the code shown on the screen",
    "check the fuse box for a tripped switch",
    "move the router away from the microwave",
    "try another socket with a lamp or a charger",
    "sign out and sign in again in the app",
    "clear the browser cache",
    "confirm the new address with a recent bill",
};

constexpr std::array<std::string_view, 10> hints = {
    "It is usually the first light on the left, marked with a circle and a short line.",
    "The map refreshes every 5 minutes; a very recent outage may not be on it yet.",
    "Never ask for the full card number: the last four digits are enough.",
    "Business lines have a **1-hour** response target.",
    "Fibre cables must not be bent tightly: if it looks damaged, escalate.",
    "Small spelling differences in the name are fine; a different surname is not.",
    "A customer who already rebooted twice today goes straight to Tier 2.",
    "The CRM shows the last three contacts on the right-hand side.",
    "Reboots done so far on this call: {reboots}.",
    "Prefer the SMS code: it is quicker and harder to fake.",
};

// Conditions and assignments that type-check against the variables below.
constexpr std::array<std::string_view, 10> conditions = {
    "plan == 'business'",
    "attempts >= 2",
    "reboots > 1 and not vip",
    "vip or plan == 'plus'",
    "region != 'north' and attempts < 3",
    "severity * 2 > 5",
    "not verified",
    "contact == 'sms' or contact == 'email'",
    "(attempts + reboots) >= 4",
    "notes != 'none' and severity >= 3",
};

constexpr std::array<std::string_view, 8> assignments = {
    "attempts = attempts + 1",
    "reboots = reboots + 1; notes = 'router rebooted'",
    "vip = true",
    "plan = 'business'",
    "severity = severity + 1",
    "contact = 'email'",
    "verified = true",
    "region = 'south'; attempts = 0",
};

constexpr std::array<std::string_view, 5> teams = {
    "Network Tier 2", "Billing Disputes", "Field Technicians", "Fraud Prevention", "Retention",
};
constexpr std::array<std::string_view, 4> priorities = {"low", "normal", "high", "urgent"};
constexpr std::array<std::string_view, 6> outcomes = {
    "resolved", "unresolved", "callback", "transferred", "known-outage", "replacement-ordered",
};

struct field_spec {
    std::string_view variable;
    std::string_view label;
    bool required;
    std::string_view pattern;
    std::string_view placeholder;
};

constexpr std::array<field_spec, 5> form_fields = {{
    {"account", "Account number", true, "[0-9]{8}", "8 digits, e.g. 40112233"},
    {"notes", "What the customer reports", false, "", "In the customer's words"},
    {"severity", "Severity (1-5)", true, "", ""},
    {"contact", "Preferred contact", true, "", ""},
    {"name", "Caller's full name", true, "[A-Za-z .'-]{2,80}", "As the caller says it"},
}};

// [SECTION] Canonical XML writing

void append_escaped(std::string& out, std::string_view s, bool attribute) {
    for (const char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"':
                if (attribute) {
                    out += "&quot;";
                    break;
                }
                [[fallthrough]];
            default: out += c;
        }
    }
}

// Writes XML the way save_tree_string lays it out, so a generated file is canonical.
class xml_writer {
public:
    void open(std::string_view name, int depth) {
        m_out.append(static_cast<std::size_t>(depth) * 2, ' ');
        m_out += '<';
        m_out += name;
    }
    void attr(std::string_view name, std::string_view value) {
        m_out += ' ';
        m_out += name;
        m_out += "=\"";
        append_escaped(m_out, value, true);
        m_out += '"';
    }
    void close_empty() { m_out += "/>\n"; }
    void close_start() { m_out += ">\n"; }
    void end(std::string_view name, int depth) {
        m_out.append(static_cast<std::size_t>(depth) * 2, ' ');
        m_out += "</";
        m_out += name;
        m_out += ">\n";
    }
    // After open(): the text inline, or one line per text line two spaces deeper.
    void close_with_text(std::string_view name, std::string_view text, int depth) {
        m_out += '>';
        if (text.find('\n') == std::string_view::npos) {
            append_escaped(m_out, text, false);
        } else {
            m_out += '\n';
            std::size_t begin = 0;
            while (begin <= text.size()) {
                std::size_t nl = text.find('\n', begin);
                if (nl == std::string_view::npos) nl = text.size();
                const auto line = text.substr(begin, nl - begin);
                if (!line.empty()) {
                    m_out.append(static_cast<std::size_t>(depth + 1) * 2, ' ');
                    append_escaped(m_out, line, false);
                }
                m_out += '\n';
                begin = nl + 1;
            }
            m_out.append(static_cast<std::size_t>(depth) * 2, ' ');
        }
        m_out += "</";
        m_out += name;
        m_out += ">\n";
    }
    void text_element(std::string_view name, std::string_view text, int depth) {
        open(name, depth);
        close_with_text(name, text, depth);
    }
    void blank_line() { m_out += '\n'; }
    void raw(std::string_view s) { m_out += s; }
    std::string take() { return std::move(m_out); }
    void reserve(std::size_t n) { m_out.reserve(n); }

private:
    std::string m_out;
};

struct variable_spec {
    std::string_view name;
    std::string_view type;
    std::string_view options;
    std::string_view default_text;  // "" = no default
    std::string_view label;
};

// Every variable the phrases above mention; the sub-trees declare the ones they share.
constexpr std::array<variable_spec, 11> root_variables = {{
    {"name", "text", "", "", "Caller's name"},
    {"account", "text", "", "", "Account number"},
    {"plan", "choice", "basic plus business", "basic", "Plan"},
    {"region", "choice", "north south east west", "north", "Region"},
    {"contact", "choice", "phone email sms", "phone", "Preferred contact"},
    {"attempts", "number", "", "0", "Attempts"},
    {"reboots", "number", "", "0", "Reboots done"},
    {"severity", "number", "", "1", "Severity"},
    {"vip", "flag", "", "false", "VIP customer"},
    {"verified", "flag", "", "false", "Identity verified"},
    {"notes", "text", "", "none", "Notes"},
}};

void write_tree_open(xml_writer& x, std::string_view id, std::string_view title, std::string_view start) {
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.open("tree", 0);
    x.attr("format", "1");
    x.attr("id", id);
    x.attr("version", "1");
    x.attr("title", title);
    x.attr("start", start);
    x.close_start();
}

void write_variables(xml_writer& x, std::initializer_list<std::string_view> names) {
    x.open("variables", 1);
    x.close_start();
    for (const auto& v : root_variables) {
        if (names.size() && std::find(names.begin(), names.end(), v.name) == names.end()) continue;
        x.open("variable", 2);
        x.attr("name", v.name);
        x.attr("type", v.type);
        if (!v.options.empty()) x.attr("options", v.options);
        if (!v.default_text.empty()) x.attr("default", v.default_text);
        x.attr("label", v.label);
        x.close_empty();
    }
    x.end("variables", 1);
}

void write_field(xml_writer& x, const field_spec& f) {
    x.open("field", 2);
    x.attr("var", f.variable);
    x.attr("label", f.label);
    if (f.required) x.attr("required", "true");
    if (!f.pattern.empty()) x.attr("pattern", f.pattern);
    if (!f.placeholder.empty()) x.attr("placeholder", f.placeholder);
    x.close_empty();
}

// [SECTION] Root tree

enum class kind { question, step, form, logic, jump, escalate, end };

bool terminal(kind k) { return k == kind::escalate || k == kind::end; }

const char* element(kind k) {
    switch (k) {
        case kind::question: return "question";
        case kind::step: return "step";
        case kind::form: return "form";
        case kind::logic: return "logic";
        case kind::jump: return "jump";
        case kind::escalate: return "escalate";
        case kind::end: return "end";
    }
    return "step";
}

constexpr std::string_view identity_tree = "gen-identity";
constexpr std::string_view payment_tree = "gen-payment";

// 1-3 sentences, sometimes followed by a numbered or bulleted list: 80-500 bytes, like
// the hand-written samples.
std::string make_text(rng& r) {
    std::string text;
    const std::size_t count = 1 + r.below(3);
    for (std::size_t i = 0; i < count; ++i) {
        if (i) text += ' ';
        text += r.pick(sentences);
    }
    if (r.chance(20)) {
        const bool numbered = r.chance(50);
        text += numbered ? "\n\nAsk the customer to:" : "\n\nCheck:";
        const std::size_t items = 2 + r.below(3);
        for (std::size_t i = 0; i < items; ++i) {
            text += '\n';
            text += numbered ? std::to_string(i + 1) + ". " : std::string("- ");
            text += r.pick(list_items);
            text += i + 1 == items ? "." : ";";
        }
    }
    return text;
}

struct plan {
    std::vector<kind> kinds;
    std::vector<std::size_t> next;  // the next non-terminal node (or the final end)
};

plan make_plan(rng& r, const generator_options& o) {
    const std::size_t n = std::max<std::size_t>(o.nodes, 8);
    plan p;
    p.kinds.resize(n);
    p.kinds[0] = kind::form;       // start: capture who is calling (sets name and account)
    p.kinds[n - 1] = kind::end;    // the final "resolved" end every path can reach
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const std::size_t roll = r.below(100);
        kind k = roll < 42   ? kind::question
                 : roll < 60 ? kind::step
                 : roll < 65 ? kind::form
                 : roll < 77 ? kind::logic
                 : roll < 80 ? (o.jumps ? kind::jump : kind::step)
                 : roll < 85 ? kind::escalate
                             : kind::end;
        // A terminal is reached only from the question or logic node right before it.
        if (terminal(k) && p.kinds[i - 1] != kind::question && p.kinds[i - 1] != kind::logic)
            k = kind::question;
        p.kinds[i] = k;
    }
    p.next.assign(n, n - 1);
    std::size_t following = n - 1;
    for (std::size_t i = n - 1; i-- > 0;) {
        p.next[i] = following;
        if (!terminal(p.kinds[i])) following = i;
    }
    return p;
}

// A target for an extra choice or branch: mostly forward within a window (any node), some
// back to an earlier non-terminal (a "try again" loop that can always be left forward).
std::size_t extra_target(rng& r, const plan& p, std::size_t i) {
    const std::size_t n = p.kinds.size();
    if (i > 1 && r.chance(20)) {
        const std::size_t lo = i > 40 ? i - 40 : 0;
        for (int tries = 0; tries < 4; ++tries) {
            const std::size_t t = lo + r.below(i - lo);
            if (!terminal(p.kinds[t])) return t;
        }
    }
    const std::size_t hi = std::min(n - 1, i + 40);
    return i + 1 + r.below(hi - i);
}

std::string root_xml(const generator_options& o, std::size_t& node_count) {
    rng r(o.seed);
    const plan p = make_plan(r, o);
    const std::size_t n = p.kinds.size();
    node_count = n;

    std::vector<std::string> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = std::string(r.pick(topics)) + "-" + std::to_string(i);
    ids[0] = "caller-details";
    ids[n - 1] = "resolved";

    xml_writer x;
    x.reserve(n * 420 + 4096);
    write_tree_open(x, "generated-" + std::to_string(n), "Generated script with " + std::to_string(n) + " nodes",
                    ids[0]);
    x.text_element("description",
                   "Generated by signpost_tree_generator for benchmarks and tests.\n"
                   "Realistic in shape: questions, steps, forms, logic, jumps, escalations and ends.",
                   1);
    x.blank_line();
    write_variables(x, {});

    for (std::size_t i = 0; i < n; ++i) {
        const kind k = p.kinds[i];
        const char* el = element(k);
        const std::string& next_id = ids[p.next[i]];
        x.blank_line();
        x.open(el, 1);
        x.attr("id", ids[i]);
        std::string title;
        switch (k) {
            case kind::question: title = std::string(r.pick(question_titles)) + "?"; break;
            case kind::step: title = std::string(r.pick(step_titles)); break;
            case kind::form: title = i == 0 ? "Caller details" : "Capture details"; break;
            case kind::logic: title = "Route by account state"; break;
            case kind::jump: title = "Run a shared check"; break;
            case kind::escalate: title = "Hand off"; break;
            case kind::end: title = i == n - 1 ? "Working again" : "Close the call"; break;
        }
        x.attr("title", title + " (" + std::to_string(i) + ")");

        switch (k) {
            case kind::question: {
                x.close_start();
                x.text_element("text", make_text(r), 2);
                if (r.chance(30)) x.text_element("hint", r.pick(hints), 2);
                const std::size_t count = 2 + r.below(4);
                const std::size_t first_label = r.below(answers.size());
                for (std::size_t c = 0; c < count; ++c) {
                    std::size_t target;
                    if (c == 0) {
                        target = p.next[i];
                    } else if (c == 1 && terminal(p.kinds[i + 1])) {
                        target = i + 1;  // the only way into that terminal
                    } else {
                        target = extra_target(r, p, i);
                    }
                    x.open("choice", 2);
                    x.attr("to", ids[target]);
                    if (c >= 2 && r.chance(25)) x.attr("if", r.pick(conditions));
                    if (c >= 1 && r.chance(20)) x.attr("set", r.pick(assignments));
                    // Distinct labels (stepping through the pool) so no duplicate-label warning.
                    x.close_with_text("choice", answers[(first_label + c * 7) % answers.size()], 2);
                }
                x.end(el, 1);
                break;
            }
            case kind::step:
                x.attr("to", next_id);
                x.close_start();
                x.text_element("text", make_text(r), 2);
                if (r.chance(30)) x.text_element("hint", r.pick(hints), 2);
                x.end(el, 1);
                break;
            case kind::form: {
                x.attr("to", next_id);
                x.close_start();
                if (i == 0) {
                    x.text_element("text", "Ask for the caller's **full name** and the **8-digit account number**.", 2);
                    write_field(x, form_fields[4]);
                    write_field(x, form_fields[0]);
                } else {
                    x.text_element("text", make_text(r), 2);
                    const std::size_t first = 1 + r.below(3);
                    const std::size_t count = 1 + r.below(3);
                    for (std::size_t f = 0; f < count && first + f < 4; ++f) write_field(x, form_fields[first + f]);
                }
                x.end(el, 1);
                break;
            }
            case kind::logic: {
                x.close_start();
                const std::size_t count = 1 + r.below(3);
                for (std::size_t b = 0; b < count; ++b) {
                    const std::size_t target = b == 0 && terminal(p.kinds[i + 1]) ? i + 1 : extra_target(r, p, i);
                    x.open("branch", 2);
                    x.attr("if", r.pick(conditions));
                    x.attr("to", ids[target]);
                    x.close_empty();
                }
                x.open("otherwise", 2);
                x.attr("to", next_id);
                x.close_empty();
                x.end(el, 1);
                break;
            }
            case kind::jump:
                x.attr("tree", r.chance(50) ? identity_tree : payment_tree);
                x.attr("to", next_id);
                x.close_empty();
                break;
            case kind::escalate:
                x.attr("team", r.pick(teams));
                x.attr("priority", r.pick(priorities));
                x.close_start();
                x.text_element("text",
                               "Account {account} ({plan} plan), caller {name}. Attempts: {attempts}, reboots: "
                               "{reboots}. Notes: {notes}.",
                               2);
                if (r.chance(40)) x.text_element("hint", "Tell the customer the team will call back today.", 2);
                x.end(el, 1);
                break;
            case kind::end:
                x.attr("outcome", i == n - 1 ? std::string_view("resolved") : r.pick(outcomes));
                x.close_start();
                x.text_element("text", make_text(r), 2);
                x.end(el, 1);
                break;
        }
    }

    if (o.layout) {
        x.blank_line();
        x.open("layout", 1);
        x.close_start();
        for (std::size_t i = 0; i < n; ++i) {
            x.open("pos", 2);
            x.attr("node", ids[i]);
            x.attr("x", std::to_string((i % 250) * 280));
            x.attr("y", std::to_string((i / 250) * 160));
            x.close_empty();
        }
        x.end("layout", 1);
    }
    x.end("tree", 0);
    return x.take();
}

// [SECTION] Sub-trees

// Identity check: sets `verified`; every end returns to the calling tree.
std::string identity_xml() {
    xml_writer x;
    write_tree_open(x, identity_tree, "Verify the caller (generated)", "ask-code");
    write_variables(x, {"name", "account", "attempts", "verified"});
    x.blank_line();
    x.raw("  <form id=\"ask-code\" title=\"Account and name\" to=\"compare\">\n");
    x.text_element("text", "Ask for the **account number** and the caller's full name.", 2);
    write_field(x, form_fields[0]);
    write_field(x, form_fields[4]);
    x.end("form", 1);
    x.blank_line();
    x.raw("  <question id=\"compare\" title=\"Details match?\">\n");
    x.text_element("text", "Does **{name}** match the holder of account {account}?", 2);
    x.raw("    <choice to=\"verified\" set=\"verified = true\">Yes, it matches</choice>\n");
    x.raw("    <choice to=\"retry\" set=\"attempts = attempts + 1\">No</choice>\n");
    x.end("question", 1);
    x.blank_line();
    x.raw("  <logic id=\"retry\" title=\"Too many tries?\">\n");
    x.raw("    <branch if=\"attempts &gt;= 3\" to=\"not-verified\"/>\n");
    x.raw("    <otherwise to=\"ask-code\"/>\n");
    x.end("logic", 1);
    x.blank_line();
    x.raw("  <end id=\"verified\" title=\"Verified\" outcome=\"verified\">\n");
    x.text_element("text", "Thank the caller and go on.", 2);
    x.end("end", 1);
    x.blank_line();
    x.raw("  <end id=\"not-verified\" title=\"Not verified\" outcome=\"unverified\">\n");
    x.text_element("text", "Explain that we cannot discuss the account without verification.", 2);
    x.end("end", 1);
    x.end("tree", 0);
    return x.take();
}

// Payment check: a question and a step, returning to the caller.
std::string payment_xml() {
    xml_writer x;
    write_tree_open(x, payment_tree, "Check the last payment (generated)", "last-payment");
    write_variables(x, {"plan", "notes"});
    x.blank_line();
    x.raw("  <question id=\"last-payment\" title=\"Last payment received?\">\n");
    x.text_element("text", "Open the **payments** tab. Was the last invoice of the {plan} plan paid?", 2);
    x.raw("    <choice to=\"paid\">Paid on time</choice>\n");
    x.raw("    <choice to=\"remind\" set=\"notes = 'payment overdue'\">Overdue</choice>\n");
    x.end("question", 1);
    x.blank_line();
    x.raw("  <step id=\"remind\" title=\"Payment reminder\" to=\"paid\">\n");
    x.text_element("text",
                   "Remind the customer of the open amount and offer:\n- a payment plan;\n- the card payment line.",
                   2);
    x.end("step", 1);
    x.blank_line();
    x.raw("  <end id=\"paid\" title=\"Back to the call\" outcome=\"checked\">\n");
    x.text_element("text", "Go back to the customer's question.", 2);
    x.end("end", 1);
    x.end("tree", 0);
    return x.take();
}

}  // namespace

generated_trees generate_trees(const generator_options& options) {
    generated_trees out;
    std::size_t count = 0;
    out.root.xml = root_xml(options, count);
    out.root.id = "generated-" + std::to_string(count);
    if (options.jumps) {
        out.subtrees.push_back({std::string(identity_tree), identity_xml()});
        out.subtrees.push_back({std::string(payment_tree), payment_xml()});
    }
    return out;
}

const std::vector<std::pair<std::string, std::string>>& generated_form_answers() {
    static const std::vector<std::pair<std::string, std::string>> answers_by_variable = {
        {"account", "40112233"}, {"name", "Alex Doe"}, {"notes", "router lights blink"},
        {"severity", "3"},       {"contact", "email"},
    };
    return answers_by_variable;
}

}  // namespace signpost::bench
