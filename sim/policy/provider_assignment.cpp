#include "kaisim/policy/provider_assignment.hpp"

#include <algorithm>
#include <cmath>

#include "flow_network.hpp"
#include "kaisim/core/error.hpp"

namespace kaisim::policy {

namespace {
constexpr double milli = 1000.0;  // flow is counted in thousandths of a quota unit
}

Assignment assign_providers(const std::vector<Supply>& supplies, const std::vector<Demand>& demands,
                            bool bar_lessors) {
    const int ns = static_cast<int>(supplies.size()), nd = static_cast<int>(demands.size());
    Assignment out;
    out.gpus.assign(demands.size(), std::vector<int>(supplies.size(), 0));
    out.unmet_units.assign(demands.size(), 0.0);
    // Vertices: source, supplies, demands, sink.
    const int source = 0, sink = 1 + ns + nd;
    FlowNetwork net(sink + 1);
    std::int64_t max_price = 0;
    double pool_units = 0;
    std::vector<std::int64_t> price(supplies.size());
    for (int k = 0; k < ns; ++k) {
        const Supply& s = supplies[k];
        price[k] = std::llround(s.krw_per_gpu_h / s.units_per_gpu);  // KRW per unit-hour
        max_price = std::max(max_price, price[k]);
        pool_units += s.count * s.units_per_gpu;
        net.add_arc(source, 1 + k, std::llround(s.count * s.units_per_gpu * milli));
    }
    // The loader's bounds (price, units, teams) keep rank x price inside the exact cost range.
    KAISIM_ASSERT(static_cast<double>(nd + 1) * static_cast<double>(max_price + 1) <=
                  static_cast<double>(FlowNetwork::max_cost));
    std::vector<std::vector<int>> arc(demands.size(), std::vector<int>(supplies.size(), -1));
    for (int d = 0; d < nd; ++d) {
        for (int k = 0; k < ns; ++k) {
            const Supply& s = supplies[k];
            if (s.leased && s.lessor_team == demands[d].team)
                continue;  // never its own leased GPUs
            if (s.leased && bar_lessors && demands[d].lessor) continue;
            arc[d][k] = net.add_arc(1 + k, 1 + ns + d,
                                    std::llround(s.count * s.units_per_gpu * milli), price[k]);
        }
        // Rank priority: a worse-ranked demand costs more per unit than any price difference, so
        // a shortage falls on the worst-ranked teams.
        // No team can receive more than the whole pool: the arc's capacity need not be larger
        // (and stays inside the network's range whatever the demand).
        net.add_arc(1 + ns + d, sink, std::llround(std::min(demands[d].units, pool_units) * milli),
                    d * (max_price + 1));
    }
    net.min_cost_max_flow(source, sink);
    for (int d = 0; d < nd; ++d) {
        double served = 0;
        for (int k = 0; k < ns; ++k) {
            if (arc[d][k] < 0) continue;
            const double f = static_cast<double>(net.flow(arc[d][k])) / milli;
            const int g = static_cast<int>(std::floor(f / supplies[k].units_per_gpu + 1e-9));
            out.gpus[d][k] = g;
            served += g * supplies[k].units_per_gpu;
            out.krw_per_h += g * supplies[k].krw_per_gpu_h;
        }
        out.unmet_units[d] = std::max(0.0, demands[d].units - served);
    }
    return out;
}

}  // namespace kaisim::policy
