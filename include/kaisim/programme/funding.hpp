#pragma once
#include <cstdint>

#include "kaisim/core/engine.hpp"
#include "kaisim/programme/race_state.hpp"

namespace kaisim::programme {

/// A stage's change of the money rates (`policies.funding`): a negative field keeps the rate.
void apply_funding_change(RaceState& st, const model::FundingChange& change);

/// Team i becomes funded now: data money from now, and, when it applies for talent money and
/// the programme pays it, hires scheduled in `engine` (one `hire` event each, after the lag plus
/// an exponential search time; Philox stream `hires`). Pays ahead to the next month's start.
void start_funding(RaceState& st, core::Engine& engine, std::uint32_t i);

/// Team i was cut: it loses its funding now; its talent money stops too unless the programme
/// keeps paying it after a cut (`talent.continue_after_cut`).
void end_funding(RaceState& st, std::uint32_t i);

/// Talent money stops for team i; its hires leave (assumption: hires are paid by that money).
void stop_talent(TeamState& t);

/// Pays team i's data and talent money from where it was paid up to `to_h` (at most the end):
/// purchases and processing of partners' raw data become one `DataOrder`, delivered by a
/// `data_arrival` event after the procurement lag; talent money runs to `talent.until_h`. Money
/// is scaled by capped budgets of its category and recorded in the ledger.
void pay_funding(RaceState& st, core::Engine& engine, std::uint32_t i, double to_h);

/// The monthly tick: talent money that reached `talent.until_h` stops, and every team's money
/// is paid ahead to the next month's start.
void pay_monthly(RaceState& st, core::Engine& engine);

}  // namespace kaisim::programme
