#pragma once
#include <string>
#include <vector>

#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/study/abc_smc.hpp"
#include "kaisim/study/likelihood_smc.hpp"
#include "kaisim/study/stage_statistics.hpp"
#include "kaisim/study/sweep_design.hpp"
#include "kaisim/study/sweep_runner.hpp"

namespace kaisim::study {

/// What a calibration fits: a scenario's stage results, or a built-in analytic model whose
/// exact posterior is known.
enum class CalibrationModel {
    scenario,
    /// The mean theta of `n` Gaussian observations with sd `sigma`: a replicate's statistic is
    /// theta + sigma / sqrt(n) z. With a normal prior the posterior is normal (conjugate).
    gaussian_mean,
};

/// How a calibration samples the posterior.
enum class CalibrationMethod {
    abc,         ///< ABC-SMC on a distance between simulated and observed statistics
    likelihood,  ///< tempered SMC on a simulated composite likelihood (run_likelihood_smc)
};

/// A calibration: free parameters with priors (as sweep parameters: the prior is the
/// parameter's distribution), the observations, and how ABC-SMC runs. Read by
/// io::load_calibration, or built in memory.
struct CalibrationSpec {
    std::string file;  ///< the calibration file (empty for a spec built in memory)
    std::string name;
    CalibrationModel model = CalibrationModel::scenario;
    std::string scenario;  ///< path, relative to the working folder
    std::vector<std::string> overlays;
    double gaussian_sigma = 1, gaussian_n = 1;
    /// The free parameters; a hierarchical prior's location and spread have an empty path and
    /// its members name them (SweepParameter::location, spread).
    std::vector<SweepParameter> parameters;
    std::vector<std::string> observations_files;  ///< in order (empty: listed in the file)
    std::vector<Observation> observations;
    CalibrationMethod method = CalibrationMethod::abc;
    bool predictive = true;  ///< run the prior- and posterior-predictive checks
    AbcSettings abc;
    LikelihoodSettings likelihood;
};

/// One parameter's posterior summary (weighted).
struct ParameterPosterior {
    std::string name;
    double mean = 0, sd = 0, q05 = 0, q50 = 0, q95 = 0;
};

/// A statistic's predictive distribution over simulated replicates: its 5/50/95% and mean
/// (for a 0/1 statistic, the mean is the share of replicates where it holds).
struct Predictive {
    double q05 = 0, q50 = 0, q95 = 0, mean = 0;
    std::uint64_t replicates = 0;  ///< that produced the statistic
};

/// One simulation of a calibration: the replicates simulated at point `u` of the unit cube from
/// replicate key `first` on, their statistics row by row ([replicate][statistic]).
struct StoredSimulation {
    std::uint32_t first = 0;
    std::vector<double> u;
    std::vector<double> statistics;
};

/// Where a calibration keeps its simulations, so that a run stopped at any moment resumes where
/// it stopped: ABC-SMC replays from its seed and takes every simulation it finds here (the same
/// first key at the same point) instead of running it again. io::CalibrationStore keeps them in
/// SQLite.
class SimulationStore {
  public:
    virtual ~SimulationStore() = default;
    /// Every simulation stored.
    virtual std::vector<StoredSimulation> load() const = 0;
    /// Stores `sims` at once (one transaction where the store has them).
    virtual void write(const std::vector<StoredSimulation>& sims) = 0;
};

/// What removing one observations file would do to the posterior, estimated by weighting the
/// particles by exp(-its log-likelihood) (importance sampling from the full posterior: no new
/// simulation; `ess` says how far it can be trusted).
struct FileInfluence {
    std::string file;
    double ess = 0;                           ///< of the reweighted particles
    std::vector<ParameterPosterior> without;  ///< per parameter, the posterior without the file
};

/// What a calibration produced.
struct CalibrationOutcome {
    AbcResult abc;
    std::vector<std::vector<double>> values;  ///< [particle][parameter], in the scenario's units
    std::vector<ParameterPosterior> prior;    ///< per parameter (members: the marginal prior)
    /// The prior draws of the prior-predictive check, in the unit cube (`particles` of them).
    std::vector<std::vector<double>> prior_points;
    std::vector<ParameterPosterior> posterior;
    std::vector<FileInfluence> influence;  ///< likelihood calibrations, one per file
    /// Per statistic: replicates at `particles` draws from the prior, and at as many draws of
    /// particles by weight (keys of their own, after the calibration's).
    std::vector<Predictive> prior_predictive, posterior_predictive;
    /// Replicates this run simulated (predictive checks and batches' tails included: all ranks
    /// together), and those it took from the store instead.
    std::uint64_t replicates_run = 0, replicates_reused = 0;
};

/// Runs the calibration: each simulation is `abc.replicates` replicates of the scenario with the
/// particle's values set (replicate keys of its own, scored on the CPU backend), `threads`
/// particles at a time on each rank of the ProcessGroup: every rank replays the same ABC-SMC,
/// simulates a contiguous share of each batch and receives the others' results, so the
/// posterior is the same for any rank and thread count. `open_store`, when given, is called on
/// rank 0 once the calibration is known to be valid (a parameter path that takes no value
/// throws InputError before), and may return a store (owned by the caller): simulations found
/// there are not run again, and new ones are written to it batch by batch. A failure on any
/// rank (the store, a simulation) throws on every rank.
CalibrationOutcome run_calibration(
    const CalibrationSpec& spec, const ScenarioSource& source, int threads,
    const std::function<void(const AbcGeneration&, std::size_t)>& progress = {},
    const std::function<SimulationStore*()>& open_store = {});

/// What a likelihood calibration knows of each observation: its value, weight and sd, and for
/// a gate's passed facts (those with `gate_points`) the points statistics that score them
/// together, on the stage's first fact (the others get weight 0).
std::vector<StatisticModel> statistic_models(const std::vector<Observation>& observations);

/// Each parameter's weighted mean, sd and 5/50/95% over points ([point][parameter]) with
/// normalised weights.
std::vector<ParameterPosterior> summaries(const std::vector<SweepParameter>& params,
                                          const std::vector<std::vector<double>>& values,
                                          const std::vector<double>& weights);

/// The weighted q-quantile of values with normalised weights.
double weighted_quantile(std::vector<std::pair<double, double>> value_weight, double q);

}  // namespace kaisim::study
