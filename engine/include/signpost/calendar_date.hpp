#pragma once
// Calendar days as scripts hold them (a `date` variable): "2026-12-04", read from what an
// agent types ("4 Dec", "tomorrow", "friday") and counted in days for `if` and `set`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signpost {

// Days since 1970-01-01 for an ISO day "2026-12-04" (four-digit year, two-digit month and
// day); nullopt for anything else, impossible days (2027-02-29) included.
std::optional<std::int64_t> parse_iso_day(std::string_view text);

// "2026-12-04" for a day count (years 0000-9999; days beyond are clamped to them).
std::string format_iso_day(std::int64_t days);

// "Fri 4 Dec 2026": the day as the player reads it back to the agent.
std::string format_long_day(std::int64_t days);

// The calendar day of a moment in this machine's time zone (the agent's "today").
std::int64_t local_day(std::int64_t unix_ms);

// A typed date: the day, or why it is refused (message for the agent, saying what to type).
struct typed_date {
    std::optional<std::int64_t> days;
    std::string error;
};

// Reads what an agent types for a date: "2026-12-04", "4 Dec 2026", "December 4, 2026",
// "4 Dec" (this year), "25/12/2026" when only one reading is possible; with `today`
// also "today", "tomorrow", "yesterday" and a weekday ("fri": the next one, today
// included). Refused: "04/12/2026" (4 December or April 12?), impossible days, words it
// does not know.
typed_date read_typed_date(std::string_view text, std::optional<std::int64_t> today);

}  // namespace signpost
