#pragma once
#include <string>
#include <vector>

#include "kaisim/model/gpu.hpp"

namespace kaisim::model {

/// A data domain (Korean text, code, maths, ...) and what its tokens do and cost.
struct Domain {
    std::string id;
    double gamma = 0;                    ///< ability gain, logits per unit of ln(1 + T/tau)
    double tau_tokens = 1e9;             ///< token scale of the domain gain, tokens
    double purchase_share = 0;           ///< share of the purchase budget spent on it, 0..1
    double purchase_krw_per_mtok = 0;    ///< price of licensed tokens, KRW per million tokens
    double processing_krw_per_mtok = 0;  ///< cost to turn partner raw data into tokens, KRW per M
};

/// A consortium partner (shared partners are one entry, referenced by several teams).
struct Partner {
    std::string id;
    std::string name;
    std::vector<double> raw_tokens;  ///< raw data per domain, tokens (index = domain)
};

/// An applicant team and its latent (true) attributes.
struct Team {
    std::string id;
    std::string name;                ///< display name, UTF-8
    std::vector<int> partners;       ///< indices into Scenario::partners
    std::vector<GpuCount> own_gpus;  ///< GPUs the team brings itself
    double skill = 1.0;              ///< algorithmic-efficiency multiplier on compute, > 0
    double mfu = 0.38;               ///< model FLOP utilisation, 0..1
    /// Share of its programme training compute that goes into the flagship model it is
    /// evaluated on, (0, 1]: the rest trains experiments, ablations and other model sizes.
    double flagship_share = 1.0;
    double base_researchers = 50;   ///< researchers before programme hires, > 0
    double prior_flops = 0;         ///< training compute of its models before the start, FLOP
    std::vector<double> tokens;     ///< unique tokens per domain at the start
    double proposal_quality = 0.5;  ///< latent quality of its proposal, 0..1 (exclusive)
    double report_quality = 0.5;    ///< latent quality of its technical reports, 0..1 (excl.)
    bool lessor = false;            ///< whether the team leases GPUs to the programme
    double originality_violation_p =
        0;                           ///< chance of disqualification at a stage that checks, 0..1
    double entry_h = 0;              ///< when the team can first be evaluated (newcomers), hours
    bool applies_for_talent = true;  ///< whether it takes the talent money when funded
};

/// Per-replicate uncertainty about the teams' latent attributes (log-normal spreads).
struct TeamVariation {
    double skill_log_sd = 0;        ///< sd of ln(skill) around the stated value
    double prior_flops_log_sd = 0;  ///< sd of ln(prior FLOP) around the stated value
};

}  // namespace kaisim::model
