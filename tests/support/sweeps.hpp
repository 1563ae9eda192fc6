#pragma once
// Sweeps built in memory, shared by the study and store tests.
#include <cmath>

#include "kaisim/study/sweep_spec.hpp"

namespace kaisim::test {

/// The Ishigami function's sweep (x1..x3 uniform on [-pi, pi]) on a Saltelli design of base
/// size `n`, with `bootstrap` resamples.
inline study::SweepSpec ishigami_sweep(std::uint32_t n, std::uint32_t bootstrap) {
    study::SweepSpec spec;
    spec.model = study::SweepModel::ishigami;
    for (const char* name : {"x1", "x2", "x3"}) {
        study::SweepParameter p;
        p.name = name;
        p.low = -M_PI;
        p.high = M_PI;
        spec.parameters.push_back(p);
    }
    spec.design.design = study::Design::sobol;
    spec.design.samples = n;
    spec.bootstrap = bootstrap;
    return spec;
}

}  // namespace kaisim::test
