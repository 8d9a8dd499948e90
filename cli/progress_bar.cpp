#include "progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/core.h>

namespace signpost::cli {

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

std::string with_thousands(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

progress_bar::progress_bar(std::string label, std::uint64_t total, bool enabled)
    : m_label(std::move(label)), m_total(total), m_enabled(enabled && total > 0) {}

progress_bar::~progress_bar() { finish(); }

void progress_bar::update(std::uint64_t done) {
    if (!m_enabled) return;
    const auto now = std::chrono::steady_clock::now();
    if (m_drawn && now - m_last < std::chrono::milliseconds(100) && done < m_total) return;
    m_last = now;
    m_drawn = true;
    constexpr int width = 30;
    const double part = std::min(1.0, static_cast<double>(done) / static_cast<double>(m_total));
    const int filled = static_cast<int>(part * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(width - filled), '.');
    fmt::print(stderr, "\r{} [{}] {:3.0f}%  {}/{}", m_label, bar, part * 100, with_thousands(done),
               with_thousands(m_total));
    std::fflush(stderr);
}

void progress_bar::finish() {
    if (!m_drawn) return;
    m_drawn = false;
    // Erase the line: the report that follows (or an error) starts at column 0.
    fmt::print(stderr, "\r\x1b[2K");
    std::fflush(stderr);
}

}  // namespace signpost::cli
