#include "kaisim/policy/provider_assignment.hpp"

#include <algorithm>
#include <cmath>

#include "flow_network.hpp"
#include "kaisim/core/error.hpp"

namespace kaisim::policy {

namespace {
constexpr double milli = 1000.0;  // flow is counted in thousandths of a quota unit

// The supply -> demand network with given demand capacities (in thousandths of a unit): every
// arc a demand may use, each supply priced per unit-hour, each demand's arc to the sink with
// `rank_cost(d)` per unit on top.
class ProviderNetwork {
  public:
    ProviderNetwork(const std::vector<Supply>& supplies, const std::vector<Demand>& demands,
                    bool bar_lessors)
        : supplies_(supplies),
          demands_(demands),
          allowed_(demands.size()),
          price_(supplies.size()) {
        for (std::size_t k = 0; k < supplies.size(); ++k) {
            const Supply& s = supplies[k];
            price_[k] = std::llround(s.krw_per_gpu_h / s.units_per_gpu);  // KRW per unit-hour
            max_price_ = std::max(max_price_, price_[k]);
            pool_units_ += s.count * s.units_per_gpu;
        }
        for (std::size_t d = 0; d < demands.size(); ++d)
            for (std::size_t k = 0; k < supplies.size(); ++k) {
                const Supply& s = supplies[k];
                allowed_[d].push_back(
                    !(s.leased && s.lessor_team == demands[d].team) &&  // never its own leased GPUs
                    !(s.leased && bar_lessors && demands[d].lessor));
            }
        // The loader's bounds (price, units, teams) keep rank x price inside the exact range.
        KAISIM_ASSERT(static_cast<double>(demands.size() + 1) *
                          static_cast<double>(max_price_ + 1) <=
                      static_cast<double>(FlowNetwork::max_cost));
    }

    double pool_units() const { return pool_units_; }
    std::int64_t max_price() const { return max_price_; }

    /// A demand's whole ask in thousandths of a unit; no team can receive more than the pool, so
    /// the sink arc need not be larger (and stays inside the network's range).
    std::int64_t full_cap(std::size_t d) const {
        return std::llround(std::min(demands_[d].units, pool_units_) * milli);
    }

    /// Whether the demand may use any supply at all.
    bool reaches_any(std::size_t d) const {
        for (std::size_t k = 0; k < supplies_.size(); ++k)
            if (allowed_[d][k] && supplies_[k].count > 0) return true;
        return false;
    }

    /// Solves for the given sink capacities; `priced`: least cost, else any maximum flow.
    /// Returns the flow reaching the sink.
    template <class RankCost>
    std::int64_t solve(const std::vector<std::int64_t>& caps, bool priced, RankCost rank_cost) {
        const int ns = static_cast<int>(supplies_.size()), nd = static_cast<int>(demands_.size());
        const int source = 0, sink = 1 + ns + nd;
        FlowNetwork net(sink + 1);
        for (int k = 0; k < ns; ++k)
            net.add_arc(source, 1 + k,
                        std::llround(supplies_[k].count * supplies_[k].units_per_gpu * milli));
        std::vector<std::vector<int>> arc(demands_.size(), std::vector<int>(supplies_.size(), -1));
        std::vector<int> sink_arc(demands_.size(), -1);
        for (int d = 0; d < nd; ++d) {
            for (int k = 0; k < ns; ++k)
                if (allowed_[d][k])
                    arc[d][k] = net.add_arc(
                        1 + k, 1 + ns + d,
                        std::llround(supplies_[k].count * supplies_[k].units_per_gpu * milli),
                        price_[k]);
            sink_arc[d] = net.add_arc(1 + ns + d, sink, caps[d], rank_cost(d));
        }
        if (!priced) return net.max_flow(source, sink);
        net.min_cost_max_flow(source, sink);
        flow_.assign(demands_.size(), std::vector<std::int64_t>(supplies_.size(), -1));
        std::int64_t f = 0;
        for (int d = 0; d < nd; ++d) {
            f += net.flow(sink_arc[d]);
            for (int k = 0; k < ns; ++k)
                if (arc[d][k] >= 0) flow_[d][k] = net.flow(arc[d][k]);
        }
        return f;
    }

    /// Whether every demand can receive its capacity at once.
    bool feasible(const std::vector<std::int64_t>& caps) {
        std::int64_t want = 0;
        for (std::int64_t c : caps) want += c;
        return solve(caps, false, [](int) { return 0; }) == want;
    }

    /// The last priced solve's assignment in whole GPUs. Flows split across supplies leave
    /// fractions of GPUs: each supply's GPUs left over after rounding down go one by one to a
    /// demand that may use it and still falls short of its capacity `caps`, then of its ask
    /// (never past it): the first such demand (`in_order`), or the one furthest below as a
    /// share of its ask. The remainder of a demand is unmet.
    Assignment assignment(const std::vector<std::int64_t>& caps, bool in_order) const {
        Assignment out;
        out.gpus.assign(demands_.size(), std::vector<int>(supplies_.size(), 0));
        out.unmet_units.assign(demands_.size(), 0.0);
        std::vector<double> served(demands_.size(), 0.0);
        for (std::size_t d = 0; d < demands_.size(); ++d)
            for (std::size_t k = 0; k < supplies_.size(); ++k) {
                if (flow_[d][k] < 0) continue;  // an arc it may not use
                const double f = static_cast<double>(flow_[d][k]) / milli;
                const int g = static_cast<int>(std::floor(f / supplies_[k].units_per_gpu + 1e-9));
                out.gpus[d][k] = g;
                served[d] += g * supplies_[k].units_per_gpu;
            }
        std::vector<int> left(supplies_.size());
        for (std::size_t k = 0; k < supplies_.size(); ++k) {
            left[k] = supplies_[k].count;
            for (std::size_t d = 0; d < demands_.size(); ++d) left[k] -= out.gpus[d][k];
        }
        // First to the demands below their share, then, so that no GPU idles while a demand
        // that may use it is short of its ask, to those below their ask. Each round the demand
        // furthest below (or the first, `in_order`) takes one GPU, from the supply that the
        // fewest other short demands may use.
        for (int pass = 0; pass < 2; ++pass) {
            const auto target = [&](std::size_t d) {
                return pass == 0 ? static_cast<double>(caps[d]) / milli : demands_[d].units;
            };
            const auto fits = [&](std::size_t d, std::size_t k) {
                return flow_[d][k] >= 0 && left[k] > 0 && served[d] < target(d) - 1e-9 &&
                       served[d] + supplies_[k].units_per_gpu <= demands_[d].units + 1e-9;
            };
            for (;;) {
                std::size_t best = demands_.size();
                double best_short = 0;
                for (std::size_t d = 0; d < demands_.size(); ++d) {
                    bool any = false;
                    for (std::size_t k = 0; k < supplies_.size() && !any; ++k) any = fits(d, k);
                    if (!any) continue;
                    const double short_share = (target(d) - served[d]) / demands_[d].units;
                    if (best == demands_.size() || (!in_order && short_share > best_short)) {
                        best = d;
                        best_short = short_share;
                    }
                }
                if (best == demands_.size()) break;
                std::size_t pick = supplies_.size();
                int pick_users = 0;
                for (std::size_t k = 0; k < supplies_.size(); ++k) {
                    if (!fits(best, k)) continue;
                    int users = 0;
                    for (std::size_t d = 0; d < demands_.size(); ++d)
                        users += d != best && fits(d, k);
                    if (pick == supplies_.size() || users < pick_users) {
                        pick = k;
                        pick_users = users;
                    }
                }
                ++out.gpus[best][pick];
                served[best] += supplies_[pick].units_per_gpu;
                --left[pick];
            }
        }
        for (std::size_t d = 0; d < demands_.size(); ++d) {
            for (std::size_t k = 0; k < supplies_.size(); ++k)
                out.krw_per_h += out.gpus[d][k] * supplies_[k].krw_per_gpu_h;
            out.unmet_units[d] = std::max(0.0, demands_[d].units - served[d]);
        }
        return out;
    }

  private:
    const std::vector<Supply>& supplies_;
    const std::vector<Demand>& demands_;
    std::vector<std::vector<bool>> allowed_;
    std::vector<std::int64_t> price_;
    std::int64_t max_price_ = 0;
    double pool_units_ = 0;
    std::vector<std::vector<std::int64_t>> flow_;  ///< [demand][supply], -1: no arc
};

// Max-min fair shares by progressive filling: raise one common share s of every unfrozen demand
// as far as the network allows, freeze the demands that cannot go further (their reachable
// supplies are exhausted), and go on with the others. Returns each demand's capacity in
// thousandths of a unit.
std::vector<std::int64_t> fair_caps(ProviderNetwork& net, const std::vector<Demand>& demands) {
    const std::size_t nd = demands.size();
    std::vector<std::int64_t> full(nd), caps(nd, 0);
    std::vector<bool> frozen(nd, false);
    for (std::size_t d = 0; d < nd; ++d) {
        full[d] = net.full_cap(d);
        frozen[d] = full[d] == 0 || !net.reaches_any(d);  // e.g. a lessor under the bar
    }
    const auto at_share = [&](double s) {
        std::vector<std::int64_t> c = caps;
        for (std::size_t d = 0; d < nd; ++d)
            if (!frozen[d]) c[d] = static_cast<std::int64_t>(std::floor(s * full[d]));
        return c;
    };
    double level = 0;  // the share every unfrozen demand can receive
    for (std::size_t round = 0; round < nd; ++round) {
        if (std::all_of(frozen.begin(), frozen.end(), [](bool f) { return f; })) break;
        // No share can pass what the pool has left for the open demands: where nothing but the
        // pool's size binds (the common case), that bound is the share, found in one solve.
        double left = net.pool_units() * milli, asked = 0;
        for (std::size_t d = 0; d < nd; ++d) {
            if (frozen[d])
                left -= static_cast<double>(caps[d]);
            else
                asked += static_cast<double>(full[d]);
        }
        double lo = level, hi = asked > 0 ? std::clamp(left / asked, level, 1.0) : 1.0;
        if (net.feasible(at_share(hi))) {
            lo = hi;
        } else {
            for (int it = 0; it < 48 && hi - lo > 1e-12; ++it) {  // feasibility is monotone in s
                const double mid = 0.5 * (lo + hi);
                (net.feasible(at_share(mid)) ? lo : hi) = mid;
            }
        }
        level = lo;
        caps = at_share(level);
        // A demand is a bottleneck when it cannot take more with the others at the level. The
        // level is found to within rounding, so demands behind one shared bottleneck leave up
        // to one thousandth each of slack: asking for as many thousandths as there are open
        // demands cannot fit through a bottleneck, and always fits where supply is left.
        std::int64_t open = 0;
        for (std::size_t d = 0; d < nd; ++d) open += !frozen[d];
        bool any = false;
        std::vector<bool> stuck(nd, false);
        for (std::size_t d = 0; d < nd; ++d) {
            if (frozen[d]) continue;
            std::vector<std::int64_t> more = caps;
            more[d] = std::min(full[d], more[d] + open);
            stuck[d] = level >= 1 || more[d] == caps[d] || !net.feasible(more);
            any = any || stuck[d];
        }
        for (std::size_t d = 0; d < nd; ++d)
            if (!frozen[d] && (stuck[d] || !any)) frozen[d] = true;  // no progress: stop all
    }
    return caps;
}
}  // namespace

Assignment assign_providers(const std::vector<Supply>& supplies, const std::vector<Demand>& demands,
                            bool bar_lessors, model::Shortage shortage) {
    ProviderNetwork net(supplies, demands, bar_lessors);
    std::vector<std::int64_t> caps(demands.size());
    for (std::size_t d = 0; d < demands.size(); ++d) caps[d] = net.full_cap(d);
    if (shortage == model::Shortage::priority) {
        // Rank priority: a worse-placed demand costs more per unit than any price difference, so
        // a shortage falls on the demands that come last.
        const std::int64_t step = net.max_price() + 1;
        net.solve(caps, true, [&](int d) { return d * step; });
        return net.assignment(caps, true);
    }
    // Proportional: the cheapest plan that gives every demand its max-min fair share (all of it
    // when the pool suffices).
    if (!net.feasible(caps)) caps = fair_caps(net, demands);
    net.solve(caps, true, [](int) { return 0; });
    return net.assignment(caps, false);
}

}  // namespace kaisim::policy
