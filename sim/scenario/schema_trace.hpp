#pragma once
// Schema tracing (private to sim/scenario/ and sim/study_files/): while a SchemaTrace is active
// on this thread, every YAML file parsed gets a path for each of its nodes, and every check and
// typed read of the YamlReader is recorded against the path of the node it reads. The JSON
// Schemas of kaisim's files are built from these records (study_files/schema.hpp): the loader
// itself says which keys, types, bounds, choices and defaults there are.
#include <yaml-cpp/yaml.h>

#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace kaisim::io {

/// One check or read: at `path` ("" the root, "stages/[]/id" a key of every stage) of `file`.
struct TraceRecord {
    std::string file, path;
    /// map, any_map, seq, required, number, integer, text, boolean, date, choice
    std::string kind;
    std::vector<std::string> names;  ///< a map's keys; a choice's values
    std::string what;                ///< what the reader calls a map ("a stage")
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    std::optional<std::string> fallback;  ///< the default of an optional key, as YAML text
};

class SchemaTrace {
  public:
    SchemaTrace();  ///< active on this thread until destroyed
    ~SchemaTrace();
    SchemaTrace(const SchemaTrace&) = delete;
    SchemaTrace& operator=(const SchemaTrace&) = delete;

    /// The trace active on this thread, or nullptr (the usual case: loading records nothing).
    static SchemaTrace* active();
    /// Gives every node of a parsed file its path.
    void add_root(const std::string& file, const YAML::Node& root);
    /// Records `r` at `node`'s path (nothing for a node of no parsed file).
    void record(const std::string& file, const YAML::Node& node, TraceRecord r);
    /// Records `r` at the path of `map`'s key `key`, present or not.
    void record_key(const std::string& file, const YAML::Node& map, const char* key, TraceRecord r);

    std::vector<TraceRecord> records;

  private:
    const std::string* path_of(const std::string& file, const YAML::Node& node) const;
    std::vector<std::tuple<std::string, YAML::Node, std::string>> nodes_;  // file, node, path
};

}  // namespace kaisim::io
