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
    EXPECT_EQ(core::SpanishLongDate(year{2026} / November / day{25}), "25 de noviembre de 2026");
    EXPECT_EQ(core::SpanishLongDate(year{2027} / January / day{1}), "1 de enero de 2027");
    EXPECT_EQ(core::SpanishLongDate(year{2026} / September / day{15}), "15 de septiembre de 2026");
}

}  // namespace
}  // namespace vt::documents
