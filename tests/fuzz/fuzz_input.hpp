#pragma once
// One fuzz input for the scenario loader, shared by the libFuzzer target (fuzz_scenario.cpp) and
// the regression test that replays tests/fuzz/corpus/ in the ordinary suite.
//
// An input is up to three parts separated by lines "#--overlay--" and "#--set--": the scenario,
// an overlay, and --set assignments one per line.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "kaisim/core/error.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

namespace kaisim::test {

namespace fuzz_detail {

inline std::string temp_path(const char* what) {
    return "/tmp/kaisim-fuzz-" + std::to_string(::getpid()) + "-" + what + ".yaml";
}

inline void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

inline std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        out.push_back(text.substr(at, end == std::string::npos ? std::string::npos : end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return out;
}

}  // namespace fuzz_detail

/// Loads one fuzz input: returns normally when the loader read a scenario or threw InputError
/// (the expected answer to bad input); anything else escapes to the caller.
inline void load_fuzz_input(const std::string& input) {
    using namespace fuzz_detail;
    const std::string overlay_mark = "\n#--overlay--\n", set_mark = "\n#--set--\n";
    std::string scenario = input, overlay, sets;
    if (const std::size_t s = scenario.find(set_mark); s != std::string::npos) {
        sets = scenario.substr(s + set_mark.size());
        scenario.resize(s);
    }
    const std::size_t o = scenario.find(overlay_mark);
    const bool has_overlay = o != std::string::npos;
    if (has_overlay) {
        overlay = scenario.substr(o + overlay_mark.size());
        scenario.resize(o);
    }
    const std::string scenario_file = temp_path("scenario"), overlay_file = temp_path("overlay");
    write(scenario_file, scenario);
    kaisim::io::LoadOptions options;
    if (has_overlay) {
        write(overlay_file, overlay);
        options.overlays.push_back(overlay_file);
    }
    for (const std::string& line : lines(sets))
        if (!line.empty()) options.sets.push_back(line);
    try {
        const kaisim::model::Scenario sc = kaisim::io::load_scenario(scenario_file, options);
        (void)sc;
    } catch (const kaisim::InputError&) {
        // The expected answer to bad input.
    }
}

}  // namespace kaisim::test
