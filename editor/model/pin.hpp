#pragma once
// Output pins: where a link leaves a node.

#include <string>

namespace signpost::editor {

// Which outgoing reference of a node a pin stands for.
enum class pin_slot {
    choice,     // question: choices[index].to; index == choices.size() = "add an answer" pin
    branch,     // logic: branches[index].to; index == branches.size() = "add a branch" pin
    otherwise,  // logic: otherwise
    next,       // step, form, jump: to
};

// One output pin of one node.
struct pin {
    std::string node;
    pin_slot slot = pin_slot::next;
    int index = 0;  // for choice and branch slots
    friend bool operator==(const pin&, const pin&) = default;
};

}  // namespace signpost::editor
