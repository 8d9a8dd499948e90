#pragma once
// Expression text as authors type it: checking for the inspector, and renaming variables
// inside expressions and {name} texts.

#include <optional>
#include <string>
#include <string_view>

#include "signpost/tree.hpp"

namespace signpost::editor {

// What an expression text is used as.
enum class expression_kind { condition, assignments };

// A problem in typed expression text, for an inline message under the text box.
struct text_error {
    std::size_t offset = 0;  // byte offset inside the text
    int column = 1;          // 1-based column (UTF-8 code points) inside the text
    std::string code;        // "expr-syntax", "expr-type", "undeclared-variable", ...
    std::string message;
};

// Parses and type-checks `text` against the tree's variables. nullopt when fine
// (empty text is fine: it means "no condition" / "no assignments").
std::optional<text_error> check_expression_text(const tree& t, std::string_view text,
                                                expression_kind kind);

// `text` with every identifier token `old_name` replaced by `new_name`; string literals,
// keywords and other identifiers are untouched; the rest of the text is kept byte for byte.
std::string rename_in_expression(std::string_view text, std::string_view old_name,
                                 std::string_view new_name);

// `text` with every `{old_name}` reference replaced by `{new_name}` (`{{`/`}}` left alone).
std::string rename_in_text(std::string_view text, std::string_view old_name, std::string_view new_name);

}  // namespace signpost::editor
