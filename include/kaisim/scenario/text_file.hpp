#pragma once
#include <cstddef>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace kaisim::io {

/// The largest input file kaisim reads (scenario, overlay, sweep file): 8 MiB, a hundred times
/// the largest scenario in scenarios/.
inline constexpr std::size_t max_input_bytes = std::size_t{8} << 20;

/// The whole content of a file, bytes as they are; nullopt when it cannot be read (the caller
/// chooses the error: a located InputError for inputs, a plain one for outputs).
std::optional<std::string> read_text_file(const std::string& path);

/// A fingerprint of what a stored run depends on: the 64-bit FNV-1a hash of `text`, the
/// contents of `files` (one that cannot be read counts as empty), then `extra`, in hexadecimal.
std::string files_fingerprint(const std::string& text, const std::vector<std::string>& files,
                              const std::string& extra);

/// A fingerprint of the running program's executable (the FNV-1a hash of /proc/self/exe; ""
/// where it cannot be read): stored runs resume only under the build that started them, since
/// a rebuilt simulator may simulate differently under the same version number.
std::string executable_fingerprint();

/// An input file opened for reading (binary): throws InputError at `path`:1:1 when it is a folder
/// or cannot be opened (with the system's reason).
std::ifstream open_input_file(const std::string& path);

/// An input file's text: throws InputError (`path:1:1` or at the offending byte) when it is a
/// folder, cannot be opened (with the system's reason), is larger than max_input_bytes, holds a
/// NUL byte, or is not valid UTF-8.
std::string read_input_file(const std::string& path);

/// Throws InputError at the first byte of `text` that is not valid UTF-8 or is NUL ("not a text
/// file"), located in `path` with `text` starting at line `first_line`.
void check_text(const std::string& text, const std::string& path, int first_line = 1);

/// The position (line, column, both 1-based) of the first byte of `text` that is not valid UTF-8
/// (NUL counts as invalid), or nullopt when all of it is.
std::optional<std::pair<int, int>> invalid_utf8_at(const std::string& text);

}  // namespace kaisim::io
