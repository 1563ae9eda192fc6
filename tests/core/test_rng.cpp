#include <catch2/catch.hpp>

#include <cmath>
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

TEST_CASE("rng: philox_block gives philox's words at every instruction set, any length") {
    std::vector<std::int64_t> targets{0};  // 0: what the machine has
#ifdef KAISIM_TEST_HWY
    for (const std::int64_t t : hwy::SupportedAndGeneratedTargets()) targets.push_back(t);
#endif
    for (const std::int64_t target : targets) {
#ifdef KAISIM_TEST_HWY
        hwy::SetSupportedTargetsForTest(target);
#endif
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
    }
#ifdef KAISIM_TEST_HWY
    hwy::SetSupportedTargetsForTest(0);
#endif
}
