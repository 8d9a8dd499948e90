#pragma once
// Values held by tree variables and produced by expressions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace signpost {

// The declared type of a variable. A `choice` holds one of a fixed list of strings.
enum class var_type { number, text, flag, choice, date };

// A runtime value: flag, number or text (choices are text; a date is its ISO day,
// "2026-12-04", so it is written, compared and logged as it reads).
using value = std::variant<bool, double, std::string>;

// "number", "text", "flag", "choice", "date".
const char* to_string(var_type t);
// Parses a type name; nullopt when unknown.
std::optional<var_type> parse_var_type(std::string_view name);

// How a value is written where it is read back (logs, {name} in text): 3 not 3.000000,
// true/false, text as is.
std::string to_display(const value& v);
// How an answer is shown to people (transcripts, the player's call data): as to_display,
// but a flag as yes/no, as it is asked in a form.
std::string to_answer(const value& v);

// The value a variable of type `t` holds before anything sets it (0, "", false, "", "").
value zero_value(var_type t);

// Parses text typed by an agent (or a `default` attribute) as a value of type `t`.
// nullopt when it does not fit ("abc" for a number, "maybe" for a flag).
// For `choice`, any text is accepted here; membership is checked by the caller.
// A date takes what read_typed_date does (calendar_date.hpp), words relative to `today`
// (days since 1970-01-01) only when it is given.
std::optional<value> parse_value(var_type t, std::string_view text, std::optional<std::int64_t> today = std::nullopt);

}  // namespace signpost
