// The `kaisim` command: dispatches to one subcommand (sim/cli/cmd_*.cpp), and is the only place
// that catches errors and chooses exit codes (0 success, 2 bad input, 1 anything else).
#include <iostream>

#include "command.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/core/version.hpp"

int main(int argc, char** argv) {
    namespace cli = kaisim::cli;
    CLI::App app{"kaisim: discrete-event simulator of staged compute-funding programmes"};
    app.set_version_flag("--version", std::string("kaisim ") + kaisim::version);
    app.require_subcommand(1);
    const cli::Command commands[] = {cli::add_run(app),      cli::add_compare(app),
                                     cli::add_validate(app), cli::add_sweep(app),
                                     cli::add_report(app),   cli::add_bench(app)};
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    try {
        for (const cli::Command& c : commands)
            if (c.app->parsed()) return c.run();
    } catch (const kaisim::InputError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const cli::UsageError& e) {
        std::cerr << "kaisim: error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "kaisim: error: " << e.what() << "\n";
        return 1;
    }
    return 1;
}
