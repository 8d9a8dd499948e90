#pragma once
// Time source for the runtime, injectable so tests are exact.

#include <cstdint>

namespace signpost {

class clock {
public:
    virtual ~clock() = default;
    // Milliseconds since the Unix epoch.
    virtual std::int64_t now_ms() = 0;
};

// Wall-clock time.
class system_clock final : public clock {
public:
    std::int64_t now_ms() override;
};

// A clock that only moves when told: for tests and log generators.
class manual_clock final : public clock {
public:
    explicit manual_clock(std::int64_t start_ms = 0) : m_now(start_ms) {}
    std::int64_t now_ms() override { return m_now; }
    void advance(std::int64_t ms) { m_now += ms; }
    void set(std::int64_t ms) { m_now = ms; }

private:
    std::int64_t m_now;
};

}  // namespace signpost
