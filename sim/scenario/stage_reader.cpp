// The scenario reader's stage sections: benchmarks, stages, their components and rules.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>

#include "kaisim/core/error.hpp"
#include "scenario_reader.hpp"

namespace kaisim::io {

void ScenarioReader::benchmarks(const YAML::Node& n) {
    r_.expect_seq(n, "benchmarks");
    for (const auto& b : n) {
        r_.expect_map(b, "a benchmark",
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
        bench.difficulty_mean = r_.number(b, "difficulty_mean", 0, -max_logits, max_logits);
        bench.difficulty_sd = r_.number(b, "difficulty_sd", 1, 0, max_logits);
        bench.guessing = r_.number(b, "guessing", bench.guessing, 0, 0.999);
        sc_.benchmarks.push_back(bench);
    }
}

model::Component ScenarioReader::component(const YAML::Node& c) {
    r_.expect_map(c, "a component",
                  {"id", "kind", "weight", "normalisation", "target", "benchmarks", "domain",
                   "judges", "noise_sd", "bias_sd", "aggregation", "ability_weight",
                   "proposal_weight", "report_weight", "users", "reference_offset"});
    model::Component comp;
    comp.id = r_.text(r_.required(c, "id", "a component"));
    comp.kind = static_cast<model::ComponentKind>(
        r_.choice(r_.required(c, "kind", "a component"),
                  {"benchmarks", "expert_panel", "user_eval", "review"}));
    comp.weight = r_.number(r_.required(c, "weight", "a component"), 0, 1e6);
    const bool is_panel = comp.kind == model::ComponentKind::expert_panel ||
                          comp.kind == model::ComponentKind::review;
    comp.normalisation = static_cast<model::Normalisation>(
        r_.choice(c, "normalisation", is_panel ? 0 : 1,
                  {"raw", "relative_to_best", "relative_to_target", "min_max"}));
    if (const YAML::Node t = given(c, "target")) {
        if (t.IsScalar() && t.Scalar() == "frontier")
            comp.target_is_frontier = true;
        else
            comp.target = r_.number(t, 1e-9, 1e6);
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
                r_.integer(r_.required(c, "users", "a user_eval component"), 1, 1'000'000));
            comp.reference_offset = r_.number(c, "reference_offset", 0, -max_logits, max_logits);
            break;
        case model::ComponentKind::expert_panel:
        case model::ComponentKind::review: {
            const bool expert = comp.kind == model::ComponentKind::expert_panel;
            comp.judges =
                static_cast<int>(r_.integer(r_.required(c, "judges", "a panel"), 1, 100000));
            comp.noise_sd = r_.number(c, "noise_sd", 0.5, 0, max_logits);  // logits (assumption)
            comp.bias_sd = r_.number(c, "bias_sd", 0, 0, max_logits);
            comp.aggregation = static_cast<model::Aggregation>(
                r_.choice(c, "aggregation", 0, {"mean", "trimmed_mean"}));
            // Defaults (assumption): experts judge shown ability and the reports; reviewers
            // judge the proposal.
            comp.ability_weight =
                r_.number(c, "ability_weight", expert ? 1.0 : 0.0, -max_logits, max_logits);
            comp.proposal_weight =
                r_.number(c, "proposal_weight", expert ? 0.0 : 1.0, -max_logits, max_logits);
            comp.report_weight =
                r_.number(c, "report_weight", expert ? 0.5 : 0.0, -max_logits, max_logits);
            comp.reference_offset = r_.number(c, "reference_offset", 0, -max_logits, max_logits);
            break;
        }
    }
    return comp;
}

void ScenarioReader::stages(const YAML::Node& n) {
    r_.expect_seq(n, "stages");
    const int applicants = static_cast<int>(sc_.teams.size());
    int survivors = applicants;
    for (const auto& s : n) {
        r_.expect_map(
            s, "a stage",
            {"id", "name", "date", "eligible", "wildcard", "points", "components", "cut", "rules"});
        model::Stage st;
        st.id = r_.text(r_.required(s, "id", "a stage"));
        check_unique(s["id"], sc_.stages, st.id, "stage");
        st.name = r_.text(s, "name", st.id);
        const YAML::Node date = r_.required(s, "date", "a stage");
        st.t_h = programme_hours(date);
        if (!sc_.stages.empty() && st.t_h <= sc_.stages.back().t_h)
            r_.fail(date, "stage '" + st.id + "' is not after stage '" + sc_.stages.back().id +
                              "': stage dates must increase");
        if (const YAML::Node w = given(s, "wildcard"); w && w.IsMap()) {
            // wildcard: {fill_to: N}: admits max(0, N - teams in the race), possibly none.
            r_.expect_map(w, "a wildcard", {"fill_to"});
            st.wildcard = true;
            st.fill_to = static_cast<int>(
                r_.integer(r_.required(w, "fill_to", "a wildcard"), 1, applicants));
        } else {
            st.wildcard = r_.boolean(s, "wildcard", false);
        }
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
            const double declared = r_.number(pts, 0, 1e9);
            if (std::abs(weights - declared) > 1e-9 * std::max(1.0, declared)) {
                std::ostringstream msg;
                msg << "component weights of stage '" << st.id << "' sum to " << weights
                    << ", but the stage declares points: " << declared;
                r_.fail(pts, msg.str());
            }
        }
        // A wildcard that fills the field needs no cut: it admits at most what it fills.
        const YAML::Node cut = st.fill_to >= 0 ? given(s, "cut") : r_.required(s, "cut", "a stage");
        if (cut) {
            r_.expect_map(cut, "a stage's cut", {"keep", "tie_break"});
            const YAML::Node keep = r_.required(cut, "keep", "a stage's cut");
            st.keep = static_cast<int>(r_.integer(keep, 1, big));
            // Who a wildcard call may admit is known only when it opens (a vacant place, a
            // failed minimum score change it): it is checked against all applicants.
            if (st.wildcard && st.eligible == model::Eligibility::wildcard) eligible = applicants;
            if (st.keep > eligible)
                r_.fail(keep, "stage '" + st.id + "' keeps " + std::to_string(st.keep) +
                                  " teams but only " + std::to_string(eligible) + " are eligible");
            st.tie_break =
                static_cast<model::TieBreak>(r_.choice(cut, "tie_break", 0, {"order", "lottery"}));
        } else {
            st.keep = st.fill_to;  // no cap beyond the filling itself
        }
        if (const YAML::Node rules = given(s, "rules")) stage_rules(rules, st);
        if (st.fill_to >= 0)  // at most: the field is filled from what it was, never cut
            survivors = std::max(survivors, std::min(st.fill_to, survivors + st.keep));
        else
            survivors = st.wildcard ? survivors + st.keep : st.keep;
        sc_.stages.push_back(st);
    }
    if (sc_.stages.empty()) r_.fail(n, "stages must list at least one stage");
}

void ScenarioReader::stage_rules(const YAML::Node& n, model::Stage& st) const {
    r_.expect_map(n, "a stage's rules",
                  {"disqualification", "disqualified_slot", "min_score", "frontier_target"});
    st.rules.disqualification = r_.boolean(n, "disqualification", false);
    st.rules.disqualified_slot = static_cast<model::DisqualifiedSlot>(
        r_.choice(n, "disqualified_slot", 0, {"vacant", "refill"}));
    st.rules.min_score = r_.number(n, "min_score", -1, 0, 1e9);
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

void ScenarioReader::check_unique_component(const YAML::Node& c, const model::Stage& st) const {
    for (std::size_t i = 0; i + 1 < st.components.size(); ++i)
        if (st.components[i].id == st.components.back().id)
            r_.fail(c["id"], "duplicate component id '" + st.components.back().id + "'");
}

}  // namespace kaisim::io
