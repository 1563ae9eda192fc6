#pragma once

#include "kaisim/programme/race_state.hpp"

namespace kaisim::programme {

/// Integrates team `i`'s training from its `trained_h` to `t_h` with the GPUs it holds (the
/// programme's and its own), placing GPU interruptions on its exposure (Philox stream
/// `failures`, keyed by team and interruption number); accounts its programme GPU-hours (held,
/// productive, lost, unmet), its leased GPUs' cost in the ledger and its share of the pool's
/// use. Nothing happens when `t_h` is not later.
///
/// A team's GPUs, rate and efficiency are constant between the events that change them, so its
/// integration may wait until one of them changes or its state is read: one long interval gives
/// the same interruptions and hours as the same interval cut in pieces.
void advance_team(RaceState& st, std::uint32_t i, double t_h);

/// Integrates every team and the pool's capacity to `t_h` (advance_team for each) and moves
/// `st.now_h` there; nothing happens when `t_h` is not later.
void advance_training(RaceState& st, double t_h);

}  // namespace kaisim::programme
