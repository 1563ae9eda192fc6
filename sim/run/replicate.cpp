#include "kaisim/run/replicate.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <span>

#include "kaisim/core/parallel.hpp"
#include "kaisim/core/thread_scratch.hpp"
#include "kaisim/programme/race.hpp"

namespace kaisim::run {

using programme::PreparedScenario;
using programme::Race;
using programme::Result;

namespace {

// One stage's scoring inputs and outputs for a range of races; `batch` points into them.
struct StageBuffers {
    std::vector<eval::PairInput> pairs;
    std::vector<float> abilities, proposal, report;
    std::vector<std::size_t> offset;  ///< per race of the range: its first pair
    std::vector<double> raw;
    eval::ScoringBatch batch;
};

// What a thread keeps from one lock-step batch to the next: its races and the stage buffers (one
// per half of a batch that overlaps with a device), so that a batch allocates nothing for the
// simulation in steady state (only the results it returns).
struct LockStepScratch {
    std::vector<std::unique_ptr<Race>> races;
    std::array<StageBuffers, 2> half;
};

// Gathers the inputs of stage `s` of races [b, e) into `buf` for one backend call.
void gather(const PreparedScenario& prepared, int s,
            const std::vector<std::unique_ptr<Race>>& races, std::size_t b, std::size_t e,
            const std::vector<int>& at, StageBuffers& buf) {
    const eval::StagePlan& plan = prepared.plans[s];
    buf.pairs.clear();
    buf.abilities.clear();
    buf.proposal.clear();
    buf.report.clear();
    buf.offset.assign(e - b + 1, 0);
    for (std::size_t k = b; k < e; ++k) {
        KAISIM_ASSERT(at[k] == s);
        const programme::StageInputs& in = races[k]->stage_inputs();
        buf.pairs.insert(buf.pairs.end(), in.pairs.begin(), in.pairs.end());
        buf.abilities.insert(buf.abilities.end(), in.abilities.begin(), in.abilities.end());
        buf.proposal.insert(buf.proposal.end(), in.proposal.begin(), in.proposal.end());
        buf.report.insert(buf.report.end(), in.report.begin(), in.report.end());
        buf.offset[k - b + 1] = buf.offset[k - b] + in.pairs.size();
    }
    buf.batch = plan.batch(prepared.scenario->seed);
    buf.batch.pairs = buf.pairs.data();
    buf.batch.n_pairs = static_cast<std::uint32_t>(buf.pairs.size());
    buf.batch.abilities = buf.abilities.data();
    buf.batch.ability_stride = 1 + static_cast<std::uint32_t>(prepared.scenario->domains.size());
    buf.batch.proposal_logit = buf.proposal.data();
    buf.batch.report_logit = buf.report.data();
    buf.batch.theta_ref = static_cast<float>(prepared.theta_frontier[s]);
    buf.raw.resize(buf.pairs.size() * plan.components.size());
}

// Applies the scored stage to races [b, e) and runs each to its next stage.
void advance(std::vector<std::unique_ptr<Race>>& races, std::size_t b, std::size_t e,
             std::vector<int>& at, const StageBuffers& buf, int threads) {
    const std::size_t nc = buf.batch.n_components;
    core::parallel_for(e - b, threads, [&](std::size_t jb, std::size_t je) {
        for (std::size_t j = jb; j < je; ++j) {
            races[b + j]->complete_stage(buf.raw.data() + buf.offset[j] * nc);
            at[b + j] = races[b + j]->next_stage();
        }
    });
}

// Scores and applies every stage of races [0, n), which all stand at the same stage. A backend
// that overlaps scores one half of them while the threads simulate the other half: each half
// starts its next stage's scoring as soon as it reaches it. Each pair's score is a pure function
// of its inputs, so the halves change no result.
void run_stages(const PreparedScenario& prepared, std::vector<std::unique_ptr<Race>>& races,
                std::size_t n, std::vector<int>& at, LockStepScratch& buf,
                eval::ScoringBackend& backend, int threads) {
    if (!backend.overlaps() || n < 2) {
        StageBuffers& all = buf.half[0];
        while (at[0] >= 0) {
            gather(prepared, at[0], races, 0, n, at, all);
            backend.score(all.batch, all.raw);  // one call per stage for the whole batch
            advance(races, 0, n, at, all, threads);
        }
        return;
    }
    const std::array<std::size_t, 3> edge{0, n / 2, n};
    std::array<bool, 2> live{}, in_flight{};
    try {
        for (int h = 0; h < 2; ++h) {
            live[h] = at[edge[h]] >= 0;
            if (!live[h]) continue;
            gather(prepared, at[edge[h]], races, edge[h], edge[h + 1], at, buf.half[h]);
            backend.start(h, buf.half[h].batch, buf.half[h].raw);
            in_flight[h] = true;
        }
        while (live[0] || live[1])
            for (int h = 0; h < 2; ++h) {
                if (!live[h]) continue;
                in_flight[h] = false;
                backend.finish(h);
                advance(races, edge[h], edge[h + 1], at, buf.half[h], threads);
                live[h] = at[edge[h]] >= 0;
                if (!live[h]) continue;
                gather(prepared, at[edge[h]], races, edge[h], edge[h + 1], at, buf.half[h]);
                backend.start(h, buf.half[h].batch, buf.half[h].raw);
                in_flight[h] = true;
            }
    } catch (...) {
        // The buffers are about to go: no scoring may still read or write them.
        for (int h = 0; h < 2; ++h)
            if (in_flight[h]) try {
                    backend.finish(h);
                } catch (...) {  // the first error is the one to report
                }
        throw;
    }
}

// All of `replicates` in lock-step, `threads` advancing them between stages.
std::vector<Result> run_lock_step(const PreparedScenario& prepared,
                                  const std::vector<std::uint32_t>& replicates,
                                  eval::ScoringBackend& backend, int threads,
                                  bool record_timeline) {
    const model::PolicySettings& pol = prepared.scenario->policy;
    const std::size_t nb = pol.budgets.size();
    std::vector<Result> results(replicates.size());
    std::vector<double> scales(replicates.size() * nb, 1.0);  // [replicate * nb + budget]
    // This thread's races and buffers, taken out while in use (a nested call would find none).
    LockStepScratch buf = std::move(core::thread_scratch<LockStepScratch>());
    std::vector<std::unique_ptr<Race>>& races = buf.races;
    std::vector<std::size_t> todo(replicates.size());
    std::iota(todo.begin(), todo.end(), 0);
    for (int pass = 0; !todo.empty(); ++pass) {
        const std::size_t n = todo.size();
        while (races.size() < n) races.push_back(nullptr);
        std::vector<int> at(n);
        // Each thread sets up the races it runs (their draws are most of a race's set-up).
        core::parallel_for(n, threads, [&](std::size_t b, std::size_t e) {
            for (std::size_t k = b; k < e; ++k) {
                const std::span<const double> scale(scales.data() + todo[k] * nb, nb);
                if (!races[k])
                    races[k] =
                        std::make_unique<Race>(prepared, replicates[todo[k]], record_timeline,
                                               std::vector<double>(scale.begin(), scale.end()));
                else
                    races[k]->reset(prepared, replicates[todo[k]], record_timeline, scale);
                races[k]->start();
                at[k] = races[k]->next_stage();
            }
        });
        // Every replicate shares the stage calendar: all stand at the same stage, or all ended.
        run_stages(prepared, races, n, at, buf, backend, threads);
        // Each thread takes its races' results; a race over a capped budget stays for another
        // pass with its quotas and money scaled.
        std::vector<char> redo(n, 0);
        core::parallel_for(n, threads, [&](std::size_t jb, std::size_t je) {
            for (std::size_t j = jb; j < je; ++j) {
                const std::size_t k = todo[j];
                results[k] = races[j]->take_result();
                bool fits = true;
                for (const model::BudgetCheck& b : results[k].budgets) fits = fits && b.feasible;
                if (pol.budget_mode != model::BudgetMode::report && !fits && pass < 5) {
                    redo[j] = 1;
                    // Scale what the rules control (team-attributed spend) so the budget would
                    // be met; integer GPU counts and pool limits make it approximate, hence the
                    // next pass checks.
                    for (std::size_t b = 0; b < nb; ++b) {
                        const model::Budget& bud = pol.budgets[b];
                        const double scalable = races[j]->state().ledger.spent_in(
                            bud.category, bud.from_h, bud.to_h, true);
                        const double fixed = results[k].budgets[b].spent_krw - scalable;
                        if (results[k].budgets[b].feasible || scalable <= 0) continue;
                        scales[k * nb + b] *=
                            std::max(0.0, (bud.krw - fixed) / scalable) * (1 - 1e-9);
                    }
                }
            }
        });
        std::vector<std::size_t> again;
        for (std::size_t j = 0; j < n; ++j)
            if (redo[j]) again.push_back(todo[j]);
        todo = std::move(again);
    }
    core::thread_scratch<LockStepScratch>() = std::move(buf);
    return results;
}

// Where a batch's groups start, then n: groups of `group` replicates, on t > 1 threads the last
// t x group replicates or so (from the end of the group that reaches them) in groups a quarter
// that size. Threads take groups in order, so they end on small ones and none waits long for
// the last (or for one running something alongside). Assumption: 16 races (a few hundred kB)
// stay in a core's cache between stages; at least 4 groups per thread even out uneven
// replicates (1,024 replicates on 2 threads: 62 groups of 16, 8 of 4), with smaller groups where
// threads are many or the batch is small (an MPI rank's share).
std::vector<std::size_t> group_starts(std::size_t n, std::size_t t) {
    const std::size_t group = std::clamp<std::size_t>(n / (4 * t), 1, 16);
    const std::size_t small = std::max<std::size_t>(group / 4, 1);
    const std::size_t tail = t > 1 ? std::min(n, t * group) : 0;  // one thread waits for none
    std::vector<std::size_t> starts;
    starts.reserve(n / group + tail / small + 2);  // one allocation, whatever n
    std::size_t at = 0;
    for (; at < n - tail; at += group) starts.push_back(at);
    for (; at < n; at += small) starts.push_back(at);
    starts.push_back(n);
    return starts;
}

// Whether a batch runs as one lock-step batch (a backend that scores for the whole batch at once,
// e.g. a device), not as groups on the threads.
bool whole_lock_step(const eval::ScoringBackend& backend, const std::vector<std::uint32_t>& ids) {
    return !backend.scores_concurrently() || ids.size() <= 1;
}
}  // namespace

void run_batch_each(const PreparedScenario& prepared, const std::vector<std::uint32_t>& replicates,
                    eval::ScoringBackend& backend, int threads, bool record_timeline,
                    const std::function<void(std::size_t, Result&&)>& take,
                    const std::function<void()>& alongside) {
    if (whole_lock_step(backend, replicates)) {
        if (alongside) alongside();
        std::vector<Result> results =
            run_lock_step(prepared, replicates, backend, threads, record_timeline);
        core::parallel_for(results.size(), threads, [&](std::size_t b, std::size_t e) {
            for (std::size_t k = b; k < e; ++k) take(k, std::move(results[k]));
        });
        return;
    }
    const std::vector<std::size_t> starts =
        group_starts(replicates.size(), static_cast<std::size_t>(std::max(threads, 1)));
    const std::size_t side = alongside ? 1 : 0, tasks = side + starts.size() - 1;
    std::vector<std::exception_ptr> errors(tasks);
    // Task 0 is `alongside`, then one task per group; a group's results are taken, and freed,
    // by the thread that simulated them.
    core::run_tasks(
        tasks,
        [&](std::size_t k) {
            try {
                if (k < side) return alongside();
                const std::size_t b = starts[k - side],
                                  e = std::min(replicates.size(), starts[k - side + 1]);
                const std::vector<std::uint32_t> ids(replicates.begin() + b,
                                                     replicates.begin() + e);
                std::vector<Result> part =
                    run_lock_step(prepared, ids, backend, 1, record_timeline);
                for (std::size_t j = 0; j < part.size(); ++j) take(b + j, std::move(part[j]));
            } catch (...) {
                errors[k] = std::current_exception();
            }
        },
        static_cast<std::size_t>(std::max(threads, 1)));
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

std::vector<Result> run_batch(const PreparedScenario& prepared,
                              const std::vector<std::uint32_t>& replicates,
                              eval::ScoringBackend& backend, int threads, bool record_timeline) {
    if (whole_lock_step(backend, replicates))
        return run_lock_step(prepared, replicates, backend, threads, record_timeline);
    std::vector<Result> results(replicates.size());
    run_batch_each(prepared, replicates, backend, threads, record_timeline,
                   [&](std::size_t k, Result&& r) { results[k] = std::move(r); });
    return results;
}

void run_batch_for_each(const std::function<const PreparedScenario*(std::uint32_t)>& prepared_for,
                        const std::vector<std::uint32_t>& replicates, eval::ScoringBackend& backend,
                        int threads, const std::function<void(std::size_t, Result&&)>& take,
                        const std::function<void()>& alongside) {
    std::map<const PreparedScenario*, std::vector<std::size_t>> groups;  // positions
    for (std::size_t j = 0; j < replicates.size(); ++j)
        groups[prepared_for(replicates[j])].push_back(j);
    if (groups.empty() && alongside) alongside();
    // `alongside` goes with the scenario of the most replicates, where it overlaps the most.
    const PreparedScenario* widest = nullptr;
    for (const auto& [p, at] : groups)
        if (!widest || at.size() > groups.at(widest).size()) widest = p;
    for (const auto& [p, at] : groups) {
        std::vector<std::uint32_t> ids;
        for (std::size_t j : at) ids.push_back(replicates[j]);
        run_batch_each(
            *p, ids, backend, threads, false,
            [&, &at = at](std::size_t j, Result&& r) { take(at[j], std::move(r)); },
            p == widest ? alongside : std::function<void()>{});
    }
}

Result run_replicate(const PreparedScenario& prepared, std::uint32_t replicate,
                     eval::ScoringBackend& backend, bool record_timeline) {
    return std::move(run_batch(prepared, {replicate}, backend, 1, record_timeline).front());
}

}  // namespace kaisim::run
