// kaisim schema: the JSON Schemas of scenario, overlay, sweep, calibration and observations
// files, built from the loader's own checks while it loads the files given.
#include <filesystem>
#include <iostream>

#include "command.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/scenario/text_file.hpp"
#include "kaisim/study_files/schema.hpp"

namespace kaisim::cli {

namespace {
struct SchemaArgs {
    std::vector<std::string> files;
    std::string out = "schema";
    bool check = false;
};

int schema(const SchemaArgs& a) {
    const std::map<std::string, std::string> schemas = io::generate_schemas(a.files);
    if (a.check) {
        int stale = 0;
        for (const auto& [name, text] : schemas) {
            const std::string path = (std::filesystem::path(a.out) / name).string();
            if (io::read_text_file(path) != text) {
                std::cerr << path << ": differs from the schema the loader gives now\n";
                ++stale;
            }
        }
        if (stale) {
            std::cerr << "kaisim schema: run it without --check to write them again\n";
            return 1;
        }
        std::cout << "schemas in " << a.out << "/ match the loader\n";
        return 0;
    }
    io::make_output_folder(a.out);
    io::AtomicOutputs out;
    for (const auto& [name, text] : schemas)
        out.add((std::filesystem::path(a.out) / name).string(), text);
    out.commit();
    std::cout << schemas.size() << " schemas written to " << a.out << "/\n";
    return 0;
}
}  // namespace

Command add_schema(CLI::App& app) {
    auto a = std::make_shared<SchemaArgs>();
    CLI::App* cmd = app.add_subcommand(
        "schema",
        "write JSON Schemas of scenario, overlay, sweep, calibration and search files, as the "
        "loader reads the example files given (editors: completion and checks)");
    cmd->add_option("files", a->files, "scenario, sweep, calibration and search files to load")
        ->required();
    cmd->add_option("--out", a->out, "folder of the schemas (default: schema)");
    cmd->add_flag("--check", a->check,
                  "compare with the schemas in --out instead of writing (exit 1 if they differ)");
    return {cmd, [a] { return schema(*a); }};
}

}  // namespace kaisim::cli
