#pragma once
#include <string>
#include <vector>

namespace kaisim::model {

/// A benchmark whose item parameters are drawn once per scenario seed (3PL item response model).
struct Benchmark {
    std::string id;
    int domain = -1;                     ///< index into Scenario::domains; -1 = general ability
    int items = 0;                       ///< number of items, > 0
    double discrimination_log_mean = 0;  ///< a ~ LogNormal(mean, sd)
    double discrimination_log_sd = 0.3;
    double difficulty_mean = 0;  ///< b ~ Normal(mean, sd), logits
    double difficulty_sd = 1.0;  ///< (assumption)
    double guessing = 0.25;      ///< c, e.g. 0.25 for 4-way multiple choice
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
    double ability_weight = 0;    ///< panels: weight of (theta_d - theta_ref)
    double proposal_weight = 0;   ///< panels: weight of logit(proposal quality)
    double report_weight = 0;     ///< panels: weight of logit(report quality)
    int users = 0;                ///< users: number of users
    double reference_offset = 0;  ///< panels, users: reference ability = frontier + offset
};

/// How ties on total score are broken.
enum class TieBreak { order, lottery };

/// Who a stage evaluates.
enum class Eligibility {
    all,        ///< every applicant that has entered by the stage date
    survivors,  ///< the teams still in the race
    wildcard,   ///< teams out of the race (eliminated, disqualified) and newcomers that entered
    listed,     ///< the teams named in Stage::listed
};

/// What a disqualified team's place does at a cut.
enum class DisqualifiedSlot {
    vacant,  ///< the place stays empty (as in the reference programme's stage 1)
    refill,  ///< the next team on score takes it
};

/// Rules applied at a stage besides the score cut.
struct StageRules {
    bool disqualification = false;  ///< draw each team's originality violation
    DisqualifiedSlot disqualified_slot = DisqualifiedSlot::vacant;
    double min_score = -1;        ///< teams below this total are eliminated (< 0: no rule)
    int frontier_component = -1;  ///< pass rule: this component's raw value must reach ...
    double frontier_share = 0;    ///< ... this share of the frontier model's expected value
};

/// A stage gate: evaluate the eligible teams on a date, keep the top `keep`. A wildcard stage
/// admits its top `keep` back into the race, or with `fill_to` its top max(0, fill_to - teams in
/// the race), at most `keep`.
struct Stage {
    std::string id;
    std::string name;
    double t_h = 0;  ///< hours since the programme start
    Eligibility eligible = Eligibility::survivors;
    std::vector<int> listed;  ///< Eligibility::listed: team indices
    bool wildcard = false;    ///< kept teams are `admitted` and join the survivors
    int keep = 0;             ///< teams kept (or admitted), >= 1
    int fill_to = -1;  ///< wildcard: admit only enough to bring the race to this size (< 0: keep)
    TieBreak tie_break = TieBreak::order;
    std::vector<Component> components;
    StageRules rules;
};

}  // namespace kaisim::model
