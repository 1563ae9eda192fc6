#include "kaisim/run/replicate.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "kaisim/core/engine.hpp"
#include "kaisim/core/parallel.hpp"
#include "kaisim/core/rng.hpp"
#include "kaisim/eval/item_bank.hpp"
#include "kaisim/policy/allocation.hpp"
#include "kaisim/policy/provider_assignment.hpp"

namespace kaisim::run {

const char* status_name(TeamStatus s) {
    switch (s) {
        case TeamStatus::finalist: return "finalist";
        case TeamStatus::eliminated: return "eliminated";
        case TeamStatus::not_evaluated: return "not_evaluated";
    }
    return "?";
}

double frontier_ability(const model::Scenario& sc, double t_h) {
    const double flops = sc.frontier.flops_at_start *
                         std::pow(sc.frontier.growth_per_year, t_h / core::hours_per_year);
    return model::ability_from_loss(sc.law, sc.scale, model::compute_optimal(sc.law, flops).loss);
}

PreparedScenario prepare(const model::Scenario& sc) {
    PreparedScenario p;
    p.scenario = &sc;
    // The most a team could spend on processing: the whole programme at the base rate.
    std::vector<std::vector<int>> membership;
    std::vector<std::vector<double>> raw;
    std::vector<double> prices, budgets;
    for (const auto& t : sc.teams) {
        membership.push_back(t.partners);
        budgets.push_back(sc.policy.data.processing_krw_per_year * sc.end_h / core::hours_per_year);
    }
    for (const auto& partner : sc.partners) raw.push_back(partner.raw_tokens);
    for (const auto& d : sc.domains) prices.push_back(d.processing_krw_per_mtok);
    p.consortia = policy::split_partner_data(membership, raw, prices, budgets);
    p.banks = eval::draw_item_banks(sc.benchmarks, sc.seed);
    for (std::uint32_t s = 0; s < sc.stages.size(); ++s) {
        p.theta_frontier.push_back(frontier_ability(sc, sc.stages[s].t_h));
        p.plans.push_back(eval::make_stage_plan(sc, s, p.banks, p.theta_frontier.back()));
    }
    return p;
}

namespace {

using model::Category;

// Event kinds double as priority classes: at equal times, pool changes come first, then
// arrivals, then evaluations, then the monthly funding tick, then the end.
enum Kind : std::uint32_t {
    tranche_end,
    tranche_start,
    budget_edge,
    data_arrival,
    hire,
    stage,
    month,
    end
};

struct TeamState {
    double skill = 1, prior_flops = 0;  // this replicate's draws
    model::TrainingState training;
    std::vector<int> gpus;       // programme GPUs per type
    double unmet_units = 0;      // quota units asked for, not served
    std::vector<double> tokens;  // per domain, arrived
    double researchers = 0;
    bool in_race = true, funded = false, talent_funded = false, funded_ever = false;
    double data_through_h = 0, talent_through_h = 0;  // funding paid up to
    int last_stage = -1;
    int priority = 0;            // rank at the last stage (lower = better)
    double score = 0;            // total at the last stage
    bool disqualified = false;   // ever disqualified
    double demand_units = 0;     // quota units asked for now (before budget scaling)
    double extra_units = 0;      // inherited from cut teams (share_among_survivors)
    double lease_krw_per_h = 0;  // what its assigned leased GPUs cost per hour
    double prog_gpu_h = 0, prog_productive_gpu_h = 0, prog_lost_gpu_h = 0, unmet_gpu_h = 0;
    double own_gpu_h = 0;
};

struct Order {
    int team;
    std::vector<double> tokens;
};

struct Capability {
    model::TrainedModel model;
    double theta = 0;
};

class Programme {
  public:
    Programme(const PreparedScenario& p, std::uint32_t replicate, eval::ScoringBackend& backend,
              bool record_timeline, std::vector<double> budget_scale)
        : p_(p),
          sc_(*p.scenario),
          rep_(replicate),
          backend_(backend),
          timeline_(record_timeline),
          cal_(sc_.calendar()),
          ledger_(static_cast<int>(sc_.teams.size())),
          budget_scale_(std::move(budget_scale)),
          data_(sc_.policy.data),
          talent_krw_per_year_(sc_.policy.talent.krw_per_year),
          active_(sc_.pool.size(), false) {
        const std::size_t nd = sc_.domains.size();
        const core::RngStream draws(sc_.seed, rep_, core::Stream::team_draws);
        for (std::uint32_t i = 0; i < sc_.teams.size(); ++i) {
            const model::Team& t = sc_.teams[i];
            TeamState s;
            s.skill = t.skill * std::exp(sc_.variation.skill_log_sd * draws.normal(i, 0));
            s.prior_flops =
                t.prior_flops * std::exp(sc_.variation.prior_flops_log_sd * draws.normal(i, 1));
            s.gpus.assign(sc_.gpu_types.size(), 0);
            s.tokens = t.tokens;
            s.in_race = t.entry_h <= 0;  // newcomers join the race only through a stage
            s.tokens.resize(nd, 0.0);
            teams_.push_back(std::move(s));
        }
        // Partner raw data each team may process: its share of the consortium split.
        raw_left_.assign(sc_.teams.size(), std::vector<double>(nd, 0.0));
        for (const auto& per_team : p_.consortia.tokens)
            for (std::size_t i = 0; i < per_team.size(); ++i)
                for (std::size_t d = 0; d < nd; ++d) raw_left_[i][d] += per_team[i][d];
    }

    /// Schedules the programme's events; call once before next_stage().
    void start() {
        result_.seed = sc_.seed;
        result_.replicate = rep_;
        for (std::size_t k = 0; k < sc_.pool.size(); ++k) {
            engine_.schedule(sc_.pool[k].from_h, tranche_start, tranche_start, k);
            if (sc_.pool[k].until_h < sc_.end_h)
                engine_.schedule(sc_.pool[k].until_h, tranche_end, tranche_end, k);
        }
        for (std::size_t s = 0; s < sc_.stages.size(); ++s)
            engine_.schedule(sc_.stages[s].t_h, stage, stage, s);
        // Quotas change where a scaled budget window opens or closes, and where a bar ends.
        for (const model::Budget& b : sc_.policy.budgets) {
            engine_.schedule(b.from_h, budget_edge, budget_edge);
            if (b.to_h < sc_.end_h) engine_.schedule(b.to_h, budget_edge, budget_edge);
        }
        if (sc_.policy.lessors.bar_leased_until_h > 0 &&
            sc_.policy.lessors.bar_leased_until_h < sc_.end_h)
            engine_.schedule(sc_.policy.lessors.bar_leased_until_h, budget_edge, budget_edge);
        engine_.schedule(0, month, month);
        engine_.schedule(sc_.end_h, end, end);
    }

    /// Runs events up to the next stage evaluation and prepares its scoring inputs; returns the
    /// stage, or -1 when the programme has ended (and the result is complete).
    int next_stage() {
        while (!engine_.empty() && engine_.next().t_h <= sc_.end_h) {
            const core::Event e = engine_.pop();
            advance_to(e.t_h);
            if (e.kind == stage) {
                prepare_stage(static_cast<int>(e.payload));
                return static_cast<int>(e.payload);
            }
            handle(e);
        }
        finish();
        return -1;
    }

    /// The scoring inputs of the stage prepared by next_stage().
    const eval::PairInput* pairs() const { return pending_.pairs.data(); }
    std::uint32_t pair_count() const { return static_cast<std::uint32_t>(pending_.pairs.size()); }
    const float* abilities() const { return pending_.abilities.data(); }
    const float* proposal_logits() const { return pending_.proposal.data(); }
    const float* report_logits() const { return pending_.report.data(); }

    Result take_result() { return std::move(result_); }

  private:
    // Applies one event; the caller has advanced the programme to its time.
    void handle(const core::Event& e) {
        switch (e.kind) {
            case tranche_start: change_tranche(e.payload, true); break;
            case tranche_end: change_tranche(e.payload, false); break;
            case budget_edge: reallocate(); break;
            case data_arrival: {
                const Order& o = orders_[e.payload];
                for (std::size_t d = 0; d < o.tokens.size(); ++d)
                    teams_[o.team].tokens[d] += o.tokens[d];
                break;
            }
            case hire:
                if (teams_[e.payload].talent_funded) teams_[e.payload].researchers += 1;
                break;
            case stage: break;  // driven by next_stage() / complete_stage()
            case month: monthly(); break;
            case end: break;
        }
    }

    // Integrates every team's training, and the pool's use and cost, from now_ to t_h.
    void advance_to(double t_h) {
        const double dt = t_h - now_;
        if (dt <= 0) return;
        const model::FailureModel& fm = sc_.failures;
        double allocated = 0;
        for (std::uint32_t i = 0; i < teams_.size(); ++i) {
            TeamState& s = teams_[i];
            const model::Team& t = sc_.teams[i];
            double prog = 0, own = 0, rate = 0;
            for (std::size_t k = 0; k < s.gpus.size(); ++k) {
                prog += s.gpus[k];
                rate += s.gpus[k] * sc_.gpu_types[k].peak_flops * t.mfu;
            }
            for (const model::GpuCount& g : t.own_gpus) {
                own += g.count;
                rate += g.count * sc_.gpu_types[g.type].peak_flops * t.mfu;
            }
            allocated += prog;
            const double productive0 = s.training.productive_gpu_h(),
                         lost0 = s.training.lost_gpu_h();
            s.training.advance(dt, prog + own, rate, efficiency(i), fm, [&](std::uint32_t k) {
                const core::Draw4 d = core::philox(sc_.seed, rep_, core::Stream::failures, i, k, 0);
                return model::FailureDraw{
                    core::std_exponential(core::u01_open(d.w[0], d.w[1])) / fm.rate_per_gpu_h,
                    core::u01_open(d.w[2], d.w[3])};
            });
            if (prog + own > 0) {
                const double share = prog / (prog + own);
                s.prog_productive_gpu_h += share * (s.training.productive_gpu_h() - productive0);
                s.prog_lost_gpu_h += share * (s.training.lost_gpu_h() - lost0);
            }
            s.prog_gpu_h += prog * dt;
            s.own_gpu_h += own * dt;
            s.unmet_gpu_h += s.unmet_units / quota_units_per_gpu() * dt;
            // The programme pays for the leased GPUs it assigns; capacity it leaves unassigned
            // stays with the provider.
            ledger_.add(Category::gpu, static_cast<int>(i), now_, t_h, s.lease_krw_per_h * dt);
        }
        result_.pool.capacity_gpu_h += pool_gpus_ * dt;
        result_.pool.allocated_gpu_h += allocated * dt;
        now_ = t_h;
    }

    double efficiency(std::uint32_t i) const {
        const TeamState& s = teams_[i];
        return s.skill * (1.0 + sc_.policy.talent.kappa *
                                    std::log1p(s.researchers / sc_.teams[i].base_researchers));
    }

    // Prior compute counts at the team's skill; programme compute at its efficiency then.
    double effective_compute(std::uint32_t i) const {
        return teams_[i].prior_flops * teams_[i].skill + teams_[i].training.effective_flops();
    }

    double unique_tokens(std::uint32_t i) const {
        return std::accumulate(teams_[i].tokens.begin(), teams_[i].tokens.end(), 0.0);
    }

    Capability capability(std::uint32_t i) const {
        Capability cap;
        cap.model = model::best_model(sc_.law, effective_compute(i), unique_tokens(i));
        cap.theta = model::ability_from_loss(sc_.law, sc_.scale, cap.model.loss);
        return cap;
    }

    CapabilitySnapshot snapshot(std::uint32_t i) const {
        const Capability cap = capability(i);
        return CapabilitySnapshot{teams_[i].training.flops(),
                                  effective_compute(i),
                                  cap.model.params,
                                  unique_tokens(i),
                                  cap.theta,
                                  teams_[i].researchers};
    }

    double domain_theta(std::uint32_t i, double theta, std::size_t d) const {
        const model::Domain& dom = sc_.domains[d];
        return model::domain_ability(theta, dom.gamma, teams_[i].tokens[d], dom.tau_tokens);
    }

    void change_tranche(std::size_t k, bool starts) {
        const model::Tranche& tr = sc_.pool[k];
        active_[k] = starts;
        pool_gpus_ += starts ? tr.count : -tr.count;
        if (starts && tr.mode == model::Acquisition::purchase)
            ledger_.add(Category::gpu, model::Ledger::pool, now_, now_,
                        tr.count * tr.purchase_krw_per_gpu);
        reallocate();
    }

    double quota_units_per_gpu() const {
        return sc_.gpu_types[sc_.policy.allocation.gpu_type].units;
    }

    // Factor on quotas and money of a category now: the least of its capped budgets' scales.
    double scale_now(Category c) const {
        double f = 1;
        for (std::size_t b = 0; b < sc_.policy.budgets.size(); ++b) {
            const model::Budget& bud = sc_.policy.budgets[b];
            if (bud.category == c && now_ >= bud.from_h && now_ < bud.to_h)
                f = std::min(f, budget_scale_[b]);
        }
        return f;
    }

    // Recomputes every funded team's demand and assigns the pool's GPUs to it.
    void reallocate() {
        std::vector<int> funded;
        for (std::size_t i = 0; i < teams_.size(); ++i) {
            TeamState& t = teams_[i];
            std::fill(t.gpus.begin(), t.gpus.end(), 0);
            t.unmet_units = t.demand_units = t.lease_krw_per_h = 0;
            if (t.funded) funded.push_back(static_cast<int>(i));
        }
        std::stable_sort(funded.begin(), funded.end(),
                         [&](int a, int b) { return teams_[a].priority < teams_[b].priority; });
        std::vector<policy::Supply> supplies;
        double pool_units = 0;
        for (std::size_t k = 0; k < sc_.pool.size(); ++k) {
            if (!active_[k]) continue;
            const model::Tranche& tr = sc_.pool[k];
            const double units = sc_.gpu_types[tr.type].units;
            const bool leased = tr.mode == model::Acquisition::lease;
            supplies.push_back({tr.type, tr.count, units, leased ? tr.lease_krw_per_gpu_h : 0.0,
                                leased, tr.lessor_team});
            pool_units += tr.count * units;
        }
        std::vector<policy::FundedTeam> ft;
        for (int i : funded) ft.push_back({teams_[i].score, teams_[i].extra_units});
        const std::vector<double> units = policy::demand_units(
            sc_.policy.allocation, last_stage_, ft, pool_units, quota_units_per_gpu());
        const double scale = scale_now(Category::gpu);
        std::vector<policy::Demand> demands;
        for (std::size_t k = 0; k < funded.size(); ++k) {
            teams_[funded[k]].demand_units = units[k];
            demands.push_back({funded[k], units[k] * scale, sc_.teams[funded[k]].lessor});
        }
        const bool barred = now_ < sc_.policy.lessors.bar_leased_until_h;
        const policy::Assignment a = policy::assign_providers(supplies, demands, barred);
        for (std::size_t d = 0; d < funded.size(); ++d) {
            TeamState& t = teams_[funded[d]];
            for (std::size_t k = 0; k < supplies.size(); ++k) {
                t.gpus[supplies[k].type] += a.gpus[d][k];
                t.lease_krw_per_h += a.gpus[d][k] * supplies[k].krw_per_gpu_h;
            }
            t.unmet_units = a.unmet_units[d];
        }
    }

    bool eligible_for(const model::Stage& st, std::uint32_t i) const {
        const TeamState& t = teams_[i];
        if (sc_.teams[i].entry_h > now_) return false;
        switch (st.eligible) {
            case model::Eligibility::all: return true;
            case model::Eligibility::survivors: return t.in_race;
            // A team disqualified for a rule violation does not come back through a wildcard.
            case model::Eligibility::wildcard:
                return (!t.in_race || t.last_stage < 0) && !t.disqualified;
            case model::Eligibility::listed:
                return std::find(st.listed.begin(), st.listed.end(), static_cast<int>(i)) !=
                       st.listed.end();
        }
        return false;
    }

    // Everything a stage's scoring needs, gathered before the batch is scored.
    struct Pending {
        int stage = -1;
        std::vector<int> eligible;
        std::vector<eval::PairInput> pairs;
        std::vector<float> abilities, proposal, report;
        std::vector<double> truth, tie_keys;
        std::vector<bool> disqualified;
    };

    void prepare_stage(int s) {
        const model::Stage& st = sc_.stages[s];
        Pending& pd = pending_;
        pd = Pending{};
        pd.stage = s;
        for (std::uint32_t i = 0; i < teams_.size(); ++i)
            if (eligible_for(st, i)) pd.eligible.push_back(static_cast<int>(i));
        const std::uint32_t n = static_cast<std::uint32_t>(pd.eligible.size());
        const std::uint32_t stride = 1 + static_cast<std::uint32_t>(sc_.domains.size());
        pd.pairs.resize(n);
        pd.abilities.resize(static_cast<std::size_t>(n) * stride);
        pd.proposal.resize(n);
        pd.report.resize(n);
        pd.truth.resize(n);
        pd.tie_keys.resize(n);
        pd.disqualified.assign(n, false);
        const core::RngStream lottery(sc_.seed, rep_, core::Stream::tie_break);
        const core::RngStream originality(sc_.seed, rep_, core::Stream::disqualification);
        for (std::uint32_t k = 0; k < n; ++k) {
            const std::uint32_t i = static_cast<std::uint32_t>(pd.eligible[k]);
            const Capability cap = capability(i);
            pd.pairs[k] = {rep_, i};
            pd.truth[k] = cap.theta;
            pd.abilities[k * stride] = static_cast<float>(cap.theta);
            for (std::size_t d = 0; d < sc_.domains.size(); ++d)
                pd.abilities[k * stride + 1 + d] =
                    static_cast<float>(domain_theta(i, cap.theta, d));
            pd.proposal[k] = static_cast<float>(logit(sc_.teams[i].proposal_quality));
            pd.report[k] = static_cast<float>(logit(sc_.teams[i].report_quality));
            pd.tie_keys[k] = st.tie_break == model::TieBreak::lottery ? lottery.uniform(s, i) : k;
            if (st.rules.disqualification)
                pd.disqualified[k] =
                    originality.uniform(s, i) < sc_.teams[i].originality_violation_p;
        }
    }

  public:
    /// Applies the stage's raw component values (pair_count() x components): cuts, funding.
    void complete_stage(const double* flat) {
        const int s = pending_.stage;
        const model::Stage& st = sc_.stages[s];
        const eval::StagePlan& plan = p_.plans[s];
        const std::vector<int>& eligible = pending_.eligible;
        const std::vector<double>& truth = pending_.truth;
        const std::uint32_t n = static_cast<std::uint32_t>(eligible.size());
        const std::size_t nc = plan.components.size();
        std::vector<std::vector<double>> raw(n);
        for (std::uint32_t k = 0; k < n; ++k) raw[k].assign(flat + k * nc, flat + (k + 1) * nc);
        const eval::StageScores scores =
            eval::rank_and_cut(st, eligible, std::move(raw), plan.frontier_value, pending_.tie_keys,
                               pending_.disqualified);
        StageRecord rec;
        rec.stage = s;
        rec.theta_frontier = p_.theta_frontier[s];
        std::vector<bool> kept(n);
        for (std::uint32_t k = 0; k < n; ++k) {
            kept[k] = scores.outcome[k] == eval::Outcome::advanced ||
                      scores.outcome[k] == eval::Outcome::admitted;
            rec.rows.push_back(StageTeamRow{eligible[k], scores.points[k], scores.total[k],
                                            scores.rank[k], scores.outcome[k], truth[k]});
        }
        rec.selection_correct = eval::kept_are_strongest(truth, kept);
        result_.all_stages_correct = result_.all_stages_correct && rec.selection_correct;
        result_.stages.push_back(std::move(rec));

        const bool funds = s >= sc_.policy.funding_from_stage;
        last_stage_ = s;
        apply_funding_change(sc_.policy.funding_changes[s]);
        std::vector<int> cut_funded;
        for (std::uint32_t k = 0; k < n; ++k) {
            TeamState& t = teams_[eligible[k]];
            t.last_stage = s;
            if (st.wildcard && !kept[k])
                continue;  // a wildcard changes nothing for those it does not admit
            t.priority = scores.rank[k];
            t.score = scores.total[k];
            if (scores.outcome[k] == eval::Outcome::disqualified) t.disqualified = true;
            if (!kept[k]) {
                if (t.funded) cut_funded.push_back(eligible[k]);
                t.in_race = false;
                t.funded = false;
                if (!sc_.policy.talent.continue_after_cut) stop_talent(t);
            } else {
                t.in_race = true;
                if (funds && !t.funded) start_funding(static_cast<std::uint32_t>(eligible[k]));
            }
        }
        share_cut_quota(cut_funded);
        reallocate();
        sample();
    }

  private:
    // share_among_survivors: the quota units of cut teams go in equal parts to the funded.
    void share_cut_quota(const std::vector<int>& cut) {
        if (sc_.policy.allocation.cut_gpus != model::CutGpus::share_among_survivors || cut.empty())
            return;
        double freed = 0;
        for (int i : cut) {
            freed += teams_[i].demand_units;
            teams_[i].extra_units = 0;
        }
        std::vector<int> funded;
        for (std::size_t i = 0; i < teams_.size(); ++i)
            if (teams_[i].funded) funded.push_back(static_cast<int>(i));
        for (int i : funded) teams_[i].extra_units += freed / static_cast<double>(funded.size());
    }

    void apply_funding_change(const model::FundingChange& c) {
        if (c.purchase_krw_per_year >= 0) data_.purchase_krw_per_year = c.purchase_krw_per_year;
        if (c.processing_krw_per_year >= 0)
            data_.processing_krw_per_year = c.processing_krw_per_year;
        if (c.talent_krw_per_year >= 0) talent_krw_per_year_ = c.talent_krw_per_year;
    }

    void start_funding(std::uint32_t i) {
        TeamState& t = teams_[i];
        t.funded = t.funded_ever = true;
        t.data_through_h = t.talent_through_h = now_;
        const model::TalentFunding& tf = sc_.policy.talent;
        if (!t.talent_funded && sc_.teams[i].applies_for_talent && talent_krw_per_year_ > 0 &&
            now_ < tf.until_h) {
            t.talent_funded = true;
            const int hires = static_cast<int>(talent_krw_per_year_ * scale_now(Category::talent) /
                                               tf.cost_per_researcher_year_krw);
            for (int k = 0; k < hires; ++k) {
                const double u = core::RngStream(sc_.seed, rep_, core::Stream::hires).uniform(i, k);
                const double at = now_ + tf.lag_h + tf.mean_search_h * core::std_exponential(u);
                if (at < sc_.end_h) engine_.schedule(at, hire, hire, i);
            }
        }
        fund(i, cal_.next_month_start(now_));
    }

    static void stop_talent(TeamState& t) {
        t.talent_funded = false;
        t.researchers = 0;  // hires leave when their money stops (assumption)
    }

    // Pays team i's data and talent money up to `to_h`, from where it was paid before.
    void fund(std::uint32_t i, double to_h) {
        TeamState& t = teams_[i];
        to_h = std::min(to_h, sc_.end_h);
        const model::DataFunding& df = data_;
        if (t.funded && to_h > t.data_through_h) {
            const double years = (to_h - t.data_through_h) / core::hours_per_year;
            Order o{static_cast<int>(i), std::vector<double>(sc_.domains.size(), 0.0)};
            const double data_scale = scale_now(Category::data);
            const double purchase = df.purchase_krw_per_year * years * data_scale;
            for (std::size_t d = 0; d < sc_.domains.size(); ++d) {
                const model::Domain& dom = sc_.domains[d];
                if (dom.purchase_krw_per_mtok > 0)
                    o.tokens[d] += purchase * dom.purchase_share / dom.purchase_krw_per_mtok * 1e6;
            }
            // Processing money turns the partners' raw data into tokens, as far as both last.
            double cost_all = 0;
            for (std::size_t d = 0; d < sc_.domains.size(); ++d)
                cost_all += raw_left_[i][d] * sc_.domains[d].processing_krw_per_mtok / 1e6;
            const double processing = df.processing_krw_per_year * years * data_scale;
            const double f = cost_all > 0 ? std::min(1.0, processing / cost_all) : 0.0;
            for (std::size_t d = 0; d < sc_.domains.size(); ++d) {
                o.tokens[d] += f * raw_left_[i][d];
                raw_left_[i][d] -= f * raw_left_[i][d];
            }
            ledger_.add(Category::data, static_cast<int>(i), t.data_through_h, to_h,
                        purchase + f * cost_all);
            orders_.push_back(std::move(o));
            engine_.schedule(now_ + df.lag_h, data_arrival, data_arrival, orders_.size() - 1);
            t.data_through_h = to_h;
        }
        const model::TalentFunding& tf = sc_.policy.talent;
        const double talent_to = std::min(to_h, tf.until_h);
        if (t.talent_funded && talent_to > t.talent_through_h) {
            ledger_.add(Category::talent, static_cast<int>(i), t.talent_through_h, talent_to,
                        talent_krw_per_year_ * scale_now(Category::talent) *
                            (talent_to - t.talent_through_h) / core::hours_per_year);
            t.talent_through_h = talent_to;
        }
    }

    void monthly() {
        const double next = cal_.next_month_start(now_);
        for (std::uint32_t i = 0; i < teams_.size(); ++i) {
            TeamState& t = teams_[i];
            if (t.talent_funded && now_ >= sc_.policy.talent.until_h) stop_talent(t);
            fund(i, next);
        }
        sample();
        if (next < sc_.end_h) engine_.schedule(next, month, month);
    }

    void sample() {
        if (!timeline_ || !sc_.timeline_monthly) return;
        for (std::uint32_t i = 0; i < teams_.size(); ++i) {
            const TeamState& t = teams_[i];
            TimelineRow r;
            r.t_h = now_;
            r.team = static_cast<int>(i);
            r.in_race = t.in_race;
            r.funded = t.funded;
            r.gpus_programme = std::accumulate(t.gpus.begin(), t.gpus.end(), 0);
            for (const auto& g : sc_.teams[i].own_gpus) r.gpus_own += g.count;
            r.now = snapshot(i);
            result_.timeline.push_back(r);
        }
    }

    void finish() {
        sample();
        for (std::uint32_t i = 0; i < teams_.size(); ++i) {
            const TeamState& t = teams_[i];
            TeamRecord r;
            r.status = t.last_stage < 0 ? TeamStatus::not_evaluated
                       : t.in_race      ? TeamStatus::finalist
                                        : TeamStatus::eliminated;
            if (r.status == TeamStatus::finalist) result_.finalists.push_back(static_cast<int>(i));
            r.last_stage = t.last_stage;
            r.funded_ever = t.funded_ever;
            r.gpu_h_allocated = t.prog_gpu_h;
            r.gpu_h_productive = t.prog_productive_gpu_h;
            r.gpu_h_lost = t.prog_lost_gpu_h;
            r.gpu_h_unmet = t.unmet_gpu_h;
            r.own_gpu_h = t.own_gpu_h;
            r.end = snapshot(i);
            r.failures = t.training.failures();
            for (int c = 0; c < model::category_count; ++c)
                r.krw[c] = ledger_.team_total(static_cast<Category>(c), static_cast<int>(i));
            result_.pool.productive_gpu_h += t.prog_productive_gpu_h;
            result_.pool.lost_gpu_h += t.prog_lost_gpu_h;
            result_.teams.push_back(r);
        }
        result_.pool.idle_gpu_h = result_.pool.capacity_gpu_h - result_.pool.allocated_gpu_h;
        for (int c = 0; c < model::category_count; ++c)
            result_.spend_krw[c] = ledger_.total(static_cast<Category>(c));
        result_.budgets = model::check_budgets(ledger_, sc_.policy.budgets);
        result_.budget_scale = budget_scale_;
    }

  public:
    const model::Ledger& ledger() const { return ledger_; }

  private:
    static double logit(double q) { return std::log(q / (1.0 - q)); }

    const PreparedScenario& p_;
    const model::Scenario& sc_;
    std::uint32_t rep_;
    eval::ScoringBackend& backend_;
    bool timeline_;
    core::Calendar cal_;
    core::Engine engine_;
    model::Ledger ledger_;
    std::vector<TeamState> teams_;
    std::vector<std::vector<double>> raw_left_;  // [team][domain] partner raw data left
    std::vector<Order> orders_;
    Pending pending_;
    std::vector<double> budget_scale_;  // per budget: factor on quotas and money (cap mode)
    model::DataFunding data_;           // data money now (changes by stage)
    double talent_krw_per_year_;        // talent money now (changes by stage)
    std::vector<bool> active_;          // per tranche: in the pool now
    double pool_gpus_ = 0;              // GPUs in the pool now
    int last_stage_ = 0;                // last funded stage evaluated (for per-stage rules)
    double now_ = 0;
    Result result_;
};

}  // namespace

std::vector<Result> run_batch(const PreparedScenario& prepared,
                              const std::vector<std::uint32_t>& replicates,
                              eval::ScoringBackend& backend, int threads, bool record_timeline) {
    const model::ProgrammePolicy& pol = prepared.scenario->policy;
    std::vector<Result> results(replicates.size());
    std::vector<std::vector<double>> scales(replicates.size(),
                                            std::vector<double>(pol.budgets.size(), 1.0));
    std::vector<std::size_t> todo(replicates.size());
    std::iota(todo.begin(), todo.end(), 0);
    for (int pass = 0; !todo.empty(); ++pass) {
        std::vector<std::unique_ptr<Programme>> progs;
        for (std::size_t k : todo)
            progs.push_back(std::make_unique<Programme>(prepared, replicates[k], backend,
                                                        record_timeline, scales[k]));
        std::vector<int> at(progs.size());
        core::parallel_for(progs.size(), threads, [&](std::size_t b, std::size_t e) {
            for (std::size_t k = b; k < e; ++k) {
                progs[k]->start();
                at[k] = progs[k]->next_stage();
            }
        });
        // Every replicate shares the stage calendar: all stand at the same stage, or all ended.
        while (at[0] >= 0) {
            const int s = at[0];
            const eval::StagePlan& plan = prepared.plans[s];
            const std::uint32_t stride =
                1 + static_cast<std::uint32_t>(prepared.scenario->domains.size());
            std::vector<eval::PairInput> pairs;
            std::vector<float> abilities, proposal, report;
            std::vector<std::size_t> offset(progs.size() + 1, 0);
            for (std::size_t k = 0; k < progs.size(); ++k) {
                KAISIM_ASSERT(at[k] == s);
                const Programme& pr = *progs[k];
                const std::uint32_t n = pr.pair_count();
                pairs.insert(pairs.end(), pr.pairs(), pr.pairs() + n);
                abilities.insert(abilities.end(), pr.abilities(), pr.abilities() + n * stride);
                proposal.insert(proposal.end(), pr.proposal_logits(), pr.proposal_logits() + n);
                report.insert(report.end(), pr.report_logits(), pr.report_logits() + n);
                offset[k + 1] = offset[k] + n;
            }
            eval::ScoringBatch batch = plan.batch(prepared.scenario->seed);
            batch.pairs = pairs.data();
            batch.n_pairs = static_cast<std::uint32_t>(pairs.size());
            batch.abilities = abilities.data();
            batch.ability_stride = stride;
            batch.proposal_logit = proposal.data();
            batch.report_logit = report.data();
            batch.theta_ref = static_cast<float>(prepared.theta_frontier[s]);
            const std::size_t nc = plan.components.size();
            std::vector<double> raw(pairs.size() * nc);
            backend.score(batch, raw);  // one call per stage for the whole batch
            core::parallel_for(progs.size(), threads, [&](std::size_t b, std::size_t e) {
                for (std::size_t k = b; k < e; ++k) {
                    progs[k]->complete_stage(raw.data() + offset[k] * nc);
                    at[k] = progs[k]->next_stage();
                }
            });
        }
        std::vector<std::size_t> again;
        for (std::size_t j = 0; j < todo.size(); ++j) {
            const std::size_t k = todo[j];
            results[k] = progs[j]->take_result();
            bool fits = true;
            for (const model::BudgetCheck& b : results[k].budgets) fits = fits && b.feasible;
            if (pol.budget_mode == model::BudgetMode::report || fits || pass == 5) continue;
            // Scale what the rules control (team-attributed spend) so the budget would be met;
            // integer GPU counts and pool limits make it approximate, hence the next pass checks.
            for (std::size_t b = 0; b < pol.budgets.size(); ++b) {
                const model::Budget& bud = pol.budgets[b];
                const double scalable =
                    progs[j]->ledger().spent_in(bud.category, bud.from_h, bud.to_h, true);
                const double fixed = results[k].budgets[b].spent_krw - scalable;
                if (results[k].budgets[b].feasible || scalable <= 0) continue;
                scales[k][b] *= std::max(0.0, (bud.krw - fixed) / scalable) * (1 - 1e-9);
            }
            again.push_back(k);
        }
        todo = std::move(again);
    }
    return results;
}

Result run_replicate(const PreparedScenario& prepared, std::uint32_t replicate,
                     eval::ScoringBackend& backend, bool record_timeline) {
    return std::move(run_batch(prepared, {replicate}, backend, 1, record_timeline).front());
}

}  // namespace kaisim::run
