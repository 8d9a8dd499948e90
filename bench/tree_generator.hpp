#pragma once
// Deterministic generator of large, realistic trees for benchmarks, fuzz seeds and tests.
//
// A generated tree looks like a real script grown big: questions with 2-5 choices (some
// conditional, some setting variables), steps, forms with patterns, logic nodes with typed
// conditions, jumps into small sub-trees, escalations and ends, Markdown text of realistic
// length with {variable} references, hints, and an editor layout. It is written in the
// canonical form, so `save_tree_string(load(xml)) == xml`, and it loads and validates without
// errors or warnings (every node reachable, every node reaches an end, no dead logic).
// The same options always give the same bytes, on every platform.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace signpost::bench {

struct generator_options {
    std::size_t nodes = 1000;  // nodes in the root tree (at least 8)
    std::uint64_t seed = 1;
    bool jumps = true;   // jump nodes into the sub-trees below
    bool layout = true;  // a <pos> for every node, as the editor saves them
};

struct generated_file {
    std::string id;   // tree id (the file would be `<id>.xml`)
    std::string xml;  // canonical XML text
};

struct generated_trees {
    generated_file root;
    std::vector<generated_file> subtrees;  // targets of the root's jump nodes
};

// Generates the root tree and the sub-trees it jumps into.
[[nodiscard]] generated_trees generate_trees(const generator_options& options);

// Valid answers for every form field of the generated trees (variable -> typed text), for
// walks that submit forms.
[[nodiscard]] const std::vector<std::pair<std::string, std::string>>& generated_form_answers();

}  // namespace signpost::bench
