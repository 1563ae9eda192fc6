#pragma once
// Many-objective policy search: levers of a scenario searched by a multi-objective evolutionary
// algorithm (pagmo2: NSGA-II, or MOEA/D), every candidate evaluated by a Monte Carlo on the
// same replicates (common random numbers), so that candidates differ by policy, not by noise.
// Each objective is a robustness statistic of a metric over the replicates: its mean, a
// quantile, or a quantile of its regret against the best policy in the same replicate (as in
// robust decision making); constraints bound metrics' means.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/study/sweep_runner.hpp"
#include "kaisim/study/sweep_spec.hpp"

namespace kaisim::study {

/// How an objective summarises its metric over the replicates.
enum class Statistic {
    mean,      ///< the mean
    quantile,  ///< the q-quantile of the metric (e.g. q = 0.1 of a maximised one: a bad year)
    regret,    ///< the q-quantile of the regret: how far it falls short of the best policy
               ///< evaluated in the same replicate (the announced plan included); minimised
};

struct Objective {
    std::string metric;    ///< a Monte Carlo metric (kaisim run's metrics)
    bool maximise = true;  ///< the metric's sense (else minimise)
    Statistic statistic = Statistic::mean;
    double q = 0.5;  ///< quantile and regret: which quantile
    /// The objective's name in outputs: the metric for a mean, `metric_q10` for its 10%
    /// quantile, `metric_regret_q90` for the 90% quantile of its regret.
    std::string label() const {
        if (statistic == Statistic::mean) return metric;
        char q100[32];
        std::snprintf(q100, sizeof q100, "%g", q * 100);
        return metric + (statistic == Statistic::regret ? "_regret_q" : "_q") + q100;
    }
    /// Whether a larger value of the statistic is better (a regret is always minimised).
    bool larger_better() const { return maximise && statistic != Statistic::regret; }
};

/// A bound on a metric's mean over the replicates; a candidate outside it is never on the
/// front (e.g. `feasible` at least 1: every budget fits in every replicate).
struct Constraint {
    std::string metric;
    double min = -INFINITY, max = INFINITY;
};

struct OptimisationSpec {
    std::string file, name;
    std::string scenario;
    std::vector<std::string> overlays;
    std::string posterior;               ///< a posterior.csv of kaisim calibrate ("" = none)
    std::vector<SweepParameter> levers;  ///< as a sweep's parameters (linked paths allowed)
    std::vector<Objective> objectives;
    std::vector<Constraint> constraints;
    std::string algorithm = "nsga2";  ///< nsga2 or moead
    std::uint32_t population = 24;    ///< NSGA-II: a multiple of 4, at least 8
    std::uint32_t generations = 10;
    std::uint32_t seed = 1;          ///< the algorithm's (the scenario's seed draws the replicates)
    std::uint32_t replicates = 100;  ///< per candidate, the same for every candidate
};

/// What an evaluation returns, per objective: the mean of its metric and the mean's 95%
/// interval, and the metric in each replicate (needed by quantile and regret objectives and
/// by the paired comparison with the plan; may be empty for mean objectives).
struct Evaluation {
    std::vector<double> mean, lo, hi;
    std::vector<std::vector<double>> samples;
    double violation = 0;  ///< > 0: outside a constraint (by how much, relative to the bound)
    std::string error;     ///< non-empty: the candidate cannot run (why)
};
using Evaluator = std::function<Evaluation(const std::vector<double>& u)>;

/// One candidate: its levers (unit cube and --set assignments), and per objective the
/// statistic with its 95% interval and, against the plan on the same replicates, the paired
/// difference of the metric's mean (candidate minus plan) with its 95% interval.
struct Candidate {
    std::vector<double> u;
    std::vector<std::string> sets;
    std::vector<double> value, lo, hi;
    std::vector<double> vs_plan, vs_plan_lo, vs_plan_hi;
    bool dominates_plan = false;  ///< no worse on every objective's statistic, better on one
    bool meets_constraints = true;
};

struct OptimisationOutcome {
    std::vector<Candidate> front;  ///< non-dominated among every feasible candidate evaluated
    /// Every candidate that ran (not those the scenario refused), in the order evaluated, each
    /// policy once; without the comparison with the plan.
    std::vector<Candidate> evaluated;
    std::vector<double> hypervolume;  ///< of each generation's front (0 = the first population)
    std::vector<double> reference;    ///< the hypervolume's reference point (minimised sense)
    std::uint64_t evaluations = 0;    ///< distinct candidates (policies) evaluated
    std::uint64_t infeasible = 0;     ///< of those, candidates the scenario refused
    std::uint64_t violating = 0;      ///< of those, candidates outside a constraint
    bool has_plan = false;
    Candidate plan;               ///< the plan as given (no lever set), when evaluated
    std::uint64_t simulated = 0;  ///< policies simulated by this run
    std::uint64_t reused = 0;     ///< policies taken from the store (--resume)
};

struct SearchSettings {
    std::string algorithm = "nsga2";
    std::uint32_t population = 24, generations = 10, seed = 1;
};

/// Runs the search on `dims` unit-interval decision variables; `evaluate` gives the objectives
/// (each candidate is evaluated once: repeats come from a memo). A `plan`, when given, takes
/// part in every regret and is compared with each front candidate. Regrets during the search
/// are against the candidates evaluated so far; the front, its values and the hypervolumes
/// are computed at the end against all of them. Deterministic for a seed. Throws
/// std::invalid_argument on a population the algorithm cannot take.
OptimisationOutcome optimise(std::size_t dims, const std::vector<Objective>& objectives,
                             const Evaluator& evaluate, const SearchSettings& settings,
                             const std::function<void(std::uint32_t generation)>& progress = {},
                             const Evaluation* plan = nullptr);

/// Where a search keeps each policy's Monte Carlo, so that a search stopped at any moment
/// resumes: the algorithm replays from its seed and takes every policy it finds here.
class EvaluationStore {
  public:
    virtual ~EvaluationStore() = default;
    /// The stored values of `policy` (its --set assignments, one per line), if any.
    virtual bool find(const std::string& policy, std::vector<double>& values) const = 0;
    virtual void write(const std::string& policy, const std::vector<double>& values) = 0;
};

/// One particle of a posterior (kaisim calibrate's posterior.csv): its weight and values.
struct Particle {
    double weight = 0;
    std::vector<std::string> sets;
};

/// The search of a scenario's levers: each candidate is a Monte Carlo of `spec.replicates`
/// replicates of the scenario with the levers set, on `threads` threads and on every MPI rank
/// (results depend on neither); the plan (no lever set) is evaluated too. With a `posterior`,
/// replicate r of every candidate runs with the particle it draws by weight (the same for every
/// candidate), the particle's values set before the levers. Unknown metrics and lever paths are
/// InputError before any run. `open_store`, when given, is called on rank 0 once the search is
/// valid. `backend` scores the evaluations (null: the automatic choice for `threads`).
OptimisationOutcome run_optimisation(const OptimisationSpec& spec, const ScenarioSource& source,
                                     int threads,
                                     const std::function<void(std::uint32_t generation)>& progress,
                                     const std::function<EvaluationStore*()>& open_store = {},
                                     const std::vector<Particle>& posterior = {},
                                     eval::ScoringBackend* backend = nullptr);

}  // namespace kaisim::study
