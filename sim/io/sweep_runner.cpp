#include "kaisim/io/sweep_runner.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "kaisim/core/error.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/io/atomic_output.hpp"
#include "kaisim/io/run_outputs.hpp"
#include "kaisim/io/scenario_loader.hpp"
#include "kaisim/io/sweep_spec.hpp"
#include "kaisim/io/sweep_store.hpp"
#include "kaisim/io/text_file.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/run/process_group.hpp"
#include "kaisim/run/sensitivity.hpp"

namespace kaisim::io {

namespace {
constexpr std::uint32_t failed = 0xFFFFFFFFu;  // broadcast by rank 0 when it cannot go on

// FNV-1a: a short fingerprint of what the sweep computes (file, scenario, overlays, version).
std::string fingerprint(const std::string& text) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

// Evaluates points of a sweep: a Monte Carlo of the scenario with the point's values set, or the
// analytic model.
class Evaluator {
  public:
    Evaluator(const SweepSpec& spec, int threads, const std::string& backend)
        : spec_(spec), threads_(threads), backend_(backend) {
        if (spec.model != SweepModel::scenario) {
            names_ = {"y"};
            return;
        }
        LoadOptions opt;
        opt.overlays = spec.overlays;
        const model::Scenario base = load_scenario(spec.scenario, opt);
        const std::vector<run::MetricSpec> all = run::metric_specs(base);
        for (const auto& m : all) all_names_.push_back(m.name);
        if (spec.metrics.empty()) names_ = all_names_;
        for (std::size_t i = 0; i < spec.metrics.size(); ++i) {
            if (std::find(all_names_.begin(), all_names_.end(), spec.metrics[i]) ==
                all_names_.end())
                throw InputError(spec.file, spec.metric_at[i].first, spec.metric_at[i].second,
                                 "unknown metric '" + spec.metrics[i] +
                                     "' (kaisim run --replicates 2 lists them in mc_summary.json)");
            names_.push_back(spec.metrics[i]);
        }
        // Every parameter path must take a value: try each at its midpoint now, before any run.
        load(std::vector<double>(spec.parameters.size(), 0.5));
    }

    const std::vector<std::string>& metric_names() const { return names_; }

    std::vector<double> evaluate(const std::vector<double>& u) const {
        if (spec_.model == SweepModel::ishigami) {
            std::vector<double> x;
            for (std::size_t i = 0; i < u.size(); ++i)
                x.push_back(run::parameter_value(spec_.parameters[i], u[i]));
            return {run::ishigami(x, spec_.ishigami_a, spec_.ishigami_b)};
        }
        if (spec_.model == SweepModel::sobol_g) {
            std::vector<double> x;
            for (std::size_t i = 0; i < u.size(); ++i)
                x.push_back(run::parameter_value(spec_.parameters[i], u[i]));
            return {run::sobol_g(x, spec_.g_a)};
        }
        const model::Scenario sc = load(u);
        const run::PreparedScenario prepared = run::prepare(sc);
        const std::unique_ptr<eval::ScoringBackend> backend =
            eval::make_backend(backend_, threads_);
        run::McOptions opt;
        opt.replicates = spec_.replicates;
        opt.threads = threads_;
        const run::McResult mc = run::run_monte_carlo(prepared, *backend, opt);
        std::vector<double> out;
        for (const std::string& n : names_) {
            const auto at = std::find(all_names_.begin(), all_names_.end(), n) - all_names_.begin();
            out.push_back(mc.metrics[static_cast<std::size_t>(at)].mean());
        }
        return out;
    }

  private:
    model::Scenario load(const std::vector<double>& u) const {
        LoadOptions opt;
        opt.overlays = spec_.overlays;
        for (std::size_t i = 0; i < u.size(); ++i)
            opt.sets.push_back(spec_.parameters[i].path + "=" +
                               run::parameter_text(spec_.parameters[i], u[i]));
        return load_scenario(spec_.scenario, opt);
    }

    const SweepSpec& spec_;
    int threads_;
    std::string backend_;
    std::vector<std::string> names_, all_names_;
};

std::string sensitivity_csv(const SweepSpec& spec, const std::vector<std::string>& metrics,
                            SweepStore& store, const std::vector<std::vector<double>>& u,
                            std::string& table) {
    std::string out = "metric,parameter,method,index,value,lo,hi\n";
    const std::size_t k = spec.parameters.size();
    std::ostringstream t;
    char buf[256];
    for (const std::string& m : metrics) {
        const auto values = store.metric_values(m);
        std::vector<double> y;
        for (const auto& [id, v] : values) y.push_back(v);
        if (y.size() != u.size()) continue;
        if (spec.design.design == run::Design::sobol) {
            const run::SobolIndices s = run::sobol_indices(y, k, spec.bootstrap, spec.design.seed);
            t << m << "  (variance " << format_number(s.variance) << ")\n";
            for (std::size_t i = 0; i < k; ++i) {
                const std::string& p = spec.parameters[i].name;
                out += csv_field(m) + "," + csv_field(p) + ",sobol,S1," +
                       format_number(s.first[i]) + "," + format_number(s.first_ci[i].lo) + "," +
                       format_number(s.first_ci[i].hi) + "\n";
                out += csv_field(m) + "," + csv_field(p) + ",sobol,ST," +
                       format_number(s.total[i]) + "," + format_number(s.total_ci[i].lo) + "," +
                       format_number(s.total_ci[i].hi) + "\n";
                std::snprintf(buf, sizeof buf,
                              "  %-28s S1 %7.3f [%6.3f, %6.3f]   ST %7.3f [%6.3f, %6.3f]\n",
                              p.c_str(), s.first[i], s.first_ci[i].lo, s.first_ci[i].hi, s.total[i],
                              s.total_ci[i].lo, s.total_ci[i].hi);
                t << buf;
            }
        } else if (spec.design.design == run::Design::morris) {
            const run::MorrisIndices mi = run::morris_indices(u, y, k);
            t << m << "\n";
            for (std::size_t i = 0; i < k; ++i) {
                const std::string& p = spec.parameters[i].name;
                out += csv_field(m) + "," + csv_field(p) + ",morris,mu_star," +
                       format_number(mi.mu_star[i]) + ",,\n";
                out += csv_field(m) + "," + csv_field(p) + ",morris,mu," + format_number(mi.mu[i]) +
                       ",,\n";
                out += csv_field(m) + "," + csv_field(p) + ",morris,sigma," +
                       format_number(mi.sigma[i]) + ",,\n";
                std::snprintf(buf, sizeof buf, "  %-28s mu* %10.4g   mu %10.4g   sigma %10.4g\n",
                              p.c_str(), mi.mu_star[i], mi.mu[i], mi.sigma[i]);
                t << buf;
            }
        }
    }
    table = t.str();
    return out;
}
}  // namespace

SweepSummary run_sweep(const SweepOptions& o) {
    const run::ProcessGroup& world = run::ProcessGroup::world();
    const SweepSpec spec = load_sweep(o.file);
    eval::make_backend(o.backend, o.threads);  // an unusable --backend fails before any work
    const Evaluator evaluator(spec, o.threads, o.backend);
    const std::vector<std::vector<double>> u = run::design_points(spec.design, spec.parameters);
    std::vector<std::string> params;
    for (const auto& p : spec.parameters) params.push_back(p.name);
    const std::vector<std::string>& metrics = evaluator.metric_names();
    SweepSummary summary;
    summary.points = u.size();

    std::unique_ptr<SweepStore> store;
    std::vector<std::uint32_t> pending;
    if (world.rank() == 0) {
        try {
            std::filesystem::create_directories(o.out_dir);
            std::string definition = spec.text;
            if (spec.model == SweepModel::scenario) {
                definition += read_text_file(spec.scenario).value_or("");
                for (const auto& ov : spec.overlays) definition += read_text_file(ov).value_or("");
            }
            store = std::make_unique<SweepStore>(
                (std::filesystem::path(o.out_dir) / "sweep.db").string(),
                fingerprint(definition + version), o.resume);
            store->set_meta("sweep_file", spec.file);
            store->set_meta("version", version);
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
        throw std::runtime_error("rank 0 could not open the sweep database");

    const std::size_t per_round = static_cast<std::size_t>(spec.chunk) * world.size();
    const std::size_t width = 1 + metrics.size();
    for (std::size_t first = 0; first < pending.size(); first += per_round) {
        const std::size_t last = std::min(pending.size(), first + per_round);
        std::vector<double> mine;
        for (std::size_t j = first; j < last; ++j) {
            if (static_cast<int>((j - first) % world.size()) != world.rank()) continue;
            mine.push_back(pending[j]);
            const std::vector<double> v = evaluator.evaluate(u[pending[j]]);
            mine.insert(mine.end(), v.begin(), v.end());
        }
        const std::vector<double> all = world.gather(mine);
        if (world.rank() != 0) continue;
        std::vector<SweepStore::Point> chunk;
        for (std::size_t at = 0; at + width <= all.size(); at += width) {
            SweepStore::Point p;
            p.id = static_cast<std::uint32_t>(all[at]);
            p.u = u[p.id];
            for (std::size_t i = 0; i < params.size(); ++i)
                p.values.push_back(run::parameter_text(spec.parameters[i], p.u[i]));
            p.metrics.assign(all.begin() + static_cast<long>(at + 1),
                             all.begin() + static_cast<long>(at + width));
            chunk.push_back(std::move(p));
        }
        std::sort(chunk.begin(), chunk.end(),
                  [](const auto& a, const auto& b) { return a.id < b.id; });
        store->write_chunk(params, metrics, chunk);
        summary.evaluated += chunk.size();
        if (o.progress) o.progress(u.size() - pending.size() + last, u.size());
    }
    if (world.rank() != 0) return summary;
    AtomicOutputs out;
    const std::filesystem::path dir(o.out_dir);
    if (o.export_csv) out.add((dir / "sweep.csv").string(), store->export_csv(params, metrics));
    if (spec.design.design == run::Design::sobol || spec.design.design == run::Design::morris)
        out.add((dir / "sensitivity.csv").string(),
                sensitivity_csv(spec, metrics, *store, u, summary.table));
    out.commit();
    return summary;
}

}  // namespace kaisim::io
