// Regression tests of the loader's defences (issue 11): missing list elements in --set, bounds
// that keep every result finite, the talent bound, overlays that are bombs or empty, inputs that
// are folders, binaries or not UTF-8.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "kaisim/core/error.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/scenario/text_file.hpp"

namespace fs = std::filesystem;
using namespace kaisim;

namespace {
const std::string reference = std::string(KAISIM_SOURCE_DIR) + "/scenarios/k-ai-2025.yaml";

fs::path temp_file(const std::string& name, const std::string& text) {
    const fs::path p =
        fs::temp_directory_path() / ("kaisim-hard-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

// The InputError of loading the reference with `sets` and `overlays`.
InputError load_error(const std::vector<std::string>& sets,
                      const std::vector<std::string>& overlays = {},
                      const std::string& file = reference) {
    io::LoadOptions opt;
    opt.sets = sets;
    opt.overlays = overlays;
    try {
        io::load_scenario(file, opt);
    } catch (const InputError& e) {
        return e;
    }
    FAIL("expected an InputError");
    return InputError("", 0, 0, "");
}
}  // namespace

TEST_CASE("hardening: a --set on a list element that does not exist names the ids that do") {
    const InputError e = load_error({"teams[nosuch].skill=2"});
    REQUIRE(e.file() == "--set teams[nosuch].skill=2");
    REQUIRE(e.message().find("no element with id 'nosuch'") != std::string::npos);
    REQUIRE(e.message().find("naver, lunit") != std::string::npos);
    const InputError huge = load_error({"stages[99999999999999999999999].cut.keep=3"});
    REQUIRE(huge.message().find("past the end of a list of 5") != std::string::npos);
}

TEST_CASE("hardening: an unknown key added by --set is blamed on the --set") {
    const InputError e = load_error({"programme.nosuch=3"});
    REQUIRE(e.file() == "--set programme.nosuch=3");
    REQUIRE(e.message().find("unknown key 'nosuch' in programme") != std::string::npos);
}

TEST_CASE("hardening: numbers beyond any physical meaning are refused before they overflow") {
    for (const char* set :
         {"pool[0].lease_krw_per_gpu_h=1e19", "gpu_types[0].peak_tflops=1e308",
          "data.purchase_krw_per_year=1e308", "capability.reference_flops=1e308",
          "capability.r_star=1e308", "capability.frontier.flops_at_start=1e308",
          "capability.frontier.growth_per_year=1e308", "partners[snu].raw_tokens.korean=1e21",
          "teams[lg].prior_flops=1e308", "domains[korean].purchase_krw_per_mtok=1e-300"}) {
        INFO(set);
        const InputError e = load_error({set});
        REQUIRE(e.file() == std::string("--set ") + set);
        REQUIRE((e.message().find("out of range") != std::string::npos ||
                 e.message().find("at least 0.001") != std::string::npos));
    }
}

TEST_CASE("hardening: talent money that would hire researchers one by one for ever is refused") {
    const InputError e = load_error({"talent.cost_per_researcher_year_krw=1"});
    REQUIRE(e.file() == "--set talent.cost_per_researcher_year_krw=1");
    REQUIRE(e.message().find("at most 100000") != std::string::npos);
}

TEST_CASE("hardening: an overlay alias bomb is refused before it is expanded") {
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'j'; ++c) {
        const char prev = static_cast<char>(c - 1);
        bomb += std::string(1, c) + ": &" + c + " [";
        for (int k = 0; k < 10; ++k) bomb += std::string(k ? ", *" : "*") + prev;
        bomb += "]\n";
    }
    const fs::path p = temp_file("bomb.yaml", bomb);  // 10^10 nodes once expanded
    const InputError e = load_error({}, {p.string()});
    REQUIRE(e.file() == p.string());
    REQUIRE(e.message().find("expands to more than") != std::string::npos);
    // The same bomb as a --set value.
    std::string value = "[&a [x, x, x, x, x, x, x, x, x, x]";
    for (char c = 'b'; c <= 'j'; ++c) {
        value += std::string(", &") + c + " [";
        for (int k = 0; k < 10; ++k)
            value += std::string(k ? ", *" : "*") + static_cast<char>(c - 1);
        value += "]";
    }
    value += "]";
    const InputError s = load_error({"programme.name=" + value});
    REQUIRE(s.file() == "--set programme.name=" + value);
    REQUIRE(s.message().find("expands to more than") != std::string::npos);
}

TEST_CASE("hardening: an overlay with a duplicate key is refused, as a scenario would be") {
    const fs::path p = temp_file("dup.yaml", "data: {lag_days: 1}\ndata: {lag_days: 2}\n");
    const InputError e = load_error({}, {p.string()});
    REQUIRE(e.file() == p.string());
    REQUIRE(e.line() == 2);
    REQUIRE(e.message().find("duplicate key 'data'") != std::string::npos);
}

TEST_CASE("hardening: an empty or folder overlay is blamed on the overlay, not the scenario") {
    const fs::path empty = temp_file("empty.yaml", "");
    const InputError e = load_error({}, {empty.string()});
    REQUIRE(e.file() == empty.string());
    REQUIRE(e.message().find("an overlay must be a map") != std::string::npos);
    const fs::path folder = fs::temp_directory_path();
    const InputError f = load_error({}, {folder.string()});
    REQUIRE(f.file() == folder.string());
    REQUIRE(f.message().find("is a folder") != std::string::npos);
}

TEST_CASE("hardening: a folder, a missing file, a binary or a non-UTF-8 file as the scenario") {
    const InputError folder = load_error({}, {}, fs::temp_directory_path().string());
    REQUIRE(folder.message().find("is a folder, not a file") != std::string::npos);
    const InputError missing = load_error({}, {}, "/nonexistent/kaisim.yaml");
    REQUIRE(missing.message().find("No such file or directory") != std::string::npos);
    const fs::path binary = temp_file("binary.yaml", std::string("programme:\0\x01\x02", 14));
    const InputError bin = load_error({}, {}, binary.string());
    REQUIRE(bin.message().find("NUL byte") != std::string::npos);
    REQUIRE(bin.message().find('\x01') == std::string::npos);  // no raw bytes echoed
    const fs::path latin1 = temp_file("latin1.yaml", "programme: {name: caf\xe9}\n");
    const InputError l1 = load_error({}, {}, latin1.string());
    REQUIRE(l1.line() == 1);
    REQUIRE(l1.col() == 22);
    REQUIRE(l1.message().find("not valid UTF-8") != std::string::npos);
    const InputError set = load_error({"teams[lg].name=caf\xe9"});
    REQUIRE(set.message().find("not valid UTF-8") != std::string::npos);
}

TEST_CASE("hardening: an input larger than the limit is refused without reading it all") {
    const fs::path big = temp_file("big.yaml", std::string(io::max_input_bytes + 1, '#'));
    const InputError e = load_error({}, {}, big.string());
    REQUIRE(e.message().find("larger than 8 MiB") != std::string::npos);
}

TEST_CASE("hardening: UTF-8 validation accepts Korean and rejects overlong and stray bytes") {
    REQUIRE_FALSE(io::invalid_utf8_at("네이버클라우드 LG AI연구원"));
    REQUIRE(io::invalid_utf8_at("a\xc0\xaf") == std::pair<int, int>{1, 2});  // overlong '/'
    REQUIRE(io::invalid_utf8_at("ab\ncd\x80") == std::pair<int, int>{2, 3});
    REQUIRE(io::invalid_utf8_at("\xed\xa0\x80"));  // a UTF-16 surrogate
}
