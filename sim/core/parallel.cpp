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
// per thread, so the lock is taken a few times per call, not per index). Tasks are taken in
// index order by whichever thread is free: a caller that orders its tasks from large to small
// (run_batch's groups) ends with the small ones, so no thread waits long for the last.
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
            next_ = 0;
            finished_ = 0;
        }
        wake_.notify_all();
        std::unique_lock<std::mutex> lock(m_);
        while (next_ < tasks_) take(lock);  // the caller works too
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
    // Runs a task with `lock` released, then counts it; the first exception a task throws
    // reaches the caller of run() once every task has ended.
    void take(std::unique_lock<std::mutex>& lock) {
        const std::size_t k = next_++;
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
            wake_.wait(lock, [&] { return stop_ || (task_ && id < threads_ && next_ < tasks_); });
            if (stop_) return;
            take(lock);
        }
    }

    std::mutex turn_;  // one call at a time
    std::mutex m_;
    std::condition_variable wake_, done_;
    const std::function<void(std::size_t)>* task_ = nullptr;
    std::size_t tasks_ = 0, threads_ = 1, next_ = 0, finished_ = 0;
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
