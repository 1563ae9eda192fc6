#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "kaisim/core/parallel.hpp"

using kaisim::core::parallel_for;

TEST_CASE("parallel: every index is visited once, whatever the thread count") {
    for (int threads : {1, 2, 3, 8, 1024}) {
        std::vector<std::atomic<int>> seen(100);
        parallel_for(seen.size(), threads, [&](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) ++seen[i];
        });
        for (const auto& s : seen) REQUIRE(s == 1);
    }
}

TEST_CASE("parallel: an exception in a worker reaches the caller after every chunk ended") {
    std::vector<std::atomic<int>> visited(100);
    const auto work = [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            if (i == 73) throw std::invalid_argument("index 73");
            ++visited[i];
        }
    };
    // 4 threads, 8 chunks each, of 4 indices: the throw ends the chunk [72, 76) at 73; every
    // other chunk ran to its end, once.
    REQUIRE_THROWS_WITH(parallel_for(100, 4, work), "index 73");
    for (std::size_t i = 0; i < visited.size(); ++i) {
        INFO("index " << i);
        REQUIRE(visited[i] == (i >= 73 && i < 76 ? 0 : 1));
    }
}

TEST_CASE("parallel: when several chunks throw, the caller gets the lowest chunk's exception") {
    const auto work = [](std::size_t b, std::size_t) {
        throw std::runtime_error("chunk at " + std::to_string(b));
    };
    REQUIRE_THROWS_WITH(parallel_for(40, 4, work), "chunk at 0");
}

TEST_CASE("parallel: the pool serves calls from several threads and nested calls in turn") {
    // Two threads each run many parallel loops on the shared pool; each loop nests another
    // (run inline on the worker that reached it). Every index of every loop is visited once.
    const auto loops = [](std::vector<int>& count) {
        for (int rep = 0; rep < 200; ++rep)
            parallel_for(count.size(), 3, [&](std::size_t b, std::size_t e) {
                for (std::size_t i = b; i < e; ++i) {
                    int inner = 0;
                    parallel_for(4, 2, [&](std::size_t ib, std::size_t ie) {
                        inner += static_cast<int>(ie - ib);
                    });
                    count[i] += inner == 4 ? 1 : 1000;
                }
            });
    };
    std::vector<int> a(37, 0), b(53, 0);
    std::thread other([&] { loops(b); });
    loops(a);
    other.join();
    for (int x : a) REQUIRE(x == 200);
    for (int x : b) REQUIRE(x == 200);
}

TEST_CASE("parallel: a task that throws reaches the caller of run_tasks, and the pool goes on") {
    std::atomic<int> ran{0};
    REQUIRE_THROWS_WITH(kaisim::core::run_tasks(6,
                                                [&](std::size_t k) {
                                                    ++ran;
                                                    if (k == 4) throw std::runtime_error("task 4");
                                                }),
                        "task 4");
    REQUIRE(ran == 6);  // every task ran to its end first
    std::vector<int> seen(50, 0);
    parallel_for(seen.size(), 3, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) ++seen[i];
    });
    for (int x : seen) REQUIRE(x == 1);
}

TEST_CASE("parallel: pieces cover 0 to n once, in order, and end even when n is near 2^32") {
    using kaisim::core::for_each_piece;
    const auto pieces = [](std::uint32_t n, std::uint32_t size) {
        std::vector<std::pair<std::uint64_t, std::uint64_t>> got;
        for_each_piece(n, size, [&](std::uint32_t first, std::uint32_t count) {
            REQUIRE(got.size() < 16);  // a wrapped loop would go on for ever
            got.emplace_back(first, count);
        });
        return got;
    };
    using P = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
    REQUIRE(pieces(0, 256).empty());
    REQUIRE(pieces(10, 4) == P{{0, 4}, {4, 4}, {8, 2}});
    REQUIRE(pieces(3, 0) == P{{0, 1}, {1, 1}, {2, 1}});
    const std::uint32_t max = 0xFFFFFFFFu, half = 0x80000000u;
    // first += size would wrap from 2^31 + 2^31 to 0 and start again.
    REQUIRE(pieces(max, half) == P{{0, half}, {half, half - 1}});
    REQUIRE(pieces(max, max) == P{{0, max}});
}
