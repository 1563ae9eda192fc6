// The `kaisim` command: dispatches to one subcommand (sim/cli/cmd_*.cpp), and is the only place
// that catches errors and chooses exit codes (0 success, 2 bad input, 1 anything else).
#include <algorithm>
#include <iostream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <string>
#include <vector>

#include "command.hpp"
#include "kaisim/core/closest_match.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/core/process_group.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/output/atomic_output.hpp"

int main(int argc, char** argv) {
    namespace cli = kaisim::cli;
    // Under mpirun, an error on one rank ends every rank (none is left waiting for it).
    using Ranks = kaisim::core::ProcessGroup;
    kaisim::io::install_cleanup_on_signals();  // no temporary file survives Ctrl-C or a kill
#if defined(__GLIBC__)
    // A batch of replicates frees most of what it allocated, and the next allocates it again:
    // glibc keeps the freed top of its heaps instead of returning it and faulting it back in
    // (3 to 5% of `bench replicates` here). Assumption: 64 MiB of padding, 256 MiB kept at
    // most; peak memory does not change (it is reached within a batch).
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
    CLI::App app{"kaisim: discrete-event simulator of staged compute-funding programmes"};
    app.set_version_flag("--version", cli::version_text,
                         "print the version, the commit and what was built in, then exit");
    app.require_subcommand(1);
    // CLI11's own messages quote the command line: no raw control characters on the terminal.
    app.failure_message([](const CLI::App* a, const CLI::Error& e) {
        return kaisim::printable(CLI::FailureMessage::simple(a, e));
    });
    const cli::Command commands[] = {cli::add_run(app),       cli::add_compare(app),
                                     cli::add_validate(app),  cli::add_sweep(app),
                                     cli::add_calibrate(app), cli::add_report(app),
                                     cli::add_bench(app),     cli::add_schema(app),
                                     cli::add_discover(app),  cli::add_optimise(app)};
    // A mistyped command: name the nearest one (CLI11 would only say a subcommand is required).
    if (argc > 1 && argv[1][0] != '-') {
        std::vector<std::string> names;
        for (const cli::Command& c : commands) names.push_back(c.app->get_name());
        if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
            const std::string near = kaisim::core::closest_match(argv[1], names);
            std::string all;
            for (const std::string& n : names) all += (all.empty() ? "" : ", ") + n;
            std::cerr << "kaisim: error: unknown command '" << kaisim::printable(argv[1]) << "'"
                      << (near.empty() ? "" : " (did you mean '" + near + "'?)")
                      << "; the commands are " << all << "\n";
            return 2;
        }
    }
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
        std::cerr << kaisim::printable(e.what()) << "\n";
        return Ranks::abort_if_running(2);
    } catch (const cli::UsageError& e) {
        std::cerr << "kaisim: error: " << kaisim::printable(e.what()) << "\n";
        return Ranks::abort_if_running(2);
    } catch (const std::exception& e) {
        std::cerr << "kaisim: error: " << kaisim::printable(e.what()) << "\n";
        return Ranks::abort_if_running(1);
    }
    return 1;
}
