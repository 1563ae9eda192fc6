// kaisim validate: read a scenario, run nothing.
#include <iostream>

#include "command.hpp"

namespace kaisim::cli {

Command add_validate(CLI::App& app) {
    auto a = std::make_shared<ScenarioArgs>();
    CLI::App* cmd = app.add_subcommand("validate", "check a scenario file without running it");
    add_scenario_options(*cmd, *a);
    return {cmd, [a] {
                const model::Scenario sc = load(*a);
                std::cout << a->file << ": ok (" << sc.teams.size() << " teams, "
                          << sc.stages.size() << " stages, " << sc.benchmarks.size()
                          << " benchmarks)\n";
                return 0;
            }};
}

}  // namespace kaisim::cli
