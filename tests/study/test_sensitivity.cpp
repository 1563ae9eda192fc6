#include <catch2/catch.hpp>

#include <cmath>

#include "kaisim/study/sensitivity.hpp"
#include "kaisim/study/sobol_sequence.hpp"
#include "kaisim/study/sweep_design.hpp"

using namespace kaisim::study;

namespace {
std::vector<SweepParameter> unit_params(std::size_t k) {
    std::vector<SweepParameter> p(k);
    for (std::size_t i = 0; i < k; ++i) p[i].name = std::to_string(i + 1);
    return p;
}
}  // namespace

TEST_CASE("sensitivity: Ishigami (a = 7, b = 0.1), N = 8192, within 0.05 of the analytic indices") {
    DesignSpec d;
    d.design = Design::sobol;
    d.samples = 8192;
    d.seed = 5;
    const auto pts = design_points(d, unit_params(3));
    REQUIRE(pts.size() == 8192u * 5);
    std::vector<double> y;
    for (const auto& u : pts)
        y.push_back(
            ishigami({-M_PI + 2 * M_PI * u[0], -M_PI + 2 * M_PI * u[1], -M_PI + 2 * M_PI * u[2]}));
    const SobolIndices s = sobol_indices(y, 3, 200, 9);
    // Analytic values (Ishigami & Homma 1990; as stated in the sweep issue).
    const double s1[] = {0.3139, 0.4424, 0.0}, st[] = {0.5576, 0.4424, 0.2437};
    for (int i = 0; i < 3; ++i) {
        INFO("x" << i + 1 << ": S1 " << s.first[i] << " ST " << s.total[i]);
        REQUIRE(std::abs(s.first[i] - s1[i]) < 0.05);
        REQUIRE(std::abs(s.total[i] - st[i]) < 0.05);
        REQUIRE(s.first_ci[i].lo <= s.first[i]);
        REQUIRE(s.first_ci[i].hi >= s.first[i]);
    }
}

TEST_CASE("sensitivity: Sobol' G function against its analytic indices") {
    const std::vector<double> a{0, 1, 4.5, 9, 99};
    DesignSpec d;
    d.design = Design::sobol;
    d.samples = 4096;
    d.seed = 3;
    const auto pts = design_points(d, unit_params(a.size()));
    std::vector<double> y;
    for (const auto& u : pts) y.push_back(sobol_g(u, a));
    const SobolIndices s = sobol_indices(y, a.size(), 100, 4);
    const SobolIndices exact = sobol_g_indices(a);
    REQUIRE(exact.first[0] == Approx(0.7162).epsilon(1e-3));  // 1/3 / V with V = 0.4654
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("x" << i + 1);
        REQUIRE(std::abs(s.first[i] - exact.first[i]) < 0.05);
        REQUIRE(std::abs(s.total[i] - exact.total[i]) < 0.05);
    }
}

TEST_CASE("sensitivity: Morris screening ranks the G function's factors by importance") {
    const std::vector<double> a{0, 1, 9, 99};
    DesignSpec d;
    d.design = Design::morris;
    d.trajectories = 50;
    d.morris_levels = 4;
    const auto pts = design_points(d, unit_params(a.size()));
    REQUIRE(pts.size() == 50u * 5);
    std::vector<double> y;
    for (const auto& u : pts) y.push_back(sobol_g(u, a));
    const MorrisIndices m = morris_indices(pts, y, a.size());
    REQUIRE(m.mu_star[0] > m.mu_star[1]);
    REQUIRE(m.mu_star[1] > m.mu_star[2]);
    REQUIRE(m.mu_star[2] > m.mu_star[3]);
}

TEST_CASE("sweep design: grid, random and Latin hypercube points") {
    std::vector<SweepParameter> p(2);
    p[0].dist = Distribution::integer;
    p[0].low = 1;
    p[0].high = 3;
    p[1].dist = Distribution::choice;
    p[1].values = {"a", "b"};
    DesignSpec d;
    d.design = Design::grid;
    const auto grid = design_points(d, p);
    REQUIRE(grid.size() == 6);
    REQUIRE(parameter_text(p[0], grid[5][0]) == "3");
    REQUIRE(parameter_text(p[1], grid[5][1]) == "b");
    d.design = Design::lhs;
    d.samples = 10;
    const auto lhs = design_points(d, unit_params(2));
    for (int i = 0; i < 2; ++i) {
        std::vector<int> strata(10, 0);
        for (const auto& u : lhs) ++strata[static_cast<int>(u[i] * 10)];
        REQUIRE(strata == std::vector<int>(10, 1));  // one point per stratum
    }
    SweepParameter logu;
    logu.dist = Distribution::loguniform;
    logu.low = 1e-6;
    logu.high = 1e-4;
    REQUIRE(parameter_value(logu, 0.5) == Approx(1e-5));
    SweepParameter normal;
    normal.dist = Distribution::normal;
    normal.mean = 2;
    normal.sd = 3;
    REQUIRE(parameter_value(normal, kaisim::core::normal_cdf(1.0)) == Approx(5.0).epsilon(1e-9));
}
