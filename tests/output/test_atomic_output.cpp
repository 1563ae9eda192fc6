// Output files: temporary files created safely and always removed, output sets with a manifest,
// no non-finite numbers, CSV cells that cannot start a formula.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../support/files.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/output/mc_outputs.hpp"
#include "kaisim/output/run_outputs.hpp"
#include "kaisim/report/report.hpp"

namespace fs = std::filesystem;
namespace io = kaisim::io;
using kaisim::test::slurp;

extern char** environ;

namespace {
fs::path fresh(const std::string& name) {
    const fs::path d =
        fs::temp_directory_path() / ("kaisim-atomic-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

// The names in a folder.
std::set<std::string> listing(const fs::path& d) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(d)) names.insert(e.path().filename().string());
    return names;
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

std::string path(const fs::path& d, const char* name) {
    return (d / name).string();
}

// Commits a set of `kind` into `d`: each (name, content).
void commit_set(const fs::path& d, const std::string& kind,
                const std::vector<std::pair<std::string, std::string>>& files) {
    io::AtomicOutputs out(d.string(), kind);
    for (const auto& [name, text] : files) out.add((d / name).string(), text);
    out.commit();
}

const double infinity = std::numeric_limits<double>::infinity();
const double not_a_number = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TEST_CASE("atomic outputs: a symlink planted at a temporary or final name is never followed") {
    const fs::path d = fresh("symlink"), victim = fresh("victim") / "precious.txt";
    write(victim, "precious");
    // The name older versions used, and the final name, both point at the victim.
    fs::create_symlink(victim, d / ("teams.csv.tmp." + std::to_string(::getpid())));
    fs::create_symlink(victim, d / "summary.json");
    {
        io::AtomicOutputs out(d.string(), "run");
        out.add(path(d, "teams.csv"), "new teams");
        out.add(path(d, "summary.json"), "{}");
        // The temporary files have names no one can guess: 12 random letters or digits.
        int temporaries = 0;
        for (const std::string& n : listing(d))
            if (n.find(".tmp.") != std::string::npos && !fs::is_symlink(d / n)) {
                ++temporaries;
                REQUIRE(n.size() - n.find(".tmp.") - 5 == 12);
            }
        REQUIRE(temporaries == 2);
        out.commit();
    }
    REQUIRE(slurp(victim) == "precious");
    REQUIRE(slurp(d / "teams.csv") == "new teams");
    REQUIRE_FALSE(fs::is_symlink(d / "summary.json"));  // the link itself was replaced
    REQUIRE(slurp(d / "summary.json") == "{}");
    fs::remove_all(d);
    fs::remove_all(victim.parent_path());
}

TEST_CASE("atomic outputs: a write that fails leaves no temporary file and says why") {
    const fs::path d = fresh("fail");
    write(d / "plain-file", "not a folder");
    // A folder that is a regular file (root ignores permissions, not this).
    {
        io::AtomicOutputs out;
        REQUIRE_THROWS_WITH(
            out.add((d / "plain-file" / "x.csv").string(), "x"),
            "cannot write " + (d / "plain-file" / "x.csv").string() + ": Not a directory");
        REQUIRE_THROWS_WITH(out.add((d / "missing" / "x.csv").string(), "x"),
                            Catch::Contains("x.csv: No such file or directory"));
    }
    REQUIRE(listing(d) == std::set<std::string>{"plain-file"});
    // A rename that fails at commit (a folder in the way) rolls the set back.
    commit_set(d, "run", {{"a.csv", "first a"}, {"b.csv", "first b"}});
    const std::string manifest = slurp(d / io::manifest_name);
    fs::create_directory(d / "c.csv");
    {
        io::AtomicOutputs out(d.string(), "run");
        out.add(path(d, "a.csv"), "second a");
        out.add(path(d, "c.csv"), "second c");
        REQUIRE_THROWS_WITH(out.commit(), Catch::Contains("cannot write " + path(d, "c.csv")) &&
                                              Catch::Contains("as they were"));
    }
    REQUIRE(slurp(d / "a.csv") == "first a");
    REQUIRE(slurp(d / "b.csv") == "first b");
    REQUIRE(slurp(d / io::manifest_name) == manifest);
    REQUIRE(listing(d) ==
            std::set<std::string>{"plain-file", "a.csv", "b.csv", "c.csv", io::manifest_name});
    fs::remove_all(d);
}

TEST_CASE("atomic outputs: destruction without commit leaves nothing") {
    const fs::path d = fresh("uncommitted");
    {
        io::AtomicOutputs out(d.string(), "monte_carlo");
        out.add(path(d, "mc_teams.csv"), "teams");
        std::ostream& s = out.stream(path(d, "replicates.csv"));
        for (int i = 0; i < 100000; ++i) s << i << ",0.5\n";
        out.check();
        REQUIRE(listing(d).size() == 2);
    }
    REQUIRE(listing(d).empty());
    fs::remove_all(d);
}

TEST_CASE("atomic outputs: a streamed file is committed whole, and the manifest lists it") {
    const fs::path d = fresh("stream");
    io::AtomicOutputs out(d.string(), "monte_carlo");
    std::ostream& s = out.stream(path(d, "replicates.csv"));
    std::string expected;
    for (int i = 0; i < 50000; ++i) {
        s << i << ",0.25\n";
        expected += std::to_string(i) + ",0.25\n";
    }
    out.add(path(d, "mc_summary.json"), "{}\n");
    out.commit();
    REQUIRE(slurp(d / "replicates.csv") == expected);
    const auto m = io::read_manifest(d.string());
    REQUIRE(m);
    REQUIRE(m->kind == "monte_carlo");
    REQUIRE(m->version == kaisim::version);
    REQUIRE(m->run_id.size() > 16);
    REQUIRE(m->files.size() == 2);
    REQUIRE(m->files[0].name == "replicates.csv");
    REQUIRE(m->files[0].bytes == expected.size());
    REQUIRE(m->files[0].fnv1a64 ==
            io::fnv1a64_hex(io::fnv1a64(io::fnv1a64_offset, expected.data(), expected.size())));
    REQUIRE(listing(d) ==
            std::set<std::string>{"replicates.csv", "mc_summary.json", io::manifest_name});
    fs::remove_all(d);
}

TEST_CASE("atomic outputs: a second set removes the first set's files it does not rewrite") {
    const fs::path d = fresh("sets");
    commit_set(d, "run", {{"summary.json", "{}"}, {"teams.csv", "t"}, {"stages.csv", "s"}});
    write(d / "notes.txt", "the user's own file");
    const std::string first_id = io::read_manifest(d.string())->run_id;
    commit_set(d, "monte_carlo", {{"mc_summary.json", "{}"}, {"teams.csv", "t2"}});
    REQUIRE(listing(d) ==
            std::set<std::string>{"mc_summary.json", "teams.csv", "notes.txt", io::manifest_name});
    REQUIRE(slurp(d / "notes.txt") == "the user's own file");
    REQUIRE(slurp(d / "teams.csv") == "t2");
    REQUIRE(io::read_manifest(d.string())->run_id != first_id);
    // A manifest kaisim cannot read is replaced, and no file is removed on its word.
    write(d / io::manifest_name, "{\"files\": [\"notes.txt\"]");
    commit_set(d, "compare", {{"compare.csv", "c"}});
    REQUIRE(listing(d) == std::set<std::string>{"mc_summary.json", "teams.csv", "notes.txt",
                                                "compare.csv", io::manifest_name});
    REQUIRE(io::read_manifest(d.string())->kind == "compare");
    // A file of the set that the user edited since is theirs now: the next set leaves it.
    write(d / "compare.csv", "c, with the user's notes");
    commit_set(d, "run", {{"summary.json", "{}"}});
    REQUIRE(listing(d) == std::set<std::string>{"mc_summary.json", "teams.csv", "notes.txt",
                                                "compare.csv", "summary.json", io::manifest_name});
    REQUIRE(slurp(d / "compare.csv") == "c, with the user's notes");
    fs::remove_all(d);
}

TEST_CASE("report: a folder without a manifest, or whose files differ from it, is refused") {
    const fs::path d = fresh("report");
    write(d / "compare.csv", "metric,direction\n");
    REQUIRE_THROWS_WITH(io::build_report(d.string()), Catch::Contains("holds no kaisim outputs") &&
                                                          Catch::Contains(io::manifest_name));
    REQUIRE_THROWS_AS(io::build_report(d.string()), kaisim::InputError);
    commit_set(d, "compare", {{"compare.csv", "metric,direction\n"}, {"compare.json", "{}"}});
    write(d / "compare.csv", "metric,direction\nx,higher\n");
    REQUIRE_THROWS_WITH(io::build_report(d.string()),
                        Catch::Contains("compare.csv differs from the manifest"));
    write(d / "compare.csv", "metric,direction\n");
    fs::remove(d / "compare.json");
    REQUIRE_THROWS_WITH(io::build_report(d.string()), Catch::Contains("compare.json is missing"));
    REQUIRE_THROWS_WITH(io::write_report(d.string(), path(d, "report.html")),
                        Catch::Contains("compare.json is missing"));
    REQUIRE_FALSE(fs::exists(d / "report.html"));
    fs::remove_all(d);
}

TEST_CASE("outputs: a NaN or an infinity is refused, naming the file, the row and the column") {
    const std::vector<std::string> header{"team", "flops", "ability"};
    REQUIRE(io::csv_row("teams.csv", header, "team kt", {"kt", 1.5, -0.5}) == "kt,1.5,-0.5\n");
    REQUIRE_THROWS_WITH(
        io::csv_row("teams.csv", header, "team kt", {"kt", not_a_number, 1.0}),
        "teams.csv: team kt, column flops is not finite (nan): refusing to write it");
    REQUIRE_THROWS_WITH(io::csv_row("teams.csv", header, "team kt", {"kt", 1.0, -infinity}),
                        Catch::Contains("column ability is not finite (-inf)"));
    nlohmann::ordered_json j;
    j["spend_krw"] = {{"gpu", 1.0}, {"total", infinity}};
    REQUIRE_THROWS_WITH(io::json_text(j, "summary.json"),
                        "summary.json: spend_krw.total is not finite (inf): refusing to write it");
    j["spend_krw"]["total"] = 2.0;
    j["metrics"]["ability"]["ci95"] = {0.1, not_a_number};
    REQUIRE_THROWS_WITH(io::json_text(j, "mc_summary.json"),
                        Catch::Contains("mc_summary.json: metrics.ability.ci95[1] is not finite"));
    j["metrics"]["ability"]["ci95"][1] = 0.2;
    REQUIRE(io::json_text(j, "x.json").find("null") == std::string::npos);
    const std::vector<std::string> cols{"replicate", "spend_total_krw"};
    REQUIRE_THROWS_WITH(io::replicates_csv_row(cols, 7, {infinity}),
                        Catch::Contains("replicates.csv: replicate 7, column spend_total_krw"));
}

TEST_CASE("csv: a cell that could start a formula is neutralised, a negative number is not") {
    REQUIRE(io::csv_field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
    REQUIRE(io::csv_field("+cmd") == "\"'+cmd\"");
    REQUIRE(io::csv_field("-2+3") == "\"'-2+3\"");
    REQUIRE(io::csv_field("@SUM(A1)") == "\"'@SUM(A1)\"");
    REQUIRE(io::csv_field("\tx") == "\"'\tx\"");
    REQUIRE(io::csv_field("\rx") == "\"'\rx\"");
    REQUIRE(io::csv_field("'quoted") == "\"''quoted\"");  // so that readers can undo the rule
    REQUIRE(io::csv_field("-") == "\"'-\"");
    REQUIRE(io::csv_field("a=b") == "a=b");
    REQUIRE(io::csv_field("Seoul, Korea") == "\"Seoul, Korea\"");
    // Numbers, as numbers or as text, stay numbers.
    for (const char* n : {"-0.5", "+3", "-1e-9", "-.5", "2.", "-7"}) REQUIRE(io::csv_field(n) == n);
    REQUIRE(io::csv_row("x.csv", {"id", "v", "n"}, "row", {"-1", -0.5, -3}) == "-1,-0.5,-3\n");
    REQUIRE(io::csv_row("x.csv", {"id", "v"}, "row", {"=1+1", -0.5}) == "\"'=1+1\",-0.5\n");
}

TEST_CASE("report: a neutralised CSV cell reads back as the text it was") {
    if (!fs::exists(std::string(KAISIM_SOURCE_DIR) +
                    "/reports/node_modules/vega/build/vega.min.js")) {
        WARN("reports/node_modules missing: the report read-back test did not run");
        return;
    }
    setenv("KAISIM_REPORT_DIR", KAISIM_SOURCE_DIR "/reports", 1);
    const fs::path d = fresh("readback");
    const std::vector<std::string> h{"metric",      "direction",  "mean_a",        "mean_b",
                                     "diff",        "diff_lo",    "diff_hi",       "unpaired_lo",
                                     "unpaired_hi", "p_b_better", "variance_ratio"};
    const std::string csv = io::csv_line(h) + io::csv_row("compare.csv", h, "m",
                                                          {"=cmd|' /C calc'!A0", "higher", 1.0, 2.0,
                                                           -0.5, -1.0, 0.0, -2.0, 1.0, 0.5, 2.0});
    commit_set(d, "compare", {{"compare.csv", csv}});
    const std::string html = io::build_report(d.string());
    REQUIRE(html.find("\"metric\":\"=cmd|' /C calc'!A0\"") != std::string::npos);
    REQUIRE(html.find("\"diff\":-0.5") != std::string::npos);
    // The report joins the folder's set: the next set removes it.
    io::write_report(d.string(), path(d, "report.html"));
    REQUIRE(fs::exists(d / "report.html"));
    REQUIRE(io::read_manifest(d.string())->files.back().derived);
    io::build_report(d.string());  // still a complete set
    commit_set(d, "compare", {{"compare.csv", csv}});
    REQUIRE_FALSE(fs::exists(d / "report.html"));
    REQUIRE_THROWS_WITH(io::write_report(d.string(), path(d, "compare.csv")),
                        Catch::Contains("refusing to write the report over"));
    fs::remove_all(d);
}

TEST_CASE("atomic outputs: SIGTERM during a Monte Carlo leaves no temporary file") {
    const fs::path d = fresh("sigterm");
    const std::string scenario = std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2025.yaml";
    const std::string out = d.string();
    std::vector<std::string> args{KAISIM_BINARY,  "run",     scenario,
                                  "--replicates", "2000000", "--replicates-csv",
                                  "--quiet",      "--out",   out};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
    struct Reaper {  // a failed check must not leave the child running
        pid_t& pid;
        ~Reaper() {
            if (pid > 0 && ::kill(pid, SIGKILL) == 0) ::waitpid(pid, nullptr, 0);
        }
    } reaper{pid};
    // Wait until replicates.csv is being written (its temporary file exists), then a second.
    bool streaming = false;
    for (int i = 0; i < 600 && !streaming; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        for (const std::string& n : listing(d))
            streaming = streaming || n.rfind("replicates.csv.tmp.", 0) == 0;
    }
    REQUIRE(streaming);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    REQUIRE(::kill(pid, SIGTERM) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    pid = 0;
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGTERM);
    REQUIRE(listing(d).empty());
    fs::remove_all(d);
}
