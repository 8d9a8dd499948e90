#pragma once
// Other views of a tree: Graphviz, Mermaid and JSON.

#include <string>

#include "signpost/tree.hpp"

namespace signpost {

enum class export_format { dot, mermaid, json };

// The tree as Graphviz DOT: nodes shaped by kind, edges labelled by choice/condition.
std::string export_dot(const tree& t);
// The tree as a Mermaid flowchart (for docs and wikis); labels escaped for Mermaid.
std::string export_mermaid(const tree& t);
// The whole tree as JSON (for web integrations): every field of the model.
std::string export_json(const tree& t);

std::string export_tree(const tree& t, export_format f);

}  // namespace signpost
