// kaisim report: one self-contained HTML file of an output folder.
#include <filesystem>
#include <iostream>

#include "command.hpp"
#include "kaisim/report/report.hpp"

namespace kaisim::cli {

Command add_report(CLI::App& app) {
    struct Args {
        std::string dir, out;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("report",
                                       "write a self-contained HTML report of an output folder "
                                       "(run, Monte Carlo, compare, sweep)");
    cmd->add_option("dir", a->dir, "output folder")->required();
    cmd->add_option("-o,--output", a->out, "report file (default: DIR/report.html)");
    return {cmd, [a] {
                const std::string path =
                    a->out.empty() ? (std::filesystem::path(a->dir) / "report.html").string()
                                   : a->out;
                io::write_report(a->dir, path);
                std::cout << "report written to " << path << "\n";
                return 0;
            }};
}

}  // namespace kaisim::cli
