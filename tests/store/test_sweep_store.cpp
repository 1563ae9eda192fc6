// The sweep database never resumes into holes: damaged with raw SQL or garbage bytes, it either
// evaluates the incomplete points again or refuses to resume, and its exports never leave a cell
// empty.
#include <catch2/catch.hpp>

#include "../support/sweeps.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "kaisim/core/error.hpp"
#include "kaisim/store/sweep_store.hpp"
#include "kaisim/study/sweep_runner.hpp"

namespace fs = std::filesystem;
using namespace kaisim;

namespace {
const std::vector<std::string> params{"a", "b"};
const std::vector<std::string> metrics{"y", "z"};
constexpr std::uint32_t points = 6;
const std::string definition = "definition-1";

// A database path of its own, with no file (nor WAL) left from an earlier run, removed after.
struct TempDb {
    explicit TempDb(const std::string& name)
        : path((fs::temp_directory_path() /
                ("kaisim-store-" + name + "-" + std::to_string(::getpid())))
                   .string()) {
        remove();
    }
    ~TempDb() { remove(); }
    TempDb(const TempDb&) = delete;
    TempDb& operator=(const TempDb&) = delete;
    void remove() const {
        for (const char* tail : {"", "-wal", "-shm"}) fs::remove(path + tail);
    }
    const std::string path;
};

study::StoredPoint point(std::uint32_t id) {
    study::StoredPoint p;
    p.id = id;
    p.u = {id / 8.0, 0.5};
    p.values = {std::to_string(id * 10), "x,y"};  // a value that CSV must quote
    p.metrics = {id * 1.25, 3.0 - id};            // whole numbers too (REAL stored as integer)
    return p;
}

std::vector<study::StoredPoint> chunk(std::uint32_t first, std::uint32_t last) {
    std::vector<study::StoredPoint> c;
    for (std::uint32_t id = first; id < last; ++id) c.push_back(point(id));
    return c;
}

// A complete store of 6 points written in two chunks; returns its export.
std::string build(const std::string& path) {
    io::SweepStore s(path, definition, false);
    s.prepare(params, metrics, points);
    s.write_chunk(params, metrics, chunk(0, 3));
    s.write_chunk(params, metrics, chunk(3, points));
    return s.export_csv(params, metrics);
}

// Damages the closed database with raw SQL, as a user or a broken tool would.
void sql(const std::string& path, const std::string& statement) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &err);
    const std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    INFO(statement << ": " << msg);
    REQUIRE(rc == SQLITE_OK);
}

int count(const std::string& path, const std::string& query) {
    sqlite3* db = nullptr;
    sqlite3_stmt* st = nullptr;
    int n = -1;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

// Overwrites `n` bytes of the file at `offset` with garbage.
void garbage(const std::string& path, std::streamoff offset, std::size_t n) {
    REQUIRE_FALSE(fs::exists(path + "-wal"));  // everything is in the main file
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f);
    f.seekp(offset);
    const std::string junk(n, '\xA7');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

// The message of the InputError that resuming `path` throws ("" when none is thrown).
std::string refusal(const std::string& path, const std::string& def = definition) {
    try {
        io::SweepStore s(path, def, true);
        s.prepare(params, metrics, points);
    } catch (const InputError& e) {
        REQUIRE(e.file() == path);
        return e.message();
    }
    return "";
}

const std::string how = "delete it and start afresh without --resume, or run into another --out";
}  // namespace

TEST_CASE("sweep store: an intact database resumes with every point stored and exports them all") {
    const TempDb db("intact");
    const std::string& path = db.path;
    const std::string csv = build(path);
    REQUIRE(csv.rfind("point,a,b,y,z\n0,0,\"x,y\",0,3\n1,10,\"x,y\",1.25,2\n", 0) == 0);
    io::SweepStore s(path, definition, true);
    s.prepare(params, metrics, points);
    REQUIRE(s.stored_points() == std::set<std::uint32_t>{0, 1, 2, 3, 4, 5});
    REQUIRE(s.export_csv(params, metrics) == csv);
    REQUIRE(s.metric_values("z").at(5) == -2.0);
    REQUIRE(s.metric_values("z").size() == points);
}

TEST_CASE("sweep store: a point with a deleted metric row is evaluated again on resume") {
    const TempDb db("metric-row");
    const std::string& path = db.path;
    const std::string csv = build(path);
    sql(path, "DELETE FROM point_metrics WHERE point = 2 AND metric = 'z'");
    io::SweepStore s(path, definition, true);
    s.prepare(params, metrics, points);
    REQUIRE(s.stored_points() == std::set<std::uint32_t>{0, 1, 3, 4, 5});
    // Until it is, nothing is exported or analysed from the table: no empty cell, no short list.
    REQUIRE_THROWS_WITH(
        s.export_csv(params, metrics),
        Catch::Contains("1 of the sweep's 6 points are missing or incomplete (2)") &&
            Catch::Contains("--resume"));
    REQUIRE_THROWS_WITH(s.metric_values("z"), Catch::Contains("missing or incomplete (2)"));
    REQUIRE_THROWS_WITH(s.metric_values("y"), Catch::Contains("missing or incomplete (2)"));
    s.write_chunk(params, metrics, {point(2)});
    REQUIRE(s.stored_points().size() == points);
    REQUIRE(s.export_csv(params, metrics) == csv);
    REQUIRE(count(path, "SELECT count(*) FROM point_metrics WHERE point = 2") == 2);
}

TEST_CASE(
    "sweep store: a point whose parameter rows or points row were deleted is evaluated again") {
    const TempDb db("param-row");
    const std::string& path = db.path;
    const std::string csv = build(path);
    sql(path, "DELETE FROM point_params WHERE point = 1 AND name = 'b'");
    sql(path, "DELETE FROM points WHERE id = 4");  // its parameter and metric rows stay behind
    io::SweepStore s(path, definition, true);
    s.prepare(params, metrics, points);
    REQUIRE(s.stored_points() == std::set<std::uint32_t>{0, 2, 3, 5});
    REQUIRE_THROWS_WITH(
        s.export_csv(params, metrics),
        Catch::Contains("2 of the sweep's 6 points are missing or incomplete (1, 4)"));
    // Rewriting replaces whatever rows the points had left, in the same transaction.
    s.write_chunk(params, metrics, {point(1), point(4)});
    REQUIRE(s.export_csv(params, metrics) == csv);
    REQUIRE(count(path, "SELECT count(*) FROM point_params") == 2 * points);
    REQUIRE(count(path, "SELECT count(*) FROM point_metrics") == 2 * points);
}

TEST_CASE(
    "sweep store: a metric value made NULL, text or infinite, a coordinate made text, or a row of "
    "an unknown metric, makes its point incomplete") {
    const TempDb db("bad-values");
    const std::string& path = db.path;
    const std::string csv = build(path);
    sql(path, "UPDATE point_metrics SET value = NULL WHERE point = 0 AND metric = 'y'");
    sql(path, "UPDATE point_metrics SET value = 'abc' WHERE point = 1 AND metric = 'z'");
    sql(path, "UPDATE point_metrics SET value = 1e999 WHERE point = 2 AND metric = 'z'");
    sql(path, "INSERT INTO point_metrics VALUES(3, 'w', 1.0)");
    sql(path, "UPDATE point_params SET u = 'half' WHERE point = 5 AND name = 'a'");
    io::SweepStore s(path, definition, true);
    s.prepare(params, metrics, points);
    REQUIRE(s.stored_points() == std::set<std::uint32_t>{4});
    s.write_chunk(params, metrics, {point(0), point(1), point(2), point(3), point(5)});
    REQUIRE(s.export_csv(params, metrics) == csv);
    REQUIRE(count(path, "SELECT count(*) FROM point_metrics WHERE metric = 'w'") == 0);
}

TEST_CASE(
    "sweep store: a dropped meta table is refused on resume, naming the file and the way on") {
    const TempDb db("no-meta");
    const std::string& path = db.path;
    build(path);
    sql(path, "DROP TABLE meta");
    const std::string msg = refusal(path);
    REQUIRE_THAT(msg, Catch::Contains("it lacks the table 'meta'") && Catch::Contains(how));
}

TEST_CASE("sweep store: a deleted definition row is refused on resume, not skipped") {
    const TempDb db("no-definition");
    const std::string& path = db.path;
    build(path);
    sql(path, "DELETE FROM meta WHERE key = 'definition'");
    REQUIRE_THAT(refusal(path),
                 Catch::Contains("does not record the sweep's definition") && Catch::Contains(how));
}

TEST_CASE("sweep store: a database of another definition is refused on resume") {
    const TempDb db("other-definition");
    const std::string& path = db.path;
    build(path);
    REQUIRE_THAT(refusal(path, "definition-2"),
                 Catch::Contains("holds a sweep of another definition"));
}

TEST_CASE("sweep store: a dropped or altered table is refused on resume") {
    const TempDb db("tables");
    const std::string& path = db.path;
    build(path);
    SECTION("a dropped table") {
        sql(path, "DROP TABLE point_metrics");
        REQUIRE_THAT(refusal(path),
                     Catch::Contains("it lacks the table 'point_metrics'") && Catch::Contains(how));
    }
    SECTION("a renamed column") {
        sql(path, "ALTER TABLE point_metrics RENAME COLUMN value TO v");
        REQUIRE_THAT(refusal(path), Catch::Contains("its table 'point_metrics' has the columns "
                                                    "(point INTEGER NOT NULL (key 1), metric TEXT "
                                                    "NOT NULL (key 2), v REAL) where this kaisim "
                                                    "creates") &&
                                        Catch::Contains(how));
    }
    SECTION("an added column") {
        sql(path, "ALTER TABLE point_params ADD COLUMN note TEXT");
        REQUIRE_THAT(refusal(path), Catch::Contains("its table 'point_params' has the columns"));
    }
    SECTION("a table replaced by a view") {
        sql(path,
            "DROP TABLE points; CREATE VIEW points AS SELECT DISTINCT point AS id FROM "
            "point_metrics");
        REQUIRE_THAT(refusal(path), Catch::Contains("it lacks the table 'points'"));
    }
}

TEST_CASE("sweep store: a deleted or changed layout is refused on resume") {
    const TempDb db("layout");
    const std::string& path = db.path;
    build(path);
    SECTION("the layout row deleted beside stored points") {
        sql(path, "DELETE FROM meta WHERE key = 'layout'");
        REQUIRE_THAT(refusal(path), Catch::Contains("it holds points but its meta table does not "
                                                    "record their layout") &&
                                        Catch::Contains(how));
    }
    SECTION("another metric list recorded") {
        sql(path, "UPDATE meta SET value = replace(value, '\"z\"', '\"w\"') WHERE key = 'layout'");
        REQUIRE_THAT(refusal(path), Catch::Contains("it records the layout") &&
                                        Catch::Contains("\"w\"") && Catch::Contains(how));
    }
    SECTION("a sweep resumed with another metric list") {
        io::SweepStore s(path, definition, true);
        REQUIRE_THROWS_AS(s.prepare(params, {"y"}, points), InputError);
    }
    SECTION("a point listed outside the design") {
        sql(path, "INSERT INTO points VALUES(99)");
        REQUIRE_THAT(
            refusal(path),
            Catch::Contains("it lists 1 points outside the sweep's design of 6 (point 99)"));
    }
}

TEST_CASE("sweep store: a file with garbage bytes is refused, with or without resume") {
    const TempDb db("garbage");
    const std::string& path = db.path;
    build(path);
    SECTION("garbage over the header") {
        garbage(path, 0, 100);
        REQUIRE_THAT(refusal(path),
                     Catch::Contains("this file is not a SQLite database") && Catch::Contains(how));
        REQUIRE_THROWS_WITH(io::SweepStore(path, definition, false),
                            Catch::Contains("not a SQLite database") &&
                                Catch::Contains("delete it, or choose another --out"));
    }
    SECTION("garbage over the pages that hold the points") {
        const auto size = static_cast<std::streamoff>(fs::file_size(path));
        REQUIRE(size >= 4 * 4096);
        garbage(path, 4096 + 16, static_cast<std::size_t>(size - 4096 - 16));
        REQUIRE_THAT(refusal(path),
                     Catch::Contains("cannot be resumed safely") && Catch::Contains(how));
    }
    // Nothing was changed by the refusals: the bytes stay as the user left them.
    REQUIRE_FALSE(fs::exists(path + "-wal"));
}

TEST_CASE("sweep store: without resume an existing database is refused and left as it is") {
    const TempDb db("no-resume");
    const std::string& path = db.path;
    const std::string csv = build(path);
    REQUIRE_THROWS_WITH(io::SweepStore(path, definition, false),
                        Catch::Contains("already holds a sweep: add --resume"));
    io::SweepStore s(path, definition, true);
    s.prepare(params, metrics, points);
    REQUIRE(s.export_csv(params, metrics) == csv);
}

TEST_CASE("sweep store: a non-finite metric value is refused, naming the point and the metric") {
    const TempDb db("nan");
    const std::string& path = db.path;
    io::SweepStore s(path, definition, false);
    s.prepare(params, metrics, points);
    std::vector<study::StoredPoint> c = chunk(0, 3);
    c[1].metrics[1] = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_WITH(s.write_chunk(params, metrics, c),
                        Catch::Contains("sweep point 1 (a=10, b=x,y): metric 'z' is nan") &&
                            Catch::Contains("finite values only"));
    c[1].metrics[1] = -std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_WITH(s.write_chunk(params, metrics, c), Catch::Contains("metric 'z' is -inf"));
    REQUIRE(s.stored_points().empty());  // nothing of the refused chunk was written
}

TEST_CASE("sweep store: a memory store refuses non-finite values and never returns fewer values") {
    study::MemoryPointStore s;
    s.prepare(params, metrics, points);
    s.write_chunk(params, metrics, chunk(0, 4));
    REQUIRE_THROWS_WITH(s.metric_values("y"), Catch::Contains("holds 4 of the sweep's 6 points"));
    std::vector<study::StoredPoint> c = chunk(4, points);
    c[0].metrics[0] = std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_WITH(s.write_chunk(params, metrics, c), Catch::Contains("metric 'y' is inf"));
    s.write_chunk(params, metrics, chunk(4, points));
    REQUIRE(s.metric_values("y").size() == points);
}

namespace {
// An Ishigami sweep of 4 x 5 Saltelli points, in memory.
study::SweepSpec ishigami() {
    study::SweepSpec spec = test::ishigami_sweep(4, 20);
    spec.chunk = 3;
    return spec;
}

const study::ScenarioSource no_scenario = [](const std::vector<std::string>&) -> model::Scenario {
    FAIL("an analytic sweep reads no scenario");
    return {};
};

// A store that loses a point's value when asked for a metric, as a broken store would.
class LosingStore : public study::MemoryPointStore {
  public:
    std::map<std::uint32_t, double> metric_values(const std::string& metric) const override {
        auto all = MemoryPointStore::metric_values(metric);
        all.erase(7);
        return all;
    }
};
}  // namespace

TEST_CASE(
    "sweep store: a resumed sweep evaluates exactly the damaged points and exports the same") {
    const study::SweepSpec spec = ishigami();
    const TempDb db("runner");
    const std::string& path = db.path;
    std::unique_ptr<io::SweepStore> store;
    const auto open = [&](bool resume) {
        return [&, resume]() -> study::PointStore& {
            store = std::make_unique<io::SweepStore>(path, definition, resume);
            return *store;
        };
    };
    const study::SweepOutcome whole = study::run_sweep(spec, no_scenario, open(false), {});
    REQUIRE(whole.evaluated == 20);
    const std::string csv = store->export_csv(whole.parameters, whole.metrics);
    store.reset();
    sql(path, "DELETE FROM point_metrics WHERE point IN (3, 11, 19)");
    sql(path, "DELETE FROM point_params WHERE point = 12 AND name = 'x2'");
    const study::SweepOutcome again = study::run_sweep(spec, no_scenario, open(true), {});
    REQUIRE(again.evaluated == 4);
    REQUIRE(store->export_csv(again.parameters, again.metrics) == csv);
    REQUIRE(again.indices.size() == whole.indices.size());
    for (std::size_t i = 0; i < whole.indices.size(); ++i)
        REQUIRE(again.indices[i].value == whole.indices[i].value);
}

TEST_CASE("sweep store: the runner fails rather than skip a metric the store returns short") {
    LosingStore store;
    REQUIRE_THROWS_WITH(study::run_sweep(ishigami(), no_scenario,
                                         [&]() -> study::PointStore& { return store; }, {}),
                        Catch::Contains("no value of metric 'y' at point 7"));
}
