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
/// MemoryPointStore keeps them in memory. A store never hands out a hole: a point counts as
/// stored only with a value for every parameter and a finite value for every metric.
class PointStore {
  public:
    virtual ~PointStore() = default;
    /// Fixes what the sweep stores, before any other call: its parameter and metric names and
    /// the number of points of its design (ids 0 to `points` - 1). A store that holds another
    /// layout refuses it (an exception naming what differs).
    virtual void prepare(const std::vector<std::string>& params,
                         const std::vector<std::string>& metrics, std::uint32_t points) = 0;
    /// Ids of the points stored complete (a resumed sweep skips them, and evaluates the others).
    virtual std::set<std::uint32_t> stored_points() const = 0;
    /// Stores `points` at once (one transaction where the store has them), each replacing
    /// whatever its id held before; a non-finite metric throws std::runtime_error first.
    virtual void write_chunk(const std::vector<std::string>& params,
                             const std::vector<std::string>& metrics,
                             const std::vector<StoredPoint>& points) = 0;
    /// The value of `metric` at every point of the design, by id; throws std::runtime_error
    /// when a point is missing or incomplete, so it never returns fewer values than points.
    virtual std::map<std::uint32_t, double> metric_values(const std::string& metric) const = 0;
};

/// Throws std::runtime_error unless `p` fits a sweep of these parameters and metrics and of
/// `points` design points: its id in the design, one coordinate and value per parameter, one
/// finite value per metric (the message names the point and the metric).
void check_point(const StoredPoint& p, const std::vector<std::string>& params,
                 const std::vector<std::string>& metrics, std::uint32_t points);

/// A PointStore in memory, for programs that embed kaisim and for tests.
class MemoryPointStore : public PointStore {
  public:
    /// Records the layout; one that differs from the stored points' throws std::runtime_error.
    void prepare(const std::vector<std::string>& params, const std::vector<std::string>& metrics,
                 std::uint32_t points) override;
    /// Ids of the stored points.
    std::set<std::uint32_t> stored_points() const override;
    /// Stores `points` (each checked by check_point first).
    void write_chunk(const std::vector<std::string>& params,
                     const std::vector<std::string>& metrics,
                     const std::vector<StoredPoint>& points) override;
    /// The value of `metric` at every point of the design; throws when one is not stored.
    std::map<std::uint32_t, double> metric_values(const std::string& metric) const override;
    /// The stored points, by id.
    const std::map<std::uint32_t, StoredPoint>& points() const { return points_; }

  private:
    bool prepared_ = false;
    std::vector<std::string> params_, metrics_;
    std::uint32_t size_ = 0;
    std::map<std::uint32_t, StoredPoint> points_;
};

}  // namespace kaisim::study
