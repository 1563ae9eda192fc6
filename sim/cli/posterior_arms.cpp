#include "posterior_arms.hpp"

#include <algorithm>

#include "kaisim/core/error.hpp"
#include "kaisim/io/calibration_outputs.hpp"
#include "kaisim/run/monte_carlo.hpp"

namespace kaisim::cli {

PosteriorArms::PosteriorArms(const std::string& posterior, const std::vector<ScenarioArgs>& arms)
    : prepared_(arms.size()) {
    const std::vector<io::PosteriorParticle> particles = io::read_posterior(posterior);
    double c = 0;
    for (const io::PosteriorParticle& p : particles) cumulative_.push_back(c += p.weight);
    for (std::size_t arm = 0; arm < arms.size(); ++arm)
        for (std::size_t k = 0; k < particles.size(); ++k) {
            ScenarioArgs with = arms[arm];
            with.sets = particles[k].sets;
            with.sets.insert(with.sets.end(), arms[arm].sets.begin(), arms[arm].sets.end());
            try {
                scenarios_.push_back(std::make_unique<model::Scenario>(load(with)));
            } catch (const InputError& e) {
                throw InputError(
                    posterior, static_cast<int>(k) + 2, 1,
                    "particle " + std::to_string(k) + " in " + with.file + ": " + e.what());
            }
            prepared_[arm].push_back(std::make_unique<programme::PreparedScenario>(
                programme::prepare(*scenarios_.back())));
        }
}

std::size_t PosteriorArms::particle(std::uint32_t seed, std::uint32_t replicate) const {
    return run::posterior_particle(cumulative_, seed, replicate);
}

}  // namespace kaisim::cli
