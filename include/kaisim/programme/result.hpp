#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "kaisim/eval/stage_evaluation.hpp"
#include "kaisim/model/ledger.hpp"

namespace kaisim::programme {

/// One team's line at one stage.
struct StageTeamRow {
    int team = 0;
    double total = 0;
    int rank = 0;
    eval::Outcome outcome = eval::Outcome::eliminated;
    double true_ability = 0;  ///< logits; known to the simulator, never to the evaluators
    /// Training compute of the model evaluated: the team's flagship share of the FLOP it
    /// trained during the programme up to the stage (productive only), FLOP.
    double flagship_flops = 0;
};

/// What one stage did.
struct StageRecord {
    int stage = 0;
    std::vector<StageTeamRow> rows;
    /// The rows' points per component, row by row (one list per stage, not one per row: a
    /// replicate's result is a few heap blocks, not one per team and stage).
    std::vector<double> points;
    std::size_t components = 0;  ///< points per row
    /// Row k's points, one per component of the stage.
    std::span<const double> points_of(std::size_t k) const {
        return {points.data() + k * components, components};
    }
    bool selection_correct = true;  ///< the kept teams are the truly strongest of the eligible
    double theta_frontier = 0;      ///< frontier ability at the stage date, logits
    int places = -1;  ///< a wildcard that fills the field: the places it had (-1: not one)
};

/// What a team has and can train at one moment.
struct CapabilitySnapshot {
    double flops = 0;            ///< FLOP trained during the programme (productive only)
    double effective_flops = 0;  ///< prior + programme compute x efficiency, FLOP
    double params = 0;           ///< parameters of the best model it can train
    double tokens = 0;           ///< unique tokens it holds
    double ability = 0;          ///< logits
    double researchers_hired = 0;
};

/// How a team ended the programme.
enum class TeamStatus { finalist, eliminated, not_evaluated };
const char* status_name(TeamStatus s);

/// A team at the programme's end.
struct TeamRecord {
    TeamStatus status = TeamStatus::not_evaluated;
    int last_stage = -1;          ///< last stage it was evaluated at (-1: none)
    bool funded_ever = false;     ///< it received programme resources at some point
    double gpu_h_allocated = 0;   ///< programme GPU-hours held
    double gpu_h_productive = 0;  ///< of which training progressed
    double gpu_h_lost = 0;        ///< of which lost to interruptions (lost work, restarts)
    double gpu_h_unmet = 0;       ///< quota GPU-hours (in the quota's type) not served
    double own_gpu_h = 0;         ///< GPU-hours of the team's own GPUs
    double own_gpu_h_lost = 0;    ///< of which lost to interruptions
    CapabilitySnapshot end;       ///< at the programme's end
    std::uint32_t failures = 0;   ///< interruptions of its training job (programme and own GPUs)
    std::array<double, model::category_count> krw{};  ///< spend attributed, by category
};

/// One sample of one team (monthly and at stage dates).
struct TimelineRow {
    double t_h = 0;
    int team = 0;
    bool in_race = true;
    bool funded = false;
    int gpus_programme = 0;
    int gpus_own = 0;
    double gpus_unmet = 0;   ///< quota GPUs (in the quota's type) asked for and not served now
    double gpu_h_unmet = 0;  ///< quota GPU-hours not served since its previous row
    CapabilitySnapshot now;
};

/// GPU-hours of the programme pool.
struct PoolUsage {
    double capacity_gpu_h = 0;
    double allocated_gpu_h = 0;
    double productive_gpu_h = 0;
    double lost_gpu_h = 0;
    double idle_gpu_h = 0;  ///< capacity not allocated to any team
};

/// Everything one replicate produced.
struct Result {
    std::uint32_t seed = 0;
    std::uint32_t replicate = 0;
    std::vector<StageRecord> stages;
    std::vector<TeamRecord> teams;
    std::vector<TimelineRow> timeline;
    PoolUsage pool;
    std::array<double, model::category_count> spend_krw{};
    std::vector<model::BudgetCheck> budgets;
    std::vector<double> budget_scale;  ///< per budget: factor applied to quotas / money (cap mode)
    std::vector<int> finalists;        ///< team indices still in the race at the end
    bool all_stages_correct = true;    ///< every stage kept the truly strongest
};

}  // namespace kaisim::programme
