#include <catch2/catch.hpp>

#include <cmath>

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
