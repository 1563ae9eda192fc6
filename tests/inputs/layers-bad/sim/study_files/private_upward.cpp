// check-layers must reject this: a study file reader includes a private header of store.
#include "../store/sqlite_file.hpp"
