#include "signpost/duration_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace signpost {

namespace {

// Durations above this (about 35 years) share the last bucket: no call lasts that long.
constexpr std::int64_t largest_ms = std::int64_t{1} << 40;

const double log_ratio = std::log(duration_sketch::bucket_ratio);

// Bucket 0 holds 0 ms; bucket k >= 1 holds [ratio^(k-1), ratio^k).
std::size_t bucket_by_formula(std::int64_t ms) {
    if (ms <= 0) return 0;
    ms = std::min(ms, largest_ms);
    return 1 + static_cast<std::size_t>(std::floor(std::log(static_cast<double>(ms)) / log_ratio));
}

// Most durations a report sees are under a minute: their buckets are looked up in a table
// filled by the formula itself (so every bucket is exactly the formula's), sparing a log()
// per sample, which was a tenth of a large report's time.
constexpr std::int64_t tabled_ms = 1 << 16;

const std::vector<std::uint16_t>& bucket_table() {
    static const std::vector<std::uint16_t> table = [] {
        std::vector<std::uint16_t> t(static_cast<std::size_t>(tabled_ms));
        for (std::int64_t ms = 0; ms < tabled_ms; ++ms)
            t[static_cast<std::size_t>(ms)] = static_cast<std::uint16_t>(bucket_by_formula(ms));
        return t;
    }();
    return table;
}

}  // namespace

std::size_t duration_sketch::bucket_of(std::int64_t ms) {
    if (ms >= 0 && ms < tabled_ms) return bucket_table()[static_cast<std::size_t>(ms)];
    return bucket_by_formula(ms);
}

// The value that is off by at most (ratio - 1) / (ratio + 1) from anything in the bucket.
double duration_sketch::bucket_value(std::size_t index) {
    if (index == 0) return 0;
    double low = std::exp(static_cast<double>(index - 1) * log_ratio);
    double high = low * bucket_ratio;
    return std::round(2 * low * high / (low + high));
}

void duration_sketch::add(std::int64_t ms) {
    ms = std::max<std::int64_t>(ms, 0);
    ++m_count;
    m_sum += static_cast<double>(ms);
    if (m_buckets.empty()) {
        if (m_exact.size() < exact_limit) {
            m_exact.push_back(ms);
            return;
        }
        to_buckets();
    }
    ++m_buckets[bucket_of(ms)];
}

void duration_sketch::merge(const duration_sketch& other) {
    if (other.m_buckets.empty()) {
        // Their exact samples one by one: this switches to buckets exactly when adding
        // them in the first place would have.
        for (std::int64_t v : other.m_exact) add(v);
        return;
    }
    if (m_buckets.empty()) to_buckets();
    for (std::size_t i = 0; i < m_buckets.size(); ++i) m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
}

void duration_sketch::to_buckets() {
    m_buckets.assign(bucket_of(largest_ms) + 1, 0);
    for (std::int64_t v : m_exact) ++m_buckets[bucket_of(v)];
    m_exact.clear();
    m_exact.shrink_to_fit();
}

double duration_sketch::mean() const { return m_count == 0 ? 0 : m_sum / static_cast<double>(m_count); }

double duration_sketch::quantile(double q) const {
    if (m_count == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    const double h = q * static_cast<double>(m_count - 1);  // 0-based rank, maybe between two
    if (m_buckets.empty()) {
        std::vector<std::int64_t> sorted = m_exact;
        std::sort(sorted.begin(), sorted.end());
        auto lo = static_cast<std::size_t>(std::floor(h));
        std::size_t hi = std::min(lo + 1, sorted.size() - 1);
        double frac = h - static_cast<double>(lo);
        double v = static_cast<double>(sorted[lo]) + frac * static_cast<double>(sorted[hi] - sorted[lo]);
        // 0.9 * 3 is 2.7000000000000002 in binary: round off that noise (to a microsecond).
        return std::round(v * 1000) / 1000;
    }
    auto rank = static_cast<std::uint64_t>(std::llround(h));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen > rank) return bucket_value(i);
    }
    return bucket_value(m_buckets.size() - 1);
}

}  // namespace signpost
