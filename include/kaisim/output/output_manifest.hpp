#pragma once
// The manifest of an output set (kaisim-outputs.json): written last by AtomicOutputs::commit(),
// read by `kaisim report` and by the next commit into the same folder.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
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

/// Whether `name` may stand in a manifest: a file name inside the folder (no folder part, not
/// "." or "..", not the manifest itself).
bool is_manifest_file_name(const std::string& name);

/// The manifest's text (JSON).
std::string manifest_text(const OutputManifest& m);

/// Size and FNV-1a 64-bit hash (as fnv1a64_hex) of a file, symbolic links not followed;
/// nullopt when it cannot be read.
std::optional<std::pair<std::uint64_t, std::string>> file_digest(const std::string& path);

}  // namespace kaisim::io
