#pragma once
// Typed access to a YAML tree with file:line:col errors (private to sim/scenario/ and
// sim/study_files/: yaml-cpp stays there).
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kaisim/core/calendar.hpp"

namespace kaisim::io {

/// The most YAML nodes a file may expand to, aliases counted at every use: a file of a few MiB
/// that references its anchors again and again (an "alias bomb") is refused before it is walked.
inline constexpr std::size_t max_yaml_nodes = 200'000;

/// Parses an input file (read_input_file's checks, then YAML syntax, then max_yaml_nodes);
/// every failure is an InputError located in `path`.
YAML::Node parse_yaml_file(const std::string& path);

/// Throws InputError at `where`:1:1 when `node` expands to more than max_yaml_nodes nodes.
void check_yaml_size(const YAML::Node& node, const std::string& where);

class YamlReader {
  public:
    explicit YamlReader(std::string file) : file_(std::move(file)) {}

    /// Attributes `node` and everything under it to `source` in error messages.
    void attribute(const YAML::Node& node, const std::string& source);
    /// Throws InputError at `node`'s position.
    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;

    /// Checks that `node` is a map whose keys are all in `keys` (each at most once).
    void expect_map(const YAML::Node& node, std::string_view what,
                    std::initializer_list<std::string_view> keys) const;
    /// Checks that `node` is a map with no duplicate keys (its keys are checked by the caller).
    void expect_any_map(const YAML::Node& node, std::string_view what) const;
    /// Checks that `node` is a sequence.
    void expect_seq(const YAML::Node& node, std::string_view what) const;
    /// The value of a required key.
    YAML::Node required(const YAML::Node& map, const char* key, std::string_view what) const;

    double number(const YAML::Node& n, double lo, double hi) const;
    double number(const YAML::Node& map, const char* key, double fallback, double lo,
                  double hi) const;
    long long integer(const YAML::Node& n, long long lo, long long hi) const;
    long long integer(const YAML::Node& map, const char* key, long long fallback, long long lo,
                      long long hi) const;
    std::string text(const YAML::Node& n) const;
    std::string text(const YAML::Node& map, const char* key, const std::string& fallback) const;
    bool boolean(const YAML::Node& map, const char* key, bool fallback) const;
    core::Date date(const YAML::Node& n) const;
    /// One of `names` (the value's index into it).
    int choice(const YAML::Node& n, const std::vector<std::string>& names) const;
    int choice(const YAML::Node& map, const char* key, int fallback,
               const std::vector<std::string>& names) const;

  private:
    double number_in(const YAML::Node& n, double lo, double hi) const;  // number(), unrecorded
    std::string file_;
    std::vector<std::string> sources_;                         // overlay files and --set texts
    std::vector<std::pair<YAML::Node, std::size_t>> foreign_;  // node -> its source in sources_
    void attribute_to(const YAML::Node& node, std::size_t source);
    /// Fails when `n` is the value of a study parameter's --set (core::SetKinds) that cannot
    /// go where it is read: `whole` a whole-number field, else a text field.
    void check_set_kind(const YAML::Node& n, bool whole) const;
};

}  // namespace kaisim::io
