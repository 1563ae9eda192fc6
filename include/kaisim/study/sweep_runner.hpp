#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kaisim/model/scenario.hpp"
#include "kaisim/study/point_store.hpp"
#include "kaisim/study/sweep_spec.hpp"

namespace kaisim::study {

/// Makes the sweep's scenario with a point's values set: each entry is `PATH=VALUE` as for
/// `--set`. io::sweep_scenario_source reads the spec's scenario file and overlays; a program
/// may supply its own. Bad values throw InputError.
using ScenarioSource = std::function<model::Scenario(const std::vector<std::string>& sets)>;

/// Opens the store the caller keeps (for its exports after the run); called on rank 0 only,
/// after the spec has been checked.
using StoreOpener = std::function<PointStore&()>;

/// How to run a sweep.
struct SweepRunOptions {
    int threads = 1;
    std::string backend = "auto";  ///< scoring backend: auto, cpu or cuda
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

/// One sensitivity index of one metric to one parameter.
struct SensitivityIndex {
    std::string metric, parameter;
    std::string method;  ///< sobol or morris
    std::string index;   ///< S1, ST (sobol); mu_star, mu, sigma (morris)
    double value = 0;
    bool has_interval = false;  ///< a 95% bootstrap interval (sobol)
    double lo = 0, hi = 0;
};

/// The variance of one metric over the sweep's points (what Sobol' indices divide).
struct MetricVariance {
    std::string metric;
    double variance = 0;
};

/// What a sweep produced.
struct SweepOutcome {
    std::uint64_t points = 0;               ///< in the design
    std::uint64_t evaluated = 0;            ///< by this run (the rest were stored before)
    std::vector<std::string> parameters;    ///< names, in the spec's order
    std::vector<std::string> metrics;       ///< names collected, in order
    std::vector<SensitivityIndex> indices;  ///< sobol and morris designs
    std::vector<MetricVariance> variances;  ///< sobol designs
    /// Parameters whose whole range left every metric unchanged (sobol and morris designs): a
    /// lever that moves nothing, often a path that does not do what its name says.
    std::vector<std::string> inert;
};

/// Runs a sweep: evaluates every point of the design not yet in the store (each point a Monte
/// Carlo of the scenario with the point's values set, or the analytic model), in chunks of
/// `spec.chunk` points, one store write each; under MPI the points of each chunk are split over
/// the ranks and rank 0 stores them; a point the store holds incomplete is evaluated again. Then
/// computes the sensitivity indices from the store (Sobol' indices with bootstrap intervals, or
/// Morris effects) once every point of the design is stored complete: a missing value throws
/// std::runtime_error, never an index from a partial table. Unknown metrics and parameter paths
/// that take no value throw InputError before the store is opened. Only rank 0's outcome holds
/// indices.
SweepOutcome run_sweep(const SweepSpec& spec, const ScenarioSource& source,
                       const StoreOpener& open_store, const SweepRunOptions& options);

/// Loads the scenario with `params` at the point `u` (one coordinate each) to prove that they
/// apply, as sweeps, calibrations and searches do before anything runs. An InputError that a
/// parameter's --set caused is rethrown at the parameter's path in `file` ("parameter 'NAME' at
/// VALUE: ..."), and so is a numeric parameter that lands on a text field, or a continuous one
/// (uniform, loguniform, normal, a hierarchical member) on a whole-number field.
model::Scenario check_parameters(const std::string& file, const std::vector<SweepParameter>& params,
                                 const std::vector<double>& u, const ScenarioSource& source);

}  // namespace kaisim::study
