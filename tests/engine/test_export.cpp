// Graphviz, Mermaid and JSON exports.

#include <doctest/doctest.h>

#include <cctype>
#include <limits>
#include <string>
#include <string_view>

#include "signpost/export.hpp"

using namespace signpost;

namespace {

expression expr(const std::string& source) { return expression(nullptr, source); }

node make_node(node_kind kind, std::string id, std::string title = {}) {
    node n;
    n.kind = kind;
    n.id = std::move(id);
    n.title = std::move(title);
    return n;
}

// One node of every kind, with text that needs escaping in every output format.
tree tricky_tree() {
    tree t;
    t.id = "outage";
    t.version = 2;
    t.title = "Outage \"home\"";
    t.start = "power";
    t.description = "Line 1\nLine 2";
    t.allow_find = true;

    variable plan;
    plan.name = "plan";
    plan.type = var_type::choice;
    plan.options = {"basic", "business"};
    plan.default_text = "basic";
    plan.default_value = value(std::string("basic"));
    variable reboots;
    reboots.name = "reboots";
    reboots.type = var_type::number;
    reboots.default_text = "0";
    reboots.default_value = value(0.0);
    variable account;
    account.name = "account";
    account.type = var_type::text;
    account.label = "Account #";
    t.variables = {plan, reboots, account};

    node power = make_node(node_kind::question, "power", "Is the \"power\" light on?");
    power.text = "Say <script>alert(1)</script> & check C:\\router\n- one\n- two";
    power.hint = "tab\there";
    choice yes;
    yes.label = "Yes | lit";
    yes.to = "end";
    choice no;
    no.label = "No";
    no.to = "reboot";
    no.set_source = "reboots = reboots + 1";
    choice biz;
    biz.label = "Business";
    biz.to = "tier-2";
    biz.condition = expr("plan == 'business'");
    power.choices = {yes, no, biz};

    node reboot = make_node(node_kind::step, "reboot", "Reboot");
    reboot.to = "acct";

    node acct = make_node(node_kind::form, "acct", "Account");
    acct.to = "route";
    field f;
    f.variable = "account";
    f.label = "Account #";
    f.required = true;
    f.pattern = "[0-9]{8}\\b";
    acct.fields = {f};

    node route = make_node(node_kind::logic, "route");
    branch b;
    b.to = "tier-2";
    b.condition = expr("reboots >= 2");
    route.branches = {b};
    route.otherwise = "verify";

    node verify = make_node(node_kind::jump, "verify");
    verify.tree_ref = "identity-verification";
    verify.to = "end";

    node tier2 = make_node(node_kind::escalate, "tier-2", "Tier 2");
    tier2.team = "Network Tier 2";
    tier2.priority = "high";

    node end = make_node(node_kind::end, "end", "Done");
    end.outcome = "resolved";
    end.text = "Caf\xc3\xa9 \xe2\x9c\x93 \x01";

    t.nodes = {power, reboot, acct, route, verify, tier2, end};
    t.layout = {{"power", 10, -2.5}};
    return t;
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

// A strict JSON well-formedness check (RFC 8259 grammar, no extensions), enough to know
// a consumer's parser will accept the export.
class json_checker {
public:
    explicit json_checker(std::string_view s) : m_s(s) {}
    bool valid() {
        ws();
        if (!value()) return false;
        ws();
        return m_i == m_s.size();
    }

private:
    bool value() {
        if (m_i >= m_s.size()) return false;
        switch (m_s[m_i]) {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number();
        }
    }
    bool object() {
        ++m_i;
        ws();
        if (peek('}')) return ++m_i, true;
        for (;;) {
            ws();
            if (!peek('"') || !string()) return false;
            ws();
            if (!peek(':')) return false;
            ++m_i;
            ws();
            if (!value()) return false;
            ws();
            if (peek('}')) return ++m_i, true;
            if (!peek(',')) return false;
            ++m_i;
        }
    }
    bool array() {
        ++m_i;
        ws();
        if (peek(']')) return ++m_i, true;
        for (;;) {
            ws();
            if (!value()) return false;
            ws();
            if (peek(']')) return ++m_i, true;
            if (!peek(',')) return false;
            ++m_i;
        }
    }
    bool string() {
        ++m_i;
        while (m_i < m_s.size()) {
            const auto c = static_cast<unsigned char>(m_s[m_i]);
            if (c == '"') return ++m_i, true;
            if (c < 0x20) return false;
            if (c == '\\') {
                if (++m_i >= m_s.size()) return false;
                const char e = m_s[m_i];
                if (e == 'u') {
                    for (int k = 0; k < 4; ++k) {
                        if (++m_i >= m_s.size() || !std::isxdigit(static_cast<unsigned char>(m_s[m_i]))) return false;
                    }
                } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return false;
                }
            }
            ++m_i;
        }
        return false;
    }
    bool number() {
        const std::size_t start = m_i;
        if (peek('-')) ++m_i;
        if (peek('0')) {
            ++m_i;
        } else if (!digits()) {
            return false;
        }
        if (peek('.')) {
            ++m_i;
            if (!digits()) return false;
        }
        if (peek('e') || peek('E')) {
            ++m_i;
            if (peek('+') || peek('-')) ++m_i;
            if (!digits()) return false;
        }
        return m_i > start;
    }
    bool digits() {
        const std::size_t start = m_i;
        while (m_i < m_s.size() && std::isdigit(static_cast<unsigned char>(m_s[m_i]))) ++m_i;
        return m_i > start;
    }
    bool literal(std::string_view word) {
        if (m_s.substr(m_i, word.size()) != word) return false;
        m_i += word.size();
        return true;
    }
    bool peek(char c) const { return m_i < m_s.size() && m_s[m_i] == c; }
    void ws() {
        while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\n' || m_s[m_i] == '\t' || m_s[m_i] == '\r'))
            ++m_i;
    }

    std::string_view m_s;
    std::size_t m_i = 0;
};

bool valid_json(std::string_view s) { return json_checker(s).valid(); }

}  // namespace

TEST_CASE("export: the JSON checker used below rejects broken JSON") {
    CHECK(valid_json(R"({"a": [1, -2.5e+3, true, null, "x\n\u00e9"]})"));
    CHECK_FALSE(valid_json(R"({"a": "raw
newline"})"));
    CHECK_FALSE(valid_json(R"({"a": "bad \q escape"})"));
    CHECK_FALSE(valid_json(R"({"a": 1,})"));
    CHECK_FALSE(valid_json(R"({"a": NaN})"));
}

TEST_CASE("export: dot") {
    const std::string dot = export_dot(tricky_tree());
    CHECK(dot.rfind("digraph \"outage\" {\n  rankdir=LR;\n", 0) == 0);
    CHECK(contains(dot, "  label=\"Outage \\\"home\\\"\";\n"));
    CHECK(contains(dot, "  \"__start\" -> \"power\";\n"));
    // Shapes by kind.
    CHECK(contains(dot, "  \"power\" [label=\"Is the \\\"power\\\" light on?\", shape=box, style=\"rounded,filled\""));
    CHECK(contains(dot, "  \"route\" [label=\"route\", shape=diamond"));
    CHECK(contains(dot, "  \"acct\" [label=\"Account\", shape=note"));
    CHECK(contains(dot, "  \"tier-2\" [label=\"Tier 2\\nNetwork Tier 2\", shape=hexagon"));
    CHECK(contains(dot, "  \"end\" [label=\"Done\\n[resolved]\", shape=ellipse"));
    // A jump shows the tree it runs.
    CHECK(contains(dot, "  \"verify\" [label=\"verify\\n\xe2\x86\x92 identity-verification\", shape=cds"));
    // Edges labelled by choice, condition and otherwise.
    CHECK(contains(dot, "  \"power\" -> \"end\" [label=\"Yes | lit\"];\n"));
    CHECK(contains(dot, "  \"power\" -> \"tier-2\" [label=\"Business\\n(if plan == 'business')\"];\n"));
    CHECK(contains(dot, "  \"route\" -> \"tier-2\" [label=\"reboots >= 2\"];\n"));
    CHECK(contains(dot, "  \"route\" -> \"verify\" [label=\"otherwise\"];\n"));
    CHECK(contains(dot, "  \"verify\" -> \"end\" [label=\"after identity-verification\"];\n"));
    CHECK(contains(dot, "  \"reboot\" -> \"acct\";\n"));
    CHECK(dot.substr(dot.size() - 2) == "}\n");
}

TEST_CASE("export: dot escapes backslashes, quotes and newlines") {
    tree t;
    t.id = "t";
    t.start = "a";
    node a = make_node(node_kind::question, "a", "C:\\dir \"x\"\r\nnext");
    choice c;
    c.label = "say \"\\n\"";
    c.to = "a";
    a.choices = {c};
    t.nodes = {a};
    const std::string dot = export_dot(t);
    CHECK(contains(dot, "[label=\"C:\\\\dir \\\"x\\\"\\nnext\""));
    CHECK(contains(dot, "\"a\" -> \"a\" [label=\"say \\\"\\\\n\\\"\"];"));
    CHECK_FALSE(contains(dot, "\r"));
    // No raw newline inside any statement: every line is a complete statement.
    for (std::size_t pos = 0, nl; (nl = dot.find('\n', pos)) != std::string::npos; pos = nl + 1) {
        const std::string_view line(dot.data() + pos, nl - pos);
        CHECK((line.empty() || line.back() == ';' || line.back() == '{' || line == "}"));
    }
}

TEST_CASE("export: mermaid") {
    const std::string m = export_mermaid(tricky_tree());
    CHECK(m.rfind("flowchart LR\n", 0) == 0);
    CHECK(contains(m, "  start__((\" \")) --> n_power\n"));
    CHECK(contains(m, "  n_power(\"Is the #quot;power#quot; light on?\")\n"));
    CHECK(contains(m, "  n_reboot[\"Reboot\"]\n"));
    CHECK(contains(m, "  n_acct[/\"Account\"/]\n"));
    CHECK(contains(m, "  n_route{\"route\"}\n"));
    CHECK(contains(m, "  n_verify[[\"verify<br>\xe2\x86\x92 identity-verification\"]]\n"));
    // "end" is a Mermaid keyword and '-' is arrow syntax: both are sanitised.
    CHECK(contains(m, "  n_tier_h2{{\"Tier 2<br>Network Tier 2\"}}\n"));
    CHECK(contains(m, "  n_end([\"Done<br>[resolved]\"])\n"));
    CHECK(contains(m, "  n_power -->|\"Yes #124; lit\"| n_end\n"));
    CHECK(contains(m, "  n_power -->|\"Business<br>(if plan == 'business')\"| n_tier_h2\n"));
    CHECK(contains(m, "  n_route -->|\"reboots #gt;= 2\"| n_tier_h2\n"));
    CHECK(contains(m, "  n_route -->|\"otherwise\"| n_verify\n"));
    CHECK(contains(m, "  n_reboot --> n_acct\n"));
}

TEST_CASE("export: mermaid escapes markup and keeps distinct ids distinct") {
    tree t;
    t.id = "t";
    t.start = "a-b";
    node a = make_node(node_kind::step, "a-b", "<script>x</script> & \"q\" #1 `code`");
    a.to = "a_b";
    node b = make_node(node_kind::step, "a_b");
    b.to = "a.b";
    node c = make_node(node_kind::end, "a.b");
    c.outcome = "resolved";
    t.nodes = {a, b, c};
    const std::string m = export_mermaid(t);
    CHECK(contains(m, "  n_a_hb[\"#lt;script#gt;x#lt;/script#gt; #amp; #quot;q#quot; #35;1 #96;code#96;\"]\n"));
    CHECK(contains(m, "  n_a__b[\"a_b\"]\n"));
    CHECK(contains(m, "  n_a_db([\"a.b<br>[resolved]\"])\n"));
    CHECK(contains(m, "  n_a_hb --> n_a__b\n"));
    CHECK(contains(m, "  n_a__b --> n_a_db\n"));
    CHECK_FALSE(contains(m, "<script"));
    CHECK_FALSE(contains(m, "\"q\""));
}

TEST_CASE("export: json holds every field in a stable order") {
    tree t;
    t.id = "mini";
    t.title = "Mini";
    t.start = "ask";
    variable vip;
    vip.name = "vip";
    vip.type = var_type::flag;
    vip.default_text = "true";
    vip.default_value = value(true);
    t.variables = {vip};
    node ask = make_node(node_kind::question, "ask");
    ask.text = "Hi";
    choice c;
    c.label = "Go";
    c.to = "done";
    c.condition = expr("vip");
    c.set_source = "vip = false";
    ask.choices = {c};
    node done = make_node(node_kind::end, "done");
    done.outcome = "resolved";
    t.nodes = {ask, done};
    t.layout = {{"ask", 1.5, 0}};

    CHECK(export_json(t) == R"({
  "format": 1,
  "id": "mini",
  "version": 1,
  "title": "Mini",
  "start": "ask",
  "allow_find": false,
  "description": "",
  "variables": [
    {
      "name": "vip",
      "type": "flag",
      "options": [],
      "default": true,
      "label": "",
      "private": false
    }
  ],
  "nodes": [
    {
      "id": "ask",
      "kind": "question",
      "title": "",
      "text": "Hi",
      "hint": "",
      "choices": [
        {
          "label": "Go",
          "to": "done",
          "if": "vip",
          "set": "vip = false"
        }
      ]
    },
    {
      "id": "done",
      "kind": "end",
      "title": "",
      "text": "",
      "hint": "",
      "outcome": "resolved"
    }
  ],
  "layout": [
    {
      "node": "ask",
      "x": 1.5,
      "y": 0
    }
  ]
}
)");
}

TEST_CASE("export: json of every node kind is valid and escaped") {
    const std::string j = export_json(tricky_tree());
    CHECK(valid_json(j));
    CHECK(contains(j, R"("title": "Outage \"home\"",)"));
    CHECK(contains(j, R"("allow_find": true,)"));
    CHECK(contains(j, R"("description": "Line 1\nLine 2",)"));
    CHECK(contains(j, R"("options": [
        "basic",
        "business"
      ],
      "default": "basic",)"));
    CHECK(contains(j, R"("default": 0,)"));
    CHECK(contains(j, R"("text": "Say <script>alert(1)</script> & check C:\\router\n- one\n- two",)"));
    CHECK(contains(j, R"("hint": "tab\there",)"));
    CHECK(contains(j, R"("if": null,)"));
    CHECK(contains(j, R"("set": "reboots = reboots + 1")"));
    CHECK(contains(j, R"("if": "plan == 'business'",)"));
    CHECK(contains(j, R"("var": "account",
          "label": "Account #",
          "required": true,
          "pattern": "[0-9]{8}\\b",
          "placeholder": "")"));
    CHECK(contains(j, R"("branches": [
        {
          "if": "reboots >= 2",
          "to": "tier-2"
        }
      ],
      "otherwise": "verify")"));
    CHECK(contains(j, R"("kind": "jump",
      "title": "",
      "tree": "identity-verification",
      "to": "end")"));
    CHECK(contains(j, R"("team": "Network Tier 2",
      "priority": "high")"));
    // Valid UTF-8 passes through; control characters are \u escapes.
    CHECK(contains(j, "\"text\": \"Caf\xc3\xa9 \xe2\x9c\x93 \\u0001\","));
    CHECK(contains(j, R"("x": 10,
      "y": -2.5)"));
}

TEST_CASE("export: json never emits invalid JSON for odd input") {
    tree t;
    t.id = "odd";
    t.start = "e";
    static constexpr char raw_title[] = "bad \xff\xfe utf8, nul \0 here";
    node e = make_node(node_kind::end, "e", std::string(raw_title, sizeof raw_title - 1));
    e.text = "line\xe2\x80\xa8sep \x7f \x1f";
    e.outcome = "resolved";
    t.nodes = {e};
    t.layout = {{"e", std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}};
    const std::string j = export_json(t);
    CHECK(valid_json(j));
    CHECK(contains(j, "\"title\": \"bad \xef\xbf\xbd\xef\xbf\xbd utf8, nul \\u0000 here\","));
    CHECK(contains(j, "\"text\": \"line\\u2028sep \x7f \\u001f\","));
    CHECK(contains(j, R"("x": null,
      "y": null)"));
}

TEST_CASE("export: export_tree dispatches by format") {
    const tree t = tricky_tree();
    CHECK(export_tree(t, export_format::dot) == export_dot(t));
    CHECK(export_tree(t, export_format::mermaid) == export_mermaid(t));
    CHECK(export_tree(t, export_format::json) == export_json(t));
}
