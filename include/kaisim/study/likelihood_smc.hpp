#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "kaisim/study/abc_smc.hpp"

namespace kaisim::study {

/// How the likelihood calibration proceeds: a tempered sequential Monte Carlo sampler (Del Moral
/// et al. 2006) over a simulated composite likelihood (below), with Metropolis-Hastings moves
/// whose likelihood is estimated anew at each proposal (pseudo-marginal, Andrieu and Roberts
/// 2009; the synthetic likelihood of Wood 2010 and Price et al. 2018 for figures).
struct LikelihoodSettings {
    std::uint32_t particles = 256;   ///< population size
    std::uint32_t replicates = 16;   ///< simulated replicates per likelihood estimate
    std::uint32_t moves = 4;         ///< Metropolis-Hastings steps per particle and temperature
    double ess_fraction = 0.5;       ///< each temperature keeps this share of the ESS
    std::uint32_t generations = 60;  ///< at most (temperatures, the prior's included)
    std::uint32_t seed = 1;          ///< proposals, resampling and replicate keys
};

/// What the likelihood knows of one statistic.
struct StatisticModel {
    double observed = 0;
    bool indicator = false;  ///< a 0/1 fact
    double weight = 1;       ///< its log-likelihood counts this many times
    double sd = 0;           ///< measurement error of `observed`, in the statistic's units
    /// A gate's passed facts, scored together by the first of them (the others have weight
    /// 0): the statistics holding the points of the teams that passed and of those that did
    /// not, and the facts themselves.
    std::vector<std::size_t> gate_passed, gate_failed, gate_facts;
};

/// Each statistic's log-likelihood (times its weight) given its simulated values over a
/// particle's replicates ([replicate][statistic]; NaN: not defined in that replicate); 0 for a
/// statistic of weight 0.
/// - a 0/1 fact: log p with p = (h + 1/2) / (n + 1), h of the n replicates where it is defined
///   agreeing with the observation (the Jeffreys estimate: never 0 or 1); no replicate defined:
///   p = 1/2;
/// - a figure: the Gaussian synthetic log-likelihood log N(observed; m, s^2 (1 + 1/n) + sd^2)
///   of the mean m and variance s^2 of its n defined values (the 1/n for the mean's own
///   error); fewer than two defined: -50 (a figure the model cannot produce);
/// - a gate (`gate_passed` and `gate_failed` both non-empty): log P(every team that passed
///   outscored every team that did not), each team's points taken as independent Gaussians with
///   their mean and variance over the replicates (times 1 + 1/n), by quadrature over the
///   threshold: P = integral of prod_passed (1 - F_i(t)) d prod_failed F_j(t). Independence
///   leaves out what moves every team's points together, which makes P less sharp, never more.
///   With one side empty, or a team's points defined in fewer than two replicates, each fact
///   is scored on its own.
std::vector<double> statistic_logliks(const std::vector<std::vector<double>>& replicates,
                                      const std::vector<StatisticModel>& stats);

/// Runs the sampler in the unit cube of `dims` parameters (a point u maps to z = Phi^-1(u),
/// where the prior is standard normal; moves are taken there). Generation 0 draws the
/// population from the prior at temperature 0. Each generation then raises the temperature so
/// that the incremental weights' ESS is `ess_fraction` of the population (bisection; 1 when
/// that is reached sooner), resamples systematically, and moves every particle `moves` times
/// with a Gaussian random walk on the population's covariance, scaled by 2.38 / sqrt(dims)
/// at first and then by the last acceptance (towards 0.234). A proposal's likelihood is
/// simulated anew; the particle keeps the estimate it was accepted with. Ends after the first
/// generation at temperature 1 (its particles, equally weighted, are the posterior), or after
/// `generations`. Every draw comes from Philox counters and simulations have keys of their own
/// in the order proposed, so the result does not depend on threads or ranks. The particles'
/// `distance` is minus their log-likelihood; `loglik` holds each statistic's.
AbcResult run_likelihood_smc(
    std::size_t dims, const std::vector<StatisticModel>& stats, const LikelihoodSettings& settings,
    const AbcSimulator& simulate,
    const std::function<void(const AbcGeneration&, std::size_t)>& progress = {});

/// Replicate keys a run of these settings may use (0 .. this - 1).
double likelihood_keys_needed(const LikelihoodSettings& settings);

}  // namespace kaisim::study
