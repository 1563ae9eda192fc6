#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kaisim/core/calendar.hpp"
#include "kaisim/model/capability.hpp"
#include "kaisim/model/gpu.hpp"
#include "kaisim/model/policy_settings.hpp"
#include "kaisim/model/stage.hpp"
#include "kaisim/model/team.hpp"
#include "kaisim/model/training.hpp"

namespace kaisim::model {

/// The moving global frontier: compute of the best model, growing at a fixed yearly factor.
struct Frontier {
    double flops_at_start = 1e26;  ///< FLOP of the frontier model at the start (assumption)
    double growth_per_year = 4.5;  ///< growth of frontier compute per year (DESIGN §3: 4-5x)
};

/// A whole programme, as plain data: built by scenario/, read by run/.
struct Scenario {
    std::string name;
    std::string source;  ///< file it was read from (for outputs)
    core::Date start;    ///< the programme's hour 0 is midnight of this date
    double end_h = 0;    ///< hours since start
    std::uint32_t seed = 1;
    std::string currency = "KRW";
    std::vector<GpuType> gpu_types;
    std::vector<Tranche> pool;
    ScalingLaw law = ScalingLaw::epoch();
    AbilityScale scale;
    Frontier frontier;
    FailureModel failures;
    std::vector<Domain> domains;
    std::vector<Partner> partners;
    std::vector<Team> teams;
    TeamVariation variation;
    std::vector<Benchmark> benchmarks;
    std::vector<Stage> stages;
    PolicySettings policy;
    bool timeline_monthly = true;  ///< sample every team on the 1st of each month

    core::Calendar calendar() const { return core::Calendar(start); }
};

}  // namespace kaisim::model
