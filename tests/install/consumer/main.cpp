// Loads a scenario with the installed library, simulates one replicate and prints the finalists.
#include <iostream>

#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/run/replicate.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: consumer SCENARIO.yaml\n";
        return 2;
    }
    const kaisim::model::Scenario sc = kaisim::io::load_scenario(argv[1]);
    const kaisim::programme::PreparedScenario prepared = kaisim::programme::prepare(sc);
    const auto backend = kaisim::eval::make_backend("cpu", 1);
    const kaisim::programme::Result r = kaisim::run::run_replicate(prepared, 0, *backend);
    std::cout << "finalists:";
    for (int t : r.finalists) std::cout << " " << sc.teams[t].id;
    std::cout << "\n";
    return r.finalists.empty() ? 1 : 0;
}
