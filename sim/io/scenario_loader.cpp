#include "kaisim/io/scenario_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "kaisim/core/error.hpp"
#include "kaisim/io/text_file.hpp"
#include "yaml_edit.hpp"
#include "yaml_reader.hpp"

namespace kaisim::io {

namespace {

constexpr double inf = std::numeric_limits<double>::max();

// The value of an optional key; undefined when the key is absent or null (`~` unsets a key).
YAML::Node given(const YAML::Node& map, const char* key) {
    const YAML::Node v = map[key];
    return v.IsDefined() && !v.IsNull() ? v : YAML::Node(YAML::NodeType::Undefined);
}
constexpr long long big = 1'000'000'000;

YAML::Node parse_file(const std::string& path) {
    const std::optional<std::string> text = read_text_file(path);
    if (!text) throw InputError(path, 1, 1, "cannot open the file");
    try {
        return YAML::Load(*text);
    } catch (const YAML::ParserException& e) {
        throw InputError(path, e.mark.line + 1, e.mark.column + 1, "YAML syntax: " + e.msg);
    }
}

class ScenarioReader {
  public:
    ScenarioReader(YamlReader& r, model::Scenario& sc) : r_(r), sc_(sc) {}

    void read(const YAML::Node& root) {
        r_.expect_map(root, "the scenario",
                      {"programme", "gpu_types", "pool", "capability", "failures", "domains",
                       "data", "talent", "team_variation", "partners", "teams", "benchmarks",
                       "stages", "policies", "outputs"});
        programme(r_.required(root, "programme", "the scenario"));
        gpu_types(r_.required(root, "gpu_types", "the scenario"));
        if (given(root, "pool")) pool(root["pool"]);
        if (given(root, "capability")) capability(root["capability"]);
        if (given(root, "failures")) failures(root["failures"]);
        domains(r_.required(root, "domains", "the scenario"));
        if (given(root, "data")) data(root["data"]);
        if (given(root, "talent")) talent(root["talent"]);
        if (given(root, "team_variation")) variation(root["team_variation"]);
        if (given(root, "partners")) partners(root["partners"]);
        teams(r_.required(root, "teams", "the scenario"));
        if (given(root, "benchmarks")) benchmarks(root["benchmarks"]);
        stages(r_.required(root, "stages", "the scenario"));
        policies(given(root, "policies") ? root["policies"] : YAML::Node(YAML::NodeType::Map));
        if (given(root, "outputs")) outputs(root["outputs"]);
    }

  private:
    double hours(const YAML::Node& n) const { return cal_.hours_at(r_.date(n)); }

    // A date inside the programme, as hours since its start.
    double programme_hours(const YAML::Node& n) const {
        const double h = hours(n);
        if (h < 0 || h > sc_.end_h)
            r_.fail(n, "date " + n.Scalar() + " is outside the programme (" +
                           core::format_date(sc_.start) + " to " + end_text_ + ")");
        return h;
    }

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

    // A map of domain id -> tokens.
    std::vector<double> per_domain(const YAML::Node& n, const char* what) const {
        r_.expect_any_map(n, what);  // keys are checked against the domains below
        std::vector<double> v(sc_.domains.size(), 0.0);
        for (auto it = n.begin(); it != n.end(); ++it)
            v[find_id(it->first, sc_.domains, "domain")] = r_.number(it->second, 0, inf);
        return v;
    }

    void programme(const YAML::Node& n) {
        r_.expect_map(n, "programme", {"name", "start", "end", "currency", "seed"});
        sc_.name = r_.text(r_.required(n, "name", "programme"));
        sc_.start = r_.date(r_.required(n, "start", "programme"));
        cal_ = core::Calendar(sc_.start);
        const YAML::Node end = r_.required(n, "end", "programme");
        sc_.end_h = hours(end);
        end_text_ = end.Scalar();
        if (sc_.end_h <= 0) r_.fail(end, "programme end must be after its start");
        sc_.currency = r_.text(n, "currency", "KRW");
        if (sc_.currency != "KRW") r_.fail(n["currency"], "only KRW is supported as currency");
        sc_.seed = static_cast<std::uint32_t>(r_.integer(n, "seed", 1, 0, 0xFFFFFFFEll));
    }

    void gpu_types(const YAML::Node& n) {
        r_.expect_seq(n, "gpu_types");
        for (const auto& g : n) {
            r_.expect_map(g, "a GPU type", {"id", "peak_tflops", "units", "lease_krw_per_gpu_h"});
            model::GpuType t;
            t.id = r_.text(r_.required(g, "id", "a GPU type"));
            check_unique(g["id"], sc_.gpu_types, t.id, "GPU type");
            t.peak_flops = r_.number(r_.required(g, "peak_tflops", "a GPU type"), 1e-6, inf) * 1e12;
            // Quota units default to peak FLOP/s relative to the first type listed.
            const double by_peak =
                sc_.gpu_types.empty() ? 1.0 : t.peak_flops / sc_.gpu_types[0].peak_flops;
            t.units = r_.number(g, "units", by_peak, 1e-6, inf);
            t.lease_krw_per_gpu_h = r_.number(g, "lease_krw_per_gpu_h", -1, 0, inf);
            sc_.gpu_types.push_back(t);
        }
        if (sc_.gpu_types.empty()) r_.fail(n, "gpu_types must list at least one GPU type");
    }

    void pool(const YAML::Node& n) {
        r_.expect_seq(n, "pool");
        for (const auto& p : n) {
            r_.expect_map(p, "a pool tranche",
                          {"from", "until", "type", "count", "provider", "mode",
                           "lease_krw_per_gpu_h", "purchase_krw_per_gpu"});
            model::Tranche t;
            t.from_h = programme_hours(r_.required(p, "from", "a pool tranche"));
            t.until_h = given(p, "until") ? programme_hours(p["until"]) : sc_.end_h;
            if (t.until_h <= t.from_h)
                r_.fail(given(p, "until") ? p["until"] : p, "tranche ends before it starts");
            t.type = find_id(r_.required(p, "type", "a pool tranche"), sc_.gpu_types, "GPU type");
            t.count =
                static_cast<int>(r_.integer(r_.required(p, "count", "a pool tranche"), 0, big));
            t.provider = r_.text(p, "provider", "");
            t.mode =
                static_cast<model::Acquisition>(r_.choice(p, "mode", 0, {"lease", "purchase"}));
            if (t.mode == model::Acquisition::lease) {
                t.lease_krw_per_gpu_h = r_.number(
                    p, "lease_krw_per_gpu_h", sc_.gpu_types[t.type].lease_krw_per_gpu_h, 0, inf);
                if (t.lease_krw_per_gpu_h < 0)
                    r_.fail(p,
                            "a leased tranche needs lease_krw_per_gpu_h (here or on its GPU type)");
            } else
                t.purchase_krw_per_gpu = r_.number(
                    r_.required(p, "purchase_krw_per_gpu", "a purchased tranche"), 0, inf);
            sc_.pool.push_back(t);
        }
    }

    void capability(const YAML::Node& n) {
        r_.expect_map(n, "capability",
                      {"law", "E", "A", "B", "alpha", "beta", "r_star", "kappa", "reference_flops",
                       "frontier"});
        sc_.law = r_.choice(n, "law", 0, {"epoch", "hoffmann"}) == 0
                      ? model::ScalingLaw::epoch()
                      : model::ScalingLaw::hoffmann();
        sc_.law.E = r_.number(n, "E", sc_.law.E, 0, inf);
        sc_.law.A = r_.number(n, "A", sc_.law.A, 1e-9, inf);
        sc_.law.B = r_.number(n, "B", sc_.law.B, 1e-9, inf);
        sc_.law.alpha = r_.number(n, "alpha", sc_.law.alpha, 1e-3, 2);
        sc_.law.beta = r_.number(n, "beta", sc_.law.beta, 1e-3, 2);
        sc_.law.r_star = r_.number(n, "r_star", sc_.law.r_star, 1e-3, inf);
        sc_.scale.kappa = r_.number(n, "kappa", sc_.scale.kappa, 1e-6, inf);
        sc_.scale.ref_flops = r_.number(n, "reference_flops", sc_.scale.ref_flops, 1, inf);
        if (const YAML::Node f = given(n, "frontier")) {
            r_.expect_map(f, "capability.frontier", {"flops_at_start", "growth_per_year"});
            sc_.frontier.flops_at_start =
                r_.number(f, "flops_at_start", sc_.frontier.flops_at_start, 1, inf);
            sc_.frontier.growth_per_year =
                r_.number(f, "growth_per_year", sc_.frontier.growth_per_year, 1e-3, inf);
        }
    }

    void failures(const YAML::Node& n) {
        r_.expect_map(n, "failures", {"rate_per_gpu_h", "checkpoint_h", "restart_h"});
        sc_.failures.rate_per_gpu_h =
            r_.number(n, "rate_per_gpu_h", sc_.failures.rate_per_gpu_h, 0, 1);
        sc_.failures.checkpoint_h = r_.number(n, "checkpoint_h", sc_.failures.checkpoint_h, 0, inf);
        sc_.failures.restart_h = r_.number(n, "restart_h", sc_.failures.restart_h, 0, inf);
    }

    void domains(const YAML::Node& n) {
        r_.expect_seq(n, "domains");
        double shares = 0;
        for (const auto& d : n) {
            r_.expect_map(d, "a domain",
                          {"id", "gamma", "tau_tokens", "purchase_share", "purchase_krw_per_mtok",
                           "processing_krw_per_mtok"});
            model::Domain dom;
            dom.id = r_.text(r_.required(d, "id", "a domain"));
            check_unique(d["id"], sc_.domains, dom.id, "domain");
            dom.gamma = r_.number(d, "gamma", dom.gamma, 0, inf);
            dom.tau_tokens = r_.number(d, "tau_tokens", dom.tau_tokens, 1, inf);
            dom.purchase_share = r_.number(d, "purchase_share", 0, 0, 1);
            dom.purchase_krw_per_mtok = r_.number(d, "purchase_krw_per_mtok", 0, 0, inf);
            dom.processing_krw_per_mtok = r_.number(d, "processing_krw_per_mtok", 0, 0, inf);
            if (dom.purchase_share > 0 && dom.purchase_krw_per_mtok <= 0)
                r_.fail(
                    d, "domain '" + dom.id + "' has a purchase share but no purchase_krw_per_mtok");
            shares += dom.purchase_share;
            sc_.domains.push_back(dom);
        }
        if (sc_.domains.empty()) r_.fail(n, "domains must list at least one domain");
        if (shares > 1 + 1e-9) r_.fail(n, "purchase shares of the domains sum to more than 1");
    }

    void data(const YAML::Node& n) {
        r_.expect_map(n, "data", {"purchase_krw_per_year", "processing_krw_per_year", "lag_days"});
        auto& d = sc_.policy.data;
        d.purchase_krw_per_year = r_.number(n, "purchase_krw_per_year", 0, 0, inf);
        d.processing_krw_per_year = r_.number(n, "processing_krw_per_year", 0, 0, inf);
        d.lag_h = r_.number(n, "lag_days", 0, 0, inf) * core::hours_per_day;
    }

    void talent(const YAML::Node& n) {
        r_.expect_map(n, "talent",
                      {"krw_per_year", "cost_per_researcher_year_krw", "lag_days",
                       "mean_search_days", "kappa", "continue_after_cut", "until"});
        auto& t = sc_.policy.talent;
        t.krw_per_year = r_.number(n, "krw_per_year", 0, 0, inf);
        t.cost_per_researcher_year_krw =
            r_.number(n, "cost_per_researcher_year_krw", t.cost_per_researcher_year_krw, 1, inf);
        t.lag_h = r_.number(n, "lag_days", 0, 0, inf) * core::hours_per_day;
        t.mean_search_h = r_.number(n, "mean_search_days", 0, 0, inf) * core::hours_per_day;
        t.kappa = r_.number(n, "kappa", 0, 0, inf);
        t.continue_after_cut = r_.boolean(n, "continue_after_cut", false);
        t.until_h = given(n, "until") ? programme_hours(n["until"]) : sc_.end_h;
    }

    void variation(const YAML::Node& n) {
        r_.expect_map(n, "team_variation", {"skill_log_sd", "prior_flops_log_sd"});
        sc_.variation.skill_log_sd = r_.number(n, "skill_log_sd", 0, 0, 10);
        sc_.variation.prior_flops_log_sd = r_.number(n, "prior_flops_log_sd", 0, 0, 10);
    }

    void partners(const YAML::Node& n) {
        r_.expect_seq(n, "partners");
        for (const auto& p : n) {
            r_.expect_map(p, "a partner", {"id", "name", "raw_tokens"});
            model::Partner partner;
            partner.id = r_.text(r_.required(p, "id", "a partner"));
            check_unique(p["id"], sc_.partners, partner.id, "partner");
            partner.name = r_.text(p, "name", partner.id);
            partner.raw_tokens = given(p, "raw_tokens")
                                     ? per_domain(p["raw_tokens"], "a partner's raw_tokens")
                                     : std::vector<double>(sc_.domains.size(), 0.0);
            sc_.partners.push_back(partner);
        }
    }

    void teams(const YAML::Node& n) {
        r_.expect_seq(n, "teams");
        for (const auto& t : n) {
            r_.expect_map(t, "a team",
                          {"id", "name", "partners", "own_gpus", "skill", "mfu", "base_researchers",
                           "prior_flops", "tokens", "proposal_quality", "report_quality", "lessor",
                           "originality_violation_p", "entry", "applies_for_talent"});
            model::Team team;
            team.id = r_.text(r_.required(t, "id", "a team"));
            check_unique(t["id"], sc_.teams, team.id, "team");
            team.name = r_.text(t, "name", team.id);
            if (const YAML::Node ps = given(t, "partners")) {
                r_.expect_seq(ps, "a team's partners");
                for (const auto& p : ps)
                    team.partners.push_back(find_id(p, sc_.partners, "partner"));
            }
            if (const YAML::Node gs = given(t, "own_gpus")) {
                r_.expect_seq(gs, "own_gpus");
                for (const auto& g : gs) {
                    r_.expect_map(g, "an own_gpus entry", {"type", "count"});
                    team.own_gpus.push_back(
                        {find_id(r_.required(g, "type", "an own_gpus entry"), sc_.gpu_types,
                                 "GPU type"),
                         static_cast<int>(
                             r_.integer(r_.required(g, "count", "an own_gpus entry"), 0, big))});
                }
            }
            team.skill = r_.number(t, "skill", team.skill, 1e-6, inf);
            team.mfu = r_.number(t, "mfu", team.mfu, 0.01, 1);
            team.base_researchers = r_.number(t, "base_researchers", team.base_researchers, 1, inf);
            team.prior_flops = r_.number(r_.required(t, "prior_flops", "a team"), 1, inf);
            const YAML::Node tokens = r_.required(t, "tokens", "a team");
            team.tokens = per_domain(tokens, "a team's tokens");
            if (std::accumulate(team.tokens.begin(), team.tokens.end(), 0.0) <= 0)
                r_.fail(tokens,
                        "team '" + team.id + "' holds no tokens: a model needs data to train on");
            team.proposal_quality =
                r_.number(t, "proposal_quality", team.proposal_quality, 1e-6, 1 - 1e-6);
            team.report_quality =
                r_.number(t, "report_quality", team.report_quality, 1e-6, 1 - 1e-6);
            team.lessor = r_.boolean(t, "lessor", false);
            team.originality_violation_p = r_.number(t, "originality_violation_p", 0, 0, 1);
            team.entry_h = given(t, "entry") ? programme_hours(t["entry"]) : 0;
            team.applies_for_talent = r_.boolean(t, "applies_for_talent", true);
            sc_.teams.push_back(team);
        }
        if (sc_.teams.empty()) r_.fail(n, "teams must list at least one team");
        // A tranche whose provider is a team makes that team its lessor.
        for (model::Tranche& tr : sc_.pool)
            for (std::size_t i = 0; i < sc_.teams.size(); ++i)
                if (tr.provider == sc_.teams[i].id) tr.lessor_team = static_cast<int>(i);
    }

    void benchmarks(const YAML::Node& n) {
        r_.expect_seq(n, "benchmarks");
        for (const auto& b : n) {
            r_.expect_map(
                b, "a benchmark",
                {"id", "domain", "items", "discrimination_log_mean", "discrimination_log_sd",
                 "difficulty_mean", "difficulty_sd", "guessing"});
            model::Benchmark bench;
            bench.id = r_.text(r_.required(b, "id", "a benchmark"));
            check_unique(b["id"], sc_.benchmarks, bench.id, "benchmark");
            bench.domain = given(b, "domain") ? find_id(b["domain"], sc_.domains, "domain") : -1;
            bench.items =
                static_cast<int>(r_.integer(r_.required(b, "items", "a benchmark"), 1, 10'000'000));
            bench.discrimination_log_mean = r_.number(b, "discrimination_log_mean", 0, -10, 10);
            bench.discrimination_log_sd =
                r_.number(b, "discrimination_log_sd", bench.discrimination_log_sd, 0, 10);
            bench.difficulty_mean = r_.number(b, "difficulty_mean", 0, -inf, inf);
            bench.difficulty_sd = r_.number(b, "difficulty_sd", 1, 0, inf);
            bench.guessing = r_.number(b, "guessing", bench.guessing, 0, 0.999);
            sc_.benchmarks.push_back(bench);
        }
    }

    model::Component component(const YAML::Node& c) {
        r_.expect_map(c, "a component",
                      {"id", "kind", "weight", "normalisation", "target", "benchmarks", "domain",
                       "judges", "noise_sd", "bias_sd", "aggregation", "ability_weight",
                       "proposal_weight", "report_weight", "users", "reference_offset"});
        model::Component comp;
        comp.id = r_.text(r_.required(c, "id", "a component"));
        comp.kind = static_cast<model::ComponentKind>(
            r_.choice(r_.required(c, "kind", "a component"),
                      {"benchmarks", "expert_panel", "user_eval", "review"}));
        comp.weight = r_.number(r_.required(c, "weight", "a component"), 0, inf);
        const bool is_panel = comp.kind == model::ComponentKind::expert_panel ||
                              comp.kind == model::ComponentKind::review;
        comp.normalisation = static_cast<model::Normalisation>(
            r_.choice(c, "normalisation", is_panel ? 0 : 1,
                      {"raw", "relative_to_best", "relative_to_target", "min_max"}));
        if (const YAML::Node t = given(c, "target")) {
            if (t.IsScalar() && t.Scalar() == "frontier")
                comp.target_is_frontier = true;
            else
                comp.target = r_.number(t, 1e-9, inf);
        } else if (comp.normalisation == model::Normalisation::relative_to_target) {
            r_.fail(c, "normalisation relative_to_target needs a target (a number or 'frontier')");
        }
        comp.domain = given(c, "domain") ? find_id(c["domain"], sc_.domains, "domain") : -1;
        switch (comp.kind) {
            case model::ComponentKind::benchmarks: {
                const YAML::Node bs = r_.required(c, "benchmarks", "a benchmarks component");
                r_.expect_seq(bs, "benchmarks");
                for (const auto& b : bs)
                    comp.benchmarks.push_back(find_id(b, sc_.benchmarks, "benchmark"));
                if (comp.benchmarks.empty())
                    r_.fail(bs, "a benchmarks component needs at least one benchmark");
                break;
            }
            case model::ComponentKind::user_eval:
                comp.users = static_cast<int>(
                    r_.integer(r_.required(c, "users", "a user_eval component"), 1, big));
                comp.reference_offset = r_.number(c, "reference_offset", 0, -inf, inf);
                break;
            case model::ComponentKind::expert_panel:
            case model::ComponentKind::review: {
                const bool expert = comp.kind == model::ComponentKind::expert_panel;
                comp.judges =
                    static_cast<int>(r_.integer(r_.required(c, "judges", "a panel"), 1, 100000));
                comp.noise_sd = r_.number(c, "noise_sd", 0.5, 0, inf);  // logits (assumption)
                comp.bias_sd = r_.number(c, "bias_sd", 0, 0, inf);
                comp.aggregation = static_cast<model::Aggregation>(
                    r_.choice(c, "aggregation", 0, {"mean", "trimmed_mean"}));
                // Defaults (assumption): experts judge shown ability and the reports; reviewers
                // judge the proposal.
                comp.ability_weight = r_.number(c, "ability_weight", expert ? 1.0 : 0.0, -inf, inf);
                comp.proposal_weight =
                    r_.number(c, "proposal_weight", expert ? 0.0 : 1.0, -inf, inf);
                comp.report_weight = r_.number(c, "report_weight", expert ? 0.5 : 0.0, -inf, inf);
                comp.reference_offset = r_.number(c, "reference_offset", 0, -inf, inf);
                break;
            }
        }
        return comp;
    }

    void stages(const YAML::Node& n) {
        r_.expect_seq(n, "stages");
        const int applicants = static_cast<int>(sc_.teams.size());
        int survivors = applicants;
        for (const auto& s : n) {
            r_.expect_map(s, "a stage",
                          {"id", "name", "date", "eligible", "wildcard", "points", "components",
                           "cut", "rules"});
            model::Stage st;
            st.id = r_.text(r_.required(s, "id", "a stage"));
            check_unique(s["id"], sc_.stages, st.id, "stage");
            st.name = r_.text(s, "name", st.id);
            const YAML::Node date = r_.required(s, "date", "a stage");
            st.t_h = programme_hours(date);
            if (!sc_.stages.empty() && st.t_h <= sc_.stages.back().t_h)
                r_.fail(date, "stage '" + st.id + "' is not after stage '" + sc_.stages.back().id +
                                  "': stage dates must increase");
            st.wildcard = r_.boolean(s, "wildcard", false);
            int eligible = survivors;
            if (const YAML::Node e = given(s, "eligible"); e && e.IsSequence()) {
                st.eligible = model::Eligibility::listed;
                for (const auto& id : e) st.listed.push_back(find_id(id, sc_.teams, "team"));
                eligible = static_cast<int>(st.listed.size());
            } else {
                const int fallback = st.wildcard ? 2 : sc_.stages.empty() ? 0 : 1;
                st.eligible = static_cast<model::Eligibility>(
                    r_.choice(s, "eligible", fallback, {"all", "survivors", "wildcard"}));
                if (st.eligible == model::Eligibility::all) eligible = applicants;
                if (st.eligible == model::Eligibility::wildcard) eligible = applicants - survivors;
            }
            const YAML::Node comps = r_.required(s, "components", "a stage");
            r_.expect_seq(comps, "components");
            double weights = 0;
            for (const auto& c : comps) {
                st.components.push_back(component(c));
                check_unique_component(c, st);
                weights += st.components.back().weight;
            }
            if (st.components.empty()) r_.fail(comps, "a stage needs at least one component");
            if (const YAML::Node pts = given(s, "points")) {
                const double declared = r_.number(pts, 0, inf);
                if (std::abs(weights - declared) > 1e-9 * std::max(1.0, declared)) {
                    std::ostringstream msg;
                    msg << "component weights of stage '" << st.id << "' sum to " << weights
                        << ", but the stage declares points: " << declared;
                    r_.fail(pts, msg.str());
                }
            }
            const YAML::Node cut = r_.required(s, "cut", "a stage");
            r_.expect_map(cut, "a stage's cut", {"keep", "tie_break"});
            const YAML::Node keep = r_.required(cut, "keep", "a stage's cut");
            st.keep = static_cast<int>(r_.integer(keep, 1, big));
            if (st.keep > eligible)
                r_.fail(keep, "stage '" + st.id + "' keeps " + std::to_string(st.keep) +
                                  " teams but only " + std::to_string(eligible) + " are eligible");
            st.tie_break =
                static_cast<model::TieBreak>(r_.choice(cut, "tie_break", 0, {"order", "lottery"}));
            if (const YAML::Node rules = given(s, "rules")) stage_rules(rules, st);
            survivors = st.wildcard ? survivors + st.keep : st.keep;
            sc_.stages.push_back(st);
        }
        if (sc_.stages.empty()) r_.fail(n, "stages must list at least one stage");
    }

    void stage_rules(const YAML::Node& n, model::Stage& st) const {
        r_.expect_map(n, "a stage's rules",
                      {"disqualification", "disqualified_slot", "min_score", "frontier_target"});
        st.rules.disqualification = r_.boolean(n, "disqualification", false);
        st.rules.disqualified_slot = static_cast<model::DisqualifiedSlot>(
            r_.choice(n, "disqualified_slot", 0, {"vacant", "refill"}));
        st.rules.min_score = r_.number(n, "min_score", -1, 0, inf);
        if (const YAML::Node f = given(n, "frontier_target")) {
            r_.expect_map(f, "a frontier_target rule", {"component", "share"});
            const YAML::Node c = r_.required(f, "component", "a frontier_target rule");
            st.rules.frontier_component = find_id(c, st.components, "component");
            const model::ComponentKind kind = st.components[st.rules.frontier_component].kind;
            if (kind != model::ComponentKind::benchmarks && kind != model::ComponentKind::user_eval)
                r_.fail(c, "a frontier_target rule needs a benchmarks or user_eval component");
            st.rules.frontier_share =
                r_.number(r_.required(f, "share", "a frontier_target rule"), 0, 10);
        }
    }

    void check_unique_component(const YAML::Node& c, const model::Stage& st) const {
        for (std::size_t i = 0; i + 1 < st.components.size(); ++i)
            if (st.components[i].id == st.components.back().id)
                r_.fail(c["id"], "duplicate component id '" + st.components.back().id + "'");
    }

    void policies(const YAML::Node& n) {
        r_.expect_map(
            n, "policies",
            {"funding_from", "allocation", "lessors", "funding", "budgets", "budget_mode"});
        auto& p = sc_.policy;
        p.funding_from_stage =
            given(n, "funding_from") ? find_id(n["funding_from"], sc_.stages, "stage") : 0;
        p.allocation.quota.assign(sc_.stages.size(), -1);
        p.allocation.tiers.assign(sc_.stages.size(), {});
        p.funding_changes.assign(sc_.stages.size(), {});
        if (const YAML::Node a = given(n, "allocation")) allocation(a);
        if (const YAML::Node l = given(n, "lessors")) {
            r_.expect_map(l, "policies.lessors", {"bar_leased_until"});
            if (given(l, "bar_leased_until"))
                p.lessors.bar_leased_until_h = programme_hours(l["bar_leased_until"]);
        }
        if (const YAML::Node f = given(n, "funding")) {
            r_.expect_any_map(f, "policies.funding");
            for (auto it = f.begin(); it != f.end(); ++it) {
                const int s = find_id(it->first, sc_.stages, "stage");
                const YAML::Node c = it->second;
                r_.expect_map(c, "a funding change",
                              {"data_purchase_krw_per_year", "data_processing_krw_per_year",
                               "talent_krw_per_year"});
                p.funding_changes[s] = {r_.number(c, "data_purchase_krw_per_year", -1, 0, inf),
                                        r_.number(c, "data_processing_krw_per_year", -1, 0, inf),
                                        r_.number(c, "talent_krw_per_year", -1, 0, inf)};
            }
        }
        if (const YAML::Node bs = given(n, "budgets")) {
            r_.expect_seq(bs, "budgets");
            for (const auto& b : bs) {
                r_.expect_map(b, "a budget", {"category", "from", "to", "fiscal_year", "krw"});
                model::Budget budget;
                budget.category = static_cast<model::Category>(
                    r_.choice(r_.required(b, "category", "a budget"), {"gpu", "data", "talent"}));
                if (const YAML::Node fy = given(b, "fiscal_year")) {
                    if (given(b, "from") || given(b, "to"))
                        r_.fail(fy, "give a budget either fiscal_year or from/to, not both");
                    const int year = static_cast<int>(r_.integer(fy, 1900, 3000));
                    budget.from_h = std::clamp(cal_.year_start(year), 0.0, sc_.end_h);
                    budget.to_h = std::clamp(cal_.year_start(year + 1), 0.0, sc_.end_h);
                    if (budget.to_h <= budget.from_h)
                        r_.fail(fy, "fiscal year " + std::to_string(year) +
                                        " is outside the programme");
                } else {
                    budget.from_h = given(b, "from") ? programme_hours(b["from"]) : 0;
                    budget.to_h = given(b, "to") ? programme_hours(b["to"]) : sc_.end_h;
                    if (budget.to_h <= budget.from_h)
                        r_.fail(given(b, "to") ? b["to"] : b, "budget ends before it starts");
                }
                budget.krw = r_.number(r_.required(b, "krw", "a budget"), 0, inf);
                p.budgets.push_back(budget);
            }
        }
        p.budget_mode =
            static_cast<model::BudgetMode>(r_.choice(n, "budget_mode", 0, {"report", "cap"}));
    }

    void allocation(const YAML::Node& a) {
        auto& al = sc_.policy.allocation;
        r_.expect_map(a, "policies.allocation",
                      {"rule", "gpu_type", "quota", "tiers", "power", "floor", "cap", "cut_gpus"});
        al.rule = static_cast<model::AllocationRule>(
            r_.choice(r_.required(a, "rule", "policies.allocation"),
                      {"per_stage_quota", "equal_share", "rank_tiered", "score_proportional"}));
        if (given(a, "gpu_type")) al.gpu_type = find_id(a["gpu_type"], sc_.gpu_types, "GPU type");
        al.cut_gpus = static_cast<model::CutGpus>(
            r_.choice(a, "cut_gpus", 0, {"return_to_pool", "share_among_survivors"}));
        using R = model::AllocationRule;
        // Each rule takes its own keys; a key another rule needs is an error (null unsets it).
        auto only_for = [&](const char* key, R rule) {
            if (a[key] && !a[key].IsNull() && al.rule != rule)
                r_.fail(a[key],
                        std::string("'") + key + "' does not apply to this allocation rule");
        };
        only_for("quota", R::per_stage_quota);
        only_for("tiers", R::rank_tiered);
        only_for("power", R::score_proportional);
        only_for("floor", R::score_proportional);
        only_for("cap", R::score_proportional);
        const int from = sc_.policy.funding_from_stage;
        const std::string from_id = sc_.stages[from].id;
        if (al.rule == R::per_stage_quota || al.rule == R::rank_tiered) {
            const bool quota = al.rule == R::per_stage_quota;
            const char* key = quota ? "quota" : "tiers";
            const YAML::Node q = r_.required(
                a, key, quota ? "a per_stage_quota allocation" : "a rank_tiered allocation");
            r_.expect_any_map(q, key);
            for (auto it = q.begin(); it != q.end(); ++it) {
                const int s = find_id(it->first, sc_.stages, "stage");
                if (s < from)
                    r_.fail(it->first, std::string(key) + " set at stage '" + sc_.stages[s].id +
                                           "', before funding starts");
                if (quota) {
                    al.quota[s] = static_cast<int>(r_.integer(it->second, 0, big));
                } else {
                    r_.expect_seq(it->second, "a rank tier list");
                    for (const auto& g : it->second)
                        al.tiers[s].push_back(static_cast<int>(r_.integer(g, 0, big)));
                    if (al.tiers[s].empty())
                        r_.fail(it->second, "a rank tier list needs at least one entry");
                }
            }
            if (quota ? al.quota[from] < 0 : al.tiers[from].empty())
                r_.fail(q, std::string(key) + " must be set at the stage funding starts from ('" +
                               from_id + "')");
        }
        if (al.rule == R::score_proportional) {
            al.power = r_.number(a, "power", 1, 0, 100);
            al.floor = r_.number(a, "floor", 0, 0, inf);
            al.cap = r_.number(a, "cap", 1e18, 0, inf);
            if (al.cap < al.floor) r_.fail(a["cap"], "cap is below floor");
        }
    }

    void outputs(const YAML::Node& n) {
        r_.expect_map(n, "outputs", {"timeline"});
        sc_.timeline_monthly = r_.choice(n, "timeline", 0, {"monthly", "none"}) == 0;
    }

    YamlReader& r_;
    model::Scenario& sc_;
    core::Calendar cal_;
    std::string end_text_;
};

}  // namespace

model::Scenario load_scenario(const std::string& path, const LoadOptions& options) {
    YamlReader reader(path);
    YAML::Node root = parse_file(path);
    for (const std::string& overlay : options.overlays) {
        const YAML::Node over = parse_file(overlay);
        reader.attribute(over, overlay);
        merge_overlay(root, over,
                      [&](const YAML::Node& at, const std::string& msg) { reader.fail(at, msg); });
    }
    for (const std::string& assignment : options.sets) {
        const YAML::Node value = apply_set(root, assignment);
        reader.attribute(value, "--set " + assignment);
    }
    model::Scenario sc;
    sc.source = path;
    ScenarioReader(reader, sc).read(root);
    if (options.seed) sc.seed = *options.seed;
    return sc;
}

}  // namespace kaisim::io
