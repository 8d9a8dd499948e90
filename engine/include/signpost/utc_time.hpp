#pragma once
// Dates and times as people type them in reports: UTC days and ISO 8601 timestamps.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signpost {

// Milliseconds since the Unix epoch for "2024-03-01" (midnight UTC) or an ISO 8601
// timestamp "2024-03-01T14:30", "…T14:30:05", "…T14:30:05.250", with "Z" or an offset
// ("+02:00", "-0500"); without one it is UTC. A space may stand for the "T".
// nullopt for anything else, including impossible dates (2023-02-29) and times (24:00).
std::optional<std::int64_t> parse_utc_time(std::string_view text);

// True when `text` is a bare day ("2024-03-01"), which a range end means inclusively.
bool is_utc_day(std::string_view text);

// "2024-03-01 14:30:05" (UTC, whole seconds).
std::string format_utc_time(std::int64_t ms);

// "2024-03-01" (UTC).
std::string format_utc_day(std::int64_t ms);

// later - earlier in milliseconds, saturated to the int64 range: times read from a log are
// input and may hold any int64, so a plain subtraction could overflow.
std::int64_t elapsed_ms(std::int64_t earlier, std::int64_t later);

}  // namespace signpost
