// Fuzz target: the expression language. Parses the input as a condition and as a `set`
// list, type-checks against a fixed set of variables, evaluates, and checks that what the
// checker promised holds: a well-typed expression evaluates to a value of its type or to
// an error message, never to a value of another type.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_check.hpp"
#include "signpost/calendar_date.hpp"
#include "signpost/expr.hpp"

namespace {

using namespace signpost;
using fuzz::require;

// n, m: numbers (m is 0, for division by zero); big: 1e308 (overflow); t: text; f: flag;
// c: choice of a/b/c; d: a date, today as the session gives it, near the calendar's ends
// (d_far) for overflow; the u_ ones are declared but never set (evaluation errors).
class scope final : public type_scope, public value_scope {
public:
    std::optional<var_type> type_of(std::string_view name) const override {
        if (name == "n" || name == "m" || name == "big" || name == "u_n") return var_type::number;
        if (name == "t" || name == "u_t") return var_type::text;
        if (name == "f" || name == "u_f") return var_type::flag;
        if (name == "c") return var_type::choice;
        if (name == "d" || name == "d_far" || name == "u_d") return var_type::date;
        return std::nullopt;
    }
    std::vector<std::string> options_of(std::string_view name) const override {
        if (name == "c") return {"a", "b", "c"};
        return {};
    }
    std::vector<std::string> variable_names() const override {
        return {"n", "m", "big", "u_n", "t", "u_t", "f", "u_f", "c", "d", "d_far", "u_d"};
    }
    std::optional<value> value_of(std::string_view name) const override {
        if (name == "n") return value(3.0);
        if (name == "m") return value(0.0);
        if (name == "big") return value(1e308);
        if (name == "t") return value(std::string("x"));
        if (name == "f") return value(true);
        if (name == "c") return value(std::string("b"));
        if (name == "d") return value(std::string("2026-12-24"));
        if (name == "d_far") return value(std::string("9999-12-30"));
        if (name == today_variable) return value(std::string("2026-12-01"));
        return std::nullopt;
    }
};

bool fits(var_type t, const value& v) {
    switch (t) {
        case var_type::number: return std::holds_alternative<double>(v);
        case var_type::flag: return std::holds_alternative<bool>(v);
        case var_type::text:
        case var_type::choice: return std::holds_alternative<std::string>(v);
        case var_type::date: {
            const auto* day = std::get_if<std::string>(&v);
            return day && parse_iso_day(*day).has_value();
        }
    }
    return false;
}

void check_error(const std::optional<expr_error>& e, std::size_t length, std::string_view source) {
    if (!e) return;
    require(e->offset <= length, "error offset past the end of the source", source);
    require(!e->code.empty() && !e->message.empty(), "error without code or message", source);
}

void exercise(const expression& e, std::string_view source, const scope& s) {
    (void)variables_read(e);
    const auto typed = check_expression(e, s);
    check_error(typed.error, source.size(), source);
    (void)check_condition(e, s);
    const eval_result r = evaluate(e, s);
    require(r.result.has_value() != !r.error.empty(), "evaluate gave both or neither a value and an error",
            source);
    if (typed && r.result)
        require(fits(*typed.result, *r.result), "evaluation result does not have the checked type", source);
    if (r.result)
        if (const auto* d = std::get_if<double>(&*r.result)) (void)to_display(value(*d));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view source(reinterpret_cast<const char*>(data), size);
    const scope s;

    const auto condition = parse_expression(source);
    check_error(condition.error, source.size(), source);
    require(condition.result.has_value() != condition.error.has_value(),
            "parse_expression gave both or neither a result and an error", source);
    if (condition) exercise(*condition.result, source, s);

    const auto list = parse_assignments(source);
    check_error(list.error, source.size(), source);
    if (list) {
        check_error(check_assignments(*list.result, s), source.size(), source);
        for (const auto& a : *list.result) {
            require(a.variable_offset <= source.size() && a.value_offset <= source.size(),
                    "assignment offsets past the end of the source", source);
            if (!a.value.empty()) exercise(a.value, source, s);
        }
    }
    return 0;
}
