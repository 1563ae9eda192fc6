#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kaisim/study/point_store.hpp"

struct sqlite3;

namespace kaisim::io {

/// A sweep's SQLite database: run metadata, each point's parameters and metric values. WAL mode;
/// every chunk of points is one transaction, so a kill at any moment loses at most the chunk in
/// flight, and a resumed sweep skips every point already stored.
class SweepStore : public study::PointStore {
  public:
    /// Opens or creates `path`. A new database records `definition`; an existing one is only
    /// reopened with `resume`, and only for the same definition (else std::runtime_error).
    SweepStore(const std::string& path, const std::string& definition, bool resume);
    ~SweepStore() override;
    SweepStore(const SweepStore&) = delete;
    SweepStore& operator=(const SweepStore&) = delete;

    std::set<std::uint32_t> stored_points() const override;
    /// Writes points in one transaction.
    void write_chunk(const std::vector<std::string>& params,
                     const std::vector<std::string>& metrics,
                     const std::vector<study::StoredPoint>& points) override;
    std::map<std::uint32_t, double> metric_values(const std::string& metric) const override;
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
