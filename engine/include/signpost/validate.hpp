#pragma once
// Whole-tree analysis, also across jumps.

#include "signpost/diagnostic.hpp"
#include "signpost/library.hpp"
#include "signpost/tree.hpp"

namespace signpost {

// Findings (codes):
//  error   dead-end           a node from which no end/escalate can be reached
//  error   inescapable-loop   a reachable cycle that no choice can leave
//  error   missing-tree       a jump to a tree the library does not have (or that is broken)
//  error   jump-cycle         trees that jump into each other in a cycle
//  error   jump-variable-type a variable declared with different types in trees joined by a jump
//  warning unreachable        a node no path from the start reaches
//  warning logic-unmatched    a logic node without `otherwise` whose branches may all be false
//  warning duplicate-label    two choices of one question with the same label
//  warning read-before-set    a variable read (condition, set, text) on a path where nothing set it
//  info    path-stats         longest path and questions on the worst path, through jumped trees
// Consequences of loader errors are not reported again: a node behind a broken target the
// loader suggested a fix for is not unreachable, nor is one with a missing or duplicate id,
// nor is any node while a reachable node lacks a target altogether (a step without `to`, a
// question with no choice left); a `set` that did not parse leaves no read-before-set
// behind, a branch condition that did not parse no logic-unmatched; a child the loader
// could not read that names a target (<otherwse to="x">) counts as that link.
// `library` may be null: jumps are then not followed (and not reported missing).
[[nodiscard]] diagnostics validate_tree(const tree& t, const tree_library* library);

}  // namespace signpost
