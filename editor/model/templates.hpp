#pragma once
// Starter scripts for File > New: small, complete trees an author reshapes instead of
// starting from an empty canvas. Each loads and validates without a problem.

#include <span>
#include <string_view>

namespace signpost::editor {

struct starter_template {
    std::string_view name;     // menu label
    std::string_view summary;  // one line: what it is for
    std::string_view xml;      // a format 1 tree; its id is "new-tree"
};

// The templates in menu order; the first is the plain question-and-end starter.
std::span<const starter_template> starter_templates();

}  // namespace signpost::editor
