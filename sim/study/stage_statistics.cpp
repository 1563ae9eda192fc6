#include "kaisim/study/stage_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "kaisim/core/error.hpp"

namespace kaisim::study {

namespace {
template <class T>
int index_of(const std::vector<T>& items, const std::string& id, const Observation& o,
             const char* what) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].id == id) return static_cast<int>(i);
    throw InputError(o.file, o.line, o.col,
                     "observation '" + o.name + "' names " + what + " '" + id +
                         "', which the scenario does not have");
}
}  // namespace

bool is_indicator(StatisticKind k) {
    switch (k) {
        case StatisticKind::top_set:
        case StatisticKind::last:
        case StatisticKind::first:
        case StatisticKind::passed:
        case StatisticKind::disqualified: return true;
        case StatisticKind::best:
        case StatisticKind::mean:
        case StatisticKind::value:
        case StatisticKind::compute:
        case StatisticKind::ability:
        case StatisticKind::points: return false;
    }
    return false;
}

bool is_points_gate(const model::Stage& stage) {
    return !stage.wildcard && stage.keep >= 1 && !stage.rules.disqualification &&
           stage.rules.min_score < 0 && stage.rules.frontier_component < 0;
}

std::vector<ResolvedObservation> resolve_observations(const model::Scenario& sc,
                                                      const std::vector<Observation>& obs) {
    std::vector<ResolvedObservation> out;
    for (const Observation& o : obs) {
        ResolvedObservation r;
        r.kind = o.kind;
        if (o.kind == StatisticKind::value)
            throw InputError(o.file, o.line, o.col,
                             "observation '" + o.name +
                                 "' needs a stage and a statistic (best, mean, top_set, first, "
                                 "last, passed, disqualified, compute, points) for a scenario "
                                 "calibration");
        r.stage = index_of(sc.stages, o.stage, o, "stage");
        for (const std::string& c : o.components)
            r.components.push_back(index_of(sc.stages[r.stage].components, c, o, "component"));
        for (const std::string& t : o.teams) r.teams.push_back(index_of(sc.teams, t, o, "team"));
        out.push_back(r);
    }
    return out;
}

std::vector<double> stage_statistics(const programme::Result& r,
                                     const std::vector<ResolvedObservation>& obs) {
    std::vector<double> out;
    for (const ResolvedObservation& o : obs) {
        const auto rec =
            std::find_if(r.stages.begin(), r.stages.end(),
                         [&](const programme::StageRecord& s) { return s.stage == o.stage; });
        if (rec == r.stages.end() || rec->rows.empty()) {
            out.push_back(std::numeric_limits<double>::quiet_NaN());
            continue;
        }
        // Row k's points on the observed components (its total when none are named).
        const auto points = [&](std::size_t k) {
            if (o.components.empty()) return rec->rows[k].total;
            const std::span<const double> pts = rec->points_of(k);
            double p = 0;
            for (int c : o.components) {
                KAISIM_ASSERT(c >= 0 && static_cast<std::size_t>(c) < pts.size());
                p += pts[static_cast<std::size_t>(c)];
            }
            return p;
        };
        switch (o.kind) {
            case StatisticKind::best: {
                double best = -std::numeric_limits<double>::infinity();
                for (std::size_t k = 0; k < rec->rows.size(); ++k) best = std::max(best, points(k));
                out.push_back(best);
                break;
            }
            case StatisticKind::mean: {
                double sum = 0;
                for (std::size_t k = 0; k < rec->rows.size(); ++k) sum += points(k);
                out.push_back(sum / static_cast<double>(rec->rows.size()));
                break;
            }
            case StatisticKind::top_set: {
                const int k = static_cast<int>(o.teams.size());
                bool same = true;
                for (const auto& row : rec->rows) {
                    const bool named =
                        std::find(o.teams.begin(), o.teams.end(), row.team) != o.teams.end();
                    same = same && (row.rank <= k) == named;
                }
                out.push_back(same ? 1.0 : 0.0);
                break;
            }
            case StatisticKind::first:
            case StatisticKind::last: {
                const auto by_rank = [](const auto& a, const auto& b) { return a.rank < b.rank; };
                const auto at = o.kind == StatisticKind::last
                                    ? std::max_element(rec->rows.begin(), rec->rows.end(), by_rank)
                                    : std::min_element(rec->rows.begin(), rec->rows.end(), by_rank);
                out.push_back(!o.teams.empty() && at->team == o.teams.front() ? 1.0 : 0.0);
                break;
            }
            case StatisticKind::passed:
            case StatisticKind::disqualified:
            case StatisticKind::compute:
            case StatisticKind::ability:
            case StatisticKind::points: {
                const auto row =
                    std::find_if(rec->rows.begin(), rec->rows.end(),
                                 [&](const auto& rw) { return rw.team == o.teams.front(); });
                if (row == rec->rows.end())
                    out.push_back(std::numeric_limits<double>::quiet_NaN());
                else if (o.kind == StatisticKind::passed)
                    out.push_back(row->outcome == eval::Outcome::advanced ||
                                          row->outcome == eval::Outcome::admitted
                                      ? 1.0
                                      : 0.0);
                else if (o.kind == StatisticKind::disqualified)
                    out.push_back(row->outcome == eval::Outcome::disqualified ? 1.0 : 0.0);
                else if (o.kind == StatisticKind::ability)
                    out.push_back(row->true_ability);
                else if (o.kind == StatisticKind::points)
                    out.push_back(row->total);
                else
                    out.push_back(std::log10(std::max(row->flagship_flops, 1.0)));
                break;
            }
            case StatisticKind::value: KAISIM_ASSERT(false);
        }
    }
    return out;
}

}  // namespace kaisim::study
