#pragma once
#include <cstdint>
#include <vector>

#include "kaisim/eval/scoring_batch.hpp"
#include "kaisim/eval/stage_evaluation.hpp"
#include "kaisim/programme/race_state.hpp"

namespace kaisim::programme {

/// What a stage's scoring needs from one replicate, gathered before the batch is scored (all
/// vectors by eligible position).
struct StageInputs {
    int stage = -1;
    std::vector<int> eligible;            ///< team indices, in scenario order
    std::vector<eval::PairInput> pairs;   ///< (replicate, team) of each eligible team
    std::vector<float> abilities;         ///< [k * (1 + domains)]: general, then per domain
    std::vector<float> proposal, report;  ///< logits of proposal and report quality
    std::vector<double> truth;            ///< true ability, logits (never seen by evaluators)
    std::vector<double> tie_keys;         ///< lower wins a tie on total
    std::vector<bool> disqualified;       ///< drawn originality violation at this stage
};

/// What a gate decided, besides its record: the consequences the race applies.
struct GateDecision {
    StageRecord record;
    std::vector<int> cut;         ///< teams that left the race now (their funding ends)
    std::vector<int> cut_funded;  ///< of those, the ones that were funded (their quota is freed)
    std::vector<int> to_fund;     ///< kept or admitted teams that start being funded now
    eval::StageRanking ranking;   ///< the stage's ranking (storage reused stage after stage)
    std::vector<bool> kept;       ///< by eligible position: advanced or admitted
};

/// Whether team i may be evaluated at stage `stage` now: it has entered, and is a survivor, a
/// wildcard candidate (out of the race or a newcomer, never disqualified) or listed, as the
/// stage says.
bool eligible_for(const RaceState& st, const model::Stage& stage, std::uint32_t i);

/// Evaluate: the eligible teams of stage `s`, their abilities as the evaluators will score them,
/// tie keys (Philox stream `tie_break` under a lottery) and drawn disqualifications (stream
/// `disqualification`, with each team's violation probability). Reuses `in`'s storage.
void gather_stage_inputs(const RaceState& st, int s, StageInputs& in);

/// Rank, rules, cut or admit: applies the stage's scored raw component values
/// (`in.eligible.size()` x components, row by row) to the race. Kept teams stay in (or are
/// admitted to) the race with their new rank and score; cut teams leave it; teams not admitted
/// by a wildcard are unchanged. Funding and GPUs are left to the caller (see GateDecision).
GateDecision apply_gate(RaceState& st, const StageInputs& in, const double* raw);
/// apply_gate into `out`, reusing its storage (its record is made anew: it goes to the result).
void apply_gate(RaceState& st, const StageInputs& in, const double* raw, GateDecision& out);

}  // namespace kaisim::programme
