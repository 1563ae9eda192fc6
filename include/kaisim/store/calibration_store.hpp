#pragma once
#include <memory>
#include <string>
#include <vector>

#include "kaisim/study/calibration.hpp"

namespace kaisim::io {

namespace sqlite {
class File;
}

/// A calibration's SQLite database (`calibration.db`): metadata and every simulation run, keyed
/// by its first replicate key. WAL mode; each batch is one transaction, so a kill at any moment
/// loses at most the batch in flight, and `kaisim calibrate --resume` replays the ABC-SMC from
/// its seed, simulating only what is not stored. Opening follows the sweep store's rules: an
/// existing database is only reopened with `resume`, when it passes SQLite's integrity check,
/// has the tables this kaisim creates and records the same definition (else InputError).
class CalibrationStore : public study::SimulationStore {
  public:
    CalibrationStore(const std::string& path, const std::string& definition, bool resume);
    ~CalibrationStore() override;
    CalibrationStore(const CalibrationStore&) = delete;
    CalibrationStore& operator=(const CalibrationStore&) = delete;

    /// Every simulation stored; a row whose columns are not what this kaisim writes (a damaged
    /// database) is left out, so it is simulated again.
    std::vector<study::StoredSimulation> load() const override;
    /// Writes `sims` in one transaction, each replacing what its key held.
    void write(const std::vector<study::StoredSimulation>& sims) override;
    /// Sets one row of the metadata.
    void set_meta(const std::string& key, const std::string& value);

  private:
    std::unique_ptr<sqlite::File> file_;
};

/// What a calibration's results depend on: its file (all of it: a change of `batch` alone, which
/// the results do not depend on, also counts), its observations, its scenario and overlays, and
/// the kaisim build (its version and executable), as a hash.
std::string calibration_fingerprint(const study::CalibrationSpec& spec, const std::string& version);

}  // namespace kaisim::io
