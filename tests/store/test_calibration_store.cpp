// The calibration database keeps simulations exactly (NaN statistics included), leaves out a
// damaged row rather than trusting it, and refuses to resume another calibration's database.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "kaisim/core/error.hpp"
#include "kaisim/store/calibration_store.hpp"

namespace fs = std::filesystem;
using namespace kaisim;

namespace {
std::string fresh_db(const std::string& name) {
    const std::string path =
        (fs::temp_directory_path() / ("kaisim-cal-" + name + "-" + std::to_string(::getpid())))
            .string();
    for (const char* tail : {"", "-wal", "-shm"}) fs::remove(path + tail);
    return path;
}

void sql(const std::string& path, const std::string& statement) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
}
}  // namespace

TEST_CASE("calibration store: simulations come back bit for bit, damaged rows are left out") {
    const std::string path = fresh_db("roundtrip");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    {
        io::CalibrationStore s(path, "def-1", false);
        s.write({{7, {0.25, 1.0 / 3}, {1.5, nan, -0.0, 1e-300}}, {17, {0.5, 0.5}, {2, 3, 4, 5}}});
        s.write({{17, {0.5, 0.75}, {9, 9, 9, 9}}});  // replaces key 17
    }
    REQUIRE_THROWS_AS(io::CalibrationStore(path, "def-1", false), InputError);  // no --resume
    REQUIRE_THROWS_AS(io::CalibrationStore(path, "def-2", true), InputError);   // other definition
    {
        io::CalibrationStore s(path, "def-1", true);
        auto sims = s.load();
        REQUIRE(sims.size() == 2);
        if (sims[0].first != 7) std::swap(sims[0], sims[1]);
        REQUIRE(sims[0].u == std::vector<double>{0.25, 1.0 / 3});
        REQUIRE(sims[0].statistics[0] == 1.5);
        REQUIRE(std::isnan(sims[0].statistics[1]));
        REQUIRE(std::signbit(sims[0].statistics[2]));
        REQUIRE(sims[0].statistics[3] == 1e-300);
        REQUIRE(sims[1].u == std::vector<double>{0.5, 0.75});
        REQUIRE(sims[1].statistics == std::vector<double>{9, 9, 9, 9});
    }
    // A blob cut short, a text where a blob belongs, a point outside the unit cube: left out.
    sql(path, "UPDATE simulations SET statistics = substr(statistics, 1, 5) WHERE first = 7");
    sql(path, "INSERT INTO simulations VALUES (20, 'text', x'0000000000000000')");
    sql(path,
        "INSERT INTO simulations VALUES (21, x'000000000000F03F000000000000F03F', "
        "x'0000000000000000')");  // u = (1, 1): inside
    sql(path,
        "INSERT INTO simulations VALUES (22, x'0000000000000040', x'0000000000000000')");  // u = 2
    {
        io::CalibrationStore s(path, "def-1", true);
        std::vector<std::uint32_t> keys;
        for (const auto& sim : s.load()) keys.push_back(sim.first);
        std::sort(keys.begin(), keys.end());
        REQUIRE(keys == std::vector<std::uint32_t>{17, 21});
    }
    // A table of another shape is refused.
    sql(path, "DROP TABLE simulations");
    sql(path, "CREATE TABLE simulations(first INTEGER PRIMARY KEY, u TEXT)");
    REQUIRE_THROWS_WITH(io::CalibrationStore(path, "def-1", true),
                        Catch::Contains("cannot be resumed safely"));
    for (const char* tail : {"", "-wal", "-shm"}) fs::remove(path + tail);
}
