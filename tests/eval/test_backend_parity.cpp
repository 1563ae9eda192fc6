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
        // Banks of whole blocks and a tail, at several abilities (check_backend_parity's sizes
        // give 1 to 300 items).
        for (const std::uint32_t items : {1u, 3u, 5u, 63u, 64u, 65u, 400u, 1000u, 1025u, 1300u}) {
            const kaisim::test::ParityBatch pb(40, items);
            std::vector<double> got(40 * 3), want(got.size());
            simd.score(pb.batch, got);
            scalar.score(pb.batch, want);
            for (std::uint32_t p = 0; p < 40; ++p) REQUIRE(got[p * 3] == want[p * 3]);
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
