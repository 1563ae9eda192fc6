#pragma once
// The scenario reader: YAML sections into model structs, with file:line:col errors. Its sections
// are defined in scenario_reader.cpp (programme, GPUs, pool, domains, money, teams),
// stage_reader.cpp (benchmarks, stages, components, rules) and policy_reader.cpp (policies).
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "kaisim/core/closest_match.hpp"
#include "kaisim/model/scenario.hpp"
#include "yaml_reader.hpp"

namespace kaisim::io {

/// The largest finite value a number may take where no tighter bound applies.
inline constexpr double inf = std::numeric_limits<double>::max();
/// The largest count an integer field may take.
inline constexpr long long big = 1'000'000'000;

// Upper bounds on inputs: far above anything real, low enough that no product, flow capacity or
// cost computed from them can overflow or become infinite (issue 11). Each says why.
/// KRW: above Korea's whole 2025 government budget, 673 tn KRW (MOEF, 2025 budget).
inline constexpr double max_krw = 1e15;
/// KRW per GPU-hour: 1,000x the B200 rental price of FACTS.md (8,532 KRW/h) (assumption).
inline constexpr double max_krw_per_gpu_h = 1e7;
/// KRW per GPU bought: about 200x a B200's price (assumption).
inline constexpr double max_krw_per_gpu = 1e10;
/// KRW per million tokens: 1,000x any licensed-data price quoted in FACTS.md (assumption).
inline constexpr double max_krw_per_mtok = 1e7;
/// GPUs in one tranche or team: above the world's stock of data-centre GPUs (assumption).
inline constexpr long long max_gpus = 10'000'000;
/// Dense BF16 TFLOP/s of one GPU: over 400x a B200's 2,250 (FACTS.md) (assumption).
inline constexpr double max_peak_tflops = 1e6;
/// Quota units one GPU counts for (assumption); with max_krw_per_gpu_h and max_teams they keep
/// the provider assignment's costs (price per unit x rank) inside its exact range.
inline constexpr double min_units = 1e-2, max_units = 1e3;
/// Teams in one scenario (applicants of a national programme number in the tens).
inline constexpr std::size_t max_teams = 1000;
/// FLOP: a billion times the largest 2025 training runs, ~5e26 (assumption).
inline constexpr double max_flops = 1e35;
/// Tokens: ~30x the stock of public human text, ~3e14 (Villalobos et al. 2024) (assumption).
inline constexpr double max_tokens = 1e16;
/// A logit-scale coefficient or offset (abilities live within a few tens of logits).
inline constexpr double max_logits = 100;
/// Hours (checkpoint, restart) and days (lags): a century.
inline constexpr double max_hours = 876'600, max_days = 36'525;
/// Researchers a year all teams' talent money may hire: hiring is simulated one by one.
inline constexpr double max_hires_per_year = 100'000;
/// GPU interruptions expected in one replicate: each is simulated (the reference: ~4,000).
inline constexpr double max_interruptions = 1e7;
/// Years a programme may last.
inline constexpr double max_years = 100;

/// A number as short text for messages (6 significant digits): "2e+09", "1500".
inline std::string short_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

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
    // Checks on the scenario as a whole: pool size, interruptions, hires, frontier growth.
    void check_totals(const YAML::Node& root) const;
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
        const std::string near = core::closest_match(id, ids);
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
