#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kaisim/output/output_manifest.hpp"

namespace kaisim::io {

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
    /// The output set of folder `dir`, of command `kind` (run, monte_carlo, compare or sweep):
    /// replaces the folder's earlier set. The folder (and its missing parents) is created when
    /// the first file is added; if the set is never committed, those folders are removed again
    /// (when empty): a failed command leaves --out as it was. Throws std::runtime_error at once
    /// when `dir` is a file or a symbolic link to nothing.
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
    /// What a failure before the renames leaves, said after its reason ("" for plain files).
    const char* kept() const;
    Mode mode_ = Mode::plain;
    std::string dir_, kind_;
    bool made_ = false, committed_ = false;
    std::vector<std::string> created_;  ///< folders this set created, outermost first
    std::vector<std::unique_ptr<Pending>> pending_;
};

/// Creates the folder `dir` and its missing parents (for a store that lives beside an output
/// set); throws std::runtime_error naming it when something other than a folder is in the way
/// (a file, a symbolic link to nothing) or with the system's reason.
void make_output_folder(const std::string& dir);

/// Installs handlers of SIGINT, SIGTERM and SIGHUP (those not ignored) that remove every
/// uncommitted temporary file of AtomicOutputs, then end the process by the same signal with its
/// default action. Only async-signal-safe calls run in the handler. A signal that arrives during
/// commit() waits until the commit has finished or rolled back. Call once, early in main().
void install_cleanup_on_signals();

}  // namespace kaisim::io
