#include "vt/core/cui.hpp"

#include <gtest/gtest.h>

#include <string>

#include "vt/testing.hpp"

namespace vt::core {
namespace {

// Check digit d9 = (Σ_{i=1..8} d_i × (i+1)) mod 11. For the body 15875644:
// 1·2 + 5·3 + 8·4 + 7·5 + 5·6 + 6·7 + 4·8 + 4·9 = 224 = 20·11 + 4 → 4.

TEST(Cui, AcceptsValidNumbersInEveryWrittenForm) {
    struct Case {
        const char* text;
        const char* digits;
        const char* departamento;
        const char* municipio;
    };
    const Case cases[] = {
        {"1587564440904", "1587564440904", "09", "0904"},  // San Carlos Sija
        {"1580352240101", "1580352240101", "01", "0101"},  // Guatemala
        {"1587 56444 0904", "1587564440904", "09", "0904"},
        {"1587-56444-0904", "1587564440904", "09", "0904"},
        {"1587 564440904", "1587564440904", "09", "0904"},
        {"1587-56444 0904", "1587564440904", "09", "0904"},
        {"  1587564440904 \n", "1587564440904", "09", "0904"},
        // 12345678: 2+6+12+20+30+42+56+72 = 240 = 21·11 + 9 → 9.
        {"1234567890101", "1234567890101", "01", "0101"},
        // 99999999: 9·44 = 396 = 36·11 → 0. Last municipio the CUI table allows, per dep.
        {"9999999902217", "9999999902217", "22", "2217"},  // Quesada, N = 17
        {"9999999901332", "9999999901332", "13", "1332"},  // Unión Cantinil, N = 32
        {"9999999900513", "9999999900513", "05", "0513"},  // Nueva Concepción, N = 13
        {"9999999901805", "9999999901805", "18", "1805"},  // Los Amates, N = 5
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto cui = ParseCui(c.text);
        ASSERT_OK(cui);
        EXPECT_EQ(cui->digits, c.digits);
        EXPECT_EQ(cui->departamento, c.departamento);
        EXPECT_EQ(cui->municipio, c.municipio);
    }
}

TEST(Cui, RejectsEachKindOfMistakeWithItsOwnCode) {
    struct Case {
        std::string text;
        const char* code;
        const char* why;
    };
    const Case cases[] = {
        {"1680352240101", "cui-check-digit", "published invalid vector (r = 7, d9 = 4)"},
        {"1587564450904", "cui-check-digit", "d9 altered"},
        // 50000000: 5·2 = 10, so r = 10 matches no digit (OPEN-9: mod 10 would accept 0).
        {"5000000000101", "cui-check-digit", "remainder 10 is never valid"},
        {"158756444090", "cui-length", "12 digits"},
        {"15875644409041", "cui-length", "14 digits"},
        {"", "cui-length", "empty"},
        {"   ", "cui-length", "only spaces"},
        {"1587 56444 090", "cui-length", "12 digits with separators"},
        {std::string(40, '1'), "cui-length", "far too long"},
        {"1587-56444-090A", "cui-format", "a letter"},
        {"ABCDEFGHIJKLM", "cui-format", "letters only"},
        {"1587.56444.0904", "cui-format", "dots"},
        {"158 756444 0904", "cui-format", "13 digits, separator misplaced"},
        {"1587  56444 0904", "cui-format", "two separators together"},
        {"1587--56444-0904", "cui-format", "two hyphens together"},
        {"1587564440904x", "cui-format", "trailing letter"},
        {"1587564442304", "cui-departamento", "departamento 23"},
        {"1587564440004", "cui-departamento", "departamento 00"},
        {"1587564440925", "cui-municipio", "Quetzaltenango has 24 municipios"},
        {"1587564440900", "cui-municipio", "municipio 00"},
        {"9999999900514", "cui-municipio", "Sipacate: not in the CUI table (OPEN-10)"},
        {"9999999901333", "cui-municipio", "Petatán: not in the CUI table (OPEN-10)"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.why);
        auto cui = ParseCui(c.text);
        ASSERT_FALSE(cui.ok());
        EXPECT_EQ(cui.error().code(), c.code);
        EXPECT_EQ(cui.error().kind(), ErrorKind::kInvalid);
    }
}

TEST(Cui, MessagesAreSpanishAndSpecific) {
    EXPECT_EQ(ParseCui("123").error().message(), "El CUI debe tener 13 dígitos.");
    EXPECT_EQ(ParseCui("1587564440925").error().message(),
              "El CUI no es válido: sus dígitos 12 y 13 no son un municipio del departamento "
              "de Quetzaltenango.");
}

}  // namespace
}  // namespace vt::core
