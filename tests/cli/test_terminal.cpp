// What a user sees in the terminal and what tools read from the files: CSVs without a byte-order
// mark, human units in summaries, a progress line that ends before the results (and none when
// stderr is not a terminal), and --version.
#include <catch2/catch.hpp>

#include "../support/files.hpp"

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using kaisim::test::slurp;

namespace {
const std::string source = KAISIM_SOURCE_DIR;
const std::string kaisim_bin = KAISIM_BINARY;

// Runs a shell command in the source folder; its exit code.
const auto sh = kaisim::test::shell_in_source;

fs::path fresh(const std::string& name) {
    return kaisim::test::fresh_path("term-" + name);
}

bool has_bom(const std::string& text) {
    return text.rfind("\xEF\xBB\xBF", 0) == 0;
}
}  // namespace

TEST_CASE("terminal: every CSV of run, Monte Carlo and compare starts with its header, no BOM") {
    const fs::path run = fresh("run"), mc = fresh("mc"), cmp = fresh("cmp");
    REQUIRE(sh(kaisim_bin + " run scenarios/k-ai-2025.yaml --quiet --out " + run.string()) == 0);
    REQUIRE(sh(kaisim_bin +
               " run scenarios/k-ai-2025.yaml --replicates 40 --replicates-csv --quiet --out " +
               mc.string()) == 0);
    REQUIRE(sh(kaisim_bin + " compare scenarios/k-ai-2025.yaml --overlay " +
               "scenarios/what-if/gpus-follow-scores.yaml --replicates 20 --quiet --out " +
               cmp.string()) == 0);
    int csvs = 0;
    for (const fs::path& d : {run, mc, cmp})
        for (const auto& f : fs::directory_iterator(d)) {
            if (f.path().extension() != ".csv") continue;
            const std::string text = slurp(f.path());
            INFO(f.path().string());
            REQUIRE_FALSE(has_bom(text));
            // The first cell is a plain column name (what Python's csv module and awk see).
            const std::string first = text.substr(0, text.find_first_of(",\n"));
            REQUIRE(!first.empty());
            REQUIRE(first.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789") ==
                    std::string::npos);
            ++csvs;
        }
    REQUIRE(csvs == 8);  // 4 of a run, 3 of a Monte Carlo (with replicates.csv), 1 of compare
    for (const fs::path& d : {run, mc, cmp}) fs::remove_all(d);
}

TEST_CASE("terminal: a Monte Carlo summary prints money and GPU-hours in human units") {
    const fs::path out = fresh("units");
    const fs::path text = out.string() + ".txt", err = out.string() + ".err";
    REQUIRE(sh(kaisim_bin + " run scenarios/k-ai-2025.yaml --replicates 30 --out " + out.string() +
               " > " + text.string() + " 2> " + err.string()) == 0);
    const std::string summary = slurp(text);
    REQUIRE(summary.find("spend_total_krw") != std::string::npos);
    REQUIRE(summary.find(" bn KRW") != std::string::npos);
    REQUIRE(summary.find("e+1") == std::string::npos);  // no 2.85122e+11
    REQUIRE(summary.find("GPU-h") != std::string::npos);
    // stderr is a file here: no progress line, whatever the run's length.
    REQUIRE(slurp(err).find("ETA") == std::string::npos);
    // The files keep full precision.
    REQUIRE(slurp(out / "mc_summary.json").find("\"spend_total_krw\"") != std::string::npos);
    fs::remove_all(out);
    fs::remove(text);
    fs::remove(err);
}

TEST_CASE("terminal: in a terminal the progress line ends before the summary starts") {
    // `script` runs the command under a pseudo-terminal; the run lasts past the two seconds
    // after which progress is shown (on this project's machines).
    const fs::path out = fresh("pty"), log = out.string() + ".log";
    if (sh("command -v script > /dev/null") != 0) {
        WARN("no `script` command: skipped");
        return;
    }
    REQUIRE(sh("script -qec '" + kaisim_bin +
               " run scenarios/k-ai-2025.yaml --replicates 14000 --threads 1 --out " +
               out.string() + "' /dev/null > " + log.string()) == 0);
    const std::string text = slurp(log);
    const std::size_t title = text.find("K-AI sovereign");
    REQUIRE(title != std::string::npos);
    REQUIRE(title > 0);
    REQUIRE(text[title - 1] == '\n');  // on a line of its own, not after "ETA 0 s"
    if (text.find("ETA") == std::string::npos) WARN("the run ended before progress was shown");
    fs::remove_all(out);
    fs::remove(log);
}

TEST_CASE("terminal: --version names the commit, the build and what was built in") {
    const fs::path out = fresh("version");
    REQUIRE(sh(kaisim_bin + " --version > " + out.string()) == 0);
    const std::string v = slurp(out);
    REQUIRE(v.rfind("kaisim ", 0) == 0);
    REQUIRE(v.find("commit ") != std::string::npos);
    REQUIRE(v.find(" build") != std::string::npos);
    REQUIRE(v.find("CUDA scoring: ") != std::string::npos);
    REQUIRE(v.find("MPI ranks: ") != std::string::npos);
    REQUIRE(v.find("SIMD CPU scoring: ") != std::string::npos);
    fs::remove(out);
}
