// Sweeps end to end: a kill at any moment loses at most the chunk in flight, a resumed sweep
// gives the same database content, and MPI ranks give the same results as one process.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "../support/files.hpp"

namespace fs = std::filesystem;
using kaisim::test::slurp;

extern char** environ;

namespace {
const std::string source = KAISIM_SOURCE_DIR;
const std::string kaisim_bin = KAISIM_BINARY;
const std::string small = source + "/tests/inputs/sweep-small.yaml";

fs::path fresh(const std::string& name) {
    const fs::path d =
        fs::temp_directory_path() / ("kaisim-sweep-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    return d;
}

int sh(const std::string& cmd) {
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Points committed in a sweep database (0 while it does not exist yet).
int stored_points(const fs::path& db) {
    if (!fs::exists(db)) return 0;
    sqlite3* h = nullptr;
    int n = 0;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(h, 1000);
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(h, "SELECT count(*) FROM points", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return n;
}
}  // namespace

TEST_CASE(
    "sweep: killed with SIGKILL halfway and resumed, it stores what an uninterrupted run does") {
    const fs::path whole = fresh("whole"), killed = fresh("killed");
    REQUIRE(sh(kaisim_bin + " sweep " + small + " --quiet --threads 2 --out " + whole.string()) ==
            0);
    REQUIRE(stored_points(whole / "sweep.db") == 64);

    const std::string out = killed.string();
    std::vector<std::string> args{kaisim_bin,  "sweep", small,   "--quiet",
                                  "--threads", "2",     "--out", out};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, kaisim_bin.c_str(), nullptr, nullptr, argv.data(), environ) == 0);
    // Kill it as soon as a few chunks are committed, wherever it is in the next one.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (stored_points(killed / "sweep.db") < 6 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    const int before = stored_points(killed / "sweep.db");
    INFO(before << " points were stored when it was killed");
    REQUIRE(before >= 6);
    REQUIRE(before < 64);
    REQUIRE_FALSE(fs::exists(killed / "sweep.csv"));  // nothing half-written under a final name

    const fs::path log = killed / "resume.txt";
    REQUIRE(sh(kaisim_bin + " sweep " + small + " --resume --threads 2 --out " + out + " > " +
               log.string() + " 2>/dev/null") == 0);
    REQUIRE(slurp(log).find(std::to_string(64 - before) + " evaluated now, " +
                            std::to_string(before) + " already stored") != std::string::npos);
    REQUIRE(slurp(killed / "sweep.csv") == slurp(whole / "sweep.csv"));
    REQUIRE(slurp(killed / "sensitivity.csv") == slurp(whole / "sensitivity.csv"));
    // Without --resume an existing database is refused (exit 2), and left as it is.
    REQUIRE(sh(kaisim_bin + " sweep " + small + " --quiet --out " + out + " 2>/dev/null") == 2);
    fs::remove_all(whole);
    fs::remove_all(killed);
}

TEST_CASE("sweep: two MPI ranks give the same exported results as one process") {
#ifdef KAISIM_TEST_MPIRUN
    const fs::path one = fresh("one"), two = fresh("two");
    REQUIRE(sh(kaisim_bin + " sweep " + small + " --quiet --out " + one.string()) == 0);
    REQUIRE(sh(std::string(KAISIM_TEST_MPIRUN) + " --allow-run-as-root --oversubscribe -np 2 " +
               kaisim_bin + " sweep " + small + " --quiet --out " + two.string()) == 0);
    REQUIRE(slurp(two / "sweep.csv") == slurp(one / "sweep.csv"));
    REQUIRE(slurp(two / "sensitivity.csv") == slurp(one / "sensitivity.csv"));
    fs::remove_all(one);
    fs::remove_all(two);
#else
    WARN("kaisim was built without MPI (-DKAISIM_MPI=ON): the MPI sweep test did not run");
#endif
}

TEST_CASE("sweep: the analytic Ishigami sweep reproduces the known indices end to end") {
    const fs::path out = fresh("ishigami");
    REQUIRE(sh(kaisim_bin + " sweep " + source + "/scenarios/sweeps/ishigami.yaml --quiet --out " +
               out.string()) == 0);
    const std::string csv = slurp(out / "sensitivity.csv");
    // S1 of x2 = 0.4424 and ST of x3 = 0.2437 (within 0.05), read from the written table.
    auto value = [&](const std::string& row) {
        const auto at = csv.find(row);
        REQUIRE(at != std::string::npos);
        return std::stod(csv.substr(at + row.size()));
    };
    REQUIRE(std::abs(value("y,x2,sobol,S1,") - 0.4424) < 0.05);
    REQUIRE(std::abs(value("y,x3,sobol,ST,") - 0.2437) < 0.05);
    fs::remove_all(out);
}

TEST_CASE(
    "sweep: a resume after point_metrics rows were deleted evaluates exactly those points "
    "and exports what an undamaged run does") {
    const fs::path whole = fresh("undamaged"), damaged = fresh("damaged");
    REQUIRE(sh(kaisim_bin + " sweep " + small + " --quiet --threads 2 --out " + whole.string()) ==
            0);
    fs::create_directories(damaged);
    fs::copy_file(whole / "sweep.db", damaged / "sweep.db");
    const auto sql = [&](const std::string& statement) {
        sqlite3* h = nullptr;
        REQUIRE(sqlite3_open((damaged / "sweep.db").c_str(), &h) == SQLITE_OK);
        const int rc = sqlite3_exec(h, statement.c_str(), nullptr, nullptr, nullptr);
        sqlite3_close(h);
        REQUIRE(rc == SQLITE_OK);
    };
    // One metric row of point 5, every metric row of points 17 and 40: 3 damaged points.
    sql("DELETE FROM point_metrics WHERE (point = 5 AND metric = 'spend_total_krw') OR point IN "
        "(17, 40)");
    const std::string out = damaged.string();
    const fs::path log = damaged / "resume.txt";
    REQUIRE(sh(kaisim_bin + " sweep " + small + " --resume --threads 2 --out " + out + " > " +
               log.string() + " 2>/dev/null") == 0);
    REQUIRE(slurp(log).find("64 points, 3 evaluated now, 61 already stored") != std::string::npos);
    REQUIRE(slurp(damaged / "sweep.csv") == slurp(whole / "sweep.csv"));
    REQUIRE(slurp(damaged / "sensitivity.csv") == slurp(whole / "sensitivity.csv"));

    // A dropped meta table is refused (exit 2), naming the file and the way on, and exports
    // nothing new.
    sql("DROP TABLE meta");
    fs::remove(damaged / "sweep.csv");
    const fs::path err = damaged / "refused.txt";
    REQUIRE(sh(kaisim_bin + " sweep " + small + " --resume --quiet --out " + out + " 2> " +
               err.string()) == 2);
    REQUIRE(slurp(err).find("sweep.db:1:1: error: it lacks the table 'meta'") != std::string::npos);
    REQUIRE(slurp(err).find("start afresh without --resume, or run into another --out") !=
            std::string::npos);
    REQUIRE_FALSE(fs::exists(damaged / "sweep.csv"));
    fs::remove_all(whole);
    fs::remove_all(damaged);
}
