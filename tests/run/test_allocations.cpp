// Heap allocations of the simulation, counted by the global operator new that this test program
// replaces (tests/run/alloc_counter.cpp; a program of its own, so no other test is counted).
//
// The claim (issue 14): in steady state a replicate allocates nothing but its result. A race
// keeps its storage from replicate to replicate (Race::reset), the stage buffers and the gate's
// scratch are reused, and a repeated provider question is answered from the thread's memory.
// "Steady state": every race has already run the replicates it gets again, so no vector needs
// a capacity it has not had before.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <numeric>
#include <string>

#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/replicate.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

// tests/run/alloc_counter.cpp: operator new counted.
std::size_t allocations_so_far();

using namespace kaisim;

namespace {
const std::string reference = std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2025.yaml";

// The CPU backend as a device-like backend would be driven: all replicates of a call in one
// lock-step batch, scored stage by stage by the caller's thread.
class LockStep final : public eval::ScoringBackend {
  public:
    std::string name() const override { return cpu_.name(); }
    void score(const eval::ScoringBatch& b, std::span<double> out) override { cpu_.score(b, out); }
    bool scores_concurrently() const override { return false; }

  private:
    eval::CpuBackend cpu_{1};
};

std::vector<std::uint32_t> first(std::uint32_t n) {
    std::vector<std::uint32_t> ids(n);
    std::iota(ids.begin(), ids.end(), 0u);
    return ids;
}

// Allocations of one run_batch call beyond those of the results it returns (each result's own
// allocations counted by copying it: the race builds every list of a result at its final size).
std::size_t beyond_results(const programme::PreparedScenario& p, std::uint32_t n,
                           eval::ScoringBackend& backend) {
    const std::vector<std::uint32_t> ids = first(n);
    const std::size_t before = allocations_so_far();
    const std::vector<programme::Result> results = run::run_batch(p, ids, backend, 1, false);
    const std::size_t during = allocations_so_far() - before;
    std::size_t own = 0;
    for (const programme::Result& r : results) {
        const std::size_t b = allocations_so_far();
        const programme::Result copy = r;
        own += allocations_so_far() - b;
    }
    REQUIRE(during >= own);
    return during - own;
}
}  // namespace

TEST_CASE("allocations: a replicate allocates nothing but its result, in steady state") {
    io::LoadOptions opt;
    opt.seed = 3;
    const model::Scenario sc = io::load_scenario(reference, opt);
    const programme::PreparedScenario p = programme::prepare(sc);

    // One lock-step batch (as a device backend is driven): what it allocates does not grow with
    // its replicates. Per call: the result list, a few per-call lists and the backend's
    // per-stage buffers; nothing per replicate (before races were reused: about 390 each).
    LockStep lock_step;
    run::run_batch(p, first(256), lock_step, 1, false);  // the races see their replicates
    const std::size_t batch_64 = beyond_results(p, 64, lock_step);
    const std::size_t batch_256 = beyond_results(p, 256, lock_step);
    INFO("one batch, beyond the results: " << batch_64 << " for 64 replicates, " << batch_256
                                           << " for 256");
    REQUIRE(batch_256 == batch_64);

    // The CPU backend runs groups of 16 replicates, each a lock-step batch of its own: linear in
    // the groups, each costing one batch plus the list of its replicates.
    eval::CpuBackend cpu(1);
    run::run_batch(p, first(256), cpu, 1, false);
    const std::size_t at_64 = beyond_results(p, 64, cpu);    // 4 groups
    const std::size_t at_128 = beyond_results(p, 128, cpu);  // 8 groups
    const std::size_t at_256 = beyond_results(p, 256, cpu);  // 16 groups
    INFO("groups, beyond the results: " << at_64 << ", " << at_128 << ", " << at_256);
    REQUIRE(at_256 - at_128 == 2 * (at_128 - at_64));
    REQUIRE((at_128 - at_64) % 4 == 0);
    REQUIRE((at_128 - at_64) / 4 == batch_64 + 1);
}
