#pragma once
// The small expression language of `if` conditions and `set` assignments:
// numbers, 'strings', true/false, variables, == != < <= > >=, and or not, + - * /, parentheses.
// Dates (a `date` variable, `today`, an ISO day literal compared or assigned to one) compare
// in time; date - date is days (a number), date + days and date - days are dates.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/value.hpp"

namespace signpost {

// A parse or type error; `offset` is the byte offset inside the expression source.
struct expr_error {
    std::size_t offset = 0;
    std::string code;     // "expr-syntax", "expr-type", "undeclared-variable", "expr-too-deep"
    std::string message;
};

struct expr_node;  // defined in expr.cpp

// A parsed expression. Cheap to copy (shared, immutable).
class expression {
public:
    expression() = default;
    // The source text it was parsed from.
    const std::string& source() const { return m_source; }
    bool empty() const { return !m_root; }
    const expr_node* root() const { return m_root.get(); }

    expression(std::shared_ptr<const expr_node> root, std::string source)
        : m_root(std::move(root)), m_source(std::move(source)) {}

private:
    std::shared_ptr<const expr_node> m_root;
    std::string m_source;
};

// `name = expression`.
struct assignment {
    std::string variable;
    std::size_t variable_offset = 0;  // byte offset of the name inside the `set` source
    expression value;
    std::size_t value_offset = 0;  // byte offset of the value's source inside the `set` source
};

template <typename T>
struct expr_result {
    std::optional<T> result;
    std::optional<expr_error> error;
    explicit operator bool() const { return result.has_value(); }
};

// A date every expression can read without declaring it: the agent's calendar day when the
// expression runs ("deadline < today", "due = today + 3"). A variable declared with this
// name is read instead.
inline constexpr std::string_view today_variable = "today";

// Nesting deeper than this is rejected with "expr-too-deep" instead of overflowing the stack.
inline constexpr int max_expression_depth = 200;

// A text a `+` makes may be at most this long: a loop doubling a text (`t = t + t`) would
// otherwise take all the memory in a few dozen clicks. Longer is an evaluation error.
inline constexpr std::size_t max_text_bytes = 64 * 1024;

// Parses one expression (a condition).
[[nodiscard]] expr_result<expression> parse_expression(std::string_view source);

// Parses `a = expr; b = expr` (a `set` attribute); empty statements between `;` are allowed.
[[nodiscard]] expr_result<std::vector<assignment>> parse_assignments(std::string_view source);

// Declared variable types, looked up by name during type checking.
class type_scope {
public:
    virtual ~type_scope() = default;
    virtual std::optional<var_type> type_of(std::string_view name) const = 0;
    // Options of a choice variable (to check 'literal' comparisons); empty when not a choice.
    virtual std::vector<std::string> options_of(std::string_view name) const = 0;
    // Every declared name, for "did you mean" suggestions (none by default).
    virtual std::vector<std::string> variable_names() const { return {}; }
};

// The static type an expression evaluates to. number/text/flag (choice compares as text).
// Errors: undeclared variables, operands of the wrong type (e.g. 'a' + 1, not 3),
// comparison of a choice variable with a string that is not one of its options.
[[nodiscard]] expr_result<var_type> check_expression(const expression& e, const type_scope& scope);

// Checks that `e` is a condition (type flag). Returns the first error, if any.
[[nodiscard]] std::optional<expr_error> check_condition(const expression& e, const type_scope& scope);

// Checks every assignment: the variable is declared and the value's type fits it
// (a choice variable accepts text; a literal must be one of its options).
// Offsets in errors are inside the `set` source.
[[nodiscard]] std::optional<expr_error> check_assignments(const std::vector<assignment>& list,
                                                          const type_scope& scope);

// Current variable values, looked up by name during evaluation.
class value_scope {
public:
    virtual ~value_scope() = default;
    virtual std::optional<value> value_of(std::string_view name) const = 0;
};

// Evaluates a type-checked expression. Never throws. Division by zero and unknown
// variables give an error message instead of a value.
struct eval_result {
    std::optional<signpost::value> result;
    std::string error;
};
[[nodiscard]] eval_result evaluate(const expression& e, const value_scope& scope);

// Names of the variables an expression reads, in order of first appearance, without repeats.
std::vector<std::string> variables_read(const expression& e);

}  // namespace signpost
