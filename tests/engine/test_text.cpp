#include <doctest/doctest.h>

#include <map>
#include <string>

#include "signpost/text.hpp"

using namespace signpost;

namespace {

const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD

std::optional<std::string> from(const std::map<std::string, std::string, std::less<>>& values,
                                std::string_view name) {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

}  // namespace

TEST_CASE("text: valid UTF-8 is accepted") {
    CHECK_FALSE(find_invalid_utf8("").has_value());
    CHECK_FALSE(find_invalid_utf8("plain ASCII\n\ttext").has_value());
    CHECK_FALSE(find_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80").has_value());  // é € 😀
    CHECK_FALSE(find_invalid_utf8("\xC2\x80").has_value());              // U+0080, smallest 2-byte
    CHECK_FALSE(find_invalid_utf8("\xED\x9F\xBF").has_value());          // U+D7FF, just below surrogates
    CHECK_FALSE(find_invalid_utf8("\xEE\x80\x80").has_value());          // U+E000, just above them
    CHECK_FALSE(find_invalid_utf8("\xF4\x8F\xBF\xBF").has_value());      // U+10FFFF, the last one
    CHECK_FALSE(find_invalid_utf8(std::string("a\0b", 3)).has_value());  // NUL is valid UTF-8
}

TEST_CASE("text: invalid UTF-8 is found at its first byte") {
    CHECK(find_invalid_utf8("caf\xE9") == 3u);                   // Latin-1 é
    CHECK(find_invalid_utf8("ab\x80") == 2u);                    // stray continuation byte
    CHECK(find_invalid_utf8("x\xC3") == 1u);                     // truncated at the end
    CHECK(find_invalid_utf8("\xE2\x82 ok") == 0u);               // truncated in the middle
    CHECK(find_invalid_utf8("ok \xF0\x9F\x98") == 3u);           // truncated 4-byte sequence
    CHECK(find_invalid_utf8("\xFF") == 0u);                      // never valid
    CHECK(find_invalid_utf8("\xF8\x88\x80\x80\x80") == 0u);      // old 5-byte form
    SUBCASE("overlong encodings") {
        CHECK(find_invalid_utf8("a\xC0\xAF") == 1u);              // '/' in two bytes
        CHECK(find_invalid_utf8("\xC1\xBF") == 0u);
        CHECK(find_invalid_utf8("\xE0\x80\xAF") == 0u);           // '/' in three bytes
        CHECK(find_invalid_utf8("\xE0\x9F\xBF") == 0u);           // U+07FF in three bytes
        CHECK(find_invalid_utf8("\xF0\x80\x80\xAF") == 0u);       // '/' in four bytes
        CHECK(find_invalid_utf8("\xF0\x8F\xBF\xBF") == 0u);       // U+FFFF in four bytes
        CHECK(find_invalid_utf8("\xC0\x80") == 0u);               // "modified UTF-8" NUL
    }
    SUBCASE("surrogates and beyond U+10FFFF") {
        CHECK(find_invalid_utf8("x\xED\xA0\x80") == 1u);          // U+D800
        CHECK(find_invalid_utf8("\xED\xBF\xBF") == 0u);           // U+DFFF
        CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0u);       // U+110000
        CHECK(find_invalid_utf8("\xF7\xBF\xBF\xBF") == 0u);
    }
    SUBCASE("a bad continuation byte inside a sequence") {
        CHECK(find_invalid_utf8("\xE2\x28\xA1") == 0u);
        CHECK(find_invalid_utf8("ok\xF0\x9F\x28\x80") == 2u);
    }
}

TEST_CASE("text: references are {name} with identifier names") {
    const auto refs = find_references("Account {account}, {reboots} reboots, {_x1}.");
    REQUIRE(refs.size() == 3);
    CHECK(refs[0].name == "account");
    CHECK(refs[0].offset == 8u);
    CHECK(refs[1].name == "reboots");
    CHECK(refs[1].offset == 19u);
    CHECK(refs[2].name == "_x1");
    CHECK(refs[2].offset == 38u);

    SUBCASE("doubled braces are literal") {
        CHECK(find_references("{{account}}").empty());
        const auto r = find_references("{{{plan}}}");  // literal brace, reference, literal brace
        REQUIRE(r.size() == 1);
        CHECK(r[0].name == "plan");
        CHECK(r[0].offset == 2u);
        CHECK(find_references("}}{x}")[0].offset == 2u);
    }
    SUBCASE("anything else in braces is plain text") {
        CHECK(find_references("{} {1abc} {two words} {a-b} { a } {unclosed").empty());
        CHECK(find_references("{").empty());
        CHECK(find_references("").empty());
        const auto r = find_references("{a{b}");
        REQUIRE(r.size() == 1);
        CHECK(r[0].name == "b");
        CHECK(r[0].offset == 2u);
    }
}

TEST_CASE("text: interpolation fills in known names and keeps the rest as written") {
    const std::map<std::string, std::string, std::less<>> values{{"account", "12345678"}, {"reboots", "2"},
                                                                 {"empty", ""}};
    const auto lookup = [&](std::string_view name) { return from(values, name); };
    CHECK(interpolate("Account {account}, {reboots} reboots", lookup) == "Account 12345678, 2 reboots");
    CHECK(interpolate("[{empty}]", lookup) == "[]");
    CHECK(interpolate("{unknown} stays", lookup) == "{unknown} stays");
    CHECK(interpolate("{{account}} is {account}", lookup) == "{account} is 12345678");
    CHECK(interpolate("set {{ and }} and }", lookup) == "set { and } and }");
    CHECK(interpolate("{two words} {1x} {", lookup) == "{two words} {1x} {");
    CHECK(interpolate("", lookup).empty());
    CHECK(interpolate("{account}{account}", lookup) == "1234567812345678");
    // A value that ends a sentence takes the place of the text's full stop after it.
    const auto scope = [](std::string_view name) -> std::optional<std::string> {
        if (name == "done") return "Billing signs off.";
        if (name == "asked") return "Is it on?";
        if (name == "plain") return "Billing signs off";
        return std::nullopt;
    };
    CHECK(interpolate("Done: {done}. Next", scope) == "Done: Billing signs off. Next");
    CHECK(interpolate("Asked: {asked}.", scope) == "Asked: Is it on?");
    CHECK(interpolate("Done: {plain}.", scope) == "Done: Billing signs off.");
    CHECK(interpolate("Done: {done}...", scope) == "Done: Billing signs off....");  // the author's ellipsis stays
    // A value that itself looks like a reference is not expanded again.
    const auto echo = [](std::string_view name) -> std::optional<std::string> {
        return "{" + std::string(name) + "}";
    };
    CHECK(interpolate("{a}", echo) == "{a}");
    CHECK(interpolate("caf\xC3\xA9 {a}", [](std::string_view) -> std::optional<std::string> { return "\xE2\x82\xAC"; }) ==
          "caf\xC3\xA9 \xE2\x82\xAC");
}

TEST_CASE("text: neutralise_controls makes text terminal-safe") {
    CHECK(neutralise_controls("plain text") == "plain text");
    CHECK(neutralise_controls("lines\nand\ttabs stay") == "lines\nand\ttabs stay");
    CHECK(neutralise_controls("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
    SUBCASE("escape sequences lose their ESC, so the terminal never interprets them") {
        CHECK(neutralise_controls("\x1B[31mred\x1B[0m") == replacement + "[31mred" + replacement + "[0m");
        CHECK(neutralise_controls("\x1B]0;title\x07") == replacement + "]0;title" + replacement);  // OSC + BEL
        CHECK(neutralise_controls("a\x1B" "c") == "a" + replacement + "c");  // ESC c resets the terminal
    }
    SUBCASE("other C0 controls, DEL and C1 controls") {
        CHECK(neutralise_controls("a\rb") == "a" + replacement + "b");
        CHECK(neutralise_controls(std::string("a\0b", 3)) == "a" + replacement + "b");
        CHECK(neutralise_controls("\x08\x0B\x0C\x1F") == replacement + replacement + replacement + replacement);
        CHECK(neutralise_controls("x\x7Fy") == "x" + replacement + "y");
        CHECK(neutralise_controls("\xC2\x9B" "31m") == replacement + "31m");  // C1 CSI, U+009B
        CHECK(neutralise_controls("\xC2\x80\xC2\x9F") == replacement + replacement);
        CHECK(neutralise_controls("\xC2\xA0") == "\xC2\xA0");  // U+00A0 is printable
    }
    SUBCASE("invalid UTF-8 bytes become U+FFFD each") {
        CHECK(neutralise_controls("caf\xE9!") == "caf" + replacement + "!");
        CHECK(neutralise_controls("\xC0\xAF") == replacement + replacement);  // overlong '/'
        CHECK(neutralise_controls("\xED\xA0\x80") == replacement + replacement + replacement);  // surrogate
        CHECK(neutralise_controls("ok\xE2\x82") == "ok" + replacement + replacement);  // truncated
    }
}

TEST_CASE("text: display width counts the columns a terminal gives each character") {
    CHECK(display_width("") == 0);
    CHECK(display_width("router") == 6);
    CHECK(display_width("caf\xC3\xA9") == 4);                  // café, precomposed
    CHECK(display_width("cafe\xCC\x81") == 4);                 // café, e + combining acute
    CHECK(display_width("\xE9\x9B\xBB\xE6\xBA\x90") == 4);     // 電源: wide
    CHECK(display_width("\xEC\xB2\x9C") == 2);                 // 천: Hangul syllable
    CHECK(display_width("\xEF\xBC\x81") == 2);                 // ！ fullwidth
    CHECK(display_width("\xEF\xBD\xB1") == 1);                 // ｱ halfwidth katakana
    CHECK(display_width("\xD0\x96") == 1);                     // Ж
    CHECK(display_width("\xF0\x9F\x98\x80") == 2);             // 😀
    CHECK(display_width("\xF0\xA0\x80\x8B") == 2);             // U+2000B, a supplementary ideograph
    CHECK(display_width("a\xE2\x80\x8B" "b") == 2);            // zero-width space
    CHECK(display_width("ok\xE2\x82") == 4);                   // a truncated sequence: a column per byte
    CHECK(display_width("\xE2\x9C\x85") == 2);                 // ✅ emoji presentation
    CHECK(display_width("\xF0\x9F\x9A\x80") == 2);             // 🚀
    CHECK(display_width("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB") == 2);  // 한 as jamo: 2 + 0 + 0
    CHECK(display_width("\xE3\x81\x8B\xE3\x82\x99") == 2);   // か + combining voicing mark
    CHECK(display_width("\xEF\xBB\xBF" "a") == 1);              // byte order mark
}

TEST_CASE("text: fitting to a width cuts between whole characters") {
    const std::string title = "\xE9\x9B\xBB\xE6\xBA\x90" "ab";  // 電源ab: 6 columns
    CHECK(fit_display_width(title, 6) == title);
    CHECK(fit_display_width(title, 5) == "\xE9\x9B\xBB\xE6\xBA\x90" "a");
    CHECK(fit_display_width(title, 3) == "\xE9\x9B\xBB");  // 源 would make 4
    CHECK(fit_display_width(title, 1).empty());
    CHECK(fit_display_width("abc", 0).empty());
}

TEST_CASE("text: a JSON string is valid JSON whatever bytes it is given") {
    std::string out;
    append_json_string(out, std::string("a\"b\\c\nd\x01 \xff<x> \x7f \xE2\x80\xA8", 19));
    CHECK(out == "\"a\\\"b\\\\c\\nd\\u0001 \xEF\xBF\xBD<x> \x7f \\u2028\"");
    out.clear();
    append_json_string(out, "<script> \x7f", true);  // to sit inside HTML
    CHECK(out == "\"\\u003cscript> \\u007f\"");
}
