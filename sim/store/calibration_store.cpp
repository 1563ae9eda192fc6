#include "kaisim/store/calibration_store.hpp"

#include <cmath>

#include "kaisim/scenario/text_file.hpp"
#include "sqlite_file.hpp"

namespace kaisim::io {

namespace {
const std::vector<sqlite::Table>& schema() {
    static const std::vector<sqlite::Table> tables{
        sqlite::meta_table(),
        {"simulations",
         "CREATE TABLE simulations(first INTEGER PRIMARY KEY, u BLOB NOT NULL, statistics BLOB "
         "NOT NULL)",
         {"first INTEGER (key 1)", "u BLOB NOT NULL", "statistics BLOB NOT NULL"}},
    };
    return tables;
}
}  // namespace

CalibrationStore::CalibrationStore(const std::string& path, const std::string& definition,
                                   bool resume)
    : file_(std::make_unique<sqlite::File>(
          path, definition, resume, schema(),
          sqlite::Kind{"calibration",
                       "the calibration file, its observations, its scenario or kaisim"})) {}

CalibrationStore::~CalibrationStore() = default;

std::vector<study::StoredSimulation> CalibrationStore::load() const {
    std::vector<study::StoredSimulation> out;
    sqlite::Statement st(file_->db(), "SELECT first, u, statistics FROM simulations");
    while (st.step()) {
        if (st.type(0) != SQLITE_INTEGER || st.integer(0) < 0 || st.integer(0) > 0xFFFFFFFFll)
            continue;
        const auto u = st.doubles(1), stats = st.doubles(2);
        if (!u || !stats) continue;
        bool inside = true;  // a point of the unit cube
        for (double x : *u) inside = inside && std::isfinite(x) && x >= 0 && x <= 1;
        if (!inside) continue;
        out.push_back({static_cast<std::uint32_t>(st.integer(0)), *u, *stats});
    }
    return out;
}

void CalibrationStore::write(const std::vector<study::StoredSimulation>& sims) {
    sqlite::transaction(file_->db(), [&] {
        sqlite::Statement ins(file_->db(),
                              "INSERT OR REPLACE INTO simulations(first, u, statistics) "
                              "VALUES(?, ?, ?)");
        for (const study::StoredSimulation& s : sims) {
            ins.bind(1, static_cast<std::int64_t>(s.first));
            ins.bind(2, s.u);
            ins.bind(3, s.statistics);
            ins.run();
        }
    });
}

void CalibrationStore::set_meta(const std::string& key, const std::string& value) {
    file_->set_meta(key, value);
}

std::string calibration_fingerprint(const study::CalibrationSpec& spec,
                                    const std::string& version) {
    std::vector<std::string> files{spec.file};
    files.insert(files.end(), spec.observations_files.begin(), spec.observations_files.end());
    if (spec.model == study::CalibrationModel::scenario) {
        files.push_back(spec.scenario);
        files.insert(files.end(), spec.overlays.begin(), spec.overlays.end());
    }
    return files_fingerprint("", files, version + executable_fingerprint());
}

}  // namespace kaisim::io
