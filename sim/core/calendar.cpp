#include "kaisim/core/calendar.hpp"

#include <cmath>
#include <cstdio>

namespace kaisim::core {

// Civil-date arithmetic on 400-year eras of 146097 days (the Gregorian cycle).
long days_from_civil(Date d) {
    const long y = d.year - (d.month <= 2 ? 1 : 0);
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long mp = (d.month + 9) % 12;  // March = 0
    const long doy = (153 * mp + 2) / 5 + d.day - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date civil_from_days(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
    return {year, month, day};
}

std::optional<Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto digits = [&](size_t from, size_t n) -> int {
        int v = 0;
        for (size_t i = from; i < from + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    const Date d{digits(0, 4), digits(5, 2), digits(8, 2)};
    if (d.year < 0 || d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
    // Round-tripping rejects 2025-02-30 and the like.
    const Date back = civil_from_days(days_from_civil(d));
    if (back.month != d.month || back.day != d.day) return std::nullopt;
    return d;
}

std::string format_date(Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

Date Calendar::date_at(double t_h) const {
    return civil_from_days(start_days_ + static_cast<long>(std::floor(t_h / hours_per_day)));
}

double Calendar::next_month_start(double t_h) const {
    Date d = date_at(t_h);
    d.day = 1;
    if (++d.month > 12) {
        d.month = 1;
        ++d.year;
    }
    return hours_at(d);
}

}  // namespace kaisim::core
