#include "kaisim/study/point_store.hpp"

#include <algorithm>

namespace kaisim::study {

std::set<std::uint32_t> MemoryPointStore::stored_points() const {
    std::set<std::uint32_t> ids;
    for (const auto& [id, p] : points_) ids.insert(id);
    return ids;
}

void MemoryPointStore::write_chunk(const std::vector<std::string>&,
                                   const std::vector<std::string>& metrics,
                                   const std::vector<StoredPoint>& points) {
    metrics_ = metrics;
    for (const StoredPoint& p : points) points_[p.id] = p;
}

std::map<std::uint32_t, double> MemoryPointStore::metric_values(const std::string& metric) const {
    std::map<std::uint32_t, double> out;
    const auto at = std::find(metrics_.begin(), metrics_.end(), metric);
    if (at == metrics_.end()) return out;
    const std::size_t m = static_cast<std::size_t>(at - metrics_.begin());
    for (const auto& [id, p] : points_) out[id] = p.metrics.at(m);
    return out;
}

}  // namespace kaisim::study
