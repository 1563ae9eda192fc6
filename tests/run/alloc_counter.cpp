// The global operator new replaced for kaisim_alloc_tests: it counts every allocation. A
// translation unit of its own, so that no caller sees the replacement inline.
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> news{0};
}  // namespace

std::size_t allocations_so_far() {
    return news.load(std::memory_order_relaxed);
}

void* operator new(std::size_t n) {
    news.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
