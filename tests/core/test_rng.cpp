#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "kaisim/core/rng.hpp"

using namespace kaisim::core;

TEST_CASE("rng: Philox4x32-10 matches the Random123 known-answer vectors") {
    r123::Philox4x32 g;
    {
        auto r = g({{0, 0, 0, 0}}, {{0, 0}});
        REQUIRE(r.v[0] == 0x6627e8d5u);
        REQUIRE(r.v[1] == 0xe169c58du);
        REQUIRE(r.v[2] == 0xbc57ac4cu);
        REQUIRE(r.v[3] == 0x9b00dbd8u);
    }
    {
        auto r =
            g({{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}}, {{0xffffffffu, 0xffffffffu}});
        REQUIRE(r.v[0] == 0x408f276du);
        REQUIRE(r.v[3] == 0x6d5451fdu);
    }
    {
        auto r =
            g({{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}}, {{0xa4093822u, 0x299f31d0u}});
        REQUIRE(r.v[0] == 0xd16cfe09u);
        REQUIRE(r.v[1] == 0x94fdccebu);
        REQUIRE(r.v[2] == 0x5001e420u);
        REQUIRE(r.v[3] == 0x24126ea1u);
    }
}

TEST_CASE(
    "rng: kaisim's philox() is keyed by (seed, replicate) and counts by (stream, c0, c1, c2)") {
    const Draw4 d = philox(0xa4093822u, 0x299f31d0u, static_cast<Stream>(0x243f6a88u), 0x85a308d3u,
                           0x13198a2eu, 0x03707344u);
    REQUIRE(d.w[0] == 0xd16cfe09u);
    REQUIRE(d.w[3] == 0x24126ea1u);
    // A draw is a pure function of its arguments; changing any one changes it.
    const Draw4 a = philox(1, 2, Stream::items, 3, 4, 5);
    REQUIRE(philox(1, 2, Stream::items, 3, 4, 5).w[0] == a.w[0]);
    REQUIRE(philox(1, 3, Stream::items, 3, 4, 5).w[0] != a.w[0]);
    REQUIRE(philox(1, 2, Stream::judges, 3, 4, 5).w[0] != a.w[0]);
    REQUIRE(philox(1, 2, Stream::items, 3, 4, 6).w[0] != a.w[0]);
}

TEST_CASE("rng: uniform and normal draws have the right range and moments") {
    REQUIRE(u01_open(0, 0) > 0.0);
    REQUIRE(u01_open(0xffffffffu, 0xffffffffu) < 1.0);
    REQUIRE(u01f(0xffffffffu) < 1.0f);
    const RngStream rng(7, 0, Stream::team_draws);
    const int n = 200000;
    double sum = 0, sum2 = 0, usum = 0;
    for (int i = 0; i < n; ++i) {
        const double z = rng.normal(static_cast<std::uint32_t>(i));
        sum += z;
        sum2 += z * z;
        usum += rng.uniform(static_cast<std::uint32_t>(i), 1);
    }
    // Mean of n standard normals has sd 1/sqrt(n); of n uniforms sqrt(1/12/n); the sample variance
    // of normals has sd sqrt(2/n). Bounds are 5 sigma.
    REQUIRE(std::abs(sum / n) < 5.0 / std::sqrt(n));
    REQUIRE(std::abs(sum2 / n - 1.0) < 5.0 * std::sqrt(2.0 / n));
    REQUIRE(std::abs(usum / n - 0.5) < 5.0 * std::sqrt(1.0 / 12.0 / n));
}

#ifdef KAISIM_TEST_HWY
#include <hwy/targets.h>
#endif

namespace {
// Calls body(target) with each instruction set Highway dispatches to on this machine (0: what
// the machine has, the only one without Highway), then restores the best.
template <class Body>
void at_every_target(Body&& body) {
    std::vector<std::int64_t> targets{0};
#ifdef KAISIM_TEST_HWY
    for (const std::int64_t t : hwy::SupportedAndGeneratedTargets()) targets.push_back(t);
#endif
    for (const std::int64_t target : targets) {
#ifdef KAISIM_TEST_HWY
        hwy::SetSupportedTargetsForTest(target);
#endif
        body(target);
    }
#ifdef KAISIM_TEST_HWY
    hwy::SetSupportedTargetsForTest(0);
#endif
}
}  // namespace

TEST_CASE("rng: philox_block gives philox's words at every instruction set, any length") {
    at_every_target([](std::int64_t target) {
        for (const std::uint32_t first : {0u, 5u, 0xFFFFFFF8u}) {  // the last wraps past 2^32
            for (const std::size_t n :
                 {std::size_t{1}, std::size_t{7}, std::size_t{16}, std::size_t{37}}) {
                std::vector<Draw4> got(n);
                philox_block(2026, 9, Stream::failures, 3, first, 11, n, got.data());
                for (std::size_t j = 0; j < n; ++j) {
                    const Draw4 want = philox(2026, 9, Stream::failures, 3,
                                              first + static_cast<std::uint32_t>(j), 11);
                    INFO("target " << target << ", first " << first << ", n " << n << ", j " << j);
                    for (int w = 0; w < 4; ++w) REQUIRE(got[j].w[w] == want.w[w]);
                }
            }
        }
    });
}

TEST_CASE(
    "rng: neg_log_portable is -log within 2 ulp, and neg_log_block gives its bits at every "
    "instruction set") {
    // Uniforms as the interruptions draw them, and the edges: the least and the greatest
    // u01_open, either side of sqrt(1/2) (where the reduction switches), powers of two.
    std::vector<double> u;
    for (std::uint32_t k = 0; k < 20000; ++k) {
        const Draw4 d = philox(7, 1, Stream::failures, 0, k, 0);
        u.push_back(u01_open(d.w[0], d.w[1]));
        u.push_back(u01_open(d.w[2], d.w[3]) * 1e-9);  // the far tail too
    }
    const double r = std::sqrt(0.5);
    for (double x : {u01_open(0, 0), u01_open(0xFFFFFFFFu, 0xFFFFFFFFu), r, std::nextafter(r, 0.0),
                     std::nextafter(r, 1.0), 0.5, 0.25, 0x1p-53, 0.75, 1 - 0x1p-30})
        u.push_back(x);
    for (double x : u) {
        const double want = -std::log(x), got = neg_log_portable(x);
        INFO("u " << x);
        REQUIRE(std::abs(got - want) <= 2 * std::numeric_limits<double>::epsilon() * want);
    }
    REQUIRE(neg_log_portable(0.5) == std::log(2.0));  // e ln 2 with m = 1: exactly ln 2
    REQUIRE(neg_log_portable(0x1p-40) == Approx(40 * std::log(2.0)).epsilon(1e-15));

    at_every_target([&](std::int64_t target) {
        for (const std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{16}, u.size()}) {
            std::vector<double> got(n);
            neg_log_block(u.data(), n, got.data());
            for (std::size_t j = 0; j < n; ++j) {
                INFO("target " << target << ", n " << n << ", u " << u[j]);
                REQUIRE(got[j] == neg_log_portable(u[j]));
            }
        }
    });
}
