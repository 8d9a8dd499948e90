// Calendar days (signpost/calendar_date.hpp): what a `date` field takes from an agent.
#include <doctest/doctest.h>

#include <string>

#include "signpost/calendar_date.hpp"
#include "signpost/value.hpp"

using namespace signpost;

namespace {

const std::int64_t tuesday = *parse_iso_day("2026-12-01");

// The day typed, as ISO, or "! error".
std::string typed(std::string_view text, std::optional<std::int64_t> today = tuesday) {
    const typed_date d = read_typed_date(text, today);
    return d.days ? format_iso_day(*d.days) : "! " + d.error;
}

}  // namespace

TEST_CASE("calendar date: ISO days, round trip and impossible days") {
    CHECK(parse_iso_day("1970-01-01") == 0);
    CHECK(parse_iso_day("2026-12-01") == tuesday);
    CHECK(format_iso_day(tuesday) == "2026-12-01");
    CHECK(format_long_day(tuesday) == "Tue 1 Dec 2026");
    CHECK(parse_iso_day("2024-02-29"));
    CHECK_FALSE(parse_iso_day("2027-02-29"));
    CHECK_FALSE(parse_iso_day("2026-13-01"));
    CHECK_FALSE(parse_iso_day("2026-1-01"));
    CHECK_FALSE(parse_iso_day("2026-12-01 "));
    CHECK_FALSE(parse_iso_day("２０２６-12-01"));
    for (std::int64_t d = -800000; d <= 3000000; d += 997) {
        const std::string iso = format_iso_day(d);
        if (d >= -719528 && d <= 2932896) CHECK(parse_iso_day(iso) == d);
    }
}

TEST_CASE("calendar date: what agents type is read as the day they mean, or refused saying what to type") {
    CHECK(typed("2026-12-24") == "2026-12-24");
    CHECK(typed("2026-12-4") == "2026-12-04");
    CHECK(typed("4 Dec 2026") == "2026-12-04");
    CHECK(typed("4 december 2026") == "2026-12-04");
    CHECK(typed("December 4, 2026") == "2026-12-04");
    CHECK(typed("dec 4") == "2026-12-04");
    CHECK(typed("25/12/2026") == "2026-12-25");
    CHECK(typed("12/25/2026") == "2026-12-25");
    CHECK(typed("4.4.2026") == "2026-04-04");
    CHECK(typed("today") == "2026-12-01");
    CHECK(typed("Tomorrow") == "2026-12-02");
    CHECK(typed("yesterday") == "2026-11-30");
    CHECK(typed("fri") == "2026-12-04");
    CHECK(typed("Tuesday") == "2026-12-01");  // today is one
    CHECK(typed("monday") == "2026-12-07");
    CHECK(typed("04/12/2026") == "! '04/12/2026' could be 4 Dec or 12 Apr; type it as 2026-12-04 or 4 Dec 2026");
    CHECK(typed("31 Feb 2026") == "! there is no day 2026-02-31; type it as 2026-12-04 or 4 Dec 2026");
    CHECK(typed("4/12/26") == "! write the year in full; type it as 2026-12-04 or 4 Dec 2026");
    CHECK(typed("next week") == "! 'next' is not a month; type it as 2026-12-04 or 4 Dec 2026");
    CHECK(typed("") == "! no date: type it as 2026-12-04 or 4 Dec 2026");
    CHECK(typed("99999999") == "! not a date; type it as 2026-12-04 or 4 Dec 2026");
    // Without a today (a file's default), words that depend on it are refused.
    CHECK(typed("tomorrow", std::nullopt).find("depends on the day it is read") != std::string::npos);
    CHECK(typed("dec 4", std::nullopt) == "! write the year too; type it as 2026-12-04 or 4 Dec 2026");
    // As a value: the ISO day.
    CHECK(parse_value(var_type::date, "fri", tuesday) == value{std::string("2026-12-04")});
    CHECK_FALSE(parse_value(var_type::date, "soon", tuesday));
    CHECK(parse_var_type("date") == var_type::date);
    CHECK(std::string(to_string(var_type::date)) == "date");
}
