#include "kaisim/core/event_queue.hpp"

#include <algorithm>
#include <cmath>

#include "kaisim/core/error.hpp"

namespace kaisim::core {

EventQueue::EventQueue() {
    resize(min_buckets);
}

void EventQueue::clear() {
    size_ = 0;
    width_ = inv_width_ = 1.0;
    buckets_.clear();
    resize(min_buckets);
}

void EventQueue::resize(std::size_t n) {
    std::vector<Event> all;
    all.reserve(size_);
    for (auto& b : buckets_) all.insert(all.end(), b.begin(), b.end());
    std::sort(all.begin(), all.end(),
              [](const Event& a, const Event& b) { return runs_before(a, b); });
    // Width: about three times the mean gap between the first events (Brown's rule of thumb).
    const std::size_t k = std::min<std::size_t>(all.size(), 64);
    if (k >= 2 && all[k - 1].t_h > all[0].t_h)
        width_ = 3.0 * (all[k - 1].t_h - all[0].t_h) / static_cast<double>(k - 1);
    inv_width_ = 1.0 / width_;
    buckets_.assign(n, {});
    mask_ = n - 1;
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        buckets_[bucket_of(it->t_h)].push_back(*it);
    cur_slot_ = all.empty() ? 0 : slot_of(all.front().t_h);
}

}  // namespace kaisim::core
