#include "vt/core/money.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "vt/testing.hpp"

namespace vt::core {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

TEST(Money, ParsesWhatPeopleWrite) {
    struct Case {
        const char* text;
        std::int64_t centavos;
    };
    const Case cases[] = {
        {"1234.56", 123456},
        {"Q1,234.56", 123456},
        {"1234", 123400},
        {"Q 1,234.56", 123456},
        {"  Q1,234.56\t", 123456},
        {"q12.5", 1250},
        {"0.05", 5},
        {"Q0", 0},
        {"-0.00", 0},
        {"-Q15.00", -1500},
        {"-1234.5", -123450},
        {"1,000,000", 100000000},
        {"Q12,345,678.90", 1234567890},
        {"007", 700},
        {"999999999999.99", Money::kMaxParsedCentavos},
        {"-Q999,999,999,999.99", -Money::kMaxParsedCentavos},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto m = Money::Parse(c.text);
        ASSERT_OK(m);
        EXPECT_EQ(m->centavos(), c.centavos);
    }
}

TEST(Money, RejectsMalformedAmountsWithStableCodes) {
    struct Case {
        std::string text;
        const char* code;
    };
    const Case cases[] = {
        {"", "money-format"},
        {"   ", "money-format"},
        {"Q", "money-format"},
        {"abc", "money-format"},
        {"1,234,56", "money-format"},  // decimal comma
        {"1.234,56", "money-format"},  // European style
        {"12,34", "money-format"},     // group of two
        {"1,2345", "money-format"},    // group of four
        {",123", "money-format"},
        {"1234,", "money-format"},
        {"1234.", "money-format"},
        {".50", "money-format"},
        {"Q-5", "money-format"},
        {"--5", "money-format"},
        {"+5", "money-format"},
        {"1 234", "money-format"},
        {"5 Q", "money-format"},
        {"USD 5", "money-format"},
        {"1e3", "money-format"},
        {std::string(65, '1'), "money-format"},  // longer than any amount
        {"1234.567", "money-decimals"},
        {"Q0.001", "money-decimals"},
        {"1000000000000", "money-range"},
        {"-1,000,000,000,000.00", "money-range"},
        {"99999999999999999999999", "money-range"},  // beyond uint64
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto m = Money::Parse(c.text);
        ASSERT_FALSE(m.ok());
        EXPECT_EQ(m.error().code(), c.code);
        EXPECT_EQ(m.error().kind(), ErrorKind::kInvalid);
        EXPECT_FALSE(m.error().message().empty());
    }
}

TEST(Money, FormatsAsGuatemalaWritesAmounts) {
    struct Case {
        std::int64_t centavos;
        const char* text;
    };
    const Case cases[] = {
        {0, "Q0.00"},
        {5, "Q0.05"},
        {100, "Q1.00"},
        {99999, "Q999.99"},
        {100000, "Q1,000.00"},
        {123456, "Q1,234.56"},
        {12345678901, "Q123,456,789.01"},
        {-1500, "-Q15.00"},
        {-5, "-Q0.05"},
        {kInt64Max, "Q92,233,720,368,547,758.07"},
        {kInt64Min, "-Q92,233,720,368,547,758.08"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(Money::FromCentavos(c.centavos).ToString(), c.text);
    }
}

TEST(Money, FormatThenParseRoundTrips) {
    for (std::int64_t c : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{123456},
                           std::int64_t{-987654321}, Money::kMaxParsedCentavos}) {
        auto m = Money::FromCentavos(c);
        auto back = Money::Parse(m.ToString());
        ASSERT_OK(back);
        EXPECT_EQ(*back, m);
    }
}

TEST(Money, AddsSubtractsAndCompares) {
    const Money a = Money::FromCentavos(150);  // Q1.50
    const Money b = Money::FromCentavos(275);  // Q2.75
    EXPECT_EQ(a + b, Money::FromCentavos(425));
    EXPECT_EQ(a - b, Money::FromCentavos(-125));
    EXPECT_EQ(-a, Money::FromCentavos(-150));
    EXPECT_EQ(Money::FromQuetzales(250), Money::FromCentavos(25000));
    EXPECT_LT(a, b);
    EXPECT_GT(b, a);
    EXPECT_LE(a, a);
    EXPECT_NE(a, b);
    EXPECT_EQ(Money(), Money::FromCentavos(0));

    Money total;
    total += a;
    total += b;
    total -= Money::FromCentavos(25);
    EXPECT_EQ(total, Money::FromCentavos(400));
}

TEST(Money, MulDivRoundsHalfAwayFromZeroExactly) {
    struct Case {
        std::int64_t centavos, num, den, expected;
        const char* what;
    };
    const Case cases[] = {
        {300000, 14, 12, 350000, "Q3,000 × 14/12 is exact"},
        {100, 1, 3, 33, "0.333… rounds down"},
        {200, 1, 3, 67, "0.666… rounds up"},
        {1, 1, 3, 0, "a third of a centavo is nothing"},
        {1, 1, 2, 1, "half a centavo rounds up"},
        {3, 1, 2, 2, "1.5 → 2"},
        {5, 1, 2, 3, "2.5 → 3 (not banker's rounding)"},
        {-1, 1, 2, -1, "−0.5 → −1: away from zero"},
        {-5, 1, 2, -3, "−2.5 → −3"},
        {1, -1, 2, -1, "negative numerator"},
        {1, 1, -2, -1, "negative denominator"},
        {-1, -1, 2, 1, "two negatives"},
        {-200, 1, 3, -67, "symmetric with the positive case"},
        {0, 7, 9, 0, "zero amount"},
        {123, 0, 9, 0, "zero numerator"},
        // Salary Q4,002.28 × 14/12 × 1461/365 (four years, one leap day) in one step:
        // 400228 × 20454 / 4380 = 1869009.934… → Q18,690.10.
        {400228, 14 * 1461, 12 * 365, 1869010, "severance-style factor"},
        // Q3,500 × 45/365 = 43150.68… → Q431.51.
        {350000, 45, 365, 43151, "proportional days"},
        // The product needs more than 64 bits but the result fits.
        {kInt64Max, 2, 2, kInt64Max, "128-bit intermediate"},
        {kInt64Max, 2, 3, 6148914691236517205, "128-bit intermediate, rounded"},
        {kInt64Max, kInt64Max, kInt64Max, kInt64Max, "largest operands"},
        {kInt64Min, 1, 1, kInt64Min, "most negative amount"},
        {kInt64Min, 1, 3, -3074457345618258603, "most negative amount, rounded"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        auto r = MulDivRoundHalfUp(Money::FromCentavos(c.centavos), c.num, c.den);
        ASSERT_OK(r);
        EXPECT_EQ(r->centavos(), c.expected);
    }
}

TEST(Money, MulDivReportsOverflowAndDivisionByZero) {
    struct Case {
        std::int64_t centavos, num, den;
        const char* code;
    };
    const Case cases[] = {
        {100, 1, 0, "money-division-by-zero"},       {kInt64Max, 3, 2, "money-overflow"},
        {kInt64Max, kInt64Max, 1, "money-overflow"}, {kInt64Min, -1, 1, "money-overflow"},
        {kInt64Min, 2, 1, "money-overflow"},
    };
    for (const auto& c : cases) {
        auto r = MulDivRoundHalfUp(Money::FromCentavos(c.centavos), c.num, c.den);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code(), c.code);
    }
}

}  // namespace
}  // namespace vt::core
