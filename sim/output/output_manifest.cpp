#include "kaisim/output/output_manifest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "kaisim/scenario/text_file.hpp"

namespace kaisim::io {

namespace fs = std::filesystem;

bool is_manifest_file_name(const std::string& n) {
    return !n.empty() && n != "." && n != ".." && n.find('/') == std::string::npos &&
           n != manifest_name;
}

std::string manifest_text(const OutputManifest& m) {
    nlohmann::ordered_json j;
    j["format"] = "kaisim output set";
    j["kaisim"] = m.version;
    j["kind"] = m.kind;
    j["run_id"] = m.run_id;
    j["created"] = m.created;
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const ManifestFile& f : m.files)
        files.push_back(
            {{"name", f.name}, {"bytes", f.bytes}, {"fnv1a64", f.fnv1a64}, {"derived", f.derived}});
    j["files"] = files;
    return j.dump(2) + "\n";
}

std::optional<std::pair<std::uint64_t, std::string>> file_digest(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::uint64_t h = fnv1a64_offset, bytes = 0;
    std::vector<char> buf(1 << 16);
    for (ssize_t r; (r = ::read(fd, buf.data(), buf.size())) != 0;) {
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            ::close(fd);
            return std::nullopt;
        }
        h = fnv1a64(h, buf.data(), static_cast<std::size_t>(r));
        bytes += static_cast<std::uint64_t>(r);
    }
    ::close(fd);
    return std::make_pair(bytes, fnv1a64_hex(h));
}

std::string fnv1a64_hex(std::uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::optional<OutputManifest> read_manifest(const std::string& dir) {
    const std::string path = (fs::path(dir) / manifest_name).string();
    std::error_code ec;
    const fs::file_type type = fs::symlink_status(path, ec).type();
    if (type == fs::file_type::not_found) return std::nullopt;
    if (type != fs::file_type::regular) throw std::runtime_error(path + " is not a regular file");
    const std::optional<std::string> text = read_text_file(path);
    if (!text) throw std::runtime_error("cannot read " + path);
    try {
        const nlohmann::json j = nlohmann::json::parse(*text);
        if (j.at("format") != "kaisim output set") throw std::runtime_error("unknown format");
        const auto text_at = [](const nlohmann::json& o, const char* k) {
            return o.at(k).get<std::string>();
        };
        OutputManifest m{text_at(j, "kaisim"),
                         text_at(j, "kind"),
                         text_at(j, "run_id"),
                         text_at(j, "created"),
                         {}};
        for (const auto& f : j.at("files")) {
            ManifestFile mf{text_at(f, "name"), f.at("bytes").get<std::uint64_t>(),
                            text_at(f, "fnv1a64"), f.at("derived").get<bool>()};
            if (!is_manifest_file_name(mf.name))
                throw std::runtime_error("bad file name " + mf.name);
            m.files.push_back(mf);
        }
        return m;
    } catch (const std::exception& e) {
        throw std::runtime_error(path + " is not a valid kaisim manifest (" + e.what() + ")");
    }
}

}  // namespace kaisim::io
