#pragma once
#include <vector>

#include "kaisim/model/programme_policy.hpp"

namespace kaisim::policy {

/// GPUs given to one funded team, by GPU type, and the demand left unmet.
struct TeamAllocation {
    std::vector<int> gpus;  ///< per GPU type
    int unmet = 0;          ///< GPUs of the quota type asked for and not available
};

/// Divides the pool among funded teams.
/// `capacity[t]`: GPUs of type t in the pool now; `funded`: team indices in priority order
/// (best rank first); `quota`: per_stage_quota GPUs per team (ignored by equal_share).
/// Returns one allocation per funded team, in the order given.
std::vector<TeamAllocation> allocate(const model::Allocation& rule, const std::vector<int>& capacity,
                                     const std::vector<int>& funded, int quota);

}  // namespace kaisim::policy
