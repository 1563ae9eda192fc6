#include "kaisim/programme/funding.hpp"

#include <algorithm>

#include "kaisim/core/rng.hpp"
#include "kaisim/programme/training_advance.hpp"

namespace kaisim::programme {

using model::Category;

void apply_funding_change(RaceState& st, const model::FundingChange& c) {
    if (c.purchase_krw_per_year >= 0) st.data.purchase_krw_per_year = c.purchase_krw_per_year;
    if (c.processing_krw_per_year >= 0) st.data.processing_krw_per_year = c.processing_krw_per_year;
    if (c.talent_krw_per_year >= 0) st.talent_krw_per_year = c.talent_krw_per_year;
}

void start_funding(RaceState& st, core::Engine& engine, std::uint32_t i) {
    const model::Scenario& sc = *st.sc;
    TeamState& t = st.teams[i];
    t.funded = t.funded_ever = true;
    t.data_through_h = t.talent_through_h = st.now_h;
    const model::TalentFunding& tf = sc.policy.talent;
    if (!t.talent_funded && sc.teams[i].applies_for_talent && st.talent_krw_per_year > 0 &&
        st.now_h < tf.until_h) {
        t.talent_funded = true;
        const int hires = static_cast<int>(st.talent_krw_per_year * st.scale_now(Category::talent) /
                                           tf.cost_per_researcher_year_krw);
        const core::RngStream search(sc.seed, st.replicate, core::Stream::hires);
        for (int k = 0; k < hires; ++k) {
            const double at = st.now_h + tf.lag_h +
                              tf.mean_search_h * core::std_exponential(search.uniform(i, k));
            if (at < sc.end_h) engine.schedule(at, hire, hire, i);
        }
    }
    pay_funding(st, engine, i, st.calendar.next_month_start(st.now_h));
}

void stop_talent(TeamState& t) {
    t.talent_funded = false;
    t.researchers = 0;
}

void end_funding(RaceState& st, std::uint32_t i) {
    TeamState& t = st.teams[i];
    t.funded = false;
    if (!st.sc->policy.talent.continue_after_cut) stop_talent(t);
}

void pay_funding(RaceState& st, core::Engine& engine, std::uint32_t i, double to_h) {
    const model::Scenario& sc = *st.sc;
    TeamState& t = st.teams[i];
    to_h = std::min(to_h, sc.end_h);
    const model::DataFunding& df = st.data;
    if (t.funded && to_h > t.data_through_h) {
        const double years = (to_h - t.data_through_h) / core::hours_per_year;
        // A delivered order's place is used again (its token vector keeps its capacity).
        std::size_t slot = st.orders.size();
        if (!st.free_orders.empty()) {
            slot = st.free_orders.back();
            st.free_orders.pop_back();
        } else {
            st.orders.emplace_back();
        }
        DataOrder& o = st.orders[slot];
        o.team = static_cast<int>(i);
        o.tokens.assign(sc.domains.size(), 0.0);
        const double data_scale = st.scale_now(Category::data);
        const double purchase = df.purchase_krw_per_year * years * data_scale;
        for (std::size_t d = 0; d < sc.domains.size(); ++d) {
            const model::Domain& dom = sc.domains[d];
            if (dom.purchase_krw_per_mtok > 0)
                o.tokens[d] += purchase * dom.purchase_share / dom.purchase_krw_per_mtok * 1e6;
        }
        // Processing money turns the partners' raw data into tokens, as far as both last.
        std::vector<double>& raw = st.raw_left[i];
        double cost_all = 0;
        for (std::size_t d = 0; d < sc.domains.size(); ++d)
            cost_all += raw[d] * sc.domains[d].processing_krw_per_mtok / 1e6;
        const double processing = df.processing_krw_per_year * years * data_scale;
        const double f = cost_all > 0 ? std::min(1.0, processing / cost_all) : 0.0;
        for (std::size_t d = 0; d < sc.domains.size(); ++d) {
            o.tokens[d] += f * raw[d];
            raw[d] -= f * raw[d];
        }
        st.ledger.add(Category::data, static_cast<int>(i), t.data_through_h, to_h,
                      purchase + f * cost_all);
        engine.schedule(st.now_h + df.lag_h, data_arrival, data_arrival, slot);
        t.data_through_h = to_h;
    }
    const model::TalentFunding& tf = sc.policy.talent;
    const double talent_to = std::min(to_h, tf.until_h);
    if (t.talent_funded && talent_to > t.talent_through_h) {
        st.ledger.add(Category::talent, static_cast<int>(i), t.talent_through_h, talent_to,
                      st.talent_krw_per_year * st.scale_now(Category::talent) *
                          (talent_to - t.talent_through_h) / core::hours_per_year);
        t.talent_through_h = talent_to;
    }
}

void pay_monthly(RaceState& st, core::Engine& engine) {
    const double next = st.calendar.next_month_start(st.now_h);
    for (std::uint32_t i = 0; i < st.teams.size(); ++i) {
        TeamState& t = st.teams[i];
        if (t.talent_funded && st.now_h >= st.sc->policy.talent.until_h) {
            advance_team(st, i, st.now_h);  // its efficiency changes from now
            stop_talent(t);
        }
        pay_funding(st, engine, i, next);
    }
}

}  // namespace kaisim::programme
