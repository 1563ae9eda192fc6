#include "kaisim/policy/consortium_graph.hpp"

#include <algorithm>
#include <cmath>

#include "flow_network.hpp"

namespace kaisim::policy {

namespace {
// One max-flow round: partner capacity left -> members (each arc capped by `share`) -> budget left.
// Returns flow [partner][team] in KRW.
std::vector<std::vector<double>> flow_round(const std::vector<std::vector<int>>& membership,
                                            const std::vector<double>& partner_left,
                                            const std::vector<double>& budget_left,
                                            const std::vector<double>& arc_cap) {
    const int np = static_cast<int>(partner_left.size()), nt = static_cast<int>(membership.size());
    // Capacities in KRW; where the largest exceeds what the network takes (huge data at a high
    // price), all are counted in a coarser unit (a power of two, so the scaling is exact).
    double largest = 0;
    for (double v : partner_left) largest = std::max(largest, v);
    for (double v : budget_left) largest = std::max(largest, v);
    for (double v : arc_cap) largest = std::max(largest, v);
    double unit = 1;
    while (largest / unit > static_cast<double>(FlowNetwork::max_capacity) / 1024) unit *= 2;
    const auto cap = [unit](double krw) { return std::llround(std::max(0.0, krw) / unit); };
    const int source = 0, sink = 1 + np + nt;
    FlowNetwork net(sink + 1);
    for (int p = 0; p < np; ++p) net.add_arc(source, 1 + p, cap(partner_left[p]));
    std::vector<std::vector<int>> arc(np, std::vector<int>(nt, -1));
    for (int t = 0; t < nt; ++t) {
        for (int p : membership[t]) arc[p][t] = net.add_arc(1 + p, 1 + np + t, cap(arc_cap[p]));
        net.add_arc(1 + np + t, sink, cap(budget_left[t]));
    }
    net.max_flow(source, sink);
    std::vector<std::vector<double>> flow(np, std::vector<double>(nt, 0.0));
    for (int p = 0; p < np; ++p)
        for (int t = 0; t < nt; ++t)
            if (arc[p][t] >= 0) flow[p][t] = static_cast<double>(net.flow(arc[p][t])) * unit;
    return flow;
}
}  // namespace

ConsortiumSplit split_partner_data(const std::vector<std::vector<int>>& membership,
                                   const std::vector<std::vector<double>>& raw,
                                   const std::vector<double>& krw_per_mtok,
                                   const std::vector<double>& budget_krw) {
    const std::size_t np = raw.size(), nt = membership.size(), nd = krw_per_mtok.size();
    ConsortiumSplit out;
    out.degree.assign(np, 0);
    for (const auto& ps : membership)
        for (int p : ps) ++out.degree[p];
    out.tokens.assign(np, std::vector<std::vector<double>>(nt, std::vector<double>(nd, 0.0)));
    // Each partner's data valued at its processing cost, KRW.
    std::vector<double> value(np, 0.0);
    for (std::size_t p = 0; p < np; ++p)
        for (std::size_t d = 0; d < nd && d < raw[p].size(); ++d)
            value[p] += raw[p][d] / 1e6 * std::max(1.0, krw_per_mtok[d]);
    std::vector<double> equal_share(np), full(np);
    for (std::size_t p = 0; p < np; ++p) {
        equal_share[p] = out.degree[p] ? std::floor(value[p] / out.degree[p]) : 0;
        full[p] = value[p];
    }
    const auto first = flow_round(membership, value, budget_krw, equal_share);
    std::vector<double> partner_left = value, budget_left = budget_krw;
    for (std::size_t p = 0; p < np; ++p)
        for (std::size_t t = 0; t < nt; ++t) {
            partner_left[p] -= first[p][t];
            budget_left[t] -= first[p][t];
        }
    const auto second = flow_round(membership, partner_left, budget_left, full);
    for (std::size_t p = 0; p < np; ++p) {
        if (value[p] <= 0) continue;
        for (std::size_t t = 0; t < nt; ++t) {
            const double share = (first[p][t] + second[p][t]) / value[p];
            for (std::size_t d = 0; d < nd && d < raw[p].size(); ++d)
                out.tokens[p][t][d] = raw[p][d] * share;
        }
    }
    return out;
}

}  // namespace kaisim::policy
