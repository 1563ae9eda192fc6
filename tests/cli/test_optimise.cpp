// kaisim optimise: a small search end to end; the same front for 1 and 2 threads.
#include <catch2/catch.hpp>

#include "../support/files.hpp"

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using kaisim::test::slurp;

namespace {
const auto sh = kaisim::test::shell_in_source;  // a command in the source folder; its exit code
}  // namespace

TEST_CASE("optimise: the front, its overlays and convergence, the same for 1 and 2 threads") {
    const std::string bin = KAISIM_BINARY;
    const fs::path one = kaisim::test::fresh_path("opt-1"), two = kaisim::test::fresh_path("opt-2");
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --quiet --threads 1 --out " +
               one.string()) == 0);
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --quiet --threads 2 --out " +
               two.string()) == 0);
    const std::string pareto = slurp(one / "pareto.csv");
    REQUIRE(pareto.rfind("candidate,noise_sd,judges,selection_correct_panel,", 0) == 0);
    REQUIRE(pareto == slurp(two / "pareto.csv"));
    REQUIRE(slurp(one / "convergence.csv") == slurp(two / "convergence.csv"));
    // One overlay per candidate, which kaisim runs as it is.
    REQUIRE(fs::exists(one / "pareto-1.yaml"));
    REQUIRE(slurp(one / "pareto-1.yaml").find("judges:") != std::string::npos);
    REQUIRE(sh(bin + " validate tests/inputs/two-teams-panel.yaml --overlay " +
               (one / "pareto-1.yaml").string() + " > /dev/null") == 0);
    // Convergence: one line per generation (0 = the first population), never falling.
    const std::string conv = slurp(one / "convergence.csv");
    REQUIRE(std::count(conv.begin(), conv.end(), '\n') == 1 + 4);
    // A search file with one objective is bad input.
    REQUIRE(sh(bin + " optimise tests/inputs/sweep-small.yaml --quiet --out " + one.string() +
               " 2> /dev/null") == 2);
    // No report of a search yet: --report is refused before any work.
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --report --out " + one.string() +
               "-r 2> /dev/null") == 2);
    REQUIRE_FALSE(fs::exists(one.string() + "-r"));
    // Levers that combine into a scenario the loader refuses: those candidates are counted and
    // left out, and the search still writes its front.
    REQUIRE(sh(bin + " optimise tests/inputs/search-infeasible.yaml --quiet --out " +
               two.string()) == 0);
    const std::string summary = slurp(two / "optimise.json");
    REQUIRE(summary.find("\"infeasible\": 0,") == std::string::npos);
    REQUIRE(summary.find("\"infeasible\": ") != std::string::npos);
    REQUIRE(slurp(two / "pareto.csv").find("\n1,") != std::string::npos);
    fs::remove_all(one);
    fs::remove_all(two);
}
