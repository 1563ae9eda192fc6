#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "kaisim/core/calendar.hpp"
#include "kaisim/core/rng.hpp"
#include "kaisim/model/ledger.hpp"
#include "kaisim/model/scenario.hpp"
#include "kaisim/model/training.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/programme/result.hpp"

namespace kaisim::programme {

/// The programme's events. The kinds double as priority classes: at equal times, pool changes
/// come first, then arrivals, then evaluations, then the monthly funding tick, then the end.
enum EventKind : std::uint32_t {
    tranche_end,    ///< payload: tranche index
    tranche_start,  ///< payload: tranche index
    budget_edge,    ///< a capped budget window or the lessor bar opens or closes
    data_arrival,   ///< payload: place in RaceState::orders
    hire,           ///< payload: team index
    stage_date,     ///< payload: stage index
    month,          ///< the 1st of a month: data and talent money are paid ahead
    programme_end,
};

/// One team in one replicate: its draws, what it holds and where it stands in the race.
struct TeamState {
    double skill = 1;        ///< algorithmic-efficiency multiplier, this replicate's draw
    double prior_flops = 0;  ///< compute trained before the programme, this replicate's draw
    model::TrainingState training;
    std::vector<int> gpus;       ///< programme GPUs held now, per GPU type
    double unmet_units = 0;      ///< quota units asked for and not served now
    std::vector<double> tokens;  ///< unique tokens arrived, per domain
    double researchers = 0;      ///< researchers hired with talent money
    bool in_race = true;         ///< still competing (newcomers join through a stage)
    bool funded = false;         ///< receives GPUs and data money now
    bool talent_funded = false;  ///< receives talent money now
    bool funded_ever = false;
    double data_through_h = 0;    ///< data money paid up to this time, hours
    double talent_through_h = 0;  ///< talent money paid up to this time, hours
    int last_stage = -1;          ///< last stage it was evaluated at (-1: none)
    int priority = 0;  ///< place in a shortage served in order (lower = first): rank at its last
                       ///< stage, after all incumbents when a wildcard admitted it
    double score = 0;  ///< total points at its last stage
    bool disqualified = false;   ///< ever disqualified
    double demand_units = 0;     ///< quota units asked for now, before budget scaling
    double extra_units = 0;      ///< quota units inherited from cut teams
    double lease_krw_per_h = 0;  ///< what its assigned leased GPUs cost per hour, KRW
    double prog_gpu_h = 0, prog_productive_gpu_h = 0, prog_lost_gpu_h = 0;  ///< programme GPUs
    double unmet_gpu_h = 0;          ///< quota GPU-hours (in the quota's type) not served
    double unmet_gpu_h_sampled = 0;  ///< unmet_gpu_h at its last timeline row
    double own_gpu_h = 0;            ///< GPU-hours of its own GPUs
    double trained_h = 0;  ///< the time its training and GPU-hours are integrated to, hours
    /// efficiency() as last computed, and the researchers it was computed for (it changes with
    /// hires only; NaN: not yet).
    double efficiency = 0, efficiency_researchers = std::numeric_limits<double>::quiet_NaN();
    /// Its interruptions, drawn a block at a time (core::philox_block): interruption k of the
    /// failures stream is `failures[k - failure_first]` while k is in the block.
    std::array<model::FailureDraw, 16> failures{};
    std::uint64_t failure_first = ~std::uint64_t{0};  ///< first draw of the block (none yet)
};

/// A purchase or processing order of tokens, delivered after the procurement lag.
struct DataOrder {
    int team = 0;
    std::vector<double> tokens;  ///< per domain
};

/// The state of the race in one replicate: who is in, who is funded, their GPUs, money and
/// hires, the pool and the ledger. The programme's parts (training advance, reallocation,
/// funding, stage gates) read and change it; the race drives them in event order.
struct RaceState {
    /// The replicate's starting state: team draws (skill, prior compute), tokens, and each
    /// team's share of its partners' raw data. `budget_scale` holds one factor per budget
    /// (cap mode; 1 = as planned).
    RaceState(const PreparedScenario& prepared, std::uint32_t replicate,
              std::vector<double> budget_scale);
    /// The same starting state in this object, its storage reused: the state the constructor
    /// would make, field for field.
    void reset(const PreparedScenario& prepared, std::uint32_t replicate,
               std::span<const double> budget_scale);

    const PreparedScenario* prepared = nullptr;
    const model::Scenario* sc = nullptr;
    std::uint32_t replicate = 0;
    core::Calendar calendar;
    double now_h = 0;   ///< the time of the event being handled, hours since the start
    double pool_h = 0;  ///< the time the pool's capacity is integrated to (advance_training)
    std::vector<TeamState> teams;
    std::vector<std::vector<double>> raw_left;  ///< [team][domain] partner raw data not processed
    std::vector<DataOrder> orders;              ///< data orders in transit (and delivered ones)
    std::vector<std::size_t> free_orders;       ///< places in `orders` delivered, to use again
    std::vector<bool> tranche_active;           ///< per tranche: in the pool now
    double pool_gpus = 0;                       ///< GPUs in the pool now
    std::vector<double> budget_scale;           ///< per budget: factor on quotas and money
    model::DataFunding data;                    ///< data money now (changes by stage)
    double talent_krw_per_year = 0;             ///< talent money now (changes by stage)
    int last_stage = 0;                         ///< last stage evaluated (for per-stage rules)
    model::Ledger ledger;
    PoolUsage pool;  ///< the pool's GPU-hours so far (idle is set at the end)

    /// Quota units of one GPU of the allocation rule's type.
    double quota_units_per_gpu() const;
    /// Factor on quotas and money of a category now: the least of its capped budgets' scales.
    double scale_now(model::Category c) const;
};

}  // namespace kaisim::programme
