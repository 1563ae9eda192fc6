#include "kaisim/programme/result.hpp"

namespace kaisim::programme {

const char* status_name(TeamStatus s) {
    switch (s) {
        case TeamStatus::finalist: return "finalist";
        case TeamStatus::eliminated: return "eliminated";
        case TeamStatus::not_evaluated: return "not_evaluated";
    }
    return "?";
}

}  // namespace kaisim::programme
