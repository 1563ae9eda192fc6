#pragma once
#include <cstddef>
#include <vector>

#include "kaisim/programme/race_state.hpp"

namespace kaisim::programme {

/// Recomputes every funded team's demand (the allocation rule, best rank first, scaled by a
/// capped GPU budget) and assigns the pool's active tranches to it (min-cost flow; lessors off
/// leased GPUs while the bar holds); writes back each team's GPUs, lease cost per hour and
/// unmet units. Unfunded teams hold no programme GPUs afterwards.
void reallocate(RaceState& st);

/// Tranche `k` enters (`starts`) or leaves the pool now; a purchased tranche is paid for when it
/// enters. Reallocates.
void change_tranche(RaceState& st, std::size_t k, bool starts);

/// What happens to the quota of the funded teams in `cut` (team indices), as the allocation's
/// `cut_gpus` says: `share_among_survivors` gives their quota units in equal parts to the teams
/// still funded; `return_to_pool` leaves them to the pool (nothing to do here).
void release_cut_quota(RaceState& st, const std::vector<int>& cut);

}  // namespace kaisim::programme
