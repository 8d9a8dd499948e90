#pragma once
// The tree model: an immutable-after-load description of one script.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "signpost/diagnostic.hpp"
#include "signpost/expr.hpp"
#include "signpost/value.hpp"

namespace signpost {

// The current (and only) format version this build reads and writes.
inline constexpr int current_format = 1;

enum class node_kind { question, step, form, logic, jump, escalate, end };

// "question", "step", ... (the XML element name).
const char* to_string(node_kind k);
std::optional<node_kind> parse_node_kind(std::string_view name);

struct variable {
    std::string name;
    var_type type = var_type::text;
    std::vector<std::string> options;       // choice only, in declared order
    std::optional<std::string> default_text;  // as written in the file
    std::optional<value> default_value;       // parsed default; absent = unset until assigned
    std::string label;                        // optional human label
    // private="true": the session log records that the variable was captured, never its
    // value (a wellbeing answer, a phone number); the call itself shows it as usual.
    bool is_private = false;
    source_pos pos;
};

// A question's answer.
struct choice {
    std::string label;                 // UTF-8, light Markdown allowed
    std::string to;                    // target node id
    std::optional<expression> condition;  // `if`: shown only when it holds
    std::vector<assignment> sets;      // `set`: applied when chosen
    std::string set_source;            // `set` as written (kept for saving)
    source_pos pos;                    // of the <choice> element
};

// A logic node's branch. `otherwise` is kept apart on the node.
struct branch {
    std::string to;
    expression condition;
    source_pos pos;
};

// A form field: captures agent input into a variable.
struct field {
    std::string variable;
    std::string label;
    bool required = false;
    std::string pattern;  // ECMAScript regex the whole input must match; empty = any
    std::string placeholder;
    source_pos pos;
};

// Where a node's attributes and child elements are, by name. A node has a handful, and
// they are the format's own names: those are kept inline by number, so recording them
// allocates nothing (a heap block per node cost more to make and free than the lookups
// it served). Any other name is kept in a list beside them.
class attribute_positions {
public:
    // The recorded position of `name`, or nullptr.
    const source_pos* find(std::string_view name) const;
    // The position of `name`, added (as unknown) when missing.
    source_pos& operator[](std::string_view name);
    std::size_t size() const { return m_count + m_other.size(); }
    bool empty() const { return size() == 0; }
    void clear() {
        m_count = 0;
        m_other.clear();
    }
    // Same names at the same positions, in any order.
    friend bool operator==(const attribute_positions& a, const attribute_positions& b);

private:
    struct known {
        std::uint8_t name = 0;  // index into the table of the format's names (tree.cpp)
        source_pos pos;
    };
    static constexpr std::size_t inline_capacity = 8;
    std::array<known, inline_capacity> m_known{};
    std::uint8_t m_count = 0;
    std::vector<std::pair<std::string, source_pos>> m_other;
};

struct node {
    node_kind kind = node_kind::step;
    std::string id;
    std::string title;
    std::string text;  // light Markdown with {variable} interpolation
    std::string hint;  // agent-only note
    std::vector<choice> choices;    // question
    std::vector<field> fields;      // form
    std::vector<branch> branches;   // logic
    std::string otherwise;          // logic; empty = none
    std::string to;                 // step, form; jump (optional: empty = sub-tree end ends the call)
    std::string tree_ref;           // jump: id of the tree to run
    std::string team;               // escalate
    std::string priority;           // escalate: low | normal | high | urgent
    std::string outcome;            // end
    source_pos pos;                 // of the element
    // Positions of attributes and child elements by name ("to", "tree", "text"...),
    // so later diagnostics point at the exact spot.
    attribute_positions attr_pos;
    // The `to` of children the loader could not read (a misspelt <otherwse to="x">, its
    // error): links the author wrote, not in the model. The validator counts them, so it
    // does not also call x unreachable or the node unmatched. Never saved.
    std::vector<std::string> unread_targets;

    // Position of `name` if recorded, else the element's position.
    source_pos pos_of(std::string_view name) const;
};

// Editor position of one node; kept apart from the logic so diffs stay clean.
struct layout_entry {
    std::string node;
    double x = 0;
    double y = 0;
};

struct tree {
    int format = current_format;
    std::string id;
    int version = 1;
    std::string title;
    std::string start;
    std::string description;
    bool allow_find = false;  // agents may jump to any node by search (player Ctrl+F)
    std::vector<variable> variables;
    std::vector<node> nodes;  // in file order
    std::vector<layout_entry> layout;
    std::string file;         // path it was loaded from ("" for trees built in memory)
    source_pos pos;           // of the <tree> element

    // Rebuilds the id -> index maps; call after editing `nodes` or `variables`.
    void reindex();
    const node* find(std::string_view node_id) const;
    node* find(std::string_view node_id);
    // Index into `nodes`, or -1.
    int index_of(std::string_view node_id) const;
    const variable* find_variable(std::string_view name) const;
    const layout_entry* find_layout(std::string_view node_id) const;

    // The ids of the nodes a node can go to, in order (choices, branches, otherwise, to).
    // Duplicates are kept once.
    std::vector<std::string> successors(const node& n) const;

private:
    // Index of a name in one of the vectors above, by open addressing. It keeps no copy of
    // the names (a map of strings cost a heap block per node): a hit is checked against
    // the vector itself, so a table left stale by an edit gives no wrong answer.
    class name_table {
    public:
        // Indexes items[i].*key; the first of equal names wins.
        template <typename T>
        void build(const std::vector<T>& items, std::string T::*key);
        // The index whose name is `name`, or -1; `*stale` is set when a slot with the
        // name's hash held another name, which an edit since build() can cause.
        template <typename T>
        int find(std::string_view name, const std::vector<T>& items, std::string T::*key,
                 bool* stale = nullptr) const;

    private:
        std::vector<std::uint64_t> m_slots;  // 0 = empty, else hash << 32 | (index + 1)
    };
    name_table m_index;
    name_table m_var_index;
    name_table m_layout_index;
};

// The label a form field is shown with: its own, else its variable's label, else the
// variable's name. The loader fills a missing label in this way, and so does the editor,
// so a tree in memory is what saving and reopening it gives.
std::string field_label(const tree& t, const field& f);

// Declared variables of a tree as a type_scope for the expression checker.
class tree_type_scope final : public type_scope {
public:
    explicit tree_type_scope(const tree& t) : m_tree(t) {}
    std::optional<var_type> type_of(std::string_view name) const override;
    std::vector<std::string> options_of(std::string_view name) const override;
    std::vector<std::string> variable_names() const override {
        std::vector<std::string> names;
        for (const auto& v : m_tree.variables) names.push_back(v.name);
        return names;
    }

private:
    const tree& m_tree;
};

// Ids of nodes and trees: ASCII letters, digits, '-', '_', '.', starting with a letter or
// digit, no "..", at most 128 bytes. Tree ids name files, so anything path-like is refused.
bool is_valid_id(std::string_view id);

}  // namespace signpost
