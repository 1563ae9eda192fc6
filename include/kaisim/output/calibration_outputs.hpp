#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "kaisim/study/calibration.hpp"
#include "kaisim/study/sbc.hpp"

namespace kaisim::io {

/// `posterior.csv`: one line per particle of the last population: particle, weight, each
/// parameter's value, distance (the median of its replicates'), hits (replicates within the
/// last tolerance), sets (its `--set` assignments joined by `;`, linked paths included: what
/// `kaisim run --posterior` applies).
std::string posterior_csv(const study::CalibrationSpec& spec, const study::CalibrationOutcome& o);

/// `prior.csv`: the prior draws of the prior-predictive check as equally weighted particles
/// (particle, weight, each parameter's value, sets): `kaisim run --posterior prior.csv` runs a
/// forecast under the prior, to set beside the posterior's.
std::string prior_csv(const study::CalibrationSpec& spec, const study::CalibrationOutcome& o);

/// `calibration.json`: the settings, each generation's tolerance, proposals, acceptance and
/// effective sample size, why it stopped, the replicates simulated, each statistic's observed
/// value and scale, and each parameter's prior and posterior (mean, sd, 5/50/95%).
std::string calibration_json(const study::CalibrationSpec& spec, const study::CalibrationOutcome& o,
                             const std::string& version);

/// `calibrated.yaml`: an overlay that sets every parameter path (and linked path) to the
/// posterior median; a path through a list index (not an id) cannot be an overlay and is given
/// as a `--set` in a comment.
std::string calibrated_yaml(const study::CalibrationSpec& spec, const study::CalibrationOutcome& o);

/// The tables printed at the end: each statistic observed against its prior- and
/// posterior-predictive 5-95% range, then each parameter's posterior.
std::string calibration_table(const study::CalibrationSpec& spec,
                              const study::CalibrationOutcome& o);

/// `sbc.csv`: one line per truth and parameter of a simulation-based calibration check: truth,
/// parameter, its true value, its rank among the posterior draws, and whether the posterior's
/// central 50% and 90% intervals hold it.
std::string sbc_csv(const study::SbcResult& r);

/// `sbc.json`: per parameter, the rank histogram (`bins` groups), its chi-square p-value of
/// uniformity, and the 50% and 90% coverages with their 95% Wilson intervals.
std::string sbc_json(const study::CalibrationSpec& spec, const study::SbcResult& r,
                     std::uint32_t bins, const std::string& version);

}  // namespace kaisim::io
