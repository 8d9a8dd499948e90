#pragma once
// The selected nodes of the canvas, plus the field the inspector should focus (set when
// the author clicks a problem).

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "signpost/tree.hpp"

namespace signpost::editor {

// A spot inside a node for the inspector to scroll to and highlight.
struct field_focus {
    std::string node_id;
    std::string field;  // diagnostic field: "to", "if", "set", "text", "team"... ("" = node)
    int index = -1;     // choice/branch/field index when known
};

class selection {
public:
    // True when the node is selected.
    bool contains(std::string_view id) const;
    // Selected ids in the order they were selected.
    const std::vector<std::string>& ids() const { return m_ids; }
    bool empty() const { return m_ids.empty(); }
    std::size_t size() const { return m_ids.size(); }
    // The most recently selected id (the inspector shows it), "" when empty.
    std::string primary() const { return m_ids.empty() ? std::string() : m_ids.back(); }

    // Selects only `id`.
    void select_only(const std::string& id);
    // Replaces the selection with `ids` (box select).
    void set(const std::vector<std::string>& ids);
    // Adds `id` (Shift+click); no effect when already selected.
    void add(const std::string& id);
    // Adds or removes `id` (Ctrl+click).
    void toggle(const std::string& id);
    // Removes `id`.
    void remove(const std::string& id);
    // Selects nothing (and drops the focus).
    void clear();
    // Selects every node of the tree.
    void select_all(const tree& t);

    // Drops ids the tree no longer has (after undo, delete); keeps the focus only if its node exists.
    void retain_existing(const tree& t);
    // Follows a node rename.
    void rename(const std::string& old_id, const std::string& new_id);

    // Selects the node and asks the inspector to focus `f` (problem clicked).
    void focus(field_focus f);
    // The pending focus request, if any.
    const std::optional<field_focus>& focused() const { return m_focus; }
    // Called by the inspector once it has scrolled to the field.
    void clear_focus() { m_focus.reset(); }

private:
    std::vector<std::string> m_ids;
    std::unordered_set<std::string> m_set;
    std::optional<field_focus> m_focus;
};

}  // namespace signpost::editor
