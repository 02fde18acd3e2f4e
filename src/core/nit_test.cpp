#include "vt/core/nit.hpp"

#include <gtest/gtest.h>

#include <string>

#include "vt/testing.hpp"

namespace vt::core {
namespace {

// Check character: weights 2, 3, 4, … from the rightmost body digit,
// s = Σ digit × weight, c = (11 − s mod 11) mod 11, 10 → K. Worked examples used below:
//   576937:      7·2 + 3·3 + 9·4 + 6·5 + 7·6 + 5·7 = 166;   166 mod 11 = 1;  11 − 1 = 10 → K
//   12345678:    8·2 + 7·3 + 6·4 + 5·5 + 4·6 + 3·7 + 2·8 + 1·9 = 156;  156 mod 11 = 2 → 9
//   39525503:    3·2 + 0·3 + 5·4 + 5·5 + 2·6 + 5·7 + 9·8 + 3·9 = 197;  197 mod 11 = 10 → 1
//   9876543210:  0·2 + 1·3 + 2·4 + 3·5 + 4·6 + 5·7 + 6·8 + 7·9 + 8·10 + 9·11 = 375;
//                375 mod 11 = 1 → K
//   14:          4·2 + 1·3 = 11;  11 mod 11 = 0;  (11 − 0) mod 11 = 0 → 0
//   100:         0·2 + 0·3 + 1·4 = 4 → 7
//   1:           1·2 = 2 → 9
//   12345678901: 1·2 + 0·3 + 9·4 + 8·5 + 7·6 + 6·7 + 5·8 + 4·9 + 3·10 + 2·11 + 1·12 = 302;
//                302 mod 11 = 5 → 6

TEST(Nit, CheckDigit) {
    struct Case {
        const char* body;
        char check;
    };
    const Case cases[] = {
        {"576937", 'K'}, {"12345678", '9'}, {"39525503", '1'}, {"9876543210", 'K'},
        {"14", '0'},     {"100", '7'},      {"1", '9'},        {"12345678901", '6'},
    };
    for (const auto& c : cases) EXPECT_EQ(NitCheckDigit(c.body), c.check) << c.body;
}

TEST(Nit, AcceptsValidNumbersAndNormalises) {
    struct Case {
        const char* text;
        const char* normalised;
    };
    const Case cases[] = {
        {"576937-K", "576937-K"},
        {"576937k", "576937-K"},
        {" 5769 37-K ", "576937-K"},
        {"576937-k", "576937-K"},
        {"\t576937K\n", "576937-K"},
        {"0000576937-K", "576937-K"},  // leading zeros are not part of the NIT
        {"12345678-9", "12345678-9"},
        {"123456789", "12345678-9"},
        {"39525503-1", "39525503-1"},
        {"9876543210-K", "9876543210-K"},
        {"14-0", "14-0"},
        {"00014-0", "14-0"},
        {"100-7", "100-7"},
        {"1-9", "1-9"},                      // shortest: 2 characters
        {"12345678901-6", "12345678901-6"},  // longest: 12 characters
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto nit = ParseNit(c.text);
        ASSERT_OK(nit);
        EXPECT_EQ(nit->ToString(), c.normalised);
    }
    auto nit = ParseNit("576937-K");
    ASSERT_OK(nit);
    EXPECT_EQ(nit->body, "576937");
    EXPECT_EQ(nit->check_digit, 'K');
}

TEST(Nit, RejectsEachKindOfMistakeWithItsOwnCode) {
    struct Case {
        std::string text;
        const char* code;
    };
    const Case cases[] = {
        {"576937-9", "nit-check-digit"},
        {"576937-0", "nit-check-digit"},
        {"12345678-K", "nit-check-digit"},
        {"CF", "nit-final-consumer"},
        {"cf", "nit-final-consumer"},
        {" C F ", "nit-final-consumer"},
        {"C/F", "nit-final-consumer"},
        {"57-6937-K", "nit-format"},  // two hyphens
        {"576937--K", "nit-format"},
        {"-576937K", "nit-format"},
        {"576937-", "nit-format"},
        {"ABC123-K", "nit-format"},  // letters in the body
        {"576937-X", "nit-format"},
        {"5769K37-K", "nit-format"},
        {"5769.37-K", "nit-format"},
        {"K", "nit-format"},
        {"", "nit-format"},
        {"0-K", "nit-length"},  // nothing left once zeros are dropped
        {"00000", "nit-length"},
        {"123456789012-0", "nit-length"},      // 13 characters, even if the digit matched
        {std::string(65, '1'), "nit-length"},  // too long to be worth reading
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto nit = ParseNit(c.text);
        ASSERT_FALSE(nit.ok());
        EXPECT_EQ(nit.error().code(), c.code);
        EXPECT_EQ(nit.error().kind(), ErrorKind::kInvalid);
    }
}

}  // namespace
}  // namespace vt::core
