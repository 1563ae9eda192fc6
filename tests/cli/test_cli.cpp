// End-to-end tests of the `kaisim` command: exit codes, files written, determinism.
#include <catch2/catch.hpp>

#include "../support/files.hpp"
#include "kaisim/eval/scoring_backend.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using kaisim::test::slurp;

namespace {
const std::string source = KAISIM_SOURCE_DIR;
const std::string kaisim_bin = KAISIM_BINARY;
const char* outputs[] = {"summary.json", "teams.csv", "stages.csv", "timeline.csv",
                         "consortia.csv"};

// Runs a shell command in the source folder; returns its exit code.
int sh(const std::string& cmd) {
    const int status = std::system(("cd '" + source + "' && " + cmd).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path fresh_dir(const std::string& name) {
    const fs::path d =
        fs::temp_directory_path() / ("kaisim-cli-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    return d;
}
}  // namespace

TEST_CASE("cli: run writes its outputs, byte-identical for the same seed") {
    const fs::path a = fresh_dir("a"), b = fresh_dir("b"), c = fresh_dir("c");
    REQUIRE(sh(kaisim_bin + " run scenarios/k-ai-2025.yaml --seed 1 --quiet --out " + a.string()) ==
            0);
    REQUIRE(sh(kaisim_bin + " run scenarios/k-ai-2025.yaml --seed 1 --quiet --out " + b.string()) ==
            0);
    REQUIRE(sh(kaisim_bin + " run scenarios/k-ai-2025.yaml --seed 2 --quiet --out " + c.string()) ==
            0);
    for (const char* f : outputs) {
        INFO(f);
        REQUIRE(fs::exists(a / f));
        REQUIRE(slurp(a / f) == slurp(b / f));
    }
    REQUIRE(slurp(a / "stages.csv") != slurp(c / "stages.csv"));
    for (const auto& d : {a, b, c}) fs::remove_all(d);
}

TEST_CASE("cli: a malformed scenario exits 2 with file:line:col and writes nothing") {
    const fs::path out = fresh_dir("bad");
    const fs::path err =
        fs::temp_directory_path() / ("kaisim-cli-err-" + std::to_string(::getpid()));
    const int code =
        sh(kaisim_bin + " run tests/inputs/invalid/11-keep-exceeds-eligible.yaml --out " +
           out.string() + " 2> " + err.string());
    REQUIRE(code == 2);
    REQUIRE(slurp(err).rfind("tests/inputs/invalid/11-keep-exceeds-eligible.yaml:15:", 0) == 0);
    REQUIRE(slurp(err).find(": error: ") != std::string::npos);
    REQUIRE_FALSE(fs::exists(out));
    fs::remove(err);
}

TEST_CASE("cli: exit codes for validate, unknown options and a bad --set") {
    REQUIRE(sh(kaisim_bin + " validate scenarios/k-ai-2025.yaml > /dev/null") == 0);
    REQUIRE(sh(kaisim_bin + " validate tests/inputs/invalid/01-syntax.yaml 2> /dev/null") == 2);
    REQUIRE(sh(kaisim_bin + " run scenarios/k-ai-2025.yaml --no-such-flag 2> /dev/null") == 2);
    REQUIRE(sh(kaisim_bin +
               " validate scenarios/k-ai-2025.yaml --set 'stages[9].cut.keep=1' 2> /dev/null") ==
            2);
    REQUIRE(sh(kaisim_bin + " --version > /dev/null") == 0);
}

TEST_CASE(
    "cli: the programme as it ran: a stage-1 cut to 3, a wildcard admission, shared partners") {
    const fs::path out = fresh_dir("actual");
    REQUIRE(sh(kaisim_bin + " run scenarios/k-ai-2026-actual.yaml --seed 1 --quiet --out " +
               out.string()) == 0);
    const std::string stages = slurp(out / "stages.csv");
    int stage1_kept = 0, admitted = 0;
    std::istringstream lines(stages);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("stage1,", 0) == 0 && line.find(",advanced,") != std::string::npos)
            ++stage1_kept;
        if (line.rfind("wildcard,", 0) == 0 && line.find(",admitted,") != std::string::npos)
            ++admitted;
    }
    REQUIRE(stage1_kept == 3);
    REQUIRE(admitted == 1);
    // Seoul National Univ. sits in three consortia (Motif, NC AI, KT): one partner, degree 3.
    REQUIRE(slurp(out / "consortia.csv").find("snu,Seoul National Univ.,3,motif;nc;kt,") !=
            std::string::npos);
    fs::remove_all(out);
}

TEST_CASE("cli: every what-if overlay runs on the reference scenario, and GENIAC runs") {
    int overlays = 0;
    for (const auto& e : fs::directory_iterator(fs::path(source) / "scenarios/what-if")) {
        INFO(e.path().filename().string());
        const fs::path out = fresh_dir("whatif");
        REQUIRE(sh(kaisim_bin + " run scenarios/k-ai-2025.yaml --quiet --out " + out.string() +
                   " --overlay " + e.path().string()) == 0);
        fs::remove_all(out);
        ++overlays;
    }
    REQUIRE(overlays >= 5);
    const fs::path out = fresh_dir("geniac");
    REQUIRE(sh(kaisim_bin + " run scenarios/geniac-cycle1.yaml --quiet --out " + out.string()) ==
            0);
    fs::remove_all(out);
}

TEST_CASE("cli: a Monte Carlo run is byte-identical on 1 and 2 threads") {
    const fs::path a = fresh_dir("mc1"), b = fresh_dir("mc2");
    const std::string cmd =
        kaisim_bin + " run scenarios/k-ai-2025.yaml --replicates 300 --replicates-csv --quiet";
    REQUIRE(sh(cmd + " --threads 1 --out " + a.string()) == 0);
    REQUIRE(sh(cmd + " --threads 2 --out " + b.string()) == 0);
    for (const char* f : {"mc_teams.csv", "mc_summary.json", "replicates.csv"}) {
        INFO(f);
        REQUIRE(fs::exists(a / f));
        REQUIRE(slurp(a / f) == slurp(b / f));
    }
    // replicates.csv: a header and one line per replicate.
    const std::string reps = slurp(a / "replicates.csv");
    REQUIRE(std::count(reps.begin(), reps.end(), '\n') == 301);
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST_CASE("cli: compare writes the paired differences of a what-if") {
    const fs::path out = fresh_dir("compare");
    REQUIRE(
        sh(kaisim_bin +
           " compare scenarios/k-ai-2025.yaml --overlay scenarios/what-if/talent-stops-at-cut.yaml "
           "--replicates 40 --quiet --out " +
           out.string()) == 0);
    const std::string csv = slurp(out / "compare.csv");
    REQUIRE(csv.find("metric,direction,mean_a,mean_b,diff,diff_lo,diff_hi") != std::string::npos);
    // Stopping talent money at the cut can only lower talent spend.
    const auto at = csv.find("\nspend_talent_krw,lower,");
    REQUIRE(at != std::string::npos);
    REQUIRE(slurp(out / "compare.json").find("\"p_b_better\"") != std::string::npos);
    fs::remove_all(out);
    REQUIRE(sh(kaisim_bin + " compare scenarios/k-ai-2025.yaml --backend cuda --quiet --out " +
               out.string() + " 2> /dev/null") == 2);
}

TEST_CASE("cli: a bad input to run, compare, sweep or report leaves the output folder as it was") {
    const fs::path out = fresh_dir("untouched");
    fs::create_directories(out);
    std::ofstream(out / "sentinel.txt") << "the user's file";
    const fs::path bad_yaml = fresh_dir("bad-sweep.yaml"), bad_path = fresh_dir("bad-path.yaml");
    std::ofstream(bad_yaml) << "sweep: {model: ishigami}\nparameters: [\ndesign: {type: lhs}\n";
    std::ofstream(bad_path) << "sweep: {scenario: " << source
                            << "/tests/inputs/two-teams-panel.yaml}\n"
                               "parameters:\n"
                               "  - {name: x, path: \"stages[no_such_stage].cut.keep\", dist: "
                               "integer, low: 1, high: 2}\n"
                               "design: {type: lhs, samples: 4}\n"
                               "replicates: 10\nmetrics: [spend_total_krw]\n";
    const std::string set = " --set 'stages[9].cut.keep=1'";
    const std::string overlay = " --overlay tests/inputs/overlay-bad.yaml";
    const std::string ref = " scenarios/k-ai-2025.yaml";
    const std::string mc = " --replicates 20 --replicates-csv";
    const std::vector<std::string> commands{
        "run" + ref + set,
        "run no-such-scenario.yaml",
        "run" + ref + overlay,
        "run" + ref + " --backend cuda",
        "run" + ref + mc + set,
        "run" + ref + mc + overlay,
        "run" + ref + mc + " --backend cuda",
        "run tests/inputs/invalid/11-keep-exceeds-eligible.yaml" + mc,
        "compare" + ref + set + " --replicates 4",
        "compare" + ref + " no-such-b.yaml --replicates 4",
        "compare" + ref + overlay + " --replicates 4",
        "compare" + ref + " --backend cuda --replicates 4",
        "sweep " + bad_yaml.string(),
        "sweep " + bad_path.string(),
        "sweep no-such-sweep.yaml",
        "sweep tests/inputs/sweep-small.yaml --backend cuda",
    };
    const auto untouched = [&] {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename());
        return names == std::vector<std::string>{"sentinel.txt"} &&
               slurp(out / "sentinel.txt") == "the user's file";
    };
    for (const std::string& cmd : commands) {
        INFO(cmd);
        REQUIRE(sh(kaisim_bin + " " + cmd + " --quiet --out " + out.string() +
                   " > /dev/null 2>&1") == 2);
        REQUIRE(untouched());
    }
    // report: the folder has no manifest.
    REQUIRE(sh(kaisim_bin + " report " + out.string() + " > /dev/null 2>&1") == 2);
    REQUIRE(sh(kaisim_bin + " report " + out.string() + " -o " + (out / "r.html").string() +
               " > /dev/null 2>&1") == 2);
    REQUIRE(untouched());
    fs::remove_all(out);
    fs::remove(bad_yaml);
    fs::remove(bad_path);
}

TEST_CASE("cli: a run, then a Monte Carlo into the same folder: report shows the Monte Carlo") {
    const fs::path out = fresh_dir("mixed");
    const std::string o = " --quiet --out " + out.string();
    REQUIRE(sh(kaisim_bin + " run scenarios/geniac-cycle1.yaml" + o) == 0);
    REQUIRE(fs::exists(out / "summary.json"));
    REQUIRE(sh(kaisim_bin + " run scenarios/k-ai-2025.yaml --replicates 20" + o) == 0);
    for (const char* f : outputs) REQUIRE_FALSE(fs::exists(out / f));
    REQUIRE(fs::exists(out / "mc_summary.json"));
    REQUIRE(slurp(out / "kaisim-outputs.json").find("\"kind\": \"monte_carlo\"") !=
            std::string::npos);
    if (fs::exists(source + "/reports/node_modules/vega/build/vega.min.js")) {
        REQUIRE(sh(kaisim_bin + " report " + out.string() + " > /dev/null") == 0);
        REQUIRE(slurp(out / "report.html").find("<h1>kaisim Monte Carlo report</h1>") !=
                std::string::npos);
    }
    fs::remove_all(out);
}

TEST_CASE("cli: a posterior Monte Carlo given the real field is the same on 1 and 2 threads") {
    // Two particles that set the stage-1 experts' leniency differently, weights 1 and 3.
    const fs::path post = fresh_dir("posterior");
    fs::create_directories(post);
    std::ofstream(post / "posterior.csv")
        << "particle,weight,experts_offset,sets\n"
           "0,1,-5,stages[stage1].components[experts].reference_offset=-5\n"
           "1,3,-2,\"stages[stage1].components[experts].reference_offset=-2;data.lag_days=30\"\n";
    const fs::path one = fresh_dir("post1"), two = fresh_dir("post2");
    const std::string run = kaisim_bin +
                            " run scenarios/k-ai-2026-actual.yaml --replicates 300 --quiet "
                            "--given wildcard=lg,skt,upstage,motif --posterior " +
                            (post / "posterior.csv").string();
    REQUIRE(sh(run + " --threads 1 --out " + one.string()) == 0);
    REQUIRE(sh(run + " --threads 2 --out " + two.string()) == 0);
    REQUIRE(slurp(one / "mc_teams.csv") == slurp(two / "mc_teams.csv"));
    REQUIRE(slurp(one / "mc_summary.json") == slurp(two / "mc_summary.json"));
    // Only the replicates with the real field of stage 2 are counted.
    const std::string summary = slurp(one / "mc_summary.json");
    REQUIRE(summary.find("\"simulated\": 300") != std::string::npos);
    REQUIRE(summary.find("\"replicates\": 300") == std::string::npos);
    // A bad posterior is refused at its line; --given needs a Monte Carlo.
    std::ofstream(post / "bad.csv") << "particle,weight,sets\n0,heavy,x=1\n";
    REQUIRE(sh(kaisim_bin +
               " run scenarios/k-ai-2026-actual.yaml --replicates 10 --quiet --posterior " +
               (post / "bad.csv").string() + " --out " + one.string() + " 2>/dev/null") == 2);
    REQUIRE(sh(kaisim_bin +
               " run scenarios/k-ai-2026-actual.yaml --quiet --given stage1=lg --out " +
               one.string() + " 2>/dev/null") == 2);
    // A particle whose value the scenario refuses is named at its line, before anything runs.
    std::ofstream(post / "refused.csv")
        << "particle,weight,sets\n0,1,data.lag_days=5\n1,1,data.nosuch=3\n";
    const fs::path err = post / "err.txt";
    REQUIRE(sh(kaisim_bin +
               " run scenarios/k-ai-2026-actual.yaml --replicates 10 --quiet --posterior " +
               (post / "refused.csv").string() + " --out " + one.string() + " 2>" + err.string()) ==
            2);
    REQUIRE(slurp(err).find("refused.csv:3:1: error: particle 1") != std::string::npos);
    for (const auto& d : {post, one, two}) fs::remove_all(d);
}

TEST_CASE("cli: a Monte Carlo and a comparison on MPI ranks write the files of one process") {
#ifdef KAISIM_TEST_MPIRUN
    const std::string mpirun =
        std::string(KAISIM_TEST_MPIRUN) + " --allow-run-as-root --oversubscribe -np 3 ";
    const fs::path one = fresh_dir("mpi1"), three = fresh_dir("mpi3");
    // Two batches and 2 replicates (the CPU backend's batches: 1,024, 1,024, 2). The first two
    // split unevenly over 3 ranks, and rank 0 folds the first while it simulates its share of
    // the second; it has no share of the third, so it folds the second on its own, then the third.
    const std::uint32_t batch = kaisim::eval::CpuBackend(1).batch_replicates();
    REQUIRE(batch % 3 != 0);
    const std::string mc = " run scenarios/k-ai-2025.yaml --backend cpu --replicates " +
                           std::to_string(2 * batch + 2) + " --replicates-csv --quiet --out ";
    REQUIRE(sh(kaisim_bin + mc + one.string()) == 0);
    REQUIRE(sh(mpirun + kaisim_bin + mc + three.string()) == 0);
    for (const char* f : {"mc_teams.csv", "mc_summary.json", "mc_fields.csv", "replicates.csv"}) {
        INFO(f);
        REQUIRE(slurp(one / f) == slurp(three / f));
    }
    const std::string cmp =
        " compare scenarios/k-ai-2025.yaml --overlay "
        "scenarios/what-if/concentrate-3.yaml --replicates 100 --quiet --out ";
    REQUIRE(sh(kaisim_bin + cmp + one.string()) == 0);
    REQUIRE(sh(mpirun + kaisim_bin + cmp + three.string()) == 0);
    REQUIRE(slurp(one / "compare.csv") == slurp(three / "compare.csv"));
    // Rank 0 failing alone (its --out is a file) ends every rank: an error, not a hang (124).
    const fs::path file = fresh_dir("mpi-file");
    std::ofstream(file) << "not a folder\n";
    const int failed = sh("timeout 60 " + mpirun + kaisim_bin +
                          " run scenarios/k-ai-2025.yaml --replicates 300 --quiet --out " +
                          file.string() + " 2>/dev/null");
    REQUIRE(failed != 0);
    REQUIRE(failed != 124);
    for (const auto& d : {one, three, file}) fs::remove_all(d);
#else
    WARN("kaisim was built without MPI (-DKAISIM_MPI=ON): the MPI Monte Carlo test did not run");
#endif
}
