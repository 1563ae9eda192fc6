// The scenario reader's sections: programme, GPU types, pool, capability, failures, domains,
// data and talent money, team variation, partners and teams.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>

#include "kaisim/core/error.hpp"
#include "scenario_reader.hpp"

namespace kaisim::io {

void ScenarioReader::read(const YAML::Node& root) {
    r_.expect_map(
        root, "the scenario",
        {"programme", "gpu_types", "pool", "capability", "failures", "domains", "data", "talent",
         "team_variation", "partners", "teams", "benchmarks", "stages", "policies", "outputs"});
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
    check_totals(root);
}

void ScenarioReader::check_totals(const YAML::Node& root) const {
    // GPUs in the pool and with the teams; the pool alone feeds the provider flow.
    double pool = 0, all = 0;
    for (const model::Tranche& t : sc_.pool) pool += t.count;
    all = pool;
    for (const model::Team& t : sc_.teams)
        for (const model::GpuCount& g : t.own_gpus) all += g.count;
    if (pool > static_cast<double>(max_gpus))
        r_.fail(root["pool"], "the pool holds " + short_number(pool) + " GPUs in all, more than " +
                                  short_number(static_cast<double>(max_gpus)));
    // Every GPU interruption is simulated: at most max_interruptions expected per replicate.
    const double expected = sc_.failures.rate_per_gpu_h * all * sc_.end_h;
    if (expected > max_interruptions)
        r_.fail(given(root, "failures") ? root["failures"] : root["teams"],
                "this programme expects " + short_number(expected) +
                    " GPU interruptions per replicate (rate x GPUs x hours), more than " +
                    short_number(max_interruptions) + ": each is simulated");
    // Hires: one event each, per team that applies, at the highest talent rate of the programme.
    double rate = sc_.policy.talent.krw_per_year;
    for (const model::FundingChange& c : sc_.policy.funding_changes)
        rate = std::max(rate, c.talent_krw_per_year);
    double applicants = 0;
    for (const model::Team& t : sc_.teams) applicants += t.applies_for_talent ? 1 : 0;
    const double hires = applicants * rate / sc_.policy.talent.cost_per_researcher_year_krw;
    const YAML::Node talent = given(root, "talent");
    if (hires > max_hires_per_year)
        r_.fail(
            !talent                                         ? root["teams"]
            : given(talent, "cost_per_researcher_year_krw") ? talent["cost_per_researcher_year_krw"]
                                                            : talent,
            "talent money would hire " + short_number(hires) +
                " researchers a year over all teams; at most " + short_number(max_hires_per_year) +
                " (each hire is simulated): raise cost_per_researcher_year_krw or lower the "
                "money");
    // The frontier's compute at the end must stay a finite number of FLOP.
    const double log10_frontier =
        std::log10(sc_.frontier.flops_at_start) +
        sc_.end_h / core::hours_per_year * std::log10(sc_.frontier.growth_per_year);
    if (log10_frontier > std::log10(max_flops) + 5)
        r_.fail(given(root, "capability") ? root["capability"] : root["programme"],
                "the frontier would reach 1e" + std::to_string(static_cast<int>(log10_frontier)) +
                    " FLOP by the programme's end: lower its growth_per_year or shorten the "
                    "programme");
}

// A date inside the programme, as hours since its start.
double ScenarioReader::programme_hours(const YAML::Node& n) const {
    const double h = hours(n);
    if (h < 0 || h > sc_.end_h)
        r_.fail(n, "date " + n.Scalar() + " is outside the programme (" +
                       core::format_date(sc_.start) + " to " + end_text_ + ")");
    return h;
}

// A map of domain id -> tokens.
std::vector<double> ScenarioReader::per_domain(const YAML::Node& n, const char* what) const {
    r_.expect_any_map(n, what);  // keys are checked against the domains below
    std::vector<double> v(sc_.domains.size(), 0.0);
    for (auto it = n.begin(); it != n.end(); ++it)
        v[find_id(it->first, sc_.domains, "domain")] = r_.number(it->second, 0, max_tokens);
    return v;
}

void ScenarioReader::programme(const YAML::Node& n) {
    r_.expect_map(n, "programme", {"name", "start", "end", "currency", "seed"});
    sc_.name = r_.text(r_.required(n, "name", "programme"));
    sc_.start = r_.date(r_.required(n, "start", "programme"));
    cal_ = core::Calendar(sc_.start);
    const YAML::Node end = r_.required(n, "end", "programme");
    sc_.end_h = hours(end);
    end_text_ = end.Scalar();
    if (sc_.end_h <= 0) r_.fail(end, "programme end must be after its start");
    if (sc_.end_h > max_years * core::hours_per_year)
        r_.fail(end, "a programme may last at most 100 years");
    sc_.currency = r_.text(n, "currency", "KRW");
    if (sc_.currency != "KRW") r_.fail(n["currency"], "only KRW is supported as currency");
    sc_.seed = static_cast<std::uint32_t>(r_.integer(n, "seed", 1, 0, 0xFFFFFFFEll));
}

void ScenarioReader::gpu_types(const YAML::Node& n) {
    r_.expect_seq(n, "gpu_types");
    for (const auto& g : n) {
        r_.expect_map(g, "a GPU type", {"id", "peak_tflops", "units", "lease_krw_per_gpu_h"});
        model::GpuType t;
        t.id = r_.text(r_.required(g, "id", "a GPU type"));
        check_unique(g["id"], sc_.gpu_types, t.id, "GPU type");
        t.peak_flops =
            r_.number(r_.required(g, "peak_tflops", "a GPU type"), 1e-6, max_peak_tflops) * 1e12;
        // Quota units default to peak FLOP/s relative to the first type listed.
        const double by_peak =
            sc_.gpu_types.empty() ? 1.0 : t.peak_flops / sc_.gpu_types[0].peak_flops;
        t.units = r_.number(g, "units", by_peak, min_units, max_units);
        if (t.units > max_units || t.units < min_units)
            r_.fail(g["peak_tflops"], "by peak, this GPU counts for " + short_number(t.units) +
                                          " quota units of the first type, outside " +
                                          short_number(min_units) + " to " +
                                          short_number(max_units) + ": give its `units`");
        t.lease_krw_per_gpu_h = r_.number(g, "lease_krw_per_gpu_h", -1, 0, max_krw_per_gpu_h);
        sc_.gpu_types.push_back(t);
    }
    if (sc_.gpu_types.empty()) r_.fail(n, "gpu_types must list at least one GPU type");
}

void ScenarioReader::pool(const YAML::Node& n) {
    r_.expect_seq(n, "pool");
    for (const auto& p : n) {
        r_.expect_map(p, "a pool tranche",
                      {"from", "until", "type", "count", "provider", "mode", "lease_krw_per_gpu_h",
                       "purchase_krw_per_gpu"});
        model::Tranche t;
        t.from_h = programme_hours(r_.required(p, "from", "a pool tranche"));
        t.until_h = given(p, "until") ? programme_hours(p["until"]) : sc_.end_h;
        if (t.until_h <= t.from_h)
            r_.fail(given(p, "until") ? p["until"] : p, "tranche ends before it starts");
        t.type = find_id(r_.required(p, "type", "a pool tranche"), sc_.gpu_types, "GPU type");
        t.count =
            static_cast<int>(r_.integer(r_.required(p, "count", "a pool tranche"), 0, max_gpus));
        t.provider = r_.text(p, "provider", "");
        t.mode = static_cast<model::Acquisition>(r_.choice(p, "mode", 0, {"lease", "purchase"}));
        if (t.mode == model::Acquisition::lease) {
            t.lease_krw_per_gpu_h =
                r_.number(p, "lease_krw_per_gpu_h", sc_.gpu_types[t.type].lease_krw_per_gpu_h, 0,
                          max_krw_per_gpu_h);
            if (t.lease_krw_per_gpu_h < 0)
                r_.fail(p, "a leased tranche needs lease_krw_per_gpu_h (here or on its GPU type)");
        } else
            t.purchase_krw_per_gpu = r_.number(
                r_.required(p, "purchase_krw_per_gpu", "a purchased tranche"), 0, max_krw_per_gpu);
        sc_.pool.push_back(t);
    }
}

void ScenarioReader::capability(const YAML::Node& n) {
    r_.expect_map(
        n, "capability",
        {"law", "E", "A", "B", "alpha", "beta", "r_star", "kappa", "reference_flops", "frontier"});
    sc_.law = r_.choice(n, "law", 0, {"epoch", "hoffmann"}) == 0 ? model::ScalingLaw::epoch()
                                                                 : model::ScalingLaw::hoffmann();
    sc_.law.E = r_.number(n, "E", sc_.law.E, 0, 1e3);  // nats per token
    sc_.law.A = r_.number(n, "A", sc_.law.A, 1e-9, 1e9);
    sc_.law.B = r_.number(n, "B", sc_.law.B, 1e-9, 1e9);
    sc_.law.alpha = r_.number(n, "alpha", sc_.law.alpha, 1e-3, 2);
    sc_.law.beta = r_.number(n, "beta", sc_.law.beta, 1e-3, 2);
    sc_.law.r_star = r_.number(n, "r_star", sc_.law.r_star, 1e-3, 1e6);
    sc_.scale.kappa = r_.number(n, "kappa", sc_.scale.kappa, 1e-6, max_logits);
    sc_.scale.ref_flops = r_.number(n, "reference_flops", sc_.scale.ref_flops, 1, max_flops);
    if (const YAML::Node f = given(n, "frontier")) {
        r_.expect_map(f, "capability.frontier", {"flops_at_start", "growth_per_year"});
        sc_.frontier.flops_at_start =
            r_.number(f, "flops_at_start", sc_.frontier.flops_at_start, 1, max_flops);
        sc_.frontier.growth_per_year =
            r_.number(f, "growth_per_year", sc_.frontier.growth_per_year, 1e-3, 1e3);
    }
}

void ScenarioReader::failures(const YAML::Node& n) {
    r_.expect_map(n, "failures", {"rate_per_gpu_h", "checkpoint_h", "restart_h"});
    sc_.failures.rate_per_gpu_h = r_.number(n, "rate_per_gpu_h", sc_.failures.rate_per_gpu_h, 0, 1);
    sc_.failures.checkpoint_h =
        r_.number(n, "checkpoint_h", sc_.failures.checkpoint_h, 0, max_hours);
    sc_.failures.restart_h = r_.number(n, "restart_h", sc_.failures.restart_h, 0, max_hours);
}

void ScenarioReader::domains(const YAML::Node& n) {
    r_.expect_seq(n, "domains");
    double shares = 0;
    for (const auto& d : n) {
        r_.expect_map(d, "a domain",
                      {"id", "gamma", "tau_tokens", "purchase_share", "purchase_krw_per_mtok",
                       "processing_krw_per_mtok"});
        model::Domain dom;
        dom.id = r_.text(r_.required(d, "id", "a domain"));
        check_unique(d["id"], sc_.domains, dom.id, "domain");
        dom.gamma = r_.number(d, "gamma", dom.gamma, 0, max_logits);
        dom.tau_tokens = r_.number(d, "tau_tokens", dom.tau_tokens, 1, max_tokens);
        dom.purchase_share = r_.number(d, "purchase_share", 0, 0, 1);
        dom.purchase_krw_per_mtok = r_.number(d, "purchase_krw_per_mtok", 0, 0, max_krw_per_mtok);
        dom.processing_krw_per_mtok =
            r_.number(d, "processing_krw_per_mtok", 0, 0, max_krw_per_mtok);
        // A price near zero would buy unbounded tokens: 0.001 KRW per million is the least.
        if (dom.purchase_share > 0 && dom.purchase_krw_per_mtok < 1e-3)
            r_.fail(given(d, "purchase_krw_per_mtok") ? d["purchase_krw_per_mtok"] : d,
                    "domain '" + dom.id +
                        "' has a purchase share but no purchase_krw_per_mtok (at least 0.001)");
        shares += dom.purchase_share;
        sc_.domains.push_back(dom);
    }
    if (sc_.domains.empty()) r_.fail(n, "domains must list at least one domain");
    if (shares > 1 + 1e-9) r_.fail(n, "purchase shares of the domains sum to more than 1");
}

void ScenarioReader::data(const YAML::Node& n) {
    r_.expect_map(n, "data", {"purchase_krw_per_year", "processing_krw_per_year", "lag_days"});
    auto& d = sc_.policy.data;
    d.purchase_krw_per_year = r_.number(n, "purchase_krw_per_year", 0, 0, max_krw);
    d.processing_krw_per_year = r_.number(n, "processing_krw_per_year", 0, 0, max_krw);
    d.lag_h = r_.number(n, "lag_days", 0, 0, max_days) * core::hours_per_day;
}

void ScenarioReader::talent(const YAML::Node& n) {
    r_.expect_map(n, "talent",
                  {"krw_per_year", "cost_per_researcher_year_krw", "lag_days", "mean_search_days",
                   "kappa", "continue_after_cut", "until"});
    auto& t = sc_.policy.talent;
    t.krw_per_year = r_.number(n, "krw_per_year", 0, 0, max_krw);
    t.cost_per_researcher_year_krw =
        r_.number(n, "cost_per_researcher_year_krw", t.cost_per_researcher_year_krw, 1, max_krw);
    t.lag_h = r_.number(n, "lag_days", 0, 0, max_days) * core::hours_per_day;
    t.mean_search_h = r_.number(n, "mean_search_days", 0, 0, max_days) * core::hours_per_day;
    t.kappa = r_.number(n, "kappa", 0, 0, max_logits);
    t.continue_after_cut = r_.boolean(n, "continue_after_cut", false);
    t.until_h = given(n, "until") ? programme_hours(n["until"]) : sc_.end_h;
}

void ScenarioReader::variation(const YAML::Node& n) {
    r_.expect_map(n, "team_variation", {"skill_log_sd", "prior_flops_log_sd"});
    sc_.variation.skill_log_sd = r_.number(n, "skill_log_sd", 0, 0, 10);
    sc_.variation.prior_flops_log_sd = r_.number(n, "prior_flops_log_sd", 0, 0, 10);
}

void ScenarioReader::partners(const YAML::Node& n) {
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

void ScenarioReader::teams(const YAML::Node& n) {
    r_.expect_seq(n, "teams");
    if (n.size() > max_teams)
        r_.fail(n, "teams lists " + std::to_string(n.size()) + " teams, more than " +
                       std::to_string(max_teams));
    for (const auto& t : n) {
        r_.expect_map(
            t, "a team",
            {"id", "name", "partners", "own_gpus", "skill", "mfu", "flagship_share",
             "base_researchers", "prior_flops", "tokens", "proposal_quality", "report_quality",
             "lessor", "originality_violation_p", "entry", "applies_for_talent"});
        model::Team team;
        team.id = r_.text(r_.required(t, "id", "a team"));
        check_unique(t["id"], sc_.teams, team.id, "team");
        team.name = r_.text(t, "name", team.id);
        if (const YAML::Node ps = given(t, "partners")) {
            r_.expect_seq(ps, "a team's partners");
            for (const auto& p : ps) team.partners.push_back(find_id(p, sc_.partners, "partner"));
        }
        if (const YAML::Node gs = given(t, "own_gpus")) {
            r_.expect_seq(gs, "own_gpus");
            for (const auto& g : gs) {
                r_.expect_map(g, "an own_gpus entry", {"type", "count"});
                team.own_gpus.push_back(
                    {find_id(r_.required(g, "type", "an own_gpus entry"), sc_.gpu_types,
                             "GPU type"),
                     static_cast<int>(
                         r_.integer(r_.required(g, "count", "an own_gpus entry"), 0, max_gpus))});
            }
        }
        team.skill = r_.number(t, "skill", team.skill, 1e-6, 1e6);
        team.mfu = r_.number(t, "mfu", team.mfu, 0.01, 1);
        team.flagship_share = r_.number(t, "flagship_share", team.flagship_share, 1e-6, 1);
        team.base_researchers = r_.number(t, "base_researchers", team.base_researchers, 1, 1e7);
        team.prior_flops = r_.number(r_.required(t, "prior_flops", "a team"), 1, max_flops);
        const YAML::Node tokens = r_.required(t, "tokens", "a team");
        team.tokens = per_domain(tokens, "a team's tokens");
        if (std::accumulate(team.tokens.begin(), team.tokens.end(), 0.0) <= 0)
            r_.fail(tokens,
                    "team '" + team.id + "' holds no tokens: a model needs data to train on");
        team.proposal_quality =
            r_.number(t, "proposal_quality", team.proposal_quality, 1e-6, 1 - 1e-6);
        team.report_quality = r_.number(t, "report_quality", team.report_quality, 1e-6, 1 - 1e-6);
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

}  // namespace kaisim::io
