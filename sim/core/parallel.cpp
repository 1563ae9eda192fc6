#include "kaisim/core/parallel.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace kaisim::core {

namespace {
thread_local bool in_task = false;  // this thread is running a task: nested calls run inline

// The workers: a task list of one call at a time, taken under one lock (a call has a few tasks
// per thread, so the lock is taken a few times per call, not per index). Thread j of a call (the
// caller is 0, worker w is w + 1) takes its own tasks j, j + threads, ... first, then any task
// left: the same index range lands on the same thread call after call, so what a task allocates
// is mostly freed by the thread that allocated it (a free from another thread's heap arena takes
// that arena's lock, and replicates allocate a lot).
class Pool {
  public:
    static Pool& get() {
        static Pool pool;
        return pool;
    }

    void run(std::size_t tasks, const std::function<void(std::size_t)>& task, std::size_t threads) {
        std::lock_guard<std::mutex> turn(turn_);
        grow(std::min(tasks, threads) - 1);
        {
            std::lock_guard<std::mutex> lock(m_);
            task_ = &task;
            tasks_ = tasks;
            threads_ = threads;
            taken_.assign(tasks, 0);
            left_ = tasks;
            finished_ = 0;
        }
        wake_.notify_all();
        std::unique_lock<std::mutex> lock(m_);
        while (left_ > 0) take(lock, 0);  // the caller works too
        done_.wait(lock, [&] { return finished_ == tasks_; });
        task_ = nullptr;
        if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    }

    ~Pool() {
        {
            std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
        }
        wake_.notify_all();
        for (std::thread& w : workers_) w.join();
    }

  private:
    // The task thread `id` takes next: its own first, then the last one left (left_ > 0).
    std::size_t pick(std::size_t id) const {
        for (std::size_t k = id; k < tasks_; k += threads_)
            if (!taken_[k]) return k;
        for (std::size_t k = tasks_; k-- > 0;)
            if (!taken_[k]) return k;
        return tasks_;  // not reached while left_ > 0
    }

    // Runs a task with `lock` released, then counts it; the first exception a task throws
    // reaches the caller of run() once every task has ended.
    void take(std::unique_lock<std::mutex>& lock, std::size_t id) {
        const std::size_t k = pick(id);
        taken_[k] = 1;
        --left_;
        const std::function<void(std::size_t)>& task = *task_;
        lock.unlock();
        std::exception_ptr error;
        in_task = true;
        try {
            task(k);
        } catch (...) {
            error = std::current_exception();
        }
        in_task = false;
        lock.lock();
        if (error && !error_) error_ = error;
        if (++finished_ == tasks_) done_.notify_all();
    }

    void grow(std::size_t wanted) {
        while (workers_.size() < wanted) try {
                const std::size_t id = workers_.size() + 1;
                workers_.emplace_back([this, id] { work(id); });
            } catch (const std::system_error&) {
                return;  // fewer workers: the caller takes the rest
            }
    }

    // A worker joins the calls that ask for at least id + 1 threads.
    void work(std::size_t id) {
        std::unique_lock<std::mutex> lock(m_);
        for (;;) {
            wake_.wait(lock, [&] { return stop_ || (task_ && id < threads_ && left_ > 0); });
            if (stop_) return;
            take(lock, id);
        }
    }

    std::mutex turn_;  // one call at a time
    std::mutex m_;
    std::condition_variable wake_, done_;
    const std::function<void(std::size_t)>* task_ = nullptr;
    std::size_t tasks_ = 0, threads_ = 1, left_ = 0, finished_ = 0;
    std::vector<char> taken_;  // per task of the current call
    std::exception_ptr error_;
    bool stop_ = false;
    std::vector<std::thread> workers_;
};
}  // namespace

bool in_parallel_task() {
    return in_task;
}

void run_tasks(std::size_t tasks, const std::function<void(std::size_t)>& task,
               std::size_t threads) {
    if (threads == 0) threads = tasks;
    if (tasks <= 1 || threads <= 1 || in_task) {
        for (std::size_t k = 0; k < tasks; ++k) task(k);
        return;
    }
    Pool::get().run(tasks, task, threads);
}

}  // namespace kaisim::core
