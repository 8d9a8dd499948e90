#include "signpost/tree.hpp"

#include <algorithm>
#include <array>

namespace signpost {

namespace {

constexpr std::array<std::pair<node_kind, const char*>, 7> kind_names{{
    {node_kind::question, "question"},
    {node_kind::step, "step"},
    {node_kind::form, "form"},
    {node_kind::logic, "logic"},
    {node_kind::jump, "jump"},
    {node_kind::escalate, "escalate"},
    {node_kind::end, "end"},
}};

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

const char* to_string(node_kind k) {
    for (const auto& [kind, name] : kind_names)
        if (kind == k) return name;
    return "step";
}

std::optional<node_kind> parse_node_kind(std::string_view name) {
    for (const auto& [kind, kind_name] : kind_names)
        if (name == kind_name) return kind;
    return std::nullopt;
}

const source_pos* attribute_positions::find(std::string_view name) const {
    for (const auto& [key, pos] : m_items)
        if (key == name) return &pos;
    return nullptr;
}

source_pos& attribute_positions::operator[](std::string_view name) {
    for (auto& [key, pos] : m_items)
        if (key == name) return pos;
    if (m_items.empty()) m_items.reserve(4);  // a node records two to five
    return m_items.emplace_back(std::string(name), source_pos{}).second;
}

source_pos node::pos_of(std::string_view name) const {
    const source_pos* p = attr_pos.find(name);
    return p ? *p : pos;
}

void tree::reindex() {
    m_index.clear();
    m_var_index.clear();
    m_index.reserve(nodes.size());
    m_layout_index.clear();
    m_var_index.reserve(variables.size());
    m_layout_index.reserve(layout.size());
    // emplace keeps the first of duplicates: the loader reports the later ones.
    for (std::size_t i = 0; i < nodes.size(); ++i) m_index.emplace(nodes[i].id, static_cast<int>(i));
    for (std::size_t i = 0; i < variables.size(); ++i)
        m_var_index.emplace(variables[i].name, static_cast<int>(i));
    for (std::size_t i = 0; i < layout.size(); ++i)
        m_layout_index.emplace(layout[i].node, static_cast<int>(i));
}

const node* tree::find(std::string_view node_id) const {
    const int i = index_of(node_id);
    return i < 0 ? nullptr : &nodes[static_cast<std::size_t>(i)];
}

node* tree::find(std::string_view node_id) {
    const int i = index_of(node_id);
    return i < 0 ? nullptr : &nodes[static_cast<std::size_t>(i)];
}

int tree::index_of(std::string_view node_id) const {
    const auto it = m_index.find(node_id);
    if (it == m_index.end()) return -1;
    const auto i = static_cast<std::size_t>(it->second);
    if (i < nodes.size() && nodes[i].id == node_id) return it->second;
    // Stale index (nodes edited without reindex()): a scan still gives the right answer.
    const auto found = std::find_if(nodes.begin(), nodes.end(),
                                    [&](const node& n) { return n.id == node_id; });
    return found == nodes.end() ? -1 : static_cast<int>(found - nodes.begin());
}

const variable* tree::find_variable(std::string_view name) const {
    const auto it = m_var_index.find(name);
    if (it == m_var_index.end()) return nullptr;
    const auto i = static_cast<std::size_t>(it->second);
    return i < variables.size() && variables[i].name == name ? &variables[i] : nullptr;
}

const layout_entry* tree::find_layout(std::string_view node_id) const {
    if (const auto hit = m_layout_index.find(node_id); hit != m_layout_index.end()) {
        const auto i = static_cast<std::size_t>(hit->second);
        if (i < layout.size() && layout[i].node == node_id) return &layout[i];
    }
    // Not indexed (or edited since reindex()): fall back to a scan.
    const auto it = std::find_if(layout.begin(), layout.end(),
                                 [&](const layout_entry& e) { return e.node == node_id; });
    return it == layout.end() ? nullptr : &*it;
}

std::vector<std::string> tree::successors(const node& n) const {
    std::vector<std::string> out;
    const auto add = [&](const std::string& id) {
        if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    };
    for (const auto& c : n.choices) add(c.to);
    for (const auto& b : n.branches) add(b.to);
    add(n.otherwise);
    add(n.to);
    return out;
}

std::optional<var_type> tree_type_scope::type_of(std::string_view name) const {
    const variable* v = m_tree.find_variable(name);
    if (!v) return std::nullopt;
    return v->type;
}

std::vector<std::string> tree_type_scope::options_of(std::string_view name) const {
    const variable* v = m_tree.find_variable(name);
    if (!v || v->type != var_type::choice) return {};
    return v->options;
}

bool is_valid_id(std::string_view id) {
    if (id.empty() || id.size() > 128 || !is_ascii_alnum(id.front())) return false;
    if (id.find("..") != std::string_view::npos) return false;
    return std::all_of(id.begin(), id.end(),
                       [](char c) { return is_ascii_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

}  // namespace signpost
