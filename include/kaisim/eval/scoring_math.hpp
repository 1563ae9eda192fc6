#pragma once
// The per-item, per-user and per-judge math, written once for the CPU and CUDA backends.
// Every function is a pure function of its arguments and Philox counters.
#include <cmath>
#include <cstdint>

#include "kaisim/core/host_device.hpp"
#include "kaisim/core/rng.hpp"

namespace kaisim::eval {

/// One benchmark item of the 3PL model.
struct ItemParams {
    float a;  ///< discrimination, > 0
    float b;  ///< difficulty, logits
    float c;  ///< guessing floor, 0..1
};

KAISIM_HD inline float logistic(float x) { return 1.0f / (1.0f + expf(-x)); }

/// Probability that ability `theta` answers `item` correctly: c + (1 - c) sigma(a (theta - b)).
KAISIM_HD inline float p_correct(float theta, ItemParams item) {
    return item.c + (1.0f - item.c) * logistic(item.a * (theta - item.b));
}

/// Correct answers of one (replicate, team) on `n` items; counter (key, c1 = team, c2 = item/4).
KAISIM_HD inline std::uint32_t count_correct(std::uint32_t seed, std::uint32_t replicate,
                                             std::uint32_t key, std::uint32_t team, float theta,
                                             const ItemParams* items, std::uint32_t n) {
    std::uint32_t correct = 0;
    for (std::uint32_t i = 0; i < n; i += 4) {
        const core::Draw4 d = core::philox(seed, replicate, core::Stream::responses, key, team, i / 4);
        const std::uint32_t m = n - i < 4 ? n - i : 4;
        for (std::uint32_t l = 0; l < m; ++l)
            correct += core::u01f(d.w[l]) < p_correct(theta, items[i + l]) ? 1u : 0u;
    }
    return correct;
}

/// Users out of `users` who prefer the team's model: each with probability sigma(delta).
KAISIM_HD inline std::uint32_t count_preferences(std::uint32_t seed, std::uint32_t replicate,
                                                 std::uint32_t key, std::uint32_t team,
                                                 float delta, std::uint32_t users) {
    const float p = logistic(delta);
    std::uint32_t yes = 0;
    for (std::uint32_t u = 0; u < users; u += 4) {
        const core::Draw4 d = core::philox(seed, replicate, core::Stream::users, key, team, u / 4);
        const std::uint32_t m = users - u < 4 ? users - u : 4;
        for (std::uint32_t l = 0; l < m; ++l) yes += core::u01f(d.w[l]) < p ? 1u : 0u;
    }
    return yes;
}

/// A panel's aggregated grade in (0, 1): judge j grades sigma(perceived + bias + noise_sd z_j);
/// `trimmed` drops the highest and lowest grade (when there are at least 3 judges).
KAISIM_HD inline double panel_grade(std::uint32_t seed, std::uint32_t replicate,
                                    std::uint32_t key, std::uint32_t team, double perceived,
                                    std::uint32_t judges, double noise_sd, double bias_sd,
                                    bool trimmed) {
    double bias = 0;
    if (bias_sd > 0) {
        const core::Draw4 d = core::philox(seed, replicate, core::Stream::judges, key, team, 0xFFFFFFFFu);
        bias = bias_sd * core::std_normal(core::u01_open(d.w[0], d.w[1]), core::u01_open(d.w[2], d.w[3]));
    }
    double sum = 0, lo = 2, hi = -1;
    for (std::uint32_t j = 0; j < judges; ++j) {
        const core::Draw4 d = core::philox(seed, replicate, core::Stream::judges, key, team, j);
        const double z = core::std_normal(core::u01_open(d.w[0], d.w[1]), core::u01_open(d.w[2], d.w[3]));
        const double g = 1.0 / (1.0 + exp(-(perceived + bias + noise_sd * z)));
        sum += g;
        lo = g < lo ? g : lo;
        hi = g > hi ? g : hi;
    }
    if (judges == 0) return 0;
    if (trimmed && judges >= 3) return (sum - lo - hi) / (judges - 2);
    return sum / judges;
}

}  // namespace kaisim::eval
