#include <catch2/catch.hpp>

#include <vector>

#include "kaisim/core/engine.hpp"

using kaisim::core::Engine;
using kaisim::core::Event;

TEST_CASE("engine: simultaneous events run by priority class, then in insertion order") {
    Engine eng;
    std::vector<std::uint64_t> seen;
    // Same time, scrambled classes; within a class the insertion order must hold.
    eng.schedule(5.0, 2, 0, 20);
    eng.schedule(5.0, 1, 0, 10);
    eng.schedule(5.0, 2, 0, 21);
    eng.schedule(5.0, 1, 0, 11);
    eng.schedule(1.0, 9, 0, 0);
    eng.schedule(5.0, 2, 0, 22);
    eng.schedule(5.0, 0, 0, 1);
    eng.run_until(10.0, [&](const Event& e) { seen.push_back(e.payload); });
    REQUIRE(seen == std::vector<std::uint64_t>{0, 1, 10, 11, 20, 21, 22});
}

TEST_CASE("engine: events scheduled during a run keep time order and the clock advances") {
    Engine eng;
    std::vector<double> times;
    eng.schedule(0.0, 0, 0);
    eng.run_until(100.0, [&](const Event& e) {
        times.push_back(eng.now());
        REQUIRE(eng.now() == e.t_h);
        if (times.size() < 50)
            eng.schedule(eng.now() + 0.5 * static_cast<double>(times.size() % 3 + 1), 0, 0);
    });
    REQUIRE(times.size() == 50);
    for (std::size_t i = 1; i < times.size(); ++i) REQUIRE(times[i] >= times[i - 1]);
}

TEST_CASE("engine: run_until leaves later events queued") {
    Engine eng;
    int n = 0;
    eng.schedule(1.0, 0, 0);
    eng.schedule(2.0, 0, 0);
    eng.schedule(3.0, 0, 0);
    REQUIRE(eng.run_until(2.0, [&](const Event&) { ++n; }) == 2);
    REQUIRE(n == 2);
    REQUIRE(eng.pending() == 1);
}

TEST_CASE("event queue: 10,000 random events pop in (time, class, sequence) order") {
    kaisim::core::EventQueue q;
    std::uint64_t x = 12345;
    for (std::uint64_t i = 0; i < 10000; ++i) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;  // LCG: test data only
        q.push(Event{static_cast<double>((x >> 33) % 100),
                     static_cast<std::uint32_t>((x >> 20) % 3), 0, i, 0});
    }
    Event prev = q.pop();
    while (!q.empty()) {
        const Event e = q.pop();
        REQUIRE(kaisim::core::runs_before(prev, e));
        prev = e;
    }
}
