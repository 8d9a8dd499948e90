#include <doctest/doctest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "signpost/expr.hpp"
#include "signpost/value.hpp"

using namespace signpost;

namespace {

// Declared variables for the checker: name -> type and options.
class test_types final : public type_scope {
public:
    test_types() {
        add("reboots", var_type::number);
        add("account", var_type::text);
        add("note", var_type::text);
        add("vip", var_type::flag);
        add("plan", var_type::choice, {"basic", "plus", "business"});
        add("missing", var_type::number);
        add("a", var_type::number);
        add("b", var_type::number);
        add("deadline", var_type::date);
        add("started", var_type::date);
    }
    void add(std::string name, var_type t, std::vector<std::string> options = {}) {
        m_vars[std::move(name)] = {t, std::move(options)};
    }
    std::optional<var_type> type_of(std::string_view name) const override {
        const auto it = m_vars.find(std::string(name));
        if (it == m_vars.end()) return std::nullopt;
        return it->second.first;
    }
    std::vector<std::string> options_of(std::string_view name) const override {
        const auto it = m_vars.find(std::string(name));
        if (it == m_vars.end()) return {};
        return it->second.second;
    }
    std::vector<std::string> variable_names() const override {
        std::vector<std::string> names;
        for (const auto& [name, info] : m_vars) names.push_back(name);
        return names;
    }

private:
    std::map<std::string, std::pair<var_type, std::vector<std::string>>> m_vars;
};

// Current values: `missing` is declared above but deliberately has no value.
class test_values final : public value_scope {
public:
    test_values() {
        values["reboots"] = 2.0;
        values["account"] = std::string("12345678");
        values["note"] = std::string("");
        values["vip"] = true;
        values["plan"] = std::string("plus");
        values["a"] = 1.0;
        values["b"] = 10.0;
        values["deadline"] = std::string("2026-12-24");
        values["started"] = std::string("2026-11-30");
        values["today"] = std::string("2026-12-01");  // as the session gives it
    }
    std::optional<value> value_of(std::string_view name) const override {
        const auto it = values.find(std::string(name));
        if (it == values.end()) return std::nullopt;
        return it->second;
    }
    std::map<std::string, value> values;
};

// Parses and evaluates; numbers and flags as displayed, text in quotes, failures as
// "parse error: ..." / "error: ...", so one string states the whole outcome.
std::string run(std::string_view source, const value_scope& scope = test_values{}) {
    const auto parsed = parse_expression(source);
    if (!parsed) return "parse error: " + parsed.error->message;
    const auto r = evaluate(*parsed.result, scope);
    if (!r.result) return "error: " + r.error;
    if (const auto* s = std::get_if<std::string>(&*r.result)) return "'" + *s + "'";
    return to_display(*r.result);
}

expr_error parse_error(std::string_view source) {
    const auto parsed = parse_expression(source);
    REQUIRE_MESSAGE(!parsed, "expected a parse error for: " << source);
    REQUIRE(parsed.error.has_value());
    return *parsed.error;
}

expression parse_ok(std::string_view source) {
    auto parsed = parse_expression(source);
    REQUIRE_MESSAGE(parsed, "unexpected parse error for " << source << ": "
                                                           << (parsed.error ? parsed.error->message : ""));
    return *parsed.result;
}

// The checker's verdict: the type name, or "code@offset: message".
std::string check(std::string_view source) {
    const auto r = check_expression(parse_ok(source), test_types{});
    if (r) return to_string(*r.result);
    return r.error->code + "@" + std::to_string(r.error->offset) + ": " + r.error->message;
}

std::string check_set(std::string_view source) {
    const auto parsed = parse_assignments(source);
    REQUIRE_MESSAGE(parsed, "unexpected parse error for " << source);
    const auto err = check_assignments(*parsed.result, test_types{});
    if (!err) return "ok";
    return err->code + "@" + std::to_string(err->offset) + ": " + err->message;
}

std::string repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

TEST_CASE("expr: precedence and associativity") {
    CHECK(run("1+2*3") == "7");
    CHECK(run("1+2*3 == 7") == "true");
    CHECK(run("(1+2)*3") == "9");
    CHECK(run("10 - 4 - 3") == "3");
    CHECK(run("24 / 4 / 2") == "3");
    CHECK(run("2 - -3") == "5");
    CHECK(run("-2 * 3") == "-6");
    CHECK(run("- - 3") == "3");
    CHECK(run("7 / 2") == "3.5");
    CHECK(run("not true or true") == "true");
    CHECK(run("not (true or true)") == "false");
    CHECK(run("true or false and false") == "true");
    CHECK(run("(true or false) and false") == "false");
    CHECK(run("not 1 < 2") == "false");
    CHECK(run("not not true") == "true");
    CHECK(run("1 + 2 < 4 and 'a' == 'a'") == "true");
    CHECK(run("1 + 1 >= 2 == true") == "parse error: comparisons cannot be chained; combine them with 'and' (a < b and b < c)");
}

TEST_CASE("expr: literals and string escapes") {
    CHECK(run("'it\\'s'") == "'it's'");
    CHECK(run("'back\\\\slash'") == "'back\\slash'");
    CHECK(run("\"say \\\"hi\\\"\"") == "'say \"hi\"'");
    CHECK(run("\"it's\"") == "'it's'");
    CHECK(run("'say \"hi\"'") == "'say \"hi\"'");
    CHECK(run("'a;b' + ''") == "'a;b'");
    CHECK(run("'café'") == "'café'");
    CHECK(run(".5") == "0.5");
    CHECK(run("3.25") == "3.25");
    CHECK(run("007") == "7");
    CHECK(run("true") == "true");
    CHECK(run("false") == "false");
    CHECK(run("  \t1 \n") == "1");
    // Keywords are case-sensitive: True is a (here unset) variable name.
    CHECK(run("True") == "error: variable 'True' has no value yet");
    CHECK(parse_ok(" a == 1 ").source() == " a == 1 ");
}

TEST_CASE("expr: syntax errors carry the offset of the offending token") {
    struct expected_error {
        const char* source;
        std::size_t offset;
        const char* message;
    };
    const expected_error cases[] = {
        {"", 0, "the expression is empty"},
        {"   ", 3, "the expression is empty"},
        // The open group is quoted, not given a column: the diagnostic's own position is
        // already where the ')' is missing, in file columns.
        {"(1 + 2", 6, "expected ')' to close '(1 + 2'"},
        {"1 + (2 * 3", 10, "expected ')' to close '(2 * 3'"},
        {"'é' == (1", 10, "expected ')' to close '(1'"},
        {"(1 2)", 3, "expected ')' to close '(1'"},
        {"(a == 1 or (b > 2)  ", 20, "expected ')' to close '(a == 1 or (b > 2)'"},
        {"1 2", 2, "unexpected '2'; is an operator such as 'and' missing?"},
        {"a x", 2, "unexpected 'x'; is an operator such as 'and' missing?"},
        {"a )", 2, "unexpected ')' without a matching '('"},
        {"plan = 'basic'", 5, "unexpected '='; write '==' to compare"},
        {"a AND b", 2, "unexpected 'AND'; keywords are lowercase: write 'and'"},
        // The capitalised keyword is read as a variable; the error is at it, not at the next word.
        {"NOT vip", 0, "unexpected 'NOT'; keywords are lowercase: write 'not'"},
        {"Not (a or b)", 0, "unexpected 'Not'; keywords are lowercase: write 'not'"},
        {"1 < 2 < 3", 6, "comparisons cannot be chained; combine them with 'and' (a < b and b < c)"},
        {"'abc", 0, "unterminated string: add the closing '"},
        {"a == \"abc", 5, "unterminated string: add the closing \""},
        {"'abc\\", 0, "unterminated string: add the closing '"},
        {"'\\\x01'", 1, "unknown escape byte 0x01 in string; only \\' \\\" and \\\\ are allowed"},
        {"a == 'x\\qy'", 7, "unknown escape '\\q' in string; only \\' \\\" and \\\\ are allowed"},
        {"1 +", 3, "expected a value, but found the end of the expression"},
        {"()", 1, "expected a value, but found ')'"},
        {"1 * * 2", 4, "expected a value, but found '*'"},
        {"not", 3, "expected a value, but found the end of the expression"},
        {"a or and b", 5, "expected a value, but found 'and'"},
        {"12abc", 0, "invalid number '12abc'"},
        {"1.2.3 + 1", 0, "invalid number '1.2.3'"},
        {"1. + 2", 0, "invalid number '1.'"},
        {"a && b", 2, "unexpected '&'; write 'and'"},
        {"a || b", 2, "unexpected '|'; write 'or'"},
        {"!a", 0, "unexpected '!'; write 'not' to negate and '!=' for 'not equal'"},
        {"a ; b", 2, "unexpected ';'"},
        {"a - ", 4, "expected a value, but found the end of the expression"},
        {"a # b", 2, "unexpected '#'"},
        {"x == é", 5, "unexpected 'é'"},
        {"a\x01", 1, "unexpected byte 0x01"},
        {"a \xC3(", 2, "unexpected byte 0xC3"},
        {"\x7F", 0, "unexpected byte 0x7F"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.source);
        const auto e = parse_error(c.source);
        CHECK(e.code == "expr-syntax");
        CHECK(e.offset == c.offset);
        CHECK(e.message == c.message);
    }
    const auto huge = parse_error("1" + std::string(400, '0'));
    CHECK(huge.code == "expr-syntax");
    CHECK(huge.message == "number '" + std::string(40, '0').replace(0, 1, "1") + "...' is too large");
    // Long tokens are shortened in messages.
    const auto long_word = parse_error("a " + std::string(100, 'x'));
    CHECK(long_word.message.find(std::string(40, 'x') + "...'") != std::string::npos);
    CHECK(long_word.message.find(std::string(41, 'x')) == std::string::npos);
}

TEST_CASE("expr: nesting deeper than the limit fails cleanly") {
    SUBCASE("10,000 parentheses") {
        const auto e = parse_error(std::string(10000, '(') + "1" + std::string(10000, ')'));
        CHECK(e.code == "expr-too-deep");
        CHECK(e.offset == static_cast<std::size_t>(max_expression_depth));
        CHECK(e.message == "expression nested too deeply (more than 200 levels)");
    }
    SUBCASE("10,000 nots") {
        const auto e = parse_error(repeat("not ", 10000) + "true");
        CHECK(e.code == "expr-too-deep");
        CHECK(e.offset == 4u * max_expression_depth);
    }
    SUBCASE("10,000 minus signs") {
        const auto e = parse_error(repeat("- ", 10000) + "1");
        CHECK(e.code == "expr-too-deep");
        CHECK(e.offset == 2u * max_expression_depth);
    }
    SUBCASE("10,000 levels inside an assignment") {
        const auto r = parse_assignments("a = " + std::string(10000, '(') + "1" + std::string(10000, ')'));
        REQUIRE(!r);
        CHECK(r.error->code == "expr-too-deep");
        CHECK(r.error->offset == 4u + max_expression_depth);
    }
    SUBCASE("exactly the limit still works") {
        const int n = max_expression_depth;
        CHECK(run(std::string(n, '(') + "1" + std::string(n, ')')) == "1");
        CHECK(run(repeat("not ", n) + "true") == "true");
        CHECK(run(repeat("- ", n - 1) + "1") == "-1");
        CHECK(parse_error(std::string(n + 1, '(') + "1" + std::string(n + 1, ')')).code == "expr-too-deep");
    }
    SUBCASE("mixed nesting counts together") {
        const auto e = parse_error(repeat("(not -", 100) + "1" + std::string(100, ')'));
        CHECK(e.code == "expr-too-deep");
    }
}

TEST_CASE("expr: long flat chains") {
    SUBCASE("a long sum is evaluated and checked without deep recursion") {
        const auto src = "1" + repeat(" + 1", 4999);
        CHECK(run(src) == "5000");
        CHECK(check(src) == "number");
        CHECK(run("1" + repeat(" + 1", 3999) + " == 4000") == "true");
    }
    SUBCASE("long and/or chains") {
        CHECK(run("true" + repeat(" and true", 3000)) == "true");
        CHECK(run("false" + repeat(" or false", 3000) + " or true") == "true");
        CHECK(variables_read(parse_ok("a" + repeat(" + b", 3000))) == std::vector<std::string>{"a", "b"});
    }
    SUBCASE("100,000 terms are refused as too long") {
        const auto e = parse_error("1" + repeat("+1", 99999));
        CHECK(e.code == "expr-too-deep");
        CHECK(e.message.find("expression too long") == 0);
        CHECK(e.offset > 0);
        CHECK(e.offset < 200000);
        const auto r = parse_assignments("a = 1" + repeat("*1", 99999));
        REQUIRE(!r);
        CHECK(r.error->code == "expr-too-deep");
    }
}

TEST_CASE("expr: type checking") {
    CHECK(check("reboots + 1") == "number");
    CHECK(check("account + '-x'") == "text");
    CHECK(check("plan") == "text");
    CHECK(check("vip and reboots > 2") == "flag");
    CHECK(check("plan == 'business' or plan == account") == "flag");
    CHECK(check("vip == true") == "flag");
    CHECK(check("-(reboots * 2) / 3") == "number");

    CHECK(check("'a' + 1") == "expr-type@4: '+' cannot mix types: the left side is text and the right side is a number");
    CHECK(check("1 + 2 + vip") == "expr-type@8: '+' adds numbers or joins texts, but the right side is true or false");
    CHECK(check("vip + 1") == "expr-type@0: '+' adds numbers or joins texts, but the left side is true or false");
    CHECK(check("1 - 'a'") == "expr-type@4: '-' needs numbers on both sides, but the right side is text");
    CHECK(check("account - 1") == "expr-type@0: '-' needs numbers on both sides, but the left side is text");
    CHECK(check("2 * vip") == "expr-type@4: '*' needs numbers on both sides, but the right side is true or false");
    CHECK(check("note / 2") == "expr-type@0: '/' needs numbers on both sides, but the left side is text");
    CHECK(check("not 3") == "expr-type@4: 'not' needs true or false, but this is a number");
    CHECK(check("-'a'") == "expr-type@1: '-' needs a number, but this is text");
    CHECK(check("reboots and vip") == "expr-type@0: 'and' needs true or false on both sides, but the left side is a number");
    CHECK(check("vip or (account)") == "expr-type@8: 'or' needs true or false on both sides, but the right side is text");
    CHECK(check("reboots == 'x'") == "expr-type@8: '==' compares values of the same type, but the left side is a number and the right side is text");
    CHECK(check("vip != 1") == "expr-type@4: '!=' compares values of the same type, but the left side is true or false and the right side is a number");
    CHECK(check("account < 3") == "expr-type@0: '<' compares numbers or dates, but the left side is text");
    CHECK(check("3 >= vip") == "expr-type@5: '>=' compares numbers or dates, but the right side is true or false");
    CHECK(check("reboots * 2 / 0") == "expr-type@14: division by 0 fails whenever it runs; divide by another number");
    CHECK(check("reboots / 0.0 > 1") == "expr-type@10: division by 0 fails whenever it runs; divide by another number");
    CHECK(check("reboots / -0") == "expr-type@10: division by 0 fails whenever it runs; divide by another number");
    CHECK(check("reboots / (1 - 1)") == "number");  // computed: left to run time
    CHECK(check("0 / reboots") == "number");
}

TEST_CASE("expr: undeclared variables suggest a declared name") {
    const auto near = check("reboot > 1");
    CHECK(near.rfind("undeclared-variable@0: 'reboot' is not a declared variable", 0) == 0);
    CHECK(near.find("did you mean 'reboots'?") != std::string::npos);
    CHECK(check("vip and (1 + zzzzzz > 2)") ==
          "undeclared-variable@13: 'zzzzzz' is not a declared variable; declare it in <variables>");
    // The first problem in reading order is reported.
    CHECK(check("nope + 'x' == 1").rfind("undeclared-variable@0", 0) == 0);
    // An option or yes/no left unquoted is named as what it is.
    CHECK(check("plan == business") == "undeclared-variable@8: 'business' is not a declared variable; to mean the "
                                       "option 'business' of 'plan', quote it: 'business'");
    CHECK(check("vip == yes") == "undeclared-variable@7: 'yes' is not a declared variable; for a flag, write true");
    CHECK(check("vip == True") ==
          "undeclared-variable@7: 'True' is not a declared variable; keywords are lowercase: write 'true'");
}

TEST_CASE("expr: choice variables compare only with their options") {
    CHECK(check("plan == 'business'") == "flag");
    CHECK(check("plan != 'basic'") == "flag");
    CHECK(check("plan == account") == "flag");
    CHECK(check("plan == 'platinum'") == "expr-type@8: 'platinum' is not an option of plan (basic, plus, business); "
                                         "use one of them, or add it to the options of plan");
    CHECK(check("'gold' != plan") == "expr-type@0: 'gold' is not an option of plan (basic, plus, business); "
                                     "use one of them, or add it to the options of plan");
    CHECK(check("vip and (plan == ('Basic'))") ==
          "expr-type@18: 'Basic' is not an option of plan (basic, plus, business); did you mean 'basic'?");
    CHECK(check("plan == 'busniess'") ==
          "expr-type@8: 'busniess' is not an option of plan (basic, plus, business); did you mean 'business'?");
    CHECK(check("plan == 3") ==
          "expr-type@5: '==' compares values of the same type, but the left side is text and the right side is a number");
    // Text built at runtime cannot be checked statically.
    CHECK(check("plan == 'bas' + 'ic'") == "flag");
}

TEST_CASE("expr: conditions must be flags") {
    const test_types types;
    CHECK_FALSE(check_condition(parse_ok("vip"), types));
    CHECK_FALSE(check_condition(parse_ok("reboots >= 2 and not vip"), types));
    const auto number = check_condition(parse_ok("reboots + 1"), types);
    REQUIRE(number);
    CHECK(number->code == "expr-type");
    CHECK(number->offset == 0);
    CHECK(number->message == "condition must be true or false, but this is a number");
    const auto text = check_condition(parse_ok("  account"), types);
    REQUIRE(text);
    CHECK(text->offset == 2);
    CHECK(text->message == "condition must be true or false, but this is text");
    const auto inner = check_condition(parse_ok("reboots > 'x'"), types);
    REQUIRE(inner);
    CHECK(inner->offset == 10);
    const auto empty = check_condition(expression{}, types);
    REQUIRE(empty);
    CHECK(empty->code == "expr-syntax");
}

TEST_CASE("expr: parsing assignments") {
    SUBCASE("statements and offsets") {
        const auto r = parse_assignments("a = 1; b = a + 1;");
        REQUIRE(r);
        const auto& list = *r.result;
        REQUIRE(list.size() == 2);
        CHECK(list[0].variable == "a");
        CHECK(list[0].variable_offset == 0);
        CHECK(list[0].value.source() == "1");
        CHECK(list[0].value_offset == 4);
        CHECK(list[1].variable == "b");
        CHECK(list[1].variable_offset == 7);
        CHECK(list[1].value.source() == "a + 1");
        CHECK(list[1].value_offset == 11);
        CHECK(run(list[1].value.source()) == "2");
        CHECK(to_display(*evaluate(list[1].value, test_values{}).result) == "2");
    }
    SUBCASE("empty statements") {
        CHECK(parse_assignments("").result->empty());
        CHECK(parse_assignments("  ;; ; ").result->empty());
        const auto r = parse_assignments(";; a = 1 ;; ;");
        REQUIRE(r);
        REQUIRE(r.result->size() == 1);
        CHECK((*r.result)[0].value.source() == "1");
        CHECK((*r.result)[0].variable_offset == 3);
    }
    SUBCASE("a ';' inside a string does not end the statement") {
        const auto r = parse_assignments("note = 'a;b' + \";\"; reboots = 1");
        REQUIRE(r);
        REQUIRE(r.result->size() == 2);
        CHECK((*r.result)[0].value.source() == "'a;b' + \";\"");
        CHECK(run((*r.result)[0].value.source()) == "'a;b;'");
        CHECK((*r.result)[1].variable == "reboots");
    }
    SUBCASE("errors") {
        struct expected_error {
            const char* source;
            std::size_t offset;
            const char* message;
        };
        const expected_error cases[] = {
            {"a 1", 2, "expected '=' after 'a'"},
            {"a", 1, "expected '=' after 'a'"},
            {"a == 1", 2, "expected '=' after 'a'; assign with a single '=' (write '==' only to compare)"},
            {"1 = 2", 0, "expected a variable name to assign to, but found '1'"},
            {"true = 1", 0, "'true' is a keyword, not a variable name"},
            {"a = ;", 4, "expected a value after 'a ='"},
            {"a =", 3, "expected a value after 'a ='"},
            {"a = 1;  b =  ", 13, "expected a value after 'b ='"},
            {"a = 1 b = 2", 6, "unexpected 'b'; separate assignments with ';'"},
            {"a = 1 = 2", 6, "unexpected '='; write '==' to compare"},
            {"a = (1", 6, "expected ')' to close '(1'"},
            {"a = 1; b = 'x", 11, "unterminated string: add the closing '"},
            {"a = 1; @", 7, "unexpected '@'"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.source);
            const auto r = parse_assignments(c.source);
            REQUIRE(!r);
            CHECK(r.error->code == "expr-syntax");
            CHECK(r.error->offset == c.offset);
            CHECK(r.error->message == c.message);
        }
    }
}

TEST_CASE("expr: checking assignments") {
    CHECK(check_set("reboots = reboots + 1; plan = 'plus'; vip = not vip") == "ok");
    CHECK(check_set("plan = account; note = account + plan") == "ok");
    CHECK(check_set("") == "ok");
    const auto near = check_set("a = 1; reboot = 1");
    CHECK(near.rfind("undeclared-variable@7: 'reboot' is not a declared variable", 0) == 0);
    CHECK(near.find("did you mean 'reboots'?") != std::string::npos);
    CHECK(check_set("vip = true; reboots = 'x'") == "expr-type@22: 'reboots' holds a number, but this value is text");
    CHECK(check_set("vip = 1") == "expr-type@6: 'vip' holds true or false, but this value is a number");
    CHECK(check_set("plan = 3") == "expr-type@7: 'plan' holds text, but this value is a number");
    CHECK(check_set("plan = 'gold'") == "expr-type@7: 'gold' is not an option of plan (basic, plus, business); "
                                        "use one of them, or add it to the options of plan");
    // Assignments and comparisons give the same message, suggestion included.
    CHECK(check_set("reboots = 1; plan = 'plsu'") ==
          "expr-type@20: 'plsu' is not an option of plan (basic, plus, business); did you mean 'plus'?");
    CHECK(check_set("plan = ('basic')") == "ok");
    CHECK(check_set("x = 1; reboots = vip + 1").rfind("undeclared-variable@0", 0) == 0);
    // Offsets of errors inside a value count from the start of the whole `set`.
    CHECK(check_set("reboots = 1 + zzzzzz") ==
          "undeclared-variable@14: 'zzzzzz' is not a declared variable; declare it in <variables>");
    CHECK(check_set("a = 2;  reboots = 1 + 'a'") ==
          "expr-type@20: '+' cannot mix types: the left side is a number and the right side is text");
    CHECK(check_set("note = plan == 'gold'") ==
          "expr-type@15: 'gold' is not an option of plan (basic, plus, business); "
          "use one of them, or add it to the options of plan");
}

TEST_CASE("expr: a choice variable assigned or compared with another choice variable") {
    test_types types;
    types.add("tier", var_type::choice, {"basic", "plus"});            // all of them are plan's
    types.add("level", var_type::choice, {"basic", "gold"});           // 'gold' is not
    types.add("colour", var_type::choice, {"red", "green"});           // nothing in common
    const auto set = [&](std::string_view source) {
        const auto parsed = parse_assignments(source);
        REQUIRE(parsed);
        const auto e = check_assignments(*parsed.result, types);
        return e ? e->code + "@" + std::to_string(e->offset) + ": " + e->message : std::string("ok");
    };
    const auto condition = [&](std::string_view source) {
        const auto e = check_condition(parse_ok(source), types);
        return e ? e->code + "@" + std::to_string(e->offset) + ": " + e->message : std::string("ok");
    };
    CHECK(set("plan = tier") == "ok");
    CHECK(set("plan = plan") == "ok");
    CHECK(set("a = 1; plan = level") == "expr-type@14: level can be 'gold', which is not an option of plan (basic, "
                                        "plus, business); give both variables the options the call needs");
    CHECK(condition("plan == level") == "ok");  // 'basic' is in both
    CHECK(condition("colour != plan") ==
          "expr-type@10: plan (basic, plus, business) and colour (red, green) have no option in common, so they "
          "are never equal; compare each with one of its options");
}

TEST_CASE("expr: evaluation") {
    CHECK(run("reboots >= 2 and plan == 'plus'") == "true");
    CHECK(run("reboots / 4") == "0.5");
    CHECK(run("account + '!'") == "'12345678!'");
    CHECK(run("note == ''") == "true");
    CHECK(run("vip == true") == "true");
    CHECK(run("1 == 1.0") == "true");
    CHECK(run("'a' != 'b'") == "true");
    CHECK(run("'a' != 'a'") == "false");
    CHECK(run("0.1 + 0.2") == "0.30000000000000004");
    CHECK(run("b - a * 3") == "7");
    CHECK(run("b <= 10 and b < 10") == "false");
    CHECK(run("b > 9.5") == "true");

    SUBCASE("division by zero") {
        CHECK(run("1 / 0") == "error: division by zero");
        CHECK(run("reboots / (reboots - 2)") == "error: division by zero");
        CHECK(run("0 / 0 == 0") == "error: division by zero");
    }
    SUBCASE("unset variables") {
        CHECK(run("missing") == "error: variable 'missing' has no value yet");
        CHECK(run("missing + 1 > 0") == "error: variable 'missing' has no value yet");
        CHECK(run("true and missing > 1") == "error: variable 'missing' has no value yet");
    }
    SUBCASE("and/or short-circuit") {
        CHECK(run("false and missing > 1") == "false");
        CHECK(run("true or missing > 1") == "true");
        CHECK(run("vip or 1 / 0 == 1") == "true");
        CHECK(run("not vip and 1 / 0 == 1") == "false");
        CHECK(run("false or true and missing > 1") == "error: variable 'missing' has no value yet");
    }
    SUBCASE("unchecked expressions fail without crashing") {
        CHECK(run("1 + 'a'") == "error: '+' needs two numbers or two texts");
        CHECK(run("'a' * 2") == "error: '*' needs numbers");
        CHECK(run("not 1") == "error: 'not' needs true or false");
        CHECK(run("-vip") == "error: '-' needs a number");
        CHECK(run("1 and true") == "error: 'and' needs true or false");
        CHECK(run("1 == '1'") == "error: '==' compares values of different types");
        CHECK(run("'a' < 'b'") == "error: '<' compares numbers or dates only");
        const std::string big = "1" + std::string(300, '0');
        CHECK(run(big + " * " + big) == "error: number too large");
        // A text grown past max_text_bytes (a loop doubling it) fails instead of taking
        // all the memory; one just under it is fine.
        test_values values;
        values.values["t"] = std::string(max_text_bytes / 2, 'x');
        CHECK(run("t + t", values).size() == max_text_bytes + 2);  // quoted
        CHECK(run("t + t + 'y'", values) == "error: text too long (over 65536 bytes)");
    }
    SUBCASE("values of variables may change between evaluations") {
        const auto e = parse_ok("reboots >= 2");
        test_values values;
        CHECK(std::get<bool>(*evaluate(e, values).result));
        values.values["reboots"] = 1.0;
        CHECK_FALSE(std::get<bool>(*evaluate(e, values).result));
    }
    SUBCASE("an expression outlives its copies") {
        expression copy;
        {
            const auto original = parse_ok("a + b");
            copy = original;
        }
        CHECK(to_display(*evaluate(copy, test_values{}).result) == "11");
        CHECK(copy.source() == "a + b");
    }
    SUBCASE("an empty expression gives an error") {
        const auto r = evaluate(expression{}, test_values{});
        CHECK_FALSE(r.result);
        CHECK_FALSE(r.error.empty());
    }
}

TEST_CASE("expr: variables_read") {
    CHECK(variables_read(parse_ok("a + b * a > reboots or not vip")) ==
          std::vector<std::string>{"a", "b", "reboots", "vip"});
    CHECK(variables_read(parse_ok("(plan == 'x') and -(account) == note")) ==
          std::vector<std::string>{"plan", "account", "note"});
    CHECK(variables_read(parse_ok("1 + 2")).empty());
    CHECK(variables_read(parse_ok("'a' == \"b\"")).empty());
    CHECK(variables_read(expression{}).empty());
}

TEST_CASE("expr: value display") {
    CHECK(to_display(value{3.0}) == "3");
    CHECK(to_display(value{-2.0}) == "-2");
    CHECK(to_display(value{2.5}) == "2.5");
    CHECK(to_display(value{0.0}) == "0");
    CHECK(to_display(value{-0.0}) == "0");
    CHECK(to_display(value{0.1}) == "0.1");
    CHECK(to_display(value{1.0 / 3.0}) == "0.3333333333333333");
    CHECK(to_display(value{123456789012.0}) == "123456789012");
    CHECK(to_display(value{1e20}) == "1e+20");
    CHECK(to_display(value{1e-7}) == "1e-07");
    CHECK(to_display(value{true}) == "true");
    CHECK(to_display(value{false}) == "false");
    CHECK(to_display(value{std::string("  as is ")}) == "  as is ");
}

TEST_CASE("expr: value parsing") {
    const auto num = [](std::string_view s) -> std::optional<double> {
        const auto v = parse_value(var_type::number, s);
        if (!v) return std::nullopt;
        return std::get<double>(*v);
    };
    CHECK(num("42") == 42.0);
    CHECK(num(" 42 ") == 42.0);
    CHECK(num("\t3.5\n") == 3.5);
    CHECK(num("-1") == -1.0);
    CHECK(num("+5") == 5.0);
    CHECK(num("1e3") == 1000.0);
    CHECK(num(".5") == 0.5);
    CHECK_FALSE(num(""));
    CHECK_FALSE(num("   "));
    CHECK_FALSE(num("abc"));
    CHECK_FALSE(num("12abc"));
    CHECK_FALSE(num("1 2"));
    CHECK_FALSE(num("1,000"));
    CHECK_FALSE(num("+-1"));
    CHECK_FALSE(num("inf"));
    CHECK_FALSE(num("nan"));
    CHECK_FALSE(num("1e999"));
    CHECK_FALSE(num("12345.6e305"));
    CHECK_FALSE(num("-1e99999999999999999999"));
    // Too small for a double rounds to 0, as xs:double and strtod do.
    CHECK(num("1e-999") == 0.0);
    CHECK(num("-0.5e-400") == 0.0);
    CHECK(num("12e-999") == 0.0);
    CHECK(num("0.000001e-330") == 0.0);
    CHECK(num("1e-99999999999999999999") == 0.0);
    CHECK(num("4.9e-324") > 0.0);  // the smallest denormal is not zero

    const auto flag = [](std::string_view s) -> std::optional<bool> {
        const auto v = parse_value(var_type::flag, s);
        if (!v) return std::nullopt;
        return std::get<bool>(*v);
    };
    CHECK(flag("true") == true);
    CHECK(flag("TRUE") == true);
    CHECK(flag("Yes") == true);
    CHECK(flag(" false ") == false);
    CHECK(flag("no") == false);
    CHECK(flag("NO") == false);
    CHECK_FALSE(flag("maybe"));
    CHECK_FALSE(flag("1"));
    CHECK_FALSE(flag(""));

    CHECK(std::get<std::string>(*parse_value(var_type::text, "  spaced ")) == "  spaced ");
    CHECK(std::get<std::string>(*parse_value(var_type::text, "")).empty());
    CHECK(std::get<std::string>(*parse_value(var_type::choice, "anything")) == "anything");
}

TEST_CASE("expr: type names and zero values") {
    for (const auto t : {var_type::number, var_type::text, var_type::flag, var_type::choice})
        CHECK(parse_var_type(to_string(t)) == t);
    CHECK(std::string(to_string(var_type::choice)) == "choice");
    CHECK_FALSE(parse_var_type("Number"));
    CHECK_FALSE(parse_var_type("string"));
    CHECK_FALSE(parse_var_type(""));
    CHECK(zero_value(var_type::number) == value{0.0});
    CHECK(zero_value(var_type::flag) == value{false});
    CHECK(zero_value(var_type::text) == value{std::string()});
    CHECK(zero_value(var_type::choice) == value{std::string()});
}

TEST_CASE("expr: dates compare in time, take days, and today needs no declaration") {
    CHECK(check("deadline < today") == "flag");
    CHECK(check("deadline >= '2026-12-24'") == "flag");
    CHECK(check("'2026-12-24' == deadline") == "flag");
    CHECK(check("deadline - today") == "number");
    CHECK(check("deadline - today <= 5") == "flag");
    CHECK(check("today + 3") == "date");
    CHECK(check("3 + today") == "date");
    CHECK(check("deadline - 7 > started") == "flag");
    CHECK(check("'2026-12-24' - today") == "number");
    // What does not fit says what would.
    CHECK(check("deadline < '24/12/2026'") ==
          "expr-type@11: '24/12/2026' is not a day: write dates as 'YYYY-MM-DD', e.g. '2026-12-24'");
    CHECK(check("deadline < '2026-02-30'").find("is not a day") != std::string::npos);
    CHECK(check("deadline + started") ==
          "expr-type@9: '+' cannot add two dates; take one from the other for the days between");
    CHECK(check("deadline + account") == "expr-type@11: '+' adds days (a number) to a date, but the right side is text");
    CHECK(check("3 - today") == "expr-type@0: '-' takes a date from a date, but the left side is a number");
    CHECK(check("deadline < 5") ==
          "expr-type@9: '<' compares values of the same type, but the left side is a date and the right side is a number");
    CHECK(check("account < deadline").find("compares numbers or dates, but the left side is text") != std::string::npos);
    CHECK(check_set("deadline = today + 14") == "ok");
    CHECK(check_set("deadline = '2027-01-15'") == "ok");
    CHECK(check_set("deadline = 'next week'").find("is not a day") != std::string::npos);
    CHECK(check_set("a = deadline - started") == "ok");
    CHECK(check_set("deadline = 3").find("'deadline' holds a date, but this value is a number") != std::string::npos);

    CHECK(run("deadline - today") == "23");
    CHECK(run("deadline - today <= 5") == "false");
    CHECK(run("today + 31") == "'2027-01-01'");
    CHECK(run("deadline - 365") == "'2025-12-24'");
    CHECK(run("started < today") == "true");
    CHECK(run("today == '2026-12-01'") == "true");
    CHECK(run("today - '2024-02-28'") == "1007");  // 2024 is a leap year
    CHECK(run("today + 0.5") == "error: a date moves by whole days, not 0.5");
    CHECK(run("today + 4000000") == "error: the date is beyond the year 9999 or before 0000");
}
