#pragma once
// Median and 90th percentile of durations in fixed memory: every sample is kept while
// there are few, then they move into log-spaced buckets, each within 1% of its values.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace signpost {

class duration_sketch {
public:
    // Samples kept exactly; the next one switches the sketch to buckets.
    static constexpr std::size_t exact_limit = 1024;
    // Relative width of a bucket: a quantile read from buckets is within 1% of the true one.
    static constexpr double bucket_ratio = 1.02;

    // Adds one duration in milliseconds (negative ones count as 0).
    void add(std::int64_t ms);
    // Adds every sample of `other`: the same result as adding them one by one.
    void merge(const duration_sketch& other);

    std::uint64_t count() const { return m_count; }
    // True while every sample is kept: quantiles are then exact.
    bool exact() const { return m_buckets.empty(); }
    // Mean in ms (always exact); 0 without samples.
    double mean() const;
    // The q-quantile (0 <= q <= 1) in ms; 0 without samples. Exact samples interpolate
    // between neighbours as a spreadsheet's MEDIAN and PERCENTILE.INC do (the median of
    // 4000 and 5000 is 4500); buckets give the bucket of the sample at that rank.
    double quantile(double q) const;

private:
    void to_buckets();
    static std::size_t bucket_of(std::int64_t ms);
    static double bucket_value(std::size_t index);

    std::vector<std::int64_t> m_exact;
    std::vector<std::uint64_t> m_buckets;  // empty while exact
    std::uint64_t m_count = 0;
    double m_sum = 0;
};

}  // namespace signpost
