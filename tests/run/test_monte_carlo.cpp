#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <initializer_list>
#include <numeric>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kaisim/eval/scoring_math.hpp"
#include "kaisim/model/capability.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/comparison.hpp"
#include "kaisim/run/metrics.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/run/perf_bench.hpp"
#include "kaisim/run/replicate.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

using namespace kaisim;

namespace {
const std::string inputs = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/";

double theta_of(const model::Scenario& sc, double flops) {
    return model::ability_from_loss(sc.law, sc.scale, model::compute_optimal(sc.law, flops).loss);
}

// P(first team kept at the first stage) estimated over `replicates`.
run::McResult simulate(const model::Scenario& sc, std::uint32_t replicates, int threads = 1,
                       std::uint32_t batch = 256) {
    const programme::PreparedScenario p = programme::prepare(sc);
    eval::CpuBackend backend(threads);
    run::McOptions opt;
    opt.replicates = replicates;
    opt.threads = threads;
    opt.batch = batch;
    return run::run_monte_carlo(p, backend, opt);
}

double binomial_pmf(int n, int k, double p) {
    return std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                    k * std::log(p) + (n - k) * std::log1p(-p));
}
}  // namespace

TEST_CASE(
    "monte carlo: a Gaussian panel keeps the stronger team with probability Phi(delta / (sigma "
    "sqrt 2))") {
    const model::Scenario sc = io::load_scenario(inputs + "two-teams-panel.yaml");
    const double delta = theta_of(sc, 1e24) - theta_of(sc, 5e23);
    const double p = core::normal_cdf(delta / (1.0 * std::sqrt(2.0)));
    const std::uint32_t n = 4000;
    const run::McResult mc = simulate(sc, n);
    const double p_hat = static_cast<double>(mc.teams[0].kept[0]) / n;
    // 4 sigma of a binomial proportion.
    REQUIRE(std::abs(p_hat - p) < 4 * std::sqrt(p * (1 - p) / n));
    // The reported interval is the Wilson interval of that count, about +-1.96 sigma wide.
    const core::Interval w = core::wilson_interval(static_cast<double>(mc.teams[0].kept[0]), n);
    REQUIRE((w.hi - w.lo) / 2 == Approx(core::z95 * std::sqrt(p * (1 - p) / n)).epsilon(0.05));
}

TEST_CASE("monte carlo: a benchmark-only cut matches the exact binomial computation") {
    const model::Scenario sc = io::load_scenario(inputs + "two-teams-bench.yaml");
    // The same float arithmetic as the scoring kernel: a = 1, b = 0.2, c = 0.25.
    const eval::ItemParams item{1.0f, 0.2f, 0.25f};
    const double ps = eval::p_correct(static_cast<float>(theta_of(sc, 1e24)), item);
    const double pw = eval::p_correct(static_cast<float>(theta_of(sc, 2e23)), item);
    double p = 0;  // P(X_strong >= X_weak): ties go to the first listed team
    for (int a = 0; a <= 15; ++a)
        for (int b = 0; b <= a; ++b) p += binomial_pmf(15, a, ps) * binomial_pmf(15, b, pw);
    const std::uint32_t n = 4000;
    const run::McResult mc = simulate(sc, n);
    REQUIRE(std::abs(static_cast<double>(mc.teams[0].kept[0]) / n - p) <
            4 * std::sqrt(p * (1 - p) / n));
}

TEST_CASE("monte carlo: 95% intervals cover the true value in about 95% of seeded runs") {
    io::LoadOptions opt;
    const model::Scenario base = io::load_scenario(inputs + "two-teams-panel.yaml");
    const double p =
        core::normal_cdf((theta_of(base, 1e24) - theta_of(base, 5e23)) / std::sqrt(2.0));
    const int runs = 300;
    const std::uint32_t n = 100;
    int covered = 0;
    for (int s = 0; s < runs; ++s) {
        opt.seed = 1000 + static_cast<std::uint32_t>(s);
        const run::McResult mc =
            simulate(io::load_scenario(inputs + "two-teams-panel.yaml", opt), n);
        const core::Interval w = core::wilson_interval(static_cast<double>(mc.teams[0].kept[0]), n);
        covered += w.lo <= p && p <= w.hi;
    }
    // Coverage of `runs` independent intervals is Binomial(runs, 0.95): sd = sqrt(.95 .05 / runs).
    const double coverage = static_cast<double>(covered) / runs;
    REQUIRE(std::abs(coverage - 0.95) < 4 * std::sqrt(0.95 * 0.05 / runs));
}

namespace {
const std::string reference = std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2025.yaml";

// Two Monte Carlo runs of the same replicates agree to the bit.
void require_same(const run::McResult& a, const run::McResult& b) {
    REQUIRE(a.replicates == b.replicates);
    for (std::size_t m = 0; m < a.metrics.size(); ++m) {
        REQUIRE(a.metrics[m].mean() == b.metrics[m].mean());
        REQUIRE(a.metrics[m].variance() == b.metrics[m].variance());
        REQUIRE(a.metrics[m].spread().hi == b.metrics[m].spread().hi);
    }
    for (std::size_t i = 0; i < a.teams.size(); ++i)
        REQUIRE(a.teams[i].finalist == b.teams[i].finalist);
}
}  // namespace

TEST_CASE("monte carlo: results do not depend on threads or batch size") {
    const model::Scenario sc = io::load_scenario(reference);
    // Groups of replicates in lock-step, each run by one thread: 1 thread, groups of 10; 2
    // threads, groups of 5 in a batch of 40, of 1 in a batch of 7.
    const run::McResult a = simulate(sc, 40, 1, 256);
    REQUIRE(a.replicates == 40);
    for (const run::McResult& b : {simulate(sc, 40, 2, 7), simulate(sc, 40, 2, 256)})
        require_same(a, b);
}

namespace {
// The CPU backend with a lock-step batch of its own, counting the replicates each call holds.
class SmallBatchBackend final : public eval::ScoringBackend {
  public:
    std::string name() const override { return "cpu"; }
    std::uint32_t batch_replicates() const override { return 3; }
    void score(const eval::ScoringBatch& b, std::span<double> out) override {
        std::set<std::uint32_t> replicates;
        for (std::uint32_t p = 0; p < b.n_pairs; ++p) replicates.insert(b.pairs[p].replicate);
        most = std::max(most, replicates.size());
        inner.score(b, out);
    }
    std::size_t most = 0;  ///< most replicates in one call
    eval::CpuBackend inner{1};
};
}  // namespace

TEST_CASE("monte carlo and compare: the batch follows the backend unless given, the result not") {
    const model::Scenario sc = io::load_scenario(reference);
    const programme::PreparedScenario p = programme::prepare(sc);
    SmallBatchBackend small;
    run::McOptions opt;
    opt.replicates = 10;
    const run::McResult a = run::run_monte_carlo(p, small, opt);  // batch 0: the backend's 3
    REQUIRE(small.most == 3);
    require_same(a, simulate(sc, 10, 1, 256));
    small.most = 0;
    eval::CpuBackend cpu(1);
    const run::ComparisonResult ca = run::compare_arms(p, p, small, 10, 1),
                                cb = run::compare_arms(p, p, cpu, 10, 1, 256);
    REQUIRE(small.most == 3);
    for (std::size_t m = 0; m < ca.metrics.size(); ++m)
        REQUIRE(ca.metrics[m].a.mean() == cb.metrics[m].a.mean());
    REQUIRE(eval::CpuBackend(1).batch_replicates() == 1024);
}

TEST_CASE("batch: each result handed on once, where run_batch puts it, and `alongside` run once") {
    io::LoadOptions seven;
    seven.seed = 7;
    const model::Scenario sc = io::load_scenario(reference),
                          sc7 = io::load_scenario(reference, seven);
    const programme::PreparedScenario p = programme::prepare(sc), q = programme::prepare(sc7);
    std::vector<std::uint32_t> ids(40);
    std::iota(ids.begin(), ids.end(), 5u);
    eval::CpuBackend one(1), two(2);
    const std::vector<programme::Result> want_p = run::run_batch(p, ids, one, 1, false),
                                         want_q = run::run_batch(q, ids, one, 1, false);
    // Replicates of an odd id run on q: two scenarios in one call of run_batch_for_each.
    const auto on = [&](std::uint32_t id) { return id % 2 ? &q : &p; };
    SmallBatchBackend lock_step;  // not concurrent: one lock-step batch, then the results
    for (const bool mixed : {false, true})
        for (eval::ScoringBackend* backend :
             std::initializer_list<eval::ScoringBackend*>{&two, &lock_step}) {
            INFO((mixed ? "two scenarios, " : "one scenario, ") << backend->scores_concurrently());
            std::vector<std::atomic<int>> seen(ids.size());
            std::vector<std::uint32_t> replicate(ids.size());
            std::vector<double> ability(ids.size());
            std::atomic<int> side{0};
            const auto take = [&](std::size_t k, programme::Result&& r) {
                ++seen[k];
                replicate[k] = r.replicate;
                ability[k] = r.teams[0].end.ability;
            };
            if (mixed)
                run::run_batch_for_each(on, ids, *backend, 2, take, [&] { ++side; });
            else
                run::run_batch_each(p, ids, *backend, 2, false, take, [&] { ++side; });
            REQUIRE(side == 1);
            for (std::size_t k = 0; k < ids.size(); ++k) {
                REQUIRE(seen[k] == 1);
                REQUIRE(replicate[k] == ids[k]);
                const bool on_q = mixed && ids[k] % 2;
                REQUIRE(ability[k] == (on_q ? want_q : want_p)[k].teams[0].end.ability);
            }
        }
    // What `alongside` or `take` throws reaches the caller, once the batch has ended.
    const auto nothing = [](std::size_t, programme::Result&&) {};
    REQUIRE_THROWS_WITH(run::run_batch_each(p, ids, two, 2, false, nothing,
                                            [] { throw std::runtime_error("fold failed"); }),
                        "fold failed");
    REQUIRE_THROWS_WITH(run::run_batch_each(p, ids, two, 2, false,
                                            [&](std::size_t k, programme::Result&&) {
                                                if (k == 17) throw std::runtime_error("disk full");
                                            }),
                        "disk full");
    // No replicate: `alongside` still runs.
    int side = 0;
    run::run_batch_for_each(on, {}, two, 2, nothing, [&] { ++side; });
    REQUIRE(side == 1);
}

TEST_CASE(
    "monte carlo: progress comes from the calling thread, and a failing per_replicate ends the "
    "run") {
    const model::Scenario sc = io::load_scenario(reference);
    const programme::PreparedScenario p = programme::prepare(sc);
    eval::CpuBackend cpu(2);
    run::McOptions opt;
    opt.replicates = 40;
    opt.threads = 2;
    opt.batch = 8;  // a batch is folded while the next is simulated
    const std::thread::id caller = std::this_thread::get_id();
    std::vector<std::uint32_t> told, order;
    bool elsewhere = false;
    opt.progress = [&](std::uint32_t done) {
        told.push_back(done);
        elsewhere = elsewhere || std::this_thread::get_id() != caller;
    };
    opt.per_replicate = [&](std::uint32_t r, const std::vector<double>&) { order.push_back(r); };
    run::run_monte_carlo(p, cpu, opt);
    REQUIRE_FALSE(elsewhere);
    REQUIRE(told == std::vector<std::uint32_t>{8, 16, 24, 32, 40});
    std::vector<std::uint32_t> all(40);
    std::iota(all.begin(), all.end(), 0u);
    REQUIRE(order == all);
    // The run throws what per_replicate threw, and no call comes after it.
    order.clear();
    opt.per_replicate = [&](std::uint32_t r, const std::vector<double>&) {
        order.push_back(r);
        if (r == 13) throw std::runtime_error("disk full");
    };
    REQUIRE_THROWS_WITH(run::run_monte_carlo(p, cpu, opt), "disk full");
    REQUIRE(order.size() == 14);
}

namespace {
// A device-like backend on the CPU: start() scores on a thread of its own and returns at once,
// finish() waits for it, so a driver that overlaps really runs its simulation meanwhile.
class OverlappingBackend final : public eval::ScoringBackend {
  public:
    std::string name() const override { return "cpu"; }
    bool overlaps() const override { return true; }
    void score(const eval::ScoringBatch& b, std::span<double> out) override { inner.score(b, out); }
    ~OverlappingBackend() override {
        for (std::thread& w : work)
            if (w.joinable()) w.join();
    }
    void start(int slot, const eval::ScoringBatch& b, std::span<double> out) override {
        REQUIRE(!work[slot].joinable());  // a slot is finished before it is used again
        if (++starts == fail_at_start) throw std::runtime_error("device lost");
        // Started again right after its own finish, while the other half is scored: this half
        // was simulated meanwhile.
        if (last_finished == slot && work[1 - slot].joinable()) ++overlapped;
        last_finished = -1;
        work[slot] = std::thread([this, b, out] { inner.score(b, out); });
    }
    void finish(int slot) override {
        REQUIRE(work[slot].joinable());
        work[slot].join();
        last_finished = slot;
        ++finished;
    }
    eval::CpuBackend inner{1};
    std::array<std::thread, 2> work;
    int last_finished = -1;  ///< the slot of the last call when it was a finish, else -1
    int overlapped = 0, finished = 0, starts = 0;
    int fail_at_start = -1;  ///< the start that throws (1-based; -1: none)
};
}  // namespace

TEST_CASE(
    "monte carlo: a backend that overlaps scores one half while the other is simulated, "
    "with the same results") {
    const model::Scenario sc = io::load_scenario(reference);
    const programme::PreparedScenario p = programme::prepare(sc);
    OverlappingBackend device;
    run::McOptions opt;
    opt.replicates = 45;
    opt.threads = 2;
    opt.batch = 15;  // halves of 7 and 8 replicates
    const run::McResult a = run::run_monte_carlo(p, device, opt);
    // 3 batches (no budget is capped: one pass each), 2 halves, every stage scored.
    const int stages = static_cast<int>(sc.stages.size());
    REQUIRE(device.finished == 3 * 2 * stages);
    // After its first stage, each half was simulated while the other one was being scored.
    REQUIRE(device.overlapped == 3 * 2 * (stages - 1));
    require_same(a, simulate(sc, 45, 1, 256));

    // A failure while one half is being scored: that scoring is finished before the batch's
    // buffers go (under the sanitizers, a late write into them would be reported), then the
    // error reaches the caller.
    OverlappingBackend failing;
    failing.fail_at_start = 4;  // the second half's second stage, the first half in flight
    REQUIRE_THROWS_WITH(run::run_monte_carlo(p, failing, opt), "device lost");
    REQUIRE(failing.finished == 3);
}

TEST_CASE("compare: pairing on common random numbers narrows the interval of a small change") {
    const model::Scenario sa = io::load_scenario(reference);
    io::LoadOptions opt;
    opt.sets = {"data.purchase_krw_per_year=11e9"};  // 10% more data money
    const model::Scenario sb = io::load_scenario(reference, opt);
    const programme::PreparedScenario pa = programme::prepare(sa), pb = programme::prepare(sb);
    eval::CpuBackend backend(1);
    const run::ComparisonResult c = run::compare_arms(pa, pb, backend, 64, 1);
    REQUIRE(c.replicates == 64);
    const run::MetricComparison* m = nullptr;
    for (const auto& x : c.metrics)
        if (x.spec.name == "mean_finalist_ability") m = &x;
    REQUIRE(m != nullptr);
    const core::Interval paired = m->diff.mean_ci(), unpaired = m->unpaired_ci();
    INFO("variance ratio " << m->variance_ratio());
    REQUIRE(paired.hi - paired.lo < unpaired.hi - unpaired.lo);
    REQUIRE(m->variance_ratio() > 1.0);
    REQUIRE(m->diff.mean() == Approx(m->b.mean() - m->a.mean()).margin(1e-12));
    // The same arm twice: every difference is exactly zero.
    const run::ComparisonResult same = run::compare_arms(pa, pa, backend, 16, 1);
    for (const auto& x : same.metrics) REQUIRE(x.diff.max() == 0);
}

TEST_CASE("metrics: Gini coefficient") {
    REQUIRE(run::gini({1, 1, 1}) == 0);
    REQUIRE(run::gini({0, 0, 1}) == Approx(2.0 / 3));
    REQUIRE(run::gini({}) == 0);
    REQUIRE(run::gini({0, 0}) == 0);
}

TEST_CASE("Monte Carlo: the fields after each stage agree with each team's outcomes") {
    const model::Scenario sc =
        io::load_scenario(std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2026-actual.yaml");
    const std::uint32_t n = 400;
    const run::McResult mc = simulate(sc, n, 2, 64);
    REQUIRE(mc.fields.size() == sc.stages.size());
    for (std::size_t s = 0; s < sc.stages.size(); ++s) {
        const run::McFields& f = mc.fields[s];
        std::uint64_t total = 0, sized = 0;
        std::vector<std::uint64_t> with(sc.teams.size(), 0);
        for (const auto& [teams, count] : f.count) {
            total += count;
            for (int i : teams) with[i] += count;
        }
        for (std::uint64_t c : f.size) sized += c;
        REQUIRE(total + f.other == n);
        REQUIRE(sized == n);
        if (sc.stages[s].wildcard) {
            // It fills the field back to 4: never more, and never fewer while applicants remain.
            for (const auto& [teams, count] : f.count) REQUIRE(teams.size() == 4);
            continue;
        }
        // A regular stage's field is the teams it advanced.
        for (std::size_t i = 0; i < sc.teams.size(); ++i) REQUIRE(with[i] == mc.teams[i].kept[s]);
    }
}

TEST_CASE("Monte Carlo: counting only replicates with a given field keeps exactly those") {
    const model::Scenario sc =
        io::load_scenario(std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2026-actual.yaml");
    const std::uint32_t n = 300;
    const run::McResult all = simulate(sc, n, 1, 64);
    // The most frequent field after stage 1, and how often it came out.
    int stage1 = 0;
    while (sc.stages[stage1].id != "stage1") ++stage1;
    const auto& counts = all.fields[stage1].count;
    const auto top =
        std::max_element(counts.begin(), counts.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    const programme::PreparedScenario p = programme::prepare(sc);
    eval::CpuBackend backend(2);
    run::McOptions opt;
    opt.replicates = n;
    opt.threads = 2;
    opt.keep = [&](const programme::Result& r) {
        return run::field_after(sc, r, stage1) == top->first;
    };
    const run::McResult given = run::run_monte_carlo(p, backend, opt);
    REQUIRE(given.simulated == n);
    REQUIRE(given.replicates == top->second);
    REQUIRE(given.fields[stage1].count.size() == 1);
    for (int i : top->first) REQUIRE(given.teams[i].kept[stage1] == top->second);
}

TEST_CASE(
    "bench replicates: a rate, a scoring share, an idle share below 1 and none with overlap") {
    const model::Scenario sc = io::load_scenario(reference);
    const programme::PreparedScenario p = programme::prepare(sc);
    eval::CpuBackend cpu(2);
    const run::ReplicateRate r = run::bench_replicates(p, cpu, 48, 2);
    REQUIRE(r.per_second > 0);
    REQUIRE(r.scoring_share > 0);  // the reference scores benchmarks
    REQUIRE(r.scoring_share < 1);
    // Idle is what the process's CPU time leaves of wall time x threads, and it depends on the
    // machine's load: only that the clock advanced (a clock that does not gives 1).
    REQUIRE(r.idle_share.has_value());
    REQUIRE(*r.idle_share >= 0);
    REQUIRE(*r.idle_share < 1);
    // A backend that overlaps: no idle share (a driver's threads and waits blur CPU time).
    OverlappingBackend device;  // scores on threads of its own
    const run::ReplicateRate d = run::bench_replicates(p, device, 8, 2);
    REQUIRE(d.per_second > 0);
    REQUIRE(!d.idle_share.has_value());
}
