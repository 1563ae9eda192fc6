#include "kaisim/core/statistics.hpp"

#include <algorithm>
#include <cmath>

namespace kaisim::core {

double normal_cdf(double z) {
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

Interval wilson_interval(double successes, double n, double z) {
    if (n <= 0) return {0, 1};
    const double p = successes / n, z2 = z * z;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

void P2Quantile::add(double x) {
    if (n_ < 5) {
        height_[n_++] = x;
        if (n_ == 5) {
            std::sort(height_.begin(), height_.end());
            for (int i = 0; i < 5; ++i) pos_[i] = i + 1;
            want_ = {1, 1 + 2 * q_, 1 + 4 * q_, 3 + 2 * q_, 5};
        }
        return;
    }
    ++n_;
    int k;
    if (x < height_[0]) {
        height_[0] = x;
        k = 0;
    } else if (x >= height_[4]) {
        height_[4] = std::max(height_[4], x);
        k = 3;
    } else {
        k = 0;
        while (k < 3 && x >= height_[k + 1]) ++k;
    }
    for (int i = k + 1; i < 5; ++i) pos_[i] += 1;
    const std::array<double, 5> step{0, q_ / 2, q_, (1 + q_) / 2, 1};
    for (int i = 0; i < 5; ++i) want_[i] += step[i];
    for (int i = 1; i < 4; ++i) {
        const double d = want_[i] - pos_[i];
        if ((d >= 1 && pos_[i + 1] - pos_[i] > 1) || (d <= -1 && pos_[i - 1] - pos_[i] < -1)) {
            const double s = d >= 0 ? 1.0 : -1.0;
            // Parabolic prediction; fall back to linear when it would break the ordering.
            const double hp =
                height_[i] + s / (pos_[i + 1] - pos_[i - 1]) *
                                 ((pos_[i] - pos_[i - 1] + s) * (height_[i + 1] - height_[i]) /
                                      (pos_[i + 1] - pos_[i]) +
                                  (pos_[i + 1] - pos_[i] - s) * (height_[i] - height_[i - 1]) /
                                      (pos_[i] - pos_[i - 1]));
            if (height_[i - 1] < hp && hp < height_[i + 1]) {
                height_[i] = hp;
            } else {
                const int j = i + static_cast<int>(s);
                height_[i] += s * (height_[j] - height_[i]) / (pos_[j] - pos_[i]);
            }
            pos_[i] += s;
        }
    }
}

double P2Quantile::value() const {
    if (n_ == 0) return 0;
    if (n_ < 5) {
        std::array<double, 5> v = height_;
        std::sort(v.begin(), v.begin() + static_cast<long>(n_));
        const std::size_t idx =
            std::min<std::size_t>(n_ - 1, static_cast<std::size_t>(q_ * static_cast<double>(n_)));
        return v[idx];
    }
    return height_[2];
}

void RunningStats::add(double x) {
    if (n_ == 0) min_ = max_ = x;
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
    ++n_;
    const double d = x - mean_;
    mean_ += d / static_cast<double>(n_);
    m2_ += d * (x - mean_);
    q025_.add(x);
    q500_.add(x);
    q975_.add(x);
}

double RunningStats::sd() const {
    return std::sqrt(variance());
}
double RunningStats::se() const {
    return n_ > 0 ? sd() / std::sqrt(static_cast<double>(n_)) : 0.0;
}

}  // namespace kaisim::core
