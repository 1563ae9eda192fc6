// The backend parity body run on the CUDA backend. Its own executable: without a CUDA device it
// exits 77, which CTest reports as skipped (SKIP_RETURN_CODE), not failed.
#define CATCH_CONFIG_RUNNER
#include <cstdio>

#include "backend_parity.hpp"

TEST_CASE("backend parity: the CUDA backend matches the CPU backend and the known answers") {
    // Launches of 1,000 pairs: the 2,500-pair batch takes three.
    const auto cuda = kaisim::eval::make_cuda_backend(0, 1000);
    kaisim::eval::CpuBackend cpu(1);
    kaisim::test::check_backend_parity(*cuda, cpu, 2500);
}

int main(int argc, char** argv) {
    if (kaisim::eval::cuda_device_count() == 0) {
        std::printf("no CUDA device: CUDA parity test skipped\n");
        return 77;
    }
    std::printf("CUDA device: %s\n", kaisim::eval::cuda_device_name(0).c_str());
    return Catch::Session().run(argc, argv);
}
