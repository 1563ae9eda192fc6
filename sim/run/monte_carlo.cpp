#include "kaisim/run/monte_carlo.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "kaisim/core/error.hpp"

namespace kaisim::run {

namespace {
// The field after each stage: a regular stage's advanced teams; a wildcard's admitted teams
// join the field they found.
template <class Visit>
void for_each_field(const model::Scenario& sc, const programme::Result& r, Visit&& visit) {
    std::vector<int> field;
    for (const programme::StageRecord& rec : r.stages) {
        if (!sc.stages[rec.stage].wildcard) field.clear();
        for (const programme::StageTeamRow& row : rec.rows)
            if (row.outcome == eval::Outcome::advanced || row.outcome == eval::Outcome::admitted)
                field.push_back(row.team);
        std::sort(field.begin(), field.end());
        visit(rec.stage, field);
    }
}

void tally_fields(const model::Scenario& sc, const programme::Result& r,
                  std::vector<McFields>& fields) {
    for_each_field(sc, r, [&](int stage, const std::vector<int>& field) {
        McFields& f = fields[stage];
        ++f.size[field.size()];
        if (const auto it = f.count.find(field); it != f.count.end())
            ++it->second;
        else if (f.count.size() < McFields::max_distinct)
            f.count.emplace(field, 1);
        else
            ++f.other;
    });
}
}  // namespace

std::vector<int> field_after(const model::Scenario& sc, const programme::Result& r, int stage) {
    std::vector<int> out;
    for_each_field(sc, r, [&](int s, const std::vector<int>& field) {
        if (s == stage) out = field;
    });
    return out;
}

McResult run_monte_carlo(const programme::PreparedScenario& prepared, eval::ScoringBackend& backend,
                         const McOptions& options) {
    const model::Scenario& sc = *prepared.scenario;
    McResult mc;
    mc.specs = metric_specs(sc);
    mc.metrics.resize(mc.specs.size());
    mc.teams.resize(sc.teams.size());
    for (McTeam& t : mc.teams) {
        t.reached.assign(sc.stages.size(), 0);
        t.kept.assign(sc.stages.size(), 0);
    }
    mc.fields.resize(sc.stages.size());
    for (McFields& f : mc.fields) f.size.assign(sc.teams.size() + 1, 0);
    const std::uint32_t batch = std::max<std::uint32_t>(1, options.batch);
    for (std::uint32_t first = 0; first < options.replicates; first += batch) {
        std::vector<std::uint32_t> ids(std::min(batch, options.replicates - first));
        std::iota(ids.begin(), ids.end(), first);
        std::vector<programme::Result> results;
        if (!options.prepared_for) {
            results = run_batch(prepared, ids, backend, options.threads, false);
        } else {
            results = run_batch_for(
                [&](std::uint32_t id) {
                    const programme::PreparedScenario* p = options.prepared_for(id);
                    KAISIM_ASSERT(p->scenario->teams.size() == sc.teams.size() &&
                                  p->scenario->stages.size() == sc.stages.size());
                    return p;
                },
                ids, backend, options.threads);
        }
        for (const programme::Result& r : results) {
            ++mc.simulated;
            if (options.keep && !options.keep(r)) continue;
            const std::vector<double> values = replicate_metrics(sc, r);
            for (std::size_t m = 0; m < values.size(); ++m) mc.metrics[m].add(values[m]);
            for (const programme::StageRecord& rec : r.stages)
                for (const programme::StageTeamRow& row : rec.rows) {
                    ++mc.teams[row.team].reached[rec.stage];
                    if (row.outcome == eval::Outcome::advanced ||
                        row.outcome == eval::Outcome::admitted)
                        ++mc.teams[row.team].kept[rec.stage];
                }
            for (int f : r.finalists) ++mc.teams[f].finalist;
            tally_fields(sc, r, mc.fields);
            for (std::size_t i = 0; i < r.teams.size(); ++i) {
                const programme::TeamRecord& t = r.teams[i];
                mc.teams[i].ability.add(t.end.ability);
                mc.teams[i].flops.add(t.end.flops);
                mc.teams[i].krw.add(t.krw[0] + t.krw[1] + t.krw[2]);
            }
            if (options.per_replicate) options.per_replicate(r.replicate, values);
            ++mc.replicates;
        }
        if (options.progress) options.progress(mc.simulated);
    }
    return mc;
}

}  // namespace kaisim::run
