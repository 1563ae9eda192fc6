#pragma once

namespace kaisim::model {

/// Chinchilla-form loss L(N, D) = E + A/N^alpha + B/D^beta, with the data-repetition rule.
struct ScalingLaw {
    double E = 0, A = 0, B = 0, alpha = 0, beta = 0;
    double r_star = 15.4;  ///< repetition half-life of Muennighoff et al. 2023 (arXiv 2305.16264)
    /// Besiroglu et al. 2024 refit of Chinchilla (arXiv 2404.10102).
    static ScalingLaw epoch() { return {1.8172, 482.01, 2085.43, 0.3478, 0.3658}; }
    /// Hoffmann et al. 2022 (arXiv 2203.15556), approach 3.
    static ScalingLaw hoffmann() { return {1.69, 406.4, 410.7, 0.34, 0.28}; }
};

/// A model a team can train: size, tokens and loss.
struct TrainedModel {
    double params = 0;            ///< N, parameters (active parameters for MoE)
    double tokens = 0;            ///< D = C / (6 N), tokens processed
    double effective_tokens = 0;  ///< D after discounting repeated epochs
    double loss = 0;              ///< L(N, D_eff), nats per token
};

/// How loss maps to ability on a logit scale: theta = kappa ln((L_ref - E)/(L - E)).
struct AbilityScale {
    double kappa = 2.0;       ///< logits per unit of log reducible loss (assumption)
    double ref_flops = 1e24;  ///< theta = 0 for the compute-optimal model at this compute
};

/// Effective data for `tokens` processed when only `unique_tokens` exist (Muennighoff et al.).
double effective_tokens(double tokens, double unique_tokens, double r_star);
/// The closed-form compute-optimal model for compute `flops` without a data limit.
TrainedModel compute_optimal(const ScalingLaw& law, double flops);
/// The loss-minimising model for `flops` of compute and `unique_tokens` of data (numerical).
TrainedModel best_model(const ScalingLaw& law, double flops, double unique_tokens);
/// Ability of a model with loss `loss`, in logits (0 at the reference compute).
double ability_from_loss(const ScalingLaw& law, const AbilityScale& scale, double loss);
/// The same, with the reference model's loss (compute_optimal(law, scale.ref_flops).loss)
/// already known: a constant of the scenario, three `pow`s saved per call.
double ability_from_loss(const ScalingLaw& law, const AbilityScale& scale, double loss,
                         double ref_loss);
/// Domain ability: theta + gamma ln(1 + tokens/tau).
double domain_ability(double theta, double gamma, double domain_tokens, double tau_tokens);

}  // namespace kaisim::model
