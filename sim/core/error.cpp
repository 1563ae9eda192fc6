#include "kaisim/core/error.hpp"

#include <cstdio>

namespace kaisim {

InputError::InputError(std::string file, int line, int col, std::string message)
    : std::runtime_error(file + ":" + std::to_string(line) + ":" + std::to_string(col) +
                         ": error: " + message),
      file_(std::move(file)),
      line_(line),
      col_(col),
      message_(std::move(message)) {}

std::string printable(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    char buf[8];
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else if (c == 0xC2 && i + 1 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(text[i + 1]) <= 0x9F) {  // U+0080..U+009F
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(text[++i]));
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

void fail_assertion(const char* expr, const char* file, int line) {
    throw InternalError(std::string("internal error: assertion `") + expr + "` failed at " + file +
                        ":" + std::to_string(line));
}

}  // namespace kaisim
