#pragma once
// The per-item, per-user and per-judge math, written once for the CPU and CUDA backends.
// Every function is a pure function of its arguments and Philox counters.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kaisim/core/host_device.hpp"
#include "kaisim/core/rng.hpp"

namespace kaisim::eval {

/// One benchmark item of the 3PL model.
struct ItemParams {
    float a;  ///< discrimination, > 0
    float b;  ///< difficulty, logits
    float c;  ///< guessing floor, 0..1
};

/// e^x in float from additions, multiplications, floor and an exponent bit pattern only, so the
/// host and the device compute the same bits (the CUDA target is built with --fmad=false and the
/// host code with -ffp-contract=off; libm's expf and CUDA's differ in the last bit). Relative
/// error below 4e-6 on [-87, 88] (ample for a response probability); outside, it saturates.
KAISIM_HD inline float exp_portable(float x) {
    x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
    // k = round(x / ln 2) as floor(t + 0.5), by truncation (floorf is a libm call on baseline
    // x86-64).
    const float t = x * 1.44269504f + 0.5f;
    int ki = static_cast<int>(t);
    ki -= static_cast<float>(ki) > t ? 1 : 0;
    const float k = static_cast<float>(ki);
    // Cody-Waite: ln 2 split in a part exact in float and a correction.
    const float r = (x - k * 0.693145752f) - k * 1.42860677e-06f;
    // Taylor polynomial of degree 5 in Estrin's form (short dependency chains).
    const float r2 = r * r, r4 = r2 * r2;
    const float p =
        ((1.0f + r) + r2 * (0.5f + r * (1.0f / 6.0f))) + r4 * (1.0f / 24.0f + r * (1.0f / 120.0f));
    const std::uint32_t bits = static_cast<std::uint32_t>(ki + 127) << 23;  // 2^k, k in [-126, 127]
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

KAISIM_HD inline float logistic(float x) {
    return 1.0f / (1.0f + exp_portable(-x));
}

/// Probability that ability `theta` answers `item` correctly: c + (1 - c) sigma(a (theta - b)).
KAISIM_HD inline float p_correct(float theta, ItemParams item) {
    return item.c + (1.0f - item.c) * logistic(item.a * (theta - item.b));
}

/// Whether a uniform draw `u` in [0, 1) answers `item` correctly at ability `theta`:
/// u < c + (1 - c) / (1 + e^-x) with x = a (theta - b), evaluated as (u - c)(1 + e^-x) < 1 - c
/// (the same inequality without a division, which is slow on the CPU).
KAISIM_HD inline bool responds_correctly(float u, float theta, ItemParams item) {
    return (u - item.c) * (1.0f + exp_portable(-(item.a * (theta - item.b)))) < 1.0f - item.c;
}

/// Correct answers of one (replicate, team) on items `first` to `n` - 1 of a benchmark
/// (`first` a multiple of 4); counter (key, c1 = team, c2 = item/4).
KAISIM_HD inline std::uint32_t count_correct_from(std::uint32_t seed, std::uint32_t replicate,
                                                  std::uint32_t key, std::uint32_t team,
                                                  float theta, const ItemParams* items,
                                                  std::uint32_t first, std::uint32_t n) {
    std::uint32_t correct = 0;
    for (std::uint32_t i = first; i < n; i += 4) {
        const core::Draw4 d =
            core::philox(seed, replicate, core::Stream::responses, key, team, i / 4);
        const std::uint32_t m = n - i < 4 ? n - i : 4;
        for (std::uint32_t l = 0; l < m; ++l)
            correct += responds_correctly(core::u01f(d.w[l]), theta, items[i + l]) ? 1u : 0u;
    }
    return correct;
}

/// Correct answers of one (replicate, team) on `n` items; counter (key, c1 = team, c2 = item/4).
KAISIM_HD inline std::uint32_t count_correct(std::uint32_t seed, std::uint32_t replicate,
                                             std::uint32_t key, std::uint32_t team, float theta,
                                             const ItemParams* items, std::uint32_t n) {
    return count_correct_from(seed, replicate, key, team, theta, items, 0, n);
}

/// Users out of `users` who prefer the team's model: each with probability sigma(delta).
KAISIM_HD inline std::uint32_t count_preferences(std::uint32_t seed, std::uint32_t replicate,
                                                 std::uint32_t key, std::uint32_t team, float delta,
                                                 std::uint32_t users) {
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
KAISIM_HD inline double panel_grade(std::uint32_t seed, std::uint32_t replicate, std::uint32_t key,
                                    std::uint32_t team, double perceived, std::uint32_t judges,
                                    double noise_sd, double bias_sd, bool trimmed) {
    double bias = 0;
    if (bias_sd > 0) {
        const core::Draw4 d =
            core::philox(seed, replicate, core::Stream::judges, key, team, 0xFFFFFFFFu);
        bias = bias_sd *
               core::std_normal(core::u01_open(d.w[0], d.w[1]), core::u01_open(d.w[2], d.w[3]));
    }
    double sum = 0, lo = 2, hi = -1;
    for (std::uint32_t j = 0; j < judges; ++j) {
        const core::Draw4 d = core::philox(seed, replicate, core::Stream::judges, key, team, j);
        const double z =
            core::std_normal(core::u01_open(d.w[0], d.w[1]), core::u01_open(d.w[2], d.w[3]));
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
