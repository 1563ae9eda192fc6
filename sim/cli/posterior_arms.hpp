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

/// The particles of a posterior.csv (kaisim calibrate), each arm loaded with each particle's
/// values set before the arm's own --set (which therefore wins on a path both name). Every
/// particle is loaded before any replicate runs: a value an arm refuses is an InputError at the
/// particle's line of the posterior file.
class PosteriorArms {
  public:
    PosteriorArms(const std::string& posterior, const std::vector<ScenarioArgs>& arms);
    /// The particle replicate `replicate` of seed `seed` runs with: drawn by weight from its
    /// own Philox counter, so the same replicate always gets the same particle in every arm.
    std::size_t particle(std::uint32_t seed, std::uint32_t replicate) const;
    /// Arm `arm` with particle `particle`'s values.
    const programme::PreparedScenario* prepared(std::size_t arm, std::size_t particle) const {
        return prepared_[arm][particle].get();
    }

  private:
    std::vector<double> cumulative_;
    std::vector<std::unique_ptr<model::Scenario>> scenarios_;
    std::vector<std::vector<std::unique_ptr<programme::PreparedScenario>>> prepared_;
};

}  // namespace kaisim::cli
