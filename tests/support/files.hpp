#pragma once
// File helpers shared by the tests.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace kaisim::test {

/// The whole content of a file, bytes as they are ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace kaisim::test
