#pragma once
#include <cstdint>

#include "kaisim/core/error.hpp"
#include "kaisim/core/event_queue.hpp"

namespace kaisim::core {

/// The discrete-event engine: a clock and a queue. The handler is a template parameter so the
/// dispatch inlines (no virtual call or std::function per event).
class Engine {
  public:
    /// Current simulation time, in hours since the programme start.
    double now() const { return now_; }
    /// Schedules an event at absolute time `t_h` (must not be in the past).
    void schedule(double t_h, std::uint32_t cls, std::uint32_t kind, std::uint64_t payload = 0) {
        KAISIM_ASSERT(t_h >= now_);
        queue_.push(Event{t_h, cls, kind, seq_++, payload});
    }
    /// Runs events in order until the queue is empty or the next event is after `t_end_h`;
    /// `handler(const Event&)` is called with the clock already at the event's time.
    template <class Handler>
    std::uint64_t run_until(double t_end_h, Handler&& handler) {
        std::uint64_t n = 0;
        while (!queue_.empty() && queue_.top().t_h <= t_end_h) {
            handler(pop());
            ++n;
        }
        return n;
    }
    /// Whether any event is scheduled.
    bool empty() const { return queue_.empty(); }
    /// The next event (the queue must not be empty).
    const Event& next() const { return queue_.top(); }
    /// Removes the next event and moves the clock to it (for callers that drive the loop).
    Event pop() {
        const Event e = queue_.pop();
        now_ = e.t_h;
        return e;
    }
    std::size_t pending() const { return queue_.size(); }
    void reset() {
        queue_.clear();
        now_ = 0;
        seq_ = 0;
    }

  private:
    EventQueue queue_;
    double now_ = 0;
    std::uint64_t seq_ = 0;
};

}  // namespace kaisim::core
