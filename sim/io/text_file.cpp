#include "kaisim/io/text_file.hpp"

#include <fstream>
#include <sstream>

namespace kaisim::io {

std::optional<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return text.str();
}

}  // namespace kaisim::io
