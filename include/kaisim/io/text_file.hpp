#pragma once
#include <optional>
#include <string>

namespace kaisim::io {

/// The whole content of a file, bytes as they are; nullopt when it cannot be read (the caller
/// chooses the error: a located InputError for inputs, a plain one for outputs).
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace kaisim::io
