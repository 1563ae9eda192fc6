#include "kaisim/core/set_kinds.hpp"

namespace kaisim::core {

namespace {
thread_local const SetKinds* current = nullptr;
}

SetKinds::SetKinds(std::map<std::string, SetKind> kinds)
    : kinds_(std::move(kinds)), outer_(current) {
    current = this;
}

SetKinds::~SetKinds() {
    current = outer_;
}

const SetKinds* SetKinds::active() {
    return current;
}

std::optional<SetKind> SetKinds::kind(const std::string& assignment) const {
    const auto it = kinds_.find(assignment);
    if (it == kinds_.end()) return std::nullopt;
    return it->second;
}

}  // namespace kaisim::core
