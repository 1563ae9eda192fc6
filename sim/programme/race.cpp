#include "kaisim/programme/race.hpp"

#include <algorithm>
#include <numeric>

#include "kaisim/programme/funding.hpp"
#include "kaisim/programme/reallocation.hpp"
#include "kaisim/programme/team_capability.hpp"
#include "kaisim/programme/training_advance.hpp"

namespace kaisim::programme {

Race::Race(const PreparedScenario& prepared, std::uint32_t replicate, bool record_timeline,
           std::vector<double> budget_scale)
    : st_(prepared, replicate, std::move(budget_scale)), timeline_(record_timeline) {}

void Race::reset(const PreparedScenario& prepared, std::uint32_t replicate, bool record_timeline,
                 std::span<const double> budget_scale) {
    st_.reset(prepared, replicate, budget_scale);
    timeline_ = record_timeline;
    engine_.reset();
    pending_.stage = -1;
    result_ = Result{};
}

void Race::start() {
    const model::Scenario& sc = *st_.sc;
    result_.seed = sc.seed;
    result_.replicate = st_.replicate;
    // The result's lists at their final sizes (or bounds) at once.
    result_.stages.reserve(sc.stages.size());
    result_.teams.reserve(sc.teams.size());
    for (std::size_t k = 0; k < sc.pool.size(); ++k) {
        engine_.schedule(sc.pool[k].from_h, tranche_start, tranche_start, k);
        if (sc.pool[k].until_h < sc.end_h)
            engine_.schedule(sc.pool[k].until_h, tranche_end, tranche_end, k);
    }
    for (std::size_t s = 0; s < sc.stages.size(); ++s)
        engine_.schedule(sc.stages[s].t_h, stage_date, stage_date, s);
    // Quotas change where a scaled budget window opens or closes, and where a bar ends.
    for (const model::Budget& b : sc.policy.budgets) {
        engine_.schedule(b.from_h, budget_edge, budget_edge);
        if (b.to_h < sc.end_h) engine_.schedule(b.to_h, budget_edge, budget_edge);
    }
    const double bar = sc.policy.lessors.bar_leased_until_h;
    if (bar > 0 && bar < sc.end_h) engine_.schedule(bar, budget_edge, budget_edge);
    engine_.schedule(0, month, month);
    engine_.schedule(sc.end_h, programme_end, programme_end);
}

int Race::next_stage() {
    while (!engine_.empty() && engine_.next().t_h <= st_.sc->end_h) {
        const core::Event e = engine_.pop();
        // Arriving tokens and hires change no team's GPUs, rate or cost (a hire changes one
        // team's efficiency and integrates that team first): the training is integrated up to
        // the next event that does, in one interval. Every team is integrated at the 1st of
        // each month, whether or not the timeline samples it there: the same cut points, hence
        // the same last digits, with and without a timeline.
        if (e.kind == hire || e.kind == data_arrival)
            st_.now_h = e.t_h;
        else
            advance_training(st_, e.t_h);
        if (e.kind == stage_date) {
            gather_stage_inputs(st_, static_cast<int>(e.payload), pending_);
            return static_cast<int>(e.payload);
        }
        handle(e);
    }
    finish();
    return -1;
}

void Race::handle(const core::Event& e) {
    switch (e.kind) {
        case tranche_start: change_tranche(st_, e.payload, true); break;
        case tranche_end: change_tranche(st_, e.payload, false); break;
        case budget_edge: reallocate(st_); break;
        case data_arrival: {
            const DataOrder& o = st_.orders[e.payload];
            for (std::size_t d = 0; d < o.tokens.size(); ++d)
                st_.teams[o.team].tokens[d] += o.tokens[d];
            st_.free_orders.push_back(e.payload);
            break;
        }
        case hire:
            if (st_.teams[e.payload].talent_funded) {
                advance_team(st_, static_cast<std::uint32_t>(e.payload), e.t_h);
                st_.teams[e.payload].researchers += 1;
            }
            break;
        case month: {
            pay_monthly(st_, engine_);
            sample();
            const double next = st_.calendar.next_month_start(st_.now_h);
            if (next < st_.sc->end_h) engine_.schedule(next, month, month);
            break;
        }
        default: break;  // stage dates are driven by next_stage(); the end stops the loop
    }
}

void Race::complete_stage(const double* raw) {
    GateDecision& g = gate_;
    apply_gate(st_, pending_, raw, g);
    result_.all_stages_correct = result_.all_stages_correct && g.record.selection_correct;
    result_.stages.push_back(std::move(g.record));
    apply_funding_change(st_, st_.sc->policy.funding_changes[pending_.stage]);
    for (int i : g.cut) end_funding(st_, static_cast<std::uint32_t>(i));
    for (int i : g.to_fund) start_funding(st_, engine_, static_cast<std::uint32_t>(i));
    release_cut_quota(st_, g.cut_funded);
    reallocate(st_);
    sample();
}

void Race::sample() {
    if (!timeline_ || !st_.sc->timeline_monthly) return;
    // A row reads every team's integrated state: the 1st of a month, a stage and the end, where
    // it is sampled, integrate every team (nothing here may, or the timeline would change the
    // last digits).
    for (std::uint32_t i = 0; i < st_.teams.size(); ++i) {
        TeamState& t = st_.teams[i];
        TimelineRow r;
        r.t_h = st_.now_h;
        r.team = static_cast<int>(i);
        r.in_race = t.in_race;
        r.funded = t.funded;
        r.gpus_programme = std::accumulate(t.gpus.begin(), t.gpus.end(), 0);
        for (const auto& g : st_.sc->teams[i].own_gpus) r.gpus_own += g.count;
        r.gpus_unmet = t.unmet_units / st_.quota_units_per_gpu();
        r.gpu_h_unmet = t.unmet_gpu_h - t.unmet_gpu_h_sampled;
        t.unmet_gpu_h_sampled = t.unmet_gpu_h;
        r.now = snapshot(st_, i);
        result_.timeline.push_back(r);
    }
}

void Race::finish() {
    sample();
    result_.finalists.reserve(static_cast<std::size_t>(
        std::count_if(st_.teams.begin(), st_.teams.end(),
                      [](const TeamState& t) { return t.in_race && t.last_stage >= 0; })));
    for (std::uint32_t i = 0; i < st_.teams.size(); ++i) {
        const TeamState& t = st_.teams[i];
        TeamRecord r;
        r.status = t.last_stage < 0 ? TeamStatus::not_evaluated
                   : t.in_race      ? TeamStatus::finalist
                                    : TeamStatus::eliminated;
        if (r.status == TeamStatus::finalist) result_.finalists.push_back(static_cast<int>(i));
        r.last_stage = t.last_stage;
        r.funded_ever = t.funded_ever;
        r.gpu_h_allocated = t.prog_gpu_h;
        r.gpu_h_productive = t.prog_productive_gpu_h;
        r.gpu_h_lost = t.prog_lost_gpu_h;
        r.gpu_h_unmet = t.unmet_gpu_h;
        r.own_gpu_h = t.own_gpu_h;
        // One job runs on programme and own GPUs together: its lost hours are split by share.
        r.own_gpu_h_lost = std::max(0.0, t.training.lost_gpu_h() - t.prog_lost_gpu_h);
        r.end = snapshot(st_, i);
        r.failures = t.training.failures();
        for (int c = 0; c < model::category_count; ++c)
            r.krw[c] = st_.ledger.team_total(static_cast<model::Category>(c), static_cast<int>(i));
        st_.pool.productive_gpu_h += t.prog_productive_gpu_h;
        st_.pool.lost_gpu_h += t.prog_lost_gpu_h;
        result_.teams.push_back(r);
    }
    st_.pool.idle_gpu_h = st_.pool.capacity_gpu_h - st_.pool.allocated_gpu_h;
    result_.pool = st_.pool;
    for (int c = 0; c < model::category_count; ++c)
        result_.spend_krw[c] = st_.ledger.total(static_cast<model::Category>(c));
    result_.budgets = model::check_budgets(st_.ledger, st_.sc->policy.budgets);
    result_.budget_scale = st_.budget_scale;
}

}  // namespace kaisim::programme
