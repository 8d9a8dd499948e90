#pragma once
// Statistics: traffic from a session log over the edited tree (the engine's path
// statistics). The canvas draws it as heat (node visits) and link widths (transitions); this
// panel lists the figures, and clicking a row selects the node.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "canvas_view.hpp"
#include "signpost/statistics.hpp"

namespace signpost::editor {

class editor_app;

class statistics_view {
public:
    // Reads the log at `path` for the edited tree. False with error() when it cannot.
    bool open(editor_app& app, const std::string& path);
    void close();
    // Reads the same log again (after edits or new calls).
    bool reload(editor_app& app);
    bool loaded() const { return m_report.has_value(); }
    const std::string& path() const { return m_path; }
    const std::string& error() const { return m_error; }
    void draw(editor_app& app);

    // What the canvas draws while statistics are shown (null when closed or hidden).
    // Null too when the log has no calls of this tree (every link would read "never").
    const canvas_traffic* traffic() const {
        return loaded() && show_on_canvas && m_report->sessions.started > 0 ? &m_traffic : nullptr;
    }
    // When the log has no calls of this tree: the trees it has calls of, with how many.
    const std::vector<std::pair<std::string, std::uint64_t>>& other_trees() const { return m_other_trees; }
    // The figures (null when closed).
    const tree_report* report() const { return m_report ? &*m_report : nullptr; }

    bool show_on_canvas = true;
    bool include_jumped = false;  // list the nodes of trees the calls jumped into too

private:
    void draw_nodes(editor_app& app, const tree_report& r);
    // The Left column: calls abandoned on the node, and for a jump those inside its tree.
    std::uint64_t left(const node_figures& n) const {
        const auto it = n.tree_id == m_report->tree_id ? m_left_inside.find(n.node_id) : m_left_inside.end();
        return n.abandoned_here + (it == m_left_inside.end() ? 0 : it->second.second);
    }
    void draw_side(editor_app& app, const tree_report& r);

    std::string m_path;
    std::string m_error;
    std::optional<tree_report> m_report;
    std::vector<std::pair<std::string, std::uint64_t>> m_other_trees;  // when the log has none of this tree's calls
    // Jump id -> (tree it runs, calls abandoned inside it), for the one jump into each tree.
    std::map<std::string, std::pair<std::string, std::uint64_t>> m_left_inside;
    canvas_traffic m_traffic;
    int m_sort_column = 1;
    bool m_sort_ascending = false;
};

}  // namespace signpost::editor
