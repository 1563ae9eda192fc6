#pragma once
#include <string>

#include "kaisim/study/optimisation.hpp"

namespace kaisim::io {

/// Reads a search file (kaisim optimise): `search` (name, scenario, overlays), `levers` (as a
/// sweep's parameters), `objectives` ({metric, direction: maximise|minimise}), `algorithm`
/// ({name: nsga2|moead, population, generations, seed}) and `replicates`. Bad input throws
/// InputError (file:line:col); paths are relative to the file.
study::OptimisationSpec load_optimisation(const std::string& path);

}  // namespace kaisim::io
