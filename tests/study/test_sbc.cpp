#include <catch2/catch.hpp>

#include <cmath>

#include "kaisim/study/sbc.hpp"
#include "kaisim/study_files/calibration_file.hpp"
#include "kaisim/study_files/sweep_file.hpp"

using namespace kaisim;

namespace {
// The share k / n is consistent with p at the 1% level: inside p +- 2.576 binomial sds.
bool binomial_ok(double share, double n, double p, double sds) {
    return std::abs(share - p) <= sds * std::sqrt(p * (1 - p) / n);
}

// Every parameter's ranks pass the chi-square test at 1% / the number of parameters
// (Bonferroni: the whole check fails by chance once in a hundred), and the coverages of the
// central 50% and 90% of its 19 posterior draws are binomially consistent with 0.5 and 0.9 at
// 1% / the number of parameters (the 1% quantile 2.576 sds becomes 3.4 sds for 12).
void require_calibrated(const study::SbcResult& r, std::uint32_t bins) {
    const double n = static_cast<double>(r.ranks.size());
    const double level = 0.01 / static_cast<double>(r.names.size());
    for (std::size_t p = 0; p < r.names.size(); ++p) {
        INFO("parameter " << r.names[p]);
        CHECK(study::sbc_uniformity_p(r, p, bins) > level);
        const double sds = r.names.size() == 1 ? 2.576 : 3.4;
        CHECK(binomial_ok(study::sbc_rank_coverage(r, p, 0.5), n, 0.5, sds));
        CHECK(binomial_ok(study::sbc_rank_coverage(r, p, 0.9), n, 0.9, sds));
    }
}
}  // namespace

TEST_CASE("sbc: the likelihood sampler's ranks are uniform on the conjugate Gaussian model") {
    study::CalibrationSpec spec;
    spec.model = study::CalibrationModel::gaussian_mean;
    spec.method = study::CalibrationMethod::likelihood;
    spec.gaussian_sigma = 5;
    spec.gaussian_n = 25;
    study::SweepParameter theta;
    theta.name = "theta";
    theta.dist = study::Distribution::normal;
    theta.sd = 2;
    spec.parameters.push_back(theta);
    study::Observation y;
    y.name = "ybar";
    spec.observations.push_back(y);
    spec.likelihood.particles = 200;
    spec.likelihood.replicates = 16;
    spec.likelihood.seed = 21;
    study::SbcSettings s;
    s.truths = 300;
    s.seed = 4;
    const study::SbcResult r = study::run_sbc(spec, {}, 1, s);
    REQUIRE(r.ranks.size() == 300);
    REQUIRE(r.draws == 19);
    require_calibrated(r, 5);
    // The check can fail: a posterior four times too confident (the datum counted four times)
    // piles the ranks at both ends.
    study::CalibrationSpec over = spec;
    over.observations[0].weight = 4;
    const study::SbcResult bad = study::run_sbc(over, {}, 1, s);
    CHECK(study::sbc_uniformity_p(bad, 0, 5) < 1e-6);
}

TEST_CASE("sbc: the team calibration's ranks are uniform on a small programme") {
    const std::string file = KAISIM_SOURCE_DIR "/tests/inputs/sbc-teams-calibration.yaml";
    const study::CalibrationSpec spec = io::load_calibration(file);
    REQUIRE(spec.parameters.size() == 12);  // two populations of four teams
    study::SbcSettings s;
    s.truths = 40;
    s.seed = 6;
    const study::SbcResult r =
        study::run_sbc(spec, io::scenario_source(spec.scenario, spec.overlays), 2, s);
    REQUIRE(r.ranks.size() == 40);
    require_calibrated(r, 5);
}
