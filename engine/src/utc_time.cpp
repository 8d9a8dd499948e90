#include "signpost/utc_time.hpp"

#include <chrono>
#include <limits>

#include <fmt/format.h>

namespace signpost {

namespace {

// Reads exactly `n` digits at `pos` (advancing it); nullopt when they are not there.
std::optional<int> digits(std::string_view s, std::size_t& pos, int n) {
    if (pos + static_cast<std::size_t>(n) > s.size()) return std::nullopt;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        char c = s[pos + static_cast<std::size_t>(i)];
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(n);
    return v;
}

bool eat(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

}  // namespace

bool is_utc_day(std::string_view text) {
    std::size_t pos = 0;
    return digits(text, pos, 4) && eat(text, pos, '-') && digits(text, pos, 2) && eat(text, pos, '-') &&
           digits(text, pos, 2) && pos == text.size();
}

std::optional<std::int64_t> parse_utc_time(std::string_view s) {
    using namespace std::chrono;
    std::size_t pos = 0;
    auto y = digits(s, pos, 4);
    if (!y || !eat(s, pos, '-')) return std::nullopt;
    auto mo = digits(s, pos, 2);
    if (!mo || !eat(s, pos, '-')) return std::nullopt;
    auto d = digits(s, pos, 2);
    if (!d) return std::nullopt;
    year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    std::int64_t ms = duration_cast<milliseconds>(sys_days{ymd}.time_since_epoch()).count();
    if (pos == s.size()) return ms;

    if (!eat(s, pos, 'T') && !eat(s, pos, 't') && !eat(s, pos, ' ')) return std::nullopt;
    auto h = digits(s, pos, 2);
    if (!h || *h > 23 || !eat(s, pos, ':')) return std::nullopt;
    auto mi = digits(s, pos, 2);
    if (!mi || *mi > 59) return std::nullopt;
    int sec = 0, frac_ms = 0;
    if (eat(s, pos, ':')) {
        auto sc = digits(s, pos, 2);
        if (!sc || *sc > 59) return std::nullopt;
        sec = *sc;
        if (eat(s, pos, '.') || eat(s, pos, ',')) {
            // Fractions beyond milliseconds are accepted and cut off.
            int scale = 100, count = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                frac_ms += (s[pos] - '0') * scale;
                scale /= 10;
                ++pos;
                ++count;
            }
            if (count == 0) return std::nullopt;
        }
    }
    ms += ((*h * 60LL + *mi) * 60 + sec) * 1000 + frac_ms;
    if (pos == s.size()) return ms;
    if (eat(s, pos, 'Z') || eat(s, pos, 'z')) {
        if (pos == s.size()) return ms;
        return std::nullopt;
    }

    int sign = 0;
    if (eat(s, pos, '+')) sign = 1;
    else if (eat(s, pos, '-')) sign = -1;
    else return std::nullopt;
    auto oh = digits(s, pos, 2);
    if (!oh || *oh > 23) return std::nullopt;
    eat(s, pos, ':');
    auto om = digits(s, pos, 2);
    if (!om || *om > 59 || pos != s.size()) return std::nullopt;
    // 14:30+02:00 is 12:30 UTC.
    return ms - sign * ((*oh * 60LL + *om) * 60'000);
}

std::string format_utc_time(std::int64_t ms) {
    using namespace std::chrono;
    sys_time<milliseconds> tp{milliseconds{ms}};
    auto d = floor<days>(tp);
    year_month_day ymd{d};
    hh_mm_ss<seconds> hms{floor<seconds>(tp) - d};
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

std::string format_utc_day(std::int64_t ms) { return format_utc_time(ms).substr(0, 10); }

std::int64_t elapsed_ms(std::int64_t earlier, std::int64_t later) {
    std::int64_t out = 0;
    if (__builtin_sub_overflow(later, earlier, &out))
        return later > earlier ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
    return out;
}

}  // namespace signpost
