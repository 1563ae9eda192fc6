#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

#include "../support/files.hpp"
#include "fuzz_input.hpp"
#include "study_input.hpp"

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

TEST_CASE("fuzz corpus: the study loaders' seeds load, and their findings fail with InputError") {
    // Seeds (the files scripts/fuzz.sh starts from) are valid files of each kind; a finding,
    // once fixed, is kept as finding-*.txt and must load or fail with InputError.
    const fs::path corpus = fs::path(KAISIM_SOURCE_DIR) / "tests/fuzz/study-corpus";
    std::set<std::string> kinds;
    for (const auto& entry : fs::directory_iterator(corpus)) {
        INFO(entry.path().string());
        const std::string text = kaisim::test::slurp(entry.path());
        const bool finding = entry.path().filename().string().rfind("finding-", 0) == 0;
        REQUIRE_NOTHROW(kaisim::test::load_study_input(text, !finding));
        if (!finding) kinds.insert(text.substr(0, text.find('\n')));
    }
    REQUIRE(kinds == std::set<std::string>{"#kind: calibration", "#kind: observations",
                                           "#kind: posterior", "#kind: search", "#kind: sweep"});
}
