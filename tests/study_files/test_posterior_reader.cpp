// Reading a posterior.csv back (issue 32): one rule per column, any size, errors at their line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "../support/files.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/output/calibration_outputs.hpp"
#include "kaisim/study/sweep_design.hpp"
#include "kaisim/study_files/calibration_file.hpp"
#include "kaisim/study_files/posterior_reader.hpp"

namespace fs = std::filesystem;
using kaisim::io::read_posterior;

namespace {
// The InputError that reading `text` as a posterior.csv throws.
kaisim::InputError error_of(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
    try {
        read_posterior(file.string());
    } catch (const kaisim::InputError& e) {
        return e;
    }
    FAIL("accepted: " << text.substr(0, 200));
    return {"", 0, 0, ""};
}
}  // namespace

TEST_CASE("posterior reader: weight and sets are read, each once, the rest is for people") {
    const fs::path dir = kaisim::test::fresh_path("posterior-reader");
    fs::create_directories(dir);
    const fs::path f = dir / "posterior.csv";
    // Parameter columns are not read: NaN or text there changes nothing.
    std::ofstream(f)
        << "particle,weight,skill,sets\n0,1,nan,teams[a].skill=1.2;teams[b].skill=0.9\n"
           "1,3,text,\"teams[a].skill=1.0\"\n";
    const auto ps = read_posterior(f.string());
    REQUIRE(ps.size() == 2);
    CHECK(ps[0].weight == 1);
    CHECK(ps[0].sets == std::vector<std::string>{"teams[a].skill=1.2", "teams[b].skill=0.9"});
    CHECK(ps[1].sets == std::vector<std::string>{"teams[a].skill=1.0"});

    const auto second = error_of(f, "weight,sets,weight\n1,,2\n");
    CHECK(second.line() == 1);
    CHECK(second.col() == 3);
    CHECK(second.message().find("a second column 'weight'") != std::string::npos);
    CHECK(error_of(f, "weight,sets,sets\n1,,\n").message().find("'sets'") != std::string::npos);
    CHECK(error_of(f, "weight,sets\n1,nosuch\n").message().find("not PATH=VALUE") !=
          std::string::npos);
    const auto nul = error_of(f, std::string("weight,sets\n1,a=1\n2,b\0=1\n", 24));
    CHECK(nul.line() == 3);
    CHECK(nul.message().find("not a text file") != std::string::npos);
    const auto quote = error_of(f, "weight,sets\n1,\"a=1\n");
    CHECK(quote.message().find("does not end") != std::string::npos);
    // One location, not the reader's wrapped in another's.
    const auto fields = error_of(f, "weight,sets\n1,a=1\n2\n");
    CHECK(std::string(fields.what()).find(": error: ") ==
          std::string(fields.what()).rfind(": error: "));
    CHECK(fields.line() == 3);
    CHECK(error_of(f, "weight,sets\n" +
                          std::string(kaisim::io::max_posterior_record_bytes + 10, 'x') + "\n")
              .message()
              .find("a record longer than") != std::string::npos);
    CHECK(error_of(f, "").message().find("needs the columns weight and sets") != std::string::npos);
    // Blank lines (a trailing one, CRLF too) are skipped; the particles keep their own lines.
    std::ofstream(f, std::ios::binary) << "particle,weight,sets\r\n0,1,a=1\r\n\r\n"
                                          "1,2,\"b=1\nc\"\r\n2,1,d=2\n\n";
    const auto blank = read_posterior(f.string());
    REQUIRE(blank.size() == 3);
    CHECK(blank[0].line == 2);
    CHECK(blank[1].line == 4);  // a quoted field over two lines
    CHECK(blank[2].line == 6);
    // A '"' inside an unquoted field would join rows: refused, not particles dropped.
    const auto mid = error_of(f, "weight,sets\n0.5,ab\"c=1\n0.25,x=2\n0.25,d\"e=3\n");
    CHECK(mid.line() == 2);
    CHECK(mid.message().find("not quoted") != std::string::npos);
    // A file without line breaks is refused while it is read, not loaded whole.
    const auto endless = error_of(f, "weight,sets\n" + std::string(3 << 20, 'x'));
    CHECK(endless.line() == 2);
    CHECK(endless.message().find("a record longer than") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("posterior reader: a large posterior is read whole, at a row's cost") {
    // 10^6 particles of `1,` (the audit's 3 MB file that took minutes and gigabytes), and a
    // posterior larger than the 8 MiB the scenario readers allow: 12,000 particles of 1 kB of
    // sets (a 10,000-particle calibration of many teams writes about 10 MB).
    const fs::path dir = kaisim::test::fresh_path("posterior-large");
    fs::create_directories(dir);
    kaisim::test::write_posterior(dir / "many.csv", 1000000, "");
    const auto ps = read_posterior((dir / "many.csv").string());
    REQUIRE(ps.size() == 1000000);
    CHECK(ps.back().sets.empty());
    {
        std::ofstream big(dir / "big.csv");
        big << "particle,weight,sets\n";
        std::string sets;
        for (int t = 0; sets.size() < 1000; ++t)
            sets +=
                (t ? ";" : "") + std::string("teams[t") + std::to_string(t) + "].skill=1.2345678";
        for (int i = 0; i < 12000; ++i) big << i << ",0.5," << sets << "\n";
    }
    REQUIRE(fs::file_size(dir / "big.csv") > (std::size_t{8} << 20));
    const auto big = read_posterior((dir / "big.csv").string());
    REQUIRE(big.size() == 12000);
    CHECK(big.back().sets.size() == big.front().sets.size());
    fs::remove_all(dir);
}

TEST_CASE("posterior reader: what posterior_csv writes at the largest sizes reads back whole") {
    // Issue 32: kaisim refused its own 10,000-particle posterior (10.3 MB, over 8 MiB). Here the
    // writer's output is read back: the teams calibration (every applicant's attributes under
    // hierarchical priors) at 10,000 particles, and the analytic one at 100,000, the most a
    // calibration file allows.
    const fs::path dir = kaisim::test::fresh_path("posterior-roundtrip");
    fs::create_directories(dir);
    for (const auto& [file, particles] :
         {std::pair<std::string, std::size_t>{"scenarios/calibration/k-ai-teams.yaml", 10000},
          {"tests/inputs/calibration-small.yaml", 100000}}) {
        INFO(file);
        const kaisim::study::CalibrationSpec spec =
            kaisim::io::load_calibration(std::string(KAISIM_SOURCE_DIR) + "/" + file);
        kaisim::study::CalibrationOutcome o;
        std::uint64_t x = 0x9E3779B97F4A7C15ull;  // LCG: test data only
        for (std::size_t i = 0; i < particles; ++i) {
            kaisim::study::AbcParticle p;
            for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                p.u.push_back((static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53);
            }
            p.weight = 1.0 / static_cast<double>(particles);
            o.values.push_back(kaisim::study::point_values(spec.parameters, p.u));
            o.abc.particles.push_back(std::move(p));
        }
        const fs::path csv = dir / "posterior.csv";
        std::ofstream(csv, std::ios::binary) << kaisim::io::posterior_csv(spec, o);
        INFO(fs::file_size(csv) << " bytes");
        const auto back = read_posterior(csv.string());
        REQUIRE(back.size() == particles);
        for (std::size_t i : {std::size_t{0}, particles / 2, particles - 1}) {
            CHECK(back[i].weight == Approx(1.0 / static_cast<double>(particles)));
            CHECK(back[i].sets == kaisim::study::point_sets(spec.parameters, o.abc.particles[i].u));
        }
    }
    fs::remove_all(dir);
}
