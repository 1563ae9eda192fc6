#pragma once
#include <array>
#include <cstdint>

namespace kaisim::core {

/// A two-sided interval.
struct Interval {
    double lo = 0;
    double hi = 0;
};

/// z of a two-sided 95% normal interval.
inline constexpr double z95 = 1.959963984540054;

/// Standard normal CDF.
double normal_cdf(double z);
/// Wilson score interval for a proportion `successes` / `n` (well-behaved near 0 and 1).
Interval wilson_interval(double successes, double n, double z = z95);

/// A streaming quantile estimate in O(1) memory: the P-square algorithm (Jain & Chlamtac 1985),
/// five markers moved by parabolic interpolation. Deterministic for a given input order.
class P2Quantile {
  public:
    explicit P2Quantile(double q) : q_(q) {}
    void add(double x);
    /// The estimate (exact while fewer than five values were added; 0 when none).
    double value() const;

  private:
    double q_;
    std::uint64_t n_ = 0;
    std::array<double, 5> height_{};
    std::array<double, 5> pos_{};
    std::array<double, 5> want_{};
};

/// Running mean and variance (Welford), extremes, and the 2.5 / 50 / 97.5 % quantiles.
class RunningStats {
  public:
    void add(double x);
    std::uint64_t n() const { return n_; }
    double mean() const { return mean_; }
    /// Sample variance (n - 1 in the denominator; 0 below two values).
    double variance() const { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0; }
    double sd() const;
    /// Standard error of the mean.
    double se() const;
    /// 95% confidence interval of the mean (normal approximation).
    Interval mean_ci() const { return {mean_ - z95 * se(), mean_ + z95 * se()}; }
    /// The central 95% of the values (2.5 % and 97.5 % quantiles).
    Interval spread() const { return {q025_.value(), q975_.value()}; }
    double median() const { return q500_.value(); }
    double min() const { return min_; }
    double max() const { return max_; }

  private:
    std::uint64_t n_ = 0;
    double mean_ = 0, m2_ = 0, min_ = 0, max_ = 0;
    P2Quantile q025_{0.025}, q500_{0.5}, q975_{0.975};
};

}  // namespace kaisim::core
