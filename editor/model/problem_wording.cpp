#include "model/problem_wording.hpp"

#include <string_view>
#include <utility>

namespace signpost::editor {

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

}  // namespace

std::string in_editor_terms(std::string message) {
    // Whole advice first: what to do is done differently in the editor.
    static constexpr std::pair<std::string_view, std::string_view> advice[]{
        {"write what the agent picks between <choice> and </choice>", "type the answer's text"},
        {"declare it in <variables>", "add it under Variables (the tree's settings: select nothing)"},
        {"choice has an empty target", "answer has an empty target"},  // then as below
        {"choice goes to ", "answer goes to "},
        {"has an empty target; name a node", "leads nowhere; link it to a node"},
        {"add one or use a <step>", "add one, or change the node to a step"},
        {"start is empty; name the node calls begin at",
         "there is no start node; pick one under Start node (the tree's settings: select nothing)"},
        {"which is not a node of this tree", "which is not a node of this tree (deleted?)"},
    };
    // Then the names of elements left in the message.
    static constexpr std::pair<std::string_view, std::string_view> names[]{
        {"<question>", "question"}, {"<step>", "step"},     {"<form>", "form"},         {"<logic>", "logic"},
        {"<jump>", "jump"},         {"<escalate>", "escalate"}, {"<end>", "end"},       {"<choice>", "answer"},
        {"<field>", "field"},       {"<branch>", "branch"}, {"<otherwise>", "otherwise"}, {"<variables>", "Variables"},
    };
    for (const auto& [from, to] : advice) replace_all(message, from, to);
    for (const auto& [from, to] : names) replace_all(message, from, to);
    return message;
}

void put_in_editor_terms(diagnostics& problems) {
    for (diagnostic& d : problems) d.message = in_editor_terms(std::move(d.message));
}

}  // namespace signpost::editor
