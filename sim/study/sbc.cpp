#include "kaisim/study/sbc.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

#include "kaisim/core/error.hpp"
#include "kaisim/core/rng.hpp"

namespace kaisim::study {

namespace {
// The truths' replicate keys: far above any a fit of this size uses (a fit's keys start at 0),
// so no fit shares random numbers with the truth it is fitting.
constexpr std::uint32_t truth_keys = 4000000000u;
// Counter word of the truths' draws (Stream::calibration; the samplers use 1 to 4).
constexpr std::uint32_t truth_stream = 5;
}  // namespace

double sbc_uniformity_p(const SbcResult& r, std::size_t parameter, std::uint32_t bins) {
    const std::uint32_t values = r.draws + 1;
    KAISIM_ASSERT(bins >= 2 && values % bins == 0 && !r.ranks.empty());
    std::vector<double> count(bins, 0.0);
    for (const std::vector<std::uint32_t>& row : r.ranks)
        count[row.at(parameter) / (values / bins)] += 1;
    const double expected = static_cast<double>(r.ranks.size()) / bins;
    double chi2 = 0;
    for (double c : count) chi2 += (c - expected) * (c - expected) / expected;
    const boost::math::chi_squared_distribution<double> dist(bins - 1.0);
    return boost::math::cdf(boost::math::complement(dist, chi2));
}

double sbc_rank_coverage(const SbcResult& r, std::size_t parameter, double level) {
    const double values = r.draws + 1.0;
    const auto lo = static_cast<std::uint32_t>(std::lround((1 - level) / 2 * values)),
               hi = static_cast<std::uint32_t>(std::lround((1 + level) / 2 * values));
    double in = 0;
    for (const std::vector<std::uint32_t>& row : r.ranks)
        in += row.at(parameter) >= lo && row.at(parameter) < hi ? 1 : 0;
    return in / static_cast<double>(r.ranks.size());
}

SbcResult run_sbc(const CalibrationSpec& spec, const ScenarioSource& source, int threads,
                  const SbcSettings& settings, const std::function<void(std::uint32_t)>& progress) {
    KAISIM_ASSERT(settings.draws >= 1);
    const std::size_t k = spec.parameters.size();
    const core::RngStream draw(settings.seed, truth_stream, core::Stream::calibration);
    SbcResult result;
    result.draws = settings.draws;
    for (const SweepParameter& p : spec.parameters) result.names.push_back(p.name);
    for (std::uint32_t t = 0; t < settings.truths; ++t) {
        std::vector<double> u(k);
        for (std::size_t j = 0; j < k; ++j) u[j] = draw.uniform(t, static_cast<std::uint32_t>(j));
        const std::vector<double> truth = point_values(spec.parameters, u);
        const std::vector<double> stats = simulate_statistics(spec, source, u, truth_keys + t);
        result.replicates += 1;
        // The fit sees what this replicate published: the statistics it defines.
        CalibrationSpec fit = spec;
        fit.predictive = false;
        fit.observations.clear();
        for (std::size_t s = 0; s < stats.size(); ++s)
            if (std::isfinite(stats[s])) {
                Observation o = spec.observations[s];
                o.value = stats[s];
                fit.observations.push_back(o);
            }
        result.observations.push_back(fit.observations.size());
        fit.abc.seed += t;
        fit.likelihood.seed += t;
        // The posterior's points and weights; with nothing observed, the prior's.
        std::vector<std::vector<double>> values;
        std::vector<double> weights;
        if (!fit.observations.empty()) {
            CalibrationOutcome o = run_calibration(fit, source, threads);
            result.replicates += o.replicates_run;
            values = std::move(o.values);
            for (const AbcParticle& q : o.abc.particles) weights.push_back(q.weight);
        } else {
            constexpr std::uint32_t prior_draws = 1000;
            const core::RngStream prior(settings.seed + 1 + t, truth_stream,
                                        core::Stream::calibration);
            for (std::uint32_t i = 0; i < prior_draws; ++i) {
                std::vector<double> v(k);
                for (std::size_t j = 0; j < k; ++j)
                    v[j] = prior.uniform(i, static_cast<std::uint32_t>(j));
                values.push_back(point_values(spec.parameters, v));
                weights.push_back(1.0 / prior_draws);
            }
        }
        // `draws` posterior draws, evenly by weight.
        std::vector<std::size_t> picks;
        double c = 0;
        std::size_t at = 0;
        for (std::uint32_t d = 0; d < settings.draws; ++d) {
            const double mark = (d + 0.5) / settings.draws;
            while (at + 1 < weights.size() && c + weights[at] < mark) c += weights[at++];
            picks.push_back(at);
        }
        std::vector<std::uint32_t> ranks(k, 0);
        std::vector<bool> in50(k, false), in90(k, false);
        for (std::size_t j = 0; j < k; ++j) {
            for (std::size_t i : picks) ranks[j] += values[i][j] < truth[j] ? 1 : 0;
            std::vector<std::pair<double, double>> vw;
            for (std::size_t i = 0; i < values.size(); ++i)
                vw.emplace_back(values[i][j], weights[i]);
            in50[j] =
                weighted_quantile(vw, 0.25) <= truth[j] && truth[j] <= weighted_quantile(vw, 0.75);
            in90[j] =
                weighted_quantile(vw, 0.05) <= truth[j] && truth[j] <= weighted_quantile(vw, 0.95);
        }
        result.truth.push_back(truth);
        result.ranks.push_back(ranks);
        result.in50.push_back(in50);
        result.in90.push_back(in90);
        if (progress) progress(t);
    }
    return result;
}

}  // namespace kaisim::study
