#pragma once
/// Civil dates (no time, no zone) as std::chrono::year_month_day, with strict ISO-8601
/// parsing and the few operations the domain needs. All functions are pure and thread-safe.

#include <chrono>
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::core {

/// A civil date. Every Date produced by this header satisfies ok().
using Date = std::chrono::year_month_day;

/// Parses exactly "YYYY-MM-DD" (ten characters, four-digit year 0001–9999, two-digit month
/// and day, no spaces, no time part) into a date that exists in the Gregorian calendar.
/// Errors (both kInvalid): "date-format" when the text does not have that shape;
/// "date-invalid" when it does but the day does not exist ("2026-02-30", "2026-13-01").
[[nodiscard]] Result<Date> ParseIsoDate(std::string_view text);

/// "YYYY-MM-DD". REQUIRES: d.ok() and year 0001–9999.
std::string FormatIsoDate(Date d);

/// "25 de noviembre de 2026", as Spanish writes dates in letters. REQUIRES: d.ok().
std::string SpanishLongDate(Date d);

/// Day of the week of `d`. REQUIRES: d.ok().
std::chrono::weekday DayOfWeek(Date d);

/// `d` plus `days` calendar days (negative goes back). REQUIRES: d.ok().
Date AddDays(Date d, int days);

/// Calendar days from `a` to `b` (negative if b is before a). REQUIRES: a.ok(), b.ok().
int DaysBetween(Date a, Date b);

/// The civil date in Guatemala (America/Guatemala) at instant `t`. Guatemala keeps UTC−06:00
/// all year (no daylight saving since 2006), so this is a fixed offset rather than a time
/// zone database lookup.
Date GuatemalaDate(std::chrono::system_clock::time_point t);

}  // namespace vt::core
