// The Python module kaisim._kaisim (pybind11): loads scenarios and runs them, their Monte Carlo,
// comparisons, sweeps and calibrations in this process, returning each output file's text (the
// same text the command writes) for the package `kaisim` (python/kaisim) to turn into pandas
// DataFrames and dicts. Simulations run without the GIL; progress callbacks and Ctrl-C are
// served between batches.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kaisim/core/error.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/eval/scoring_backend.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/output/calibration_outputs.hpp"
#include "kaisim/output/mc_outputs.hpp"
#include "kaisim/output/optimisation_outputs.hpp"
#include "kaisim/output/run_outputs.hpp"
#include "kaisim/output/sweep_outputs.hpp"
#include "kaisim/output/workbook.hpp"
#include "kaisim/programme/prepared_scenario.hpp"
#include "kaisim/report/report.hpp"
#include "kaisim/run/comparison.hpp"
#include "kaisim/run/monte_carlo.hpp"
#include "kaisim/run/replicate.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/store/optimisation_store.hpp"
#include "kaisim/store/sweep_store.hpp"
#include "kaisim/study/calibration.hpp"
#include "kaisim/study/sweep_runner.hpp"
#include "kaisim/study_files/calibration_file.hpp"
#include "kaisim/study_files/optimisation_file.hpp"
#include "kaisim/study_files/posterior_reader.hpp"
#include "kaisim/study_files/sweep_file.hpp"

namespace py = pybind11;

namespace kaisim::python {

namespace {

/// A loaded scenario: what it was loaded from (to load it again with another seed) and the
/// scenario prepared for simulation.
struct Scenario {
    Scenario() = default;
    Scenario(Scenario&&) = default;
    Scenario& operator=(Scenario&&) = delete;
    Scenario(const Scenario&) = delete;  // `prepared` points at this object's `sc`
    Scenario& operator=(const Scenario&) = delete;
    std::string file;
    io::LoadOptions options;
    model::Scenario sc;
    std::shared_ptr<const programme::PreparedScenario> prepared;
};

// Output file name -> its text, in the order the command writes them (sheets follow it).
using Files = std::vector<std::pair<std::string, std::string>>;
using ProgressFn = std::function<void(std::uint64_t, std::uint64_t)>;

Scenario load_scenario(const std::string& file, const std::vector<std::string>& overlays,
                       const std::vector<std::string>& sets, std::optional<std::uint32_t> seed) {
    Scenario s;
    s.file = file;
    s.options.overlays = overlays;
    s.options.sets = sets;
    s.options.seed = seed;
    py::gil_scoped_release free;
    s.sc = io::load_scenario(file, s.options);
    // Not prepared here: the prepared scenario points at `sc`, so it is made where `sc` stays.
    return s;
}

std::shared_ptr<Scenario> make_scenario(const std::string& file,
                                        const std::vector<std::string>& overlays,
                                        const std::vector<std::string>& sets,
                                        std::optional<std::uint32_t> seed) {
    auto s = std::make_shared<Scenario>(load_scenario(file, overlays, sets, seed));
    py::gil_scoped_release free;
    s->prepared = std::make_shared<programme::PreparedScenario>(programme::prepare(s->sc));
    return s;
}

// The scenario again with another seed (item banks and draws depend on it), or itself.
std::shared_ptr<Scenario> with_seed(const std::shared_ptr<Scenario>& s,
                                    std::optional<std::uint32_t> seed) {
    if (!s) throw py::type_error("a kaisim.Scenario is needed (from kaisim.load), not None");
    if (!seed || *seed == s->sc.seed) return s;
    return make_scenario(s->file, s->options.overlays, s->options.sets, seed);
}

// Calls the Python progress callback, if any, and stops on Ctrl-C; from a thread without the GIL.
void report_progress(const py::object& callback, std::uint64_t done, std::uint64_t total) {
    py::gil_scoped_acquire gil;
    // A signal handler's exception (KeyboardInterrupt for Ctrl-C, or whatever a handler raised)
    // goes to the caller as it is.
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (!callback.is_none()) callback(done, total);
}

Files run_one(const std::shared_ptr<Scenario>& base, std::optional<std::uint32_t> seed) {
    const std::shared_ptr<Scenario> s = with_seed(base, seed);
    py::gil_scoped_release free;
    const auto backend = eval::make_backend("cpu", 1);
    const programme::Result r = run::run_replicate(*s->prepared, 0, *backend);
    return {{"summary.json", io::summary_json(s->sc, r, version)},
            {"teams.csv", io::teams_csv(s->sc, r)},
            {"stages.csv", io::stages_csv(s->sc, r)},
            {"timeline.csv", io::timeline_csv(s->sc, r)},
            {"consortia.csv", io::consortia_csv(s->sc, s->prepared->consortia)},
            {"table", io::run_table(s->sc, r)}};
}

Files monte_carlo(const std::shared_ptr<Scenario>& base, std::uint32_t replicates, int threads,
                  std::optional<std::uint32_t> seed, const py::object& progress) {
    if (replicates < 1) throw py::value_error("replicates must be at least 1");
    const std::shared_ptr<Scenario> s = with_seed(base, seed);
    py::gil_scoped_release free;
    const auto backend = eval::make_backend("auto", threads);
    run::McOptions opt;
    opt.replicates = replicates;
    opt.threads = threads;
    opt.progress = [&](std::uint32_t done) { report_progress(progress, done, replicates); };
    const run::McResult mc = run::run_monte_carlo(*s->prepared, *backend, opt);
    return {{"mc_teams.csv", io::mc_teams_csv(s->sc, mc)},
            {"mc_summary.json", io::mc_summary_json(s->sc, mc, version)},
            {"mc_fields.csv", io::mc_fields_csv(s->sc, mc)},
            {"table", io::mc_table(s->sc, mc)}};
}

Files compare(const std::shared_ptr<Scenario>& a_in, const std::shared_ptr<Scenario>& b_in,
              std::uint32_t replicates, int threads, std::optional<std::uint32_t> seed,
              const py::object& progress) {
    if (replicates < 2) throw py::value_error("replicates must be at least 2");
    const std::shared_ptr<Scenario> a = with_seed(a_in, seed);
    // Common random numbers: both arms on A's seed.
    const std::shared_ptr<Scenario> b = with_seed(b_in, a->sc.seed);
    py::gil_scoped_release free;
    const auto backend = eval::make_backend("auto", threads);
    const run::ComparisonResult cmp =
        run::compare_arms(*a->prepared, *b->prepared, *backend, replicates, threads, 0,
                          [&](std::uint32_t done) { report_progress(progress, done, replicates); });
    return {{"compare.csv", io::compare_csv(cmp)},
            {"compare.json", io::compare_json(a->file, b->file, a->sc.seed, cmp, version)},
            {"table", io::compare_table(cmp)}};
}

Files sweep(const std::string& file, int threads, const std::string& store_dir,
            const py::object& progress) {
    py::gil_scoped_release free;
    const study::SweepSpec spec = io::load_sweep(file);
    std::unique_ptr<io::SweepStore> store;
    const study::StoreOpener open = [&]() -> study::PointStore& {
        std::filesystem::create_directories(store_dir);
        store = std::make_unique<io::SweepStore>(
            (std::filesystem::path(store_dir) / "sweep.db").string(),
            io::sweep_fingerprint(spec, version), false);
        return *store;
    };
    study::SweepRunOptions o;
    o.threads = threads;
    o.backend = "auto";
    o.progress = [&](std::uint64_t done, std::uint64_t total) {
        report_progress(progress, done, total);
    };
    const study::SweepOutcome s = study::run_sweep(spec, io::sweep_scenario_source(spec), open, o);
    Files out{{"sweep.csv", store->export_csv(s.parameters, s.metrics)}};
    if (spec.design.design == study::Design::sobol || spec.design.design == study::Design::morris)
        out.emplace_back("sensitivity.csv", io::sensitivity_csv(s));
    return out;
}

Files calibrate(const std::string& file, int threads, const py::object& progress) {
    py::gil_scoped_release free;
    const study::CalibrationSpec spec = io::load_calibration(file);
    const study::CalibrationOutcome o =
        study::run_calibration(spec, io::scenario_source(spec.scenario, spec.overlays), threads,
                               [&](const study::AbcGeneration&, std::size_t generation) {
                                   report_progress(progress, generation + 1, 0);
                               });
    return {{"posterior.csv", io::posterior_csv(spec, o)},
            {"prior.csv", io::prior_csv(spec, o)},
            {"calibration.json", io::calibration_json(spec, o, version)},
            {"calibrated.yaml", io::calibrated_yaml(spec, o)},
            {"table", io::calibration_table(spec, o)}};
}

Files optimise(const std::string& file, int threads, const std::string& store_dir,
               const py::object& progress) {
    py::gil_scoped_release free;
    const study::OptimisationSpec spec = io::load_optimisation(file);
    std::vector<study::Particle> posterior;
    if (!spec.posterior.empty())
        for (const io::PosteriorParticle& p : io::read_posterior(spec.posterior))
            posterior.push_back({p.weight, p.sets});
    std::unique_ptr<io::OptimisationStore> store;
    const auto open_store = [&]() -> study::EvaluationStore* {
        std::filesystem::create_directories(store_dir);
        store = std::make_unique<io::OptimisationStore>(
            (std::filesystem::path(store_dir) / "optimise.db").string(),
            io::optimisation_fingerprint(spec, version), false);
        return store.get();
    };
    const study::OptimisationOutcome o = study::run_optimisation(
        spec, io::scenario_source(spec.scenario, spec.overlays), threads,
        [&](std::uint32_t g) { report_progress(progress, g, spec.generations); }, open_store,
        posterior);
    Files out = io::optimisation_files(spec, o, version);
    out.emplace_back("table", io::optimisation_table(spec, o));
    return out;
}

// Writes output files as the command would: all-or-nothing, as the folder's output set of
// `kind` (so `kaisim report DIR` reads it).
void write_outputs(const std::string& dir, const std::string& kind, const py::dict& texts) {
    Files files;
    for (const auto& [name, text] : texts) files.emplace_back(py::str(name), py::str(text));
    py::gil_scoped_release free;
    io::AtomicOutputs out(dir, kind);
    for (const auto& [name, text] : files)
        out.add((std::filesystem::path(dir) / name).string(), text);
    out.commit();
}

}  // namespace

PYBIND11_MODULE(_kaisim, m) {
    m.doc() = "kaisim's simulator, in process (use the package `kaisim`, not this module)";
    m.attr("version") = kaisim::version;

    static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const InputError& e) {
            py::object err = py::handle(input_error.ptr())(e.what());
            err.attr("file") = e.file();
            err.attr("line") = e.line();
            err.attr("column") = e.col();
            err.attr("message") = e.message();
            PyErr_SetObject(input_error.ptr(), err.ptr());
        }
    });

    py::class_<Scenario, std::shared_ptr<Scenario>>(m, "Scenario")
        .def_property_readonly("file", [](const Scenario& s) { return s.file; })
        .def_property_readonly("name", [](const Scenario& s) { return s.sc.name; })
        .def_property_readonly("seed", [](const Scenario& s) { return s.sc.seed; })
        .def_property_readonly("teams",
                               [](const Scenario& s) {
                                   std::vector<std::string> ids;
                                   for (const model::Team& t : s.sc.teams) ids.push_back(t.id);
                                   return ids;
                               })
        .def_property_readonly("stages", [](const Scenario& s) {
            std::vector<std::string> ids;
            for (const model::Stage& st : s.sc.stages) ids.push_back(st.id);
            return ids;
        });

    m.def("load", &make_scenario, py::arg("path"), py::arg("overlays"), py::arg("sets"),
          py::arg("seed"));
    m.def("run", &run_one, py::arg("scenario"), py::arg("seed"));
    m.def("monte_carlo", &monte_carlo, py::arg("scenario"), py::arg("replicates"),
          py::arg("threads"), py::arg("seed"), py::arg("progress"));
    m.def("compare", &compare, py::arg("a"), py::arg("b"), py::arg("replicates"),
          py::arg("threads"), py::arg("seed"), py::arg("progress"));
    m.def("sweep", &sweep, py::arg("path"), py::arg("threads"), py::arg("store_dir"),
          py::arg("progress"));
    m.def("calibrate", &calibrate, py::arg("path"), py::arg("threads"), py::arg("progress"));
    m.def("optimise", &optimise, py::arg("path"), py::arg("threads"), py::arg("store_dir"),
          py::arg("progress"));
    m.def("write_outputs", &write_outputs, py::arg("dir"), py::arg("kind"), py::arg("files"));
    m.def("write_workbook", [](const std::string& dir) {
        py::gil_scoped_release free;
        io::write_workbook(dir);
    });
    m.def("set_report_assets_dir", &io::set_report_assets_dir, py::arg("dir"));
    m.def("write_report", [](const std::string& dir, const std::string& path) {
        py::gil_scoped_release free;
        io::write_report(dir, path);
    });
}

}  // namespace kaisim::python
