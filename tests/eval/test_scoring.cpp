#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kaisim/eval/item_bank.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/eval/scoring_math.hpp"

using namespace kaisim;
using namespace kaisim::eval;

namespace {
std::vector<ItemParams> test_bank(int n) {
    model::Benchmark b;
    b.items = n;
    b.difficulty_mean = 0.3;
    b.difficulty_sd = 1.0;
    b.discrimination_log_sd = 0.3;
    b.guessing = 0.25;
    return draw_item_bank(b, 0, 42);
}
}  // namespace

TEST_CASE("scoring: every item's answer is its own Philox draw against the 3PL probability") {
    // Host reference, written out independently: item i uses word i%4 of the draw at counter
    // (responses, key, team, i/4), a 24-bit uniform u, correct when u < c + (1-c)/(1+exp(-a(t-b))),
    // evaluated as (u - c)(1 + exp(-x)) < 1 - c.
    const auto bank = test_bank(11);
    const float theta = 0.5f;
    for (std::uint32_t n = 0; n <= bank.size(); ++n) {
        std::uint32_t expected = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            const core::Draw4 d = core::philox(9, 4, core::Stream::responses, 77, 3, i / 4);
            const float u = static_cast<float>(d.w[i % 4] >> 8) / 16777216.0f;
            const float x = bank[i].a * (theta - bank[i].b);
            expected +=
                (u - bank[i].c) * (1.0f + eval::exp_portable(-x)) < 1.0f - bank[i].c ? 1 : 0;
        }
        REQUIRE(count_correct(9, 4, 77, 3, theta, bank.data(), n) == expected);
    }
}

TEST_CASE("scoring: the mean count of correct answers matches the 3PL expectation (5 sigma)") {
    const auto bank = test_bank(300);
    for (const float theta : {-1.0f, 0.7f, 2.5f}) {
        double expected = 0, variance = 0;
        for (const auto& it : bank) {
            const double p = p_correct(theta, it);
            expected += p;
            variance += p * (1 - p);
        }
        const int reps = 4000;
        double sum = 0;
        for (int r = 0; r < reps; ++r)
            sum += count_correct(5, static_cast<std::uint32_t>(r), 1, 0, theta, bank.data(), 300);
        // Replicates are independent: the mean of `reps` counts has sd sqrt(variance / reps).
        REQUIRE(std::abs(sum / reps - expected) < 5 * std::sqrt(variance / reps));
        REQUIRE(expected_score(bank, theta) == Approx(expected / 300).epsilon(1e-9));
    }
}

TEST_CASE("scoring: the portable exponential is within 4e-6 of exp everywhere it is used") {
    for (float x = -87.0f; x <= 88.0f; x += 0.01f) {
        const double e = std::exp(static_cast<double>(x));
        REQUIRE(std::abs(exp_portable(x) - e) <= 4e-6 * e);
    }
    REQUIRE(exp_portable(-1000.0f) > 0.0f);  // saturates instead of flushing to 0 or inf
    REQUIRE(std::isfinite(exp_portable(1000.0f)));
}

TEST_CASE("scoring: user preferences follow sigma(delta) (5 sigma)") {
    const double p = 1 / (1 + std::exp(-0.8));
    const int reps = 2000, users = 49;
    double sum = 0;
    for (int r = 0; r < reps; ++r)
        sum += count_preferences(3, static_cast<std::uint32_t>(r), 2, 1, 0.8f, users);
    REQUIRE(std::abs(sum / reps - users * p) < 5 * std::sqrt(users * p * (1 - p) / reps));
}

TEST_CASE("scoring: a trimmed-mean panel drops exactly the highest and the lowest grade") {
    const std::uint32_t judges = 6;
    std::vector<double> grades;
    for (std::uint32_t j = 0; j < judges; ++j) {
        const core::Draw4 d = core::philox(11, 2, core::Stream::judges, 5, 8, j);
        const double z =
            core::std_normal(core::u01_open(d.w[0], d.w[1]), core::u01_open(d.w[2], d.w[3]));
        grades.push_back(1 / (1 + std::exp(-(0.4 + 1.5 * z))));
    }
    double sum = 0;
    for (double g : grades) sum += g;
    const double lo = *std::min_element(grades.begin(), grades.end());
    const double hi = *std::max_element(grades.begin(), grades.end());
    REQUIRE(panel_grade(11, 2, 5, 8, 0.4, judges, 1.5, 0, true) ==
            Approx((sum - lo - hi) / 4).epsilon(1e-12));
    REQUIRE(panel_grade(11, 2, 5, 8, 0.4, judges, 1.5, 0, false) == Approx(sum / 6).epsilon(1e-12));
    // With two judges there is nothing to trim.
    REQUIRE(panel_grade(11, 2, 5, 8, 0.4, 2, 1.5, 0, true) ==
            panel_grade(11, 2, 5, 8, 0.4, 2, 1.5, 0, false));
}
