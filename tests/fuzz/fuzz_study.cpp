// libFuzzer target: the study loaders (calibration, observations, search, sweep, posterior.csv)
// on arbitrary bytes (the input format is in study_input.hpp). Each must return its spec or
// throw InputError: any other exception, a crash, a sanitizer report or a hang is a finding;
// scripts/fuzz.sh runs it, and a finding, once fixed, goes into tests/fuzz/study-corpus/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "study_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kaisim::test::load_study_input(std::string(reinterpret_cast<const char*>(data), size));
    return 0;
}
