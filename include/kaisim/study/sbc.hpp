#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kaisim/study/calibration.hpp"

namespace kaisim::study {

/// How a simulation-based calibration check runs (Talts et al. 2018, arXiv 1804.06788).
struct SbcSettings {
    std::uint32_t truths = 100;  ///< parameter draws from the prior, each fitted once
    std::uint32_t draws = 19;    ///< posterior draws a truth is ranked among (ranks 0..draws)
    std::uint32_t seed = 1;      ///< the truths; each fit's seed is the calibration's + truth
};

/// What the check found, per parameter in the scenario's units (a member of a hierarchical
/// prior: the team's value).
struct SbcResult {
    std::vector<std::string> names;                 ///< the parameters
    std::vector<std::vector<double>> truth;         ///< [truth][parameter]
    std::vector<std::vector<std::uint32_t>> ranks;  ///< [truth][parameter], 0..draws
    /// [truth][parameter]: inside the central 50% / 90% interval of all the posterior's
    /// particles (weighted quantiles: what calibration.json reports), which a posterior of few
    /// distinct particles makes narrower than its level
    std::vector<std::vector<bool>> in50, in90;
    std::vector<std::size_t> observations;  ///< per truth, the statistics it defined
    std::uint32_t draws = 0;
    std::uint64_t replicates = 0;  ///< simulated, fits and truths together
};

/// The rank histogram's chi-square test of uniformity for one parameter: `bins` equal groups of
/// the draws + 1 possible ranks (bins must divide draws + 1). Returns the p-value.
double sbc_uniformity_p(const SbcResult& r, std::size_t parameter, std::uint32_t bins);

/// The share of truths whose rank lies in the central `level` of the draws + 1 possible ranks
/// (ranks round((1 - level) / 2 x (draws + 1)) up to, not including, round((1 + level) / 2 x
/// (draws + 1))): the coverage of a central interval of the posterior draws, `level` exactly
/// when the ranks are uniform and (draws + 1) x (1 - level) / 2 is whole (draws 19: 50% and 90%).
double sbc_rank_coverage(const SbcResult& r, std::size_t parameter, double level);

/// One replicate's statistics at the point `u` of the calibration's unit cube, with replicate
/// key `key` (the scenario's, or the analytic model's); NaN where a statistic is not defined.
std::vector<double> simulate_statistics(const CalibrationSpec& spec, const ScenarioSource& source,
                                        const std::vector<double>& u, std::uint32_t key);

/// Runs the check: for each truth, draws the parameters from the prior, simulates one
/// replicate's statistics there (replicate keys from 4,000,000,000 on, apart from the fits'),
/// keeps the statistics it defines as the observations, fits them with the calibration's
/// method and settings (no predictive checks), and ranks the truth among `draws` posterior
/// draws taken evenly by weight. `progress(t)` after each truth.
SbcResult run_sbc(const CalibrationSpec& spec, const ScenarioSource& source, int threads,
                  const SbcSettings& settings,
                  const std::function<void(std::uint32_t)>& progress = {});

}  // namespace kaisim::study
