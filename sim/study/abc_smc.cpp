#include "kaisim/study/abc_smc.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "kaisim/core/error.hpp"
#include "kaisim/core/parallel.hpp"
#include "kaisim/core/rng.hpp"

namespace kaisim::study {

namespace {
constexpr double infinity = std::numeric_limits<double>::infinity();

// The q-quantile of `v`: the order statistic at q (n - 1), rounded down (exact with infinite
// values, which interpolation would turn into NaN).
double quantile(std::vector<double> v, double q) {
    KAISIM_ASSERT(!v.empty());
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1)))];
}

// A statistic's prior-predictive spread: 1.4826 x MAD, the sd where the MAD is 0, else 1.
double spread(const std::vector<double>& v) {
    const double median = quantile(v, 0.5);
    std::vector<double> dev;
    double mean = 0, sq = 0;
    for (double x : v) {
        dev.push_back(std::abs(x - median));
        mean += x;
    }
    mean /= static_cast<double>(v.size());
    for (double x : v) sq += (x - mean) * (x - mean);
    const double mad = 1.4826 * quantile(dev, 0.5);
    if (mad > 0) return mad;
    const double sd = std::sqrt(sq / static_cast<double>(v.size()));
    return sd > 0 ? sd : 1.0;
}

struct Population {
    std::vector<AbcParticle> particles;
    std::vector<std::vector<double>> distances;  ///< [particle][replicate]
};

// The replicates' distances to the observations, each statistic divided by its scale.
std::vector<double> distances(const std::vector<std::vector<double>>& replicates,
                              const std::vector<double>& observed,
                              const std::vector<double>& scales) {
    std::vector<double> d;
    for (const std::vector<double>& s : replicates) {
        KAISIM_ASSERT(s.size() == observed.size());
        double sum = 0;
        for (std::size_t k = 0; k < s.size(); ++k) {
            const double z = (s[k] - observed[k]) / scales[k];
            sum += z * z;
        }
        // A replicate that could not produce a statistic (a stage not reached) is never close.
        d.push_back(std::isnan(sum) ? infinity : std::sqrt(sum));
    }
    return d;
}

// The perturbation kernel: a Gaussian with twice the population's weighted covariance.
class Kernel {
  public:
    explicit Kernel(const std::vector<AbcParticle>& pop) {
        const std::size_t k = pop.front().u.size();
        Eigen::VectorXd mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(k));
        for (const AbcParticle& p : pop) mean += p.weight * as_vector(p.u);
        Eigen::MatrixXd cov =
            Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
        for (const AbcParticle& p : pop) {
            const Eigen::VectorXd d = as_vector(p.u) - mean;
            cov += p.weight * d * d.transpose();
        }
        cov *= 2.0;
        // A population collapsed along some direction still needs a kernel that moves: a floor
        // of (1e-6)^2 on the diagonal, in the unit cube's scale.
        cov.diagonal().array() += 1e-12;
        llt_.compute(cov);
        if (llt_.info() != Eigen::Success) {  // not positive definite: keep the variances only
            llt_.compute(Eigen::MatrixXd(cov.diagonal().asDiagonal()));
        }
        lower_ = llt_.matrixL();
    }

    Eigen::VectorXd step(const Eigen::VectorXd& z) const { return lower_ * z; }

    /// exp(-q/2) of the Mahalanobis distance q between `a` and `b` (the shared constant of the
    /// Gaussian density cancels in normalised weights).
    double density(const std::vector<double>& a, const std::vector<double>& b) const {
        const Eigen::VectorXd y =
            lower_.triangularView<Eigen::Lower>().solve(as_vector(a) - as_vector(b));
        return std::exp(-0.5 * y.squaredNorm());
    }

    static Eigen::VectorXd as_vector(const std::vector<double>& v) {
        return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
    }

  private:
    Eigen::LLT<Eigen::MatrixXd> llt_;
    Eigen::MatrixXd lower_;
};

double effective_sample_size(const std::vector<AbcParticle>& pop) {
    double sq = 0;
    for (const AbcParticle& p : pop) sq += p.weight * p.weight;
    return sq > 0 ? 1.0 / sq : 0.0;
}

void normalise(std::vector<AbcParticle>& pop) {
    double sum = 0;
    for (const AbcParticle& p : pop) sum += p.weight;
    for (AbcParticle& p : pop) p.weight /= sum;
}
}  // namespace

double abc_keys_needed(const AbcSettings& s) {
    const double max_proposals = std::ceil(s.particles / s.min_acceptance);
    return static_cast<double>(s.replicates) *
           (s.particles + max_proposals * (static_cast<double>(s.generations) - 1));
}

AbcResult run_abc_smc(std::size_t dims, const std::vector<double>& observed,
                      const AbcSettings& settings, const AbcSimulator& simulate,
                      const std::function<void(const AbcGeneration&, std::size_t)>& progress) {
    KAISIM_ASSERT(dims >= 1 && !observed.empty() && settings.particles >= 2 &&
                  settings.replicates >= 1 && settings.alpha > 0 && settings.alpha < 1 &&
                  settings.min_acceptance > 0 && settings.min_acceptance <= 1 &&
                  settings.generations >= 1);
    const std::uint32_t n = settings.particles, reps = settings.replicates;
    const std::uint32_t batch = settings.batch > 0 ? settings.batch : n;
    const std::uint64_t max_proposals =
        static_cast<std::uint64_t>(std::ceil(n / settings.min_acceptance));
    // Replicate keys: generation 0 takes n blocks of `reps`, each later generation one block per
    // possible proposal, in the order drawn, so no key depends on how proposals were batched.
    const double keys_needed = abc_keys_needed(settings);
    if (keys_needed >= 4294967295.0)
        throw std::runtime_error(
            "calibration too large for the replicate keys: particles / min_acceptance x "
            "replicates x generations must stay below 2^32");
    const core::RngStream rng(settings.seed, 0, core::Stream::calibration);
    AbcResult out;
    out.unused_key = static_cast<std::uint64_t>(keys_needed);

    // Generation 0: the prior.
    Population pop;
    std::vector<std::vector<double>> us(n, std::vector<double>(dims));
    std::vector<std::uint32_t> first(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < dims; ++j)
            us[i][j] = rng.uniform(0, i, static_cast<std::uint32_t>(j));
        first[i] = i * reps;
    }
    std::vector<std::vector<std::vector<double>>> sims;
    core::for_each_piece(n, batch, [&](std::uint32_t at, std::uint32_t len) {
        const auto part = simulate({us.begin() + at, us.begin() + at + len},
                                   {first.begin() + at, first.begin() + at + len});
        KAISIM_ASSERT(part.size() == len);
        sims.insert(sims.end(), part.begin(), part.end());
    });
    out.replicates_simulated = static_cast<std::uint64_t>(n) * reps;
    out.scales.assign(observed.size(), 1.0);
    for (std::size_t k = 0; k < observed.size(); ++k) {
        std::vector<double> v;
        for (const auto& point : sims)
            for (const auto& rep : point)
                if (std::isfinite(rep.at(k))) v.push_back(rep.at(k));
        out.scales[k] = v.empty() ? 1.0 : spread(v);
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        std::vector<double> d = distances(sims[i], observed, out.scales);
        pop.particles.push_back({us[i], 1.0 / n, quantile(d, 0.5), reps, {}});
        pop.distances.push_back(std::move(d));
    }
    out.generations.push_back({infinity, n, n, 1.0, static_cast<double>(n)});
    if (progress) progress(out.generations.back(), 0);

    std::uint32_t key_base = n * reps;
    out.stop = "the generation cap (" + std::to_string(settings.generations) + ")";
    for (std::uint32_t t = 1; t < settings.generations; ++t) {
        // The replicates that reached the last tolerance set the next one: the noise no
        // parameter can remove (a replicate far off whatever the parameters) does not hold it.
        const double last = out.generations.back().tolerance;
        std::vector<double> hits;
        for (const auto& d : pop.distances)
            for (double x : d)
                if (x <= last && std::isfinite(x)) hits.push_back(x);
        if (hits.empty()) {
            out.stop = "no replicate produced every statistic (a stage never reached?)";
            break;
        }
        const double tolerance = quantile(hits, settings.alpha);
        const Kernel kernel(pop.particles);
        std::vector<double> cumulative;
        double c = 0;
        for (const AbcParticle& p : pop.particles) cumulative.push_back(c += p.weight);

        Population next;
        std::uint64_t proposals = 0, simulated = 0, drawn = 0;
        while (next.particles.size() < n && drawn < max_proposals) {
            std::vector<std::vector<double>> props;
            std::vector<std::uint64_t> index;  // the proposal's number in this generation
            while (props.size() < batch && drawn < max_proposals) {
                const std::uint64_t a = drawn++;
                const std::uint32_t a32 = static_cast<std::uint32_t>(a);
                const double pick = rng.uniform(t, a32, 0) * c;
                const std::size_t j = static_cast<std::size_t>(
                    std::lower_bound(cumulative.begin(), cumulative.end(), pick) -
                    cumulative.begin());
                Eigen::VectorXd z(static_cast<Eigen::Index>(dims));
                for (std::size_t k = 0; k < dims; ++k)
                    z[static_cast<Eigen::Index>(k)] =
                        rng.normal(t, a32, 1 + static_cast<std::uint32_t>(k));
                const Eigen::VectorXd u =
                    Kernel::as_vector(pop.particles[std::min(j, cumulative.size() - 1)].u) +
                    kernel.step(z);
                if ((u.array() <= 0).any() || (u.array() >= 1).any())
                    continue;  // outside the prior
                props.emplace_back(u.data(), u.data() + u.size());
                index.push_back(a);
            }
            if (props.empty()) continue;
            std::vector<std::uint32_t> keys;
            for (std::uint64_t a : index)
                keys.push_back(key_base + static_cast<std::uint32_t>(a) * reps);
            const auto part = simulate(props, keys);
            KAISIM_ASSERT(part.size() == props.size());
            for (std::size_t p = 0; p < props.size() && next.particles.size() < n; ++p) {
                ++simulated;
                proposals = index[p] + 1;
                std::vector<double> d = distances(part[p], observed, out.scales);
                const auto hits = static_cast<std::uint32_t>(
                    std::count_if(d.begin(), d.end(), [&](double x) { return x <= tolerance; }));
                if (hits == 0) continue;
                double mixture = 0;
                for (const AbcParticle& q : pop.particles)
                    mixture += q.weight * kernel.density(props[p], q.u);
                const double w = (static_cast<double>(hits) / reps) / std::max(mixture, 1e-300);
                next.particles.push_back({props[p], w, quantile(d, 0.5), hits, {}});
                next.distances.push_back(std::move(d));
            }
        }
        key_base += static_cast<std::uint32_t>(max_proposals) * reps;
        out.replicates_simulated += simulated * reps;
        // A generation that ran out of proposals is below the minimum acceptance: it is the
        // last, and its particles (valid draws, fewer of them) are used when there are enough.
        const bool short_of = next.particles.size() < n;
        if (short_of) proposals = drawn;
        if (short_of && next.particles.size() < std::max<std::size_t>(2, n / 10)) {
            out.stop = "generation " + std::to_string(t) + " accepted only " +
                       std::to_string(next.particles.size()) + " of " + std::to_string(n) +
                       " particles in " + std::to_string(max_proposals) +
                       " proposals: the previous population is the result";
            break;
        }
        normalise(next.particles);
        const double acceptance =
            static_cast<double>(next.particles.size()) / static_cast<double>(proposals);
        out.generations.push_back(
            {tolerance, proposals, simulated, acceptance, effective_sample_size(next.particles)});
        pop = std::move(next);
        if (progress) progress(out.generations.back(), t);
        if (short_of || acceptance < settings.min_acceptance) {
            out.stop = "the acceptance rate fell below " + std::to_string(settings.min_acceptance);
            break;
        }
    }
    out.particles = std::move(pop.particles);
    return out;
}

}  // namespace kaisim::study
