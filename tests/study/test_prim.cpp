#include <catch2/catch.hpp>

#include "kaisim/core/rng.hpp"
#include "kaisim/study/prim.hpp"

using kaisim::study::prim;
using kaisim::study::PrimOptions;

namespace {
// n points uniform in [0,1]^k (Philox, fixed seed); the outcome holds inside `lo`..`hi` on the
// first inputs given.
struct Cloud {
    std::vector<std::vector<double>> x;
    std::vector<bool> y;
};
Cloud cloud(std::size_t n, std::size_t k, const std::vector<double>& lo,
            const std::vector<double>& hi, std::uint32_t seed) {
    const kaisim::core::RngStream rng(seed, 0, kaisim::core::Stream::tie_break);
    Cloud c;
    for (std::uint32_t i = 0; i < n; ++i) {
        std::vector<double> p(k);
        for (std::uint32_t j = 0; j < k; ++j) p[j] = rng.uniform(i, j);
        bool in = true;
        for (std::size_t j = 0; j < lo.size(); ++j) in = in && p[j] >= lo[j] && p[j] <= hi[j];
        c.x.push_back(p);
        c.y.push_back(in);
    }
    return c;
}
}  // namespace

TEST_CASE("prim: recovers a known box among noise inputs") {
    // The outcome holds on [0.2, 0.6] x [0.5, 0.9] (x3, x4 irrelevant): 16% of 4,000 points.
    const Cloud c = cloud(4000, 4, {0.2, 0.5}, {0.6, 0.9}, 17);
    PrimOptions o;
    o.max_boxes = 1;
    o.threshold = 0.95;  // the box of highest coverage that is 95% cases
    const auto r = prim({"x1", "x2", "x3", "x4"}, c.x, c.y, o);
    REQUIRE(r.boxes.size() == 1);
    const auto& b = r.boxes[0];
    // Tolerance: a bound moves in peels of alpha = 5% of the box's points; near the final box
    // (width 0.4, about 640 points) one peel moves a bound by about 0.05 x 0.4 = 0.02, and the
    // nearest data point to a true bound lies within 1/(4000 x 0.4) of it: 0.03 covers both.
    const double tol = 0.03;
    CHECK(b.lo[0] == Approx(0.2).margin(tol));
    CHECK(b.hi[0] == Approx(0.6).margin(tol));
    CHECK(b.lo[1] == Approx(0.5).margin(tol));
    CHECK(b.hi[1] == Approx(0.9).margin(tol));
    CHECK(b.restricted[0]);
    CHECK(b.restricted[1]);
    // Noise inputs: any restriction left keeps most of the range (peels there only chase noise).
    CHECK(b.hi[2] - b.lo[2] > 0.8);
    CHECK(b.hi[3] - b.lo[3] > 0.8);
    CHECK(b.density >= 0.95);
    CHECK(b.coverage > 0.85);
    // The trajectory starts from the whole space and peels the density up.
    REQUIRE(r.trajectory.front().move == "start");
    CHECK(r.trajectory.front().state.coverage == 1.0);
    CHECK(r.trajectory.front().state.density == Approx(0.16).margin(0.02));
}

TEST_CASE("prim: a second box covers a second region, and no box stands out of noise") {
    // Region A: x1 < 0.25 (x2 anything); region B: x1 > 0.5 and x2 > 0.85. PRIM peels towards A
    // first (the larger), covering then finds B among the points left.
    Cloud c = cloud(4000, 2, {}, {}, 23);
    for (std::size_t i = 0; i < c.x.size(); ++i)
        c.y[i] = c.x[i][0] < 0.25 || (c.x[i][0] > 0.5 && c.x[i][1] > 0.85);
    PrimOptions o;
    o.threshold = 0.95;
    const auto r = prim({"x1", "x2"}, c.x, c.y, o);
    REQUIRE(r.boxes.size() == 2);
    const auto& a = r.boxes[0];
    const auto& b = r.boxes[1];
    CHECK(a.hi[0] == Approx(0.25).margin(0.03));
    CHECK_FALSE(a.restricted[1]);
    CHECK(b.lo[0] == Approx(0.5).margin(0.03));
    CHECK(b.lo[1] == Approx(0.85).margin(0.03));
    CHECK(a.coverage + b.coverage > 0.85);  // of all cases, both boxes together

    // An outcome independent of the inputs: no box is denser than chance by much.
    Cloud noise = cloud(2000, 3, {}, {}, 29);
    const kaisim::core::RngStream coin(31, 0, kaisim::core::Stream::tie_break);
    for (std::uint32_t i = 0; i < noise.x.size(); ++i) noise.y[i] = coin.uniform(i) < 0.3;
    const auto n = prim({"a", "b", "c"}, noise.x, noise.y);
    for (const auto& box : n.boxes) CHECK(box.density < 0.8);
}

TEST_CASE("prim: bad data is refused") {
    REQUIRE_THROWS_AS(prim({"a"}, {}, {}), std::invalid_argument);
    REQUIRE_THROWS_AS(prim({"a", "b"}, {{0.1}}, {true}), std::invalid_argument);
}
