// kaisim calibrate end to end: outputs, a resume that simulates only what its database lacks and
// gives the same files, MPI ranks that give the same posterior as one process, and posterior
// comparisons.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../support/files.hpp"

namespace fs = std::filesystem;
using kaisim::test::fresh_path;
using kaisim::test::shell;
using kaisim::test::slurp;

namespace {
const std::string source = KAISIM_SOURCE_DIR;
const std::string kaisim_bin = KAISIM_BINARY;
const std::string small = source + "/tests/inputs/calibration-small.yaml";
const char* calibration_outputs[] = {"posterior.csv", "calibration.json", "calibrated.yaml"};

void same_outputs(const fs::path& a, const fs::path& b) {
    for (const char* f : calibration_outputs) {
        INFO(f);
        REQUIRE(fs::exists(a / f));
        REQUIRE(slurp(a / f) == slurp(b / f));
    }
}
}  // namespace

TEST_CASE("calibrate: --resume simulates only what calibration.db lacks, to the same outputs") {
    const fs::path one = fresh_path("cal-one"), log = fresh_path("cal-log");
    REQUIRE(shell(kaisim_bin + " calibrate " + small + " --quiet --out " + one.string()) == 0);
    const std::string posterior = slurp(one / "posterior.csv");
    // Without --resume an existing database is refused and nothing is touched.
    REQUIRE(shell(kaisim_bin + " calibrate " + small + " --quiet --out " + one.string() +
                  " 2>/dev/null") == 2);
    REQUIRE(slurp(one / "posterior.csv") == posterior);
    // A run stopped part-way: a third of its simulations lost. The resume runs just those.
    const fs::path two = fresh_path("cal-two");
    fs::copy(one, two);
    for (const char* f : calibration_outputs) fs::remove(two / f);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((two / "calibration.db").c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "DELETE FROM simulations WHERE first % 3 = 0", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    sqlite3_close(db);
    REQUIRE(shell(kaisim_bin + " calibrate " + small + " --resume --out " + two.string() + " > " +
                  log.string() + " 2>/dev/null") == 0);
    same_outputs(one, two);
    const std::string said = slurp(log);
    INFO(said);
    REQUIRE(said.find("this run simulated 0 ") == std::string::npos);
    REQUIRE(said.find(" and took ") != std::string::npos);
    // Resumed when complete: nothing simulated.
    REQUIRE(shell(kaisim_bin + " calibrate " + small + " --resume --out " + two.string() + " > " +
                  log.string() + " 2>/dev/null") == 0);
    REQUIRE(slurp(log).find("this run simulated 0 replicates") != std::string::npos);
    same_outputs(one, two);
    for (const auto& d : {one, two, log}) fs::remove_all(d);
}

TEST_CASE("calibrate: MPI ranks give the same posterior as one process") {
#ifdef KAISIM_TEST_MPIRUN
    const fs::path one = fresh_path("cal-rank1"), two = fresh_path("cal-rank2");
    REQUIRE(shell(kaisim_bin + " calibrate " + small + " --quiet --out " + one.string()) == 0);
    REQUIRE(shell(std::string(KAISIM_TEST_MPIRUN) + " --allow-run-as-root --oversubscribe -np 2 " +
                  kaisim_bin + " calibrate " + small + " --quiet --out " + two.string()) == 0);
    same_outputs(one, two);
    // A failure on rank 0 alone (its database exists, no --resume) stops every rank: exit 2, no
    // rank left waiting (timeout would exit 124).
    const int refused =
        shell("timeout 60 " + std::string(KAISIM_TEST_MPIRUN) +
              " --allow-run-as-root --oversubscribe -np 2 " + kaisim_bin + " calibrate " + small +
              " --quiet --out " + two.string() + " 2>/dev/null");
    REQUIRE(refused != 0);
    REQUIRE(refused != 124);
    // Resumed on two ranks from the one-process database: nothing simulated, the same outputs.
    for (const char* f : calibration_outputs) fs::remove(two / f);
    fs::copy_file(one / "calibration.db", two / "calibration.db",
                  fs::copy_options::overwrite_existing);
    REQUIRE(shell(std::string(KAISIM_TEST_MPIRUN) + " --allow-run-as-root --oversubscribe -np 2 " +
                  kaisim_bin + " calibrate " + small + " --resume --out " + two.string() + " > " +
                  (two / "log").string() + " 2>/dev/null") == 0);
    REQUIRE(slurp(two / "log").find("this run simulated 0 replicates") != std::string::npos);
    same_outputs(one, two);
    fs::remove_all(one);
    fs::remove_all(two);
#else
    WARN("kaisim was built without MPI (-DKAISIM_MPI=ON): the MPI calibration test did not run");
#endif
}

TEST_CASE("compare --posterior: both arms of a replicate run with the same particle") {
    // Two particles that set the stage-1 experts' leniency; arm B lowers the expert panel's
    // leniency further for everyone, so the comparison isolates the policy under the posterior.
    const fs::path post = fresh_path("cmp-post"), a = fresh_path("cmp-a"), b = fresh_path("cmp-b");
    fs::create_directories(post);
    std::ofstream(post / "posterior.csv")
        << "particle,weight,experts_offset,sets\n"
           "0,1,-5,stages[stage1].components[experts].reference_offset=-5\n"
           "1,3,-2,stages[stage1].components[experts].reference_offset=-2\n";
    const std::string cmd = kaisim_bin + " compare " + source +
                            "/scenarios/k-ai-2025.yaml --set "
                            "policies.allocation.shortage=priority --replicates 64 --quiet "
                            "--posterior " +
                            (post / "posterior.csv").string();
    REQUIRE(shell(cmd + " --threads 1 --out " + a.string()) == 0);
    REQUIRE(shell(cmd + " --threads 2 --out " + b.string()) == 0);
    REQUIRE(slurp(a / "compare.csv") == slurp(b / "compare.csv"));
    REQUIRE(slurp(a / "compare.json").find("--posterior") != std::string::npos);
    // The same arms without a posterior differ: the particles change the programme.
    const fs::path plain = fresh_path("cmp-plain");
    REQUIRE(shell(kaisim_bin + " compare " + source +
                  "/scenarios/k-ai-2025.yaml --set policies.allocation.shortage=priority "
                  "--replicates 64 --quiet --out " +
                  plain.string()) == 0);
    REQUIRE(slurp(plain / "compare.csv") != slurp(a / "compare.csv"));
    // --overlay-both merges over both arms: with nothing else for B, the arms are the same.
    REQUIRE(shell(kaisim_bin + " compare " + source + "/scenarios/k-ai-2025.yaml --overlay-both " +
                  source + "/scenarios/what-if/concentrate-3.yaml --replicates 16 --quiet --out " +
                  plain.string()) == 0);
    const std::string both = slurp(plain / "compare.csv");
    REQUIRE(both.find("\nspend_total_krw,lower,") != std::string::npos);
    for (std::size_t at = both.find('\n') + 1; at < both.size(); at = both.find('\n', at) + 1) {
        // metric,direction,mean_a,mean_b,diff,...: every difference is 0.
        std::string line = both.substr(at, both.find('\n', at) - at);
        for (int comma = 0; comma < 4; ++comma) line.erase(0, line.find(',') + 1);
        INFO(both.substr(at, both.find('\n', at) - at));
        REQUIRE(line.substr(0, line.find(',')) == "0");
    }
    // Arm B's --set wins over a particle's value on the same path: with every particle at -5
    // and B at -2 the arms differ (were the particle to win, B would equal A exactly).
    std::ofstream(post / "one.csv")
        << "particle,weight,sets\n0,1,stages[stage1].components[experts].reference_offset=-5\n";
    REQUIRE(shell(kaisim_bin + " compare " + source +
                  "/scenarios/k-ai-2025.yaml --set "
                  "stages[stage1].components[experts].reference_offset=-2 --replicates 16 "
                  "--quiet --posterior " +
                  (post / "one.csv").string() + " --out " + plain.string()) == 0);
    const std::string csv = slurp(plain / "compare.csv");
    const std::string row = "\nbest_final_ability,higher,";
    const auto at = csv.find(row);
    REQUIRE(at != std::string::npos);
    const std::string line = csv.substr(at + row.size(), csv.find('\n', at + 1) - at - row.size());
    const auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
    REQUIRE(std::stod(line.substr(c2 + 1)) != 0.0);  // the mean difference B - A
    // A posterior with a value the scenario refuses is named at its line.
    std::ofstream(post / "refused.csv") << "particle,weight,sets\n0,1,data.nosuch=3\n";
    REQUIRE(shell(kaisim_bin + " compare " + source +
                  "/scenarios/k-ai-2025.yaml --replicates 8 --quiet --posterior " +
                  (post / "refused.csv").string() + " --out " + plain.string() + " 2>" +
                  (post / "err").string()) == 2);
    REQUIRE(slurp(post / "err").find("refused.csv:2:1: error: particle 0") != std::string::npos);
    for (const auto& d : {post, a, b, plain}) fs::remove_all(d);
}

TEST_CASE(
    "calibrate: a likelihood calibration writes prior.csv and posterior.csv that run "
    "--posterior reads, and --sbc writes its check") {
    const std::string teams = source + "/tests/inputs/sbc-teams-calibration.yaml";
    const fs::path out = fresh_path("cal-teams"), run = fresh_path("cal-teams-run"),
                   sbc = fresh_path("cal-teams-sbc");
    REQUIRE(shell(kaisim_bin + " calibrate " + teams + " --quiet --out " + out.string()) == 0);
    for (const char* f : {"posterior.csv", "prior.csv", "calibration.json", "calibrated.yaml"})
        REQUIRE(fs::exists(out / f));
    const std::string json = slurp(out / "calibration.json");
    REQUIRE(json.find("\"method\": \"likelihood\"") != std::string::npos);
    REQUIRE(json.find("\"width_ratio\"") != std::string::npos);
    REQUIRE(slurp(out / "posterior.csv").find("teams[a].skill=") != std::string::npos);
    // kaisim reads what it wrote: the posterior and the prior both drive a run.
    for (const char* f : {"posterior.csv", "prior.csv"})
        REQUIRE(shell(kaisim_bin + " run " + source + "/tests/inputs/sbc-teams.yaml --posterior " +
                      (out / f).string() + " --replicates 20 --quiet --out " + run.string() + "/" +
                      f) == 0);
    REQUIRE(shell(kaisim_bin + " calibrate " + teams + " --sbc 2 --quiet --out " + sbc.string()) ==
            0);
    REQUIRE(slurp(sbc / "sbc.csv").find("skill.location") != std::string::npos);
    REQUIRE(slurp(sbc / "sbc.json").find("\"p_uniform\"") != std::string::npos);
    // Bins that do not divide the ranks are refused before anything runs.
    REQUIRE(shell(kaisim_bin + " calibrate " + teams + " --sbc 2 --sbc-bins 7 --quiet --out " +
                  sbc.string() + "-bad 2>/dev/null") == 2);
    for (const auto& d : {out, run, sbc}) fs::remove_all(d);
}

TEST_CASE(
    "calibrate: kaisim bench inference times a calibration and posterior runs beside a "
    "plain Monte Carlo") {
    const fs::path log = fresh_path("bench-inference");
    REQUIRE(shell(kaisim_bin + " bench inference --calibration " + source +
                  "/tests/inputs/sbc-teams-calibration.yaml --replicates 200 --threads 2 > " +
                  log.string() + " 2>&1") == 0);
    const std::string text = slurp(log);
    INFO(text);
    // Every rate it promises, each a positive number, with its ratio.
    for (const char* line :
         {"plain Monte Carlo, 200 replicates: ", "files read at every point: ",
          "files read once:           ", "posterior Monte Carlo, 1 particle, 200 replicates: ",
          "posterior Monte Carlo, 300 particles, 200 replicates: "}) {
        const std::size_t at = text.find(line);
        REQUIRE(at != std::string::npos);
        REQUIRE(std::stod(text.substr(at + std::string(line).size())) > 0);
    }
    REQUIRE(text.find("% of one particle's)") != std::string::npos);
    // A calibration it cannot time is refused with the file named.
    REQUIRE(shell(kaisim_bin + " bench inference --calibration " + small +
                  " 2>&1 > /dev/null | grep -q '" + small +
                  ":1:1: error: the inference benchmark needs a scenario calibration'") == 0);
}
