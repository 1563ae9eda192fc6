#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace kaisim::core {

/// Levenshtein distance between two byte strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The closest candidate to `word` within a small edit distance (at most a third of its length,
/// at least 2), or "" when none is close: for "did you mean" messages.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace kaisim::core
