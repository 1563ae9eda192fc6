#include "kaisim/store/sweep_store.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "kaisim/core/error.hpp"
#include "kaisim/output/run_outputs.hpp"
#include "sqlite_file.hpp"

namespace kaisim::io {

namespace {
using sqlite::join;
using sqlite::Statement;
using sqlite::transaction;

// The tables this version creates (the meta table first: every store has it).
const std::vector<sqlite::Table>& schema() {
    static const std::vector<sqlite::Table> tables{
        sqlite::meta_table(),
        {"points", "CREATE TABLE points(id INTEGER PRIMARY KEY)", {"id INTEGER (key 1)"}},
        {"point_params",
         "CREATE TABLE point_params(point INTEGER NOT NULL, name TEXT NOT NULL, u REAL NOT NULL, "
         "value TEXT NOT NULL, PRIMARY KEY(point, name))",
         {"point INTEGER NOT NULL (key 1)", "name TEXT NOT NULL (key 2)", "u REAL NOT NULL",
          "value TEXT NOT NULL"}},
        {"point_metrics",
         "CREATE TABLE point_metrics(point INTEGER NOT NULL, metric TEXT NOT NULL, value REAL, "
         "PRIMARY KEY(point, metric))",
         {"point INTEGER NOT NULL (key 1)", "metric TEXT NOT NULL (key 2)", "value REAL"}},
    };
    return tables;
}

// The layout as recorded in the meta table.
std::string encode(const std::vector<std::string>& params, const std::vector<std::string>& metrics,
                   std::uint32_t points) {
    return nlohmann::json{{"parameters", params}, {"metrics", metrics}, {"points", points}}.dump();
}

// The rows a point holds, as read back.
struct Rows {
    bool listed = false;   // in the points table
    bool damaged = false;  // a row of an unknown name or with a value of the wrong type
    std::map<std::string, std::string> values;
    std::map<std::string, double> metrics;
};

bool has(const std::vector<std::string>& names, const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
}

std::map<std::int64_t, Rows> scan(sqlite3* db, const std::vector<std::string>& params,
                                  const std::vector<std::string>& metrics) {
    std::map<std::int64_t, Rows> rows;
    Statement pt(db, "SELECT id FROM points");
    while (pt.step()) rows[pt.integer(0)].listed = true;
    Statement pp(db, "SELECT point, name, u, value FROM point_params");
    while (pp.step()) {
        if (pp.type(0) != SQLITE_INTEGER) continue;  // belongs to no point
        Rows& r = rows[pp.integer(0)];
        const std::string name = pp.text(1);
        if (pp.type(1) != SQLITE_TEXT || !has(params, name) || pp.type(2) != SQLITE_FLOAT ||
            !std::isfinite(pp.real(2)) || pp.type(3) != SQLITE_TEXT)
            r.damaged = true;
        else
            r.values[name] = pp.text(3);
    }
    Statement pm(db, "SELECT point, metric, value FROM point_metrics");
    while (pm.step()) {
        if (pm.type(0) != SQLITE_INTEGER) continue;
        Rows& r = rows[pm.integer(0)];
        const std::string name = pm.text(1);
        if (pm.type(1) != SQLITE_TEXT || !has(metrics, name) || pm.type(2) != SQLITE_FLOAT ||
            !std::isfinite(pm.real(2)))
            r.damaged = true;
        else
            r.metrics[name] = pm.real(2);
    }
    return rows;
}

bool complete(const Rows& r, std::size_t params, std::size_t metrics) {
    return r.listed && !r.damaged && r.values.size() == params && r.metrics.size() == metrics;
}

std::string some_ids(const std::vector<std::int64_t>& ids) {
    std::vector<std::string> s;
    for (std::size_t i = 0; i < ids.size() && i < 5; ++i) s.push_back(std::to_string(ids[i]));
    return join(s, ", ") + (ids.size() > 5 ? ", ..." : "");
}

// Every point of the design, complete, or std::runtime_error naming the missing ones.
std::map<std::int64_t, Rows> complete_scan(sqlite3* db, const std::string& path,
                                           const std::vector<std::string>& params,
                                           const std::vector<std::string>& metrics,
                                           std::uint32_t points) {
    std::map<std::int64_t, Rows> rows = scan(db, params, metrics);
    std::vector<std::int64_t> missing, outside;
    for (std::int64_t id = 0; id < points; ++id) {
        const auto at = rows.find(id);
        if (at == rows.end() || !complete(at->second, params.size(), metrics.size()))
            missing.push_back(id);
    }
    for (const auto& [id, r] : rows)
        if (r.listed && (id < 0 || id >= points)) outside.push_back(id);
    if (!missing.empty())
        throw std::runtime_error(path + ": " + std::to_string(missing.size()) + " of the sweep's " +
                                 std::to_string(points) + " points are missing or incomplete (" +
                                 some_ids(missing) +
                                 "): run the sweep again with --resume to evaluate them");
    if (!outside.empty())
        throw std::runtime_error(path + ": it lists points outside the sweep's design (" +
                                 some_ids(outside) +
                                 "): delete it and start afresh without --resume");
    return rows;
}
}  // namespace

SweepStore::SweepStore(const std::string& path, const std::string& definition, bool resume)
    : file_(std::make_unique<sqlite::File>(
          path, definition, resume, schema(),
          sqlite::Kind{"sweep", "the sweep file, its scenario or kaisim"})),
      db_(file_->db()),
      path_(path) {}

SweepStore::~SweepStore() = default;

std::optional<std::string> SweepStore::meta(const std::string& key) const {
    return file_->meta(key);
}

void SweepStore::set_meta(const std::string& key, const std::string& value) {
    file_->set_meta(key, value);
}

void SweepStore::prepare(const std::vector<std::string>& params,
                         const std::vector<std::string>& metrics, std::uint32_t points) {
    const std::string want = encode(params, metrics, points);
    if (const auto stored = meta("layout")) {
        if (*stored != want)
            throw file_->refusal("it records the layout " + *stored + " where this sweep has " +
                                 want);
    } else {
        Statement rows(db_,
                       "SELECT EXISTS(SELECT 1 FROM points) OR EXISTS(SELECT 1 FROM point_params) "
                       "OR EXISTS(SELECT 1 FROM point_metrics)");
        rows.step();
        if (rows.integer(0) != 0)
            throw file_->refusal("it holds points but its meta table does not record their layout");
        set_meta("layout", want);
    }
    Statement out(db_, "SELECT count(*), min(id) FROM points WHERE id < 0 OR id >= ?");
    out.bind(1, static_cast<std::int64_t>(points));
    out.step();
    if (out.integer(0) > 0)
        throw file_->refusal("it lists " + std::to_string(out.integer(0)) +
                             " points outside the sweep's design of " + std::to_string(points) +
                             " (point " + std::to_string(out.integer(1)) + ")");
    layout_ = Layout{params, metrics, points};
}

SweepStore::Layout SweepStore::layout() const {
    if (layout_) return *layout_;
    try {
        const nlohmann::json j = nlohmann::json::parse(meta("layout").value());
        return {j.at("parameters").get<std::vector<std::string>>(),
                j.at("metrics").get<std::vector<std::string>>(),
                j.at("points").get<std::uint32_t>()};
    } catch (const std::exception&) {
        throw std::runtime_error(path_ +
                                 ": its meta table does not record the sweep's layout (parameters, "
                                 "metrics, number of points): run the sweep with --resume");
    }
}

std::set<std::uint32_t> SweepStore::stored_points() const {
    const Layout l = layout();
    std::set<std::uint32_t> ids;
    for (const auto& [id, r] : scan(db_, l.params, l.metrics))
        if (id >= 0 && id < l.points && complete(r, l.params.size(), l.metrics.size()))
            ids.insert(static_cast<std::uint32_t>(id));
    return ids;
}

void SweepStore::write_chunk(const std::vector<std::string>& params,
                             const std::vector<std::string>& metrics,
                             const std::vector<study::StoredPoint>& points) {
    const Layout l = layout();
    if (params != l.params || metrics != l.metrics)
        throw std::logic_error("SweepStore::write_chunk: not the layout given to prepare()");
    for (const study::StoredPoint& p : points) study::check_point(p, params, metrics, l.points);
    transaction(db_, [&] {
        // Whatever a point held before (a partial row set of a damaged database) goes first.
        Statement dm(db_, "DELETE FROM point_metrics WHERE point = ?");
        Statement dp(db_, "DELETE FROM point_params WHERE point = ?");
        Statement dt(db_, "DELETE FROM points WHERE id = ?");
        Statement pt(db_, "INSERT INTO points(id) VALUES(?)");
        Statement pp(db_, "INSERT INTO point_params(point, name, u, value) VALUES(?, ?, ?, ?)");
        Statement pm(db_, "INSERT INTO point_metrics(point, metric, value) VALUES(?, ?, ?)");
        for (const study::StoredPoint& p : points) {
            const auto id = static_cast<std::int64_t>(p.id);
            for (Statement* d : {&dm, &dp, &dt}) {
                d->bind(1, id);
                d->run();
            }
            pt.bind(1, id);
            pt.run();
            for (std::size_t i = 0; i < params.size(); ++i) {
                pp.bind(1, id);
                pp.bind(2, params[i]);
                pp.bind(3, p.u[i]);
                pp.bind(4, p.values[i]);
                pp.run();
            }
            for (std::size_t m = 0; m < metrics.size(); ++m) {
                pm.bind(1, id);
                pm.bind(2, metrics[m]);
                pm.bind(3, p.metrics[m]);
                pm.run();
            }
        }
    });
}

std::map<std::uint32_t, double> SweepStore::metric_values(const std::string& metric) const {
    const Layout l = layout();
    if (!has(l.metrics, metric))
        throw std::runtime_error(path_ + ": the sweep has no metric '" + metric + "'");
    const auto rows = complete_scan(db_, path_, l.params, l.metrics, l.points);
    std::map<std::uint32_t, double> out;
    for (std::uint32_t id = 0; id < l.points; ++id) out[id] = rows.at(id).metrics.at(metric);
    return out;
}

std::string SweepStore::export_csv(const std::vector<std::string>& params,
                                   const std::vector<std::string>& metrics) const {
    const Layout l = layout();
    if (params != l.params || metrics != l.metrics)
        throw std::runtime_error(path_ + ": it stores " + encode(l.params, l.metrics, l.points) +
                                 ", not the parameters and metrics asked for");
    const auto rows = complete_scan(db_, path_, params, metrics, l.points);
    std::string out = "point";
    for (const auto& p : params) out += "," + csv_field(p);
    for (const auto& m : metrics) out += "," + csv_field(m);
    out += "\n";
    for (std::uint32_t id = 0; id < l.points; ++id) {
        const Rows& r = rows.at(id);
        out += std::to_string(id);
        for (const auto& p : params) out += "," + csv_field(r.values.at(p));
        for (const auto& m : metrics) out += "," + format_number(r.metrics.at(m));
        out += "\n";
    }
    return out;
}

std::optional<std::vector<std::string>> sweep_parameter_names(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    std::optional<std::vector<std::string>> out;
    try {
        if (rc == SQLITE_OK) {
            Statement q(db, "SELECT value FROM meta WHERE key = 'layout'");
            if (q.step())
                out = nlohmann::json::parse(q.text(0))
                          .at("parameters")
                          .get<std::vector<std::string>>();
        }
    } catch (const std::exception&) {
        out.reset();  // not a sweep database kaisim wrote
    }
    sqlite3_close(db);
    return out;
}

}  // namespace kaisim::io
