#pragma once
// The files of a policy search (kaisim optimise): the front, every policy run, the convergence,
// the summary and one overlay per front candidate; and the lines printed at the end.
#include <string>
#include <utility>
#include <vector>

#include "kaisim/study/optimisation.hpp"

namespace kaisim::io {

/// Every output file of a search but the store, as (file name, text), in the order written:
/// pareto-N.yaml for each front candidate, pareto.csv, convergence.csv, evaluated.csv and
/// optimise.json.
std::vector<std::pair<std::string, std::string>> optimisation_files(
    const study::OptimisationSpec& spec, const study::OptimisationOutcome& o,
    const std::string& version);

/// What the command prints at the end: the front's size, how many candidates dominate the plan,
/// the refused and constraint-breaking ones, the hypervolume's progress.
std::string optimisation_table(const study::OptimisationSpec& spec,
                               const study::OptimisationOutcome& o);

}  // namespace kaisim::io
