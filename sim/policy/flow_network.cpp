#include "flow_network.hpp"

#include <boost/graph/push_relabel_max_flow.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>

#include "kaisim/core/error.hpp"

namespace kaisim::policy {

FlowNetwork::FlowNetwork(int vertices) : g_(static_cast<std::size_t>(vertices)) {}

int FlowNetwork::add_arc(int from, int to, std::int64_t capacity, std::int64_t cost) {
    KAISIM_ASSERT(capacity >= 0 && capacity <= max_capacity);
    KAISIM_ASSERT(cost >= -max_cost && cost <= max_cost);
    auto cap = boost::get(boost::edge_capacity, g_);
    auto rev = boost::get(boost::edge_reverse, g_);
    auto weight = boost::get(boost::edge_weight, g_);
    const auto e = boost::add_edge(from, to, g_).first;
    const auto r = boost::add_edge(to, from, g_).first;
    cap[e] = capacity;
    cap[r] = 0;
    weight[e] = static_cast<double>(cost);
    weight[r] = -static_cast<double>(cost);
    rev[e] = r;
    rev[r] = e;
    arcs_.push_back(e);
    return static_cast<int>(arcs_.size()) - 1;
}

void FlowNetwork::min_cost_max_flow(int s, int t) {
    boost::successive_shortest_path_nonnegative_weights(g_, boost::vertex(s, g_),
                                                        boost::vertex(t, g_));
}

std::int64_t FlowNetwork::max_flow(int s, int t) {
    return boost::push_relabel_max_flow(g_, boost::vertex(s, g_), boost::vertex(t, g_));
}

std::int64_t FlowNetwork::flow(int id) const {
    const auto e = arcs_.at(static_cast<std::size_t>(id));
    return boost::get(boost::edge_capacity, g_, e) -
           boost::get(boost::edge_residual_capacity, g_, e);
}

}  // namespace kaisim::policy
