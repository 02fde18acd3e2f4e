#include "vt/core/geo.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "vt/testing.hpp"

namespace vt::core {
namespace {

TEST(Geo, TwentyTwoDepartamentosAndTheirCounts) {
    // Municipios per departamento in the CUI table (GUATEMALA_RULES §3), then the two
    // created in 2015 on top: Escuintla (05) and Huehuetenango (13).
    const int cui_counts[22] = {17, 8,  16, 16, 13, 14, 19, 8,  24, 21, 9,
                                30, 32, 21, 8,  17, 14, 5,  11, 11, 7,  17};
    auto departamentos = Departamentos();
    ASSERT_EQ(departamentos.size(), 22u);
    int total = 0, cui_total = 0;
    for (std::size_t i = 0; i < departamentos.size(); ++i) {
        const auto& d = departamentos[i];
        SCOPED_TRACE(std::string(d.code) + " " + std::string(d.name));
        EXPECT_EQ(std::stoi(std::string(d.code)), static_cast<int>(i) + 1);
        EXPECT_EQ(CuiMunicipioCount(d.code), cui_counts[i]);
        int recent = d.code == "05" || d.code == "13" ? 1 : 0;
        EXPECT_EQ(static_cast<int>(MunicipiosOf(d.code).size()), cui_counts[i] + recent);
        total += static_cast<int>(MunicipiosOf(d.code).size());
        cui_total += CuiMunicipioCount(d.code);
    }
    EXPECT_EQ(total, 340);
    EXPECT_EQ(cui_total, 338);
    EXPECT_EQ(Municipios().size(), 340u);
}

TEST(Geo, CodesAreSequentialAndRecentOnesComeLast) {
    for (const auto& d : Departamentos()) {
        auto municipios = MunicipiosOf(d.code);
        for (std::size_t i = 0; i < municipios.size(); ++i) {
            const auto& m = municipios[i];
            EXPECT_EQ(m.departamento_code(), d.code);
            EXPECT_EQ(std::stoi(std::string(m.code.substr(2))), static_cast<int>(i) + 1) << m.code;
            EXPECT_EQ(m.code.size(), 4u);
            EXPECT_FALSE(m.name.empty());
            // A recent municipio may only follow the ones the CUI table knows.
            if (m.recent) {
                EXPECT_EQ(i + 1, municipios.size()) << m.code;
            }
        }
    }
    std::set<std::string_view> codes;
    for (const auto& m : Municipios()) codes.insert(m.code);
    EXPECT_EQ(codes.size(), 340u);
    std::vector<std::string_view> recent_codes;
    for (const auto& m : Municipios()) {
        if (m.recent) recent_codes.push_back(m.code);
    }
    EXPECT_EQ(recent_codes, (std::vector<std::string_view>{"0514", "1333"}));
}

TEST(Geo, SpotNames) {
    struct Case {
        const char* code;
        const char* name;
    };
    const Case cases[] = {
        {"0101", "Guatemala"},         {"0108", "Mixco"},         {"0115", "Villa Nueva"},
        {"0301", "Antigua Guatemala"}, {"0514", "Sipacate"},      {"0901", "Quetzaltenango"},
        {"0904", "San Carlos Sija"},   {"1301", "Huehuetenango"}, {"1333", "Petatán"},
        {"1406", "Chichicastenango"},  {"1601", "Cobán"},         {"1714", "El Chal"},
        {"2007", "Esquipulas"},        {"2201", "Jutiapa"},       {"2217", "Quesada"},
    };
    for (const auto& c : cases) {
        auto m = FindMunicipio(c.code);
        ASSERT_OK(m);
        EXPECT_EQ(m->name, c.name);
    }
    auto d = FindDepartamento("03");
    ASSERT_OK(d);
    EXPECT_EQ(d->name, "Sacatepéquez");
    EXPECT_EQ(FindDepartamento("17")->name, "Petén");
}

TEST(Geo, LookupsReportUnknownCodes) {
    for (const char* code : {"", "00", "23", "1", "001", "ab"}) {
        auto d = FindDepartamento(code);
        ASSERT_FALSE(d.ok()) << code;
        EXPECT_EQ(d.error().code(), "departamento-not-found");
        EXPECT_EQ(d.error().kind(), ErrorKind::kNotFound);
        EXPECT_TRUE(MunicipiosOf(code).empty()) << code;
        EXPECT_EQ(CuiMunicipioCount(code), 0);
    }
    for (const char* code : {"", "0100", "0118", "0515", "1334", "2218", "2301", "101"}) {
        auto m = FindMunicipio(code);
        ASSERT_FALSE(m.ok()) << code;
        EXPECT_EQ(m.error().code(), "municipio-not-found");
    }
}

TEST(Geo, ValidatesDepartamentoMunicipioPairs) {
    struct Case {
        const char* departamento;
        const char* municipio;
        const char* code;  // nullptr: valid
    };
    const Case cases[] = {
        {"01", "0101", nullptr},
        {"03", "0301", nullptr},
        {"05", "0514", nullptr},  // recent municipios are real municipios
        {"13", "1333", nullptr},
        {"01", "0301", "municipio-departamento-mismatch"},
        {"22", "0101", "municipio-departamento-mismatch"},
        {"23", "0101", "departamento-unknown"},
        {"", "0101", "departamento-unknown"},
        {"01", "0118", "municipio-unknown"},
        {"01", "01", "municipio-unknown"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.departamento) + "/" + c.municipio);
        auto s = ValidateMunicipio(c.departamento, c.municipio);
        if (c.code == nullptr) {
            EXPECT_OK(s);
        } else {
            ASSERT_FALSE(s.ok());
            EXPECT_EQ(s.error().code(), c.code);
            EXPECT_EQ(s.error().kind(), ErrorKind::kInvalid);
        }
    }
    EXPECT_EQ(ValidateMunicipio("01", "0301").error().message(),
              "Antigua Guatemala no es un municipio del departamento de Guatemala.");
}

}  // namespace
}  // namespace vt::core
