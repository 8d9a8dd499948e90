#pragma once
// A one-line progress bar on stderr for long reads and writes.

#include <chrono>
#include <cstdint>
#include <string>

namespace signpost::cli {

// Whether standard error is a terminal (a bar in a file or a pipe is only noise).
[[nodiscard]] bool stderr_is_terminal();

// Draws "label [#####.....]  45%  450,000/1,000,000" on stderr, at most 10 times a second;
// inactive (draws nothing) when `enabled` is false or total is 0.
class progress_bar {
public:
    progress_bar(std::string label, std::uint64_t total, bool enabled);
    ~progress_bar();
    progress_bar(const progress_bar&) = delete;
    progress_bar& operator=(const progress_bar&) = delete;

    void update(std::uint64_t done);
    // Clears the line, so what follows starts clean.
    void finish();

private:
    std::string m_label;
    std::uint64_t m_total;
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last{};
};

// 1234567 -> "1,234,567".
[[nodiscard]] std::string with_thousands(std::uint64_t n);

}  // namespace signpost::cli
