#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kaisim::io {

/// The manifest of an output set: the file `commit()` writes last into the folder.
inline constexpr const char* manifest_name = "kaisim-outputs.json";

/// One file of an output set, as its manifest lists it.
struct ManifestFile {
    std::string name;         ///< file name inside the folder (no folder part)
    std::uint64_t bytes = 0;  ///< its size
    std::string fnv1a64;      ///< FNV-1a 64-bit hash of its bytes, 16 hexadecimal digits
    bool derived = false;     ///< added later to the set (report.html): not checked by `report`
};

/// A folder's manifest: which kaisim wrote which complete set of outputs.
struct OutputManifest {
    std::string version;  ///< kaisim's version
    std::string kind;     ///< run, monte_carlo, compare or sweep
    std::string run_id;   ///< unique per set: UTC time and a random suffix
    std::string created;  ///< UTC time of the commit, ISO 8601
    std::vector<ManifestFile> files;
};

/// A set of output files written all-or-nothing. Each file goes to a temporary file created
/// exclusively (O_EXCL, O_NOFOLLOW, a random name) beside its final one and registered for
/// removal before anything is written into it; `commit()` renames them all. Files not committed
/// are removed on destruction and, once `install_cleanup_on_signals()` ran (or when SIGINT and
/// SIGTERM have their default action), on SIGINT, SIGTERM and SIGHUP. Errors throw
/// std::runtime_error with the system's reason ("cannot write out/x.csv: No space left on
/// device").
///
/// Constructed with a folder and a kind, the files form that folder's output set: `commit()`
/// moves the earlier set's manifest away (the folder is then marked incomplete), removes the
/// files of the earlier set (those its manifest names, never others) that the new set does not
/// rewrite, renames the new files in and writes the new manifest last. On failure it rolls back
/// what it can and never leaves a manifest that claims a set the folder does not hold.
class AtomicOutputs {
  public:
    /// Files anywhere, no manifest.
    AtomicOutputs();
    /// The output set of folder `dir` (which must exist), of command `kind` (run, monte_carlo,
    /// compare or sweep): replaces the folder's earlier set.
    AtomicOutputs(std::string dir, std::string kind);
    /// Files added to the set folder `dir` holds (e.g. report.html), listed in its manifest as
    /// derived; without a manifest in `dir`, files without one.
    explicit AtomicOutputs(std::string dir);
    AtomicOutputs(const AtomicOutputs&) = delete;
    AtomicOutputs& operator=(const AtomicOutputs&) = delete;
    ~AtomicOutputs();
    /// Writes `content` to a temporary file for `path`.
    void add(const std::string& path, const std::string& content);
    /// A stream into a temporary file for `path`, owned by this object, valid until commit() or
    /// destruction; a write error is reported by check() or commit().
    std::ostream& stream(const std::string& path);
    /// Throws std::runtime_error when writing into a stream() failed (e.g. the disk is full).
    void check() const;
    /// Renames every temporary file to its final name (and writes the manifest of a set).
    void commit();

    struct Pending;  ///< one file not yet committed (atomic_output.cpp)

  private:
    enum class Mode { plain, replace, extend };
    void create(const std::string& path);
    Mode mode_ = Mode::plain;
    std::string dir_, kind_;
    std::vector<std::unique_ptr<Pending>> pending_;
};

/// Installs handlers of SIGINT, SIGTERM and SIGHUP (those not ignored) that remove every
/// uncommitted temporary file of AtomicOutputs, then end the process by the same signal with its
/// default action. Only async-signal-safe calls run in the handler. A signal that arrives during
/// commit() waits until the commit has finished or rolled back. Call once, early in main().
void install_cleanup_on_signals();

/// Reads `dir`'s manifest; nullopt when it has none; throws std::runtime_error when it is not a
/// valid manifest.
std::optional<OutputManifest> read_manifest(const std::string& dir);

/// The start of an FNV-1a 64-bit hash (the hash a manifest records of each file).
inline constexpr std::uint64_t fnv1a64_offset = 14695981039346656037ull;

/// FNV-1a 64-bit hash `h` continued over `n` bytes.
inline std::uint64_t fnv1a64(std::uint64_t h, const char* data, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        h = (h ^ static_cast<unsigned char>(data[i])) * 1099511628211ull;
    return h;
}

/// A hash as a manifest writes it: 16 lower-case hexadecimal digits.
std::string fnv1a64_hex(std::uint64_t h);

}  // namespace kaisim::io
