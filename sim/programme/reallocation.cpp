#include "kaisim/programme/reallocation.hpp"

#include <algorithm>

#include "kaisim/core/thread_scratch.hpp"
#include "kaisim/policy/allocation.hpp"
#include "kaisim/policy/provider_assignment.hpp"

namespace kaisim::programme {

void reallocate(RaceState& st) {
    const model::Scenario& sc = *st.sc;
    // This thread's scratch lists, reused: a replicate reallocates a dozen times.
    struct Scratch {
        std::vector<int> funded;
        std::vector<policy::Supply> supplies;
        std::vector<policy::FundedTeam> ft;
        std::vector<policy::Demand> demands;
        std::vector<double> units;
    };
    Scratch& scratch = core::thread_scratch<Scratch>();
    std::vector<int>& funded = scratch.funded;
    std::vector<policy::Supply>& supplies = scratch.supplies;
    std::vector<policy::FundedTeam>& ft = scratch.ft;
    std::vector<policy::Demand>& demands = scratch.demands;
    funded.clear();
    supplies.clear();
    ft.clear();
    demands.clear();
    for (std::size_t i = 0; i < st.teams.size(); ++i) {
        TeamState& t = st.teams[i];
        std::fill(t.gpus.begin(), t.gpus.end(), 0);
        t.unmet_units = t.demand_units = t.lease_krw_per_h = 0;
        if (t.funded) funded.push_back(static_cast<int>(i));
    }
    // In priority order, ties in team order (a stable sort, without its buffer).
    std::sort(funded.begin(), funded.end(), [&](int a, int b) {
        const int pa = st.teams[a].priority, pb = st.teams[b].priority;
        return pa != pb ? pa < pb : a < b;
    });
    // Demand: what the rule gives each funded team, in quota units.
    double pool_units = 0;
    for (std::size_t k = 0; k < sc.pool.size(); ++k) {
        if (!st.tranche_active[k]) continue;
        const model::Tranche& tr = sc.pool[k];
        const double units = sc.gpu_types[tr.type].units;
        const bool leased = tr.mode == model::Acquisition::lease;
        supplies.push_back({tr.type, tr.count, units, leased ? tr.lease_krw_per_gpu_h : 0.0, leased,
                            tr.lessor_team});
        pool_units += tr.count * units;
    }
    for (int i : funded) ft.push_back({st.teams[i].score, st.teams[i].extra_units});
    std::vector<double>& units = scratch.units;
    policy::demand_units(sc.policy.allocation, st.last_stage, ft, pool_units,
                         st.quota_units_per_gpu(), units);
    const double scale = st.scale_now(model::Category::gpu);
    for (std::size_t k = 0; k < funded.size(); ++k) {
        st.teams[funded[k]].demand_units = units[k];
        demands.push_back({funded[k], units[k] * scale, sc.teams[funded[k]].lessor});
    }
    // Providers: a min-cost assignment of the active tranches to the demands.
    const bool barred = st.now_h < sc.policy.lessors.bar_leased_until_h;
    const policy::Assignment& a = policy::assign_providers_remembered(
        supplies, demands, barred, sc.policy.allocation.shortage);
    // Write-back: the GPUs each team holds until the next reallocation.
    for (std::size_t d = 0; d < funded.size(); ++d) {
        TeamState& t = st.teams[funded[d]];
        for (std::size_t k = 0; k < supplies.size(); ++k) {
            t.gpus[supplies[k].type] += a.gpus[d][k];
            t.lease_krw_per_h += a.gpus[d][k] * supplies[k].krw_per_gpu_h;
        }
        t.unmet_units = a.unmet_units[d];
    }
}

void change_tranche(RaceState& st, std::size_t k, bool starts) {
    const model::Tranche& tr = st.sc->pool[k];
    st.tranche_active[k] = starts;
    st.pool_gpus += starts ? tr.count : -tr.count;
    if (starts && tr.mode == model::Acquisition::purchase)
        st.ledger.add(model::Category::gpu, model::Ledger::pool, st.now_h, st.now_h,
                      tr.count * tr.purchase_krw_per_gpu);
    reallocate(st);
}

void release_cut_quota(RaceState& st, const std::vector<int>& cut) {
    if (st.sc->policy.allocation.cut_gpus != model::CutGpus::share_among_survivors || cut.empty())
        return;
    double freed = 0;
    for (int i : cut) {
        freed += st.teams[i].demand_units;
        st.teams[i].extra_units = 0;
    }
    std::vector<int> funded;
    for (std::size_t i = 0; i < st.teams.size(); ++i)
        if (st.teams[i].funded) funded.push_back(static_cast<int>(i));
    for (int i : funded) st.teams[i].extra_units += freed / static_cast<double>(funded.size());
}

}  // namespace kaisim::programme
