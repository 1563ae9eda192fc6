#pragma once
#include <memory>
#include <mutex>
#include <vector>

namespace kaisim::core {

/// This thread's instance of `T` (default-constructed on first use, kept for the thread's next
/// calls): scratch space and caches that would otherwise be allocated call after call.
///
/// Not a `thread_local T`: a thread-local object with a destructor makes glibc register a
/// destructor on the thread's first use, which allocates, and glibc aborts the process when that
/// fails (e.g. --threads 1024 under a memory limit). Here the thread-local is a plain pointer; the
/// instances belong to one list per type, freed at exit; a failed allocation is std::bad_alloc
/// like any other.
template <class T>
T& thread_scratch() {
    thread_local T* mine = nullptr;
    if (!mine) {
        static std::mutex lock;
        static std::vector<std::unique_ptr<T>> all;
        auto fresh = std::make_unique<T>();
        const std::lock_guard<std::mutex> hold(lock);
        all.reserve(all.size() + 1);
        all.push_back(std::move(fresh));
        mine = all.back().get();
    }
    return *mine;
}

}  // namespace kaisim::core
