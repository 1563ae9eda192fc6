// Allowed: report may include output, store and scenario (all lower).
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/scenario/text_file.hpp"
#include "kaisim/store/sweep_store.hpp"
