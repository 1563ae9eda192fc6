#pragma once
#include <vector>

namespace kaisim::policy {

/// The consortium graph (teams and partners, membership as edges) and how each partner's raw
/// data is split among the consortia it belongs to.
struct ConsortiumSplit {
    std::vector<int> degree;  ///< [partner] number of consortia it belongs to
    /// [partner][team][domain] raw tokens assigned to the team for processing
    std::vector<std::vector<std::vector<double>>> tokens;
};

/// Splits partners' raw data by max-flow (Boost.Graph) in KRW of processing cost: partner
/// capacity -> member teams -> each team's processing budget. First every member may take an
/// equal share of a shared partner; a second max-flow gives what is left to members with budget
/// left. `membership[t]`: partner indices of team t; `raw[p][d]`: tokens; `krw_per_mtok[d]`:
/// processing price (a free domain counts as 1 KRW per million so it still flows);
/// `budget_krw[t]`: the most team t can spend on processing.
ConsortiumSplit split_partner_data(const std::vector<std::vector<int>>& membership,
                                   const std::vector<std::vector<double>>& raw,
                                   const std::vector<double>& krw_per_mtok,
                                   const std::vector<double>& budget_krw);

}  // namespace kaisim::policy
