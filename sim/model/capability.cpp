#include "kaisim/model/capability.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/math/tools/minima.hpp>

namespace kaisim::model {

double effective_tokens(double tokens, double unique_tokens, double r_star) {
    if (!(unique_tokens > 0)) return 0;
    if (tokens <= unique_tokens) return tokens;
    const double repeats = tokens / unique_tokens - 1.0;
    return unique_tokens + unique_tokens * r_star * (1.0 - std::exp(-repeats / r_star));
}

namespace {
double loss_at(const ScalingLaw& law, double n, double d_eff) {
    return law.E + law.A / std::pow(n, law.alpha) + law.B / std::pow(d_eff, law.beta);
}
}  // namespace

TrainedModel compute_optimal(const ScalingLaw& law, double flops) {
    const double g = std::pow(law.alpha * law.A / (law.beta * law.B), 1.0 / (law.alpha + law.beta));
    const double n = g * std::pow(flops / 6.0, law.beta / (law.alpha + law.beta));
    const double d = flops / (6.0 * n);
    return {n, d, d, loss_at(law, n, d)};
}

TrainedModel best_model(const ScalingLaw& law, double flops, double unique_tokens) {
    const TrainedModel unconstrained = compute_optimal(law, flops);
    if (unconstrained.tokens <= unique_tokens) return unconstrained;
    // With too little data the optimum moves to larger N (fewer tokens, fewer repeats).
    // L(ln N) is unimodal here: Brent's minimiser (Boost.Math; parabolic steps, golden-section
    // fallback) on ln N between the compute-optimal size and the size that sees each unique token
    // once at most (where repeats stop helping), to half a double's digits (Boost.Math's limit
    // for a minimum: the loss is flat there to second order), about 1e-7 of N.
    auto eval = [&](double log_n) {
        const double n = std::exp(log_n);
        const double d = flops / (6.0 * n);
        return loss_at(law, n, effective_tokens(d, unique_tokens, law.r_star));
    };
    const double lo = std::log(unconstrained.params);
    double hi =
        std::log(std::max(unconstrained.params, flops / (6.0 * std::max(unique_tokens, 1.0))));
    hi += 1.0;  // margin: the optimum can sit just past one epoch
    std::uintmax_t evaluations = 200;
    const double log_n = boost::math::tools::brent_find_minima(
                             eval, lo, hi, std::numeric_limits<double>::digits / 2, evaluations)
                             .first;
    const double n = std::exp(log_n);
    const double d = flops / (6.0 * n);
    const double d_eff = effective_tokens(d, unique_tokens, law.r_star);
    return {n, d, d_eff, loss_at(law, n, d_eff)};
}

double ability_from_loss(const ScalingLaw& law, const AbilityScale& scale, double loss) {
    return ability_from_loss(law, scale, loss, compute_optimal(law, scale.ref_flops).loss);
}

double ability_from_loss(const ScalingLaw& law, const AbilityScale& scale, double loss,
                         double ref) {
    const double reducible = loss - law.E;
    if (!(reducible > 0)) return std::numeric_limits<double>::infinity();
    return scale.kappa * std::log((ref - law.E) / reducible);
}

double domain_ability(double theta, double gamma, double domain_tokens, double tau_tokens) {
    return theta + gamma * std::log1p(domain_tokens / tau_tokens);
}

}  // namespace kaisim::model
