#include <catch2/catch.hpp>

#include <cmath>

#include "kaisim/study/calibration.hpp"

using namespace kaisim;

namespace {
// theta ~ N(0, 2^2) a priori; 25 observations with sd 5 average to 1.5 (sd of the mean 1).
study::CalibrationSpec gaussian(std::uint32_t seed) {
    study::CalibrationSpec spec;
    spec.model = study::CalibrationModel::gaussian_mean;
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
    y.value = 1.5;
    spec.observations.push_back(y);
    spec.abc.particles = 1000;
    spec.abc.replicates = 1;
    spec.abc.generations = 12;
    spec.abc.alpha = 0.5;
    spec.abc.min_acceptance = 0.01;
    spec.abc.seed = seed;
    return spec;
}
}  // namespace

TEST_CASE("calibration: ABC-SMC recovers the exact posterior of a Gaussian mean") {
    const study::CalibrationSpec spec = gaussian(3);
    const study::CalibrationOutcome o = study::run_calibration(spec, {}, 1);
    // Conjugate posterior: precision 1/4 + 1 = 1.25, mean 1.5 / 1.25 = 1.2, sd 1/sqrt(1.25).
    const double mean = 1.2, sd = 1 / std::sqrt(1.25);
    const study::AbcGeneration& last = o.abc.generations.back();
    REQUIRE(o.abc.generations.size() >= 6);
    // ABC accepts |ybar_sim - ybar| <= eps: the posterior of a datum with extra uniform noise of
    // variance eps^2 / 3. The last tolerance (in the datum's units: tolerance x scale) must be
    // small enough that this widens the sd by under 2%.
    const double eps = last.tolerance * o.abc.scales[0];
    const double abc_sd = 1 / std::sqrt(0.25 + 1 / (1 + eps * eps / 3));
    REQUIRE(abc_sd / sd < 1.02);
    // The weighted mean is within 4 of its standard errors (sd / sqrt(ESS)); the weighted sd
    // within 4 standard errors of an sd (sd / sqrt(2 ESS)), plus the ABC widening.
    const double ess = last.ess;
    REQUIRE(ess > 200);
    const study::ParameterPosterior& p = o.posterior.at(0);
    REQUIRE(std::abs(p.mean - mean) < 4 * sd / std::sqrt(ess));
    REQUIRE(std::abs(p.sd - sd) < 4 * sd / std::sqrt(2 * ess) + (abc_sd - sd));
    // Weights are normalised, and every particle lies inside the prior's support.
    double w = 0;
    for (const study::AbcParticle& q : o.abc.particles) {
        w += q.weight;
        REQUIRE(q.u[0] > 0);
        REQUIRE(q.u[0] < 1);
    }
    REQUIRE(w == Approx(1));
}

TEST_CASE("calibration: the same seed gives the same posterior, whatever the batch") {
    study::CalibrationSpec a = gaussian(5), b = gaussian(5);
    a.abc.particles = b.abc.particles = 200;
    a.abc.generations = b.abc.generations = 4;
    b.abc.batch = 37;
    const study::CalibrationOutcome x = study::run_calibration(a, {}, 1);
    const study::CalibrationOutcome y = study::run_calibration(b, {}, 2);
    REQUIRE(x.abc.particles.size() == y.abc.particles.size());
    for (std::size_t i = 0; i < x.abc.particles.size(); ++i) {
        REQUIRE(x.abc.particles[i].u == y.abc.particles[i].u);
        REQUIRE(x.abc.particles[i].weight == y.abc.particles[i].weight);
    }
    REQUIRE(x.abc.replicates_simulated == y.abc.replicates_simulated);
}

TEST_CASE("calibration: stage statistics read a score table as the published figures do") {
    // Three teams at stage 0 with two components: a (10 + 20 = 30), b (5 + 30 = 35), c (1 + 2).
    programme::Result r;
    programme::StageRecord rec;
    rec.stage = 0;
    rec.rows = {{0, 30, 2, eval::Outcome::advanced, 0},
                {1, 35, 1, eval::Outcome::advanced, 0},
                {2, 3, 3, eval::Outcome::eliminated, 0}};
    rec.components = 2;
    rec.points = {10, 20, 5, 30, 1, 2};
    r.stages.push_back(rec);
    using K = study::StatisticKind;
    const std::vector<study::ResolvedObservation> obs{
        {K::best, 0, {}, {}},  {K::mean, 0, {}, {}},        {K::best, 0, {0}, {}},
        {K::mean, 0, {1}, {}}, {K::top_set, 0, {}, {0, 1}}, {K::top_set, 0, {}, {0, 2}},
        {K::last, 0, {}, {2}}, {K::last, 0, {}, {0}},       {K::best, 1, {}, {}}};
    const std::vector<double> s = study::stage_statistics(r, obs);
    REQUIRE(s[0] == 35);
    REQUIRE(s[1] == Approx(68.0 / 3));
    REQUIRE(s[2] == 10);
    REQUIRE(s[3] == Approx(52.0 / 3));
    REQUIRE(s[4] == 1);
    REQUIRE(s[5] == 0);
    REQUIRE(s[6] == 1);
    REQUIRE(s[7] == 0);
    REQUIRE(std::isnan(s[8]));  // a stage the replicate did not reach
}

namespace {
// Keeps simulations in memory; after `fail_after` writes, a write throws, as a kill would stop
// the run (the batch in flight is lost).
class FlakyStore : public study::SimulationStore {
  public:
    std::vector<study::StoredSimulation> sims;
    int fail_after = -1;
    std::vector<study::StoredSimulation> load() const override { return sims; }
    void write(const std::vector<study::StoredSimulation>& batch) override {
        if (fail_after >= 0 && writes_++ >= fail_after) throw std::runtime_error("killed");
        sims.insert(sims.end(), batch.begin(), batch.end());
    }

  private:
    int writes_ = 0;
};
}  // namespace

TEST_CASE(
    "calibration: a calibration stopped mid-run resumes from its store to the same posterior, "
    "simulating only what the store lacks") {
    study::CalibrationSpec spec = gaussian(11);
    spec.abc.particles = 200;
    spec.abc.generations = 5;
    spec.abc.batch = 50;
    const study::CalibrationOutcome whole = study::run_calibration(spec, {}, 1);
    REQUIRE(whole.replicates_reused == 0);
    REQUIRE(whole.replicates_run >= whole.abc.replicates_simulated);

    FlakyStore store;
    store.fail_after = 9;  // generation 0 takes 4 batches: the kill falls in a later generation
    REQUIRE_THROWS_WITH(study::run_calibration(spec, {}, 1, {}, [&] { return &store; }), "killed");
    const std::uint64_t stored = store.sims.size() * spec.abc.replicates;
    REQUIRE(stored > 4 * 50 * spec.abc.replicates);  // generation 0 and some of the next
    REQUIRE(stored < whole.replicates_run);
    store.fail_after = -1;
    const study::CalibrationOutcome resumed =
        study::run_calibration(spec, {}, 2, {}, [&] { return &store; });
    REQUIRE(resumed.replicates_reused == stored);
    REQUIRE(resumed.replicates_run + resumed.replicates_reused == whole.replicates_run);
    REQUIRE(resumed.abc.particles.size() == whole.abc.particles.size());
    for (std::size_t i = 0; i < whole.abc.particles.size(); ++i) {
        REQUIRE(resumed.abc.particles[i].u == whole.abc.particles[i].u);
        REQUIRE(resumed.abc.particles[i].weight == whole.abc.particles[i].weight);
    }
    REQUIRE(resumed.posterior.front().mean == whole.posterior.front().mean);

    // A finished calibration resumed simulates nothing.
    const study::CalibrationOutcome again =
        study::run_calibration(spec, {}, 1, {}, [&] { return &store; });
    REQUIRE(again.replicates_run == 0);
    REQUIRE(again.replicates_reused == whole.replicates_run);
    REQUIRE(again.posterior.front().q50 == whole.posterior.front().q50);
}
