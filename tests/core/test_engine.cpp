#include <catch2/catch.hpp>

#include <set>
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

TEST_CASE("event queue: interleaved pushes and pops match a sorted reference through resizes") {
    // Random operations against std::set ordered by runs_before: bursts that grow the calendar
    // and drains that shrink it, equal times, far jumps, and pushes behind a peeked event.
    kaisim::core::EventQueue q;
    auto cmp = [](const Event& a, const Event& b) { return kaisim::core::runs_before(a, b); };
    std::set<Event, decltype(cmp)> ref(cmp);
    std::uint64_t x = 99, seq = 0;
    auto next = [&x](std::uint64_t n) {  // LCG: test data only
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        return (x >> 33) % n;
    };
    double now = 0;
    for (int round = 0; round < 40; ++round) {
        const std::uint64_t burst = 1 + next(round % 2 ? 3000 : 40);
        for (std::uint64_t i = 0; i < burst; ++i) {
            double t = now;
            switch (next(4)) {
                case 0: t = now + static_cast<double>(next(1000)) * 1e-3; break;  // close
                case 1: t = now + static_cast<double>(next(100)); break;          // far
                case 2: t = now + 1e4 * static_cast<double>(next(3)); break;      // very far
                default: break;                                                   // now exactly
            }
            const Event e{t, static_cast<std::uint32_t>(next(3)), 0, seq++, 0};
            q.push(e);
            ref.insert(e);
        }
        const std::uint64_t drain = next(ref.size() + 1);
        for (std::uint64_t i = 0; i < drain; ++i) {
            REQUIRE(q.top().seq == ref.begin()->seq);  // a peek, then maybe a push behind it
            if (next(5) == 0) {
                const Event e{now, 0, 0, seq++, 0};
                q.push(e);
                ref.insert(e);
            }
            const Event got = q.pop();
            REQUIRE(got.seq == ref.begin()->seq);
            now = got.t_h;
            ref.erase(ref.begin());
        }
        REQUIRE(q.size() == ref.size());
    }
}
