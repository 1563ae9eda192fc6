#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

struct sqlite3;

namespace kaisim::io {

/// A sweep's SQLite database: run metadata, each point's parameters and metric values. WAL mode;
/// every chunk of points is one transaction, so a kill at any moment loses at most the chunk in
/// flight, and a resumed sweep skips every point already stored.
class SweepStore {
  public:
    /// Opens or creates `path`. A new database records `definition`; an existing one is only
    /// reopened with `resume`, and only for the same definition (else std::runtime_error).
    SweepStore(const std::string& path, const std::string& definition, bool resume);
    ~SweepStore();
    SweepStore(const SweepStore&) = delete;
    SweepStore& operator=(const SweepStore&) = delete;

    /// Point ids already stored.
    std::set<std::uint32_t> stored_points() const;

    /// One evaluated point.
    struct Point {
        std::uint32_t id = 0;
        std::vector<double> u;            ///< unit-cube coordinates
        std::vector<std::string> values;  ///< parameter values as set
        std::vector<double> metrics;      ///< in the order of the store's metric names
    };
    /// Writes points in one transaction.
    void write_chunk(const std::vector<std::string>& params,
                     const std::vector<std::string>& metrics, const std::vector<Point>& points);
    /// Every stored value of `metric`, by point id.
    std::map<std::uint32_t, double> metric_values(const std::string& metric) const;
    /// The whole table as CSV: point, each parameter, each metric (in id order).
    std::string export_csv(const std::vector<std::string>& params,
                           const std::vector<std::string>& metrics) const;
    void set_meta(const std::string& key, const std::string& value);

  private:
    void exec(const char* sql) const;
    sqlite3* db_ = nullptr;
    std::string path_;
};

}  // namespace kaisim::io
