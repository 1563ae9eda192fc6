// check-layers must reject this tree: core includes a header of the run layer.
#include "kaisim/run/replicate.hpp"
