#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace kaisim::study {

/// How an ABC-SMC calibration proceeds (Beaumont et al. 2009; Del Moral et al. 2012).
struct AbcSettings {
    std::uint32_t particles = 200;  ///< population size
    std::uint32_t replicates = 10;  ///< simulated replicates per particle
    double alpha = 0.5;             ///< next tolerance: this quantile of the last distances
    double min_acceptance = 0.02;   ///< stop after a generation accepting fewer proposals
    std::uint32_t generations = 8;  ///< at most, generation 0 (the prior) included
    std::uint32_t seed = 1;         ///< proposals and replicate keys
    std::uint32_t batch = 0;        ///< proposals simulated together (0: the population size)
};

/// Simulates `replicates` replicates at each point `u` (the unit cube: a parameter's prior is
/// uniform there, as sweeps map it) and returns [point][replicate][statistic]. Point i's
/// replicates are `first[i]`, `first[i]` + 1, ...: every simulation has keys of its own.
using AbcSimulator = std::function<std::vector<std::vector<std::vector<double>>>(
    const std::vector<std::vector<double>>& u, const std::vector<std::uint32_t>& first)>;

/// One accepted particle.
struct AbcParticle {
    std::vector<double> u;   ///< position in the unit cube
    double weight = 0;       ///< normalised importance weight
    double distance = 0;     ///< median distance of its replicates to the observations
    std::uint32_t hits = 0;  ///< replicates within the generation's tolerance
    /// Likelihood calibration: each statistic's log-likelihood at the particle (times its
    /// weight); empty for ABC.
    std::vector<double> loglik;
};

/// What one generation did.
struct AbcGeneration {
    double tolerance = 0;         ///< distance a replicate had to reach (infinite at 0)
    std::uint64_t proposals = 0;  ///< drawn, those outside the prior's support included
    std::uint64_t simulated = 0;  ///< of which simulated
    double acceptance = 0;        ///< accepted / proposals
    double ess = 0;               ///< effective sample size of the weights
    /// Likelihood calibration: the tempering exponent reached, 0..1 (NaN for ABC); its
    /// `acceptance` is the Metropolis-Hastings moves' and its tolerance infinite.
    double temperature = std::numeric_limits<double>::quiet_NaN();
};

/// A calibration's result: the last population and the history.
struct AbcResult {
    std::vector<AbcParticle> particles;
    std::vector<AbcGeneration> generations;
    std::vector<double> scales;  ///< per statistic: its prior-predictive spread
    std::string stop;            ///< why it stopped
    std::uint64_t replicates_simulated = 0;
    std::uint64_t unused_key = 0;  ///< the first replicate key no generation could have used
};

/// Runs ABC-SMC in the unit cube of `dims` parameters against `observed` statistics.
///
/// Generation 0 draws the population from the prior and sets each statistic's scale to its
/// prior-predictive spread (1.4826 x MAD over every simulated replicate; the sd where the MAD is
/// 0; 1 where both are). A replicate's distance is the Euclidean norm of its statistics'
/// differences from the observations, each divided by its scale. Each later generation sets its
/// tolerance to the `alpha` quantile of the distances of the previous population's replicates
/// that were within the previous tolerance (all of them at generation 0), draws an
/// ancestor by weight, perturbs it with a Gaussian kernel of twice the population's weighted
/// covariance (Eigen), discards a proposal outside the cube, simulates it, and accepts it when
/// at least one replicate is within the tolerance; its weight is (hits / replicates) over the
/// kernel mixture density (the prior is uniform in the cube). Proposals are drawn from Philox
/// counters and accepted in the order drawn, so the result does not depend on how many run
/// together (`batch`) or on threads. Stops after `generations`, or after a generation whose
/// acceptance fell below `min_acceptance`, or when a generation cannot fill its population in
/// particles / min_acceptance proposals (its particles are the result when they are at least a
/// tenth of the population; otherwise the previous population is).
/// Replicate keys a run of these settings may use (0 .. this - 1).
double abc_keys_needed(const AbcSettings& settings);

AbcResult run_abc_smc(std::size_t dims, const std::vector<double>& observed,
                      const AbcSettings& settings, const AbcSimulator& simulate,
                      const std::function<void(const AbcGeneration&, std::size_t)>& progress = {});

}  // namespace kaisim::study
