#pragma once
#include <vector>

#include "kaisim/model/policy_settings.hpp"

namespace kaisim::policy {

/// GPUs a provider can supply now, of one type.
struct Supply {
    int type = 0;
    int count = 0;
    double units_per_gpu = 1;  ///< quota units one GPU counts for
    double krw_per_gpu_h = 0;  ///< what the programme pays per GPU-hour (0 for owned GPUs)
    bool leased = true;
    int lessor_team = -1;  ///< team that leases it to the programme, or -1
};

/// Exact equality of every field (what a repeated assignment must match).
bool operator==(const Supply& a, const Supply& b);

/// A team's demand, in quota units.
struct Demand {
    int team = 0;
    double units = 0;
    bool lessor = false;  ///< the team is a GPU lessor (for the bar on leased GPUs)
};

bool operator==(const Demand& a, const Demand& b);

/// The result: GPUs per (demand, supply) and what could not be served.
struct Assignment {
    std::vector<std::vector<int>> gpus;  ///< [demand][supply]
    std::vector<double> unmet_units;     ///< [demand]
    double krw_per_h = 0;                ///< cost of the assignment per hour
};

/// Assigns supplies to demands as a min-cost flow (Boost.Graph). A lessor never receives its own
/// leased GPUs; `bar_lessors` keeps lessors off leased GPUs altogether. When the pool cannot
/// serve every demand, `shortage` decides who bears it: `proportional` gives every demand the
/// same share of its units, as far as the lessor rules allow (max-min fair: a demand that can
/// reach no more supply stops, the others go on), `priority` serves as many units as possible
/// with earlier demands first. Among equal plans, the cheapest per unit. Units are served in
/// whole GPUs; the remainder is reported unmet.
Assignment assign_providers(const std::vector<Supply>& supplies, const std::vector<Demand>& demands,
                            bool bar_lessors,
                            model::Shortage shortage = model::Shortage::proportional);

/// assign_providers, remembered: replicates of one batch ask for the same assignment again and
/// again (the same funded teams at the same quotas), and the min-cost flow is the costliest step
/// of a reallocation. Each thread keeps its last few distinct questions and answers; an answer is
/// a pure function of the question, so results do not depend on what was remembered.
const Assignment& assign_providers_remembered(const std::vector<Supply>& supplies,
                                              const std::vector<Demand>& demands, bool bar_lessors,
                                              model::Shortage shortage);

}  // namespace kaisim::policy
