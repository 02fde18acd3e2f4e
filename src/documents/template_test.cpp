#include "template.hpp"

#include <boost/json.hpp>

#include "vt/testing.hpp"

namespace vt::documents {
namespace {

namespace json = boost::json;

TEST(FillTemplate, ReplacesPlaceholdersAndKeepsTheRest) {
    auto lookup = [](std::string_view name) -> std::optional<std::string> {
        if (name == "nombre") return "Ana";
        if (name == "vacio") return "";
        return std::nullopt;
    };
    struct Case {
        const char* in;
        const char* out;
    };
    const Case cases[] = {
        {"Hola {{nombre}}.", "Hola Ana."},
        {"{{ nombre }}{{nombre}}", "AnaAna"},
        {"[{{vacio}}]", "[]"},
        {"sin marcas", "sin marcas"},
        {"abierto {{nombre", "abierto {{nombre"},
        {"}} {{nombre}} {", "}} Ana {"},
    };
    for (const Case& c : cases) {
        auto r = FillTemplate(c.in, lookup);
        ASSERT_OK(r);
        EXPECT_EQ(*r, c.out) << c.in;
    }
    auto unknown = FillTemplate("Hola {{apellido}}", lookup);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code(), "template-placeholder-unknown");
    EXPECT_NE(unknown.error().message().find("{{apellido}}"), std::string::npos);
}

TEST(SpanishLongDate, WritesTheMonthInWords) {
    using namespace std::chrono;
    EXPECT_EQ(SpanishLongDate(year{2026} / November / day{25}), "25 de noviembre de 2026");
    EXPECT_EQ(SpanishLongDate(year{2027} / January / day{1}), "1 de enero de 2027");
    EXPECT_EQ(SpanishLongDate(year{2026} / September / day{15}), "15 de septiembre de 2026");
}

TEST(DisplayValue, WritesAnswersAsPeopleReadThem) {
    catalog::Field money{.id = "m", .type = catalog::FieldType::kMoney};
    catalog::Field date{.id = "d", .type = catalog::FieldType::kDate};
    catalog::Field select{.id = "s", .type = catalog::FieldType::kSelect};
    select.options = {{"a", "Opción A"}, {"b", "Opción B"}};
    catalog::Field multi = select;
    multi.type = catalog::FieldType::kMultiSelect;
    catalog::Field yes{.id = "y", .type = catalog::FieldType::kYesNo};
    catalog::Field place{.id = "p", .type = catalog::FieldType::kPlace};

    EXPECT_EQ(DisplayValue(&money, json::value(123456)), "Q1,234.56");
    EXPECT_EQ(DisplayValue(&date, json::value("2026-03-01")), "1 de marzo de 2026");
    EXPECT_EQ(DisplayValue(&select, json::value("b")), "Opción B");
    EXPECT_EQ(DisplayValue(&multi, json::value{"a", "b"}), "Opción A, Opción B");
    EXPECT_EQ(DisplayValue(&yes, json::value(true)), "Sí");
    EXPECT_EQ(DisplayValue(&yes, json::value(false)), "No");
    EXPECT_EQ(DisplayValue(&place, json::object{{"departamento", "03"}, {"municipio", "0301"}}),
              "Antigua Guatemala, Sacatepéquez");
    EXPECT_EQ(DisplayValue(nullptr, json::value("texto")), "texto");
    EXPECT_EQ(DisplayValue(nullptr, json::value(42)), "42");
}

}  // namespace
}  // namespace vt::documents
