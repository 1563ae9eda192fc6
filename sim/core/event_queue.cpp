#include "kaisim/core/event_queue.hpp"

#include "kaisim/core/error.hpp"

namespace kaisim::core {

void EventQueue::push(const Event& e) {
    heap_.push_back(e);
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
        const std::size_t parent = (i - 1) / 4;
        if (!runs_before(e, heap_[parent])) break;
        heap_[i] = heap_[parent];
        i = parent;
    }
    heap_[i] = e;
}

Event EventQueue::pop() {
    KAISIM_ASSERT(!heap_.empty());
    const Event first = heap_.front();
    const Event last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return first;
    std::size_t i = 0;
    for (;;) {
        const std::size_t c0 = 4 * i + 1;
        if (c0 >= n) break;
        std::size_t best = c0;
        const std::size_t c_end = c0 + 4 < n ? c0 + 4 : n;
        for (std::size_t c = c0 + 1; c < c_end; ++c)
            if (runs_before(heap_[c], heap_[best])) best = c;
        if (!runs_before(heap_[best], last)) break;
        heap_[i] = heap_[best];
        i = best;
    }
    heap_[i] = last;
    return first;
}

}  // namespace kaisim::core
