#include "catalog_fields.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace vt::web {
namespace {

namespace json = boost::json;
using catalog::Field;
using catalog::FieldType;

std::vector<Field> Inputs() {
    std::vector<Field> f(8);
    f[0] = {.id = "monto", .type = FieldType::kMoney, .label = "Monto", .required = true};
    f[1] = {.id = "personas", .type = FieldType::kInteger, .label = "Personas"};
    f[2] = {.id = "procede", .type = FieldType::kYesNo, .label = "¿Procede?"};
    f[3] = {.id = "motivo", .type = FieldType::kLongText, .label = "Motivo"};
    f[3].visible_if = catalog::Condition{"procede", {json::value(false)}};
    f[4] = {.id = "temas", .type = FieldType::kMultiSelect, .label = "Temas",
            .options = {{"a", "Uno"}, {"b", "Dos"}}};
    f[5] = {.id = "lugar", .type = FieldType::kPlace, .label = "Lugar"};
    f[6] = {.id = "acta", .type = FieldType::kFile, .label = "Acta"};
    f[7] = {.id = "fecha", .type = FieldType::kDate, .label = "Fecha"};
    return f;
}

TEST(CatalogFieldsTest, AnswersAreTypedAsTheDefinitionSays) {
    Form form = Form::Parse(
        "t-monto=Q1%2C234.50&t-personas=+12+&t-procede=si&t-motivo=no+aplica&t-temas=a&t-temas=b"
        "&t-lugar=0101&t-acta=abc123def456&t-fecha=2026-11-25&otro=ignorado");
    FormAnswers read = AnswersFromForm(Inputs(), form, "t-");
    EXPECT_TRUE(read.errors.empty());
    EXPECT_EQ(read.answers.at("monto"), json::value(123450));
    EXPECT_EQ(read.answers.at("personas"), json::value(12));
    EXPECT_EQ(read.answers.at("procede"), json::value(true));
    // The condition is not met: what was typed there is dropped, not rejected.
    EXPECT_FALSE(read.answers.contains("motivo"));
    EXPECT_EQ(read.answers.at("temas"), (json::array{"a", "b"}));
    EXPECT_EQ(read.answers.at("lugar"), (json::object{{"departamento", "01"}, {"municipio", "0101"}}));
    EXPECT_EQ(read.answers.at("acta"), (json::object{{"documento", "abc123def456"}}));
    EXPECT_EQ(read.answers.at("fecha"), json::value("2026-11-25"));
    EXPECT_FALSE(read.answers.contains("otro"));
}

TEST(CatalogFieldsTest, WhatCannotBeReadIsReportedByFormName) {
    Form form = Form::Parse("t-monto=1.234%2C50&t-personas=doce&t-procede=quizas&t-lugar=9999&t-motivo=+");
    FormAnswers read = AnswersFromForm(Inputs(), form, "t-");
    EXPECT_EQ(read.errors.size(), 4u);
    EXPECT_TRUE(read.errors.contains("t-monto"));
    EXPECT_TRUE(read.errors.contains("t-personas"));
    EXPECT_TRUE(read.errors.contains("t-procede"));
    EXPECT_TRUE(read.errors.contains("t-lugar"));
    // Empty inputs are left out, so that validation says which are required.
    EXPECT_TRUE(read.answers.empty());
}

TEST(CatalogFieldsTest, ControlsKeepWhatWasTypedAndTheirMessages) {
    Form form = Form::Parse("t-monto=abc&t-temas=b");
    auto views = CatalogFieldViews(Inputs(), form, "t-", {{"t-monto", "Escriba un monto."}});
    ASSERT_EQ(views.size(), 8u);
    EXPECT_EQ(views[0].id, "t-monto");
    EXPECT_EQ(views[0].kind, "numero");
    EXPECT_EQ(views[0].prefix, "Q");
    EXPECT_EQ(views[0].value, "abc");
    EXPECT_EQ(views[0].error, "Escriba un monto.");
    EXPECT_EQ(views[1].label, "Personas (opcional)");
    EXPECT_EQ(views[2].kind, "si_no");
    EXPECT_EQ(views[4].kind, "casillas");
    EXPECT_EQ(views[4].values, std::vector<std::string>{"b"});
    EXPECT_EQ(views[7].kind, "fecha");
}

}  // namespace
}  // namespace vt::web
