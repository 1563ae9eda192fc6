#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "kaisim/study/calibration.hpp"
#include "kaisim/study/likelihood_smc.hpp"

using namespace kaisim;

namespace {
constexpr double missing = std::numeric_limits<double>::quiet_NaN();

// theta ~ N(0, 2^2) a priori; 25 observations with sd 5 average to `ybar` (sd of the mean 1).
study::CalibrationSpec gaussian(std::uint32_t seed, double ybar = 1.5) {
    study::CalibrationSpec spec;
    spec.model = study::CalibrationModel::gaussian_mean;
    spec.method = study::CalibrationMethod::likelihood;
    spec.gaussian_sigma = 5;
    spec.gaussian_n = 25;
    study::SweepParameter theta;
    theta.name = "theta";
    theta.dist = study::Distribution::normal;
    theta.mean = 0;
    theta.sd = 2;
    spec.parameters.push_back(theta);
    study::Observation y;
    y.name = "ybar";
    y.value = ybar;
    spec.observations.push_back(y);
    spec.likelihood.particles = 1000;
    spec.likelihood.replicates = 64;
    spec.likelihood.moves = 4;
    spec.likelihood.seed = seed;
    return spec;
}

study::StatisticModel stat_model(double observed, bool indicator, double weight, double sd) {
    study::StatisticModel m;
    m.observed = observed;
    m.indicator = indicator;
    m.weight = weight;
    m.sd = sd;
    return m;
}

double phi(double x) {
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}
}  // namespace

TEST_CASE(
    "likelihood: a 0/1 fact scores the Jeffreys estimate of its share, a figure its "
    "synthetic Gaussian") {
    std::vector<study::StatisticModel> stats{stat_model(1, true, 1, 0), stat_model(0, true, 2, 0),
                                             stat_model(3, false, 1, 0),
                                             stat_model(3, false, 0.5, 0.5)};
    // Replicates: the fact holds in 3 of the 4 where it is defined; the second fact (observed
    // 0) is 0 in 1 of 4; the figure is 2, 4, NaN, 3, 3 over the replicates.
    const std::vector<std::vector<double>> reps{{1, 1, 2, 2},
                                                {1, 0, 4, 4},
                                                {missing, 1, missing, missing},
                                                {0, 1, 3, 3},
                                                {1, missing, 3, 3}};
    const std::vector<double> l = study::statistic_logliks(reps, stats);
    REQUIRE(l.size() == 4);
    CHECK(l[0] == Approx(std::log(3.5 / 5)));
    CHECK(l[1] == Approx(2 * std::log(1.5 / 5)));
    // Mean 3, variance (1 + 1 + 0 + 0) / 3 over the four defined, times 1 + 1/4.
    const double var = 2.0 / 3 * 1.25;
    CHECK(l[2] == Approx(-0.5 * (std::log(2 * M_PI * var))));
    const double var2 = var + 0.25;
    CHECK(l[3] == Approx(0.5 * -0.5 * (std::log(2 * M_PI * var2))));
    // No replicate defines a fact: p = 1/2; a figure defined once: the floor.
    const std::vector<double> none = study::statistic_logliks({{missing, 7, 1, 1}}, stats);
    CHECK(none[0] == Approx(std::log(0.5)));
    CHECK(none[2] == -50);
}

TEST_CASE("likelihood: the tempered SMC recovers the exact posterior of a Gaussian mean") {
    const study::CalibrationSpec spec = gaussian(3);
    const study::CalibrationOutcome o = study::run_calibration(spec, {}, 1);
    REQUIRE(o.abc.stop == "temperature 1 reached");
    REQUIRE(o.abc.generations.back().temperature == 1);
    // Conjugate posterior: precision 1/4 + 1 = 1.25, mean 1.5 / 1.25 = 1.2, sd 1/sqrt(1.25).
    // The synthetic likelihood of R = 64 replicates widens the datum's variance by 1 + 1/R
    // (and by the noise of the estimated variance, of relative sd sqrt(2/R) = 0.18, which the
    // pseudo-marginal sampler averages over): the posterior sd by at most about 1%.
    const double mean = 1.2, sd = 1 / std::sqrt(1.25);
    // The particles are correlated by resampling; count them as a quarter of their number
    // independent draws (assumption): the mean within 4 standard errors, the sd within 4 of an
    // sd's, plus the 1% widening.
    const double n_eff = spec.likelihood.particles / 4.0;
    const study::ParameterPosterior& p = o.posterior.at(0);
    CHECK(std::abs(p.mean - mean) < 4 * sd / std::sqrt(n_eff));
    CHECK(std::abs(p.sd - sd) < 4 * sd / std::sqrt(2 * n_eff) + 0.01 * sd);
    // Equal weights summing to 1; each particle's log-likelihood is kept.
    double w = 0;
    for (const study::AbcParticle& q : o.abc.particles) {
        w += q.weight;
        REQUIRE(q.loglik.size() == 1);
        REQUIRE(q.distance == Approx(-q.loglik[0]));
    }
    REQUIRE(w == Approx(1));
}

TEST_CASE("likelihood: the same seed gives the same posterior with 1 or 2 threads") {
    study::CalibrationSpec a = gaussian(7);
    a.likelihood.particles = 100;
    a.likelihood.replicates = 8;
    const study::CalibrationOutcome x = study::run_calibration(a, {}, 1);
    const study::CalibrationOutcome y = study::run_calibration(a, {}, 2);
    REQUIRE(x.abc.particles.size() == y.abc.particles.size());
    for (std::size_t i = 0; i < x.abc.particles.size(); ++i)
        REQUIRE(x.abc.particles[i].u == y.abc.particles[i].u);
    REQUIRE(x.abc.replicates_simulated == y.abc.replicates_simulated);
    a.likelihood.seed = 8;
    const study::CalibrationOutcome z = study::run_calibration(a, {}, 1);
    REQUIRE(z.abc.particles[0].u != x.abc.particles[0].u);
}

TEST_CASE("hierarchical prior: a member's value is scale(location + spread x z)") {
    study::SweepParameter loc, spread, member;
    loc.name = "skill.location";
    loc.dist = study::Distribution::uniform;
    loc.low = -1;
    loc.high = 1;
    spread.name = "skill.spread";
    spread.dist = study::Distribution::uniform;
    spread.low = 0;
    spread.high = 2;
    member.name = "skill[a]";
    member.path = "teams[a].skill";
    member.dist = study::Distribution::normal;
    member.location = 0;
    member.spread = 1;
    for (const auto scale : {study::HierarchyScale::linear, study::HierarchyScale::log,
                             study::HierarchyScale::logit}) {
        member.scale = scale;
        const std::vector<study::SweepParameter> ps{loc, spread, member};
        // u = 0.75 -> location 0.5; u = 0.25 -> spread 0.5; u = Phi(1) -> z = 1.
        const std::vector<double> u{0.75, 0.25, 0.8413447460685429};
        const std::vector<double> v = study::point_values(ps, u);
        const double x = 0.5 + 0.5 * 1.0;
        const double expected = scale == study::HierarchyScale::linear ? x
                                : scale == study::HierarchyScale::log  ? std::exp(x)
                                                                       : 1 / (1 + std::exp(-x));
        CHECK(v[0] == Approx(0.5));
        CHECK(v[1] == Approx(0.5));
        CHECK(v[2] == Approx(expected).epsilon(1e-9));
        // Only the member sets a path; the population's parameters set nothing.
        const std::vector<std::string> sets = study::point_sets(ps, u);
        REQUIRE(sets.size() == 1);
        CHECK(sets[0].rfind("teams[a].skill=", 0) == 0);
        CHECK(std::stod(sets[0].substr(sets[0].find('=') + 1)) == Approx(expected));
    }
}

TEST_CASE("stage statistics: first, passed, disqualified and compute speak of one team") {
    // Stage 0: team 0 advanced (rank 2), team 1 first but disqualified, team 2 eliminated.
    programme::Result r;
    programme::StageRecord rec;
    rec.stage = 0;
    rec.rows = {{0, 30, 2, eval::Outcome::advanced, 0, 2e24},
                {1, 35, 1, eval::Outcome::disqualified, 0, 1e23},
                {2, 3, 3, eval::Outcome::eliminated, 0, 0}};
    rec.components = 1;
    rec.points = {30, 35, 3};
    r.stages.push_back(rec);
    using K = study::StatisticKind;
    const std::vector<study::ResolvedObservation> obs{
        {K::first, 0, {}, {1}},        {K::first, 0, {}, {0}},        {K::passed, 0, {}, {0}},
        {K::passed, 0, {}, {1}},       {K::passed, 0, {}, {2}},       {K::passed, 0, {}, {3}},
        {K::disqualified, 0, {}, {1}}, {K::disqualified, 0, {}, {0}}, {K::compute, 0, {}, {0}},
        {K::compute, 0, {}, {2}},      {K::compute, 0, {}, {3}},      {K::passed, 1, {}, {0}}};
    const std::vector<double> s = study::stage_statistics(r, obs);
    CHECK(s[0] == 1);
    CHECK(s[1] == 0);
    CHECK(s[2] == 1);
    CHECK(s[3] == 0);  // disqualified: not passed
    CHECK(s[4] == 0);
    CHECK(std::isnan(s[5]));  // not evaluated there
    CHECK(s[6] == 1);
    CHECK(s[7] == 0);
    CHECK(s[8] == Approx(std::log10(2e24)));
    CHECK(s[9] == 0);  // trained nothing: log10 of 1 FLOP
    CHECK(std::isnan(s[10]));
    CHECK(std::isnan(s[11]));  // a stage not reached
    CHECK(study::is_indicator(K::passed));
    CHECK_FALSE(study::is_indicator(K::compute));
}

namespace {
class MemoryStore : public study::SimulationStore {
  public:
    std::vector<study::StoredSimulation> sims;
    std::vector<study::StoredSimulation> load() const override { return sims; }
    void write(const std::vector<study::StoredSimulation>& batch) override {
        sims.insert(sims.end(), batch.begin(), batch.end());
    }
};
}  // namespace

TEST_CASE(
    "likelihood: a finished calibration resumed from its store simulates nothing and "
    "gives the same posterior") {
    study::CalibrationSpec spec = gaussian(13);
    spec.likelihood.particles = 100;
    spec.likelihood.replicates = 4;
    MemoryStore store;
    const study::CalibrationOutcome first =
        study::run_calibration(spec, {}, 1, {}, [&] { return &store; });
    REQUIRE(first.replicates_reused == 0);
    const study::CalibrationOutcome again =
        study::run_calibration(spec, {}, 2, {}, [&] { return &store; });
    REQUIRE(again.replicates_run == 0);
    REQUIRE(again.replicates_reused == first.replicates_run);
    for (std::size_t i = 0; i < first.abc.particles.size(); ++i)
        REQUIRE(again.abc.particles[i].u == first.abc.particles[i].u);
}

TEST_CASE(
    "likelihood: a gate's passed facts score P(every team that passed outscored every team "
    "that did not)") {
    // Columns: the facts "a passed" (1), "b passed" (0), "c passed" (1), then the points of a,
    // b and c. a's points are 0 and 2 (mean 1, variance 2, times 1 + 1/2: 3), b's 0 and 1
    // (mean 0.5, 0.5 x 1.5 = 0.75), c's 4 and 6 (mean 5, 3).
    const std::vector<std::vector<double>> reps{{1, 0, 1, 0, 0, 4}, {0, 1, 1, 2, 1, 6}};
    std::vector<study::Observation> obs(6);
    const char* names[] = {"a", "b", "c"};
    for (int t = 0; t < 3; ++t) {
        obs[t].name = std::string(names[t]);
        obs[t].kind = study::StatisticKind::passed;
        obs[t].stage = "review";
        obs[t].value = t == 1 ? 0 : 1;
        obs[t].gate_points = obs[t].name + ".points";
        obs[3 + t].name = obs[t].gate_points;
        obs[3 + t].kind = study::StatisticKind::points;
        obs[3 + t].stage = "review";
        obs[3 + t].tracked = true;
        obs[3 + t].weight = 0;
    }
    const std::vector<study::StatisticModel> models = study::statistic_models(obs);
    REQUIRE(models[0].gate_passed == std::vector<std::size_t>{3, 5});
    REQUIRE(models[0].gate_failed == std::vector<std::size_t>{4});
    REQUIRE(models[0].gate_facts == std::vector<std::size_t>{0, 1, 2});
    CHECK(models[1].weight == 0);  // scored by the stage's first fact
    CHECK(models[2].weight == 0);
    const std::vector<double> l = study::statistic_logliks(reps, models);
    // P(A > B and C > B) for independent normals = E_B[(1 - F_A(B)) (1 - F_C(B))]: by a
    // fine midpoint sum over B's density.
    const double sa = std::sqrt(3.0), sb = std::sqrt(0.75), sc = std::sqrt(3.0);
    double p = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        const double z = -10 + 20 * (i + 0.5) / n, b = 0.5 + sb * z;
        p += std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI) * (20.0 / n) * (1 - phi((b - 1) / sa)) *
             (1 - phi((b - 5) / sc));
    }
    CHECK(l[0] == Approx(std::log(p)).epsilon(1e-4));
    CHECK(l[1] == 0);
    CHECK(l[2] == 0);
    // Two teams: P(A > B) = Phi((m_a - m_b) / sqrt(v_a + v_b)).
    std::vector<study::Observation> two{obs[0], obs[1], obs[3], obs[4]};
    const std::vector<std::vector<double>> reps2{{1, 0, 0, 0}, {0, 1, 2, 1}};
    const std::vector<double> l2 = study::statistic_logliks(reps2, study::statistic_models(two));
    // (The quadrature: 512 steps over 16 sd, good to about 1e-5.)
    CHECK(l2[0] == Approx(std::log(phi(0.5 / std::sqrt(3.75)))).epsilon(1e-4));
    // Points defined in one replicate only: each fact on its own (Jeffreys), as without gates.
    const std::vector<std::vector<double>> once{{1, 0, 0, 0}, {1, 0, missing, missing}};
    const std::vector<double> l3 = study::statistic_logliks(once, study::statistic_models(two));
    CHECK(l3[0] == Approx(std::log(2.5 / 3) + std::log(2.5 / 3)));
    // Every fact on one side (nobody failed): each on its own too.
    two[1].value = 1;
    const std::vector<double> l4 = study::statistic_logliks(reps2, study::statistic_models(two));
    CHECK(l4[0] == Approx(std::log(1.5 / 3) + std::log(1.5 / 3)));
}
