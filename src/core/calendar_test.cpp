#include "vt/core/calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "vt/core/geo.hpp"
#include "vt/testing.hpp"

namespace vt::core {
namespace {

using namespace std::chrono;

// 2026 at a glance: Semana Santa is Wed 1 (half day), Thu 2, Fri 3, Sat 4 April (Easter
// Sunday 5 April); 30 June is a Tuesday, enjoyed Monday 29 June; 24 and 31 December are
// Thursdays (half days), 25 December a Friday; 1 January 2027 is a Friday.

TEST(Easter, GregorianComputus) {
    struct Case {
        int year;
        Date easter;
    };
    const Case cases[] = {
        {2025, 2025y / April / 20}, {2026, 2026y / April / 5},  {2027, 2027y / March / 28},
        {2000, 2000y / April / 23}, {2038, 2038y / April / 25}, {2024, 2024y / March / 31},
        {1818, 1818y / March / 22},  // earliest possible date
        {2285, 2285y / March / 22},  // earliest possible date
        {1943, 1943y / April / 25},  // latest possible date
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.year);
        EXPECT_EQ(EasterSunday(year{c.year}), c.easter);
        EXPECT_EQ(DayOfWeek(EasterSunday(year{c.year})), Sunday);
    }
}

TEST(NationalHolidays, Year2026FollowsArticle127) {
    const std::vector<Holiday> expected = {
        {2026y / January / 1, "Año Nuevo", false},
        {2026y / April / 1, "Miércoles Santo (sector público, desde las 12:00)", true},
        {2026y / April / 2, "Jueves Santo", false},
        {2026y / April / 3, "Viernes Santo", false},
        {2026y / April / 4, "Sábado Santo", false},
        {2026y / May / 1, "Día del Trabajo", false},
        {2026y / June / 29, "Día del Ejército (trasladado del 30 de junio)", false},
        {2026y / September / 15, "Día de la Independencia", false},
        {2026y / October / 20, "Día de la Revolución", false},
        {2026y / November / 1, "Día de Todos los Santos", false},
        {2026y / December / 24, "Nochebuena (desde las 12:00)", true},
        {2026y / December / 25, "Navidad", false},
        {2026y / December / 31, "Víspera de Año Nuevo (desde las 12:00)", true},
    };
    EXPECT_EQ(NationalHolidays(2026y), expected);
}

TEST(NationalHolidays, ArmyDayTraslado) {
    struct Case {
        int year;
        Date observed;
        const char* why;
    };
    const Case cases[] = {
        {2023, 2023y / July / 3, "Friday → following Monday"},
        {2024, 2024y / July / 1, "Sunday → following Monday"},
        {2025, 2025y / June / 30, "Monday stays"},
        {2026, 2026y / June / 29, "Tuesday → preceding Monday"},
        {2027, 2027y / June / 28, "Wednesday → preceding Monday"},
        {2028, 2028y / July / 3, "Friday → following Monday"},
        {2029, 2029y / July / 2, "Saturday → following Monday"},
        {2033, 2033y / July / 4, "Thursday → following Monday"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.why);
        auto holidays = NationalHolidays(year{c.year});
        auto army = std::ranges::find_if(
            holidays, [](const Holiday& h) { return h.name.starts_with("Día del Ejército"); });
        ASSERT_NE(army, holidays.end());
        EXPECT_EQ(army->date, c.observed);
        EXPECT_EQ(DayOfWeek(army->date), Monday);
    }
}

TEST(WorkingCalendar, WhichDaysAreHabiles) {
    const WorkingCalendar cal;
    struct Case {
        Date day;
        bool habil;
        const char* why;
    };
    const Case cases[] = {
        {2026y / March / 31, true, "ordinary Tuesday"},
        {2026y / March / 28, false, "Saturday"},
        {2026y / March / 29, false, "Sunday"},
        {2026y / April / 1, true, "Miércoles Santo is only a half day (OPEN-12)"},
        {2026y / April / 2, false, "Jueves Santo"},
        {2026y / April / 3, false, "Viernes Santo"},
        {2026y / April / 6, true, "Easter Monday is not an asueto"},
        {2026y / January / 1, false, "Año Nuevo"},
        {2026y / May / 1, false, "Día del Trabajo"},
        {2026y / June / 29, false, "30 June moved to Monday 29"},
        {2026y / June / 30, true, "30 June itself is hábil once moved"},
        {2027y / June / 28, false, "30 June 2027 moved to Monday 28"},
        {2027y / June / 30, true, "30 June 2027 itself is hábil"},
        {2025y / June / 30, false, "30 June 2025 was a Monday and stayed"},
        {2026y / September / 15, false, "Independencia"},
        {2026y / October / 20, false, "Revolución (never moves since 2020)"},
        {2026y / October / 19, true, "no traslado for 20 October"},
        {2026y / December / 24, true, "Nochebuena is a half day"},
        {2026y / December / 25, false, "Navidad"},
        {2026y / December / 31, true, "31 December is a half day"},
        {2027y / January / 1, false, "Año Nuevo 2027"},
        {2025y / August / 15, true, "15 August is not national"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.why);
        EXPECT_EQ(cal.IsWorkingDay(c.day), c.habil);
    }
}

TEST(WorkingCalendar, DeadlinesInDiasHabiles) {
    const WorkingCalendar cal;
    struct Case {
        Date filed_on;
        int n;
        Date deadline;
        const char* why;
    };
    const Case cases[] = {
        // Semana Santa 2026.
        {2026y / March / 30, 5, 2026y / April / 8,
         "Mon 30 Mar + 5: 31, 1 (half day counts), skip Thu 2 to Sun 5, 6, 7, 8"},
        {2026y / April / 1, 1, 2026y / April / 6, "from Miércoles Santo over the holy days"},
        {2026y / April / 3, 0, 2026y / April / 6, "filed on Viernes Santo: deemed Monday"},
        {2026y / April / 3, 1, 2026y / April / 7, "filed on Viernes Santo, count from Tuesday"},
        // Year end 2026 → 2027.
        {2026y / December / 23, 3, 2026y / December / 29, "24 (half day), skip 25 to 27, 28, 29"},
        {2026y / December / 23, 6, 2027y / January / 4, "…, 30, 31 (half day), skip 1 Jan"},
        {2026y / December / 25, 1, 2026y / December / 29, "filed on Navidad: deemed Mon 28"},
        {2026y / December / 31, 1, 2027y / January / 4, "31 Dec + 1 skips 1 Jan and weekend"},
        // 30 June traslado.
        {2026y / June / 26, 1, 2026y / June / 30, "Fri 26 Jun 2026 + 1 skips Mon 29"},
        {2027y / June / 25, 2, 2027y / June / 30, "Fri 25 Jun 2027 + 2 skips Mon 28"},
        // Weekend filing.
        {2026y / March / 7, 0, 2026y / March / 9, "Saturday filing is deemed Monday"},
        {2026y / March / 7, 1, 2026y / March / 10, "…and counting starts Tuesday"},
        {2026y / March / 7, 5, 2026y / March / 16, "five días hábiles from a Saturday"},
        {2026y / March / 8, 1, 2026y / March / 10, "Sunday filing, same as Saturday"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.why);
        EXPECT_EQ(cal.AddWorkingDays(c.filed_on, c.n), c.deadline);
    }
}

TEST(WorkingCalendar, LaipTenDaysPlusTenDayExtension) {
    // Decreto 57-2008 Arts. 42–43: resolve within 10 días hábiles, extendable by up to 10.
    const WorkingCalendar cal;
    const Date filed = 2026y / March / 23;  // Monday before Semana Santa
    const Date deadline = cal.AddWorkingDays(filed, 10);
    EXPECT_EQ(deadline, 2026y / April / 8);  // 24–27, 30, 31, 1 Apr, 6, 7, 8
    const Date extended = cal.AddWorkingDays(deadline, 10);
    EXPECT_EQ(extended, 2026y / April / 22);
    EXPECT_EQ(extended, cal.AddWorkingDays(filed, 20));
    EXPECT_EQ(cal.WorkingDaysBetween(filed, extended), 20);
}

TEST(WorkingCalendar, NextWorkingDayIsStrictlyAfter) {
    const WorkingCalendar cal;
    EXPECT_EQ(cal.NextWorkingDay(2026y / March / 31), 2026y / April / 1);
    EXPECT_EQ(cal.NextWorkingDay(2026y / April / 1), 2026y / April / 6);
    EXPECT_EQ(cal.NextWorkingDay(2026y / June / 26), 2026y / June / 30);
    EXPECT_EQ(cal.DeemedFilingDate(2026y / March / 31), 2026y / March / 31);
    EXPECT_EQ(cal.DeemedFilingDate(2026y / April / 4), 2026y / April / 6);
}

TEST(WorkingCalendar, WorkingDaysBetweenForSla) {
    const WorkingCalendar cal;
    struct Case {
        Date a, b;
        int days;
        const char* why;
    };
    const Case cases[] = {
        {2026y / March / 30, 2026y / April / 8, 5, "across Semana Santa"},
        {2026y / April / 8, 2026y / March / 30, -5, "reversed is negative"},
        {2026y / April / 8, 2026y / April / 8, 0, "same day"},
        {2026y / April / 2, 2026y / April / 5, 0, "only inhábiles in between"},
        {2026y / April / 3, 2026y / April / 6, 1, "b counts, a does not"},
        // 261 weekdays in 2026 minus the 8 full-day asuetos on weekdays
        // (1 Jan, 2 and 3 Apr, 1 May, 29 Jun, 15 Sep, 20 Oct, 25 Dec).
        {2025y / December / 31, 2026y / December / 31, 253, "all of 2026"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.why);
        EXPECT_EQ(cal.WorkingDaysBetween(c.a, c.b), c.days);
    }
}

TEST(WorkingCalendar, CountAndDeadlineAgree) {
    const WorkingCalendar cal;
    for (Date f = 2026y / March / 1; sys_days{f} <= sys_days{2027y / January / 31};
         f = AddDays(f, 1)) {
        if (!cal.IsWorkingDay(f)) continue;
        for (int n : {0, 1, 2, 5, 10, 20}) {
            ASSERT_EQ(cal.WorkingDaysBetween(f, cal.AddWorkingDays(f, n)), n)
                << FormatIsoDate(f) << " + " << n;
        }
    }
}

TEST(WorkingCalendar, LocalFairOnlyForItsMunicipio) {
    auto data = BuiltinCalendarData();
    ASSERT_OK(data);
    const WorkingCalendar cal(*data);
    // 15 August 2025 was a Friday; 25 July 2025 too.
    EXPECT_FALSE(cal.IsWorkingDay(2025y / August / 15, "0101"));  // Ciudad de Guatemala
    EXPECT_TRUE(cal.IsWorkingDay(2025y / August / 15, "0108"));   // Mixco: no fair that day
    EXPECT_TRUE(cal.IsWorkingDay(2025y / August / 15));           // no office given
    EXPECT_TRUE(cal.IsWorkingDay(2025y / August / 15, "9999"));   // unknown code: no fair
    EXPECT_FALSE(cal.IsWorkingDay(2025y / July / 25, "0301"));    // Antigua Guatemala
    EXPECT_TRUE(cal.IsWorkingDay(2025y / July / 25, "0101"));

    EXPECT_EQ(cal.AddWorkingDays(2025y / August / 14, 1, "0101"), 2025y / August / 18);
    EXPECT_EQ(cal.AddWorkingDays(2025y / August / 14, 1, "0108"), 2025y / August / 15);
    EXPECT_EQ(cal.WorkingDaysBetween(2025y / August / 14, 2025y / August / 18, "0101"), 1);
}

TEST(WorkingCalendar, DeclaredAsuetosAreData) {
    auto data = ParseCalendarData(
        "# asuetos declarados de prueba\n"
        "asueto;2026-03-09;Asueto declarado de prueba\n"
        "asueto;2026-03-11;Medio día declarado de prueba;medio\n");
    ASSERT_OK(data);
    const WorkingCalendar cal(*data);
    EXPECT_FALSE(cal.IsWorkingDay(2026y / March / 9));
    EXPECT_TRUE(cal.IsWorkingDay(2026y / March / 11));  // half days count (OPEN-12)
    EXPECT_EQ(cal.AddWorkingDays(2026y / March / 6, 1), 2026y / March / 10);
    EXPECT_TRUE(WorkingCalendar().IsWorkingDay(2026y / March / 9));
}

TEST(WorkingCalendar, HolidaysInMergesNationalDeclaredAndFair) {
    CalendarData data;
    data.declared_asuetos.push_back({2026y / March / 9, "Asueto declarado", false});
    data.declared_asuetos.push_back({2027y / March / 9, "Otro año", false});
    data.local_fairs.push_back({"0101", August / 15, "Virgen de la Asunción"});
    data.local_fairs.push_back({"0102", February / 29, "Feria bisiesta"});
    const WorkingCalendar cal(std::move(data));

    EXPECT_EQ(cal.HolidaysIn(2026y).size(), 14u);  // 13 national + 1 declared
    auto gua = cal.HolidaysIn(2026y, "0101");
    ASSERT_EQ(gua.size(), 15u);
    EXPECT_TRUE(std::ranges::is_sorted(gua, {}, [](const Holiday& h) { return sys_days{h.date}; }));
    EXPECT_EQ(gua[1], (Holiday{2026y / March / 9, "Asueto declarado", false}));
    EXPECT_EQ(gua[8], (Holiday{2026y / August / 15, "Virgen de la Asunción", false}));

    EXPECT_EQ(cal.HolidaysIn(2026y, "0102").size(), 14u);  // no 29 February in 2026
    EXPECT_EQ(cal.HolidaysIn(2028y, "0102").size(), 14u);  // 2028 has one, no declared
}

TEST(CalendarData, ParsesRecordsAndReportsTheBadLine) {
    auto ok = ParseCalendarData(
        "\n"
        "  # comment\n"
        "asueto ; 2026-01-14 ; Toma de posesión \r\n"
        "feria;0301;07-25;Santiago Apóstol\n"
        "feria;2001;02-29;Día bisiesto");
    ASSERT_OK(ok);
    ASSERT_EQ(ok->declared_asuetos.size(), 1u);
    EXPECT_EQ(ok->declared_asuetos[0], (Holiday{2026y / January / 14, "Toma de posesión", false}));
    ASSERT_EQ(ok->local_fairs.size(), 2u);
    EXPECT_EQ(ok->local_fairs[0].municipio, "0301");
    EXPECT_EQ(ok->local_fairs[0].day, July / 25);
    EXPECT_EQ(ok->local_fairs[0].name, "Santiago Apóstol");

    struct Case {
        const char* text;
        const char* line;
    };
    const Case cases[] = {
        {"fiesta;0101;08-15;x", "línea 1:"},       {"# ok\nasueto;2026-02-30;x", "línea 2:"},
        {"asueto;2026-02-03", "línea 1:"},         {"asueto;2026-02-03;", "línea 1:"},
        {"asueto;2026-02-03;x;tarde", "línea 1:"}, {"asueto;2026-02-03;x;medio;extra", "línea 1:"},
        {"feria;9999;08-15;x", "línea 1:"},        {"feria;0101;13-01;x", "línea 1:"},
        {"feria;0101;02-30;x", "línea 1:"},        {"feria;0101;8-15;x", "línea 1:"},
        {"feria;0101;08-15", "línea 1:"},          {"feria;0101;08-15;", "línea 1:"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto r = ParseCalendarData(c.text);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code(), "calendar-data-invalid");
        EXPECT_NE(r.error().message().find(c.line), std::string::npos) << r.error().message();
    }
    EXPECT_FALSE(ParseCalendarData(std::string((1 << 20) + 1, '#')).ok());
}

TEST(CalendarData, BuiltinTableIsSmallAndValid) {
    auto data = BuiltinCalendarData();
    ASSERT_OK(data);
    EXPECT_TRUE(data->declared_asuetos.empty());
    EXPECT_GE(data->local_fairs.size(), 2u);
    EXPECT_LE(data->local_fairs.size(), 10u);
    for (const auto& fair : data->local_fairs) EXPECT_OK(FindMunicipio(fair.municipio));
    auto has = [&](const char* municipio, month_day day) {
        return std::ranges::any_of(data->local_fairs, [&](const LocalFair& f) {
            return f.municipio == municipio && f.day == day;
        });
    };
    EXPECT_TRUE(has("0101", August / 15));
    EXPECT_TRUE(has("0301", July / 25));
}

}  // namespace
}  // namespace vt::core
