// The `kaisim` command: the only place that catches errors and chooses exit codes
// (0 success, 2 bad input, 1 anything else).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "kaisim/core/error.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/io/atomic_output.hpp"
#include "kaisim/io/mc_outputs.hpp"
#include "kaisim/io/report.hpp"
#include "kaisim/io/run_outputs.hpp"
#include "kaisim/io/scenario_loader.hpp"
#include "kaisim/io/sweep_runner.hpp"
#include "kaisim/run/benchmarks.hpp"
#include "kaisim/run/comparison.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/run/process_group.hpp"
#include "kaisim/run/replicate.hpp"

namespace {

struct ScenarioArgs {
    std::string file;
    std::vector<std::string> sets;
    std::vector<std::string> overlays;
    std::optional<std::uint32_t> seed;
};

struct Common {
    std::string out_dir = "out";
    bool quiet = false;
    bool report = false;  ///< also write report.html beside the outputs
    int threads = 1;
    std::string backend = "auto";
};

void add_scenario_options(CLI::App& cmd, ScenarioArgs& a) {
    cmd.add_option("scenario", a.file, "scenario YAML file")->required();
    cmd.add_option("--set", a.sets, "override one value, PATH=VALUE (e.g. stages[2].cut.keep=3)");
    cmd.add_option("--overlay", a.overlays, "merge a YAML file over the scenario (repeatable)");
}

void add_common(CLI::App& cmd, Common& c, bool out) {
    if (out) {
        cmd.add_option("--out", c.out_dir, "output folder (default: out)");
        cmd.add_flag("--report", c.report,
                     "also write a self-contained report.html in the output folder");
    }
    cmd.add_flag("--quiet", c.quiet, "print nothing on success, no progress");
    cmd.add_option("--threads", c.threads, "threads (default 1; results do not depend on it)")
        ->check(CLI::Range(1, 1024));
    cmd.add_option("--backend", c.backend, "scoring backend: auto, cpu or cuda (default auto)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
}

kaisim::model::Scenario load(const ScenarioArgs& a) {
    kaisim::io::LoadOptions opt;
    opt.sets = a.sets;
    opt.overlays = a.overlays;
    opt.seed = a.seed;
    return kaisim::io::load_scenario(a.file, opt);
}

/// Thrown for a backend that cannot be used here (exit code 2, like other bad input).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::unique_ptr<kaisim::eval::ScoringBackend> make_backend(const Common& c) {
    namespace ev = kaisim::eval;
    if (c.backend == "auto" && ev::cuda_backend_built() && ev::cuda_device_count() == 0 && !c.quiet)
        std::cerr << "kaisim: no CUDA device; scoring on the CPU\n";
    try {
        return ev::make_backend(c.backend, c.threads);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

/// Progress on stderr for runs longer than two seconds: done, rate, ETA.
class Progress {
  public:
    Progress(std::uint64_t total, bool quiet, const char* unit = "replicates")
        : total_(total), quiet_(quiet), unit_(unit) {}
    void operator()(std::uint64_t done) {
        if (quiet_) return;
        const double t = seconds();
        if (t < 2.0 || (t - last_ < 0.5 && done < total_)) return;
        last_ = t;
        const double rate = done / t;
        std::fprintf(stderr, "\r  %llu / %llu %s, %.0f per s, ETA %.0f s   ",
                     static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                     unit_, rate, rate > 0 ? (total_ - done) / rate : 0.0);
        shown_ = true;
    }
    ~Progress() {
        if (shown_) std::fprintf(stderr, "\n");
    }

  private:
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    std::uint64_t total_;
    bool quiet_;
    const char* unit_;
    bool shown_ = false;
    double last_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

void write_report_if_asked(const Common& c) {
    if (!c.report) return;
    const std::string path = (std::filesystem::path(c.out_dir) / "report.html").string();
    kaisim::io::write_report(c.out_dir, path);
    if (!c.quiet) std::cout << "report written to " << path << "\n";
}

int run_command(const ScenarioArgs& a, const Common& c, std::uint32_t replicates,
                bool replicates_csv) {
    const kaisim::model::Scenario sc = load(a);
    const kaisim::run::PreparedScenario prepared = kaisim::run::prepare(sc);
    const auto backend = make_backend(c);
    if (replicates <= 1) {
        const kaisim::run::Result r =
            kaisim::run::run_batch(prepared, {0}, *backend, c.threads, true).front();
        kaisim::io::write_run_outputs(c.out_dir, prepared, r, kaisim::version);
        write_report_if_asked(c);
        if (!c.quiet)
            std::cout << kaisim::io::run_table(sc, r) << "\noutputs written to " << c.out_dir
                      << "/\n";
        return 0;
    }
    std::filesystem::create_directories(c.out_dir);
    const std::filesystem::path dir(c.out_dir);
    kaisim::io::AtomicOutputs out;
    std::ofstream per_rep;
    kaisim::run::McOptions opt;
    opt.replicates = replicates;
    opt.threads = c.threads;
    Progress progress(replicates, c.quiet);
    opt.progress = [&](std::uint32_t done) { progress(done); };
    bool header = false;
    if (replicates_csv) {
        per_rep.open(out.stream((dir / "replicates.csv").string()), std::ios::binary);
        opt.per_replicate = [&](std::uint32_t rep, const std::vector<double>& values) {
            std::string line = std::to_string(rep);
            for (double v : values) line += "," + kaisim::io::format_number(v);
            per_rep << line << '\n';
        };
    }
    if (replicates_csv) {
        // The header needs the metric names, which the scenario fixes before any replicate runs.
        kaisim::run::McResult names;
        names.specs = kaisim::run::metric_specs(sc);
        per_rep << kaisim::io::replicates_csv_header(names);
        header = true;
    }
    const kaisim::run::McResult mc = kaisim::run::run_monte_carlo(prepared, *backend, opt);
    if (header) {
        per_rep.close();
        if (!per_rep) throw std::runtime_error("error writing replicates.csv");
    }
    out.add((dir / "mc_teams.csv").string(), kaisim::io::mc_teams_csv(sc, mc));
    out.add((dir / "mc_summary.json").string(),
            kaisim::io::mc_summary_json(sc, mc, kaisim::version));
    out.commit();
    write_report_if_asked(c);
    if (!c.quiet)
        std::cout << kaisim::io::mc_table(sc, mc) << "\noutputs written to " << c.out_dir << "/\n";
    return 0;
}

int compare_command(const ScenarioArgs& a, const std::string& b_file, const Common& c,
                    std::uint32_t replicates) {
    // Arm A is the scenario as it is; arm B is B.yaml (or A again) with the overlays and sets.
    ScenarioArgs base{a.file, {}, {}, a.seed};
    ScenarioArgs other{b_file.empty() ? a.file : b_file, a.sets, a.overlays, std::nullopt};
    const kaisim::model::Scenario sa = load(base);
    other.seed = sa.seed;  // common random numbers need one seed for both arms
    const kaisim::model::Scenario sb = load(other);
    const kaisim::run::PreparedScenario pa = kaisim::run::prepare(sa),
                                        pb = kaisim::run::prepare(sb);
    const auto backend = make_backend(c);
    Progress progress(replicates, c.quiet);
    const kaisim::run::ComparisonResult cmp = kaisim::run::compare_arms(
        pa, pb, *backend, replicates, c.threads, 256, [&](std::uint32_t done) { progress(done); });
    std::string b_desc = other.file;
    for (const auto& o : other.overlays) b_desc += " --overlay " + o;
    for (const auto& s : other.sets) b_desc += " --set " + s;
    std::filesystem::create_directories(c.out_dir);
    kaisim::io::AtomicOutputs out;
    const std::filesystem::path dir(c.out_dir);
    out.add((dir / "compare.csv").string(), kaisim::io::compare_csv(cmp));
    out.add((dir / "compare.json").string(),
            kaisim::io::compare_json(a.file, b_desc, sa.seed, cmp, kaisim::version));
    out.commit();
    write_report_if_asked(c);
    if (!c.quiet)
        std::cout << "A: " << a.file << "\nB: " << b_desc << "\n"
                  << kaisim::io::compare_table(cmp) << "\noutputs written to " << c.out_dir
                  << "/\n";
    return 0;
}

int sweep_command(const std::string& file, const Common& c, bool resume,
                  const std::string& export_format) {
    kaisim::io::SweepOptions o;
    o.file = file;
    o.out_dir = c.out_dir;
    o.threads = c.threads;
    o.backend = c.backend;
    o.resume = resume;
    o.export_csv = export_format == "csv";
    const bool talk = !c.quiet && kaisim::run::ProcessGroup::world().rank() == 0;
    std::unique_ptr<Progress> progress;
    o.progress = [&](std::uint64_t done, std::uint64_t total) {
        if (!progress) progress = std::make_unique<Progress>(total, !talk, "points");
        (*progress)(done);
    };
    make_backend(c);  // an unusable --backend is bad input (exit 2), before any work
    const kaisim::io::SweepSummary s = kaisim::io::run_sweep(o);
    progress.reset();
    if (kaisim::run::ProcessGroup::world().rank() == 0) write_report_if_asked(c);
    if (talk) {
        std::cout << file << ": " << s.points << " points, " << s.evaluated << " evaluated now, "
                  << s.points - s.evaluated << " already stored\n";
        if (!s.table.empty()) std::cout << "\nsensitivity (95% bootstrap intervals)\n" << s.table;
        std::cout << "\noutputs written to " << c.out_dir
                  << "/ (sweep.db, sweep.csv, sensitivity.csv)\n";
    }
    return 0;
}

int validate_command(const ScenarioArgs& a) {
    const kaisim::model::Scenario sc = load(a);
    std::cout << a.file << ": ok (" << sc.teams.size() << " teams, " << sc.stages.size()
              << " stages, " << sc.benchmarks.size() << " benchmarks)\n";
    return 0;
}

int bench_command(const std::string& what, const std::string& scenario, const Common& c,
                  std::uint32_t replicates) {
    if (what == "engine" || what == "all") {
        const double r = kaisim::run::bench_engine(100, 20'000'000);
        std::printf("engine hold model (100 processes): %.3g events/s on one thread\n", r);
    }
    if (what == "scoring" || what == "all") {
        // The CPU backend always; the CUDA one where asked for or present, with the ratio.
        kaisim::eval::CpuBackend cpu(c.threads);
        const bool cuda =
            c.backend == "cuda" || (c.backend == "auto" && kaisim::eval::cuda_device_count() > 0);
        const auto gpu = cuda ? make_backend(c) : nullptr;
        if (gpu) std::printf("CUDA device: %s\n", kaisim::eval::cuda_device_name(0).c_str());
        for (std::uint32_t pairs : {15'000u, 150'000u, 1'500'000u}) {
            const double rc =
                pairs <= 150'000u ? kaisim::run::bench_scoring(cpu, pairs, 1000) : 0.0;
            if (rc > 0)
                std::printf(
                    "scoring, cpu backend, %u pairs x 1000 items, %d thread(s): %.3g item "
                    "responses/s (%.3g per thread)\n",
                    pairs, c.threads, rc, rc / c.threads);
            if (!gpu) continue;
            const double rg = kaisim::run::bench_scoring(*gpu, pairs, 1000);
            std::printf("scoring, cuda backend, %u pairs x 1000 items: %.3g item responses/s",
                        pairs, rg);
            if (rc > 0) std::printf(" (%.0fx the cpu backend)", rg / rc);
            std::printf("\n");
        }
    }
    if (what == "replicates" || what == "all") {
        const kaisim::model::Scenario sc = kaisim::io::load_scenario(scenario);
        const kaisim::run::PreparedScenario prepared = kaisim::run::prepare(sc);
        const auto backend = make_backend(c);
        const double r = kaisim::run::bench_replicates(prepared, *backend, replicates, c.threads);
        std::printf("replicates of %s, %d thread(s): %.4g replicates/s\n", scenario.c_str(),
                    c.threads, r);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"kaisim: discrete-event simulator of staged compute-funding programmes"};
    app.set_version_flag("--version", std::string("kaisim ") + kaisim::version);
    app.require_subcommand(1);

    ScenarioArgs run_args, validate_args, compare_args;
    Common run_common, compare_common, bench_common;
    std::uint32_t seed = 0, replicates = 1, compare_replicates = 200, bench_replicates = 2000;
    bool replicates_csv = false;
    CLI::App* run = app.add_subcommand(
        "run", "simulate a scenario (one replicate, or a Monte Carlo) and write its outputs");
    add_scenario_options(*run, run_args);
    CLI::Option* seed_opt =
        run->add_option("--seed", seed, "random seed (overrides programme.seed)")
            ->check(CLI::Range(0u, 0xFFFFFFFEu));
    run->add_option("--replicates", replicates, "Monte Carlo replicates (default 1: a single run)")
        ->check(CLI::Range(1u, 0xFFFFFFFEu));
    run->add_flag("--replicates-csv", replicates_csv,
                  "Monte Carlo: also write replicates.csv, one line per replicate");
    add_common(*run, run_common, true);

    std::string b_file;
    std::uint32_t compare_seed = 0;
    CLI::App* compare = app.add_subcommand("compare",
                                           "compare two policies on common random numbers: A.yaml "
                                           "vs B.yaml, or A.yaml vs A with --overlay/--set");
    compare->add_option("scenario", compare_args.file, "scenario A")->required();
    compare->add_option("b", b_file, "scenario B (default: A with the overlays and sets)");
    compare->add_option("--set", compare_args.sets, "set a value in B, PATH=VALUE");
    compare->add_option("--overlay", compare_args.overlays, "merge a YAML file over B");
    CLI::Option* compare_seed_opt =
        compare->add_option("--seed", compare_seed, "random seed for both arms")
            ->check(CLI::Range(0u, 0xFFFFFFFEu));
    compare->add_option("--replicates", compare_replicates, "paired replicates (default 200)")
        ->check(CLI::Range(2u, 0xFFFFFFFEu));
    add_common(*compare, compare_common, true);
    compare_common.out_dir = "out/compare";

    CLI::App* validate = app.add_subcommand("validate", "check a scenario file without running it");
    add_scenario_options(*validate, validate_args);

    std::string sweep_file, sweep_export = "csv";
    bool sweep_resume = false;
    Common sweep_common;
    sweep_common.out_dir = "out/sweep";
    CLI::App* sweep = app.add_subcommand(
        "sweep", "run a parameter sweep and its sensitivity analysis (distributed under mpirun)");
    sweep->add_option("sweep", sweep_file, "sweep YAML file")->required();
    sweep->add_flag("--resume", sweep_resume,
                    "continue a sweep in --out, recomputing nothing stored");
    sweep
        ->add_option("--export", sweep_export,
                     "export format of the points table: csv (default) or none")
        ->check(CLI::IsMember({"csv", "none"}));
    add_common(*sweep, sweep_common, true);

    std::string report_dir, report_out;
    CLI::App* report = app.add_subcommand("report",
                                          "write a self-contained HTML report of an output folder "
                                          "(run, Monte Carlo, compare, sweep)");
    report->add_option("dir", report_dir, "output folder")->required();
    report->add_option("-o,--output", report_out, "report file (default: DIR/report.html)");

    std::string bench_what = "all", bench_scenario = "scenarios/k-ai-2025.yaml";
    CLI::App* bench = app.add_subcommand(
        "bench", "benchmarks: engine events/s, scoring item responses/s, replicates/s");
    bench->add_option("what", bench_what, "engine, scoring, replicates or all (default)")
        ->check(CLI::IsMember({"engine", "scoring", "replicates", "all"}));
    bench->add_option("--scenario", bench_scenario, "scenario for the replicates benchmark");
    bench->add_option("--replicates", bench_replicates, "replicates to time (default 2000)")
        ->check(CLI::Range(1u, 100000000u));
    add_common(*bench, bench_common, false);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    try {
        if (*seed_opt) run_args.seed = seed;
        if (*compare_seed_opt) compare_args.seed = compare_seed;
        if (run->parsed()) return run_command(run_args, run_common, replicates, replicates_csv);
        if (compare->parsed())
            return compare_command(compare_args, b_file, compare_common, compare_replicates);
        if (validate->parsed()) return validate_command(validate_args);
        if (sweep->parsed())
            return sweep_command(sweep_file, sweep_common, sweep_resume, sweep_export);
        if (report->parsed()) {
            const std::string path =
                report_out.empty() ? (std::filesystem::path(report_dir) / "report.html").string()
                                   : report_out;
            kaisim::io::write_report(report_dir, path);
            std::cout << "report written to " << path << "\n";
            return 0;
        }
        if (bench->parsed())
            return bench_command(bench_what, bench_scenario, bench_common, bench_replicates);
    } catch (const kaisim::InputError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const UsageError& e) {
        std::cerr << "kaisim: error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "kaisim: error: " << e.what() << "\n";
        return 1;
    }
    return 1;
}
