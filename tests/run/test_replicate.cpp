#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <thread>

#include "kaisim/output/run_outputs.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/replicate.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

using namespace kaisim;

namespace {
const std::string reference = std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2025.yaml";
const std::string minimal = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/minimal.yaml";

programme::Result run_once(const model::Scenario& sc, int threads = 1) {
    const programme::PreparedScenario p = programme::prepare(sc);
    eval::CpuBackend backend(threads);
    return run::run_replicate(p, 0, backend);
}
}  // namespace

TEST_CASE("replicate: the reference programme keeps 10, 5, 4, 3 and 2 teams") {
    io::LoadOptions opt;
    opt.seed = 1;
    const model::Scenario sc = io::load_scenario(reference, opt);
    const programme::Result r = run_once(sc);
    REQUIRE(r.stages.size() == 5);
    const std::vector<std::size_t> eligible{15, 10, 5, 4, 3};
    const std::vector<int> kept{10, 5, 4, 3, 2};
    for (std::size_t s = 0; s < 5; ++s) {
        REQUIRE(r.stages[s].rows.size() == eligible[s]);
        int k = 0;
        for (const auto& row : r.stages[s].rows) k += row.outcome == eval::Outcome::advanced;
        REQUIRE(k == kept[s]);
    }
    REQUIRE(r.finalists.size() == 2);
    // Exactly the five elite teams kept at the presentation review hold programme GPUs.
    for (const auto& row : r.stages[1].rows) {
        const bool elite = row.outcome == eval::Outcome::advanced;
        REQUIRE((r.teams[row.team].gpu_h_allocated > 0) == elite);
    }
    for (const auto& row : r.stages[0].rows)
        if (row.outcome != eval::Outcome::advanced) REQUIRE(r.teams[row.team].gpu_h_allocated == 0);
}

TEST_CASE("replicate: GPU spend in the budget window is the cost of the leased GPUs assigned") {
    io::LoadOptions opt;
    opt.seed = 1;
    const model::Scenario sc = io::load_scenario(reference, opt);
    const programme::Result r = run_once(sc);
    // The announced pool serves every quota: 5 teams x 500 H100 for 164 days (4 Aug 2025 to
    // 15 Jan 2026), then 4 x 1,000 to the end of 30 June 2026, the budget's last day (`to` is
    // inclusive: 167 days, not 166), at 4,977 KRW per GPU-hour.
    const double by_hand = 4977.0 * 24 * (500.0 * 164 * 5 + 1000.0 * 167 * 4);
    REQUIRE(r.budgets.size() == 1);
    REQUIRE(r.budgets[0].spent_krw == Approx(by_hand).epsilon(1e-9));
    REQUIRE(r.budgets[0].feasible == (by_hand <= 157.6e9));
    for (const programme::TeamRecord& t : r.teams) REQUIRE(t.gpu_h_unmet == 0);
    // Under the lessor bar of the real stage 1 (the what-if overlay), only the non-lessors hold
    // quotas before 1 July 2026, and the lessors' unmet quota is reported.
    opt.overlays = {std::string(KAISIM_SOURCE_DIR) + "/scenarios/what-if/lessor-bar.yaml"};
    const model::Scenario barred = io::load_scenario(reference, opt);
    const programme::Result b = run_once(barred);
    auto non_lessors_kept = [&](int stage) {
        int n = 0;
        for (const auto& row : b.stages[stage].rows)
            n += row.outcome == eval::Outcome::advanced && !barred.teams[row.team].lessor;
        return n;
    };
    REQUIRE(non_lessors_kept(1) > 0);
    REQUIRE(b.budgets[0].spent_krw ==
            Approx(4977.0 * 24 *
                   (500.0 * 164 * non_lessors_kept(1) + 1000.0 * 167 * non_lessors_kept(2)))
                .epsilon(1e-9));
    for (const auto& row : b.stages[1].rows)
        if (row.outcome == eval::Outcome::advanced && barred.teams[row.team].lessor)
            REQUIRE(b.teams[row.team].gpu_h_unmet > 0);
}

TEST_CASE("replicate: a budget's `to` day is inside its window") {
    // One day, from = to = 1 Aug 2025: the window is that whole day, when the survivor holds the
    // 100 pool GPUs: 100 x 24 GPU-hours.
    io::LoadOptions opt;
    opt.sets = {"policies.budgets=[{category: gpu, from: 2025-08-01, to: 2025-08-01, krw: 1}]"};
    const model::Scenario sc = io::load_scenario(minimal, opt);
    REQUIRE(sc.policy.budgets.at(0).to_h - sc.policy.budgets.at(0).from_h == 24);
    REQUIRE(sc.policy.budgets.at(0).last_day_h ==
            sc.policy.budgets.at(0).from_h);  // shown as 1 Aug
    const programme::Result r = run_once(sc);
    REQUIRE(r.budgets.at(0).spent_krw == Approx(5000.0 * 100 * 24));
}

TEST_CASE("replicate: GPU-hours add up on a small programme") {
    const model::Scenario sc = io::load_scenario(minimal);
    const programme::Result r = run_once(sc);
    // 100 pool GPUs all year (364 days); the survivor of 30 Jun holds them for 184 days.
    REQUIRE(r.pool.capacity_gpu_h == Approx(100 * 364 * 24.0));
    REQUIRE(r.pool.allocated_gpu_h == Approx(100 * 184 * 24.0));
    REQUIRE(r.pool.idle_gpu_h == Approx(100 * 180 * 24.0));
    const programme::TeamRecord& winner = r.teams[r.finalists.at(0)];
    REQUIRE(winner.gpu_h_allocated == Approx(100 * 184 * 24.0));
    REQUIRE(winner.gpu_h_productive + winner.gpu_h_lost == Approx(winner.gpu_h_allocated));
    REQUIRE(winner.gpu_h_lost > 0);  // ~87 expected interruptions at 1.97e-5 per GPU-hour
    // The programme pays for the GPUs it assigns, not for capacity it leaves with the provider.
    REQUIRE(r.spend_krw[0] == Approx(5000.0 * 100 * 184 * 24));
}

TEST_CASE("replicate: the same seed gives identical outputs, another seed other scores") {
    io::LoadOptions opt;
    opt.seed = 7;
    const model::Scenario a = io::load_scenario(reference, opt);
    const std::string s1 = io::stages_csv(a, run_once(a)) + io::timeline_csv(a, run_once(a));
    const std::string s2 = io::stages_csv(a, run_once(a, 2)) + io::timeline_csv(a, run_once(a, 2));
    REQUIRE(s1 == s2);
    opt.seed = 8;
    const model::Scenario b = io::load_scenario(reference, opt);
    REQUIRE(io::stages_csv(b, run_once(b)) != io::stages_csv(a, run_once(a)));
}

TEST_CASE("replicate: recording the timeline changes no number of the replicate") {
    // `kaisim run` records a timeline, a Monte Carlo does not: the same replicate must give the
    // same bits (teams are integrated at the same times either way).
    const model::Scenario sc = io::load_scenario(reference);
    const programme::PreparedScenario p = programme::prepare(sc);
    eval::CpuBackend backend(1);
    for (std::uint32_t rep : {0u, 5u, 11u}) {
        const programme::Result with = run::run_replicate(p, rep, backend, true),
                                without = run::run_replicate(p, rep, backend, false);
        REQUIRE(!with.timeline.empty());
        REQUIRE(without.timeline.empty());
        REQUIRE(io::stages_csv(sc, with) == io::stages_csv(sc, without));
        for (std::size_t i = 0; i < with.teams.size(); ++i) {
            const programme::TeamRecord &a = with.teams[i], &b = without.teams[i];
            REQUIRE(a.end.flops == b.end.flops);
            REQUIRE(a.end.effective_flops == b.end.effective_flops);
            REQUIRE(a.gpu_h_allocated == b.gpu_h_allocated);
            REQUIRE(a.gpu_h_productive == b.gpu_h_productive);
            REQUIRE(a.gpu_h_lost == b.gpu_h_lost);
            REQUIRE(a.gpu_h_unmet == b.gpu_h_unmet);
            REQUIRE(a.failures == b.failures);
            REQUIRE(a.krw == b.krw);
        }
        REQUIRE(with.spend_krw == without.spend_krw);
        REQUIRE(with.pool.allocated_gpu_h == without.pool.allocated_gpu_h);
        REQUIRE(with.pool.capacity_gpu_h == without.pool.capacity_gpu_h);
    }
}

TEST_CASE(
    "replicate: a race used again, for other replicates and other scenarios, gives what a "
    "new one gives") {
    // Races keep their storage from batch to batch on each thread (Race::reset): nothing of a
    // previous replicate or scenario may show. A new thread has no races yet.
    const std::string actual = std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2026-actual.yaml";
    const model::Scenario a = io::load_scenario(reference), b = io::load_scenario(actual),
                          c = io::load_scenario(minimal);
    const programme::PreparedScenario pa = programme::prepare(a), pb = programme::prepare(b),
                                      pc = programme::prepare(c);
    REQUIRE(a.teams.size() != c.teams.size());
    eval::CpuBackend backend(1);
    const std::vector<std::uint32_t> ids{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 40, 41, 42, 43, 44};
    const auto text = [](const model::Scenario& sc, const std::vector<programme::Result>& rs) {
        std::string t;
        for (const programme::Result& r : rs) t += io::stages_csv(sc, r) + io::teams_csv(sc, r);
        return t;
    };
    const auto on_new_thread = [&](const programme::PreparedScenario& p) {
        std::vector<programme::Result> out;
        std::thread([&] { out = run::run_batch(p, ids, backend, 1, false); }).join();
        return out;
    };
    const std::string new_a = text(a, on_new_thread(pa)), new_b = text(b, on_new_thread(pb));
    // On this thread: the small scenario, then the others, twice, in lock-step batches of
    // different sizes (its races see other replicates each time).
    run::run_batch(pc, ids, backend, 1, false);
    for (int round = 0; round < 2; ++round) {
        REQUIRE(text(b, run::run_batch(pb, ids, backend, 1, false)) == new_b);
        run::run_batch(pc, {3, 2, 1}, backend, 1, false);
        REQUIRE(text(a, run::run_batch(pa, ids, backend, 1, false)) == new_a);
        REQUIRE(text(a, run::run_batch(pa, {44, 0}, backend, 1, false)) ==
                text(a, {run::run_replicate(pa, 44, backend), run::run_replicate(pa, 0, backend)}));
    }
}

namespace {
const std::string rules = std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/rules.yaml";

eval::Outcome outcome_of(const programme::Result& r, const model::Scenario& sc, int stage,
                         const std::string& id) {
    for (const auto& row : r.stages.at(stage).rows)
        if (sc.teams[row.team].id == id) return row.outcome;
    FAIL("team " << id << " not evaluated at stage " << stage);
    return eval::Outcome::eliminated;
}
}  // namespace

TEST_CASE("replicate: a certain disqualification, a refilled place and a wildcard newcomer") {
    const model::Scenario sc = io::load_scenario(rules);
    const programme::Result r = run_once(sc);
    // Gate: 'cheat' has the best proposal but is disqualified; its place goes to 'b'.
    REQUIRE(r.stages[0].rows.size() == 5);  // the newcomer has not entered yet
    REQUIRE(outcome_of(r, sc, 0, "cheat") == eval::Outcome::disqualified);
    REQUIRE(outcome_of(r, sc, 0, "a") == eval::Outcome::advanced);
    REQUIRE(outcome_of(r, sc, 0, "b") == eval::Outcome::advanced);
    REQUIRE(outcome_of(r, sc, 0, "c") == eval::Outcome::eliminated);
    // Wildcard: open to c, d and the newcomer (not to the disqualified); the newcomer's proposal
    // (0.65) beats c's (0.6).
    REQUIRE(r.stages[1].rows.size() == 3);
    REQUIRE(outcome_of(r, sc, 1, "newcomer") == eval::Outcome::admitted);
    REQUIRE(outcome_of(r, sc, 1, "c") == eval::Outcome::eliminated);
    // Final: a and b stay; the newcomer's 400 GPUs are shared between them.
    REQUIRE(r.stages[2].rows.size() == 3);
    REQUIRE(outcome_of(r, sc, 2, "newcomer") == eval::Outcome::eliminated);
    const auto& last = r.timeline.back();
    REQUIRE(last.t_h == sc.end_h);
    for (const auto& row : r.timeline)
        if (row.t_h == sc.end_h && (sc.teams[row.team].id == "a" || sc.teams[row.team].id == "b"))
            REQUIRE(row.gpus_programme == 600);
}

TEST_CASE("replicate: disqualification happens at the stated rate (5 sigma)") {
    io::LoadOptions opt;
    opt.sets = {"teams[cheat].originality_violation_p=0.3"};
    const model::Scenario sc = io::load_scenario(rules, opt);
    const programme::PreparedScenario p = programme::prepare(sc);
    eval::CpuBackend backend(1);
    const int n = 600;
    int dq = 0;
    for (int rep = 0; rep < n; ++rep) {
        const programme::Result r =
            run::run_replicate(p, static_cast<std::uint32_t>(rep), backend, false);
        dq += r.stages[0].rows[0].outcome == eval::Outcome::disqualified;
    }
    REQUIRE(std::abs(dq - 0.3 * n) < 5 * std::sqrt(n * 0.3 * 0.7));
}

TEST_CASE("replicate: an overspending plan is reported, and under cap it fits the budget") {
    io::LoadOptions opt;
    opt.seed = 1;
    opt.overlays = {std::string(KAISIM_SOURCE_DIR) + "/scenarios/what-if/tight-gpu-budget.yaml"};
    const programme::Result over = run_once(io::load_scenario(reference, opt));
    REQUIRE_FALSE(over.budgets.at(0).feasible);
    REQUIRE(over.budgets[0].over_krw == Approx(over.budgets[0].spent_krw - 50e9));
    REQUIRE(over.budget_scale[0] == 1.0);
    opt.sets = {"policies.budget_mode=cap"};
    const programme::Result capped = run_once(io::load_scenario(reference, opt));
    REQUIRE(capped.budgets[0].feasible);
    REQUIRE(capped.budgets[0].spent_krw <= 50e9);
    REQUIRE(capped.budgets[0].spent_krw > 0.95 * 50e9);  // scaled to fit, not switched off
    REQUIRE(capped.budget_scale[0] < 1.0);
}
