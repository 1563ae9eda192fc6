#pragma once
#include <cstdint>
#include <vector>

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

/// A 4-ary min-heap of events (shallower than a binary heap: fewer cache misses per pop).
class EventQueue {
  public:
    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }
    const Event& top() const { return heap_.front(); }
    /// Inserts an event whose `seq` the caller has set.
    void push(const Event& e);
    /// Removes and returns the first event; the queue must not be empty.
    Event pop();
    void clear() { heap_.clear(); }
    void reserve(std::size_t n) { heap_.reserve(n); }

  private:
    std::vector<Event> heap_;
};

}  // namespace kaisim::core
