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
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>

#include "kaisim/core/error.hpp"
#include "kaisim/core/statistics.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/metrics.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/study/sweep_design.hpp"

namespace kaisim::study {

#ifdef KAISIM_HAVE_PAGMO
namespace {

// Evaluations by decision vector: pagmo asks again for survivors and repeats.
// Fitness of a candidate that cannot run: finite (pagmo's crowding distances need differences).
constexpr double infeasible = 1e300;

struct Memo {
    Evaluator evaluate;
    std::vector<bool> maximise;
    std::map<std::vector<double>, Evaluation> seen;
    std::vector<std::vector<double>> order;  // every candidate, in the order first evaluated

    const Evaluation& at(const std::vector<double>& u) {
        auto it = seen.find(u);
        if (it == seen.end()) {
            it = seen.emplace(u, evaluate(u)).first;
            order.push_back(u);
        }
        return it->second;
    }
    // pagmo minimises: a maximised objective is negated. A candidate that cannot run (its
    // levers make an invalid scenario) is worse than any other on every objective.
    pagmo::vector_double fitness(const std::vector<double>& u) {
        const Evaluation& e = at(u);
        if (!e.error.empty()) return pagmo::vector_double(maximise.size(), infeasible);
        pagmo::vector_double f(e.mean.size());
        for (std::size_t i = 0; i < f.size(); ++i) f[i] = maximise[i] ? -e.mean[i] : e.mean[i];
        return f;
    }
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

}  // namespace

OptimisationOutcome optimise(std::size_t dims, const std::vector<bool>& maximise,
                             const Evaluator& evaluate, const std::string& algorithm,
                             std::uint32_t population, std::uint32_t generations,
                             std::uint32_t seed,
                             const std::function<void(std::uint32_t)>& progress) {
    if (maximise.size() < 2) throw std::invalid_argument("a search needs two objectives or more");
    if (algorithm == "nsga2" && (population < 8 || population % 4 != 0))
        throw std::invalid_argument(
            "NSGA-II needs a population that is a multiple of 4, at least 8");
    if (algorithm != "nsga2" && algorithm != "moead")
        throw std::invalid_argument("unknown algorithm '" + algorithm + "' (nsga2 or moead)");
    auto memo = std::make_shared<Memo>();
    memo->evaluate = evaluate;
    memo->maximise = maximise;
    pagmo::problem prob{Problem{dims, maximise.size(), memo}};
    pagmo::population pop{prob, population, seed};
    // One generation per call: the algorithm keeps its random stream between calls.
    pagmo::algorithm algo =
        algorithm == "nsga2" ? pagmo::algorithm{pagmo::nsga2(1, 0.95, 10., 0.01, 50., seed)}
                             : pagmo::algorithm{pagmo::moead(1, "low discrepancy", "tchebycheff",
                                                             std::min<unsigned>(20, population - 1),
                                                             1.0, 0.5, 20., 0.9, 2, true, seed)};
    // The archive: every candidate evaluated so far; its non-dominated set after each
    // generation is the front (an elitist algorithm may still drop a front member from its
    // population, the archive never does, so the hypervolume never falls).
    std::vector<std::size_t> evaluated_by{memo->order.size()};  // after each generation
    if (progress) progress(0);
    for (std::uint32_t g = 1; g <= generations; ++g) {
        pop = algo.evolve(pop);
        evaluated_by.push_back(memo->order.size());
        if (progress) progress(g);
    }
    // The archive's non-dominated set after each generation, kept incrementally: the set before
    // plus the candidates the generation added, sorted once (indices into memo->order).
    std::vector<std::vector<std::size_t>> fronts;
    std::vector<std::size_t> archive;
    for (std::size_t g = 0, from = 0; g < evaluated_by.size(); from = evaluated_by[g++]) {
        std::vector<std::size_t> pool = archive;
        for (std::size_t i = from; i < evaluated_by[g]; ++i)
            if (memo->seen.at(memo->order[i]).error.empty()) pool.push_back(i);
        std::vector<pagmo::vector_double> f;
        for (std::size_t i : pool) f.push_back(memo->fitness(memo->order[i]));
        archive.clear();
        if (!f.empty())
            for (std::size_t k : first_front(f)) archive.push_back(pool[k]);
        std::sort(archive.begin(), archive.end());
        fronts.push_back(archive);
    }
    OptimisationOutcome out;
    out.evaluations = memo->seen.size();
    // Reference point: past the worst value of every objective over all evaluations.
    const std::size_t n = maximise.size();
    std::vector<double> worst(n, -INFINITY), best(n, INFINITY);
    for (const auto& [u, e] : memo->seen) {
        if (!e.error.empty()) {
            ++out.infeasible;
            continue;
        }
        const pagmo::vector_double f = memo->fitness(u);
        for (std::size_t i = 0; i < n; ++i) {
            worst[i] = std::max(worst[i], f[i]);
            best[i] = std::min(best[i], f[i]);
        }
    }
    out.reference.resize(n);
    // Past the worst by a tenth of the range, or by a millionth of the value's size when every
    // candidate gave the same (a zero-width dimension would make every hypervolume 0).
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(worst[i])) worst[i] = best[i] = 0;  // no feasible candidate
        out.reference[i] = worst[i] + std::max(0.1 * (worst[i] - best[i]),
                                               1e-6 * std::max(1.0, std::fabs(worst[i])));
    }
    for (const std::vector<std::size_t>& front : fronts) {
        std::vector<pagmo::vector_double> f;
        for (std::size_t i : front) f.push_back(memo->fitness(memo->order[i]));
        out.hypervolume.push_back(f.empty() ? 0.0
                                            : pagmo::hypervolume(f, true).compute(out.reference));
    }
    for (std::size_t i : fronts.back()) {
        const std::vector<double>& u = memo->order[i];
        const Evaluation& e = memo->at(u);
        out.front.push_back(Candidate{u, {}, e.mean, e.lo, e.hi});
    }
    std::sort(out.front.begin(), out.front.end(), [](const Candidate& a, const Candidate& b) {
        return a.mean != b.mean ? a.mean < b.mean : a.u < b.u;
    });
    return out;
}
#else
OptimisationOutcome optimise(std::size_t, const std::vector<bool>&, const Evaluator&,
                             const std::string&, std::uint32_t, std::uint32_t, std::uint32_t,
                             const std::function<void(std::uint32_t)>&) {
    throw std::runtime_error(
        "this kaisim was built without pagmo2 (apt-get install libpagmo-dev, "
        "then build again): no optimise");
}
#endif

OptimisationOutcome run_optimisation(const OptimisationSpec& spec, const ScenarioSource& source,
                                     int threads,
                                     const std::function<void(std::uint32_t)>& progress) {
    // Metric names and lever paths are checked before any run: on the scenario as it is and
    // with every lever at both ends.
    const model::Scenario base = source({});
    const std::vector<run::MetricSpec> specs = run::metric_specs(base);
    std::vector<std::size_t> index;
    for (const Objective& o : spec.objectives) {
        const auto it = std::find_if(specs.begin(), specs.end(),
                                     [&](const run::MetricSpec& m) { return m.name == o.metric; });
        if (it == specs.end()) {
            std::string known;
            for (const run::MetricSpec& m : specs) known += (known.empty() ? "" : ", ") + m.name;
            throw InputError(spec.file, 1, 1,
                             "no metric '" + o.metric + "' (the metrics: " + known + ")");
        }
        index.push_back(static_cast<std::size_t>(it - specs.begin()));
    }
    for (double end : {0.0, 1.0}) {
        std::vector<std::string> sets;
        for (const SweepParameter& p : spec.levers)
            for (const std::string& s : parameter_sets(p, end)) sets.push_back(s);
        source(sets);
    }
    const auto sets_of = [&](const std::vector<double>& u) {
        std::vector<std::string> sets;
        for (std::size_t j = 0; j < spec.levers.size(); ++j)
            for (const std::string& s : parameter_sets(spec.levers[j], u[j])) sets.push_back(s);
        return sets;
    };
    const auto backend = eval::make_backend("auto", threads);
    // Integer and choice levers map many points of the unit cube to one policy: each policy is
    // simulated once.
    std::map<std::vector<std::string>, Evaluation> by_policy;
    const Evaluator evaluate = [&](const std::vector<double>& u) {
        const std::vector<std::string> sets = sets_of(u);
        if (const auto it = by_policy.find(sets); it != by_policy.end()) return it->second;
        model::Scenario sc;
        try {
            sc = source(sets);
        } catch (const InputError& e) {
            // A combination of levers the scenario refuses (e.g. a cut keeping more teams than
            // the stage before left): not a policy, and no reason to lose the search.
            Evaluation bad;
            bad.error = e.what();
            by_policy.emplace(sets, bad);
            return bad;
        }
        const programme::PreparedScenario prepared = programme::prepare(sc);
        run::McOptions opt;
        opt.replicates = spec.replicates;
        opt.threads = threads;
        const run::McResult mc = run::run_monte_carlo(prepared, *backend, opt);
        Evaluation e;
        for (std::size_t m : index) {
            const double n = static_cast<double>(mc.replicates);
            // A probability gets a Wilson interval (within [0, 1]), as mc_summary.json gives.
            const core::Interval ci = specs[m].probability
                                          ? core::wilson_interval(mc.metrics[m].mean() * n, n)
                                          : mc.metrics[m].mean_ci();
            e.mean.push_back(mc.metrics[m].mean());
            e.lo.push_back(ci.lo);
            e.hi.push_back(ci.hi);
        }
        by_policy.emplace(sets, e);
        return e;
    };
    std::vector<bool> maximise;
    for (const Objective& o : spec.objectives) maximise.push_back(o.maximise);
    OptimisationOutcome out = optimise(spec.levers.size(), maximise, evaluate, spec.algorithm,
                                       spec.population, spec.generations, spec.seed, progress);
    // Each policy once on the front (several points of the unit cube may be the same policy).
    std::vector<Candidate> front;
    for (Candidate& c : out.front) {
        c.sets = sets_of(c.u);
        if (std::none_of(front.begin(), front.end(),
                         [&](const Candidate& f) { return f.sets == c.sets; }))
            front.push_back(std::move(c));
    }
    out.front = std::move(front);
    out.evaluations = by_policy.size();
    out.infeasible = static_cast<std::uint64_t>(std::count_if(
        by_policy.begin(), by_policy.end(), [](const auto& p) { return !p.second.error.empty(); }));
    return out;
}

}  // namespace kaisim::study
