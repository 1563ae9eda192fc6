#include "kaisim/scenario/text_file.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kaisim/core/error.hpp"

namespace kaisim::io {

std::string files_fingerprint(const std::string& text, const std::vector<std::string>& files,
                              const std::string& extra) {
    std::string definition = text;
    for (const std::string& f : files) definition += read_text_file(f).value_or("");
    definition += extra;
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits
    for (unsigned char c : definition) h = (h ^ c) * 1099511628211ull;
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string executable_fingerprint() {
    static const std::string once = [] {
        const std::optional<std::string> exe = read_text_file("/proc/self/exe");
        return exe ? files_fingerprint(*exe, {}, "") : std::string();
    }();
    return once;
}

std::optional<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return text.str();
}

namespace {
// Bytes of a UTF-8 sequence that starts with `lead` (0 when `lead` cannot start one).
int sequence_length(unsigned char lead) {
    if (lead >= 0x01 && lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}
}  // namespace

std::optional<std::pair<int, int>> invalid_utf8_at(const std::string& text) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const int n = sequence_length(c);
        bool ok = n > 0 && i + static_cast<std::size_t>(n) <= text.size();
        for (int k = 1; ok && k < n; ++k)
            ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        // Overlong three- and four-byte forms, surrogates and code points above U+10FFFF.
        if (ok && n == 3) {
            const unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
            ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
        }
        if (ok && n == 4) {
            const unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
            ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
        }
        if (!ok) return std::pair<int, int>{line, col};
        if (c == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
        i += static_cast<std::size_t>(n);
    }
    return std::nullopt;
}

std::ifstream open_input_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw InputError(path, 1, 1, "is a folder, not a file");
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, 1, 1,
                         std::string("cannot open the file: ") +
                             (errno ? std::strerror(errno) : "unknown reason"));
    return in;
}

std::string read_input_file(const std::string& path) {
    std::ifstream in = open_input_file(path);
    std::string text;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_input_bytes)
            throw InputError(path, 1, 1,
                             "the file is larger than " + std::to_string(max_input_bytes >> 20) +
                                 " MiB, the most kaisim reads");
    }
    if (in.bad()) throw InputError(path, 1, 1, "error reading the file");
    check_text(text, path);
    return text;
}

void check_text(const std::string& text, const std::string& path, int first_line) {
    if (const auto at = invalid_utf8_at(text))
        throw InputError(path, first_line + at->first - 1, at->second,
                         text.find('\0') != std::string::npos
                             ? "not a text file (it holds a NUL byte)"
                             : "not valid UTF-8 (save the file as UTF-8)");
}

}  // namespace kaisim::io
