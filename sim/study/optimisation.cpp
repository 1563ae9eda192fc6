#include "kaisim/study/optimisation.hpp"

#ifdef KAISIM_HAVE_PAGMO
#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/moead.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>
#endif

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>

#include "kaisim/core/statistics.hpp"

namespace kaisim::study {

#ifdef KAISIM_HAVE_PAGMO
namespace {

// The q-quantile of sorted values (linear between order statistics, Hyndman and Fan's type 7)
// and a distribution-free 95% interval: the order statistics of ranks (1-based) floor(n q - h)
// and ceil(n q + h) + 1, h = z sqrt(n q (1 - q)), by the binomial's normal approximation (a
// slightly conservative choice). Where a rank falls outside 1..n the interval stops at the
// extreme value and covers less than 95%: too few replicates for that quantile.
struct QuantileEstimate {
    double value = 0, lo = 0, hi = 0;
};
QuantileEstimate quantile_of(std::vector<double> x, double q) {
    if (x.empty()) throw std::invalid_argument("a quantile objective needs the replicates' values");
    std::sort(x.begin(), x.end());
    const double n = static_cast<double>(x.size()), h = (n - 1) * q;
    const auto below = static_cast<std::size_t>(std::floor(h));
    const std::size_t above = std::min(below + 1, x.size() - 1);
    const double half = core::z95 * std::sqrt(n * q * (1 - q));
    const auto rank = [&](double r) {
        return x[static_cast<std::size_t>(std::clamp(r, 0.0, n - 1))];
    };
    return {x[below] + (h - static_cast<double>(below)) * (x[above] - x[below]),
            rank(std::floor(n * q - half) - 1), rank(std::ceil(n * q + half))};
}

// Fitness of a candidate that cannot run or breaks a constraint: worse than any other, by how
// much it breaks it (finite: pagmo's crowding distances need differences).
constexpr double infeasible = 1e300;

// Every candidate evaluated, by decision vector (pagmo asks again for survivors and repeats),
// and the best value of each regret objective's metric in each replicate.
struct Memo {
    Evaluator evaluate;
    std::vector<Objective> objectives;
    std::map<std::vector<double>, Evaluation> seen;
    std::vector<std::vector<double>> order;  // every candidate, in the order first evaluated
    std::vector<std::vector<double>> best;   // [objective][replicate], regret objectives only

    static bool usable(const Evaluation& e) { return e.error.empty() && e.violation <= 0; }

    // Takes a candidate's values into each regret's best; `always` for the plan, whose regret
    // is measured against the best of it and the usable candidates even when it breaks a
    // constraint.
    void learn(const Evaluation& e, bool always = false) {
        if (!e.error.empty() || (!always && !usable(e))) return;
        best.resize(objectives.size());
        for (std::size_t i = 0; i < objectives.size(); ++i) {
            if (objectives[i].statistic != Statistic::regret) continue;
            const std::vector<double>& s = e.samples.at(i);
            if (best[i].empty()) best[i] = s;
            if (best[i].size() != s.size())
                throw std::invalid_argument(
                    "a regret needs every candidate on the same replicates");
            for (std::size_t r = 0; r < s.size(); ++r)
                best[i][r] = objectives[i].maximise ? std::max(best[i][r], s[r])
                                                    : std::min(best[i][r], s[r]);
        }
    }
    const Evaluation& at(const std::vector<double>& u) {
        auto it = seen.find(u);
        if (it == seen.end()) {
            it = seen.emplace(u, evaluate(u)).first;
            order.push_back(u);
            learn(it->second);
        }
        return it->second;
    }
    // Objective i's statistic of an evaluation, with its 95% interval.
    QuantileEstimate statistic(const Evaluation& e, std::size_t i) const {
        const Objective& o = objectives[i];
        if (o.statistic == Statistic::mean) return {e.mean[i], e.lo[i], e.hi[i]};
        if (o.statistic == Statistic::quantile) return quantile_of(e.samples.at(i), o.q);
        std::vector<double> regret = e.samples.at(i);
        // No best yet (no plan, nobody within the constraints): the candidate is its own.
        const std::vector<double>& b = best.size() > i && !best[i].empty() ? best[i] : regret;
        for (std::size_t r = 0; r < regret.size(); ++r)
            regret[r] = o.maximise ? b[r] - regret[r] : regret[r] - b[r];
        return quantile_of(std::move(regret), o.q);
    }
    // pagmo minimises: a statistic whose larger values are better is negated.
    pagmo::vector_double fitness_of(const Evaluation& e) const {
        if (!e.error.empty()) return pagmo::vector_double(objectives.size(), 2 * infeasible);
        // Graded without a cap (v / (1 + v) rises towards 1 for any v), below a refused one.
        if (e.violation > 0)
            return pagmo::vector_double(objectives.size(),
                                        infeasible * (1 + e.violation / (1 + e.violation)));
        pagmo::vector_double f(objectives.size());
        for (std::size_t i = 0; i < f.size(); ++i) {
            const double v = statistic(e, i).value;
            f[i] = objectives[i].larger_better() ? -v : v;
        }
        return f;
    }
    pagmo::vector_double fitness(const std::vector<double>& u) { return fitness_of(at(u)); }
};

// The problem as pagmo sees it: `dims` unit intervals, one fitness value per objective.
struct Problem {
    std::size_t dims = 1, objectives = 2;
    std::shared_ptr<Memo> memo;
    pagmo::vector_double fitness(const pagmo::vector_double& x) const { return memo->fitness(x); }
    std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
        return {pagmo::vector_double(dims, 0.0), pagmo::vector_double(dims, 1.0)};
    }
    pagmo::vector_double::size_type get_nobj() const { return objectives; }
    std::string get_name() const { return "kaisim levers"; }
};

std::vector<std::size_t> first_front(const std::vector<pagmo::vector_double>& f) {
    if (f.size() < 2) return f.empty() ? std::vector<std::size_t>{} : std::vector<std::size_t>{0};
    const auto sorted = pagmo::fast_non_dominated_sorting(f);
    std::vector<std::size_t> front(std::get<0>(sorted).front().begin(),
                                   std::get<0>(sorted).front().end());
    std::sort(front.begin(), front.end());
    return front;
}

// A candidate as the outputs give it: each objective's statistic, and against the plan the
// paired difference of each metric's mean over the same replicates.
Candidate describe(const Memo& memo, const std::vector<double>& u, const Evaluation& e,
                   const Evaluation* plan) {
    Candidate c;
    c.u = u;
    for (std::size_t i = 0; i < memo.objectives.size(); ++i) {
        const QuantileEstimate s = memo.statistic(e, i);
        c.value.push_back(s.value);
        c.lo.push_back(s.lo);
        c.hi.push_back(s.hi);
    }
    if (!plan || e.samples.size() != memo.objectives.size()) return c;
    const Candidate p = describe(memo, {}, *plan, nullptr);
    bool no_worse = true, better = false;
    for (std::size_t i = 0; i < memo.objectives.size(); ++i) {
        core::RunningStats d;
        for (std::size_t r = 0; r < e.samples[i].size(); ++r)
            d.add(e.samples[i][r] - plan->samples.at(i).at(r));
        c.vs_plan.push_back(d.mean());
        c.vs_plan_lo.push_back(d.mean_ci().lo);
        c.vs_plan_hi.push_back(d.mean_ci().hi);
        const double gain =
            memo.objectives[i].larger_better() ? c.value[i] - p.value[i] : p.value[i] - c.value[i];
        no_worse = no_worse && gain >= 0;
        better = better || gain > 0;
    }
    c.dominates_plan = no_worse && better;
    return c;
}

}  // namespace

OptimisationOutcome optimise(std::size_t dims, const std::vector<Objective>& objectives,
                             const Evaluator& evaluate, const SearchSettings& settings,
                             const std::function<void(std::uint32_t)>& progress,
                             const Evaluation* plan) {
    const std::uint32_t population = settings.population, seed = settings.seed;
    if (objectives.size() < 2) throw std::invalid_argument("a search needs two objectives or more");
    if (settings.algorithm == "nsga2" && (population < 8 || population % 4 != 0))
        throw std::invalid_argument(
            "NSGA-II needs a population that is a multiple of 4, at least 8");
    if (settings.algorithm != "nsga2" && settings.algorithm != "moead")
        throw std::invalid_argument("unknown algorithm '" + settings.algorithm +
                                    "' (nsga2 or moead)");
    auto memo = std::make_shared<Memo>();
    memo->evaluate = evaluate;
    memo->objectives = objectives;
    if (plan) memo->learn(*plan, true);
    pagmo::problem prob{Problem{dims, objectives.size(), memo}};
    pagmo::population pop{prob, population, seed};
    // One generation per call: the algorithm keeps its random stream between calls.
    pagmo::algorithm algo =
        settings.algorithm == "nsga2"
            ? pagmo::algorithm{pagmo::nsga2(1, 0.95, 10., 0.01, 50., seed)}
            : pagmo::algorithm{pagmo::moead(1, "low discrepancy", "tchebycheff",
                                            std::min<unsigned>(20, population - 1), 1.0, 0.5, 20.,
                                            0.9, 2, true, seed)};
    // The archive: every candidate evaluated so far; its non-dominated set after each
    // generation is the front (an elitist algorithm may still drop a front member from its
    // population, the archive never does, so the hypervolume never falls).
    std::vector<std::size_t> evaluated_by{memo->order.size()};  // after each generation
    if (progress) progress(0);
    const bool regrets = std::any_of(objectives.begin(), objectives.end(), [](const Objective& o) {
        return o.statistic == Statistic::regret;
    });
    for (std::uint32_t g = 1; g <= settings.generations; ++g) {
        pop = algo.evolve(pop);
        // A regret measured when a candidate was first evaluated was against a weaker best:
        // the survivors are measured again against every candidate so far (from the memo, no
        // simulation), so that older candidates are not favoured.
        if (regrets)
            for (pagmo::population::size_type i = 0; i < pop.size(); ++i)
                pop.set_xf(i, pop.get_x()[i], memo->fitness(pop.get_x()[i]));
        evaluated_by.push_back(memo->order.size());
        if (progress) progress(g);
    }
    // Every candidate's fitness against all candidates (regrets change as better policies are
    // found), then the archive's non-dominated set after each generation, kept incrementally:
    // the set before plus the candidates the generation added, sorted once.
    std::vector<pagmo::vector_double> fit;
    for (const auto& u : memo->order) fit.push_back(memo->fitness_of(memo->seen.at(u)));
    std::vector<std::vector<std::size_t>> fronts;
    std::vector<std::size_t> archive;
    for (std::size_t g = 0, from = 0; g < evaluated_by.size(); from = evaluated_by[g++]) {
        std::vector<std::size_t> pool = archive;
        for (std::size_t i = from; i < evaluated_by[g]; ++i)
            if (Memo::usable(memo->seen.at(memo->order[i]))) pool.push_back(i);
        std::vector<pagmo::vector_double> f;
        for (std::size_t i : pool) f.push_back(fit[i]);
        archive.clear();
        for (std::size_t k : first_front(f)) archive.push_back(pool[k]);
        std::sort(archive.begin(), archive.end());
        fronts.push_back(archive);
    }
    OptimisationOutcome out;
    out.evaluations = memo->seen.size();
    // Reference point: past the worst value of every objective over the usable candidates.
    const std::size_t n = objectives.size();
    std::vector<double> worst(n, -INFINITY), best(n, INFINITY);
    for (std::size_t k = 0; k < memo->order.size(); ++k) {
        const Evaluation& e = memo->seen.at(memo->order[k]);
        out.infeasible += !e.error.empty();
        out.violating += e.error.empty() && e.violation > 0;
        if (!Memo::usable(e)) continue;
        for (std::size_t i = 0; i < n; ++i) {
            worst[i] = std::max(worst[i], fit[k][i]);
            best[i] = std::min(best[i], fit[k][i]);
        }
    }
    out.reference.resize(n);
    // Past the worst by a tenth of the range, or by a millionth of the value's size when every
    // candidate gave the same (a zero-width dimension would make every hypervolume 0).
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(worst[i])) worst[i] = best[i] = 0;  // no usable candidate
        out.reference[i] = worst[i] + std::max(0.1 * (worst[i] - best[i]),
                                               1e-6 * std::max(1.0, std::fabs(worst[i])));
    }
    for (const std::vector<std::size_t>& front : fronts) {
        std::vector<pagmo::vector_double> f;
        for (std::size_t i : front) f.push_back(fit[i]);
        out.hypervolume.push_back(f.empty() ? 0.0
                                            : pagmo::hypervolume(f, true).compute(out.reference));
    }
    for (std::size_t i : fronts.back())
        out.front.push_back(describe(*memo, memo->order[i], memo->seen.at(memo->order[i]), plan));
    std::sort(out.front.begin(), out.front.end(), [](const Candidate& a, const Candidate& b) {
        return a.value != b.value ? a.value < b.value : a.u < b.u;
    });
    if (plan) {
        out.has_plan = true;
        out.plan = describe(*memo, {}, *plan, nullptr);
    }
    // Every candidate that ran, in the order evaluated, with its statistics.
    for (const std::vector<double>& u : memo->order) {
        const Evaluation& e = memo->seen.at(u);
        if (!e.error.empty()) continue;
        out.evaluated.push_back(describe(*memo, u, e, nullptr));
        out.evaluated.back().meets_constraints = e.violation <= 0;
    }
    return out;
}
#else
OptimisationOutcome optimise(std::size_t, const std::vector<Objective>&, const Evaluator&,
                             const SearchSettings&, const std::function<void(std::uint32_t)>&,
                             const Evaluation*) {
    throw std::runtime_error(
        "this kaisim was built without pagmo2 (apt-get install libpagmo-dev, "
        "then build again): no optimise");
}
#endif

}  // namespace kaisim::study
