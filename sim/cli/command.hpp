#pragma once
// What the subcommands share: their options, scenario loading, backend choice, progress.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/model/scenario.hpp"

namespace kaisim::cli {

/// A subcommand: its parser and what runs it once parsed (returns the exit code).
struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

/// Each subcommand registers itself on the application (one file each).
Command add_run(CLI::App& app);
Command add_compare(CLI::App& app);
Command add_validate(CLI::App& app);
Command add_sweep(CLI::App& app);
Command add_calibrate(CLI::App& app);
Command add_report(CLI::App& app);
Command add_bench(CLI::App& app);
Command add_schema(CLI::App& app);
Command add_discover(CLI::App& app);
Command add_optimise(CLI::App& app);

/// A scenario as named on the command line.
struct ScenarioArgs {
    std::string file;
    std::vector<std::string> sets;
    std::vector<std::string> overlays;
    std::optional<std::uint32_t> seed;
};

/// The cores this process may run on (its CPU affinity: under mpirun, a rank's share), at least 1.
int available_cores();

/// `kaisim --version`: the version, the commit it was built from, the build type and compiler,
/// and what was built in (CUDA, MPI, SIMD scoring with this machine's instruction set).
std::string version_text();

/// Options most subcommands take.
struct Common {
    std::string out_dir = "out";
    bool quiet = false;
    bool report = false;  ///< also write report.html beside the outputs
    bool xlsx = false;    ///< also write results.xlsx (every CSV table as a sheet)
    int threads = available_cores();
    std::string backend = "auto";
};

/// Thrown for a backend that cannot be used here (exit code 2, like other bad input).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void add_scenario_options(CLI::App& cmd, ScenarioArgs& a);
/// --threads, --backend, --quiet; with `out`, also --out and --report.
void add_common(CLI::App& cmd, Common& c, bool out);
/// Reads the scenario with its overlays, sets and seed.
model::Scenario load(const ScenarioArgs& a);
/// The scoring backend asked for; an unusable one is a UsageError.
std::unique_ptr<eval::ScoringBackend> make_backend(const Common& c);
/// Writes results.xlsx (--xlsx) and report.html (--report) in the output folder, when asked.
void write_derived_if_asked(const Common& c);

/// Progress on stderr for runs longer than two seconds: done, rate, ETA, on one line that
/// ends when the work is done (nothing when stderr is not a terminal, or `quiet`).
class Progress {
  public:
    Progress(std::uint64_t total, bool quiet, const char* unit = "replicates");
    void operator()(std::uint64_t done);
    /// Ends the progress line, if one is shown (call before printing results).
    void end_line();
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

  private:
    double seconds() const;
    std::uint64_t total_;
    bool quiet_;
    const char* unit_;
    bool shown_ = false;
    double last_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace kaisim::cli
