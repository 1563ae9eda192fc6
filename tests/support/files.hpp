#pragma once
// File helpers shared by the tests.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace kaisim::test {

/// The whole content of a file, bytes as they are ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Writes a posterior.csv of `rows` particles, each of weight 1 and the --set assignments `sets`
/// (";"-joined; "" for none).
inline void write_posterior(const std::filesystem::path& p, int rows, const std::string& sets) {
    std::ofstream out(p);
    out << "weight,sets\n";
    for (int i = 0; i < rows; ++i) out << "1," << sets << "\n";
}

/// Runs a shell command; returns its exit code (-1 when it did not exit).
inline int shell(const std::string& cmd) {
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// A path in the temporary folder named for the test and this process, with nothing there.
inline std::filesystem::path fresh_path(const std::string& name) {
    const std::filesystem::path d = std::filesystem::temp_directory_path() /
                                    ("kaisim-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    return d;
}

#ifdef KAISIM_SOURCE_DIR
/// Runs a shell command in the source folder; returns its exit code.
inline int shell_in_source(const std::string& cmd) {
    return shell("cd '" KAISIM_SOURCE_DIR "' && " + cmd);
}
#endif

}  // namespace kaisim::test
