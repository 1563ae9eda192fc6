#include <catch2/catch.hpp>

#include <cmath>

#include "kaisim/study/optimisation.hpp"

using kaisim::study::Evaluation;
using kaisim::study::optimise;

namespace {
// ZDT1 (Zitzler, Deb and Thiele 2000) on 10 variables: f1 = x1, g = 1 + 9 mean(x2..x10),
// f2 = g (1 - sqrt(f1 / g)); the Pareto front is f2 = 1 - sqrt(f1) (g = 1), both minimised.
Evaluation zdt1(const std::vector<double>& x) {
    double s = 0;
    for (std::size_t i = 1; i < x.size(); ++i) s += x[i];
    const double g = 1 + 9 * s / static_cast<double>(x.size() - 1);
    const double f1 = x[0], f2 = g * (1 - std::sqrt(f1 / g));
    return {{f1, f2}, {f1, f2}, {f1, f2}, ""};
}
}  // namespace

TEST_CASE("optimise: NSGA-II reaches 95% of ZDT1's optimal hypervolume in 8,000 evaluations") {
    // Reference point (1.1, 1.1) after normalising: compare hypervolumes on the same reference.
    // The true front's hypervolume to (r, r) is r^2 - 1/3 (the area under 1 - sqrt(f1) is 1/3).
    const auto out = optimise(10, {false, false}, zdt1, "nsga2", 80, 100, 3);
    REQUIRE(out.hypervolume.size() == 101);
    for (std::size_t g = 1; g < out.hypervolume.size(); ++g)
        REQUIRE(out.hypervolume[g] >= out.hypervolume[g - 1]);  // the archive never loses
    // Hypervolume of the front found, to a fixed reference (2, 2): compute from the candidates.
    std::vector<std::pair<double, double>> f;
    for (const auto& c : out.front) f.emplace_back(c.mean[0], c.mean[1]);
    std::sort(f.begin(), f.end());
    double hv = 0, prev_f2 = 2;
    for (const auto& [f1, f2] : f) {
        if (f1 >= 2 || f2 >= prev_f2) continue;
        hv += (2 - f1) * (prev_f2 - f2);
        prev_f2 = f2;
    }
    const double optimum = 4 - 1.0 / 3;
    INFO("hypervolume " << hv << " of " << optimum);
    REQUIRE(hv >= 0.95 * optimum);
    REQUIRE(out.front.size() >= 20);
}

TEST_CASE("optimise: the same seed gives the same front, and MOEA/D runs too") {
    const auto a = optimise(10, {false, false}, zdt1, "nsga2", 16, 10, 5);
    const auto b = optimise(10, {false, false}, zdt1, "nsga2", 16, 10, 5);
    REQUIRE(a.front.size() == b.front.size());
    for (std::size_t i = 0; i < a.front.size(); ++i) REQUIRE(a.front[i].u == b.front[i].u);
    REQUIRE(a.hypervolume == b.hypervolume);
    const auto m = optimise(10, {false, false}, zdt1, "moead", 20, 20, 5);
    REQUIRE(m.hypervolume.back() >= m.hypervolume.front());
    REQUIRE_THROWS_AS(optimise(10, {false, false}, zdt1, "nsga2", 10, 1, 5), std::invalid_argument);
    REQUIRE_THROWS_AS(optimise(10, {false}, zdt1, "nsga2", 16, 1, 5), std::invalid_argument);
}
