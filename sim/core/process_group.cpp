#include "kaisim/core/process_group.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

#ifdef KAISIM_HAVE_MPI
#include <mpi.h>
#endif

namespace kaisim::core {

namespace {
bool running_ranks = false;  // MPI started with more than one rank
}  // namespace

int ProcessGroup::abort_if_running(int code) {
#ifdef KAISIM_HAVE_MPI
    if (running_ranks) MPI_Abort(MPI_COMM_WORLD, code);
#endif
    return code;
}

bool ProcessGroup::mpi_built() {
#ifdef KAISIM_HAVE_MPI
    return true;
#else
    return false;
#endif
}

ProcessGroup& ProcessGroup::world() {
    static ProcessGroup group;
    return group;
}

ProcessGroup::ProcessGroup() {
#ifdef KAISIM_HAVE_MPI
    // Start MPI only under a launcher (mpirun sets these); a plain `kaisim sweep` stays one
    // process and needs no MPI runtime.
    const bool launched =
        std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
    if (launched) {
        MPI_Init(nullptr, nullptr);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
        mpi_ = true;
        running_ranks = size_ > 1;
    }
#endif
}

void ProcessGroup::agree(std::exception_ptr error) const {
    const std::vector<double> failed = all_gather({error ? 1.0 : 0.0});
    if (error) std::rethrow_exception(error);
    for (std::size_t r = 0; r < failed.size(); ++r)
        if (failed[r] != 0)
            throw std::runtime_error("rank " + std::to_string(r) + " failed (its error is above)");
}

ProcessGroup::~ProcessGroup() {
#ifdef KAISIM_HAVE_MPI
    if (mpi_) MPI_Finalize();
#endif
}

std::vector<double> ProcessGroup::gather(const std::vector<double>& mine) const {
    if (!mpi_) return mine;
#ifdef KAISIM_HAVE_MPI
    int n = static_cast<int>(mine.size());
    std::vector<int> counts(static_cast<std::size_t>(size_)),
        offsets(static_cast<std::size_t>(size_), 0);
    MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<double> all;
    if (rank_ == 0) {
        for (int r = 1; r < size_; ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
        all.resize(static_cast<std::size_t>(offsets[size_ - 1] + counts[size_ - 1]));
    }
    MPI_Gatherv(mine.data(), n, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE,
                0, MPI_COMM_WORLD);
    return all;
#else
    return mine;
#endif
}

std::vector<double> ProcessGroup::all_gather(const std::vector<double>& mine) const {
    if (!mpi_) return mine;
#ifdef KAISIM_HAVE_MPI
    int n = static_cast<int>(mine.size());
    std::vector<int> counts(static_cast<std::size_t>(size_)),
        offsets(static_cast<std::size_t>(size_), 0);
    MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
    for (int r = 1; r < size_; ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
    std::vector<double> all(static_cast<std::size_t>(offsets[size_ - 1] + counts[size_ - 1]));
    MPI_Allgatherv(mine.data(), n, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                   MPI_DOUBLE, MPI_COMM_WORLD);
    return all;
#else
    return mine;
#endif
}

void ProcessGroup::broadcast([[maybe_unused]] std::vector<double>& values) const {
    if (!mpi_) return;
#ifdef KAISIM_HAVE_MPI
    unsigned long long n = values.size();
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    values.resize(n);
    if (n) MPI_Bcast(values.data(), static_cast<int>(n), MPI_DOUBLE, 0, MPI_COMM_WORLD);
#endif
}

void ProcessGroup::broadcast([[maybe_unused]] std::vector<std::uint32_t>& values) const {
    if (!mpi_) return;
#ifdef KAISIM_HAVE_MPI
    unsigned long long n = values.size();
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    values.resize(n);
    if (n) MPI_Bcast(values.data(), static_cast<int>(n), MPI_UINT32_T, 0, MPI_COMM_WORLD);
#endif
}

}  // namespace kaisim::core
