#include "kaisim/study/sweep_runner.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <stdexcept>

#include "kaisim/core/error.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/set_kinds.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/study/sensitivity.hpp"

namespace kaisim::study {

using core::ProcessGroup;

namespace {
constexpr std::uint32_t failed = 0xFFFFFFFFu;  // broadcast by rank 0 when it cannot go on

// Evaluates points of a sweep: a Monte Carlo of the scenario with the point's values set, or the
// analytic model.
class Evaluator {
  public:
    Evaluator(const SweepSpec& spec, const ScenarioSource& source, const SweepRunOptions& o)
        : spec_(spec), source_(source), options_(o) {
        if (spec.model != SweepModel::scenario) {
            names_ = {"y"};
            return;
        }
        const model::Scenario base = source_({});
        for (const auto& m : run::metric_specs(base)) all_names_.push_back(m.name);
        if (spec.metrics.empty()) names_ = all_names_;
        for (std::size_t i = 0; i < spec.metrics.size(); ++i) {
            if (std::find(all_names_.begin(), all_names_.end(), spec.metrics[i]) ==
                all_names_.end()) {
                const auto [line, col] =
                    i < spec.metric_at.size() ? spec.metric_at[i] : std::pair<int, int>{0, 0};
                throw InputError(spec.file, line, col,
                                 "unknown metric '" + spec.metrics[i] +
                                     "' (kaisim run --replicates 2 lists them in mc_summary.json)");
            }
            names_.push_back(spec.metrics[i]);
        }
        // Every parameter path must take every value of its range: try the midpoint, then each
        // parameter at both ends and at each of its choices, before any run (a value the
        // scenario refuses is bad input, found before anything is stored). A failure is
        // reported where the sweep file states the parameter.
        const std::vector<double> mid(spec.parameters.size(), 0.5);
        check(mid);
        for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
            std::vector<double> probes{0.0, 1.0 - 1e-12};
            const std::size_t n = spec.parameters[i].values.size();
            for (std::size_t k = 0; k < n; ++k)
                probes.push_back((k + 0.5) / static_cast<double>(n));
            for (double at : probes) {
                std::vector<double> u = mid;
                u[i] = at;
                check(u);
            }
        }
    }

    const std::vector<std::string>& metric_names() const { return names_; }

    std::vector<double> evaluate(const std::vector<double>& u) const {
        if (spec_.model != SweepModel::scenario) {
            std::vector<double> x;
            for (std::size_t i = 0; i < u.size(); ++i)
                x.push_back(parameter_value(spec_.parameters[i], u[i]));
            return {spec_.model == SweepModel::ishigami
                        ? ishigami(x, spec_.ishigami_a, spec_.ishigami_b)
                        : sobol_g(x, spec_.g_a)};
        }
        const model::Scenario sc = load(u);
        const programme::PreparedScenario prepared = programme::prepare(sc);
        const std::unique_ptr<eval::ScoringBackend> backend =
            eval::make_backend(options_.backend, options_.threads);
        run::McOptions opt;
        opt.replicates = spec_.replicates;
        opt.threads = options_.threads;
        const run::McResult mc = run::run_monte_carlo(prepared, *backend, opt);
        std::vector<double> out;
        for (const std::string& n : names_) {
            const auto at = std::find(all_names_.begin(), all_names_.end(), n) - all_names_.begin();
            out.push_back(mc.metrics[static_cast<std::size_t>(at)].mean());
        }
        return out;
    }

  private:
    void check(const std::vector<double>& u) const {
        check_parameters(spec_.file, spec_.parameters, u, source_);
    }

    model::Scenario load(const std::vector<double>& u) const {
        return source_(point_sets(spec_.parameters, u));
    }

    const SweepSpec& spec_;
    const ScenarioSource& source_;
    const SweepRunOptions& options_;
    std::vector<std::string> names_, all_names_;
};

// Sobol' or Morris indices of every metric. Every point must hold every metric: the store
// throws when one does not, and a store that returned fewer or other points is an error too
// (never an index computed from a partial table, never a metric silently left out).
void analyse(const SweepSpec& spec, const PointStore& store,
             const std::vector<std::vector<double>>& u, SweepOutcome& out) {
    const std::size_t k = spec.parameters.size();
    std::vector<bool> moves(k, false);  // some metric changed when the parameter alone changed
    for (const std::string& m : out.metrics) {
        std::vector<double> y;
        for (const auto& [id, v] : store.metric_values(m)) {
            if (id != y.size())
                throw std::runtime_error("the sweep's store has no value of metric '" + m +
                                         "' at point " + std::to_string(y.size()) +
                                         ": run the sweep again with --resume");
            y.push_back(v);
        }
        if (y.size() != u.size())
            throw std::runtime_error(
                "the sweep's store holds " + std::to_string(y.size()) + " values of metric '" + m +
                "' for " + std::to_string(u.size()) + " points: run the sweep again with --resume");
        if (spec.design.design == Design::sobol) {
            // Rows of k + 2 points: A_j, B_j, then A_j with column i from B_j.
            for (std::size_t row = 0; row + k + 2 <= y.size(); row += k + 2)
                for (std::size_t i = 0; i < k; ++i)
                    if (y[row + 2 + i] != y[row]) moves[i] = true;
            const SobolIndices s = sobol_indices(y, k, spec.bootstrap, spec.design.seed);
            out.variances.push_back({m, s.variance});
            for (std::size_t i = 0; i < k; ++i) {
                const std::string& p = spec.parameters[i].name;
                out.indices.push_back(
                    {m, p, "sobol", "S1", s.first[i], true, s.first_ci[i].lo, s.first_ci[i].hi});
                out.indices.push_back(
                    {m, p, "sobol", "ST", s.total[i], true, s.total_ci[i].lo, s.total_ci[i].hi});
            }
        } else if (spec.design.design == Design::morris) {
            const MorrisIndices mi = morris_indices(u, y, k);
            for (std::size_t i = 0; i < k; ++i) {
                if (mi.mu_star[i] != 0) moves[i] = true;
                const std::string& p = spec.parameters[i].name;
                out.indices.push_back({m, p, "morris", "mu_star", mi.mu_star[i]});
                out.indices.push_back({m, p, "morris", "mu", mi.mu[i]});
                out.indices.push_back({m, p, "morris", "sigma", mi.sigma[i]});
            }
        }
    }
    if (spec.design.design == Design::sobol || spec.design.design == Design::morris)
        for (std::size_t i = 0; i < k; ++i)
            if (!moves[i]) out.inert.push_back(spec.parameters[i].name);
}
}  // namespace

SweepOutcome run_sweep(const SweepSpec& spec, const ScenarioSource& source,
                       const StoreOpener& open_store, const SweepRunOptions& o) {
    const ProcessGroup& world = ProcessGroup::world();
    eval::make_backend(o.backend, o.threads);  // an unusable backend fails before any work
    const Evaluator evaluator(spec, source, o);
    const std::vector<std::vector<double>> u = design_points(spec.design, spec.parameters);
    SweepOutcome outcome;
    for (const auto& p : spec.parameters) outcome.parameters.push_back(p.name);
    outcome.metrics = evaluator.metric_names();
    outcome.points = u.size();
    const std::vector<std::string>& params = outcome.parameters;
    const std::vector<std::string>& metrics = outcome.metrics;

    PointStore* store = nullptr;
    std::vector<std::uint32_t> pending;
    if (world.rank() == 0) {
        try {
            if (u.size() >= failed)
                throw std::runtime_error("a sweep of " + std::to_string(u.size()) +
                                         " points is more than one store holds: use fewer samples");
            store = &open_store();
            store->prepare(params, metrics, static_cast<std::uint32_t>(u.size()));
            const std::set<std::uint32_t> done = store->stored_points();
            for (std::uint32_t id = 0; id < u.size(); ++id)
                if (!done.count(id)) pending.push_back(id);
        } catch (...) {
            // Tell the other ranks before failing, so none waits for work that will not come.
            std::vector<std::uint32_t> stop{failed};
            world.broadcast(stop);
            throw;
        }
    }
    world.broadcast(pending);
    if (!pending.empty() && pending.front() == failed)
        throw std::runtime_error("rank 0 could not open the sweep's store");

    const std::size_t per_round = static_cast<std::size_t>(spec.chunk) * world.size();
    const std::size_t width = 1 + metrics.size();
    // Rank 0 stores a round's points: [id, metrics...] per point, as gathered.
    const auto write_round = [&](const std::vector<double>& all) {
        std::vector<StoredPoint> chunk;
        for (std::size_t at = 0; at + width <= all.size(); at += width) {
            StoredPoint p;
            p.id = static_cast<std::uint32_t>(all[at]);
            p.u = u[p.id];
            for (std::size_t i = 0; i < params.size(); ++i)
                p.values.push_back(parameter_text(spec.parameters[i], p.u[i]));
            p.metrics.assign(all.begin() + static_cast<long>(at + 1),
                             all.begin() + static_cast<long>(at + width));
            chunk.push_back(std::move(p));
        }
        std::sort(chunk.begin(), chunk.end(),
                  [](const auto& a, const auto& b) { return a.id < b.id; });
        store->write_chunk(params, metrics, chunk);
        return chunk.size();
    };
    for (std::size_t first = 0; first < pending.size(); first += per_round) {
        const std::size_t last = std::min(pending.size(), first + per_round);
        // A failure on any rank must stop every rank: each still joins the gather (with a
        // marker when it failed), and rank 0 broadcasts whether the round went through.
        std::vector<double> mine;
        std::exception_ptr error;
        try {
            for (std::size_t j = first; j < last; ++j) {
                if (static_cast<int>((j - first) % world.size()) != world.rank()) continue;
                const std::vector<double> v = evaluator.evaluate(u[pending[j]]);
                mine.push_back(pending[j]);
                mine.insert(mine.end(), v.begin(), v.end());
            }
        } catch (...) {
            error = std::current_exception();
            mine.assign(width, -1.0);  // an id of -1: this rank failed
        }
        const std::vector<double> all = world.gather(mine);
        std::vector<std::uint32_t> status{error ? 1u : 0u};
        std::size_t written = 0;
        if (world.rank() == 0 && !error) {
            try {
                for (std::size_t at = 0; at + width <= all.size(); at += width)
                    if (all[at] < 0)
                        throw std::runtime_error("another rank failed (see its message)");
                written = write_round(all);
            } catch (...) {
                error = std::current_exception();
                status[0] = 1;
            }
        }
        world.broadcast(status);
        if (error) std::rethrow_exception(error);
        if (status[0]) throw std::runtime_error("rank 0 stopped the sweep (see its message)");
        if (world.rank() != 0) continue;
        outcome.evaluated += written;
        if (o.progress) o.progress(u.size() - pending.size() + last, u.size());
    }
    if (world.rank() == 0) {
        // Every point of the design is now stored complete, or nothing is computed from it.
        const std::set<std::uint32_t> stored = store->stored_points();
        for (std::uint32_t id = 0; id < u.size(); ++id)
            if (!stored.count(id))
                throw std::runtime_error("point " + std::to_string(id) +
                                         " of the sweep is not stored complete after the run: run "
                                         "the sweep again with --resume");
        analyse(spec, *store, u, outcome);
    }
    return outcome;
}

model::Scenario check_parameters(const std::string& file, const std::vector<SweepParameter>& params,
                                 const std::vector<double>& u, const ScenarioSource& source) {
    const std::vector<std::string> sets = point_sets(params, u);
    std::map<std::string, core::SetKind> kinds;
    {
        std::size_t at = 0;  // point_sets writes each parameter's sets in order
        for (std::size_t i = 0; i < params.size(); ++i) {
            const SweepParameter& p = params[i];
            if (p.path.empty()) continue;
            const std::size_t n = p.location >= 0 ? 1 : 1 + p.also.size();
            const bool continuous = p.location >= 0 || (p.dist != Distribution::integer &&
                                                        p.dist != Distribution::choice);
            if (p.dist != Distribution::choice || p.location >= 0)
                for (std::size_t j = at; j < at + n && j < sets.size(); ++j)
                    kinds[sets[j]] = continuous ? core::SetKind::continuous : core::SetKind::number;
            at += n;
        }
    }
    // The value a parameter set, as the error quotes it (a member's coordinate is its z).
    const auto value_text = [&](const SweepParameter& p, double ui) {
        if (p.location >= 0)
            for (const std::string& a : sets)
                if (a.rfind(p.path + "=", 0) == 0) return a.substr(p.path.size() + 1);
        return parameter_text(p, ui);
    };
    const core::SetKinds guard(kinds);
    try {
        return source(sets);
    } catch (const InputError& e) {
        for (std::size_t i = 0; i < params.size(); ++i) {
            const SweepParameter& p = params[i];
            std::vector<LinkedPath> paths{{p.path, 1, 0, p.path_line, p.path_col}};
            paths.insert(paths.end(), p.also.begin(), p.also.end());
            for (const LinkedPath& l : paths)
                if (!l.path.empty() && e.file().rfind("--set " + l.path + "=", 0) == 0)
                    throw InputError(file, std::max(l.path_line, 1), std::max(l.path_col, 1),
                                     "parameter '" + p.name + "' at " + value_text(p, u[i]) + ": " +
                                         e.message());
        }
        throw;
    }
}

}  // namespace kaisim::study
