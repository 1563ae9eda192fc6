#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kaisim/model/scenario.hpp"
#include "kaisim/run/comparison.hpp"
#include "kaisim/run/monte_carlo.hpp"

namespace kaisim::io {

/// `mc_teams.csv`: per team, the probability of reaching each stage and of being a finalist
/// (Wilson 95% interval), and final ability, FLOP and KRW (mean, its 95% CI, central 95%).
std::string mc_teams_csv(const model::Scenario& sc, const run::McResult& mc);
/// `mc_summary.json`: every metric with mean, sd, 95% interval (Wilson for probabilities) and
/// the central 95% of its distribution.
std::string mc_summary_json(const model::Scenario& sc, const run::McResult& mc,
                            const std::string& version);
/// `mc_fields.csv`: per stage, each field (the teams in the race right after it) with the share
/// of replicates it followed and its Wilson 95% interval, most frequent first; then per stage
/// the share of each field size (`teams` = `(any N teams)`).
std::string mc_fields_csv(const model::Scenario& sc, const run::McResult& mc);
/// The columns of `replicates.csv`: replicate, then one per metric of `mc.specs`.
std::vector<std::string> replicates_csv_columns(const run::McResult& mc);
/// The header of `replicates.csv` (one line per replicate, one column per metric).
std::string replicates_csv_header(const run::McResult& mc);
/// One line of `replicates.csv` (`columns` from replicates_csv_columns); throws
/// std::runtime_error naming the replicate and the metric when a value is not finite.
std::string replicates_csv_row(const std::vector<std::string>& columns, std::uint32_t replicate,
                               const std::vector<double>& values);
/// A short table of a Monte Carlo run.
std::string mc_table(const model::Scenario& sc, const run::McResult& mc);

/// `compare.csv`: per metric, each arm's mean, the paired difference with its 95% interval, the
/// unpaired interval, P(B better) and the variance ratio unpaired / paired (empty where the
/// paired differences have no variance but the arms do: the ratio is unbounded).
std::string compare_csv(const run::ComparisonResult& c);
/// `compare.json`: the same, with what was compared (no `variance_ratio` where it is unbounded).
std::string compare_json(const std::string& a, const std::string& b, std::uint32_t seed,
                         const run::ComparisonResult& c, const std::string& version);
/// A short table of a comparison.
std::string compare_table(const run::ComparisonResult& c);

}  // namespace kaisim::io
