#include "kaisim/core/event_queue.hpp"

#include <algorithm>
#include <cmath>

#include "kaisim/core/error.hpp"

namespace kaisim::core {

EventQueue::EventQueue() {
    resize(min_buckets);
}

void EventQueue::clear() {
    for (std::size_t i = 0; i < std::min(buckets_.size(), mask_ + 1); ++i) buckets_[i].clear();
    size_ = 0;
    width_ = inv_width_ = 1.0;
    resize(min_buckets);
}

void EventQueue::resize(std::size_t n) {
    // The buckets past the ones in use stay allocated (and empty): a queue used again, or
    // growing and shrinking again, finds its storage in place.
    all_.clear();
    for (std::size_t i = 0; i < std::min(buckets_.size(), mask_ + 1); ++i) {
        all_.insert(all_.end(), buckets_[i].begin(), buckets_[i].end());
        buckets_[i].clear();
    }
    std::sort(all_.begin(), all_.end(),
              [](const Event& a, const Event& b) { return runs_before(a, b); });
    // Width: about three times the mean gap between the first events (Brown's rule of thumb).
    const std::size_t k = std::min<std::size_t>(all_.size(), 64);
    if (k >= 2 && all_[k - 1].t_h > all_[0].t_h)
        width_ = 3.0 * (all_[k - 1].t_h - all_[0].t_h) / static_cast<double>(k - 1);
    inv_width_ = 1.0 / width_;
    if (buckets_.size() < n) buckets_.resize(n);
    mask_ = n - 1;
    for (auto it = all_.rbegin(); it != all_.rend(); ++it)
        buckets_[bucket_of(it->t_h)].push_back(*it);
    cur_slot_ = all_.empty() ? 0 : slot_of(all_.front().t_h);
}

}  // namespace kaisim::core
