#include <catch2/catch.hpp>

#include <cmath>

#include "kaisim/model/capability.hpp"

using namespace kaisim::model;

namespace {
double loss_at_compute(const ScalingLaw& law, double flops, double n) {
    const double d = flops / (6.0 * n);
    return law.E + law.A / std::pow(n, law.alpha) + law.B / std::pow(d, law.beta);
}
}  // namespace

TEST_CASE("capability: compute-optimal N* and D* match the closed form (Hoffmann fit)") {
    // Values computed by hand from FACTS §3: G = (alpha A / (beta B))^(1/(alpha+beta)),
    // N* = G (C/6)^(beta/(alpha+beta)), D* = C / (6 N*), at Chinchilla's 5.76e23 FLOP.
    const TrainedModel m = compute_optimal(ScalingLaw::hoffmann(), 5.76e23);
    REQUIRE(m.params == Approx(3.218986e10).epsilon(1e-6));
    REQUIRE(m.tokens == Approx(2.982306e12).epsilon(1e-6));
    REQUIRE(m.loss == Approx(1.930748).epsilon(1e-6));
}

TEST_CASE("capability: compute-optimal N* and D* match the closed form (Epoch fit)") {
    const TrainedModel m = compute_optimal(ScalingLaw::epoch(), 1e24);
    REQUIRE(m.params == Approx(9.586065e10).epsilon(1e-6));
    REQUIRE(m.tokens == Approx(1.738635e12).epsilon(1e-6));
    REQUIRE(m.loss == Approx(1.959712).epsilon(1e-6));
}

TEST_CASE("capability: the closed form is a minimum of L(N, C/6N)") {
    for (const ScalingLaw& law : {ScalingLaw::hoffmann(), ScalingLaw::epoch()}) {
        for (double c : {1e21, 1e24, 1e27}) {
            const TrainedModel m = compute_optimal(law, c);
            REQUIRE(loss_at_compute(law, c, m.params) < loss_at_compute(law, c, m.params * 1.01));
            REQUIRE(loss_at_compute(law, c, m.params) < loss_at_compute(law, c, m.params * 0.99));
        }
    }
}

TEST_CASE("capability: with ample data the best model is the compute-optimal one") {
    const ScalingLaw law = ScalingLaw::epoch();
    const TrainedModel a = compute_optimal(law, 1e25);
    const TrainedModel b = best_model(law, 1e25, 1e15);
    REQUIRE(b.params == a.params);
    REQUIRE(b.loss == a.loss);
}

TEST_CASE("capability: a data limit raises the loss and moves the optimum to larger models") {
    const ScalingLaw law = ScalingLaw::epoch();
    const double c = 1e25, unique = 1e12;  // D* is ~5.3e12: the limit binds
    const TrainedModel free = compute_optimal(law, c);
    const TrainedModel lim = best_model(law, c, unique);
    REQUIRE(lim.loss > free.loss);
    REQUIRE(lim.params > free.params);
    REQUIRE(lim.effective_tokens < lim.tokens);
    // No other size on a fine grid does better under the same data limit.
    for (double f = 0.25; f <= 4.0; f *= 1.05) {
        const double n = lim.params * f, d = c / (6 * n);
        const double l = law.E + law.A / std::pow(n, law.alpha) +
                         law.B / std::pow(effective_tokens(d, unique, law.r_star), law.beta);
        REQUIRE(l >= lim.loss - 1e-12);
    }
}

TEST_CASE("capability: repeated data follows Muennighoff's rule") {
    REQUIRE(effective_tokens(5e11, 1e12, 15.4) == 5e11);
    // Four epochs: R = 3 repeats -> U (1 + R* (1 - exp(-3/R*))).
    REQUIRE(effective_tokens(4e12, 1e12, 15.4) ==
            Approx(1e12 * (1 + 15.4 * (1 - std::exp(-3 / 15.4)))));
    // Infinite repetition saturates at U (1 + R*).
    REQUIRE(effective_tokens(1e18, 1e12, 15.4) == Approx(1e12 * 16.4).epsilon(1e-6));
}

TEST_CASE("capability: ability is 0 at the reference compute and ~0.8 logits per 10x") {
    const ScalingLaw law = ScalingLaw::epoch();
    const AbilityScale scale;
    REQUIRE(ability_from_loss(law, scale, compute_optimal(law, 1e24).loss) ==
            Approx(0).margin(1e-12));
    const double per_decade = ability_from_loss(law, scale, compute_optimal(law, 1e25).loss);
    // kappa ln(10) alpha beta / (alpha + beta) = 2 x 2.3026 x 0.1783 = 0.821.
    REQUIRE(per_decade ==
            Approx(2 * std::log(10.0) * 0.3478 * 0.3658 / (0.3478 + 0.3658)).epsilon(1e-9));
    REQUIRE(domain_ability(1.0, 0.3, 0, 1e9) == 1.0);
    REQUIRE(domain_ability(1.0, 0.3, 1e9, 1e9) == Approx(1.0 + 0.3 * std::log(2.0)));
}
