#include "kaisim/run/metrics.hpp"

#include <algorithm>
#include <numeric>

namespace kaisim::run {

std::vector<MetricSpec> metric_specs(const model::Scenario& sc) {
    std::vector<MetricSpec> m{
        {"selection_correct_all", Direction::higher,
         "every stage kept the truly strongest of its eligible teams", true},
        {"strongest_at_start_is_finalist", Direction::higher,
         "the applicant with the highest true ability at the first stage is a finalist", true},
        {"best_final_ability", Direction::higher,
         "highest ability among the finalists at the end, logits"},
        {"mean_finalist_ability", Direction::higher,
         "mean ability of the finalists at the end, logits"},
        {"gpu_allocated_share", Direction::higher,
         "share of the pool's GPU-hours assigned to teams"},
        {"gpu_productive_share", Direction::higher, "share of assigned GPU-hours that trained"},
        {"unmet_quota_gpu_hours", Direction::lower, "quota GPU-hours that could not be served"},
        {"gini_gpu_hours", Direction::none,
         "Gini coefficient of programme GPU-hours across funded teams"},
        {"spend_gpu_krw", Direction::lower, "GPU spend, KRW"},
        {"spend_data_krw", Direction::lower, "data spend, KRW"},
        {"spend_talent_krw", Direction::lower, "talent spend, KRW"},
        {"spend_total_krw", Direction::lower, "total spend, KRW"},
        {"feasible", Direction::higher, "every budget fits", true},
    };
    for (const model::Stage& st : sc.stages)
        m.push_back({"selection_correct_" + st.id, Direction::higher,
                     "stage " + st.id + " kept the truly strongest of its eligible teams", true});
    return m;
}

double gini(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const double total = std::accumulate(v.begin(), v.end(), 0.0);
    if (total <= 0) return 0;
    double weighted = 0;
    for (std::size_t i = 0; i < v.size(); ++i)
        weighted += (2.0 * static_cast<double>(i + 1) - v.size() - 1) * v[i];
    return weighted / (static_cast<double>(v.size()) * total);
}

std::vector<double> replicate_metrics(const model::Scenario& sc, const programme::Result& r) {
    double best = 0, sum = 0;
    for (std::size_t k = 0; k < r.finalists.size(); ++k) {
        const double a = r.teams[r.finalists[k]].end.ability;
        best = k == 0 ? a : std::max(best, a);
        sum += a;
    }
    int strongest = -1;
    double strongest_theta = 0;
    if (!r.stages.empty())
        for (const programme::StageTeamRow& row : r.stages.front().rows)
            if (strongest < 0 || row.true_ability > strongest_theta) {
                strongest = row.team;
                strongest_theta = row.true_ability;
            }
    std::vector<double> hours;
    double unmet = 0;
    for (const programme::TeamRecord& t : r.teams) {
        if (t.funded_ever) hours.push_back(t.gpu_h_allocated);
        unmet += t.gpu_h_unmet;
    }
    bool feasible = true;
    for (const auto& b : r.budgets) feasible = feasible && b.feasible;
    const programme::PoolUsage& p = r.pool;
    std::vector<double> v{
        r.all_stages_correct ? 1.0 : 0.0,
        std::find(r.finalists.begin(), r.finalists.end(), strongest) != r.finalists.end() ? 1.0
                                                                                          : 0.0,
        best,
        r.finalists.empty() ? 0.0 : sum / static_cast<double>(r.finalists.size()),
        p.capacity_gpu_h > 0 ? p.allocated_gpu_h / p.capacity_gpu_h : 0.0,
        p.allocated_gpu_h > 0 ? p.productive_gpu_h / p.allocated_gpu_h : 0.0,
        unmet,
        gini(hours),
        r.spend_krw[0],
        r.spend_krw[1],
        r.spend_krw[2],
        r.spend_krw[0] + r.spend_krw[1] + r.spend_krw[2],
        feasible ? 1.0 : 0.0,
    };
    for (std::size_t s = 0; s < sc.stages.size(); ++s) {
        double correct = 1;
        for (const programme::StageRecord& rec : r.stages)
            if (rec.stage == static_cast<int>(s)) correct = rec.selection_correct ? 1.0 : 0.0;
        v.push_back(correct);
    }
    return v;
}

}  // namespace kaisim::run
