#include "signpost/value.hpp"

#include "signpost/calendar_date.hpp"

#include <charconv>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <system_error>

namespace signpost {

namespace {

std::string_view trim_spaces(std::string_view s) {
    constexpr std::string_view spaces = " \t\r\n";
    const auto first = s.find_first_not_of(spaces);
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(spaces);
    return s.substr(first, last - first + 1);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != b[i]) return false;
    }
    return true;
}

std::string number_to_display(double d) {
    // Whole numbers an agent would type (counts, amounts) print as plain digits; beyond
    // 1e15 doubles stop being exact integers, so the shortest round-trip form is used.
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 1e15)
        return std::to_string(static_cast<std::int64_t>(d));
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d);
    if (res.ec != std::errc{}) return "?";
    return std::string(buf, res.ptr);
}

}  // namespace

const char* to_string(var_type t) {
    switch (t) {
        case var_type::number: return "number";
        case var_type::text: return "text";
        case var_type::flag: return "flag";
        case var_type::choice: return "choice";
        case var_type::date: return "date";
    }
    return "text";
}

std::optional<var_type> parse_var_type(std::string_view name) {
    if (name == "number") return var_type::number;
    if (name == "text") return var_type::text;
    if (name == "flag") return var_type::flag;
    if (name == "choice") return var_type::choice;
    if (name == "date") return var_type::date;
    return std::nullopt;
}

std::string to_answer(const value& v) {
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "yes" : "no";
    return to_display(v);
}

std::string to_display(const value& v) {
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (const auto* d = std::get_if<double>(&v)) return number_to_display(*d);
    return std::get<std::string>(v);
}

value zero_value(var_type t) {
    switch (t) {
        case var_type::number: return 0.0;
        case var_type::flag: return false;
        case var_type::text:
        case var_type::choice:
        case var_type::date: return std::string{};
    }
    return std::string{};
}

namespace {

// Whether a decimal that from_chars matched but found out of range is below 1 in size
// (1e-999, 0.000…1): it then rounds to 0, as in any double parser and xs:double. Above 1 it
// is too large for a double. The place of the first significant digit plus the exponent says.
bool rounds_to_zero(std::string_view s) {
    std::size_t i = s.front() == '-' ? 1 : 0;
    long long magnitude = 0;  // decimal exponent of the first non-zero digit
    bool seen = false, point = false;
    long long int_digits = 0, leading_fraction_zeros = 0;
    for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
        if (s[i] == '.') {
            point = true;
            continue;
        }
        if (!seen && s[i] != '0') {
            seen = true;
            magnitude = point ? -(leading_fraction_zeros + 1) : 0;
        }
        if (!point && seen) ++int_digits;
        if (point && !seen) ++leading_fraction_zeros;
    }
    if (!seen) return true;
    if (int_digits > 0) magnitude = int_digits - 1;
    long long exponent = 0;
    if (i < s.size()) {
        ++i;
        const bool negative = i < s.size() && s[i] == '-';
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        for (; i < s.size(); ++i) exponent = std::min(exponent * 10 + (s[i] - '0'), 1'000'000'000LL);
        if (negative) exponent = -exponent;
    }
    return magnitude + exponent < 0;
}

}  // namespace

std::optional<value> parse_value(var_type t, std::string_view text, std::optional<std::int64_t> today) {
    switch (t) {
        case var_type::number: {
            auto s = trim_spaces(text);
            // from_chars refuses a leading '+', which agents do type ("+5").
            if (s.size() > 1 && s.front() == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
            if (s.empty()) return std::nullopt;
            double d = 0;
            const auto res = std::from_chars(s.data(), s.data() + s.size(), d);
            if (res.ptr != s.data() + s.size()) return std::nullopt;
            if (res.ec == std::errc::result_out_of_range && rounds_to_zero(s)) return s.front() == '-' ? -0.0 : 0.0;
            if (res.ec != std::errc{} || !std::isfinite(d)) return std::nullopt;
            return d;
        }
        case var_type::flag: {
            const auto s = trim_spaces(text);
            if (equals_ignoring_case(s, "true") || equals_ignoring_case(s, "yes")) return true;
            if (equals_ignoring_case(s, "false") || equals_ignoring_case(s, "no")) return false;
            return std::nullopt;
        }
        case var_type::text:
        case var_type::choice: return std::string(text);
        case var_type::date: {
            const typed_date d = read_typed_date(text, today);
            if (!d.days) return std::nullopt;
            return format_iso_day(*d.days);
        }
    }
    return std::nullopt;
}

}  // namespace signpost
