#pragma once
// What a fuzz target does when a property fails: print why and abort, so libFuzzer keeps
// the input as a crash reproducer.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace signpost::fuzz {

[[noreturn]] inline void fail(std::string_view what, std::string_view detail) {
    std::fprintf(stderr, "\n*** property failed: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(detail.size() > 4000 ? 4000 : detail.size()), detail.data());
    std::abort();
}

inline void require(bool ok, std::string_view what, std::string_view detail = {}) {
    if (!ok) fail(what, detail);
}

// The first line where two texts differ, both ways, for the failure message.
inline std::string first_difference(std::string_view a, std::string_view b) {
    std::size_t line = 1, at = 0;
    while (at < a.size() && at < b.size() && a[at] == b[at]) line += a[at++] == '\n';
    const auto line_of = [&](std::string_view s) {
        const std::size_t from = s.rfind('\n', at == 0 ? 0 : at - 1);
        const std::size_t start = from == std::string_view::npos || at == 0 ? 0 : from + 1;
        return std::string(s.substr(start, s.find('\n', at) - start));
    };
    return "line " + std::to_string(line) + ":\n  " + line_of(a) + "\n  " + line_of(b);
}

// Hands out the bytes of an input one at a time (0 once they run out), for targets that
// turn bytes into actions.
class byte_reader {
public:
    explicit byte_reader(std::string_view bytes) : m_bytes(bytes) {}
    bool done() const { return m_at >= m_bytes.size(); }
    std::uint8_t next() { return done() ? 0 : static_cast<std::uint8_t>(m_bytes[m_at++]); }
    // A number below n (0 when n <= 0), from one byte.
    int below(int n) { return n <= 0 ? 0 : next() % n; }
    // A string of up to 63 bytes cut from the input, its length from one byte.
    std::string text() {
        const std::size_t n = std::min<std::size_t>(next() % 64, m_bytes.size() - std::min(m_at, m_bytes.size()));
        std::string out(m_bytes.substr(std::min(m_at, m_bytes.size()), n));
        m_at += n;
        return out;
    }

private:
    std::string_view m_bytes;
    std::size_t m_at = 0;
};

}  // namespace signpost::fuzz
