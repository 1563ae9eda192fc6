#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "../fuzz/fuzz_input.hpp"
#include "../support/files.hpp"

namespace fs = std::filesystem;

TEST_CASE("fuzz corpus: every input the fuzzer once broke now loads or fails with InputError") {
    const fs::path corpus = fs::path(KAISIM_SOURCE_DIR) / "tests/fuzz/corpus";
    int files = 0;
    for (const auto& entry : fs::directory_iterator(corpus)) {
        INFO(entry.path().string());
        REQUIRE_NOTHROW(kaisim::test::load_fuzz_input(kaisim::test::slurp(entry.path())));
        ++files;
    }
    REQUIRE(files > 0);
}
