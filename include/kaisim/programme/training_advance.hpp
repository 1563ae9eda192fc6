#pragma once

#include "kaisim/programme/race_state.hpp"

namespace kaisim::programme {

/// Integrates every team's training from `st.now_h` to `t_h` with the GPUs each holds (the
/// programme's and its own), placing GPU interruptions on each team's exposure (Philox stream
/// `failures`, keyed by team and interruption number); accounts programme GPU-hours (held,
/// productive, lost, unmet), the leased GPUs' cost in the ledger and the pool's capacity and
/// use. Moves `st.now_h` to `t_h`; nothing happens when `t_h` is not later.
void advance_training(RaceState& st, double t_h);

}  // namespace kaisim::programme
