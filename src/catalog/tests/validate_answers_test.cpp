// Server-side validation of every field type.
#include "vt/catalog/catalog.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/fixtures.hpp"
#include "vt/testing.hpp"

namespace vt::catalog {
namespace {

namespace json = boost::json;

class ValidateAnswersTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto d = ParseDefinition(testing::kDenuncia, "denuncia-laboral.json");
        ASSERT_OK(d);
        def_ = std::move(d).value();
    }

    static json::object Valid() {
        return json::parse(R"({
            "anonima": false, "cui": "1587 56444 0904", "nombre": "  María López ",
            "nit_empleador": "576937-k", "hechos": "No me pagaron el salario de octubre.",
            "fecha_hechos": "2026-10-31", "tipo": "salario",
            "lugar": {"departamento": "01", "municipio": "0101"}
        })").as_object();
    }

    Result<json::object> Check(const json::object& answers) {
        return ValidateAnswers(def_.form, answers, AnswerContext{"2026-11-25"});
    }

    // The message for `path`, or "" when the answers pass or another path failed.
    std::string ErrorAt(const std::function<void(json::object&)>& edit, const std::string& path) {
        json::object a = Valid();
        edit(a);
        auto r = Check(a);
        if (r.ok()) return "";
        auto it = r.error().fields().find(path);
        return it == r.error().fields().end() ? "(otras: " + r.error().message() + ")" : it->second;
    }

    Definition def_;
};

TEST_F(ValidateAnswersTest, NormalisesValidAnswers) {
    auto r = Check(Valid());
    ASSERT_OK(r);
    EXPECT_EQ(r->at("cui").as_string(), "1587564440904");
    EXPECT_EQ(r->at("nit_empleador").as_string(), "576937-K");
    EXPECT_EQ(r->at("nombre").as_string(), "María López");
    EXPECT_FALSE(r->contains("correo"));  // optional and absent
}

TEST_F(ValidateAnswersTest, ReportsEveryErrorAtOnce) {
    json::object a;
    a["anonima"] = false;
    a["tipo"] = "otro";
    a["desconocido"] = 1;
    auto r = Check(a);
    ASSERT_FALSE(r.ok());
    const auto& f = r.error().fields();
    EXPECT_EQ(f.at("cui"), "Este dato es obligatorio.");
    EXPECT_EQ(f.at("nit_empleador"), "Este dato es obligatorio.");
    EXPECT_EQ(f.at("hechos"), "Este dato es obligatorio.");
    EXPECT_EQ(f.at("fecha_hechos"), "Este dato es obligatorio.");
    EXPECT_EQ(f.at("lugar"), "Este dato es obligatorio.");
    EXPECT_EQ(f.at("tipo"), "Elija una de las opciones de la lista.");
    EXPECT_EQ(f.at("desconocido"), "Este dato no pertenece al formulario.");
    EXPECT_EQ(f.size(), 7u);
}

TEST_F(ValidateAnswersTest, ConditionalFieldsFollowOtherAnswers) {
    json::object a = Valid();
    a["anonima"] = true;
    a.erase("nombre");
    auto r = Check(a);  // cui is now hidden, but was sent
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields().at("cui"), "Este dato no corresponde según sus otras respuestas.");
    a.erase("cui");
    EXPECT_OK(Check(a));  // and hidden required fields are not required
}

struct FieldCase {
    const char* name;
    const char* path;
    std::function<void(json::object&)> edit;
    const char* expected;  // substring; "" means the answers must pass, "*" any error at path
};

class FieldTypeTest : public ValidateAnswersTest, public ::testing::WithParamInterface<FieldCase> {};

TEST_P(FieldTypeTest, ValidatesItsType) {
    const FieldCase& c = GetParam();
    std::string msg = ErrorAt(c.edit, c.path);
    if (std::string(c.expected).empty()) {
        EXPECT_EQ(msg, "") << c.name;
    } else if (std::string(c.expected) == "*") {
        EXPECT_FALSE(msg.empty() || msg.starts_with("(otras")) << c.name << ": " << msg;
    } else {
        EXPECT_NE(msg.find(c.expected), std::string::npos) << c.name << ": " << msg;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Fields, FieldTypeTest,
    ::testing::Values(
        // texto
        FieldCase{"text too short", "nombre", [](json::object& a) { a["nombre"] = "M"; }, "al menos 2"},
        FieldCase{"text too long", "nombre", [](json::object& a) { a["nombre"] = std::string(81, 'x'); }, "como máximo 80"},
        FieldCase{"text counts characters not bytes", "nombre", [](json::object& a) { a["nombre"] = std::string(40, 'x') + "ñññññññññññññññññññññññññññññññññññññññ"; }, ""},
        FieldCase{"text one line", "nombre", [](json::object& a) { a["nombre"] = "María\nLópez"; }, "una sola línea"},
        FieldCase{"text not a string", "nombre", [](json::object& a) { a["nombre"] = 5; }, "un texto"},
        FieldCase{"text pattern", "codigo", [](json::object& a) { a["codigo"] = "ab-12"; }, "AB-1234"},
        FieldCase{"text pattern ok", "codigo", [](json::object& a) { a["codigo"] = "AB-1234"; }, ""},
        FieldCase{"script stays text", "nombre", [](json::object& a) { a["nombre"] = "<script>alert(1)</script>"; }, ""},
        // texto_largo
        FieldCase{"long text min", "hechos", [](json::object& a) { a["hechos"] = "corto"; }, "al menos 10"},
        FieldCase{"long text newlines ok", "hechos", [](json::object& a) { a["hechos"] = "Línea uno.\nLínea dos."; }, ""},
        FieldCase{"control chars", "hechos", [](json::object& a) { a["hechos"] = std::string("Hechos con \x01 control"); }, "control"},
        // entero
        FieldCase{"integer below min", "trabajadores_afectados", [](json::object& a) { a["trabajadores_afectados"] = 0; }, "mínimo 1"},
        FieldCase{"integer above max", "trabajadores_afectados", [](json::object& a) { a["trabajadores_afectados"] = 10001; }, "máximo 10000"},
        FieldCase{"integer not a number", "trabajadores_afectados", [](json::object& a) { a["trabajadores_afectados"] = "3"; }, "número entero"},
        FieldCase{"integer fraction", "trabajadores_afectados", [](json::object& a) { a["trabajadores_afectados"] = 2.5; }, "número entero"},
        // dinero
        FieldCase{"money negative", "salario_adeudado", [](json::object& a) { a["salario_adeudado"] = -1; }, "Q0.00"},
        FieldCase{"money above max", "salario_adeudado", [](json::object& a) { a["salario_adeudado"] = 100000001; }, "Q1,000,000.00"},
        FieldCase{"money ok", "salario_adeudado", [](json::object& a) { a["salario_adeudado"] = 350000; }, ""},
        // fecha
        FieldCase{"date impossible", "fecha_hechos", [](json::object& a) { a["fecha_hechos"] = "2026-02-30"; }, "*"},
        FieldCase{"date future", "fecha_hechos", [](json::object& a) { a["fecha_hechos"] = "2026-11-26"; }, "posterior al 2026-11-25"},
        FieldCase{"date too old", "fecha_hechos", [](json::object& a) { a["fecha_hechos"] = "1999-12-31"; }, "anterior al 2000-01-01"},
        FieldCase{"date format", "fecha_hechos", [](json::object& a) { a["fecha_hechos"] = "31/10/2026"; }, "*"},
        // seleccion / seleccion_multiple
        FieldCase{"select unknown", "tipo", [](json::object& a) { a["tipo"] = "acoso"; }, "opciones de la lista"},
        FieldCase{"multi ok", "temas", [](json::object& a) { a["temas"] = json::array{"a", "c"}; }, ""},
        FieldCase{"multi too many", "temas", [](json::object& a) { a["temas"] = json::array{"a", "b", "c"}; }, "como máximo 2"},
        FieldCase{"multi repeated", "temas", [](json::object& a) { a["temas"] = json::array{"a", "a"}; }, "repetida"},
        FieldCase{"multi unknown", "temas", [](json::object& a) { a["temas"] = json::array{"z"}; }, "solo opciones"},
        // si_no
        FieldCase{"yes/no as text", "anonima", [](json::object& a) { a["anonima"] = "no"; }, "sí o no"},
        // cui / nit
        FieldCase{"cui check digit", "cui", [](json::object& a) { a["cui"] = "1680352240101"; }, "*"},
        FieldCase{"cui length", "cui", [](json::object& a) { a["cui"] = "12345"; }, "*"},
        FieldCase{"nit check digit", "nit_empleador", [](json::object& a) { a["nit_empleador"] = "576937-1"; }, "*"},
        FieldCase{"nit consumidor final", "nit_empleador", [](json::object& a) { a["nit_empleador"] = "CF"; }, "*"},
        // correo / telefono
        FieldCase{"email ok", "correo", [](json::object& a) { a["correo"] = "maria@correo.gt"; }, ""},
        FieldCase{"email bad", "correo", [](json::object& a) { a["correo"] = "maria@"; }, "correo electrónico válido"},
        FieldCase{"phone local", "telefono", [](json::object& a) { a["telefono"] = "5555 1234"; }, ""},
        FieldCase{"phone +502", "telefono", [](json::object& a) { a["telefono"] = "+502 5555-1234"; }, ""},
        FieldCase{"phone short", "telefono", [](json::object& a) { a["telefono"] = "5555"; }, "8 dígitos"},
        FieldCase{"phone letters", "telefono", [](json::object& a) { a["telefono"] = "5555-ABCD"; }, "8 dígitos"},
        // lugar
        FieldCase{"place mismatch", "lugar.municipio", [](json::object& a) { a["lugar"] = json::object{{"departamento", "03"}, {"municipio", "0101"}}; }, "*"},
        FieldCase{"place unknown dept", "lugar.departamento", [](json::object& a) { a["lugar"] = json::object{{"departamento", "23"}, {"municipio", "2301"}}; }, "*"},
        FieldCase{"place missing muni", "lugar.municipio", [](json::object& a) { a["lugar"] = json::object{{"departamento", "03"}}; }, "Elija el municipio"},
        FieldCase{"place ok", "lugar", [](json::object& a) { a["lugar"] = json::object{{"departamento", "03"}, {"municipio", "0301"}}; }, ""},
        // archivo
        FieldCase{"file ok", "prueba", [](json::object& a) { a["prueba"] = json::object{{"documento", "a1b2c3d4e5f6"}}; }, ""},
        FieldCase{"file bad shape", "prueba", [](json::object& a) { a["prueba"] = "archivo.pdf"; }, "archivo subido"},
        // grupo
        FieldCase{"group item error has path", "companeros[1].cui", [](json::object& a) {
            a["companeros"] = json::array{json::object{{"nombre", "Ana"}}, json::object{{"nombre", "Luis"}, {"cui", "123"}}};
        }, "*"},
        FieldCase{"group item required", "companeros[0].nombre", [](json::object& a) { a["companeros"] = json::array{json::object{}}; }, "obligatorio"},
        FieldCase{"group too many", "companeros", [](json::object& a) {
            json::array items;
            for (int i = 0; i < 4; ++i) items.push_back(json::object{{"nombre", "N"}});
            a["companeros"] = items;
        }, "como máximo 3"},
        FieldCase{"group unknown key", "companeros[0].edad", [](json::object& a) { a["companeros"] = json::array{json::object{{"nombre", "Ana"}, {"edad", 30}}}; }, "no pertenece"}),
    [](const ::testing::TestParamInfo<FieldCase>& info) {
        std::string n = info.param.name;
        for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
        return n;
    });

}  // namespace
}  // namespace vt::catalog
