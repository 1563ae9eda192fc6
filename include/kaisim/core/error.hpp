#pragma once
#include <stdexcept>
#include <string>

namespace kaisim {

/// Bad user input, located in a file: printed as `file:line:col: error: message` (1-based).
class InputError : public std::runtime_error {
  public:
    InputError(std::string file, int line, int col, std::string message);
    const std::string& file() const { return file_; }
    int line() const { return line_; }
    int col() const { return col_; }
    /// The message without its location.
    const std::string& message() const { return message_; }

  private:
    std::string file_;
    int line_;
    int col_;
    std::string message_;
};

/// A broken internal invariant: a bug in kaisim, never the user's fault.
class InternalError : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

/// `text` safe to print on a terminal: control characters other than line breaks and tabs (ESC
/// sequences, C1 controls such as U+009B) as \xNN or \uNNNN. Error messages quote the input.
std::string printable(const std::string& text);

[[noreturn]] void fail_assertion(const char* expr, const char* file, int line);

}  // namespace kaisim

/// Checks an internal invariant; throws kaisim::InternalError with file:line when it fails.
#define KAISIM_ASSERT(expr) \
    ((expr) ? static_cast<void>(0) : ::kaisim::fail_assertion(#expr, __FILE__, __LINE__))
