#pragma once
// The outline: every node as a row, filtered by id, title and text. Clicking a row selects
// the node and centres the canvas on it.

#include <cstdint>
#include <string>
#include <vector>

namespace signpost::editor {

class editor_app;

class outline_view {
public:
    void draw(editor_app& app);
    void reset();

    std::string filter;
    // Indices (into tree.nodes) of the rows shown last frame.
    const std::vector<std::size_t>& rows() const { return m_rows; }

private:
    std::vector<std::size_t> m_rows;
    std::string m_rows_filter;
    std::uint64_t m_rows_generation = 0;
    const void* m_rows_doc = nullptr;
};

}  // namespace signpost::editor
