// kaisim discover: PRIM over a sweep's points, end to end.
#include <catch2/catch.hpp>

#include "../support/files.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using kaisim::test::slurp;

namespace {
const std::string source = KAISIM_SOURCE_DIR;
const std::string kaisim_bin = KAISIM_BINARY;

// Runs a shell command in the source folder; its exit code.
const auto sh = kaisim::test::shell_in_source;
}  // namespace

TEST_CASE("discover: PRIM boxes of a sweep's inputs where an outcome holds, and its errors") {
    const fs::path dir = kaisim::test::fresh_path("discover");
    REQUIRE(sh(kaisim_bin + " sweep tests/inputs/sweep-small.yaml --quiet --out " + dir.string()) ==
            0);
    const fs::path log = dir.string() + ".txt";
    REQUIRE(sh(kaisim_bin + " discover " + dir.string() +
               " --metric selection_correct_panel --above 0.62 > " + log.string()) == 0);
    const std::string boxes = slurp(dir / "discover" / "prim_boxes.csv");
    REQUIRE(boxes.rfind("box,input,lo,hi,restricted,coverage,density,mass,points\n", 0) == 0);
    // The inputs default to the sweep's parameters; more judges select better (the panel's
    // average grade is less noisy): the first box keeps the larger panels.
    REQUIRE(boxes.find("\n1,noise_sd,") != std::string::npos);
    REQUIRE(boxes.find("\n1,judges,") != std::string::npos);
    const std::string first_judges = boxes.substr(boxes.find("\n1,judges,") + 10);
    REQUIRE(std::stod(first_judges.substr(0, first_judges.find(','))) >= 2);
    REQUIRE(slurp(dir / "discover" / "prim_trajectory.csv").find(",start,1,") != std::string::npos);
    REQUIRE(slurp(log).find("box 1: coverage") != std::string::npos);
    // Bad input exits 2: no outcome named, an unknown column, a folder without a sweep.
    const std::string err = " 2> /dev/null > /dev/null";
    CHECK(sh(kaisim_bin + " discover " + dir.string() + " --metric selection_correct_panel" +
             err) == 2);
    CHECK(sh(kaisim_bin + " discover " + dir.string() + " --metric nope --true" + err) == 2);
    CHECK(sh(kaisim_bin + " discover " + dir.string() +
             " --metric selection_correct_panel --true --inputs judges,nope" + err) == 2);
    CHECK(sh(kaisim_bin + " discover " + source + "/scenarios --metric x --true" + err) == 2);
    // A threshold that no outcome can be compared with (issue 32).
    for (const char* x : {"nan", "inf", "-inf"})
        CHECK(sh(kaisim_bin + " discover " + dir.string() +
                 " --metric selection_correct_panel --above " + x + err) == 2);
    // A binary sweep.csv is named as such, its message whole (issue 32).
    const fs::path binary = kaisim::test::fresh_path("discover-binary");
    fs::create_directories(binary);
    std::ofstream(binary / "sweep.csv", std::ios::binary) << std::string("a,b\n1,\0\n", 8);
    const fs::path msg = binary / "err.txt";
    CHECK(sh(kaisim_bin + " discover " + binary.string() + " --metric a --true 2> " +
             msg.string()) == 2);
    CHECK(slurp(msg).find("sweep.csv:2:3: error: not a text file") != std::string::npos);
    fs::remove_all(binary);
    fs::remove_all(dir);
    fs::remove(log);
}
