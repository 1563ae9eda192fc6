#pragma once
#include <string>
#include <vector>

namespace kaisim::model {

/// A benchmark whose item parameters are drawn once per scenario seed (3PL item response model).
struct Benchmark {
    std::string id;
    int domain = -1;                    ///< index into Scenario::domains; -1 = general ability
    int items = 0;                      ///< number of items, > 0
    double discrimination_log_mean = 0; ///< a ~ LogNormal(mean, sd)
    double discrimination_log_sd = 0.3;
    double difficulty_mean = 0;         ///< b ~ Normal(mean, sd), logits
    double difficulty_sd = 1.0;
    double guessing = 0.25;             ///< c, e.g. 0.25 for 4-way multiple choice
};

enum class ComponentKind {
    benchmarks,    ///< fraction of items correct, averaged over the component's benchmarks
    expert_panel,  ///< judges grade perceived quality (ability, report)
    user_eval,     ///< fraction of users preferring the team's model over a reference model
    review,        ///< document or presentation review: judges grade the proposal
};

/// How a component's raw value becomes points (x weight).
enum class Normalisation { raw, relative_to_best, relative_to_target, min_max };
/// How judges' grades are combined.
enum class Aggregation { mean, trimmed_mean };

/// One scored component of a stage evaluation.
struct Component {
    std::string id;
    ComponentKind kind = ComponentKind::benchmarks;
    double weight = 0;  ///< points, >= 0
    Normalisation normalisation = Normalisation::relative_to_best;
    bool target_is_frontier = false;  ///< relative_to_target: the frontier model's expected value
    double target = 1.0;              ///< relative_to_target: a fixed target raw value
    std::vector<int> benchmarks;      ///< benchmarks: indices into Scenario::benchmarks
    int domain = -1;                  ///< panels and users: domain of the ability seen
    int judges = 0;                   ///< panels: number of judges
    double noise_sd = 0;              ///< panels: judge noise, logits
    double bias_sd = 0;               ///< panels: sd of a bias shared by all judges of a team
    Aggregation aggregation = Aggregation::mean;
    double ability_weight = 0;   ///< panels: weight of (theta_d - theta_ref)
    double proposal_weight = 0;  ///< panels: weight of logit(proposal quality)
    double report_weight = 0;    ///< panels: weight of logit(report quality)
    int users = 0;               ///< users: number of users
    double reference_offset = 0; ///< panels, users: reference ability = frontier + offset
};

/// How ties on total score are broken.
enum class TieBreak { order, lottery };

/// A stage gate: evaluate the eligible teams on a date, keep the top `keep`.
struct Stage {
    std::string id;
    std::string name;
    double t_h = 0;          ///< hours since the programme start
    bool eligible_all = false;  ///< all applicants (else the survivors of the previous stage)
    int keep = 0;            ///< teams kept, 1..eligible
    TieBreak tie_break = TieBreak::order;
    std::vector<Component> components;
};

}  // namespace kaisim::model
