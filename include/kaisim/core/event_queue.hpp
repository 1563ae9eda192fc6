#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kaisim/core/error.hpp"

namespace kaisim::core {

/// One scheduled event. Order: time, then priority class, then insertion sequence, so that
/// simultaneous events never depend on heap internals.
struct Event {
    double t_h = 0;             ///< hours since the programme start
    std::uint32_t cls = 0;      ///< priority class: lower runs first at equal time
    std::uint32_t kind = 0;     ///< what happens (meaning chosen by the engine's user)
    std::uint64_t seq = 0;      ///< insertion sequence, unique per queue
    std::uint64_t payload = 0;  ///< free data for the handler (an index, a team)
};

/// True when `a` runs before `b`.
inline bool runs_before(const Event& a, const Event& b) {
    if (a.t_h != b.t_h) return a.t_h < b.t_h;
    if (a.cls != b.cls) return a.cls < b.cls;
    return a.seq < b.seq;
}

/// A calendar queue of events (Brown 1988): buckets of a fixed time width, visited in time order
/// like the days of a calendar, each kept sorted; the width adapts as the queue grows and
/// shrinks. O(1) per operation on average, against O(log n) for a heap.
class EventQueue {
  public:
    EventQueue();
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    /// The first event (the queue must not be empty).
    const Event& top() const { return buckets_[locate()].back(); }
    /// Inserts an event whose `seq` the caller has set.
    void push(const Event& e);
    /// Removes and returns the first event; the queue must not be empty.
    Event pop();
    void clear();

  private:
    /// The time slot of `t`: slots are `width_` hours long; slot k lives in bucket k & mask_.
    /// Integer slots keep bucket membership and the visit order exactly consistent.
    std::uint64_t slot_of(double t) const { return static_cast<std::uint64_t>(t * inv_width_); }
    std::size_t bucket_of(double t) const { return static_cast<std::size_t>(slot_of(t)) & mask_; }
    /// Moves the search position to the bucket holding the first event and returns it.
    std::size_t locate() const;
    void resize(std::size_t buckets);
    static constexpr std::size_t min_buckets = 16;

    std::vector<std::vector<Event>> buckets_;  // each sorted: the first to run at the back; the
                                               // first mask_ + 1 in use, the others empty
    std::vector<Event> all_;                   // resize's scratch
    double width_ = 1.0;                       // hours per bucket
    double inv_width_ = 1.0;                   // 1 / width_
    std::size_t mask_ = 0;                     // buckets - 1 (a power of two)
    std::size_t size_ = 0;
    mutable std::uint64_t cur_slot_ = 0;  // time slot being visited (its bucket: cur_slot_ & mask_)
};

/// Bucket order: later-running events first, so the first to run sits at the back.
inline bool queue_after(const Event& a, const Event& b) {
    return runs_before(b, a);
}

inline void EventQueue::push(const Event& e) {
    KAISIM_ASSERT(e.t_h >= 0);
    std::vector<Event>& b = buckets_[bucket_of(e.t_h)];
    b.insert(std::upper_bound(b.begin(), b.end(), e, queue_after), e);
    ++size_;
    // An event before the slot being visited moves the visit back to it.
    if (slot_of(e.t_h) < cur_slot_) cur_slot_ = slot_of(e.t_h);
    if (size_ > 2 * (mask_ + 1)) resize((mask_ + 1) * 2);
}
inline std::size_t EventQueue::locate() const {
    KAISIM_ASSERT(size_ > 0);
    for (std::size_t n = 0; n <= mask_; ++n, ++cur_slot_) {
        const std::vector<Event>& b = buckets_[cur_slot_ & mask_];
        if (!b.empty() && slot_of(b.back().t_h) == cur_slot_) return cur_slot_ & mask_;
    }
    // A whole cycle of empty slots: jump to the earliest event directly.
    std::size_t best = 0;
    bool found = false;
    for (std::size_t i = 0; i <= mask_; ++i)
        if (!buckets_[i].empty() &&
            (!found || runs_before(buckets_[i].back(), buckets_[best].back()))) {
            best = i;
            found = true;
        }
    cur_slot_ = slot_of(buckets_[best].back().t_h);
    return best;
}

inline Event EventQueue::pop() {
    std::vector<Event>& b = buckets_[locate()];
    const Event e = b.back();
    b.pop_back();
    --size_;
    if (size_ < (mask_ + 1) / 4 && mask_ + 1 > min_buckets) resize((mask_ + 1) / 2);
    return e;
}

}  // namespace kaisim::core
