#include "kaisim/run/perf_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>  // clock_gettime (POSIX)
#include <mutex>
#include <numeric>
#include <vector>

#include "kaisim/core/engine.hpp"
#include "kaisim/core/parallel.hpp"
#include "kaisim/core/rng.hpp"
#include "kaisim/eval/item_bank.hpp"

namespace kaisim::run {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

namespace {

// The CPU time of all the process's threads so far.
double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
}  // namespace

double bench_engine(int processes, std::uint64_t events) {
    core::Engine engine;
    // Hold times: a table of 4,096 exponential draws (mean 1 h) from Philox, cycled, so the
    // benchmark measures the engine rather than the random number generator.
    std::vector<double> hold(4096);
    const core::RngStream rng(1, 0, core::Stream::failures);
    for (std::uint32_t i = 0; i < hold.size(); ++i)
        hold[i] = core::std_exponential(rng.uniform(i, 1));
    for (int p = 0; p < processes; ++p)
        engine.schedule(rng.uniform(static_cast<std::uint32_t>(p)), 0, 0,
                        static_cast<std::uint64_t>(p));
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t n = 0; n < events; ++n) {
        const core::Event e = engine.pop();
        engine.schedule(e.t_h + hold[n & 4095], 0, 0,
                        e.payload);  // the process holds, then reschedules
    }
    return static_cast<double>(events) / seconds_since(t0);
}

namespace {
// Forwards to a backend and adds up the thread-seconds its calls take: a call from a thread of
// a parallel region holds that thread, any other call all `threads`.
class TimedBackend final : public eval::ScoringBackend {
  public:
    TimedBackend(eval::ScoringBackend& inner, int threads) : inner_(inner), threads_(threads) {}
    std::string name() const override { return inner_.name(); }
    std::uint32_t batch_replicates() const override { return inner_.batch_replicates(); }
    bool scores_concurrently() const override { return inner_.scores_concurrently(); }
    void score(const eval::ScoringBatch& batch, std::span<double> out) override {
        timed([&] { inner_.score(batch, out); });
    }
    // Overlapped scoring counts the time the driver waits for it (start and finish).
    bool overlaps() const override { return inner_.overlaps(); }
    void start(int slot, const eval::ScoringBatch& batch, std::span<double> out) override {
        timed([&] { inner_.start(slot, batch, out); });
    }
    void finish(int slot) override {
        timed([&] { inner_.finish(slot); });
    }
    double thread_seconds = 0;

  private:
    template <class F>
    void timed(F&& f) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        const double s = seconds_since(t0);
        std::lock_guard<std::mutex> lock(m_);
        thread_seconds += core::in_parallel_task() ? s : s * threads_;
    }

    eval::ScoringBackend& inner_;
    int threads_;
    std::mutex m_;
};
}  // namespace

ReplicateRate bench_replicates(const programme::PreparedScenario& prepared,
                               eval::ScoringBackend& backend, std::uint32_t replicates,
                               int threads) {
    std::vector<std::uint32_t> ids(replicates);
    std::iota(ids.begin(), ids.end(), 0u);
    TimedBackend timed(backend, std::max(threads, 1));
    const std::uint32_t batch = std::max<std::uint32_t>(1, backend.batch_replicates());
    const double cpu0 = process_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    core::for_each_piece(replicates, batch, [&](std::uint32_t first, std::uint32_t len) {
        const std::vector<std::uint32_t> part(ids.begin() + first, ids.begin() + first + len);
        // Freed by the threads that simulated them, as a Monte Carlo frees them (after taking
        // their digests).
        run_batch_each(prepared, part, timed, threads, false,
                       [](std::size_t, programme::Result&&) {});
    });
    const double total = seconds_since(t0), cpu = process_cpu_seconds() - cpu0;
    const double capacity = total * std::max(threads, 1);
    // Idle: the threads' time that was no thread's CPU time (no task, or the core went to
    // another process). Not for a backend that overlaps: a device driver's threads and its
    // waits (spinning or asleep) blur CPU time there.
    ReplicateRate rate{replicates / total, timed.thread_seconds / capacity, std::nullopt};
    if (!backend.overlaps()) rate.idle_share = std::clamp(1 - cpu / capacity, 0.0, 1.0);
    return rate;
}

double bench_scoring(eval::ScoringBackend& backend, std::uint32_t pairs, std::uint32_t items) {
    model::Benchmark bench;
    bench.items = static_cast<int>(items);
    const std::vector<eval::ItemParams> bank = eval::draw_item_bank(bench, 0, 1);
    const eval::BenchPlan bp{0, items, -1, 1};
    eval::ComponentPlan comp{};
    comp.kind = eval::PlanKind::benchmarks;
    comp.n_bench = 1;
    std::vector<eval::PairInput> in(pairs);
    std::vector<float> theta(pairs), zero(pairs, 0.0f);
    for (std::uint32_t p = 0; p < pairs; ++p) {
        in[p] = {p / 8, p % 8};
        theta[p] = -1.0f + 3.0f * static_cast<float>(p % 97) / 97.0f;
    }
    eval::ScoringBatch b;
    b.seed = 1;
    b.components = &comp;
    b.n_components = 1;
    b.benches = &bp;
    b.n_benches = 1;
    b.items = bank.data();
    b.n_items = items;
    b.pairs = in.data();
    b.n_pairs = pairs;
    b.abilities = theta.data();
    b.proposal_logit = zero.data();
    b.report_logit = zero.data();
    std::vector<double> out(pairs);
    const auto t0 = std::chrono::steady_clock::now();
    int rounds = 0;
    double elapsed = 0;
    do {
        backend.score(b, out);
        ++rounds;
        elapsed = seconds_since(t0);
    } while (elapsed < 1.0);
    return static_cast<double>(rounds) * pairs * items / elapsed;
}

}  // namespace kaisim::run
