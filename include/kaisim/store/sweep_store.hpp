#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kaisim/study/point_store.hpp"

struct sqlite3;

namespace kaisim::io {

namespace sqlite {
class File;
}

/// A sweep's SQLite database: run metadata, each point's parameters and metric values. WAL mode;
/// every chunk of points is one transaction, so a kill at any moment loses at most the chunk in
/// flight, and a resumed sweep skips every point already stored complete. A damaged database is
/// never resumed into holes: an incomplete point is evaluated again, a database whose tables,
/// definition or layout are not what this kaisim wrote (or that fails SQLite's integrity check)
/// is refused, and the exports throw rather than leave a cell empty.
class SweepStore : public study::PointStore {
  public:
    /// Opens or creates `path`. A new database records `definition`. An existing one is only
    /// reopened with `resume`, and only when it passes SQLite's integrity check, has the tables
    /// and columns this kaisim creates and records the same definition; else InputError naming
    /// the file, what is wrong and how to proceed.
    SweepStore(const std::string& path, const std::string& definition, bool resume);
    ~SweepStore() override;
    SweepStore(const SweepStore&) = delete;
    SweepStore& operator=(const SweepStore&) = delete;

    /// Records the sweep's layout (parameters, metrics, number of points) in the metadata, or
    /// checks it against the one recorded: a difference, a layout missing beside stored points,
    /// or a stored point outside the design throws InputError.
    void prepare(const std::vector<std::string>& params, const std::vector<std::string>& metrics,
                 std::uint32_t points) override;
    /// Ids of the complete points: listed, with one value per parameter and one finite value
    /// per metric and no row of another name. The others are evaluated again.
    std::set<std::uint32_t> stored_points() const override;
    /// Writes points in one transaction, deleting whatever rows each point held first.
    void write_chunk(const std::vector<std::string>& params,
                     const std::vector<std::string>& metrics,
                     const std::vector<study::StoredPoint>& points) override;
    /// The value of `metric` at every point of the design; std::runtime_error when a point is
    /// missing or incomplete.
    std::map<std::uint32_t, double> metric_values(const std::string& metric) const override;
    /// The whole table as CSV: point, each parameter, each metric (in id order); one complete
    /// line per point of the design, else std::runtime_error (no empty cell, no missing line).
    std::string export_csv(const std::vector<std::string>& params,
                           const std::vector<std::string>& metrics) const;
    /// Sets one row of the metadata.
    void set_meta(const std::string& key, const std::string& value);

  private:
    /// What the sweep stores: parameter names, metric names, number of design points.
    struct Layout {
        std::vector<std::string> params, metrics;
        std::uint32_t points = 0;
    };
    Layout layout() const;
    std::optional<std::string> meta(const std::string& key) const;
    std::unique_ptr<sqlite::File> file_;
    sqlite3* db_ = nullptr;
    std::string path_;
    std::optional<Layout> layout_;
};

/// The parameter names a sweep database records (its layout), read without changing it; nullopt
/// when the file is missing or records no layout.
std::optional<std::vector<std::string>> sweep_parameter_names(const std::string& path);

}  // namespace kaisim::io
