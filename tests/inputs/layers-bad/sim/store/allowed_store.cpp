// Allowed: store holds SQLite and writes CSV cells with output's helpers.
#include <sqlite3.h>

#include "kaisim/output/run_outputs.hpp"
