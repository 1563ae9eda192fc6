// kaisim optimise: a small search end to end; the same front for 1 and 2 threads.
#include <catch2/catch.hpp>

#include "../support/files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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
    // The same candidate evaluated again, by kaisim run with its overlay on the search's
    // replicates, gives the same objectives (the overlay is the policy, whole).
    REQUIRE(sh(bin + " run tests/inputs/two-teams-panel.yaml --overlay " +
               (one / "pareto-1.yaml").string() + " --replicates 400 --quiet --out " +
               (one / "again").string()) == 0);
    const std::string first = pareto.substr(pareto.find('\n') + 1);
    std::vector<std::string> cells;
    std::istringstream in(first.substr(0, first.find('\n')));
    for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
    const std::string again = slurp(one / "again" / "mc_summary.json");
    const auto mean_of = [&](const std::string& metric) {
        const auto at = again.find("\"mean\": ", again.find("\"" + metric + "\": {"));
        return std::stod(again.substr(at + 8));
    };
    // candidate, noise_sd, judges, then each objective's mean, lo, hi (10 significant digits).
    REQUIRE(std::stod(cells.at(3)) == Approx(mean_of("selection_correct_panel")).epsilon(1e-9));
    REQUIRE(std::stod(cells.at(6)) == Approx(mean_of("mean_finalist_ability")).epsilon(1e-9));
    fs::remove_all(one / "again");
    // Convergence: one line per generation (0 = the first population), never falling.
    const std::string conv = slurp(one / "convergence.csv");
    REQUIRE(std::count(conv.begin(), conv.end(), '\n') == 1 + 4);
    // A search file with one objective is bad input.
    REQUIRE(sh(bin + " optimise tests/inputs/sweep-small.yaml --quiet --out " + one.string() +
               " 2> /dev/null") == 2);
    // The store is not overwritten by a new search: --resume continues it, else exit 2.
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --quiet --out " + one.string() +
               " 2> /dev/null") == 2);
    // Levers that combine into a scenario the loader refuses: those candidates are counted and
    // left out, and the search still writes its front.
    const fs::path bad = two / "infeasible";
    REQUIRE(sh(bin + " optimise tests/inputs/search-infeasible.yaml --quiet --out " +
               bad.string()) == 0);
    const std::string summary = slurp(bad / "optimise.json");
    REQUIRE(summary.find("\"infeasible\": 0,") == std::string::npos);
    REQUIRE(summary.find("\"infeasible\": ") != std::string::npos);
    REQUIRE(slurp(bad / "pareto.csv").find("\n1,") != std::string::npos);
    fs::remove_all(one);
    fs::remove_all(two);
}

TEST_CASE("optimise: robustness statistics, a constraint, the plan compared, a report") {
    const std::string bin = KAISIM_BINARY;
    const fs::path dir = kaisim::test::fresh_path("opt-robust");
    REQUIRE(sh(bin + " optimise tests/inputs/search-robust.yaml --quiet --report --out " +
               dir.string()) == 0);
    const std::string pareto = slurp(dir / "pareto.csv");
    const std::string header = pareto.substr(0, pareto.find('\n'));
    for (const char* column :
         {",mean_finalist_ability_regret_q90,mean_finalist_ability_regret_q90_lo,",
          ",mean_finalist_ability_q10,", ",selection_correct_panel_vs_plan,",
          ",mean_finalist_ability_vs_plan_lo,", ",dominates_plan,overlay"}) {
        INFO(column);
        REQUIRE(header.find(column) != std::string::npos);
    }
    // Every candidate on the front meets the constraint (selection_correct_panel >= 0.6): the
    // column after the two levers.
    std::istringstream lines(pareto.substr(header.size() + 1));
    std::string line;
    int rows = 0;
    while (std::getline(lines, line)) {
        std::vector<std::string> cells;
        std::istringstream in(line);
        for (std::string c; std::getline(in, c, ',');) cells.push_back(c);
        REQUIRE(std::stod(cells.at(3)) >= 0.6);
        ++rows;
    }
    REQUIRE(rows >= 1);
    const std::string summary = slurp(dir / "optimise.json");
    REQUIRE(summary.find("\"statistic\": \"regret\"") != std::string::npos);
    REQUIRE(summary.find("\"dominating_plan\": [") != std::string::npos);
    REQUIRE(summary.find("\"dominating_plan\": []") == std::string::npos);  // some do
    REQUIRE(slurp(dir / "report.html").find("The front in parallel coordinates") !=
            std::string::npos);
    // Every policy run is in evaluated.csv, which kaisim discover peels with the search's levers.
    const std::string evaluated = slurp(dir / "evaluated.csv");
    REQUIRE(evaluated.rfind("policy,noise_sd,judges,selection_correct_panel,", 0) == 0);
    REQUIRE(std::count(evaluated.begin(), evaluated.end(), '\n') > rows);
    REQUIRE(sh(bin + " discover " + dir.string() +
               " --metric selection_correct_panel --below 0.9 --quiet") == 0);
    const std::string boxes = slurp(dir / "discover" / "prim_boxes.csv");
    REQUIRE(boxes.find(",noise_sd,") != std::string::npos);
    REQUIRE(boxes.find(",judges,") != std::string::npos);
    // A constraint at its bound holds: feasible (1 in every replicate here) at least 1, over 10
    // replicates (a mean summed as 1/10 ten times falls short of 1 by a rounding).
    std::string text = slurp(KAISIM_SOURCE_DIR "/tests/inputs/search-robust.yaml");
    const auto change = [&](const std::string& from, const std::string& to) {
        REQUIRE(text.find(from) != std::string::npos);
        text.replace(text.find(from), from.size(), to);
    };
    change("{metric: selection_correct_panel, min: 0.6}", "{metric: feasible, min: 1}");
    change("replicates: 200", "replicates: 10");
    change("scenario: two-teams-panel.yaml",
           "scenario: " KAISIM_SOURCE_DIR "/tests/inputs/two-teams-panel.yaml");
    std::ofstream(dir / "at-bound.yaml") << text;
    REQUIRE(sh(bin + " optimise " + (dir / "at-bound.yaml").string() + " --quiet --out " +
               (dir / "at-bound").string()) == 0);
    const std::string at_bound = slurp(dir / "at-bound" / "optimise.json");
    REQUIRE(at_bound.find("\"violating\": 0,") != std::string::npos);
    REQUIRE(at_bound.find("\"front\": 0,") == std::string::npos);
    // A constraint nobody meets, the plan included: an empty front, and no regret is lost.
    change("{metric: feasible, min: 1}", "{metric: feasible, min: 2}");
    std::ofstream(dir / "nobody.yaml") << text;
    REQUIRE(sh(bin + " optimise " + (dir / "nobody.yaml").string() + " --quiet --out " +
               (dir / "nobody").string()) == 0);
    REQUIRE(slurp(dir / "nobody" / "optimise.json").find("\"front\": 0,") != std::string::npos);
    const std::string empty = slurp(dir / "nobody" / "pareto.csv");
    REQUIRE(std::count(empty.begin(), empty.end(), '\n') == 1);  // the header alone
    fs::remove_all(dir);
}

TEST_CASE("optimise: a bad objective or constraint is named at its line") {
    const std::string bin = KAISIM_BINARY;
    const fs::path dir = kaisim::test::fresh_path("opt-bad");
    fs::create_directories(dir);
    const std::string good = slurp(KAISIM_SOURCE_DIR "/tests/inputs/search-robust.yaml");
    const auto fails_at = [&](const std::string& from, const std::string& to,
                              const std::string& where, const std::string& message) {
        std::string text = good;
        text.replace(text.find(from), from.size(), to);
        std::ofstream(dir / "bad.yaml") << text;
        const int code = sh(bin + " optimise " + (dir / "bad.yaml").string() + " --out " +
                            (dir / "out").string() + " 2> " + (dir / "err").string());
        const std::string err = slurp(dir / "err");
        INFO(err);
        REQUIRE(code == 2);
        REQUIRE(err.find("bad.yaml:" + where + ": error: ") != std::string::npos);
        REQUIRE(err.find(message) != std::string::npos);
        REQUIRE_FALSE(fs::exists(dir / "out" / "pareto.csv"));
    };
    fails_at("{metric: selection_correct_panel, min: 0.6}", "{metric: selection_correct_panel}",
             "16:5", "needs a min, a max or both");
    fails_at("min: 0.6}", "min: 0.6, max: 0.5}", "16:5", "min is above its max");
    fails_at("direction: maximise}", "direction: maximise, q: 0.5}", "12:63",
             "the mean takes none");
    fails_at("statistic: regret, q: 0.9", "statistic: regret, q: 1.5", "13:80", "out of range");
    fails_at("statistic: regret", "statistic: worst", "13:69", "worst");
    fails_at("statistic: quantile, q: 0.1", "statistic: regret, q: 0.9", "14:5",
             "objective mean_finalist_ability_regret_q90 is given twice");
    fs::remove_all(dir);
}

TEST_CASE("optimise --resume: a longer search takes the policies a shorter one stored") {
    const std::string bin = KAISIM_BINARY;
    const fs::path whole = kaisim::test::fresh_path("opt-whole"),
                   part = kaisim::test::fresh_path("opt-part");
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --quiet --out " + whole.string()) ==
            0);
    // The same search stopped after its first generation (the store does not depend on the
    // algorithm's settings), then resumed to the end.
    fs::create_directories(part);
    std::string text = slurp(KAISIM_SOURCE_DIR "/tests/inputs/search-small.yaml");
    text.replace(text.find("generations: 3"), 14, "generations: 1");
    std::ofstream(part / "search.yaml") << text;
    REQUIRE(sh("sed -i 's|scenario: two-teams-panel.yaml|scenario: " +
               std::string(KAISIM_SOURCE_DIR "/tests/inputs/two-teams-panel.yaml") + "|' " +
               (part / "search.yaml").string()) == 0);
    REQUIRE(sh(bin + " optimise " + (part / "search.yaml").string() + " --quiet --out " +
               (part / "out").string()) == 0);
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --resume --out " +
               (part / "out").string() + " > " + (part / "said.txt").string() + " 2> /dev/null") ==
            0);
    REQUIRE(slurp(part / "out" / "pareto.csv") == slurp(whole / "pareto.csv"));
    REQUIRE(slurp(part / "out" / "convergence.csv") == slurp(whole / "convergence.csv"));
    const std::string said = slurp(part / "said.txt");
    INFO(said);
    REQUIRE(said.find(" taken from optimise.db") != std::string::npos);
    // Killed at any moment (here after a fifth of a second, wherever it is then) and resumed:
    // the same front. The store holds each policy in one transaction.
    const fs::path killed = part / "killed";
    sh("timeout -s KILL 0.2 " + bin + " optimise tests/inputs/search-small.yaml --quiet --out " +
       killed.string() + " 2> /dev/null");
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --resume --quiet --out " +
               killed.string()) == 0);
    REQUIRE(slurp(killed / "pareto.csv") == slurp(whole / "pareto.csv"));
    // Another scenario behind the same store: refused, nothing lost.
    REQUIRE(sh(bin + " optimise tests/inputs/search-infeasible.yaml --resume --quiet --out " +
               (part / "out").string() + " 2> /dev/null") == 2);
    REQUIRE(slurp(part / "out" / "pareto.csv") == slurp(whole / "pareto.csv"));
    fs::remove_all(whole);
    fs::remove_all(part);
}

TEST_CASE("optimise on MPI ranks: the front of one process") {
#ifdef KAISIM_TEST_MPIRUN
    const std::string bin = KAISIM_BINARY;
    const std::string mpirun =
        std::string(KAISIM_TEST_MPIRUN) + " --allow-run-as-root --oversubscribe -np 2 ";
    const fs::path one = kaisim::test::fresh_path("opt-mpi1"),
                   two = kaisim::test::fresh_path("opt-mpi2");
    REQUIRE(sh(bin + " optimise tests/inputs/search-robust.yaml --quiet --threads 1 --out " +
               one.string()) == 0);
    REQUIRE(sh(mpirun + bin +
               " optimise tests/inputs/search-robust.yaml --quiet --threads 1 --out " +
               two.string()) == 0);
    for (const char* f : {"pareto.csv", "convergence.csv", "pareto-1.yaml"}) {
        INFO(f);
        REQUIRE(slurp(one / f) == slurp(two / f));
    }
    fs::remove_all(one);
    fs::remove_all(two);
#else
    WARN("kaisim was built without MPI (-DKAISIM_MPI=ON): the MPI search test did not run");
#endif
}

TEST_CASE("optimise --posterior: the plan is the Monte Carlo of kaisim run --posterior") {
    const std::string bin = KAISIM_BINARY;
    const fs::path dir = kaisim::test::fresh_path("opt-post");
    fs::create_directories(dir);
    // Two particles of the weak team's prior compute, the second twice as likely.
    std::ofstream(dir / "posterior.csv")
        << "particle,weight,sets\n0,1,teams[weak].prior_flops=9e23\n"
           "1,2,teams[weak].prior_flops=2e23\n";
    const std::string post = (dir / "posterior.csv").string();
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --quiet --posterior " + post +
               " --out " + (dir / "search").string()) == 0);
    REQUIRE(sh(bin +
               " run tests/inputs/two-teams-panel.yaml --replicates 400 --quiet --posterior " +
               post + " --out " + (dir / "run").string()) == 0);
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --quiet --out " +
               (dir / "plain").string()) == 0);
    // The plan's first objective (selection_correct_panel) with its interval: the same numbers
    // as the run's, to the last digit; without the posterior they differ.
    const auto plan_of = [](const std::string& json) {
        const auto at = json.find("\"plan\": {");
        return json.substr(at + 9, json.find('}', at) - at - 9);
    };
    const std::string with = plan_of(slurp(dir / "search" / "optimise.json"));
    const std::string run = slurp(dir / "run" / "mc_summary.json");
    const auto metric = run.find("\"mean\": ", run.find("\"selection_correct_panel\": {"));
    REQUIRE(metric != std::string::npos);
    const std::string mean = run.substr(metric + 8, run.find(',', metric) - metric - 8);
    INFO(with << " against the run's mean " << mean);
    REQUIRE(with.find("\"value\": " + mean + ",") != std::string::npos);
    REQUIRE(plan_of(slurp(dir / "plain" / "optimise.json")) != with);
    // A candidate of the front under the posterior: the Monte Carlo of kaisim run with its
    // overlay and the posterior (each replicate with the same particle).
    REQUIRE(sh(bin +
               " run tests/inputs/two-teams-panel.yaml --replicates 400 --quiet --posterior " +
               post + " --overlay " + (dir / "search" / "pareto-1.yaml").string() + " --out " +
               (dir / "candidate").string()) == 0);
    const std::string pareto = slurp(dir / "search" / "pareto.csv");
    const std::string row = pareto.substr(pareto.find('\n') + 1);
    std::vector<std::string> cells;
    std::istringstream in(row.substr(0, row.find('\n')));
    for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
    const std::string cand = slurp(dir / "candidate" / "mc_summary.json");
    const auto at = cand.find("\"mean\": ", cand.find("\"selection_correct_panel\": {"));
    REQUIRE(std::stod(cells.at(3)) == Approx(std::stod(cand.substr(at + 8))).epsilon(1e-9));
    // A lever on a path the posterior also sets is refused, at the lever's line.
    std::ofstream(dir / "clash.csv")
        << "particle,weight,sets\n0,1,stages[panel].components[judge].noise_sd=0.3\n";
    REQUIRE(sh(bin + " optimise tests/inputs/search-small.yaml --quiet --posterior " +
               (dir / "clash.csv").string() + " --out " + (dir / "clash").string() + " 2> " +
               (dir / "err").string()) == 2);
    REQUIRE(slurp(dir / "err").find("search-small.yaml:7:28: error: lever 'noise_sd'") !=
            std::string::npos);
    fs::remove_all(dir);
}
