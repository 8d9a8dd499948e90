#include "signpost/calendar_date.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <vector>

#include <fmt/format.h>

#include "signpost/text.hpp"

namespace signpost {

namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 12> month_names{"january", "february", "march",     "april",   "may",      "june",
                                                       "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> weekday_names{"sunday",   "monday", "tuesday", "wednesday",
                                                        "thursday", "friday", "saturday"};
constexpr std::int64_t first_day = -719528;  // 0000-01-01
constexpr std::int64_t last_day = 2932896;   // 9999-12-31

std::optional<std::int64_t> days_of(int y, unsigned m, unsigned d) {
    const year_month_day ymd{year{y}, month{m}, day{d}};
    if (!ymd.ok() || y < 0 || y > 9999) return std::nullopt;
    return sys_days{ymd}.time_since_epoch().count();
}

year_month_day civil(std::int64_t days) {
    if (days < first_day) days = first_day;
    if (days > last_day) days = last_day;
    return year_month_day{sys_days{std::chrono::days{days}}};
}

// A month or weekday by its name or any start of it of three letters or more ("dec",
// "decem"), or -1.
template <std::size_t N>
int by_name(const std::array<std::string_view, N>& names, std::string_view word) {
    if (word.size() < 3) return -1;
    for (std::size_t i = 0; i < N; ++i)
        if (names[i].starts_with(word)) return static_cast<int>(i);
    return -1;
}

// Words and numbers of the text: runs of letters or digits; anything else separates them.
struct token {
    std::string text;
    bool number = false;
};

std::vector<token> tokens_of(std::string_view s) {
    std::vector<token> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const bool digit = c >= '0' && c <= '9';
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!digit && !letter) {
            ++i;
            continue;
        }
        token t;
        t.number = digit;
        while (i < s.size()) {
            const auto k = static_cast<unsigned char>(s[i]);
            const bool same = digit ? (k >= '0' && k <= '9') : ((k >= 'a' && k <= 'z') || (k >= 'A' && k <= 'Z'));
            if (!same) break;
            t.text += static_cast<char>(k);
            ++i;
        }
        out.push_back(std::move(t));
    }
    return out;
}

// "Jan" for 1.
std::string month_abbrev(int m) {
    std::string out(month_names[static_cast<std::size_t>(m - 1)].substr(0, 3));
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

int to_int(const std::string& digits) { return digits.size() > 6 ? 1000000 : std::stoi(digits); }

const char* what_to_type = "type it as 2026-12-04 or 4 Dec 2026";

}  // namespace

std::optional<std::int64_t> parse_iso_day(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    const auto num = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
        return v;
    };
    return days_of(num(0, 4), static_cast<unsigned>(num(5, 2)), static_cast<unsigned>(num(8, 2)));
}

std::string format_iso_day(std::int64_t days) {
    const year_month_day ymd = civil(days);
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

std::string format_long_day(std::int64_t days) {
    const year_month_day ymd = civil(days);
    const unsigned wd = weekday{sys_days{ymd}}.c_encoding();
    std::string w(weekday_names[wd].substr(0, 3));
    w[0] = static_cast<char>(w[0] - 'a' + 'A');
    return fmt::format("{} {} {} {}", w, static_cast<unsigned>(ymd.day()), month_abbrev(static_cast<int>(static_cast<unsigned>(ymd.month()))),
                       static_cast<int>(ymd.year()));
}

std::int64_t local_day(std::int64_t unix_ms) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm local{};
    if (!localtime_r(&seconds, &local)) return unix_ms / 86'400'000;
    return days_of(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1), static_cast<unsigned>(local.tm_mday))
        .value_or(unix_ms / 86'400'000);
}

typed_date read_typed_date(std::string_view text, std::optional<std::int64_t> today) {
    typed_date r;
    const std::vector<token> t = tokens_of(text);
    if (t.empty()) {
        r.error = std::string("no date: ") + what_to_type;
        return r;
    }
    const auto impossible = [&](int y, int m, int d) {
        r.error = fmt::format("there is no day {:04}-{:02}-{:02}; {}", y, m, d, what_to_type);
        return r;
    };
    const auto day = [&](int y, int m, int d) {
        if (m < 1 || m > 12 || d < 1 || d > 31 || y < 0 || y > 9999) return impossible(y, m, d);
        r.days = days_of(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
        if (!r.days) return impossible(y, m, d);
        return r;
    };
    const int this_year = today ? static_cast<int>(civil(*today).year()) : -1;

    // Words relative to today.
    if (t.size() == 1 && !t[0].number) {
        const std::string w = lower_ascii(t[0].text);
        const int wd = by_name(weekday_names, w);
        if (w == "today" || w == "tomorrow" || w == "yesterday" || wd >= 0) {
            if (!today) {
                r.error = "'" + std::string(text) + "' depends on the day it is read; write the day itself, as 2026-12-04";
                return r;
            }
            if (w == "tomorrow") r.days = *today + 1;
            else if (w == "yesterday") r.days = *today - 1;
            else if (wd >= 0) {
                const int now = static_cast<int>(weekday{sys_days{std::chrono::days{*today}}}.c_encoding());
                r.days = *today + (wd - now + 7) % 7;
            } else r.days = *today;
            return r;
        }
    }
    // All numbers: 2026-12-04, or day and month in either order with a year.
    if (t.size() == 3 && t[0].number && t[1].number && t[2].number) {
        const int a = to_int(t[0].text), b = to_int(t[1].text), c = to_int(t[2].text);
        if (t[0].text.size() == 4) return day(a, b, c);  // year first: always year, month, day
        if (t[2].text.size() != 4) {
            r.error = std::string("write the year in full; ") + what_to_type;
            return r;
        }
        const bool a_month = a >= 1 && a <= 12, b_month = b >= 1 && b <= 12;
        if (a_month && b_month && a != b) {
            r.error = fmt::format("'{}' could be {} {} or {} {}; {}", text, a, month_abbrev(b), b, month_abbrev(a),
                                  what_to_type);
            return r;
        }
        return b_month ? day(c, b, a) : day(c, a, b);
    }
    // A month by name, with a day and maybe a year in either order: "4 Dec 2026", "Dec 4".
    int month = -1, day_of_month = -1, year_number = -1;
    for (const token& k : t) {
        if (!k.number) {
            const int m = by_name(month_names, lower_ascii(k.text));
            if (m < 0 || month >= 0) {
                r.error = "'" + k.text + "' is not a month; " + what_to_type;
                return r;
            }
            month = m + 1;
        } else if (k.text.size() == 4 && year_number < 0) {
            year_number = to_int(k.text);
        } else if (k.text.size() <= 2 && day_of_month < 0) {
            day_of_month = to_int(k.text);
        } else {
            r.error = std::string("not a date; ") + what_to_type;
            return r;
        }
    }
    if (month < 0 || day_of_month < 0) {
        r.error = std::string("not a date; ") + what_to_type;
        return r;
    }
    if (year_number < 0) {
        if (this_year < 0) {
            r.error = std::string("write the year too; ") + what_to_type;
            return r;
        }
        year_number = this_year;
    }
    return day(year_number, month, day_of_month);
}

}  // namespace signpost
