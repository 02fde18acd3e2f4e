#pragma once
/// Guatemalan asuetos and días hábiles (working days), for deadlines and SLA measurement.
///
/// National asuetos follow Código de Trabajo Art. 127 (edición MinTrabajo 2024): 1 January;
/// Jueves, Viernes and Sábado Santo; 1 May; 30 June; 15 September; 20 October; 1 November;
/// 24 December from 12:00; 25 December; 31 December from 12:00; plus the public sector's
/// Miércoles Santo from 12:00. Only 30 June moves (Decreto 19-2018, as limited by the Corte
/// de Constitucionalidad on 16 Apr 2020): on a Tuesday or Wednesday it is enjoyed the
/// preceding Monday; Thursday to Sunday, the following Monday; a Monday stays.
///
/// Día hábil convention (GUATEMALA_RULES §5): Monday to Friday, minus full-day asuetos (after
/// traslado), minus asuetos declared by the Executive, minus the office's local fair. Half-day
/// asuetos (Miércoles Santo, 24 and 31 December afternoons) COUNT as días hábiles; the rule
/// that would make them inhábiles was not retrieved (OPEN-12).

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vt/core/date.hpp"
#include "vt/core/result.hpp"

namespace vt::core {

/// One day off. `half_day` asuetos start at 12:00 and do not stop a day being hábil.
struct Holiday {
    Date date;
    std::string name;  ///< Spanish, for people, e.g. "Jueves Santo".
    bool half_day = false;

    friend bool operator==(const Holiday&, const Holiday&) = default;
};

/// Easter Sunday of year `y` by the Gregorian computus (anonymous algorithm in Meeus,
/// Astronomical Algorithms, ch. 8). REQUIRES: 1583 <= y <= 9999.
Date EasterSunday(std::chrono::year y);

/// The national asuetos of year `y` listed above, 30 June already moved, ordered by date.
/// REQUIRES: 1583 <= y <= 9998.
std::vector<Holiday> NationalHolidays(std::chrono::year y);

/// The feria titular of a municipio: an asueto for workers there (CT Art. 127). It never
/// moves to a Monday.
struct LocalFair {
    std::string municipio;  ///< "DDMM", see vt/core/geo.hpp.
    std::chrono::month_day day;
    std::string name;
};

/// What the calendar needs beyond the law: asuetos the Executive declares from time to time
/// (apply to every office) and local fairs.
struct CalendarData {
    std::vector<Holiday> declared_asuetos;
    std::vector<LocalFair> local_fairs;
};

/// Reads calendar data from text, one record per line, fields separated by ';':
///   asueto;YYYY-MM-DD;nombre[;medio]   declared asueto ("medio": from 12:00 only)
///   feria;DDMM;MM-DD;nombre            local fair of municipio DDMM
/// Blank lines and lines starting with '#' are ignored; spaces around fields are trimmed.
/// At most 1 MiB of text.
/// Errors: kInvalid "calendar-data-invalid", the message naming the first bad line.
[[nodiscard]] Result<CalendarData> ParseCalendarData(std::string_view text);

/// The data shipped with the binary (src/core/data/calendar_data.txt): no declared asuetos
/// and a deliberately PARTIAL table of local fairs (Ciudad de Guatemala 15 Aug, Antigua
/// Guatemala 25 Jul and a few more). Deployments add theirs through ParseCalendarData().
/// Errors: as ParseCalendarData (only if the embedded file is broken; a test guards it).
[[nodiscard]] Result<CalendarData> BuiltinCalendarData();

/// Answers "is this a día hábil?" and counts deadlines in días hábiles.
///
/// `municipio` is the four-digit code of the office where the count runs; its local fair is
/// then inhábil. Empty (or a code with no fair) applies only national and declared asuetos.
///
/// Immutable after construction: every method is const and thread-safe.
class WorkingCalendar {
public:
    explicit WorkingCalendar(CalendarData data = {});

    /// True iff `d` is a día hábil for an office in `municipio`. REQUIRES: d.ok().
    bool IsWorkingDay(Date d, std::string_view municipio = {}) const;

    /// The first día hábil strictly after `d`.
    Date NextWorkingDay(Date d, std::string_view municipio = {}) const;

    /// `d` itself if hábil, else the next día hábil: the day a filing made on `d` is deemed
    /// made.
    Date DeemedFilingDate(Date d, std::string_view municipio = {}) const;

    /// The deadline `n` días hábiles after a filing made on `filed_on`: a filing on an inhábil
    /// day is deemed made on the next día hábil; the count starts on the día hábil after the
    /// (deemed) filing day; the deadline is the n-th día hábil counted. n == 0 gives the
    /// deemed filing day. An extension of m more días hábiles is AddWorkingDays(deadline, m).
    /// REQUIRES: n >= 0.
    Date AddWorkingDays(Date filed_on, int n, std::string_view municipio = {}) const;

    /// The number of días hábiles d with a < d <= b, for SLA measurement: 0 when a == b, and
    /// −WorkingDaysBetween(b, a) when b is before a. For a hábil filing day f,
    /// WorkingDaysBetween(f, AddWorkingDays(f, n)) == n.
    int WorkingDaysBetween(Date a, Date b, std::string_view municipio = {}) const;

    /// All asuetos of year `y` for an office in `municipio`: NationalHolidays(y), the
    /// declared asuetos of that year and the municipio's local fair, ordered by date.
    std::vector<Holiday> HolidaysIn(std::chrono::year y, std::string_view municipio = {}) const;

private:
    bool IsDeclaredAsueto(Date d) const;
    bool IsLocalFair(Date d, std::string_view municipio) const;

    std::vector<Holiday> declared_;                                     // ordered by date
    std::map<std::string, std::vector<LocalFair>, std::less<>> fairs_;  // by municipio code
};

}  // namespace vt::core
