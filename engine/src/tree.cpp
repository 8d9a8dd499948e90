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

namespace {

// The names the loader records: a node's attributes and its child elements.
constexpr std::string_view position_names[] = {"id",   "title", "to",   "tree", "team",     "priority",
                                               "outcome", "text", "hint", "otherwise"};

int position_name(std::string_view name) {
    for (std::size_t i = 0; i < std::size(position_names); ++i)
        if (position_names[i] == name) return static_cast<int>(i);
    return -1;
}

}  // namespace

const source_pos* attribute_positions::find(std::string_view name) const {
    if (const int code = position_name(name); code >= 0) {
        for (std::size_t i = 0; i < m_count; ++i)
            if (m_known[i].name == code) return &m_known[i].pos;
    }
    for (const auto& [key, pos] : m_other)
        if (key == name) return &pos;
    return nullptr;
}

source_pos& attribute_positions::operator[](std::string_view name) {
    const int code = position_name(name);
    if (code >= 0) {
        for (std::size_t i = 0; i < m_count; ++i)
            if (m_known[i].name == code) return m_known[i].pos;
    }
    for (auto& [key, pos] : m_other)
        if (key == name) return pos;
    if (code >= 0 && m_count < inline_capacity) {
        m_known[m_count] = {static_cast<std::uint8_t>(code), source_pos{}};
        return m_known[m_count++].pos;
    }
    return m_other.emplace_back(std::string(name), source_pos{}).second;
}

bool operator==(const attribute_positions& a, const attribute_positions& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.m_count; ++i) {
        const source_pos* other = b.find(position_names[a.m_known[i].name]);
        if (!other || *other != a.m_known[i].pos) return false;
    }
    for (const auto& [name, pos] : a.m_other) {
        const source_pos* other = b.find(name);
        if (!other || *other != pos) return false;
    }
    return true;
}

source_pos node::pos_of(std::string_view name) const {
    const source_pos* p = attr_pos.find(name);
    return p ? *p : pos;
}

template <typename T>
void tree::name_table::build(const std::vector<T>& items, std::string T::*key) {
    std::size_t capacity = 16;
    while (capacity < items.size() * 2) capacity *= 2;  // at most half full
    m_slots.assign(capacity, 0);
    const std::size_t mask = capacity - 1;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string_view name = items[i].*key;
        const auto hash = static_cast<std::uint32_t>(std::hash<std::string_view>{}(name));
        for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
            const std::uint64_t slot = m_slots[at];
            if (slot == 0) {
                m_slots[at] = std::uint64_t{hash} << 32 | (i + 1);
                break;
            }
            if (slot >> 32 == hash && items[static_cast<std::size_t>(slot & 0xFFFFFFFFu) - 1].*key == name) break;
        }
    }
}

template <typename T>
int tree::name_table::find(std::string_view name, const std::vector<T>& items, std::string T::*key,
                           bool* stale) const {
    if (m_slots.empty()) return -1;
    const std::size_t mask = m_slots.size() - 1;
    const auto hash = static_cast<std::uint32_t>(std::hash<std::string_view>{}(name));
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        const std::uint64_t slot = m_slots[at];
        if (slot == 0) return -1;
        if (slot >> 32 != hash) continue;
        const auto i = static_cast<std::size_t>(slot & 0xFFFFFFFFu) - 1;
        if (i < items.size() && items[i].*key == name) return static_cast<int>(i);
        if (stale) *stale = true;  // or two names with one hash: rare, and a scan is right either way
    }
}

void tree::reindex() {
    // The first of duplicate ids is kept: the loader reports the later ones.
    m_index.build(nodes, &node::id);
    m_var_index.build(variables, &variable::name);
    m_layout_index.build(layout, &layout_entry::node);
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
    bool stale = false;
    const int i = m_index.find(node_id, nodes, &node::id, &stale);
    if (i >= 0 || !stale) return i;
    // Stale index (nodes edited without reindex()): a scan still gives the right answer.
    const auto found = std::find_if(nodes.begin(), nodes.end(),
                                    [&](const node& n) { return n.id == node_id; });
    return found == nodes.end() ? -1 : static_cast<int>(found - nodes.begin());
}

const variable* tree::find_variable(std::string_view name) const {
    const int i = m_var_index.find(name, variables, &variable::name);
    return i < 0 ? nullptr : &variables[static_cast<std::size_t>(i)];
}

const layout_entry* tree::find_layout(std::string_view node_id) const {
    const int i = m_layout_index.find(node_id, layout, &layout_entry::node);
    if (i >= 0) return &layout[static_cast<std::size_t>(i)];
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

std::string field_label(const tree& t, const field& f) {
    if (!f.label.empty()) return f.label;
    if (const variable* v = t.find_variable(f.variable); v && !v->label.empty()) return v->label;
    return f.variable;
}

}  // namespace signpost
