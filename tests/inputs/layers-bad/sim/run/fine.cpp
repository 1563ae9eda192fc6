// Allowed: run may include core.
#include "kaisim/core/engine.hpp"
