#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "kaisim/study/optimisation.hpp"

using kaisim::study::Evaluation;
using kaisim::study::Objective;
using kaisim::study::optimise;
using kaisim::study::SearchSettings;

namespace {
// ZDT1 (Zitzler, Deb and Thiele 2000) on 10 variables: f1 = x1, g = 1 + 9 mean(x2..x10),
// f2 = g (1 - sqrt(f1 / g)); the Pareto front is f2 = 1 - sqrt(f1) (g = 1), both minimised.
Evaluation zdt1(const std::vector<double>& x) {
    double s = 0;
    for (std::size_t i = 1; i < x.size(); ++i) s += x[i];
    const double g = 1 + 9 * s / static_cast<double>(x.size() - 1);
    const double f1 = x[0], f2 = g * (1 - std::sqrt(f1 / g));
    return {{f1, f2}, {f1, f2}, {f1, f2}, {}, 0, ""};
}
const std::vector<Objective> both_minimised{{"f1", false}, {"f2", false}};
}  // namespace

TEST_CASE("optimise: NSGA-II reaches 95% of ZDT1's optimal hypervolume in 8,000 evaluations") {
    // Reference point (1.1, 1.1) after normalising: compare hypervolumes on the same reference.
    // The true front's hypervolume to (r, r) is r^2 - 1/3 (the area under 1 - sqrt(f1) is 1/3).
    const auto out = optimise(10, both_minimised, zdt1, SearchSettings{"nsga2", 80, 100, 3});
    REQUIRE(out.hypervolume.size() == 101);
    for (std::size_t g = 1; g < out.hypervolume.size(); ++g)
        REQUIRE(out.hypervolume[g] >= out.hypervolume[g - 1]);  // the archive never loses
    // Hypervolume of the front found, to a fixed reference (2, 2): compute from the candidates.
    std::vector<std::pair<double, double>> f;
    for (const auto& c : out.front) f.emplace_back(c.value[0], c.value[1]);
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
    const auto a = optimise(10, both_minimised, zdt1, SearchSettings{"nsga2", 16, 10, 5});
    const auto b = optimise(10, both_minimised, zdt1, SearchSettings{"nsga2", 16, 10, 5});
    REQUIRE(a.front.size() == b.front.size());
    for (std::size_t i = 0; i < a.front.size(); ++i) REQUIRE(a.front[i].u == b.front[i].u);
    REQUIRE(a.hypervolume == b.hypervolume);
    const auto m = optimise(10, both_minimised, zdt1, SearchSettings{"moead", 20, 20, 5});
    REQUIRE(m.hypervolume.back() >= m.hypervolume.front());
    REQUIRE_THROWS_AS(optimise(10, both_minimised, zdt1, SearchSettings{"nsga2", 10, 1, 5}),
                      std::invalid_argument);
    REQUIRE_THROWS_AS(optimise(10, {both_minimised[0]}, zdt1, SearchSettings{"nsga2", 16, 1, 5}),
                      std::invalid_argument);
}

namespace {
// A policy u in [0,1]^2 over 50 replicates: metric a = u0 + e_r (maximised; e_r a fixed
// sequence shared by every policy, as common random numbers give), metric b = u1 + |e_r| u0
// (minimised: larger u0 buys a with risk on b). Every evaluation is recorded.
struct Recorded {
    std::map<std::vector<double>, Evaluation> seen;
    Evaluation operator()(const std::vector<double>& u) {
        Evaluation e;
        std::vector<double> a, b;
        for (int r = 0; r < 50; ++r) {
            const double noise = std::sin(1.7 * r + 0.3);
            a.push_back(u[0] + noise);
            b.push_back(u[1] + std::fabs(noise) * u[0]);
        }
        for (const auto* s : {&a, &b, &b}) {  // the third objective is b again
            double m = 0;
            for (double x : *s) m += x / 50;
            e.mean.push_back(m);
            e.lo.push_back(m);
            e.hi.push_back(m);
            e.samples.push_back(*s);
        }
        // Constraint: u0 + u1 at least 0.5.
        e.violation = std::max(0.0, 0.5 - (u[0] + u[1])) / 0.5;
        seen.emplace(u, e);
        return e;
    }
};
double type7(std::vector<double> x, double q) {
    std::sort(x.begin(), x.end());
    const double h = (static_cast<double>(x.size()) - 1) * q;
    const auto k = static_cast<std::size_t>(h);
    return k + 1 < x.size() ? x[k] + (h - static_cast<double>(k)) * (x[k + 1] - x[k]) : x[k];
}
}  // namespace

TEST_CASE(
    "optimise: quantile and regret objectives, constraints and the plan, recomputed by hand") {
    using kaisim::study::Statistic;
    auto rec = std::make_shared<Recorded>();
    const std::vector<Objective> objectives{{"a", true, Statistic::regret, 0.9},
                                            {"b", false, Statistic::quantile, 0.8},
                                            {"b", false, Statistic::regret, 0.5}};
    // A plan that breaks the constraint: its regret is still measured, against the best of it
    // and the candidates that meet the constraint.
    Recorded plan_maker;
    const Evaluation plan = plan_maker({0.2, 0.2});
    REQUIRE(plan.violation > 0);
    const auto out = optimise(
        2, objectives, [rec](const std::vector<double>& u) { return (*rec)(u); },
        SearchSettings{"nsga2", 16, 8, 2}, {}, &plan);
    REQUIRE(out.front.size() >= 2);
    REQUIRE(out.violating > 0);  // the constraint bit: some candidates broke it
    // The best a (highest) and b (lowest) of every replicate over every candidate that met the
    // constraint, and the plan.
    std::vector<double> best = plan.samples[0], best_b = plan.samples[1];
    for (const auto& [u, e] : rec->seen)
        if (e.violation <= 0)
            for (std::size_t r = 0; r < best.size(); ++r) {
                best[r] = std::max(best[r], e.samples[0][r]);
                best_b[r] = std::min(best_b[r], e.samples[1][r]);
            }
    // The order statistics of the 95% interval: 1-based ranks floor(n q - h) and
    // ceil(n q + h) + 1, h = 1.96 sqrt(n q (1 - q)), n = 50.
    const auto interval = [](std::vector<double> x, double q) {
        std::sort(x.begin(), x.end());
        const double n = 50, h = 1.959963984540054 * std::sqrt(n * q * (1 - q));
        const auto at = [&](double rank1) {
            return x[static_cast<std::size_t>(std::clamp(rank1 - 1, 0.0, 49.0))];
        };
        return std::pair{at(std::floor(n * q - h)), at(std::ceil(n * q + h) + 1)};
    };
    const auto check = [&](const kaisim::study::Candidate& c, const Evaluation& e) {
        std::vector<double> regret, regret_b;
        for (std::size_t r = 0; r < best.size(); ++r) {
            regret.push_back(best[r] - e.samples[0][r]);
            regret_b.push_back(e.samples[1][r] - best_b[r]);
        }
        REQUIRE(c.value[0] == Approx(type7(regret, 0.9)).margin(1e-12));
        REQUIRE(c.value[1] == Approx(type7(e.samples[1], 0.8)).margin(1e-12));
        REQUIRE(c.value[2] == Approx(type7(regret_b, 0.5)).margin(1e-12));
        const auto [lo0, hi0] = interval(regret, 0.9);
        const auto [lo1, hi1] = interval(e.samples[1], 0.8);
        const auto [lo2, hi2] = interval(regret_b, 0.5);
        REQUIRE(c.lo == std::vector<double>{lo0, lo1, lo2});
        REQUIRE(c.hi == std::vector<double>{hi0, hi1, hi2});
    };
    check(out.plan, plan);
    for (const auto& c : out.front) {
        const Evaluation& e = rec->seen.at(c.u);
        REQUIRE(e.violation <= 0);  // no candidate outside the constraint is on the front
        check(c, e);
        // Paired differences from the plan: the mean of the per-replicate differences.
        for (std::size_t i = 0; i < 3; ++i) {
            double d = 0;
            for (std::size_t r = 0; r < 50; ++r) d += (e.samples[i][r] - plan.samples[i][r]) / 50;
            REQUIRE(c.vs_plan[i] == Approx(d).margin(1e-12));
            REQUIRE(c.vs_plan_lo[i] <= c.vs_plan[i]);
            REQUIRE(c.vs_plan[i] <= c.vs_plan_hi[i]);
        }
        // Dominance of the plan, on the statistics (all three lower is better).
        bool no_worse = true, better = false;
        for (std::size_t i = 0; i < 3; ++i) {
            no_worse = no_worse && c.value[i] <= out.plan.value[i];
            better = better || c.value[i] < out.plan.value[i];
        }
        REQUIRE(c.dominates_plan == (no_worse && better));
    }
    // No front member is dominated by any usable candidate evaluated.
    for (const auto& c : out.front)
        for (const auto& [u, e] : rec->seen) {
            if (e.violation > 0) continue;
            std::vector<double> regret, regret_b;
            for (std::size_t r = 0; r < best.size(); ++r) {
                regret.push_back(best[r] - e.samples[0][r]);
                regret_b.push_back(e.samples[1][r] - best_b[r]);
            }
            const double v[3] = {type7(regret, 0.9), type7(e.samples[1], 0.8),
                                 type7(regret_b, 0.5)};
            bool no_worse = true, better = false;
            for (std::size_t i = 0; i < 3; ++i) {
                no_worse = no_worse && v[i] <= c.value[i] + 1e-12;
                better = better || v[i] < c.value[i] - 1e-12;
            }
            REQUIRE_FALSE((no_worse && better));
        }
}
