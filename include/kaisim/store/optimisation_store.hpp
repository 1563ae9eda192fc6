#pragma once
#include <memory>
#include <string>
#include <vector>

#include "kaisim/study/optimisation.hpp"

namespace kaisim::io {

namespace sqlite {
class File;
}

/// A search's SQLite database (`optimise.db`): metadata and every policy's Monte Carlo (the
/// objectives' and constraints' metrics in each replicate), keyed by the policy's --set
/// assignments. WAL mode; each policy is one transaction, so a kill at any moment loses at most
/// the policy in flight, and `kaisim optimise --resume` replays the search from its seed,
/// simulating only the policies not stored. Opening follows the sweep store's rules: an
/// existing database is only reopened with `resume`, when it passes SQLite's integrity check,
/// has the tables this kaisim creates and records the same definition (else InputError).
class OptimisationStore : public study::EvaluationStore {
  public:
    OptimisationStore(const std::string& path, const std::string& definition, bool resume);
    ~OptimisationStore() override;
    OptimisationStore(const OptimisationStore&) = delete;
    OptimisationStore& operator=(const OptimisationStore&) = delete;

    /// A row that is not a blob of whole doubles (a damaged database) is not found: the policy
    /// is simulated again.
    bool find(const std::string& policy, std::vector<double>& values) const override;
    void write(const std::string& policy, const std::vector<double>& values) override;
    void set_meta(const std::string& key, const std::string& value);

  private:
    std::unique_ptr<sqlite::File> file_;
};

/// What a search's stored policies depend on: its scenario and overlays, its replicates and the
/// metrics of its objectives and constraints, and the kaisim build (its version and
/// executable), as a hash. The algorithm's settings are not part of it: a search resumed with
/// more generations reuses every policy already simulated.
std::string optimisation_fingerprint(const study::OptimisationSpec& spec,
                                     const std::string& version);

}  // namespace kaisim::io
