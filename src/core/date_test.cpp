#include "vt/core/date.hpp"

#include <gtest/gtest.h>

#include "vt/testing.hpp"

namespace vt::core {
namespace {

using namespace std::chrono;

TEST(Date, ParsesAndFormatsIso) {
    struct Case {
        const char* text;
        Date date;
    };
    const Case cases[] = {
        {"2026-04-02", 2026y / April / 2},     {"2024-02-29", 2024y / February / 29},  // leap year
        {"2000-02-29", 2000y / February / 29},  // divisible by 400
        {"0001-01-01", 1y / January / 1},      {"9999-12-31", 9999y / December / 31},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto d = ParseIsoDate(c.text);
        ASSERT_OK(d);
        EXPECT_EQ(*d, c.date);
        EXPECT_EQ(FormatIsoDate(*d), c.text);
    }
}

TEST(Date, RejectsBadInputStrictly) {
    struct Case {
        const char* text;
        const char* code;
    };
    const Case cases[] = {
        {"2026-02-30", "date-invalid"},      {"2025-02-29", "date-invalid"},  // not a leap year
        {"1900-02-29", "date-invalid"},  // century, not divisible by 400
        {"2026-13-01", "date-invalid"},      {"2026-00-10", "date-invalid"},
        {"2026-04-00", "date-invalid"},      {"2026-04-31", "date-invalid"},
        {"0000-01-01", "date-invalid"},      {"", "date-format"},
        {"2026-4-2", "date-format"},         {"26-04-02", "date-format"},
        {"2026/04/02", "date-format"},       {"02-04-2026", "date-format"},
        {"2026-04-02 ", "date-format"},      {" 2026-04-02", "date-format"},
        {"2026-04-02T10:00", "date-format"}, {"2026-+4-02", "date-format"},
        {"2026-04--2", "date-format"},       {"２０２６-04-02", "date-format"},
        {"abcd-ef-gh", "date-format"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto d = ParseIsoDate(c.text);
        ASSERT_FALSE(d.ok());
        EXPECT_EQ(d.error().code(), c.code);
        EXPECT_EQ(d.error().kind(), ErrorKind::kInvalid);
    }
    EXPECT_EQ(ParseIsoDate("2026-02-30").error().message(),
              "La fecha 2026-02-30 no existe en el calendario.");
}

TEST(Date, DayOfWeekAndArithmetic) {
    EXPECT_EQ(DayOfWeek(2026y / April / 2), Thursday);
    EXPECT_EQ(DayOfWeek(2026y / June / 30), Tuesday);
    EXPECT_EQ(DayOfWeek(2027y / June / 30), Wednesday);
    EXPECT_EQ(DayOfWeek(2000y / January / 1), Saturday);

    EXPECT_EQ(AddDays(2026y / December / 31, 1), 2027y / January / 1);
    EXPECT_EQ(AddDays(2024y / February / 28, 1), 2024y / February / 29);
    EXPECT_EQ(AddDays(2026y / March / 1, -1), 2026y / February / 28);
    EXPECT_EQ(AddDays(2026y / April / 2, 0), 2026y / April / 2);
    EXPECT_EQ(AddDays(2026y / January / 1, 365), 2027y / January / 1);

    EXPECT_EQ(DaysBetween(2026y / January / 1, 2027y / January / 1), 365);
    EXPECT_EQ(DaysBetween(2024y / January / 1, 2025y / January / 1), 366);
    EXPECT_EQ(DaysBetween(2026y / April / 5, 2026y / April / 2), -3);
}

TEST(Date, GuatemalaDateIsUtcMinusSix) {
    auto at = [](Date d, int h, int m) { return sys_days{d} + hours{h} + minutes{m}; };
    // 05:59 UTC on 3 April is still 2 April (23:59) in Guatemala; 06:00 UTC is midnight.
    EXPECT_EQ(GuatemalaDate(at(2026y / April / 3, 5, 59)), 2026y / April / 2);
    EXPECT_EQ(GuatemalaDate(at(2026y / April / 3, 6, 0)), 2026y / April / 3);
    EXPECT_EQ(GuatemalaDate(at(2027y / January / 1, 3, 0)), 2026y / December / 31);
}

}  // namespace
}  // namespace vt::core
