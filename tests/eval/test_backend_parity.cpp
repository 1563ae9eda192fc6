#include "backend_parity.hpp"

TEST_CASE("backend parity: the CPU backend on 3 threads matches 1 thread and the known answers") {
    kaisim::eval::CpuBackend one(1), three(3);
    kaisim::test::check_backend_parity(three, one, 2500);
}

#ifdef KAISIM_TEST_HWY
#include <hwy/targets.h>
#endif

TEST_CASE(
    "backend parity: SIMD scoring at every instruction set this machine has equals the "
    "scalar code, count for count") {
    kaisim::eval::CpuBackend scalar(1, false);
#ifdef KAISIM_TEST_HWY
    int tried = 0;
    for (const std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
        hwy::SetSupportedTargetsForTest(target);
        kaisim::eval::CpuBackend simd(2, true);
        INFO("target " << hwy::TargetName(target));
        REQUIRE(kaisim::eval::cpu_simd_target() == hwy::TargetName(target));
        kaisim::test::check_backend_parity(simd, scalar, 300);
        // Banks of whole blocks and a tail (check_backend_parity's sizes give 1 to 300 items).
        // One benchmark per score (its count alone: no two errors can cancel), abilities from
        // -inf to inf (the exponential's clamps and large arguments).
        const float thetas[] = {-INFINITY, -1e30f, -40.0f, -6.0f, -3.0f, -0.5f,   0.0f,
                                0.7f,      2.5f,   6.0f,   40.0f, 1e30f, INFINITY};
        for (const std::uint32_t items : {1u, 3u, 5u, 63u, 64u, 65u, 400u, 1000u, 1025u, 1300u})
            for (const std::uint32_t bench : {0u, 1u}) {
                kaisim::test::ParityBatch pb(52, items);
                pb.batch.n_components = 1;  // the benchmarks component only
                pb.comps[0].first_bench = bench;
                pb.comps[0].n_bench = 1;
                for (std::size_t k = 0; k < pb.abilities.size(); ++k)
                    pb.abilities[k] = thetas[(k / 2) % 13];  // pair p: thetas[p % 13]
                std::vector<double> got(52), want(52);
                simd.score(pb.batch, got);
                scalar.score(pb.batch, want);
                INFO(items << " items, benchmark " << bench);
                for (std::uint32_t p = 0; p < 52; ++p) REQUIRE(got[p] == want[p]);
            }
        ++tried;
    }
    hwy::SetSupportedTargetsForTest(0);  // back to what the machine has
    REQUIRE(tried >= 1);
    WARN("SIMD scoring checked at " << tried << " instruction sets; the best here is "
                                    << kaisim::eval::cpu_simd_target());
#else
    kaisim::eval::CpuBackend simd(1, true);
    kaisim::test::check_backend_parity(simd, scalar, 300);
    WARN("kaisim was built without Google Highway: SIMD scoring is the scalar code");
#endif
}
