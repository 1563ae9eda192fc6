#include "kaisim/io/sweep_store.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "kaisim/core/error.hpp"

#include "kaisim/io/run_outputs.hpp"

namespace kaisim::io {

namespace {
// A prepared statement, finalized on scope exit.
class Statement {
  public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(st_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    sqlite3_stmt* get() { return st_; }
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); }
    void bind(int i, double v) { sqlite3_bind_double(st_, i, v); }
    void bind(int i, const std::string& v) {
        sqlite3_bind_text(st_, i, v.c_str(), -1, SQLITE_TRANSIENT);
    }
    bool step() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE)
            throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
        return false;
    }
    void reset() {
        sqlite3_reset(st_);
        sqlite3_clear_bindings(st_);
    }
    /// Executes a statement that returns no rows and makes it ready for new bindings.
    void run() {
        step();
        reset();
    }

  private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};
}  // namespace

SweepStore::SweepStore(const std::string& path, const std::string& definition, bool resume)
    : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
        throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(db_));
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    exec("CREATE TABLE IF NOT EXISTS points(id INTEGER PRIMARY KEY)");
    exec(
        "CREATE TABLE IF NOT EXISTS point_params(point INTEGER NOT NULL, name TEXT NOT NULL, u "
        "REAL NOT NULL, "
        "value TEXT NOT NULL, PRIMARY KEY(point, name))");
    exec(
        "CREATE TABLE IF NOT EXISTS point_metrics(point INTEGER NOT NULL, metric TEXT NOT NULL, "
        "value REAL, "
        "PRIMARY KEY(point, metric))");
    Statement q(db_, "SELECT value FROM meta WHERE key = 'definition'");
    if (q.step()) {
        const std::string stored = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0));
        if (!resume)
            throw InputError(path, 1, 1,
                             "this database already holds a sweep: add --resume to continue it, or "
                             "choose another --out");
        if (stored != definition)
            throw InputError(
                path, 1, 1,
                "this database holds a sweep of another definition (the sweep file, its "
                "scenario or kaisim changed): choose another --out");
    } else {
        set_meta("definition", definition);
    }
}

SweepStore::~SweepStore() {
    sqlite3_close(db_);
}

void SweepStore::exec(const char* sql) const {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw std::runtime_error("sqlite: " + msg);
    }
}

void SweepStore::set_meta(const std::string& key, const std::string& value) {
    Statement st(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    st.bind(1, key);
    st.bind(2, value);
    st.step();
}

std::set<std::uint32_t> SweepStore::stored_points() const {
    std::set<std::uint32_t> ids;
    Statement st(db_, "SELECT id FROM points");
    while (st.step()) ids.insert(static_cast<std::uint32_t>(sqlite3_column_int64(st.get(), 0)));
    return ids;
}

void SweepStore::write_chunk(const std::vector<std::string>& params,
                             const std::vector<std::string>& metrics,
                             const std::vector<study::StoredPoint>& points) {
    exec("BEGIN IMMEDIATE");
    try {
        Statement pt(db_, "INSERT INTO points(id) VALUES(?)");
        Statement pp(db_, "INSERT INTO point_params(point, name, u, value) VALUES(?, ?, ?, ?)");
        Statement pm(db_, "INSERT INTO point_metrics(point, metric, value) VALUES(?, ?, ?)");
        for (const study::StoredPoint& p : points) {
            pt.bind(1, static_cast<std::int64_t>(p.id));
            pt.run();
            for (std::size_t i = 0; i < params.size(); ++i) {
                pp.bind(1, static_cast<std::int64_t>(p.id));
                pp.bind(2, params[i]);
                pp.bind(3, p.u[i]);
                pp.bind(4, p.values[i]);
                pp.run();
            }
            for (std::size_t m = 0; m < metrics.size(); ++m) {
                pm.bind(1, static_cast<std::int64_t>(p.id));
                pm.bind(2, metrics[m]);
                pm.bind(3, p.metrics[m]);
                pm.run();
            }
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::map<std::uint32_t, double> SweepStore::metric_values(const std::string& metric) const {
    std::map<std::uint32_t, double> out;
    Statement st(db_, "SELECT point, value FROM point_metrics WHERE metric = ?");
    st.bind(1, metric);
    while (st.step())
        out[static_cast<std::uint32_t>(sqlite3_column_int64(st.get(), 0))] =
            sqlite3_column_double(st.get(), 1);
    return out;
}

std::string SweepStore::export_csv(const std::vector<std::string>& params,
                                   const std::vector<std::string>& metrics) const {
    std::map<std::uint32_t, std::map<std::string, std::string>> rows;
    {
        Statement st(db_, "SELECT point, name, value FROM point_params");
        while (st.step())
            rows[static_cast<std::uint32_t>(sqlite3_column_int64(st.get(), 0))]
                [reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 1))] =
                    reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 2));
    }
    {
        Statement st(db_, "SELECT point, metric, value FROM point_metrics");
        while (st.step())
            rows[static_cast<std::uint32_t>(sqlite3_column_int64(st.get(), 0))]
                [std::string("metric:") +
                 reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 1))] =
                    format_number(sqlite3_column_double(st.get(), 2));
    }
    std::string out = "point";
    for (const auto& p : params) out += "," + csv_field(p);
    for (const auto& m : metrics) out += "," + csv_field(m);
    out += "\n";
    for (const auto& [id, cells] : rows) {
        out += std::to_string(id);
        for (const auto& p : params) out += "," + csv_field(cells.count(p) ? cells.at(p) : "");
        for (const auto& m : metrics)
            out += "," + (cells.count("metric:" + m) ? cells.at("metric:" + m) : "");
        out += "\n";
    }
    return out;
}

}  // namespace kaisim::io
