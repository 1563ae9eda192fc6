#pragma once
#include <string>
#include <vector>

namespace kaisim::io {

/// A set of output files written all-or-nothing: each goes to a temporary name beside its final
/// one, and `commit()` renames them all. Files not committed are removed on destruction, so a
/// failure never leaves a half-written file under a final name.
class AtomicOutputs {
  public:
    AtomicOutputs() = default;
    AtomicOutputs(const AtomicOutputs&) = delete;
    AtomicOutputs& operator=(const AtomicOutputs&) = delete;
    ~AtomicOutputs();
    /// Writes `content` to a temporary file for `path` (throws std::runtime_error on failure).
    void add(const std::string& path, const std::string& content);
    /// Registers a file the caller streams into itself; returns the temporary name to write.
    std::string stream(const std::string& path);
    /// Renames every temporary file to its final name.
    void commit();

  private:
    std::vector<std::pair<std::string, std::string>> pending_;  // (temporary, final)
};

}  // namespace kaisim::io
