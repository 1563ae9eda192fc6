// kaisim discover: scenario discovery by PRIM over a sweep's points (sweep.csv), or the
// policies a search ran (evaluated.csv): the boxes of the input space where an outcome holds.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "command.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/output/run_outputs.hpp"
#include "kaisim/scenario/csv_reader.hpp"
#include "kaisim/scenario/text_file.hpp"
#include "kaisim/store/sweep_store.hpp"
#include "kaisim/study/prim.hpp"

namespace kaisim::cli {

namespace {
struct DiscoverArgs {
    std::string dir, metric, out;
    std::optional<double> above, below;
    bool is_true = false;
    std::vector<std::string> inputs;
    study::PrimOptions prim;
    bool quiet = false;
};

std::string number(double v) {
    return io::format_number(v);
}

int discover(DiscoverArgs a) {
    namespace fs = std::filesystem;
    // A sweep's points (sweep.csv), or the policies a search ran (evaluated.csv).
    std::string table = (fs::path(a.dir) / "sweep.csv").string();
    std::optional<std::string> text = io::read_text_file(table);
    const bool search = !text && fs::exists(fs::path(a.dir) / "evaluated.csv");
    if (search) {
        table = (fs::path(a.dir) / "evaluated.csv").string();
        text = io::read_text_file(table);
    }
    if (!text)
        throw InputError((fs::path(a.dir) / "sweep.csv").string(), 1, 1,
                         "no sweep.csv here: discover reads the points of a sweep's output folder "
                         "(or evaluated.csv, the policies of a search's)");
    // A table of a sweep or search is text: a NUL would cut every message quoting it.
    io::check_text(*text, table);
    const std::vector<std::vector<std::string>> rows = io::csv_records(*text);
    if (rows.size() < 2) throw InputError(table, 1, 1, "no points to peel");
    const std::vector<std::string>& header = rows[0];
    const auto column = [&](const std::string& name) -> std::size_t {
        for (std::size_t c = 0; c < header.size(); ++c)
            if (header[c] == name) return c;
        std::string known;
        for (const std::string& h : header) known += (known.empty() ? "" : ", ") + h;
        throw InputError(table, 1, 1, "no column '" + name + "' (the columns: " + known + ")");
    };
    if (a.inputs.empty() && search) {
        // The search's levers, as optimise.json lists them.
        const fs::path summary = fs::path(a.dir) / "optimise.json";
        const std::optional<std::string> json = io::read_text_file(summary.string());
        nlohmann::json j;
        if (json) j = nlohmann::json::parse(*json, nullptr, false);
        if (!json || j.is_discarded() || !j.contains("levers") || !j["levers"].is_array())
            throw InputError(summary.string(), 1, 1,
                             "no list of levers in optimise.json beside evaluated.csv: give "
                             "--inputs");
        for (const auto& name : j["levers"])
            if (name.is_string()) a.inputs.push_back(name.get<std::string>());
    }
    if (a.inputs.empty()) {
        const auto names = io::sweep_parameter_names((fs::path(a.dir) / "sweep.db").string());
        if (!names)
            throw InputError(table, 1, 1,
                             "no sweep.db beside it to name the sweep's parameters: give --inputs");
        a.inputs = *names;
    }
    const std::size_t m = column(a.metric);
    std::vector<std::size_t> cols;
    for (const std::string& in : a.inputs) cols.push_back(column(in));
    std::vector<std::vector<double>> x;
    std::vector<bool> y;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].empty() || (rows[r].size() == 1 && rows[r][0].empty())) continue;
        if (rows[r].size() != header.size())
            throw InputError(table, static_cast<int>(r) + 1, 1,
                             "a line of " + std::to_string(rows[r].size()) +
                                 " cells under a header of " + std::to_string(header.size()));
        const auto value = [&](std::size_t c) {
            char* end = nullptr;
            const std::string& cell = rows[r].at(c);
            const double v = std::strtod(cell.c_str(), &end);
            if (cell.empty() || end != cell.c_str() + cell.size() || !std::isfinite(v))
                throw InputError(table, static_cast<int>(r) + 1, static_cast<int>(c) + 1,
                                 "column '" + header[c] + "' holds '" + cell +
                                     "', not a number (PRIM takes numeric inputs)");
            return v;
        };
        std::vector<double> p;
        for (std::size_t c : cols) p.push_back(value(c));
        x.push_back(std::move(p));
        const double outcome = value(m);
        y.push_back(a.above ? outcome > *a.above : a.below ? outcome < *a.below : outcome != 0);
    }
    if (x.empty()) throw InputError(table, 1, 1, "no points to peel");
    const study::PrimResult res = study::prim(a.inputs, x, y, a.prim);

    std::string traj = io::csv_line(
        {"box", "step", "move", "coverage", "density", "mass", "points", "restricted"});
    for (const study::PrimStep& s : res.trajectory) {
        std::string restricted;
        for (std::size_t j = 0; j < a.inputs.size(); ++j)
            if (s.state.restricted[j]) restricted += (restricted.empty() ? "" : " ") + a.inputs[j];
        traj +=
            io::csv_line({std::to_string(s.box + 1), std::to_string(s.step), io::csv_field(s.move),
                          number(s.state.coverage), number(s.state.density), number(s.state.mass),
                          std::to_string(s.state.points), io::csv_field(restricted)});
    }
    std::string boxes = io::csv_line(
        {"box", "input", "lo", "hi", "restricted", "coverage", "density", "mass", "points"});
    for (std::size_t b = 0; b < res.boxes.size(); ++b) {
        const study::PrimBox& box = res.boxes[b];
        for (std::size_t j = 0; j < a.inputs.size(); ++j)
            boxes += io::csv_line(
                {std::to_string(b + 1), io::csv_field(a.inputs[j]), number(box.lo[j]),
                 number(box.hi[j]), box.restricted[j] ? "true" : "false", number(box.coverage),
                 number(box.density), number(box.mass), std::to_string(box.points)});
    }
    const std::string out_dir = a.out.empty() ? (fs::path(a.dir) / "discover").string() : a.out;
    io::AtomicOutputs out(out_dir, "discover");
    out.add((fs::path(out_dir) / "prim_trajectory.csv").string(), traj);
    out.add((fs::path(out_dir) / "prim_boxes.csv").string(), boxes);
    out.commit();
    if (a.quiet) return 0;
    const std::string what = a.metric + (a.above   ? " > " + number(*a.above)
                                         : a.below ? " < " + number(*a.below)
                                                   : " true");
    char share[32];
    std::snprintf(share, sizeof share, "%.1f%%",
                  100.0 * static_cast<double>(res.cases) / static_cast<double>(res.points));
    std::cout << "PRIM over " << res.points << " points of " << a.dir << ": " << what << " in "
              << res.cases << " (" << share << ")\n";
    if (res.boxes.empty()) std::cout << "no box is denser in cases than the points around it\n";
    for (std::size_t b = 0; b < res.boxes.size(); ++b) {
        const study::PrimBox& box = res.boxes[b];
        char line[200];
        std::snprintf(line, sizeof line,
                      "\nbox %zu: coverage %.3f, density %.3f, mass %.3f (%zu points)\n", b + 1,
                      box.coverage, box.density, box.mass, box.points);
        std::cout << line;
        for (std::size_t j = 0; j < a.inputs.size(); ++j)
            if (box.restricted[j])
                std::cout << "  " << a.inputs[j] << " in [" << number(box.lo[j]) << ", "
                          << number(box.hi[j]) << "]\n";
    }
    std::cout << "\noutputs written to " << out_dir << "/ (prim_boxes.csv, prim_trajectory.csv)\n";
    return 0;
}
}  // namespace

Command add_discover(CLI::App& app) {
    auto a = std::make_shared<DiscoverArgs>();
    CLI::App* cmd = app.add_subcommand(
        "discover",
        "scenario discovery by PRIM: the boxes of a sweep's inputs (or a search's levers) where an "
        "outcome holds");
    cmd->add_option("dir", a->dir,
                    "output folder of a sweep (its sweep.csv) or of a search (its evaluated.csv)")
        ->required();
    cmd->add_option("--metric", a->metric, "the outcome's column of sweep.csv")->required();
    auto* above = cmd->add_option("--above", a->above, "cases of interest: metric > X");
    auto* below = cmd->add_option("--below", a->below, "cases of interest: metric < X");
    auto* truth = cmd->add_flag("--true", a->is_true, "cases of interest: metric not 0");
    above->excludes(below)->excludes(truth);
    below->excludes(truth);
    cmd->add_option("--inputs", a->inputs,
                    "the inputs to search over (default: the sweep's parameters)")
        ->delimiter(',');
    cmd->add_option("--alpha", a->prim.alpha, "share of points one peel removes (default 0.05)")
        ->check(CLI::Range(0.001, 0.5));
    cmd->add_option("--threshold", a->prim.threshold,
                    "density the chosen box must reach (default 0.8)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--min-mass", a->prim.min_mass,
                    "smallest share of the points a box may hold (default 0.05)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--boxes", a->prim.max_boxes, "boxes to find, one after another (default 2)")
        ->check(CLI::Range(1, 20));
    cmd->add_option("--out", a->out, "output folder (default: DIR/discover)");
    cmd->add_flag("--quiet", a->quiet, "print nothing on success");
    return {cmd, [a] {
                if (!a->above && !a->below && !a->is_true)
                    throw InputError("discover", 1, 1,
                                     "say which cases are of interest: --above X, --below X or "
                                     "--true");
                // NaN compares false with every outcome: no case would be of interest.
                for (const std::optional<double>& x : {a->above, a->below})
                    if (x && !std::isfinite(*x))
                        throw UsageError("--above and --below take a finite number");
                return discover(*a);
            }};
}

}  // namespace kaisim::cli
