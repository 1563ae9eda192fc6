#pragma once
// What `run --posterior` and `compare --posterior` share: every particle of a posterior.csv
// loaded into each arm, and the particle each replicate draws.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "kaisim/programme/prepared_scenario.hpp"

namespace kaisim::cli {

/// The particles of a posterior.csv (kaisim calibrate) that replicates 0..replicates-1 of `seed`
/// draw, each arm loaded with each such particle's values set before the arm's own --set (which
/// therefore wins on a path both name). Particles with the same values share one loaded
/// scenario, and a particle no replicate draws is never loaded: a posterior of a million rows
/// costs its rows, not a million scenarios. Every drawn particle is loaded before any replicate
/// runs: a value an arm refuses is an InputError at the particle's line of the posterior file.
class PosteriorArms {
  public:
    PosteriorArms(const std::string& posterior, const std::vector<ScenarioArgs>& arms,
                  std::uint32_t seed, std::uint32_t replicates);
    /// The particle replicate `replicate` runs with: drawn by weight from its own Philox
    /// counter, so the same replicate always gets the same particle in every arm.
    std::size_t particle(std::uint32_t replicate) const;
    /// Arm `arm` with the values of particle `particle` (one that some replicate draws).
    const programme::PreparedScenario* prepared(std::size_t arm, std::size_t particle) const {
        return prepared_[arm][slot_of_[particle]].get();
    }
    /// How many distinct scenarios each arm loaded.
    std::size_t loaded() const { return prepared_.empty() ? 0 : prepared_[0].size(); }

  private:
    std::uint32_t seed_;
    std::vector<double> cumulative_;
    std::vector<std::size_t> slot_of_;  ///< particle -> its loaded scenario
    std::vector<std::unique_ptr<model::Scenario>> scenarios_;
    std::vector<std::vector<std::unique_ptr<programme::PreparedScenario>>> prepared_;
};

}  // namespace kaisim::cli
