#include "kaisim/run/monte_carlo.hpp"

#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <numeric>

#include "kaisim/core/error.hpp"
#include "kaisim/core/parallel.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/rng.hpp"
#include "rank_shares.hpp"

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

// What the fold needs of a replicate, as numbers a rank can send: replicate, kept, its metric
// values (when kept), its stage rows (stage, rows, then team and outcome per row), finalists, and
// each team's end ability, FLOP trained and KRW attributed (summed where it ran).
void digest(const model::Scenario& sc, const programme::Result& r, bool kept,
            std::vector<double>& out) {
    out.push_back(r.replicate);
    out.push_back(kept ? 1 : 0);
    if (kept) {  // the metrics of a replicate --given discards are not computed
        const std::vector<double> values = replicate_metrics(sc, r);
        out.insert(out.end(), values.begin(), values.end());
    }
    out.push_back(static_cast<double>(r.stages.size()));
    for (const programme::StageRecord& rec : r.stages) {
        out.push_back(rec.stage);
        out.push_back(static_cast<double>(rec.rows.size()));
        for (const programme::StageTeamRow& row : rec.rows) {
            out.push_back(row.team);
            out.push_back(static_cast<double>(row.outcome));
        }
    }
    out.push_back(static_cast<double>(r.finalists.size()));
    for (int f : r.finalists) out.push_back(f);
    KAISIM_ASSERT(r.teams.size() == sc.teams.size());
    for (const programme::TeamRecord& t : r.teams) {
        out.push_back(t.end.ability);
        out.push_back(t.end.flops);
        out.push_back(t.krw[0] + t.krw[1] + t.krw[2]);
    }
}

// The digest at `at` (moved past it) as the parts of a Result the fold reads; the team's KRW
// sum in krw[0].
programme::Result undigest(const model::Scenario& sc, std::size_t metrics,
                           const std::vector<double>& in, std::size_t& at, bool& kept,
                           std::vector<double>& values) {
    const auto next = [&] { return in.at(at++); };
    const auto count = [&] { return static_cast<std::size_t>(next()); };
    programme::Result r;
    r.replicate = static_cast<std::uint32_t>(next());
    kept = next() != 0;
    values.clear();
    if (kept) {
        values.assign(in.begin() + static_cast<std::ptrdiff_t>(at),
                      in.begin() + static_cast<std::ptrdiff_t>(at + metrics));
        at += values.size();
    }
    r.stages.resize(count());
    for (programme::StageRecord& rec : r.stages) {
        rec.stage = static_cast<int>(next());
        rec.rows.resize(count());
        for (programme::StageTeamRow& row : rec.rows) {
            row.team = static_cast<int>(next());
            row.outcome = static_cast<eval::Outcome>(static_cast<int>(next()));
        }
    }
    r.finalists.resize(count());
    for (int& f : r.finalists) f = static_cast<int>(next());
    r.teams.resize(sc.teams.size());
    for (programme::TeamRecord& t : r.teams) {
        t.end.ability = next();
        t.end.flops = next();
        t.krw[0] = next();
    }
    return r;
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
    const core::ProcessGroup* ranks = options.ranks;
    const bool rank0 = !ranks || ranks->rank() == 0;
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
    const std::uint32_t batch = agreed_batch(ranks, options.batch, backend);
    std::exception_ptr fold_error;  // rank 0's, told to every rank at the next agreement
    // Rank 0's fold of a batch, in replicate order (so the result does not depend on the number
    // of ranks): serial, so it runs alongside the simulation of the next batch, not between (rank
    // 0 holds two batches' digests meanwhile). Progress is told from the calling thread.
    const auto fold = [&](const std::vector<double>& all, std::uint32_t first, std::uint32_t len) {
        for (std::size_t at = 0; at < all.size();) {
            bool kept = false;
            std::vector<double> values;
            const programme::Result r = undigest(sc, mc.specs.size(), all, at, kept, values);
            ++mc.simulated;
            if (!kept) continue;
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
                mc.teams[i].krw.add(t.krw[0]);
            }
            if (options.per_replicate) options.per_replicate(r.replicate, values);
            ++mc.replicates;
        }
        KAISIM_ASSERT(mc.simulated == first + len);
    };
    std::uint32_t reported = 0;
    const auto report = [&] {
        if (!options.progress || mc.simulated == reported) return;
        reported = mc.simulated;
        options.progress(reported);
    };
    std::vector<double> held;  // rank 0: the batch simulated last, not folded yet
    std::uint32_t held_first = 0, held_len = 0;
    bool holding = false;
    const std::function<void()> fold_held = [&] {
        fold(held, held_first, held_len);
        holding = false;
    };
    core::for_each_piece(options.replicates, batch, [&](std::uint32_t first, std::uint32_t len) {
        std::function<void()> side;  // nothing is folded after a fold failed
        if (holding && !fold_error) side = fold_held;
        // Each rank simulates a contiguous share of the batch; rank 0 receives every share.
        std::vector<double> all =
            run_shares(ranks, first, len, fold_error, [&](const std::vector<std::uint32_t>& ids) {
                // Digests are made, and results freed, by the threads that simulated them;
                // they are joined in replicate order.
                std::vector<std::vector<double>> parts(ids.size());
                const auto take = [&](std::size_t k, programme::Result&& r) {
                    digest(sc, r, !options.keep || options.keep(r), parts[k]);
                };
                if (!options.prepared_for) {
                    run_batch_each(prepared, ids, backend, options.threads, false, take, side);
                } else {
                    run_batch_for_each(
                        [&](std::uint32_t id) {
                            const programme::PreparedScenario* p = options.prepared_for(id);
                            KAISIM_ASSERT(p->scenario->teams.size() == sc.teams.size() &&
                                          p->scenario->stages.size() == sc.stages.size());
                            return p;
                        },
                        ids, backend, options.threads, take, side);
                }
                std::vector<double> digests;
                for (const std::vector<double>& p : parts)
                    digests.insert(digests.end(), p.begin(), p.end());
                return digests;
            });
        if (!rank0) return;
        // Not folded alongside (rank 0 had no share of this batch): folded now. A failure in a
        // fold reaches every rank at the next batch or at the end, so none waits.
        if (holding && !fold_error) fold_share(ranks, fold_error, fold_held);
        report();
        held = std::move(all);
        held_first = first;
        held_len = len;
        holding = true;
    });
    if (holding && !fold_error) fold_share(ranks, fold_error, fold_held);
    if (rank0) report();
    if (ranks) ranks->agree(fold_error);
    return mc;
}

std::size_t posterior_particle(const std::vector<double>& cumulative, std::uint32_t seed,
                               std::uint32_t replicate) {
    const core::RngStream draw(seed, replicate, core::Stream::calibration);
    const double u = draw.uniform(0xFFFFFFFFu, 1) * cumulative.back();
    const auto k = static_cast<std::size_t>(
        std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
    return std::min(k, cumulative.size() - 1);
}

}  // namespace kaisim::run
