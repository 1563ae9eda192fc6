#pragma once
#include <cstdint>
#include <exception>
#include <vector>

namespace kaisim::core {

/// The processes a sweep, a calibration or a Monte Carlo runs on: this one alone, or every rank of
/// MPI_COMM_WORLD when kaisim is built with MPI (-DKAISIM_MPI=ON) and started by mpirun. MPI starts
/// on first use and ends at exit.
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
    /// Throws on every rank when any rank failed (`error` is this rank's failure, if any): the
    /// rank that failed rethrows its own error, the others say which rank failed. Every rank
    /// must call it at the same point, so none is left waiting for one that has given up.
    void agree(std::exception_ptr error) const;
    /// For a process that is ending on an error: when MPI runs with more than one rank, ends
    /// every rank now with `code` (MPI_Abort: a rank that failed alone leaves none waiting in a
    /// collective call); otherwise returns `code`. Starts nothing.
    static int abort_if_running(int code);
    /// Whether this build can run on MPI ranks (-DKAISIM_MPI=ON).
    static bool mpi_built();
    ~ProcessGroup();

  private:
    ProcessGroup();
    int rank_ = 0;
    int size_ = 1;
    bool mpi_ = false;
};

}  // namespace kaisim::core
