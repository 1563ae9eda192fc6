#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../support/files.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

namespace fs = std::filesystem;

namespace {
// Each corpus file states what it must produce in its first two lines:
//   # expect-line: N
//   # expect: message fragment
struct Expectation {
    int line = 0;
    std::string fragment;
};

Expectation read_expectation(const fs::path& p) {
    std::ifstream in(p);
    std::string l1, l2;
    std::getline(in, l1);
    std::getline(in, l2);
    const std::string k1 = "# expect-line: ", k2 = "# expect: ";
    REQUIRE(l1.rfind(k1, 0) == 0);
    REQUIRE(l2.rfind(k2, 0) == 0);
    return {std::stoi(l1.substr(k1.size())), l2.substr(k2.size())};
}
}  // namespace

TEST_CASE("invalid inputs: every corpus file fails at its line with its message") {
    const fs::path dir = fs::path(KAISIM_SOURCE_DIR) / "tests/inputs/invalid";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".yaml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 15);
    for (const fs::path& f : files) {
        const Expectation want = read_expectation(f);
        INFO(f.filename().string());
        bool threw = false;
        try {
            kaisim::io::load_scenario(f.string());
        } catch (const kaisim::InputError& e) {
            threw = true;
            INFO(e.what());
            CHECK(e.file() == f.string());
            CHECK(e.line() == want.line);
            CHECK(e.col() >= 1);
            CHECK(e.message().find(want.fragment) != std::string::npos);
            CHECK(std::string(e.what()).find(f.string() + ":" + std::to_string(want.line) + ":") ==
                  0);
        }
        CHECK(threw);
    }
}

TEST_CASE("invalid inputs: a missing file is an input error, not a crash") {
    REQUIRE_THROWS_AS(kaisim::io::load_scenario("no/such/file.yaml"), kaisim::InputError);
}

TEST_CASE(
    "invalid inputs: an overlay yaml-cpp would cut short at a less indented line is refused") {
    // Issue 32: `   policies:` then `  bogus_key: 1` was read as `policies: ~`, dropping the rest
    // of the file (and the GPU budget with it). Every file holds one document, all of it read.
    const fs::path dir = kaisim::test::fresh_path("overlay-indent");
    fs::create_directories(dir);
    const std::string scenario = fs::path(KAISIM_SOURCE_DIR) / "scenarios/k-ai-2025.yaml";
    for (const auto& [text, line] :
         {std::pair<std::string, int>{"   policies:\n  bogus_key: 1\n", 2},
          {"programme: {seed: 3}\n---\nprogramme: {seed: 4}\n", 2}}) {
        INFO(text);
        const fs::path overlay = dir / "overlay.yaml";
        std::ofstream(overlay) << text;
        try {
            kaisim::io::load_scenario(scenario, {{overlay.string()}, {}, std::nullopt});
            FAIL("the overlay was accepted");
        } catch (const kaisim::InputError& e) {
            CHECK(e.file() == overlay.string());
            CHECK(e.line() == line);
            CHECK(e.message().find("kaisim reads one document per file") != std::string::npos);
        }
    }
    fs::remove_all(dir);
}
