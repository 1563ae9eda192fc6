// libFuzzer target: the scenario loader with overlays and --set edits, on arbitrary bytes (the
// input format is in fuzz_input.hpp). The loader must return a scenario or throw InputError: any
// other exception, a crash, a sanitizer report or a hang is a finding; scripts/fuzz.sh runs it,
// and a finding, once fixed, goes into tests/fuzz/corpus/ where the ordinary suite replays it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kaisim::test::load_fuzz_input(std::string(reinterpret_cast<const char*>(data), size));
    return 0;
}
