// Exit codes and messages of the command on hostile input (issue 11).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "../support/files.hpp"

namespace fs = std::filesystem;

namespace {
const std::string source = KAISIM_SOURCE_DIR;
const std::string kaisim_bin = KAISIM_BINARY;

struct Outcome {
    int code = -1;      ///< exit code, or -signal when killed
    std::string error;  ///< what it printed on stderr
};

Outcome run(const std::string& args, const std::string& prefix = "") {
    const fs::path err =
        fs::temp_directory_path() / ("kaisim-clierr-" + std::to_string(::getpid()) + ".txt");
    const int status = std::system(("cd '" + source + "' && " + prefix + kaisim_bin + " " + args +
                                    " >/dev/null 2>'" + err.string() + "'")
                                       .c_str());
    Outcome o;
    o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.error = kaisim::test::slurp(err);
    return o;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool under_asan = true;  // ASan reserves terabytes of address space: no ulimit -v
#else
constexpr bool under_asan = false;
#endif
}  // namespace

TEST_CASE("cli errors: a mistyped command names the nearest one and exits 2") {
    const Outcome o = run("rnu scenarios/k-ai-2025.yaml");
    REQUIRE(o.code == 2);
    REQUIRE(o.error.find("unknown command 'rnu' (did you mean 'run'?)") != std::string::npos);
}

TEST_CASE("cli errors: bad --set paths and values exit 2 naming the --set") {
    const fs::path out = fs::temp_directory_path() / "kaisim-clierr-out";
    for (const char* set :
         {"teams[nosuch].skill=2", "programme.nosuch=3",
          "stages[99999999999999999999999].cut.keep=3", "pool[0].lease_krw_per_gpu_h=1e19"}) {
        INFO(set);
        for (const char* cmd : {"run", "compare"}) {
            const Outcome o =
                run(std::string(cmd) + " scenarios/k-ai-2025.yaml --replicates 4 " +
                    "--threads 2 --quiet --out " + out.string() + " --set '" + set + "'");
            REQUIRE(o.code == 2);
            REQUIRE(o.error.rfind(std::string("--set ") + set + ":1:", 0) == 0);
        }
    }
}

TEST_CASE("cli errors: more threads than the memory limit allows still runs (or fails cleanly)") {
    if (under_asan) return;  // ulimit -v would stop the sanitizer itself
    const fs::path out = fs::temp_directory_path() / "kaisim-clierr-threads";
    const Outcome o =
        run("run scenarios/k-ai-2025.yaml --threads 1024 --replicates 50 --quiet "
            "--out " +
                out.string(),
            "ulimit -v 6000000; ");
    INFO(o.error);
    REQUIRE((o.code == 0 || o.code == 1));  // never an abort (134)
    fs::remove_all(out);
}

TEST_CASE("cli errors: an empty --given or --posterior are refused (issue 32)") {
    const fs::path out = fs::temp_directory_path() / "kaisim-clierr-empty";
    const std::string mc = " scenarios/k-ai-2025.yaml --replicates 8 --quiet --out " + out.string();
    for (const auto& [args, fragment] :
         {std::pair<std::string, std::string>{"run" + mc + " --given ''", "--given needs"},
          {"run" + mc + " --posterior ''", "--posterior needs"}}) {
        INFO(args);
        const Outcome o = run(args);
        INFO(o.error);
        REQUIRE(o.code == 2);
        REQUIRE(o.error.find(fragment) != std::string::npos);
        REQUIRE_FALSE(fs::exists(out));  // a refusal writes nothing
    }
}

TEST_CASE("cli errors: control characters from the input are escaped on the terminal (issue 32)") {
    const fs::path file = kaisim::test::fresh_path("clierr-esc");
    std::ofstream(file) << "programme: {name: x, start: 2025-01-01, end: 2025-12-31}\n"
                           "bad\x1b[31mkey: 1\n";
    for (const std::string& args : {"validate " + file.string(), std::string("rnu\x1b[2J x")}) {
        const Outcome o =
            run("'" + args.substr(0, args.find(' ')) + "'" + args.substr(args.find(' ')));
        INFO(o.error);
        REQUIRE(o.code == 2);
        REQUIRE(o.error.find('\x1b') == std::string::npos);
        REQUIRE(o.error.find("\\x1b") != std::string::npos);
    }
    fs::remove(file);
}

TEST_CASE("cli errors: a study parameter whose value cannot go where its path points (issue 32)") {
    // A number on a text field was written into calibrated.yaml and pareto-*.yaml as the name;
    // a uniform lever on a whole-number field made every candidate fail and the search exit 0.
    const fs::path dir = kaisim::test::fresh_path("clierr-kinds");
    fs::create_directories(dir);
    const std::string panel = source + "/tests/inputs/two-teams-panel.yaml";
    const std::string name = R"(path: "programme.name", dist: uniform, low: 1, high: 2})";
    const std::string keep = R"(path: "stages[panel].cut.keep", dist: uniform, low: 1, high: 2})";
    struct Case {
        std::string command, file, text, fragment;
    };
    const std::vector<Case> cases{
        {"sweep", "sweep.yaml",
         "sweep: {name: s, scenario: " + panel + "}\nparameters:\n  - {name: n, " + name +
             "\ndesign: {type: random, samples: 2, seed: 1}\nreplicates: 2\n"
             "metrics: [spend_total_krw]\n",
         "takes text"},
        {"optimise", "search.yaml",
         "search: {name: s, scenario: " + panel + "}\nlevers:\n  - {name: n, " + name +
             "\nobjectives:\n  - {metric: spend_total_krw, direction: minimise}\n"
             "  - {metric: mean_finalist_ability, direction: maximise}\n"
             "algorithm: {name: nsga2, population: 8, generations: 1, seed: 1}\nreplicates: 2\n",
         "takes text"},
        {"optimise", "search.yaml",
         "search: {name: s, scenario: " + panel + "}\nlevers:\n  - {name: k, " + keep +
             "\nobjectives:\n  - {metric: spend_total_krw, direction: minimise}\n"
             "  - {metric: mean_finalist_ability, direction: maximise}\n"
             "algorithm: {name: nsga2, population: 8, generations: 1, seed: 1}\nreplicates: 2\n",
         "takes whole numbers"},
        {"calibrate", "calibration.yaml",
         "calibration: {name: c, scenario: " + panel + "}\nparameters:\n  - {name: n, " + name +
             "\nobservations:\n  - {name: best, statistic: best, stage: panel, value: 50}\n"
             "abc: {particles: 10, replicates: 2, generations: 1, seed: 1}\n",
         "takes text"}};
    for (const Case& c : cases) {
        INFO(c.text);
        const fs::path file = dir / c.file;
        std::ofstream(file) << c.text;
        const Outcome o =
            run(c.command + " " + file.string() + " --quiet --out " + (dir / "out").string());
        INFO(o.error);
        REQUIRE(o.code == 2);
        // At the parameter's path in the study file, not at a --set the user never typed.
        REQUIRE(o.error.rfind(file.string() + ":3:", 0) == 0);
        REQUIRE(o.error.find(c.fragment) != std::string::npos);
        REQUIRE_FALSE(fs::exists(dir / "out"));
    }
    fs::remove_all(dir);
}

TEST_CASE("cli errors: run --posterior loads only the particles drawn, each distinct one once") {
    // Issue 32: a posterior of 10^6 rows ran past 300 s at 6.5 GB (every particle loaded).
    const fs::path dir = kaisim::test::fresh_path("clierr-posterior");
    fs::create_directories(dir);
    const std::string set = "stages[stage1].components[experts].reference_offset=-3";
    kaisim::test::write_posterior(dir / "many.csv", 1000000, "");
    kaisim::test::write_posterior(dir / "same.csv", 1000, set);
    kaisim::test::write_posterior(dir / "one.csv", 1, set);
    const std::string mc = "run scenarios/k-ai-2025.yaml --replicates 20 --threads 2 --quiet";
    REQUIRE(run(mc + " --posterior " + (dir / "many.csv").string() + " --out " +
                (dir / "many").string())
                .code == 0);
    // 1,000 particles of the same values give what one does.
    for (const char* p : {"same", "one"})
        REQUIRE(run(mc + " --posterior " + (dir / (std::string(p) + ".csv")).string() + " --out " +
                    (dir / p).string())
                    .code == 0);
    REQUIRE(kaisim::test::slurp(dir / "same" / "mc_teams.csv") ==
            kaisim::test::slurp(dir / "one" / "mc_teams.csv"));
    REQUIRE(kaisim::test::slurp(dir / "many" / "mc_teams.csv") !=
            kaisim::test::slurp(dir / "one" / "mc_teams.csv"));
    fs::remove_all(dir);
}

TEST_CASE("cli errors: what a failed command leaves in --out (issue 32)") {
    const fs::path dir = kaisim::test::fresh_path("clierr-out");
    fs::create_directories(dir);
    const std::string mc = "run scenarios/k-ai-2025.yaml --replicates 8 --threads 2 --quiet";
    // A symbolic link to nothing, a store that is a folder: named, not "File exists".
    fs::create_symlink(dir / "nowhere", dir / "dangling");
    Outcome o = run(mc + " --out " + (dir / "dangling").string());
    CHECK(o.code == 1);
    CHECK(o.error.find("is a symbolic link to") != std::string::npos);
    fs::create_directories(dir / "sweep" / "sweep.db");
    o = run("sweep tests/inputs/sweep-small.yaml --quiet --out " + (dir / "sweep").string());
    CHECK(o.code == 1);
    CHECK(o.error.find("sweep.db: it is a folder, not a store") != std::string::npos);
    // A refusal (a particle the scenario refuses) leaves no --out folder behind.
    std::ofstream(dir / "refused.csv") << "weight,sets\n1,data.nosuch=3\n";
    o = run(mc + " --posterior " + (dir / "refused.csv").string() + " --out " +
            (dir / "new" / "out").string());
    CHECK(o.code == 2);
    CHECK_FALSE(fs::exists(dir / "new"));
    // A report that cannot be written: the run's own outputs stand, complete, and the message
    // says so instead of claiming the earlier outputs were kept.
    fs::create_directories(dir / "rep" / "report.html");
    o = run(mc + " --report --out " + (dir / "rep").string());
    CHECK(o.code == 1);
    CHECK(o.error.find("report.html") != std::string::npos);
    CHECK(o.error.find("the folder's outputs are as they were, without it") != std::string::npos);
    CHECK(fs::exists(dir / "rep" / "mc_teams.csv"));
    fs::remove_all(dir);
}
