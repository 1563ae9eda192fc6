#pragma once
// A small directed flow network over Boost.Graph, shared by the provider assignment (min-cost
// flow) and the consortium data split (max flow). Private to policy/.
#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <vector>

namespace kaisim::policy {

class FlowNetwork {
  public:
    explicit FlowNetwork(int vertices);
    /// Adds an arc with capacity and cost per unit of flow (and its zero-capacity reverse);
    /// returns its id for flow().
    int add_arc(int from, int to, std::int64_t capacity, std::int64_t cost = 0);
    /// Maximum flow from s to t of least total cost (costs must be >= 0).
    void min_cost_max_flow(int s, int t);
    /// Maximum flow from s to t (costs ignored).
    std::int64_t max_flow(int s, int t);
    /// Flow on arc `id` after a solve.
    std::int64_t flow(int id) const;

  private:
    using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
    using Graph = boost::adjacency_list<
        boost::vecS, boost::vecS, boost::directedS, boost::no_property,
        boost::property<
            boost::edge_capacity_t, std::int64_t,
            boost::property<boost::edge_residual_capacity_t, std::int64_t,
                            boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                            boost::property<boost::edge_weight_t, std::int64_t>>>>>;
    Graph g_;
    std::vector<Traits::edge_descriptor> arcs_;
};

}  // namespace kaisim::policy
