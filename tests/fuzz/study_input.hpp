#pragma once
// One fuzz input for the study loaders (calibration, observations, search and sweep files, and
// posterior.csv), shared by the libFuzzer target (fuzz_study.cpp) and the regression test that
// replays tests/fuzz/study-corpus/ in the ordinary suite.
//
// An input is a first line naming the loader, `#kind: calibration` (or observations, search,
// sweep, posterior), then the file. A calibration may carry an observations file after a line
// "#--observations--"; it is written beside it as observations.yaml. Beside both lies
// scenario.yaml, a copy of tests/inputs/two-teams-panel.yaml, for the files that name one.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "kaisim/core/error.hpp"
#include "kaisim/study_files/calibration_file.hpp"
#include "kaisim/study_files/optimisation_file.hpp"
#include "kaisim/study_files/posterior_reader.hpp"
#include "kaisim/study_files/sweep_file.hpp"

namespace kaisim::test {

/// Loads one study fuzz input: returns normally when the loader read the file or threw
/// InputError (the expected answer to bad input); anything else escapes to the caller. `strict`:
/// an InputError escapes too (the seeds must be valid files).
inline void load_study_input(const std::string& input, bool strict = false) {
    namespace fs = std::filesystem;
    static const fs::path dir = [] {
        const fs::path d =
            fs::temp_directory_path() / ("kaisim-fuzz-study-" + std::to_string(::getpid()));
        fs::create_directories(d);
        fs::copy_file(fs::path(KAISIM_SOURCE_DIR) / "tests/inputs/two-teams-panel.yaml",
                      d / "scenario.yaml", fs::copy_options::overwrite_existing);
        return d;
    }();
    const std::size_t eol = input.find('\n');
    const std::string first = input.substr(0, eol), mark = "#kind: ";
    if (first.rfind(mark, 0) != 0) {  // not an input of this harness
        if (strict) throw kaisim::InputError("fuzz input", 1, 1, "no #kind: line");
        return;
    }
    const std::string kind = first.substr(mark.size());
    std::string body = eol == std::string::npos ? "" : input.substr(eol + 1), observations;
    const std::string obs_mark = "\n#--observations--\n";
    if (const std::size_t o = body.find(obs_mark); o != std::string::npos) {
        observations = body.substr(o + obs_mark.size());
        body.resize(o);
    }
    const fs::path file = dir / (kind == "posterior" ? "posterior.csv" : "study.yaml");
    std::ofstream(file, std::ios::binary | std::ios::trunc) << body;
    std::ofstream(dir / "observations.yaml", std::ios::binary | std::ios::trunc) << observations;
    try {
        if (kind == "calibration") (void)kaisim::io::load_calibration(file.string());
        if (kind == "observations") (void)kaisim::io::load_observations(file.string());
        if (kind == "search") (void)kaisim::io::load_optimisation(file.string());
        if (kind == "sweep") (void)kaisim::io::load_sweep(file.string());
        if (kind == "posterior") (void)kaisim::io::read_posterior(file.string());
    } catch (const kaisim::InputError&) {
        if (strict) throw;  // else the expected answer to bad input
    }
}

}  // namespace kaisim::test
