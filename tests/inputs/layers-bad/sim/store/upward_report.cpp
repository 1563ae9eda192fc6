// check-layers must reject this: store includes a header of report, a higher folder.
#include "kaisim/report/report.hpp"
