#pragma once
#include <vector>

#include "kaisim/model/policy_settings.hpp"

namespace kaisim::policy {

/// A funded team as the allocation rules see it.
struct FundedTeam {
    double score = 0;        ///< total at its last stage (score_proportional)
    double extra_units = 0;  ///< quota units inherited from cut teams (share_among_survivors)
};

/// Quota units each funded team asks for, in the order given (best rank first).
/// `stage`: the last stage evaluated; `pool_units`: the pool's capacity in units now;
/// `units_per_gpu`: units of one GPU of the rule's `gpu_type`.
std::vector<double> demand_units(const model::Allocation& rule, int stage,
                                 const std::vector<FundedTeam>& funded, double pool_units,
                                 double units_per_gpu);
/// demand_units into `units`, reusing its storage.
void demand_units(const model::Allocation& rule, int stage, const std::vector<FundedTeam>& funded,
                  double pool_units, double units_per_gpu, std::vector<double>& units);

}  // namespace kaisim::policy
