#pragma once
// A small directed flow network over Boost.Graph, shared by the provider assignment (min-cost
// flow) and the consortium data split (max flow). Private to policy/.
//
// Costs are doubles holding integers below 2^42, so every sum (paths have fewer than 2^11 arcs) the
// min-cost search forms is exact and the search is the one an integer cost would give. Boost's
// successive shortest paths adds the distance of an unreachable vertex (the type's maximum) to its
// potential at every round: with integer costs that overflows (undefined behaviour); with doubles
// it becomes infinity, and an unreachable vertex stays unreachable, so no arithmetic ever reads it
// again.
#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <vector>

namespace kaisim::policy {

class FlowNetwork {
  public:
    explicit FlowNetwork(int vertices);
    /// The largest capacity and the largest |cost| of an arc: sums along any path and over all
    /// arcs stay far inside 64-bit integers, and costs are exact as doubles.
    static constexpr std::int64_t max_capacity = std::int64_t{1} << 50;
    static constexpr std::int64_t max_cost = std::int64_t{1} << 42;

    /// Adds an arc with capacity (0..max_capacity) and cost per unit of flow (|cost| <=
    /// max_cost), and its zero-capacity reverse; returns its id for flow().
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
                                            boost::property<boost::edge_weight_t, double>>>>>;
    Graph g_;
    std::vector<Traits::edge_descriptor> arcs_;
};

}  // namespace kaisim::policy
