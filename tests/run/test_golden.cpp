// Golden files: the reference scenario at seed 1, run by the `kaisim` command, must reproduce
// tests/golden/k-ai-2025-seed1/ byte for byte. After an intended change, regenerate them with
// scripts/regen-golden.sh and review the diff.
#include <catch2/catch.hpp>

#include "../support/files.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using kaisim::test::slurp;

namespace {}  // namespace

TEST_CASE("golden: the reference scenario at seed 1 reproduces the stored outputs") {
    const fs::path golden = fs::path(KAISIM_SOURCE_DIR) / "tests/golden/k-ai-2025-seed1";
    const fs::path out =
        fs::temp_directory_path() / ("kaisim-golden-" + std::to_string(::getpid()));
    fs::remove_all(out);
    const std::string cmd = std::string("cd '") + KAISIM_SOURCE_DIR + "' && " + KAISIM_BINARY +
                            " run scenarios/k-ai-2025.yaml --seed 1 --quiet --out " + out.string();
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    for (const char* f :
         {"summary.json", "teams.csv", "stages.csv", "timeline.csv", "consortia.csv"}) {
        INFO(f << " differs from the golden file: run scripts/regen-golden.sh if the change is "
                  "intended");
        REQUIRE(fs::exists(golden / f));
        REQUIRE(slurp(out / f) == slurp(golden / f));
    }
    fs::remove_all(out);
}
