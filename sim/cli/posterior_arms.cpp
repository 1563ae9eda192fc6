#include "posterior_arms.hpp"

#include <algorithm>
#include <map>

#include "kaisim/core/error.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/study_files/posterior_reader.hpp"

namespace kaisim::cli {

PosteriorArms::PosteriorArms(const std::string& posterior, const std::vector<ScenarioArgs>& arms,
                             std::uint32_t seed, std::uint32_t replicates)
    : seed_(seed), prepared_(arms.size()) {
    const std::vector<io::PosteriorParticle> particles = io::read_posterior(posterior);
    double c = 0;
    for (const io::PosteriorParticle& p : particles) cumulative_.push_back(c += p.weight);
    // The particles some replicate draws, each distinct set of values once.
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    slot_of_.assign(particles.size(), none);
    std::map<std::vector<std::string>, std::size_t> slot_of_sets;
    std::vector<std::size_t> first_of_slot;
    for (std::uint32_t r = 0; r < replicates; ++r) {
        const std::size_t k = particle(r);
        if (slot_of_[k] != none) continue;
        const auto [at, added] = slot_of_sets.try_emplace(particles[k].sets, first_of_slot.size());
        if (added) first_of_slot.push_back(k);
        slot_of_[k] = at->second;
    }
    for (std::size_t arm = 0; arm < arms.size(); ++arm) {
        // Its files read once, not once per particle.
        const io::ScenarioTemplate files(arms[arm].file, arms[arm].overlays, arms[arm].seed);
        for (const std::size_t k : first_of_slot) {
            ScenarioArgs with = arms[arm];
            with.sets = particles[k].sets;
            with.sets.insert(with.sets.end(), arms[arm].sets.begin(), arms[arm].sets.end());
            try {
                scenarios_.push_back(std::make_unique<model::Scenario>(files.make(with.sets)));
            } catch (const InputError& e) {
                // Its line here; the cause where it lies (a --set, an overlay), without a
                // second "error:".
                throw InputError(posterior, particles[k].line, 1,
                                 "particle " + std::to_string(k) + " in " + with.file + ": " +
                                     e.file() + ":" + std::to_string(e.line()) + ":" +
                                     std::to_string(e.col()) + ": " + e.message());
            }
            prepared_[arm].push_back(std::make_unique<programme::PreparedScenario>(
                programme::prepare(*scenarios_.back())));
        }
    }
}

std::size_t PosteriorArms::particle(std::uint32_t replicate) const {
    return run::posterior_particle(cumulative_, seed_, replicate);
}

}  // namespace kaisim::cli
