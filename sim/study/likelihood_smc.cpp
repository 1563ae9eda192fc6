#include "kaisim/study/likelihood_smc.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <optional>

#include "kaisim/core/error.hpp"
#include "kaisim/core/rng.hpp"

namespace kaisim::study {

namespace {
// A figure the model cannot produce (fewer than two replicates define it): about a 10-sigma
// miss.
constexpr double unproducible_loglik = -50;
constexpr double log_two_pi = 1.8378770664093453;
// Counter words of the sampler's draws (Stream::calibration, replicate 3: ABC-SMC and the
// predictive checks use others).
constexpr std::uint32_t sampler_stream = 3;
constexpr std::uint32_t accept_word = 0x80000000u, resample_word = 0xFFFFFFFFu;

double unit_of(double z) {
    return std::clamp(0.5 * std::erfc(-z / std::sqrt(2.0)), 1e-12, 1 - 1e-12);
}

double sum_of(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
}

// The effective sample size of weights exp(logw), normalised.
double ess_of(const std::vector<double>& logw) {
    const double top = *std::max_element(logw.begin(), logw.end());
    double s = 0, sq = 0;
    for (double l : logw) {
        const double w = std::exp(l - top);
        s += w;
        sq += w * w;
    }
    return s * s / sq;
}

// Mean and variance (times 1 + 1/n, the mean's own error) of statistic k over the replicates
// that define it; n < 2: nullopt.
std::optional<std::pair<double, double>> moments(const std::vector<std::vector<double>>& reps,
                                                 std::size_t k) {
    double n = 0, sum = 0;
    for (const std::vector<double>& rep : reps)
        if (std::isfinite(rep[k])) {
            n += 1;
            sum += rep[k];
        }
    if (n < 2) return std::nullopt;
    const double mean = sum / n;
    double sq = 0;
    for (const std::vector<double>& rep : reps)
        if (std::isfinite(rep[k])) sq += (rep[k] - mean) * (rep[k] - mean);
    return std::pair{mean, sq / (n - 1) * (1 + 1 / n)};
}

// The Jeffreys estimate's log of the share of replicates in which 0/1 fact k is `observed`.
double fact_loglik(const std::vector<std::vector<double>>& reps, std::size_t k, double observed) {
    double n = 0, hits = 0;
    for (const std::vector<double>& rep : reps)
        if (std::isfinite(rep[k])) {
            n += 1;
            hits += rep[k] == observed ? 1 : 0;
        }
    return std::log((hits + 0.5) / (n + 1));
}

// log P(min over the passed of their points > max over the failed), independent Gaussians;
// nullopt when a team's points are defined in fewer than two replicates.
std::optional<double> gate_loglik(const std::vector<std::vector<double>>& reps,
                                  const StatisticModel& m) {
    struct Normal {
        double mean, sd;
    };
    const auto normals = [&](const std::vector<std::size_t>& cols) {
        std::vector<Normal> out;
        for (std::size_t c : cols) {
            const auto mv = moments(reps, c);
            if (!mv) return std::optional<std::vector<Normal>>{};
            const auto [mean, var] = *mv;
            out.push_back({mean, std::sqrt(std::max(var, 1e-12 * (1 + mean * mean)))});
        }
        return std::optional<std::vector<Normal>>{out};
    };
    const auto passed = normals(m.gate_passed), failed = normals(m.gate_failed);
    if (!passed || !failed) return std::nullopt;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto* side : {&*passed, &*failed})
        for (const Normal& x : *side) {
            lo = std::min(lo, x.mean - 8 * x.sd);
            hi = std::max(hi, x.mean + 8 * x.sd);
        }
    const auto cdf = [](const Normal& x, double t) {
        return 0.5 * std::erfc(-(t - x.mean) / (x.sd * std::sqrt(2.0)));
    };
    const auto below = [&](double t) {  // every failed team under t
        double g = 1;
        for (const Normal& x : *failed) g *= cdf(x, t);
        return g;
    };
    const auto above = [&](double t) {  // every passed team over t
        double h = 1;
        for (const Normal& x : *passed) h *= 1 - cdf(x, t);
        return h;
    };
    constexpr int steps = 512;
    const double dt = (hi - lo) / steps;
    double p = 0, g0 = below(lo);
    for (int i = 0; i < steps; ++i) {
        const double t = lo + (i + 1) * dt, g1 = below(t);
        p += (g1 - g0) * above(t - 0.5 * dt);
        g0 = g1;
    }
    return std::log(std::max(p, 1e-300));
}

struct Walker {
    std::vector<double> z;       ///< position where the prior is standard normal
    std::vector<double> loglik;  ///< per statistic, as estimated when it was accepted
    double total = 0;            ///< their sum
};
}  // namespace

std::vector<double> statistic_logliks(const std::vector<std::vector<double>>& replicates,
                                      const std::vector<StatisticModel>& stats) {
    std::vector<double> out(stats.size(), 0.0);
    for (const std::vector<double>& rep : replicates) KAISIM_ASSERT(rep.size() == stats.size());
    for (std::size_t k = 0; k < stats.size(); ++k) {
        const StatisticModel& m = stats[k];
        if (m.weight == 0) continue;  // tracked, or switched off: nothing to score
        if (!m.gate_facts.empty()) {
            std::optional<double> g;
            if (!m.gate_passed.empty() && !m.gate_failed.empty()) g = gate_loglik(replicates, m);
            double l = 0;
            if (g)
                l = std::max(*g, unproducible_loglik);
            else
                for (std::size_t f : m.gate_facts)
                    l += fact_loglik(replicates, f, stats[f].observed);
            out[k] = m.weight * l;
            continue;
        }
        double l = 0;
        if (m.indicator) {
            l = fact_loglik(replicates, k, m.observed);
        } else if (const auto mv = moments(replicates, k)) {
            // A figure simulated without spread and observed without error still needs a
            // variance: a floor of 1e-12 relative to the figure.
            const auto [mean, spread] = *mv;
            const double var = std::max(spread + m.sd * m.sd, 1e-24 * (1 + mean * mean));
            const double d = m.observed - mean;
            l = std::max(-0.5 * (log_two_pi + std::log(var) + d * d / var), unproducible_loglik);
        } else {
            l = unproducible_loglik;
        }
        out[k] = m.weight * l;
    }
    return out;
}

double likelihood_keys_needed(const LikelihoodSettings& s) {
    return static_cast<double>(s.particles) * s.replicates *
           (1.0 + static_cast<double>(s.generations) * s.moves);
}

AbcResult run_likelihood_smc(
    std::size_t dims, const std::vector<StatisticModel>& stats, const LikelihoodSettings& s,
    const AbcSimulator& simulate,
    const std::function<void(const AbcGeneration&, std::size_t)>& progress) {
    KAISIM_ASSERT(dims >= 1 && s.particles >= 2 && s.replicates >= 1 && s.generations >= 1);
    const std::size_t n = s.particles;
    const auto d = static_cast<Eigen::Index>(dims);
    const core::RngStream rng(s.seed, sampler_stream, core::Stream::calibration);
    AbcResult result;
    std::uint64_t next_key = 0;

    // Estimates the likelihood at each position: one simulation call for all of them.
    const auto estimate = [&](const std::vector<std::vector<double>>& zs) {
        std::vector<std::vector<double>> us;
        std::vector<std::uint32_t> first;
        for (const std::vector<double>& z : zs) {
            std::vector<double> u(dims);
            for (std::size_t j = 0; j < dims; ++j) u[j] = unit_of(z[j]);
            us.push_back(std::move(u));
            first.push_back(static_cast<std::uint32_t>(next_key));
            next_key += s.replicates;
        }
        const auto sims = simulate(us, first);
        KAISIM_ASSERT(sims.size() == zs.size());
        result.replicates_simulated += zs.size() * s.replicates;
        std::vector<std::vector<double>> out;
        for (const auto& point : sims) out.push_back(statistic_logliks(point, stats));
        return out;
    };

    std::vector<Walker> pop(n);
    {
        std::vector<std::vector<double>> zs(n, std::vector<double>(dims));
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < dims; ++j)
                zs[i][j] =
                    rng.normal(0, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
        const auto ll = estimate(zs);
        for (std::size_t i = 0; i < n; ++i) pop[i] = {zs[i], ll[i], sum_of(ll[i])};
    }
    double temperature = 0;
    {
        AbcGeneration g;
        g.tolerance = std::numeric_limits<double>::infinity();
        g.proposals = g.simulated = n;
        g.acceptance = 1;
        g.ess = static_cast<double>(n);
        g.temperature = 0;
        result.generations.push_back(g);
        if (progress) progress(g, 0);
    }
    double scale = 2.38 / std::sqrt(static_cast<double>(dims));
    result.stop = "generations";
    for (std::uint32_t gen = 1; gen < s.generations && temperature < 1; ++gen) {
        // The next temperature: the largest step whose incremental weights keep the ESS at
        // the target (bisection), or the rest of the way when that keeps it anyway.
        const auto logw = [&](double step) {
            std::vector<double> w(n);
            for (std::size_t i = 0; i < n; ++i) w[i] = step * pop[i].total;
            return w;
        };
        const double target = s.ess_fraction * static_cast<double>(n);
        double step = 1 - temperature;
        if (ess_of(logw(step)) < target) {
            double lo = 0, hi = step;
            for (int it = 0; it < 60; ++it) {
                const double mid = 0.5 * (lo + hi);
                (ess_of(logw(mid)) >= target ? lo : hi) = mid;
            }
            step = std::max(lo, 1e-12);
        }
        temperature = std::min(1.0, temperature + step);
        const std::vector<double> lw = logw(step);
        AbcGeneration g;
        g.tolerance = std::numeric_limits<double>::infinity();
        g.temperature = temperature;
        g.ess = ess_of(lw);

        // Systematic resampling by the incremental weights.
        const double top = *std::max_element(lw.begin(), lw.end());
        std::vector<double> w(n);
        for (std::size_t i = 0; i < n; ++i) w[i] = std::exp(lw[i] - top);
        const double total = sum_of(w);
        std::vector<Walker> next;
        next.reserve(n);
        const double offset = rng.uniform(gen, resample_word, 0);
        double c = w[0] / total;
        std::size_t at = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double mark = (static_cast<double>(i) + offset) / static_cast<double>(n);
            while (c < mark && at + 1 < n) c += w[++at] / total;
            next.push_back(pop[at]);
        }
        pop = std::move(next);

        // The random walk's shape: the resampled population's covariance (a floor on the
        // diagonal keeps it moving along a direction where the population collapsed).
        Eigen::VectorXd mean = Eigen::VectorXd::Zero(d);
        for (const Walker& p : pop) mean += Eigen::Map<const Eigen::VectorXd>(p.z.data(), d);
        mean /= static_cast<double>(n);
        Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(d, d);
        for (const Walker& p : pop) {
            const Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(p.z.data(), d) - mean;
            cov += x * x.transpose();
        }
        cov /= static_cast<double>(n - 1);
        cov.diagonal().array() += 1e-6;
        Eigen::LLT<Eigen::MatrixXd> llt(cov);
        if (llt.info() != Eigen::Success) llt.compute(Eigen::MatrixXd(cov.diagonal().asDiagonal()));
        const Eigen::MatrixXd lower = llt.matrixL();

        std::uint64_t accepted = 0;
        for (std::uint32_t m = 0; m < s.moves; ++m) {
            std::vector<std::vector<double>> zs(n, std::vector<double>(dims));
            Eigen::VectorXd e(d);
            for (std::size_t i = 0; i < n; ++i) {
                for (Eigen::Index j = 0; j < d; ++j)
                    e[j] = rng.normal(
                        gen, static_cast<std::uint32_t>(i),
                        1 + m * static_cast<std::uint32_t>(dims) + static_cast<std::uint32_t>(j));
                const Eigen::VectorXd step_z = scale * (lower * e);
                for (std::size_t j = 0; j < dims; ++j)
                    zs[i][j] = pop[i].z[j] + step_z[static_cast<Eigen::Index>(j)];
            }
            const auto ll = estimate(zs);
            std::uint64_t round = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double proposed = sum_of(ll[i]);
                double prior = 0;
                for (std::size_t j = 0; j < dims; ++j)
                    prior += 0.5 * (pop[i].z[j] * pop[i].z[j] - zs[i][j] * zs[i][j]);
                const double log_ratio = prior + temperature * (proposed - pop[i].total);
                if (std::log(rng.uniform(gen, static_cast<std::uint32_t>(i), accept_word + m)) <
                    log_ratio) {
                    pop[i] = {zs[i], ll[i], proposed};
                    ++round;
                }
            }
            accepted += round;
            // Towards the acceptance that suits a random walk in many dimensions (0.234).
            const double rate = static_cast<double>(round) / static_cast<double>(n);
            scale *= std::exp(rate - 0.234);
        }
        g.proposals = g.simulated = std::uint64_t{n} * s.moves;
        g.acceptance =
            s.moves ? static_cast<double>(accepted) / static_cast<double>(g.proposals) : 0.0;
        result.generations.push_back(g);
        if (progress) progress(g, gen);
    }
    if (temperature >= 1)
        result.stop = "temperature 1 reached";
    else {
        char buf[96];
        std::snprintf(buf, sizeof buf, "generations (temperature %.3g: not the posterior yet)",
                      temperature);
        result.stop = buf;
    }
    for (const Walker& p : pop) {
        AbcParticle q;
        for (double z : p.z) q.u.push_back(unit_of(z));
        q.weight = 1.0 / static_cast<double>(n);
        q.distance = -p.total;
        q.loglik = p.loglik;
        result.particles.push_back(std::move(q));
    }
    result.scales.assign(stats.size(), std::numeric_limits<double>::quiet_NaN());
    result.unused_key = next_key;
    return result;
}

}  // namespace kaisim::study
