#include <catch2/catch.hpp>

#include "kaisim/core/calendar.hpp"

using namespace kaisim::core;

TEST_CASE("calendar: civil dates round-trip and count days") {
    REQUIRE(days_from_civil({1970, 1, 1}) == 0);
    REQUIRE(days_from_civil({2000, 3, 1}) == 11017);
    REQUIRE(days_from_civil({2025, 7, 21}) == 20290);
    for (long d = -1000; d < 40000; d += 37) {
        const Date c = civil_from_days(d);
        REQUIRE(days_from_civil(c) == d);
    }
}

TEST_CASE("calendar: dates parse strictly") {
    REQUIRE(parse_date("2025-08-04").has_value());
    REQUIRE(parse_date("2024-02-29").has_value());
    REQUIRE_FALSE(parse_date("2025-02-29").has_value());
    REQUIRE_FALSE(parse_date("2025-13-01").has_value());
    REQUIRE_FALSE(parse_date("2025-8-4").has_value());
    REQUIRE_FALSE(parse_date("yesterday").has_value());
    REQUIRE(format_date(*parse_date("2026-01-15")) == "2026-01-15");
}

TEST_CASE("calendar: hours since the programme start and month boundaries") {
    const Calendar cal({2025, 7, 21});
    REQUIRE(cal.hours_at({2025, 7, 21}) == 0.0);
    REQUIRE(cal.hours_at({2025, 8, 4}) == 14 * 24.0);
    REQUIRE(format_date(cal.date_at(14 * 24.0 + 23.9)) == "2025-08-04");
    REQUIRE(cal.next_month_start(0.0) == cal.hours_at({2025, 8, 1}));
    REQUIRE(cal.next_month_start(cal.hours_at({2025, 12, 1})) == cal.hours_at({2026, 1, 1}));
}
