#include "kaisim/run/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>

#include "kaisim/core/error.hpp"
#include "kaisim/core/parallel.hpp"
#include "kaisim/core/process_group.hpp"
#include "rank_shares.hpp"

namespace kaisim::run {

core::Interval MetricComparison::unpaired_ci() const {
    const double n = static_cast<double>(diff.n());
    const double se = n > 0 ? std::sqrt((a.variance() + b.variance()) / n) : 0.0;
    return {diff.mean() - core::z95 * se, diff.mean() + core::z95 * se};
}

double MetricComparison::variance_ratio() const {
    const double paired = diff.variance(), unpaired = a.variance() + b.variance();
    if (paired > 0) return unpaired / paired;
    return unpaired > 0 ? INFINITY : 1.0;
}

ComparisonResult compare_arms(const programme::PreparedScenario& pa,
                              const programme::PreparedScenario& pb, eval::ScoringBackend& backend,
                              std::uint32_t replicates, int threads, std::uint32_t batch,
                              const std::function<void(std::uint32_t)>& progress,
                              const ArmsFor& arms_for, const core::ProcessGroup* ranks) {
    KAISIM_ASSERT(pa.scenario->seed == pb.scenario->seed);
    const std::vector<MetricSpec> sa = metric_specs(*pa.scenario), sb = metric_specs(*pb.scenario);
    ComparisonResult out;
    std::vector<std::size_t> in_b;  // index in B's metrics of each compared metric
    std::vector<std::size_t> in_a;
    for (std::size_t i = 0; i < sa.size(); ++i)
        for (std::size_t j = 0; j < sb.size(); ++j)
            if (sa[i].name == sb[j].name) {
                out.metrics.push_back(MetricComparison{sa[i], {}, {}, {}, 0});
                in_a.push_back(i);
                in_b.push_back(j);
            }
    batch = agreed_batch(ranks, batch, backend);
    const bool rank0 = !ranks || ranks->rank() == 0;
    const std::size_t width = 2 * out.metrics.size();  // per replicate: A's and B's values
    std::exception_ptr fold_error;  // rank 0's, told to every rank at the next agreement
    core::for_each_piece(replicates, batch, [&](std::uint32_t first, std::uint32_t len) {
        // Each rank simulates a contiguous share of the batch; rank 0 folds them all in
        // replicate order.
        const std::vector<double> all =
            run_shares(ranks, first, len, fold_error, [&](const std::vector<std::uint32_t>& ids) {
                // Each arm's metrics are taken by the threads that simulated it.
                std::vector<std::vector<double>> va(ids.size()), vb(ids.size());
                const auto metrics_into = [](const model::Scenario& sc,
                                             std::vector<std::vector<double>>& into) {
                    return [&sc, &into](std::size_t k, programme::Result&& r) {
                        into[k] = replicate_metrics(sc, r);
                    };
                };
                if (!arms_for) {
                    run_batch_each(pa, ids, backend, threads, false,
                                   metrics_into(*pa.scenario, va));
                    run_batch_each(pb, ids, backend, threads, false,
                                   metrics_into(*pb.scenario, vb));
                } else {
                    const auto arm = [&](bool b) {
                        return [&, b](std::uint32_t id) {
                            const auto [x, y] = arms_for(id);
                            const programme::PreparedScenario* p = b ? y : x;
                            const programme::PreparedScenario& base = b ? pb : pa;
                            KAISIM_ASSERT(
                                p->scenario->seed == pa.scenario->seed &&
                                p->scenario->teams.size() == base.scenario->teams.size() &&
                                p->scenario->stages.size() == base.scenario->stages.size());
                            return p;
                        };
                    };
                    run_batch_for_each(arm(false), ids, backend, threads,
                                       metrics_into(*pa.scenario, va));
                    run_batch_for_each(arm(true), ids, backend, threads,
                                       metrics_into(*pb.scenario, vb));
                }
                std::vector<double> values;  // per replicate: A's and B's value of each metric
                for (std::size_t k = 0; k < ids.size(); ++k)
                    for (std::size_t m = 0; m < out.metrics.size(); ++m) {
                        values.push_back(va[k][in_a[m]]);
                        values.push_back(vb[k][in_b[m]]);
                    }
                return values;
            });
        if (!rank0) return;
        // Rank 0 folds; a failure here reaches every rank at the next batch or at the end.
        fold_share(ranks, fold_error, [&] {
            KAISIM_ASSERT(all.size() == len * width);
            for (std::size_t at = 0; at < all.size(); at += width)
                for (std::size_t m = 0; m < out.metrics.size(); ++m) {
                    MetricComparison& c = out.metrics[m];
                    const double x = all[at + 2 * m], y = all[at + 2 * m + 1];
                    c.a.add(x);
                    c.b.add(y);
                    c.diff.add(y - x);
                    const double better = c.spec.direction == Direction::lower ? x - y : y - x;
                    c.b_better += better > 0    ? 1.0
                                  : better == 0 ? (c.spec.direction == Direction::none ? 0.0 : 0.5)
                                                : 0.0;
                }
            out.replicates += len;
            if (progress) progress(out.replicates);
        });
    });
    if (ranks) ranks->agree(fold_error);
    return out;
}

}  // namespace kaisim::run
