// Answers as people read them (documents and review pages print them this way).
#include <boost/json.hpp>

#include "vt/catalog/catalog.hpp"
#include "vt/testing.hpp"

namespace vt::catalog {
namespace {

namespace json = boost::json;

TEST(AnswerText, WritesAnswersAsPeopleReadThem) {
    Field money{.id = "m", .type = FieldType::kMoney};
    Field date{.id = "d", .type = FieldType::kDate};
    Field select{.id = "s", .type = FieldType::kSelect};
    select.options = {{"a", "Opción A"}, {"b", "Opción B"}};
    Field multi = select;
    multi.type = FieldType::kMultiSelect;
    Field yes{.id = "y", .type = FieldType::kYesNo};
    Field place{.id = "p", .type = FieldType::kPlace};

    EXPECT_EQ(AnswerText(&money, json::value(123456)), "Q1,234.56");
    EXPECT_EQ(AnswerText(&date, json::value("2026-03-01")), "1 de marzo de 2026");
    EXPECT_EQ(AnswerText(&select, json::value("b")), "Opción B");
    EXPECT_EQ(AnswerText(&multi, json::value{"a", "b"}), "Opción A, Opción B");
    EXPECT_EQ(AnswerText(&yes, json::value(true)), "Sí");
    EXPECT_EQ(AnswerText(&yes, json::value(false)), "No");
    EXPECT_EQ(AnswerText(&place, json::object{{"departamento", "03"}, {"municipio", "0301"}}),
              "Antigua Guatemala, Sacatepéquez");
    EXPECT_EQ(AnswerText(nullptr, json::value("texto")), "texto");
    EXPECT_EQ(AnswerText(nullptr, json::value(42)), "42");
}

}  // namespace
}  // namespace vt::catalog
