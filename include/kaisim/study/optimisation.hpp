#pragma once
// Many-objective policy search: levers of a scenario searched by a multi-objective evolutionary
// algorithm (pagmo2: NSGA-II, or MOEA/D), every candidate evaluated by a Monte Carlo on the
// same replicates (common random numbers), so that candidates differ by policy, not by noise.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kaisim/study/sweep_runner.hpp"
#include "kaisim/study/sweep_spec.hpp"

namespace kaisim::study {

struct Objective {
    std::string metric;    ///< a Monte Carlo metric (kaisim run's metrics)
    bool maximise = true;  ///< else minimise
};

struct OptimisationSpec {
    std::string file, name;
    std::string scenario;
    std::vector<std::string> overlays;
    std::vector<SweepParameter> levers;  ///< as a sweep's parameters (linked paths allowed)
    std::vector<Objective> objectives;
    std::string algorithm = "nsga2";  ///< nsga2 or moead
    std::uint32_t population = 24;    ///< NSGA-II: a multiple of 4, at least 8
    std::uint32_t generations = 10;
    std::uint32_t seed = 1;          ///< the algorithm's (the scenario's seed draws the replicates)
    std::uint32_t replicates = 100;  ///< per candidate, the same for every candidate
};

/// One candidate: its levers (unit cube and --set assignments) and objectives (Monte Carlo
/// means with 95% intervals), in the objectives' order and sense (not negated).
struct Candidate {
    std::vector<double> u;
    std::vector<std::string> sets;
    std::vector<double> mean, lo, hi;
};

struct OptimisationOutcome {
    std::vector<Candidate> front;     ///< non-dominated among every candidate evaluated
    std::vector<double> hypervolume;  ///< of each generation's front (0 = the first population)
    std::vector<double> reference;    ///< the hypervolume's reference point (minimised sense)
    std::uint64_t evaluations = 0;    ///< distinct candidates (policies) evaluated
    std::uint64_t infeasible = 0;     ///< of those, candidates the scenario refused
};

/// What an evaluation returns: per objective, the mean and its interval (in the objective's
/// own sense).
struct Evaluation {
    std::vector<double> mean, lo, hi;
    std::string error;  ///< non-empty: the candidate cannot run (why); it is never on the front
};
using Evaluator = std::function<Evaluation(const std::vector<double>& u)>;

/// Runs the search on `dims` unit-interval decision variables; `evaluate` gives the objectives
/// (each candidate is evaluated once: repeats come from a memo). `maximise[i]` says each
/// objective's sense. Deterministic for a seed. Throws std::invalid_argument on a population
/// the algorithm cannot take.
OptimisationOutcome optimise(std::size_t dims, const std::vector<bool>& maximise,
                             const Evaluator& evaluate, const std::string& algorithm,
                             std::uint32_t population, std::uint32_t generations,
                             std::uint32_t seed,
                             const std::function<void(std::uint32_t generation)>& progress = {});

/// The search of a scenario's levers: each candidate is a Monte Carlo of `spec.replicates`
/// replicates of the scenario with the levers set, on `threads` threads (results do not depend
/// on them). Unknown metrics and lever paths are InputError before any run.
OptimisationOutcome run_optimisation(
    const OptimisationSpec& spec, const ScenarioSource& source, int threads,
    const std::function<void(std::uint32_t generation)>& progress = {});

}  // namespace kaisim::study
