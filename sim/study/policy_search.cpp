// The search of a scenario's levers (run_optimisation): each policy a Monte Carlo on the same
// replicates, on every thread and MPI rank, kept in a store so that a stopped search resumes.
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "kaisim/core/error.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/statistics.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/metrics.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/study/optimisation.hpp"
#include "kaisim/study/sweep_design.hpp"

namespace kaisim::study {

namespace {

// The index of `metric` among the scenario's metrics; InputError naming them all if none.
std::size_t metric_index(const std::vector<run::MetricSpec>& specs, const std::string& metric,
                         const std::string& file) {
    const auto it = std::find_if(specs.begin(), specs.end(),
                                 [&](const run::MetricSpec& m) { return m.name == metric; });
    if (it != specs.end()) return static_cast<std::size_t>(it - specs.begin());
    std::string known;
    for (const run::MetricSpec& m : specs) known += (known.empty() ? "" : ", ") + m.name;
    throw InputError(file, 1, 1, "no metric '" + metric + "' (the metrics: " + known + ")");
}

std::string joined(const std::vector<std::string>& sets) {
    std::string key;
    for (const std::string& s : sets) key += s + "\n";
    return key;
}

}  // namespace

OptimisationOutcome run_optimisation(const OptimisationSpec& spec, const ScenarioSource& source,
                                     int threads,
                                     const std::function<void(std::uint32_t)>& progress,
                                     const std::function<EvaluationStore*()>& open_store,
                                     const std::vector<Particle>& posterior,
                                     eval::ScoringBackend* backend_given) {
    // Metric names and lever paths are checked before any run: on the scenario as it is and
    // with every lever at both ends.
    const model::Scenario base = source({});
    const std::vector<run::MetricSpec> specs = run::metric_specs(base);
    // The metrics a policy's Monte Carlo keeps, per replicate: the objectives', then the
    // constraints' (`column` of each objective and constraint).
    std::vector<std::size_t> kept, objective_column, constraint_column;
    const auto column = [&](const std::string& metric) {
        const std::size_t m = metric_index(specs, metric, spec.file);
        const auto it = std::find(kept.begin(), kept.end(), m);
        if (it != kept.end()) return static_cast<std::size_t>(it - kept.begin());
        kept.push_back(m);
        return kept.size() - 1;
    };
    for (const Objective& o : spec.objectives) objective_column.push_back(column(o.metric));
    for (const Constraint& c : spec.constraints) constraint_column.push_back(column(c.metric));
    for (double end : {0.0, 1.0})
        check_parameters(spec.file, spec.levers, std::vector<double>(spec.levers.size(), end),
                         source);
    const auto sets_of = [&](const std::vector<double>& u) {
        std::vector<std::string> sets;
        for (std::size_t j = 0; j < spec.levers.size(); ++j)
            for (const std::string& s : parameter_sets(spec.levers[j], u[j])) sets.push_back(s);
        return sets;
    };
    // A lever is a policy, a posterior's parameter an uncertainty: one path cannot be both
    // (the lever would silently win over the particle here, and lose to it in kaisim run
    // --posterior --overlay).
    std::set<std::string> uncertain;
    for (const Particle& particle : posterior)
        for (const std::string& set : particle.sets) uncertain.insert(set.substr(0, set.find('=')));
    for (const SweepParameter& p : spec.levers) {
        std::vector<std::string> paths{p.path};
        for (const LinkedPath& l : p.also) paths.push_back(l.path);
        for (const std::string& path : paths)
            if (uncertain.count(path))
                throw InputError(spec.file, std::max(p.path_line, 1), std::max(p.path_col, 1),
                                 "lever '" + p.name + "' sets " + path +
                                     ", which the posterior also sets: a path is either a "
                                     "policy lever or an uncertain parameter, not both");
    }
    // With a posterior: the particle each replicate draws.
    std::vector<std::size_t> particle_of;
    if (!posterior.empty()) {
        std::vector<double> cumulative;
        double c = 0;
        for (const Particle& p : posterior) cumulative.push_back(c += p.weight);
        for (std::uint32_t r = 0; r < spec.replicates; ++r)
            particle_of.push_back(run::posterior_particle(cumulative, base.seed, r));
    }
    // A policy's scenario, and with a posterior the scenario with each particle its replicates
    // draw (loaded once each; InputError when any refuses the levers, alike on every rank).
    struct Policy {
        std::unique_ptr<model::Scenario> scenario;
        std::map<std::size_t, std::unique_ptr<model::Scenario>> particles;
    };
    const auto load_policy = [&](const std::vector<std::string>& sets) {
        Policy p;
        p.scenario = std::make_unique<model::Scenario>(source(sets));
        for (std::size_t k : particle_of)
            if (!p.particles.count(k)) {
                std::vector<std::string> all = posterior[k].sets;
                all.insert(all.end(), sets.begin(), sets.end());
                p.particles[k] = std::make_unique<model::Scenario>(source(all));
            }
        return p;
    };
    const core::ProcessGroup& world = core::ProcessGroup::world();
    EvaluationStore* store = world.rank() == 0 && open_store ? open_store() : nullptr;
    const std::unique_ptr<eval::ScoringBackend> automatic =
        backend_given ? nullptr : eval::make_backend("auto", threads);
    eval::ScoringBackend* const backend = backend_given ? backend_given : automatic.get();
    const std::size_t reps = spec.replicates;
    std::uint64_t simulated = 0, reused = 0;
    // A policy's Monte Carlo: the kept metrics, [metric][replicate]. From the store when it
    // holds the policy (rank 0 looks, every rank learns), else simulated by every rank together
    // (rank 0 receives the replicates, stores them and gives them to all).
    const auto simulate = [&](const Policy& policy, const std::vector<std::string>& sets) {
        std::vector<double> values;
        std::vector<std::uint32_t> found{0};
        if (store && store->find(joined(sets), values) && values.size() == kept.size() * reps)
            found[0] = 1;
        world.broadcast(found);
        if (!found[0]) {
            values.assign(kept.size() * reps, 0.0);
            const programme::PreparedScenario prepared = programme::prepare(*policy.scenario);
            std::map<std::size_t, programme::PreparedScenario> particle_prepared;
            for (const auto& [k, scenario] : policy.particles)
                particle_prepared.emplace(k, programme::prepare(*scenario));
            run::McOptions opt;
            opt.replicates = spec.replicates;
            opt.threads = threads;
            opt.ranks = &world;
            if (!particle_of.empty())
                opt.prepared_for = [&](std::uint32_t r) {
                    return &particle_prepared.at(particle_of[r]);
                };
            opt.per_replicate = [&](std::uint32_t r, const std::vector<double>& m) {
                for (std::size_t k = 0; k < kept.size(); ++k) values[k * reps + r] = m[kept[k]];
            };
            run::run_monte_carlo(prepared, *backend, opt);
            if (store) store->write(joined(sets), values);
            ++simulated;
        } else {
            ++reused;
        }
        world.broadcast(values);
        std::vector<std::vector<double>> by_metric(kept.size());
        for (std::size_t k = 0; k < kept.size(); ++k)
            by_metric[k].assign(values.begin() + static_cast<std::ptrdiff_t>(k * reps),
                                values.begin() + static_cast<std::ptrdiff_t>((k + 1) * reps));
        return by_metric;
    };
    const auto evaluation_of = [&](const Policy& policy, const std::vector<std::string>& sets) {
        const std::vector<std::vector<double>> v = simulate(policy, sets);
        Evaluation e;
        const double n = static_cast<double>(reps);
        for (std::size_t i = 0; i < spec.objectives.size(); ++i) {
            const std::vector<double>& x = v[objective_column[i]];
            core::RunningStats s;
            for (double y : x) s.add(y);
            // A probability gets a Wilson interval (within [0, 1]), as mc_summary.json gives.
            const core::Interval ci = specs[kept[objective_column[i]]].probability
                                          ? core::wilson_interval(s.mean() * n, n)
                                          : s.mean_ci();
            e.mean.push_back(s.mean());
            e.lo.push_back(ci.lo);
            e.hi.push_back(ci.hi);
            e.samples.push_back(x);
        }
        // How far outside its constraints, each relative to its bound's size (a mean within a
        // rounding of its bound is at it: `feasible` at least 1 holds when every replicate is).
        for (std::size_t j = 0; j < spec.constraints.size(); ++j) {
            const Constraint& c = spec.constraints[j];
            core::RunningStats s;
            for (double y : v[constraint_column[j]]) s.add(y);
            const double mean = s.mean();
            const double bound = mean < c.min ? c.min : c.max;
            const double scale = std::max(std::fabs(bound), 1e-9);
            const double gap = mean < c.min ? c.min - mean : mean > c.max ? mean - c.max : 0;
            if (gap > 1e-12 * scale) e.violation += gap / scale;
        }
        return e;
    };
    // Integer and choice levers map many points of the unit cube to one policy: each policy is
    // simulated once.
    std::map<std::vector<std::string>, Evaluation> by_policy;
    const Evaluator evaluate = [&](const std::vector<double>& u) {
        const std::vector<std::string> sets = sets_of(u);
        if (const auto it = by_policy.find(sets); it != by_policy.end()) return it->second;
        Policy policy;
        try {
            policy = load_policy(sets);
        } catch (const InputError& e) {
            // A combination of levers the scenario refuses (e.g. a cut keeping more teams than
            // the stage before left): not a policy, and no reason to lose the search. Every
            // rank refuses it alike.
            Evaluation bad;
            bad.error = e.what();
            return by_policy.emplace(sets, bad).first->second;
        }
        return by_policy.emplace(sets, evaluation_of(policy, sets)).first->second;
    };
    // The plan as given, on the same replicates: the yardstick of every candidate.
    const Evaluation plan = evaluation_of(load_policy({}), {});
    OptimisationOutcome out =
        optimise(spec.levers.size(), spec.objectives, evaluate,
                 {spec.algorithm, spec.population, spec.generations, spec.seed}, progress, &plan);
    // Each policy once (several points of the unit cube may be the same policy), with its
    // --set assignments; the first point of each is kept.
    const auto each_policy_once = [&](std::vector<Candidate>& candidates) {
        std::vector<Candidate> kept;
        std::set<std::vector<std::string>> seen;
        for (Candidate& c : candidates) {
            c.sets = sets_of(c.u);
            if (seen.insert(c.sets).second) kept.push_back(std::move(c));
        }
        candidates = std::move(kept);
    };
    each_policy_once(out.front);
    each_policy_once(out.evaluated);
    out.evaluations = by_policy.size();
    out.infeasible = static_cast<std::uint64_t>(std::count_if(
        by_policy.begin(), by_policy.end(), [](const auto& p) { return !p.second.error.empty(); }));
    out.violating = static_cast<std::uint64_t>(std::count_if(
        by_policy.begin(), by_policy.end(),
        [](const auto& p) { return p.second.error.empty() && p.second.violation > 0; }));
    out.simulated = simulated;
    out.reused = reused;
    return out;
}

}  // namespace kaisim::study
