#include "kaisim/store/optimisation_store.hpp"

#include "kaisim/scenario/text_file.hpp"
#include "sqlite_file.hpp"

namespace kaisim::io {

namespace {
const std::vector<sqlite::Table>& schema() {
    static const std::vector<sqlite::Table> tables{
        sqlite::meta_table(),
        {"policies",
         "CREATE TABLE policies(policy TEXT PRIMARY KEY, metrics BLOB NOT NULL)",
         {"policy TEXT (key 1)", "metrics BLOB NOT NULL"}},
    };
    return tables;
}
}  // namespace

OptimisationStore::OptimisationStore(const std::string& path, const std::string& definition,
                                     bool resume)
    : file_(std::make_unique<sqlite::File>(
          path, definition, resume, schema(),
          sqlite::Kind{"search", "the search file, its scenario or kaisim"})) {}

OptimisationStore::~OptimisationStore() = default;

bool OptimisationStore::find(const std::string& policy, std::vector<double>& values) const {
    sqlite::Statement st(file_->db(), "SELECT metrics FROM policies WHERE policy = ?");
    st.bind(1, policy);
    if (!st.step()) return false;
    auto v = st.doubles(0);
    if (!v) return false;
    values = std::move(*v);
    return true;
}

void OptimisationStore::write(const std::string& policy, const std::vector<double>& values) {
    sqlite::transaction(file_->db(), [&] {
        sqlite::Statement ins(file_->db(),
                              "INSERT OR REPLACE INTO policies(policy, metrics) VALUES(?, ?)");
        ins.bind(1, policy);
        ins.bind(2, values);
        ins.run();
    });
}

void OptimisationStore::set_meta(const std::string& key, const std::string& value) {
    file_->set_meta(key, value);
}

std::string optimisation_fingerprint(const study::OptimisationSpec& spec,
                                     const std::string& version) {
    // A policy's stored values are the metrics of the objectives and constraints, in order, in
    // each replicate of the scenario with its overlays (and posterior): the algorithm, its settings
    // and the levers' ranges may change (e.g. more generations) and the store still serves.
    std::string text = "replicates " + std::to_string(spec.replicates) + "\nmetrics";
    for (const study::Objective& o : spec.objectives) text += " " + o.metric;
    for (const study::Constraint& c : spec.constraints) text += " " + c.metric;
    std::vector<std::string> files{spec.scenario};
    files.insert(files.end(), spec.overlays.begin(), spec.overlays.end());
    if (!spec.posterior.empty()) files.push_back(spec.posterior);
    return files_fingerprint(text, files, version + executable_fingerprint());
}

}  // namespace kaisim::io
