#include "kaisim/model/policy_settings.hpp"

namespace kaisim::model {

const char* category_name(Category c) {
    switch (c) {
        case Category::gpu: return "gpu";
        case Category::data: return "data";
        case Category::talent: return "talent";
    }
    return "?";
}

}  // namespace kaisim::model
