// A deterministic mutation fuzz of the loader: every mutant of a valid scenario must either load
// or fail with an InputError carrying a position. Nothing else may escape (no crash, no yaml-cpp
// exception, no std::exception of another kind).
#include <catch2/catch.hpp>

#include "../support/files.hpp"

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "kaisim/core/error.hpp"
#include "kaisim/scenario/scenario_loader.hpp"

using kaisim::test::slurp;

namespace {
// Fragments that YAML and the schema care about, spliced in at random places.
const char* const fragments[] = {":", "-",     "[",   "]",          "{",    "}",  ",",     "\n",
                                 " ", "#",     "'",   "\"",         "&a",   "*a", "!!int", "-1",
                                 "0", "1e400", "nan", "2025-13-45", "keep", "id", "teams", "? ",
                                 "|", ">",     "\t",  "~",          "null"};
}  // namespace

TEST_CASE("loader fuzz: 3,000 mutants of a valid scenario load or fail with a position") {
    const std::string base = slurp(std::string(KAISIM_SOURCE_DIR) + "/tests/inputs/minimal.yaml");
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("kaisim-mutant-" + std::to_string(::getpid()) + ".yaml"))
                                 .string();
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    auto next = [&x](std::uint64_t n) {  // LCG: test data only
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        return (x >> 33) % n;
    };
    int loaded = 0, rejected = 0;
    for (int m = 0; m < 3000; ++m) {
        std::string text = base;
        const int edits = 1 + static_cast<int>(next(3));
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = next(text.size());
            switch (next(3)) {
                case 0: text.erase(at, 1 + next(8)); break;
                case 1: text.insert(at, fragments[next(std::size(fragments))]); break;
                default: text[at] = static_cast<char>(32 + next(95)); break;
            }
        }
        std::ofstream(path, std::ios::binary) << text;
        try {
            kaisim::io::load_scenario(path);
            ++loaded;
        } catch (const kaisim::InputError& e) {
            ++rejected;
            if (e.line() < 1 || e.col() < 1)
                FAIL("mutant " << m << " gave no position: " << e.what() << "\n" << text);
        } catch (const std::exception& e) {
            FAIL("mutant " << m << " escaped as " << e.what() << "\n" << text);
        }
    }
    std::filesystem::remove(path);
    // Both outcomes must occur, or the mutation is too weak or too strong to test anything.
    REQUIRE(loaded > 0);
    REQUIRE(rejected > 0);
}
