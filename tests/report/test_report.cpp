// The report's chart data are the numbers of the CSV outputs.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/files.hpp"
#include "kaisim/report/report.hpp"

namespace fs = std::filesystem;
using kaisim::test::slurp;

namespace {
const std::string source = KAISIM_SOURCE_DIR;

fs::path outputs(const std::string& name, const std::string& args) {
    const fs::path d =
        fs::temp_directory_path() / ("kaisim-report-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    const int status = std::system(("cd '" + source + "' && " + KAISIM_BINARY + " " + args +
                                    " --quiet --out " + d.string() + " 2>/dev/null")
                                       .c_str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    return d;
}

// Whether the chart libraries are installed (scripts/setup.sh; always in CI).
bool libraries_installed() {
    setenv("KAISIM_REPORT_DIR", (source + "/reports").c_str(), 1);
    if (fs::exists(source + "/reports/node_modules/vega/build/vega.min.js")) return true;
    WARN(
        "reports/node_modules missing (scripts/setup.sh installs it): report data test did not "
        "run");
    return false;
}

// The charts' specifications with their data, as embedded in the report.
nlohmann::json embedded_charts(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"kaisim-charts\">";
    const auto a = html.find(open);
    REQUIRE(a != std::string::npos);
    const auto b = html.find("</script>", a);
    std::string json = html.substr(a + open.size(), b - a - open.size());
    for (std::size_t at = 0; (at = json.find("<\\/", at)) != std::string::npos;)
        json.replace(at, 3, "</");
    return nlohmann::json::parse(json);
}

// Rows of a CSV file (no quoted commas in the columns read here).
std::vector<std::map<std::string, std::string>> csv(const fs::path& p) {
    std::string text = slurp(p);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> head;
    for (std::istringstream h(line); std::getline(h, line, ',');) head.push_back(line);
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        std::map<std::string, std::string> r;
        std::istringstream l(line);
        std::string f;
        for (std::size_t i = 0; i < head.size() && std::getline(l, f, ','); ++i) r[head[i]] = f;
        rows.push_back(r);
    }
    return rows;
}
}  // namespace

TEST_CASE("report: a run report's chart data equal timeline.csv and summary.json") {
    if (!libraries_installed()) return;
    const fs::path dir = outputs("run", "run scenarios/k-ai-2025.yaml --seed 1");
    const nlohmann::json charts = embedded_charts(kaisim::io::build_report(dir.string()));
    REQUIRE(charts.size() == 5);
    // Ability over time: one point per timeline.csv row, the same number.
    const auto timeline = csv(dir / "timeline.csv");
    const nlohmann::json& ability = charts[2]["spec"]["datasets"]["timeline"];
    REQUIRE(ability.size() == timeline.size());
    for (std::size_t i = 0; i < timeline.size(); ++i) {
        REQUIRE(ability[i]["team"] == timeline[i].at("team"));
        REQUIRE(ability[i]["ability"].get<double>() == std::stod(timeline[i].at("ability")));
    }
    // Spend: the GPU budget's spend, in bn KRW.
    const nlohmann::json summary = nlohmann::json::parse(slurp(dir / "summary.json"));
    REQUIRE(charts[4]["spec"]["datasets"]["spend"][0]["spent_bn_krw"].get<double>() ==
            Approx(summary["budgets"][0]["spent_krw"].get<double>() / 1e9).epsilon(1e-12));
    fs::remove_all(dir);
}

TEST_CASE("report: a Monte Carlo report's chart data equal mc_teams.csv") {
    if (!libraries_installed()) return;
    const fs::path dir = outputs("mc", "run scenarios/k-ai-2025.yaml --seed 1 --replicates 60");
    const nlohmann::json charts = embedded_charts(kaisim::io::build_report(dir.string()));
    const auto teams = csv(dir / "mc_teams.csv");
    int checked = 0;
    for (const auto& cellv : charts[0]["spec"]["datasets"]["reach"]) {
        for (const auto& row : teams) {
            if (row.at("team") != cellv["team"]) continue;
            const std::string stage = cellv["stage"];
            const std::string col = stage == "finalist" ? "p_finalist" : "p_reach_" + stage;
            REQUIRE(cellv["p"].get<double>() == std::stod(row.at(col)));
            ++checked;
        }
    }
    REQUIRE(checked == static_cast<int>(teams.size()) * 6);  // 5 stages and the final
    for (std::size_t i = 0; i < teams.size(); ++i)
        REQUIRE(charts[1]["spec"]["datasets"]["ability"][i]["mean"].get<double>() ==
                std::stod(teams[i].at("ability_mean")));
    REQUIRE_THROWS_WITH(kaisim::io::build_report(source + "/scenarios"),
                        Catch::Contains("holds no kaisim outputs"));
    fs::remove_all(dir);
}

TEST_CASE("report: a sweep without sensitivity indices plots its points from sweep.csv") {
    if (!libraries_installed()) return;
    const fs::path dir =
        fs::temp_directory_path() / ("kaisim-report-lhs-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const fs::path spec = dir.string() + ".yaml";
    {
        std::ofstream(spec) << "sweep: {model: ishigami}\n"
                               "parameters:\n"
                               "  - {name: x1, dist: uniform, low: -3.14, high: 3.14}\n"
                               "  - {name: x2, dist: uniform, low: -3.14, high: 3.14}\n"
                               "  - {name: x3, dist: uniform, low: -3.14, high: 3.14}\n"
                               "design: {type: lhs, samples: 20}\n";
    }
    const int status = std::system(
        (std::string(KAISIM_BINARY) + " sweep " + spec.string() + " --quiet --out " + dir.string())
            .c_str());
    REQUIRE(WEXITSTATUS(status) == 0);
    const nlohmann::json charts = embedded_charts(kaisim::io::build_report(dir.string()));
    REQUIRE(charts.size() == 1);
    const auto rows = csv(dir / "sweep.csv");
    const nlohmann::json& points = charts[0]["spec"]["datasets"]["outcome"];
    REQUIRE(points.size() == rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        REQUIRE(points[i]["x"].get<double>() == std::stod(rows[i].at("x1")));
        REQUIRE(points[i]["y"].get<double>() == std::stod(rows[i].at("y")));
    }
    fs::remove_all(dir);
    fs::remove(spec);
}

TEST_CASE("report: a sweep's report warns of an inert parameter and states total variances") {
    if (!libraries_installed()) return;
    const fs::path dir =
        fs::temp_directory_path() / ("kaisim-report-inert-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const fs::path spec = dir.string() + ".yaml";
    {
        std::ofstream(spec) << "sweep: {name: inert, scenario: " << source
                            << "/tests/inputs/minimal.yaml}\n"
                               "parameters:\n"
                               "  - {name: pool_gpus, path: \"pool[0].count\", dist: integer, "
                               "low: 10, high: 1000}\n"
                               "  - {name: label, path: programme.name, dist: choice, values: "
                               "[first, second]}\n"
                               "design: {type: sobol, samples: 4, seed: 1}\n"
                               "replicates: 2\n"
                               "bootstrap: 10\n"
                               "metrics: [spend_gpu_krw]\n";
    }
    const int status = std::system((std::string(KAISIM_BINARY) + " sweep " + spec.string() +
                                    " --quiet --out " + dir.string() + " 2>/dev/null")
                                       .c_str());
    REQUIRE(WEXITSTATUS(status) == 0);
    bool inert_row = false, variance_row = false;
    for (const auto& r : csv(dir / "sensitivity.csv")) {
        inert_row = inert_row || (r.at("index") == "inert" && r.at("parameter") == "label");
        variance_row =
            variance_row || (r.at("index") == "variance" && r.at("metric") == "spend_gpu_krw" &&
                             std::stod(r.at("value")) > 0);
    }
    REQUIRE(inert_row);
    REQUIRE(variance_row);
    const std::string html = kaisim::io::build_report(dir.string());
    REQUIRE_THAT(html, Catch::Contains("Warning: parameter label is inert"));
    REQUIRE_THAT(html, Catch::Contains("Total variance of spend_gpu_krw over the sweep"));
    REQUIRE_THAT(html, !Catch::Contains("parameter pool_gpus is inert"));
    fs::remove_all(dir);
    fs::remove(spec);
}

TEST_CASE(
    "report: a calibration report's chart data equal calibration.json, and it warns of a "
    "published figure the posterior misses") {
    if (!libraries_installed()) return;
    const fs::path dir = outputs("calibration", "calibrate tests/inputs/calibration-small.yaml");
    std::string html = kaisim::io::build_report(dir.string());
    nlohmann::json charts = embedded_charts(html);
    REQUIRE(charts.size() == 3);
    const nlohmann::json cal = nlohmann::json::parse(slurp(dir / "calibration.json"));
    const nlohmann::json& params = charts[0]["spec"]["datasets"]["parameters"];
    REQUIRE(params.size() == 2);  // theta: prior and posterior
    REQUIRE(params[0]["which"] == "prior");
    REQUIRE(params[0]["q05"] == cal["parameters"]["theta"]["prior"]["q05"]);
    REQUIRE(params[1]["q95"] == cal["parameters"]["theta"]["q95"]);
    // The prior is N(0, 2^2): its 5% quantile is -1.645 x 2.
    REQUIRE(params[0]["q05"].get<double>() == Approx(-3.2897).margin(1e-3));
    const nlohmann::json& stats = charts[1]["spec"]["datasets"]["statistics"];
    REQUIRE(stats[1]["q50"] == cal["statistics"]["ybar"]["posterior_predictive"]["q50"]);
    REQUIRE(stats[1]["observed"].get<double>() == 1.5);
    REQUIRE(charts[2]["spec"]["datasets"]["generations"].size() == cal["generations"].size());
    REQUIRE(html.find("lies outside the posterior-predictive") == std::string::npos);
    fs::remove_all(dir);
    // A published value no parameter value reproduces is named in a warning.
    const fs::path yaml =
        fs::temp_directory_path() / ("kaisim-report-far-" + std::to_string(::getpid()) + ".yaml");
    std::string far = slurp(source + "/tests/inputs/calibration-small.yaml");
    far.replace(far.find("value: 1.5"), 10, "value: 40");
    far.replace(far.find("particles: 200"), 14, "particles: 50");
    std::ofstream(yaml, std::ios::binary) << far;
    const fs::path far_dir = outputs("calibration-far", "calibrate " + yaml.string());
    html = kaisim::io::build_report(far_dir.string());
    REQUIRE(html.find("the published ybar (40.0) lies outside the posterior-predictive") !=
            std::string::npos);
    fs::remove_all(far_dir);
    fs::remove(yaml);
}

TEST_CASE(
    "report: a likelihood calibration's report charts its temperatures and shows a tracked "
    "quantity without an observed value") {
    if (!libraries_installed()) return;
    const fs::path yaml =
        fs::temp_directory_path() / ("kaisim-report-lik-" + std::to_string(::getpid()) + ".yaml");
    std::string text = slurp(source + "/tests/inputs/sbc-teams-calibration.yaml");
    text.replace(text.find("scenario: sbc-teams.yaml"), 24,
                 "scenario: " + source + "/tests/inputs/sbc-teams.yaml");
    text.replace(text.find("particles: 64"), 13, "particles: 16");
    text += "tracked:\n  - {name: ability_a, statistic: ability, stage: panel, teams: [a]}\n";
    std::ofstream(yaml, std::ios::binary) << text;
    const fs::path dir = outputs("calibration-likelihood", "calibrate " + yaml.string());
    const std::string html = kaisim::io::build_report(dir.string());
    const nlohmann::json charts = embedded_charts(html);
    REQUIRE(charts.size() == 3);
    const nlohmann::json cal = nlohmann::json::parse(slurp(dir / "calibration.json"));
    REQUIRE(cal["statistics"]["ability_a"]["observed"].is_null());
    bool tracked_row = false;
    for (const nlohmann::json& row : charts[1]["spec"]["datasets"]["statistics"])
        if (row["statistic"] == "ability_a") {
            tracked_row = true;
            REQUIRE(row["observed"].is_null());
        }
    REQUIRE(tracked_row);
    const nlohmann::json& gens = charts[2]["spec"]["datasets"]["generations"];
    REQUIRE(gens.size() == cal["generations"].size());
    REQUIRE(gens.back()["temperature"] == cal["generations"].back()["temperature"]);
    REQUIRE_THAT(charts[2]["spec"]["title"].get<std::string>(), Catch::Contains("temperature"));
    // No tracked quantity is said to miss a published figure.
    REQUIRE(html.find("the published ability_a") == std::string::npos);
    fs::remove_all(dir);
    fs::remove(yaml);
}
