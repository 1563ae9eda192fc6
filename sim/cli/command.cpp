#include "command.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "kaisim/core/error.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/output/workbook.hpp"
#include "kaisim/report/report.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/scenario/text_file.hpp"
#include "kaisim_build_info.hpp"

namespace kaisim::cli {

std::string version_text() {
    std::string t = std::string("kaisim ") + kaisim::version + " (commit " + build::commit + ", " +
                    build::type + " build, " + build::compiler + ")\n";
    t += std::string("CUDA scoring: ") +
         (eval::cuda_backend_built() ? std::string("built for ") + build::cuda_architectures
                                     : std::string("not built")) +
         "\n";
    t += std::string("MPI ranks: ") + (core::ProcessGroup::mpi_built() ? "built" : "not built") +
         "\n";
    t += std::string("results.xlsx (--xlsx): ") + (io::workbook_built() ? "built" : "not built") +
         "\n";
    const std::vector<std::string> targets = eval::cpu_simd_targets();
    std::string all;
    for (const std::string& n : targets) all += (all.empty() ? "" : ", ") + n;
    t += "SIMD CPU scoring: " +
         (eval::cpu_simd_target() != "scalar"
              ? "Google Highway, this machine uses " + eval::cpu_simd_target() + " (of " + all + ")"
              : std::string("not built (scalar code)"));
    return t;
}

int available_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
    return std::max(1u, std::thread::hardware_concurrency());
}

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
        cmd.add_flag("--xlsx", c.xlsx,
                     "also write results.xlsx: every CSV table as a sheet, numbers as numbers");
    }
    cmd.add_flag("--quiet", c.quiet, "print nothing on success, no progress");
    cmd.add_option("--threads", c.threads,
                   "threads (default: the cores this process may use, here " +
                       std::to_string(available_cores()) + "; results do not depend on it)")
        ->check(CLI::Range(1, 1024));
    cmd.add_option("--backend", c.backend, "scoring backend: auto, cpu or cuda (default auto)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
}

model::Scenario load(const ScenarioArgs& a) {
    // File names go into the outputs (summary.json), which promise UTF-8.
    std::vector<std::string> files = a.overlays;
    files.push_back(a.file);
    for (const std::string& f : files)
        if (io::invalid_utf8_at(f)) throw InputError(f, 1, 1, "the file name is not valid UTF-8");
    io::LoadOptions opt;
    opt.sets = a.sets;
    opt.overlays = a.overlays;
    opt.seed = a.seed;
    return io::load_scenario(a.file, opt);
}

std::unique_ptr<eval::ScoringBackend> make_backend(const Common& c) {
    if (c.backend == "auto" && eval::cuda_backend_built() && eval::cuda_device_count() == 0 &&
        !c.quiet)
        std::cerr << "kaisim: no CUDA device; scoring on the CPU\n";
    try {
        return eval::make_backend(c.backend, c.threads);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

void write_derived_if_asked(const Common& c) {
    if (c.xlsx) {
        io::write_workbook(c.out_dir);
        if (!c.quiet)
            std::cout << "workbook written to "
                      << (std::filesystem::path(c.out_dir) / "results.xlsx").string() << "\n";
    }
    if (!c.report) return;
    const std::string path = (std::filesystem::path(c.out_dir) / "report.html").string();
    io::write_report(c.out_dir, path);
    if (!c.quiet) std::cout << "report written to " << path << "\n";
}

Progress::Progress(std::uint64_t total, bool quiet, const char* unit)
    : total_(total), quiet_(quiet || !isatty(fileno(stderr))), unit_(unit) {}

void Progress::operator()(std::uint64_t done) {
    if (quiet_) return;
    const double t = seconds();
    if (t < 2.0 || (t - last_ < 0.5 && done < total_)) return;
    last_ = t;
    const double rate = done / t;
    std::fprintf(stderr, "\r  %llu / %llu %s, %.0f per s, ETA %.0f s   ",
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                 unit_, rate, rate > 0 ? (total_ - done) / rate : 0.0);
    shown_ = true;
    if (done >= total_) end_line();  // what is printed next starts on a line of its own
}

void Progress::end_line() {
    if (shown_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
    shown_ = false;
}

Progress::~Progress() {
    end_line();
}

double Progress::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace kaisim::cli
