#include "signpost/export.hpp"
#include "signpost/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

// Index
// [SECTION] Shared
// [SECTION] Graphviz DOT
// [SECTION] Mermaid
// [SECTION] JSON

namespace signpost {

namespace {

// [SECTION] Shared

std::string format_number(double v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    if (res.ec != std::errc{}) return "0";
    return std::string(buf, res.ptr);
}

// What a diagram shows for a node: its title, or its id when it has none.
std::string display_title(const node& n) { return n.title.empty() ? n.id : n.title; }

// One edge of the diagram, in the order tree::successors uses.
struct edge {
    std::string from;
    std::string to;
    std::string label;  // may hold '\n'
};

std::vector<edge> edges_of(const node& n) {
    std::vector<edge> out;
    for (const auto& c : n.choices) {
        std::string label = c.label;
        if (c.condition && !c.condition->source().empty()) label += "\n(if " + c.condition->source() + ")";
        out.push_back({n.id, c.to, std::move(label)});
    }
    for (const auto& b : n.branches) out.push_back({n.id, b.to, b.condition.source()});
    if (!n.otherwise.empty()) out.push_back({n.id, n.otherwise, "otherwise"});
    if (!n.to.empty()) {
        // After a jump the sub-tree returns here; say so, the other `to`s need no label.
        out.push_back({n.id, n.to, n.kind == node_kind::jump ? "after " + n.tree_ref : ""});
    }
    return out;
}

// [SECTION] Graphviz DOT

// Inside a DOT quoted string: quotes and backslashes escaped, newlines as the `\n`
// label escape (centred line break), carriage returns dropped.
std::string dot_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': break;
            default: out += c;
        }
    }
    out += '"';
    return out;
}

struct dot_style {
    const char* shape;
    const char* fill;
    const char* extra;  // more attributes, starting with ", " or empty
};

dot_style dot_style_of(node_kind k) {
    switch (k) {
        case node_kind::question: return {"box", "#dbeafe", ", style=\"rounded,filled\""};
        case node_kind::step: return {"box", "#f3f4f6", ", style=filled"};
        case node_kind::form: return {"note", "#fef3c7", ", style=filled"};
        case node_kind::logic: return {"diamond", "#ede9fe", ", style=filled"};
        case node_kind::jump: return {"cds", "#d1fae5", ", style=filled"};
        case node_kind::escalate: return {"hexagon", "#fee2e2", ", style=filled"};
        case node_kind::end: return {"ellipse", "#dcfce7", ", style=filled, peripheries=2"};
    }
    return {"box", "#ffffff", ""};
}

// [SECTION] Mermaid

// Mermaid ids may not be keywords ("end") and some characters confuse its parser, so
// every id gets a prefix and '-', '.', '_' are spelled out (keeps distinct ids distinct).
std::string mermaid_id(std::string_view id) {
    std::string out = "n_";
    for (char c : id) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum) {
            out += c;
        } else if (c == '_') {
            out += "__";
        } else if (c == '-') {
            out += "_h";
        } else if (c == '.') {
            out += "_d";
        } else {
            out += "_x";
            static const char* hex = "0123456789abcdef";
            out += hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
            out += hex[static_cast<unsigned char>(c) & 0xf];
        }
    }
    return out;
}

// A quoted Mermaid label: characters with meaning to Mermaid or to its HTML labels are
// written as Mermaid entity codes (`#quot;`); newlines become `<br>`.
std::string mermaid_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "#quot;"; break;
            case '#': out += "#35;"; break;
            case '&': out += "#amp;"; break;
            case '<': out += "#lt;"; break;
            case '>': out += "#gt;"; break;
            case '|': out += "#124;"; break;
            case '`': out += "#96;"; break;
            case '\n': out += "<br>"; break;
            case '\r': break;
            default: out += c;
        }
    }
    out += '"';
    return out;
}

std::pair<const char*, const char*> mermaid_brackets(node_kind k) {
    switch (k) {
        case node_kind::question: return {"(", ")"};
        case node_kind::step: return {"[", "]"};
        case node_kind::form: return {"[/", "/]"};
        case node_kind::logic: return {"{", "}"};
        case node_kind::jump: return {"[[", "]]"};
        case node_kind::escalate: return {"{{", "}}"};
        case node_kind::end: return {"([", "])"};
    }
    return {"[", "]"};
}

// [SECTION] JSON

// A small JSON document model, so the printer alone decides layout and escaping.
struct json;
using json_array = std::vector<json>;
using json_object = std::vector<std::pair<std::string, json>>;  // keeps key order

struct json {
    std::variant<std::nullptr_t, bool, double, std::string, json_array, json_object> v;

    json() : v(nullptr) {}
    json(std::nullptr_t) : v(nullptr) {}
    json(bool b) : v(b) {}
    json(int i) : v(static_cast<double>(i)) {}
    json(double d) : v(d) {}
    json(std::string s) : v(std::move(s)) {}
    json(const char* s) : v(std::string(s)) {}
    json(json_array a) : v(std::move(a)) {}
    json(json_object o) : v(std::move(o)) {}
};

void print_json(std::string& out, const json& j, int depth) {
    const auto indent = [&](int d) { out.append(static_cast<std::size_t>(d) * 2, ' '); };
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
                out += "null";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, double>) {
                // JSON has no NaN or infinity.
                out += std::isfinite(v) ? format_number(v) : "null";
            } else if constexpr (std::is_same_v<T, std::string>) {
                append_json_string(out, v);
            } else if constexpr (std::is_same_v<T, json_array>) {
                if (v.empty()) {
                    out += "[]";
                    return;
                }
                out += "[\n";
                for (std::size_t i = 0; i < v.size(); ++i) {
                    indent(depth + 1);
                    print_json(out, v[i], depth + 1);
                    out += i + 1 < v.size() ? ",\n" : "\n";
                }
                indent(depth);
                out += ']';
            } else {
                if (v.empty()) {
                    out += "{}";
                    return;
                }
                out += "{\n";
                for (std::size_t i = 0; i < v.size(); ++i) {
                    indent(depth + 1);
                    append_json_string(out, v[i].first);
                    out += ": ";
                    print_json(out, v[i].second, depth + 1);
                    out += i + 1 < v.size() ? ",\n" : "\n";
                }
                indent(depth);
                out += '}';
            }
        },
        j.v);
}

json to_json(const value& v) {
    return std::visit([](const auto& x) { return json(x); }, v);
}

json optional_string(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json variable_json(const variable& v) {
    json_array options;
    for (const auto& o : v.options) options.emplace_back(o);
    json_object o;
    o.emplace_back("name", v.name);
    o.emplace_back("type", to_string(v.type));
    o.emplace_back("options", std::move(options));
    o.emplace_back("default", v.default_value ? to_json(*v.default_value)
                              : v.default_text ? json(*v.default_text)
                                               : json(nullptr));
    o.emplace_back("label", v.label);
    o.emplace_back("private", v.is_private);
    return o;
}

json node_json(const node& n) {
    json_object o;
    o.emplace_back("id", n.id);
    o.emplace_back("kind", to_string(n.kind));
    o.emplace_back("title", n.title);
    if (n.kind != node_kind::logic && n.kind != node_kind::jump) {
        o.emplace_back("text", n.text);
        o.emplace_back("hint", n.hint);
    }
    switch (n.kind) {
        case node_kind::question: {
            json_array choices;
            for (const auto& c : n.choices) {
                json_object co;
                co.emplace_back("label", c.label);
                co.emplace_back("to", c.to);
                co.emplace_back("if", c.condition ? optional_string(c.condition->source()) : json(nullptr));
                co.emplace_back("set", optional_string(c.set_source));
                choices.emplace_back(std::move(co));
            }
            o.emplace_back("choices", std::move(choices));
            break;
        }
        case node_kind::step: o.emplace_back("to", n.to); break;
        case node_kind::form: {
            json_array fields;
            for (const auto& f : n.fields) {
                json_object fo;
                fo.emplace_back("var", f.variable);
                fo.emplace_back("label", f.label);
                fo.emplace_back("required", f.required);
                fo.emplace_back("pattern", optional_string(f.pattern));
                fo.emplace_back("placeholder", f.placeholder);
                fields.emplace_back(std::move(fo));
            }
            o.emplace_back("fields", std::move(fields));
            o.emplace_back("to", n.to);
            break;
        }
        case node_kind::logic: {
            json_array branches;
            for (const auto& b : n.branches) {
                json_object bo;
                bo.emplace_back("if", b.condition.source());
                bo.emplace_back("to", b.to);
                branches.emplace_back(std::move(bo));
            }
            o.emplace_back("branches", std::move(branches));
            o.emplace_back("otherwise", optional_string(n.otherwise));
            break;
        }
        case node_kind::jump:
            o.emplace_back("tree", n.tree_ref);
            o.emplace_back("to", optional_string(n.to));
            break;
        case node_kind::escalate:
            o.emplace_back("team", n.team);
            o.emplace_back("priority", n.priority.empty() ? std::string("normal") : n.priority);
            break;
        case node_kind::end: o.emplace_back("outcome", n.outcome); break;
    }
    return o;
}

}  // namespace

std::string export_dot(const tree& t) {
    std::string out = "digraph " + dot_quote(t.id) + " {\n";
    out += "  rankdir=LR;\n";
    out += "  label=" + dot_quote(t.title.empty() ? t.id : t.title) + ";\n";
    out += "  labelloc=t;\n";
    out += "  node [fontname=\"Helvetica\", fontsize=11];\n";
    out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
    // "__start" cannot clash: tree node ids start with a letter or digit.
    out += "  \"__start\" [shape=point, width=0.15, label=\"\"];\n";
    out += "  \"__start\" -> " + dot_quote(t.start) + ";\n";
    for (const auto& n : t.nodes) {
        const dot_style st = dot_style_of(n.kind);
        std::string label = display_title(n);
        if (n.kind == node_kind::jump) label += "\n\xe2\x86\x92 " + n.tree_ref;  // "→ tree"
        if (n.kind == node_kind::escalate) label += "\n" + n.team;
        if (n.kind == node_kind::end) label += "\n[" + n.outcome + "]";
        out += "  " + dot_quote(n.id) + " [label=" + dot_quote(label) + ", shape=" + st.shape +
               st.extra + ", fillcolor=\"" + st.fill + "\"];\n";
    }
    for (const auto& n : t.nodes) {
        for (const auto& e : edges_of(n)) {
            out += "  " + dot_quote(e.from) + " -> " + dot_quote(e.to);
            if (!e.label.empty()) out += " [label=" + dot_quote(e.label) + "]";
            out += ";\n";
        }
    }
    out += "}\n";
    return out;
}

std::string export_mermaid(const tree& t) {
    std::string out = "flowchart LR\n";
    out += "  start__((\" \")) --> " + mermaid_id(t.start) + "\n";
    for (const auto& n : t.nodes) {
        const auto [open, close] = mermaid_brackets(n.kind);
        std::string label = display_title(n);
        if (n.kind == node_kind::jump) label += "\n\xe2\x86\x92 " + n.tree_ref;
        if (n.kind == node_kind::escalate) label += "\n" + n.team;
        if (n.kind == node_kind::end) label += "\n[" + n.outcome + "]";
        out += "  " + mermaid_id(n.id) + open + mermaid_quote(label) + close + "\n";
    }
    for (const auto& n : t.nodes) {
        for (const auto& e : edges_of(n)) {
            out += "  " + mermaid_id(e.from) + " -->";
            if (!e.label.empty()) out += "|" + mermaid_quote(e.label) + "|";
            out += " " + mermaid_id(e.to) + "\n";
        }
    }
    return out;
}

std::string export_json(const tree& t) {
    json_array variables;
    for (const auto& v : t.variables) variables.push_back(variable_json(v));
    json_array nodes;
    for (const auto& n : t.nodes) nodes.push_back(node_json(n));
    json_array layout;
    for (const auto& p : t.layout) {
        json_object po;
        po.emplace_back("node", p.node);
        po.emplace_back("x", p.x);
        po.emplace_back("y", p.y);
        layout.emplace_back(std::move(po));
    }
    json_object root;
    root.emplace_back("format", t.format);
    root.emplace_back("id", t.id);
    root.emplace_back("version", t.version);
    root.emplace_back("title", t.title);
    root.emplace_back("start", t.start);
    root.emplace_back("allow_find", t.allow_find);
    root.emplace_back("description", t.description);
    root.emplace_back("variables", std::move(variables));
    root.emplace_back("nodes", std::move(nodes));
    root.emplace_back("layout", std::move(layout));

    std::string out;
    print_json(out, json(std::move(root)), 0);
    out += '\n';
    return out;
}

std::string export_tree(const tree& t, export_format f) {
    switch (f) {
        case export_format::dot: return export_dot(t);
        case export_format::mermaid: return export_mermaid(t);
        case export_format::json: return export_json(t);
    }
    return export_dot(t);
}

}  // namespace signpost
