#include "kaisim/study/point_store.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace kaisim::study {

namespace {
std::string describe(const StoredPoint& p, const std::vector<std::string>& params) {
    std::string s = "sweep point " + std::to_string(p.id);
    if (p.values.size() == params.size() && !params.empty()) {
        s += " (";
        for (std::size_t i = 0; i < params.size(); ++i)
            s += (i ? ", " : "") + params[i] + "=" + p.values[i];
        s += ")";
    }
    return s;
}
}  // namespace

void check_point(const StoredPoint& p, const std::vector<std::string>& params,
                 const std::vector<std::string>& metrics, std::uint32_t points) {
    if (p.id >= points)
        throw std::runtime_error(describe(p, params) + " is outside the sweep's design of " +
                                 std::to_string(points) + " points");
    if (p.u.size() != params.size() || p.values.size() != params.size() ||
        p.metrics.size() != metrics.size())
        throw std::runtime_error(describe(p, params) + " has " + std::to_string(p.values.size()) +
                                 " parameter values and " + std::to_string(p.metrics.size()) +
                                 " metric values, for a sweep of " + std::to_string(params.size()) +
                                 " parameters and " + std::to_string(metrics.size()) + " metrics");
    for (std::size_t i = 0; i < params.size(); ++i)
        if (!std::isfinite(p.u[i]))
            throw std::runtime_error(describe(p, params) + ": the unit coordinate of parameter '" +
                                     params[i] + "' is " + std::to_string(p.u[i]));
    for (std::size_t m = 0; m < metrics.size(); ++m)
        if (!std::isfinite(p.metrics[m]))
            throw std::runtime_error(
                describe(p, params) + ": metric '" + metrics[m] + "' is " +
                std::to_string(p.metrics[m]) +
                "; a sweep stores finite values only: leave the metric out of the sweep "
                "file's `metrics:`, or narrow the parameters' ranges");
}

void MemoryPointStore::prepare(const std::vector<std::string>& params,
                               const std::vector<std::string>& metrics, std::uint32_t points) {
    if (prepared_ && !points_.empty() &&
        (params != params_ || metrics != metrics_ || points != size_))
        throw std::runtime_error(
            "this memory store holds the points of another sweep (other parameters, metrics or "
            "design): use a new store");
    prepared_ = true;
    params_ = params;
    metrics_ = metrics;
    size_ = points;
}

std::set<std::uint32_t> MemoryPointStore::stored_points() const {
    std::set<std::uint32_t> ids;
    for (const auto& [id, p] : points_) ids.insert(id);
    return ids;
}

void MemoryPointStore::write_chunk(const std::vector<std::string>& params,
                                   const std::vector<std::string>& metrics,
                                   const std::vector<StoredPoint>& points) {
    if (!prepared_ || params != params_ || metrics != metrics_)
        throw std::logic_error("MemoryPointStore::write_chunk: not the layout given to prepare()");
    for (const StoredPoint& p : points) check_point(p, params_, metrics_, size_);
    for (const StoredPoint& p : points) points_[p.id] = p;
}

std::map<std::uint32_t, double> MemoryPointStore::metric_values(const std::string& metric) const {
    const auto at = std::find(metrics_.begin(), metrics_.end(), metric);
    if (at == metrics_.end())
        throw std::runtime_error("this memory store holds no metric '" + metric + "'");
    if (points_.size() != size_)
        throw std::runtime_error("this memory store holds " + std::to_string(points_.size()) +
                                 " of the sweep's " + std::to_string(size_) +
                                 " points: run the sweep to the end first");
    const std::size_t m = static_cast<std::size_t>(at - metrics_.begin());
    std::map<std::uint32_t, double> out;
    for (const auto& [id, p] : points_) out[id] = p.metrics.at(m);
    return out;
}

}  // namespace kaisim::study
