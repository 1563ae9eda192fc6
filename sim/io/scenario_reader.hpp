#pragma once
// The scenario reader: YAML sections into model structs, with file:line:col errors. Its sections
// are defined in scenario_reader.cpp (programme, GPUs, pool, domains, money, teams),
// stage_reader.cpp (benchmarks, stages, components, rules) and policy_reader.cpp (policies).
#include <yaml-cpp/yaml.h>

#include <limits>
#include <string>
#include <vector>

#include "kaisim/model/scenario.hpp"
#include "yaml_reader.hpp"

namespace kaisim::io {

/// The largest finite value a number may take where no tighter bound applies.
inline constexpr double inf = std::numeric_limits<double>::max();
/// The largest count an integer field may take.
inline constexpr long long big = 1'000'000'000;

/// The value of an optional key; undefined when the key is absent or null (`~` unsets a key).
inline YAML::Node given(const YAML::Node& map, const char* key) {
    const YAML::Node v = map[key];
    return v.IsDefined() && !v.IsNull() ? v : YAML::Node(YAML::NodeType::Undefined);
}

/// Reads a scenario's YAML tree (after overlays and sets) into a model::Scenario.
class ScenarioReader {
  public:
    ScenarioReader(YamlReader& r, model::Scenario& sc) : r_(r), sc_(sc) {}
    /// Reads the whole scenario (every section) into the scenario given at construction.
    void read(const YAML::Node& root);

  private:
    double hours(const YAML::Node& n) const { return cal_.hours_at(r_.date(n)); }
    // A date inside the programme, as hours since its start.
    double programme_hours(const YAML::Node& n) const;
    // A map of domain id -> tokens.
    std::vector<double> per_domain(const YAML::Node& n, const char* what) const;
    void programme(const YAML::Node& n);
    void gpu_types(const YAML::Node& n);
    void pool(const YAML::Node& n);
    void capability(const YAML::Node& n);
    void failures(const YAML::Node& n);
    void domains(const YAML::Node& n);
    void data(const YAML::Node& n);
    void talent(const YAML::Node& n);
    void variation(const YAML::Node& n);
    void partners(const YAML::Node& n);
    void teams(const YAML::Node& n);
    void benchmarks(const YAML::Node& n);
    model::Component component(const YAML::Node& c);
    void stages(const YAML::Node& n);
    void stage_rules(const YAML::Node& n, model::Stage& st) const;
    void check_unique_component(const YAML::Node& c, const model::Stage& st) const;
    void policies(const YAML::Node& n);
    void allocation(const YAML::Node& a);
    void outputs(const YAML::Node& n);

    template <class T>
    int find_id(const YAML::Node& n, const std::vector<T>& items, const char* what) const {
        const std::string id = r_.text(n);
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (items[i].id == id) return static_cast<int>(i);
            ids.push_back(items[i].id);
        }
        std::string msg = std::string("unknown ") + what + " '" + id + "'";
        const std::string near = closest_match(id, ids);
        if (!near.empty()) msg += " (did you mean '" + near + "'?)";
        r_.fail(n, msg);
    }

    template <class T>
    void check_unique(const YAML::Node& n, const std::vector<T>& items, const std::string& id,
                      const char* what) const {
        for (const T& item : items)
            if (item.id == id) r_.fail(n, std::string("duplicate ") + what + " id '" + id + "'");
    }

    YamlReader& r_;
    model::Scenario& sc_;
    core::Calendar cal_;
    std::string end_text_;
};

}  // namespace kaisim::io
