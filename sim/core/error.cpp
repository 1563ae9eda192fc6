#include "kaisim/core/error.hpp"

namespace kaisim {

InputError::InputError(std::string file, int line, int col, std::string message)
    : std::runtime_error(file + ":" + std::to_string(line) + ":" + std::to_string(col) +
                         ": error: " + message),
      file_(std::move(file)),
      line_(line),
      col_(col),
      message_(std::move(message)) {}

void fail_assertion(const char* expr, const char* file, int line) {
    throw InternalError(std::string("internal error: assertion `") + expr + "` failed at " + file +
                        ":" + std::to_string(line));
}

}  // namespace kaisim
