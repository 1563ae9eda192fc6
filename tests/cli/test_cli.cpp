// End-to-end tests of the `kaisim` command: exit codes, files written, determinism.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {
const std::string source = KAISIM_SOURCE_DIR;
const std::string kaisim = KAISIM_BINARY;
const char* outputs[] = {"summary.json", "teams.csv", "stages.csv", "timeline.csv"};

// Runs a shell command in the source folder; returns its exit code.
int sh(const std::string& cmd) {
    const int status = std::system(("cd '" + source + "' && " + cmd).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path fresh_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("kaisim-cli-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    return d;
}
}  // namespace

TEST_CASE("cli: run writes the four outputs, byte-identical for the same seed") {
    const fs::path a = fresh_dir("a"), b = fresh_dir("b"), c = fresh_dir("c");
    REQUIRE(sh(kaisim + " run scenarios/k-ai-2025.yaml --seed 1 --quiet --out " + a.string()) == 0);
    REQUIRE(sh(kaisim + " run scenarios/k-ai-2025.yaml --seed 1 --quiet --out " + b.string()) == 0);
    REQUIRE(sh(kaisim + " run scenarios/k-ai-2025.yaml --seed 2 --quiet --out " + c.string()) == 0);
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
    const fs::path err = fs::temp_directory_path() / ("kaisim-cli-err-" + std::to_string(::getpid()));
    const int code = sh(kaisim + " run tests/inputs/invalid/11-keep-exceeds-eligible.yaml --out " +
                        out.string() + " 2> " + err.string());
    REQUIRE(code == 2);
    REQUIRE(slurp(err).rfind("tests/inputs/invalid/11-keep-exceeds-eligible.yaml:15:", 0) == 0);
    REQUIRE(slurp(err).find(": error: ") != std::string::npos);
    REQUIRE_FALSE(fs::exists(out));
    fs::remove(err);
}

TEST_CASE("cli: exit codes for validate, unknown options and a bad --set") {
    REQUIRE(sh(kaisim + " validate scenarios/k-ai-2025.yaml > /dev/null") == 0);
    REQUIRE(sh(kaisim + " validate tests/inputs/invalid/01-syntax.yaml 2> /dev/null") == 2);
    REQUIRE(sh(kaisim + " run scenarios/k-ai-2025.yaml --no-such-flag 2> /dev/null") == 2);
    REQUIRE(sh(kaisim + " validate scenarios/k-ai-2025.yaml --set 'stages[9].cut.keep=1' 2> /dev/null") == 2);
    REQUIRE(sh(kaisim + " --version > /dev/null") == 0);
}
