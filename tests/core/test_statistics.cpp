#include <catch2/catch.hpp>

#include <cmath>

#include "kaisim/core/rng.hpp"
#include "kaisim/core/statistics.hpp"

using namespace kaisim::core;

TEST_CASE("statistics: running mean and variance are exact") {
    RunningStats s;
    for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) s.add(x);
    REQUIRE(s.n() == 8);
    REQUIRE(s.mean() == Approx(5.0));
    REQUIRE(s.variance() == Approx(32.0 / 7));
    REQUIRE(s.min() == 2.0);
    REQUIRE(s.max() == 9.0);
    REQUIRE(s.mean_ci().hi - s.mean() == Approx(z95 * std::sqrt(32.0 / 7 / 8)));
}

TEST_CASE("statistics: P-square quantiles of 100,000 uniforms") {
    RunningStats s;
    const kaisim::core::RngStream rng(3, 0, kaisim::core::Stream::team_draws);
    for (std::uint32_t i = 0; i < 100000; ++i) s.add(rng.uniform(i));
    // The sample quantile of n uniforms has sd sqrt(q (1 - q) / n) ~ 0.0005 at q = 0.025; P-square
    // adds an approximation error of the same order.
    REQUIRE(s.spread().lo == Approx(0.025).margin(0.003));
    REQUIRE(s.median() == Approx(0.5).margin(0.005));
    REQUIRE(s.spread().hi == Approx(0.975).margin(0.003));
}

TEST_CASE("statistics: Wilson intervals and the normal CDF") {
    const Interval zero = wilson_interval(0, 10);
    REQUIRE(zero.lo == 0);
    REQUIRE(zero.hi == Approx(0.2775).epsilon(1e-3));
    const Interval half = wilson_interval(50, 100);
    REQUIRE(half.lo == Approx(0.4038).epsilon(1e-3));
    REQUIRE(half.hi == Approx(0.5962).epsilon(1e-3));
    REQUIRE(normal_cdf(0) == Approx(0.5));
    REQUIRE(normal_cdf(z95) == Approx(0.975).epsilon(1e-9));
}
