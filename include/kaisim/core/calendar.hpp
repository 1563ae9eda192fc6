#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace kaisim::core {

/// Hours in a (non-leap) day and year, for converting rates.
inline constexpr double hours_per_day = 24.0;
inline constexpr double hours_per_year = 8766.0;  ///< 365.25 days: mean Julian year

/// A civil date in the proleptic Gregorian calendar.
struct Date {
    int year = 1970;
    int month = 1;  ///< 1..12
    int day = 1;    ///< 1..31
};

/// Days since 1970-01-01 for a civil date (negative before it).
long days_from_civil(Date d);
/// The civil date of a day count since 1970-01-01.
Date civil_from_days(long days);
/// Parses `YYYY-MM-DD`; nullopt when malformed or not a real date.
std::optional<Date> parse_date(std::string_view text);
/// Formats as `YYYY-MM-DD`.
std::string format_date(Date d);

/// Converts between dates and hours since a programme start date (midnight).
class Calendar {
  public:
    explicit Calendar(Date start = {}) : start_days_(days_from_civil(start)) {}
    /// Hours since the start at midnight of `d`.
    double hours_at(Date d) const { return (days_from_civil(d) - start_days_) * hours_per_day; }
    /// The date containing hour `t_h` since the start.
    Date date_at(double t_h) const;
    /// Hours of the first day of the month after the one containing `t_h`.
    double next_month_start(double t_h) const;
    /// Hours since the start at 1 January of `year`.
    double year_start(int year) const { return hours_at({year, 1, 1}); }

  private:
    long start_days_;
};

}  // namespace kaisim::core
