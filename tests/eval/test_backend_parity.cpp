#include "backend_parity.hpp"

TEST_CASE("backend parity: the CPU backend on 3 threads matches 1 thread and the known answers") {
    kaisim::eval::CpuBackend one(1), three(3);
    kaisim::test::check_backend_parity(three, one, 2500);
}
