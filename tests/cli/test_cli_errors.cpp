// Exit codes and messages of the command on hostile input (issue 11).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
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
