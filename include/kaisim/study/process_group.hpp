#pragma once
#include <cstdint>
#include <vector>

namespace kaisim::study {

/// The processes a sweep runs on: this one alone, or every rank of MPI_COMM_WORLD when kaisim is
/// built with MPI (-DKAISIM_MPI=ON) and started by mpirun. MPI starts on first use and ends at
/// exit.
class ProcessGroup {
  public:
    static ProcessGroup& world();
    int rank() const { return rank_; }
    int size() const { return size_; }
    /// Rank 0 receives every rank's values, concatenated in rank order; other ranks get nothing.
    std::vector<double> gather(const std::vector<double>& mine) const;
    /// Every rank receives every rank's values, concatenated in rank order.
    std::vector<double> all_gather(const std::vector<double>& mine) const;
    /// Rank 0's `values` on every rank.
    void broadcast(std::vector<std::uint32_t>& values) const;
    void broadcast(std::vector<double>& values) const;
    ~ProcessGroup();

  private:
    ProcessGroup();
    int rank_ = 0;
    int size_ = 1;
    bool mpi_ = false;
};

}  // namespace kaisim::study
