#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace kaisim::study {

/// One evaluated point of a sweep.
struct StoredPoint {
    std::uint32_t id = 0;
    std::vector<double> u;            ///< unit-cube coordinates
    std::vector<std::string> values;  ///< parameter values as set
    std::vector<double> metrics;      ///< in the order of the sweep's metric names
};

/// Where a sweep keeps its evaluated points. io::SweepStore keeps them in SQLite (resumable);
/// MemoryPointStore keeps them in memory.
class PointStore {
  public:
    virtual ~PointStore() = default;
    /// Point ids already stored (a resumed sweep skips them).
    virtual std::set<std::uint32_t> stored_points() const = 0;
    /// Stores `points` at once (one transaction where the store has them).
    virtual void write_chunk(const std::vector<std::string>& params,
                             const std::vector<std::string>& metrics,
                             const std::vector<StoredPoint>& points) = 0;
    /// Every stored value of `metric`, by point id.
    virtual std::map<std::uint32_t, double> metric_values(const std::string& metric) const = 0;
};

/// A PointStore in memory, for programs that embed kaisim and for tests.
class MemoryPointStore : public PointStore {
  public:
    std::set<std::uint32_t> stored_points() const override;
    void write_chunk(const std::vector<std::string>& params,
                     const std::vector<std::string>& metrics,
                     const std::vector<StoredPoint>& points) override;
    std::map<std::uint32_t, double> metric_values(const std::string& metric) const override;
    /// The stored points, by id.
    const std::map<std::uint32_t, StoredPoint>& points() const { return points_; }

  private:
    std::vector<std::string> metrics_;
    std::map<std::uint32_t, StoredPoint> points_;
};

}  // namespace kaisim::study
