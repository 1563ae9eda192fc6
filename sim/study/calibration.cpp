#include "kaisim/study/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <stdexcept>

#include "kaisim/core/error.hpp"
#include "kaisim/core/parallel.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/rng.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/replicate.hpp"
#include "kaisim/study/sbc.hpp"

namespace kaisim::study {

using core::ProcessGroup;

namespace {
using Simulations = std::vector<std::vector<std::vector<double>>>;

// Runs each simulation once, wherever it is asked for: one stored before this run (the same
// first key at the same point) is taken from the store; the others are split over the process
// group's ranks in contiguous shares (each rank simulating its share with its threads), every
// rank receives every result in order, and the store (rank 0's) gets the new ones, one write
// per batch. A failure on any rank stops every rank.
class SharedSimulator {
  public:
    SharedSimulator(AbcSimulator inner, std::size_t dims, std::size_t stats, std::uint32_t reps,
                    const std::function<SimulationStore*()>& open_store)
        : inner_(std::move(inner)), stats_(stats), reps_(reps) {
        // Rank 0 opens and reads the store and every rank gets its simulations: one of another
        // shape (a damaged row) is left out, and simulated again.
        std::vector<double> flat;
        std::exception_ptr error;
        if (group_.rank() == 0 && open_store) try {
                store_ = open_store();
                if (store_)
                    for (const StoredSimulation& s : store_->load())
                        if (s.u.size() == dims && s.statistics.size() == width()) {
                            flat.push_back(s.first);
                            flat.insert(flat.end(), s.u.begin(), s.u.end());
                            flat.insert(flat.end(), s.statistics.begin(), s.statistics.end());
                        }
            } catch (...) {
                error = std::current_exception();
            }
        group_.agree(error);
        group_.broadcast(flat);
        const std::size_t row = 1 + dims + width();
        for (std::size_t at = 0; at + row <= flat.size(); at += row) {
            StoredSimulation s;
            s.first = static_cast<std::uint32_t>(flat[at]);
            s.u.assign(flat.begin() + static_cast<std::ptrdiff_t>(at + 1),
                       flat.begin() + static_cast<std::ptrdiff_t>(at + 1 + dims));
            s.statistics.assign(flat.begin() + static_cast<std::ptrdiff_t>(at + 1 + dims),
                                flat.begin() + static_cast<std::ptrdiff_t>(at + row));
            stored_[s.first] = std::move(s);
        }
    }

    Simulations operator()(const std::vector<std::vector<double>>& us,
                           const std::vector<std::uint32_t>& first) {
        Simulations out(us.size());
        std::vector<std::size_t> missing;
        for (std::size_t i = 0; i < us.size(); ++i) {
            // Keys are never asked for twice in a run: a stored simulation is used once.
            const auto at = stored_.find(first[i]);
            if (at != stored_.end() && at->second.u == us[i]) {
                out[i] = rows(at->second.statistics);
                stored_.erase(at);
                reused_ += reps_;
            } else {
                missing.push_back(i);
            }
        }
        const auto m = missing.size(), ranks = static_cast<std::size_t>(group_.size()),
                   rank = static_cast<std::size_t>(group_.rank());
        std::vector<std::vector<double>> my_us;
        std::vector<std::uint32_t> my_first;
        for (std::size_t j = m * rank / ranks; j < m * (rank + 1) / ranks; ++j) {
            my_us.push_back(us[missing[j]]);
            my_first.push_back(first[missing[j]]);
        }
        std::vector<double> mine;
        std::exception_ptr error;
        try {
            if (!my_us.empty())
                for (const auto& point : inner_(my_us, my_first)) {
                    KAISIM_ASSERT(point.size() == reps_);
                    for (const auto& rep : point) {
                        KAISIM_ASSERT(rep.size() == stats_);
                        mine.insert(mine.end(), rep.begin(), rep.end());
                    }
                }
        } catch (...) {
            error = std::current_exception();
        }
        group_.agree(error);
        const std::vector<double> all = group_.all_gather(mine);
        run_ += m * reps_;
        KAISIM_ASSERT(all.size() == m * width());
        std::vector<StoredSimulation> fresh;
        for (std::size_t j = 0; j < m; ++j) {
            const std::size_t i = missing[j];
            const auto from = all.begin() + static_cast<std::ptrdiff_t>(j * width());
            StoredSimulation s{
                first[i], us[i], {from, from + static_cast<std::ptrdiff_t>(width())}};
            out[i] = rows(s.statistics);
            fresh.push_back(std::move(s));
        }
        if (store_ && !fresh.empty()) try {
                store_->write(fresh);
            } catch (...) {
                error = std::current_exception();
            }
        group_.agree(error);
        return out;
    }

    std::uint64_t reused() const { return reused_; }
    std::uint64_t run() const { return run_; }

  private:
    std::size_t width() const { return stats_ * reps_; }
    std::vector<std::vector<double>> rows(const std::vector<double>& flat) const {
        std::vector<std::vector<double>> out;
        for (std::size_t r = 0; r < reps_; ++r)
            out.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(r * stats_),
                             flat.begin() + static_cast<std::ptrdiff_t>((r + 1) * stats_));
        return out;
    }
    AbcSimulator inner_;
    std::size_t stats_;
    std::uint32_t reps_;
    SimulationStore* store_ = nullptr;
    const ProcessGroup& group_ = ProcessGroup::world();
    std::map<std::uint32_t, StoredSimulation> stored_;
    std::uint64_t reused_ = 0, run_ = 0;
};

// The 5/50/95% and mean of each statistic over every replicate simulated at `us`; a statistic
// observed with a measurement error (sd > 0) gets that error added, so that the range is the
// one the published figure should fall in.
std::vector<Predictive> predictive(const AbcSimulator& simulate,
                                   const std::vector<std::vector<double>>& us,
                                   std::uint64_t first_key, std::uint32_t reps,
                                   const std::vector<Observation>& obs, std::uint32_t seed) {
    const std::size_t stats = obs.size();
    const core::RngStream error(seed, 6, core::Stream::calibration);
    std::vector<std::uint32_t> keys;
    for (std::size_t i = 0; i < us.size(); ++i)
        keys.push_back(static_cast<std::uint32_t>(first_key + i * reps));
    const auto sims = simulate(us, keys);
    std::vector<Predictive> out(stats);
    for (std::size_t k = 0; k < stats; ++k) {
        std::vector<std::pair<double, double>> v;
        for (std::size_t i = 0; i < sims.size(); ++i)
            for (std::size_t r = 0; r < sims[i].size(); ++r)
                if (const double x = sims[i][r].at(k); std::isfinite(x))
                    v.emplace_back(
                        x + (obs[k].sd > 0
                                 ? obs[k].sd * error.normal(keys[i] + static_cast<std::uint32_t>(r),
                                                            static_cast<std::uint32_t>(k))
                                 : 0.0),
                        1.0);
        if (v.empty()) continue;
        for (auto& [x, w] : v) {
            w = 1.0 / static_cast<double>(v.size());
            out[k].mean += w * x;
        }
        out[k].replicates = v.size();
        out[k].q05 = weighted_quantile(v, 0.05);
        out[k].q50 = weighted_quantile(v, 0.5);
        out[k].q95 = weighted_quantile(v, 0.95);
    }
    return out;
}
// `reps` replicates at each point, keys first[i], first[i] + 1, ...: [point][replicate][statistic].
std::vector<std::vector<std::vector<double>>> simulate_points(
    const CalibrationSpec& spec, const ScenarioSource& source,
    const std::vector<ResolvedObservation>& resolved, int threads, std::uint32_t reps,
    std::uint32_t seed, const std::vector<std::vector<double>>& us,
    const std::vector<std::uint32_t>& first) {
    std::vector<std::vector<std::vector<double>>> out(us.size());
    if (spec.model == CalibrationModel::gaussian_mean) {
        const double s = spec.gaussian_sigma / std::sqrt(spec.gaussian_n);
        const core::RngStream noise(seed, 1, core::Stream::calibration);
        for (std::size_t i = 0; i < us.size(); ++i) {
            const double theta = parameter_value(spec.parameters[0], us[i][0]);
            for (std::uint32_t r = 0; r < reps; ++r)
                out[i].push_back({theta + s * noise.normal(first[i] + r)});
        }
        return out;
    }
    core::parallel_for(us.size(), threads, [&](std::size_t begin, std::size_t end) {
        eval::CpuBackend backend(1);
        for (std::size_t i = begin; i < end; ++i) {
            const model::Scenario sc = source(point_sets(spec.parameters, us[i]));
            const programme::PreparedScenario prepared = programme::prepare(sc);
            std::vector<std::uint32_t> ids(reps);
            for (std::uint32_t r = 0; r < reps; ++r) ids[r] = first[i] + r;
            for (const programme::Result& res : run::run_batch(prepared, ids, backend, 1, false))
                out[i].push_back(stage_statistics(res, resolved));
        }
    });
    return out;
}
}  // namespace

std::vector<StatisticModel> statistic_models(const std::vector<Observation>& obs) {
    std::vector<StatisticModel> models;
    for (const Observation& o : obs) {
        StatisticModel m;
        m.observed = o.value;
        m.indicator = is_indicator(o.kind);
        m.weight = o.weight;
        m.sd = o.sd;
        models.push_back(std::move(m));
    }
    // A gate's passed facts (those with points to compare, io::load_calibration), scored by
    // the stage's first.
    std::vector<std::pair<std::string, std::size_t>> leaders;  // stage, its scoring fact
    for (std::size_t k = 0; k < obs.size(); ++k) {
        const Observation& o = obs[k];
        if (o.gate_points.empty()) continue;
        const auto points = std::find_if(
            obs.begin(), obs.end(), [&](const Observation& q) { return q.name == o.gate_points; });
        if (points == obs.end()) continue;  // (not kept by a check that fits a subset)
        auto at = std::find_if(leaders.begin(), leaders.end(),
                               [&](const auto& l) { return l.first == o.stage; });
        if (at == leaders.end())
            at = leaders.insert(leaders.end(), {o.stage, k});
        else
            models[k].weight = 0;
        StatisticModel& g = models[at->second];
        (o.value == 1 ? g.gate_passed : g.gate_failed)
            .push_back(static_cast<std::size_t>(points - obs.begin()));
        g.gate_facts.push_back(k);
    }
    return models;
}

std::vector<double> simulate_statistics(const CalibrationSpec& spec, const ScenarioSource& source,
                                        const std::vector<double>& u, std::uint32_t key) {
    std::vector<ResolvedObservation> resolved;
    if (spec.model == CalibrationModel::scenario)
        resolved = resolve_observations(source(point_sets(spec.parameters, u)), spec.observations);
    const std::uint32_t seed =
        spec.method == CalibrationMethod::abc ? spec.abc.seed : spec.likelihood.seed;
    return simulate_points(spec, source, resolved, 1, 1, seed, {u}, {key}).at(0).at(0);
}

std::vector<ParameterPosterior> summaries(const std::vector<SweepParameter>& params,
                                          const std::vector<std::vector<double>>& values,
                                          const std::vector<double>& weights) {
    std::vector<ParameterPosterior> out;
    for (std::size_t i = 0; i < params.size(); ++i) {
        ParameterPosterior q;
        q.name = params[i].name;
        std::vector<std::pair<double, double>> vw;
        for (std::size_t j = 0; j < values.size(); ++j) {
            vw.emplace_back(values[j][i], weights[j]);
            q.mean += weights[j] * values[j][i];
        }
        for (const auto& [x, w] : vw) q.sd += w * (x - q.mean) * (x - q.mean);
        q.sd = std::sqrt(q.sd);
        q.q05 = weighted_quantile(vw, 0.05);
        q.q50 = weighted_quantile(vw, 0.5);
        q.q95 = weighted_quantile(vw, 0.95);
        out.push_back(q);
    }
    return out;
}

double weighted_quantile(std::vector<std::pair<double, double>> vw, double q) {
    KAISIM_ASSERT(!vw.empty());
    std::sort(vw.begin(), vw.end());
    double c = 0;
    for (const auto& [v, w] : vw) {
        c += w;
        if (c >= q) return v;
    }
    return vw.back().first;
}

CalibrationOutcome run_calibration(
    const CalibrationSpec& spec, const ScenarioSource& source, int threads,
    const std::function<void(const AbcGeneration&, std::size_t)>& progress,
    const std::function<SimulationStore*()>& open_store) {
    const std::size_t k = spec.parameters.size();
    const bool abc = spec.method == CalibrationMethod::abc;
    const std::uint32_t n = abc ? spec.abc.particles : spec.likelihood.particles,
                        reps = abc ? spec.abc.replicates : spec.likelihood.replicates,
                        seed = abc ? spec.abc.seed : spec.likelihood.seed;
    std::vector<double> observed;
    for (const Observation& o : spec.observations) observed.push_back(o.value);
    const std::vector<StatisticModel> models = statistic_models(spec.observations);
    AbcSimulator simulate;
    std::vector<ResolvedObservation> resolved;
    if (spec.model == CalibrationModel::scenario) {
        // Every parameter at the prior's middle and both ends must load: bad input is found
        // before anything runs, as sweeps do.
        for (std::size_t i = 0; i < k; ++i)
            for (double at : {0.0, 1 - 1e-12}) {
                std::vector<double> u(k, 0.5);
                u[i] = at;
                check_parameters(spec.file, spec.parameters, u, source);
            }
        resolved = resolve_observations(
            check_parameters(spec.file, spec.parameters, std::vector<double>(k, 0.5), source),
            spec.observations);
    }
    simulate = [&spec, &source, &resolved, threads, reps, seed](
                   const std::vector<std::vector<double>>& us,
                   const std::vector<std::uint32_t>& first) {
        return simulate_points(spec, source, resolved, threads, reps, seed, us, first);
    };
    if ((abc ? abc_keys_needed(spec.abc) : likelihood_keys_needed(spec.likelihood)) +
            2.0 * n * reps >=
        4294967295.0)
        throw std::runtime_error(
            abc ? "calibration too large for the replicate keys: particles / min_acceptance x "
                  "replicates x generations must stay below 2^32"
                : "calibration too large for the replicate keys: particles x replicates x "
                  "(1 + generations x moves) must stay below 2^32");
    SharedSimulator shared(simulate, k, observed.size(), reps, open_store);
    simulate = [&shared](const std::vector<std::vector<double>>& us,
                         const std::vector<std::uint32_t>& first) { return shared(us, first); };
    CalibrationOutcome out;
    out.abc = abc ? run_abc_smc(k, observed, spec.abc, simulate, progress)
                  : run_likelihood_smc(k, models, spec.likelihood, simulate, progress);
    // Predictive checks, on keys after the calibration's: the prior's (uniform in the cube) and
    // the posterior's (particles drawn by weight, systematically).
    const core::RngStream draw(seed, 2, core::Stream::calibration);
    std::vector<std::vector<double>> prior(n, std::vector<double>(k)), post;
    for (std::uint32_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < k; ++j)
            prior[i][j] = draw.uniform(i, static_cast<std::uint32_t>(j));
    double c = 0;
    std::size_t at = 0;
    const double offset = draw.uniform(n, 0);
    for (std::uint32_t i = 0; i < n; ++i) {
        const double target = (i + offset) / n;
        while (at + 1 < out.abc.particles.size() && c + out.abc.particles[at].weight < target)
            c += out.abc.particles[at++].weight;
        post.push_back(out.abc.particles[at].u);
    }
    out.prior_points = prior;
    if (spec.predictive) {
        out.prior_predictive =
            predictive(simulate, prior, out.abc.unused_key, reps, spec.observations, seed);
        out.posterior_predictive =
            predictive(simulate, post, out.abc.unused_key + std::uint64_t{n} * reps, reps,
                       spec.observations, seed);
    }
    out.replicates_reused = shared.reused();
    out.replicates_run = shared.run();
    for (const AbcParticle& p : out.abc.particles)
        out.values.push_back(point_values(spec.parameters, p.u));
    std::vector<double> weights;
    for (const AbcParticle& p : out.abc.particles) weights.push_back(p.weight);
    out.posterior = summaries(spec.parameters, out.values, weights);
    // The prior of each parameter, a member's marginal included: 4,000 draws in the cube.
    {
        constexpr std::uint32_t draws = 4000;
        const core::RngStream cube(seed, 4, core::Stream::calibration);
        std::vector<std::vector<double>> values;
        for (std::uint32_t i = 0; i < draws; ++i) {
            std::vector<double> u(k);
            for (std::size_t j = 0; j < k; ++j)
                u[j] = cube.uniform(i, static_cast<std::uint32_t>(j));
            values.push_back(point_values(spec.parameters, u));
        }
        out.prior = summaries(spec.parameters, values, std::vector<double>(draws, 1.0 / draws));
    }
    // What each observations file taught: the posterior without it, by importance weights.
    if (!abc)
        for (const std::string& file : spec.observations_files) {
            FileInfluence f;
            f.file = file;
            std::vector<double> logw;
            for (const AbcParticle& p : out.abc.particles) {
                double l = 0;
                for (std::size_t s = 0; s < spec.observations.size(); ++s)
                    if (spec.observations[s].file == file) l -= p.loglik.at(s);
                logw.push_back(l + std::log(p.weight));
            }
            const double top = *std::max_element(logw.begin(), logw.end());
            std::vector<double> w;
            double sum = 0, sq = 0;
            for (double l : logw) {
                w.push_back(std::exp(l - top));
                sum += w.back();
            }
            for (double& x : w) {
                x /= sum;
                sq += x * x;
            }
            f.ess = 1 / sq;
            f.without = summaries(spec.parameters, out.values, w);
            out.influence.push_back(std::move(f));
        }
    return out;
}

}  // namespace kaisim::study
