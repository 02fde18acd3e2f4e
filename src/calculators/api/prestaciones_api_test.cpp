#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "vt/calculators/api.hpp"
#include "vt/core/clock.hpp"
#include "vt/pdf/pdf_text.hpp"
#include "vt/testing.hpp"

namespace vt::calculators {
namespace {

namespace json = boost::json;

constexpr std::string_view kPath = "/api/v1/calculadora/prestaciones";
constexpr std::string_view kPdfPath = "/api/v1/calculadora/prestaciones/pdf";

// Case 1 of prestaciones_test.cpp: 01/03/2025–30/11/2025, Q4,000.00, despido injustificado.
constexpr std::string_view kCaso1 = R"({"fecha_inicio":"2025-03-01","fecha_fin":"2025-11-30",
    "motivo":"despido_injustificado","salario_ordinario_mensual":400000})";

class PrestacionesApiTest : public ::testing::Test {
protected:
    PrestacionesApiTest() { AddCalculatorRoutes(router_, clock_); }

    http::Response Post(std::string_view body, std::string_view path = kPath) {
        http::Router::Match match = router_.Find("POST", path);
        EXPECT_NE(match.route, nullptr);
        if (!match.route) return {};
        http::Request request;
        request.method = "POST";
        request.target = path;
        request.path = path;
        request.body = body;
        return match.route->handler(request);
    }

    static std::string Header(const http::Response& r, std::string_view name) {
        for (const auto& [k, v] : r.headers)
            if (k == name) return v;
        return "";
    }

    static json::object Body(const http::Response& r) { return json::parse(r.body).as_object(); }
    static json::object Fields(const http::Response& r) {
        return Body(r).at("error").at("fields").as_object();
    }

    // 2026-11-25 12:00 in Guatemala (UTC−6).
    core::FrozenClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} +
                             std::chrono::hours{18}};
    http::Router router_;
};

TEST_F(PrestacionesApiTest, AcceptsJsonOnly) {
    http::Router::Match match = router_.Find("POST", kPath);
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->options.accepts, std::vector<std::string>{"application/json"});
    EXPECT_TRUE(router_.Find("GET", kPath).path_known);
    EXPECT_EQ(router_.Find("GET", kPath).route, nullptr);
}

TEST_F(PrestacionesApiTest, ReturnsTheSettlement) {
    // Case 1 of prestaciones_test.cpp: 01/03/2025–30/11/2025, Q4,000.00, despido injustificado.
    http::Response r = Post(R"({"fecha_inicio":"2025-03-01","fecha_fin":"2025-11-30",
        "motivo":"despido_injustificado","salario_ordinario_mensual":400000})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    json::object b = Body(r);
    EXPECT_EQ(b.at("total").as_int64(), 971'324);
    EXPECT_FALSE(b.at("convencion").as_string().empty());
    const json::array& conceptos = b.at("conceptos").as_array();
    ASSERT_EQ(conceptos.size(), 4u);
    const json::object& i = conceptos[0].as_object();
    EXPECT_EQ(i.at("concepto").as_string(), "indemnizacion");
    EXPECT_EQ(i.at("nombre").as_string(), "Indemnización");
    EXPECT_EQ(i.at("monto").as_int64(), 351'598);
    EXPECT_NE(std::string(i.at("base_legal").as_string()).find("Art. 82"), std::string::npos);
    EXPECT_NE(std::string(i.at("calculo").as_string())
                  .find("Q4,000.00 × 14/12 × 275 días / 365 = Q3,515.98"),
              std::string::npos)
        << i.at("calculo");
    EXPECT_NE(std::string(i.at("explicacion").as_string()).find("sin una causa justificada"),
              std::string::npos);
    EXPECT_EQ(conceptos[1].at("concepto").as_string(), "aguinaldo");
    EXPECT_EQ(conceptos[2].at("concepto").as_string(), "bono14");
    EXPECT_EQ(conceptos[3].at("concepto").as_string(), "vacaciones");
}

TEST_F(PrestacionesApiTest, AppliesEveryOptionalField) {
    // Case 9 of prestaciones_test.cpp plus 12 unpaid days with a Q300.00 bonificación:
    // salario 400000 / 30 × 12 = 160000, bonificación 30000 / 30 × 12 = 12000, and 10
    // vacation days given: 400000 / 30 × 10 = 133333.33 → 133333.
    // Total 233425 + 1096 + 400000 + 133333 + 160000 + 12000 = 939854.
    http::Response r = Post(R"({"fecha_inicio":"2021-09-15","fecha_fin":"2025-07-01",
        "motivo":"renuncia","salario_ordinario_mensual":400000,
        "salario_extraordinario_promedio":0,"bonificacion_incentivo":30000,
        "dias_vacaciones_pendientes":10,"aguinaldo_pagado":true,"bono14_pagado":false,
        "dias_salario_pendiente":12})");
    ASSERT_EQ(r.status, 200) << r.body;
    json::object b = Body(r);
    std::vector<std::string> ids;
    for (const auto& c : b.at("conceptos").as_array()) {
        ids.emplace_back(c.at("concepto").as_string());
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"indemnizacion", "aguinaldo", "bono14",
                                             "bono14_anterior", "vacaciones", "salario_pendiente",
                                             "bonificacion_pendiente"}));
    EXPECT_EQ(b.at("total").as_int64(), 939'854);
}

TEST_F(PrestacionesApiTest, NullOptionalFieldsTakeTheirDefaults) {
    http::Response r = Post(R"({"fecha_inicio":"2025-03-01","fecha_fin":"2025-11-30",
        "motivo":"despido_injustificado","salario_ordinario_mensual":400000,
        "salario_extraordinario_promedio":null,"dias_vacaciones_pendientes":null})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Body(r).at("total").as_int64(), 971'324);
}

TEST_F(PrestacionesApiTest, RejectsBadInputWithFieldMessages) {
    http::Response r = Post(R"({"fecha_inicio":"2025-11-30","fecha_fin":"2025-03-01",
        "motivo":"despedido","salario_ordinario_mensual":-5,"dias_vacaciones_pendientes":90})");
    ASSERT_EQ(r.status, 422) << r.body;
    json::object b = Body(r);
    EXPECT_EQ(b.at("error").at("code").as_string(), "invalid");
    json::object f = Fields(r);
    EXPECT_EQ(f.size(), 4u) << r.body;
    EXPECT_EQ(f.at("fecha_fin").as_string(),
              "La fecha de terminación no puede ser anterior a la fecha de inicio.");
    EXPECT_NE(std::string(f.at("motivo").as_string()).find("Motivo desconocido"),
              std::string::npos);
    EXPECT_EQ(f.at("salario_ordinario_mensual").as_string(),
              "El salario ordinario mensual debe ser mayor que Q0.00.");
    EXPECT_TRUE(f.contains("dias_vacaciones_pendientes"));
}

TEST_F(PrestacionesApiTest, RejectsFarFutureAndAncientDates) {
    http::Response r = Post(R"({"fecha_inicio":"1900-01-01","fecha_fin":"2030-01-01",
        "motivo":"renuncia","salario_ordinario_mensual":400000})");
    ASSERT_EQ(r.status, 422) << r.body;
    json::object f = Fields(r);
    EXPECT_NE(std::string(f.at("fecha_inicio").as_string()).find("1950"), std::string::npos);
    // Today is 2026-11-25 by the frozen clock.
    EXPECT_NE(std::string(f.at("fecha_fin").as_string()).find("25/11/2027"), std::string::npos);
}

TEST_F(PrestacionesApiTest, ReportsTypeErrorsTogetherWithTheOthers) {
    http::Response r = Post(R"({"fecha_inicio":20250301,"fecha_fin":"2025-02-30",
        "motivo":7,"salario_ordinario_mensual":"Q4,000.00","salario_extraordinario_promedio":1.5,
        "bonificacion_incentivo":18446744073709551615,"aguinaldo_pagado":"no",
        "dias_salario_pendiente":"3","salario":400000})");
    ASSERT_EQ(r.status, 422) << r.body;
    json::object f = Fields(r);
    EXPECT_NE(std::string(f.at("fecha_inicio").as_string()).find("AAAA-MM-DD"), std::string::npos);
    EXPECT_NE(std::string(f.at("fecha_fin").as_string()).find("no existe"), std::string::npos);
    EXPECT_NE(std::string(f.at("motivo").as_string()).find("Motivo desconocido"),
              std::string::npos);
    EXPECT_NE(std::string(f.at("salario_ordinario_mensual").as_string()).find("centavos"),
              std::string::npos);
    EXPECT_NE(std::string(f.at("salario_extraordinario_promedio").as_string()).find("entero"),
              std::string::npos);
    EXPECT_NE(std::string(f.at("bonificacion_incentivo").as_string()).find("exceder"),
              std::string::npos);
    EXPECT_EQ(f.at("aguinaldo_pagado").as_string(), "Debe ser true o false.");
    EXPECT_EQ(f.at("dias_salario_pendiente").as_string(), "Debe ser un número entero de días.");
    EXPECT_EQ(f.at("salario").as_string(), "Campo desconocido.");
}

TEST_F(PrestacionesApiTest, RequiresTheFourMainFields) {
    http::Response r = Post("{}");
    ASSERT_EQ(r.status, 422) << r.body;
    json::object f = Fields(r);
    EXPECT_EQ(f.size(), 4u) << r.body;
    for (const char* campo : {"fecha_inicio", "fecha_fin", "motivo", "salario_ordinario_mensual"}) {
        EXPECT_TRUE(f.contains(campo)) << campo;
    }
}

TEST_F(PrestacionesApiTest, MalformedJsonIsBadRequest) {
    for (std::string_view body : {"", "{", "{\"fecha_inicio\": }", "no es json"}) {
        SCOPED_TRACE(body);
        http::Response r = Post(body);
        ASSERT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(Body(r).at("error").at("code").as_string(), "malformed-json");
    }
}

TEST_F(PrestacionesApiTest, NonObjectJsonIsInvalid) {
    http::Response r = Post("[1, 2]");
    EXPECT_EQ(r.status, 422) << r.body;
}

TEST_F(PrestacionesApiTest, PdfAcceptsJsonOnlyAndRunsOffTheIoThread) {
    http::Router::Match match = router_.Find("POST", kPdfPath);
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->options.accepts, std::vector<std::string>{"application/json"});
    EXPECT_FALSE(match.route->options.inline_handler);
    EXPECT_EQ(router_.Find("GET", kPdfPath).route, nullptr);
}

TEST_F(PrestacionesApiTest, PdfIsTheCalculationAsAnAttachment) {
    http::Response r = Post(kCaso1, kPdfPath);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/pdf");
    EXPECT_TRUE(r.body.starts_with("%PDF-"));
    EXPECT_EQ(Header(r, "Content-Disposition"),
              "attachment; filename=\"prestaciones-2025-11-30.pdf\"; "
              "filename*=UTF-8''prestaciones-2025-11-30.pdf");
    EXPECT_EQ(Header(r, "Cache-Control"), "private, no-store");
    EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");

    ASSERT_TRUE(pdf::testing::HaveTool("pdftotext")) << "instale poppler-utils (pdftotext)";
    vt::testing::TempDir dir;
    std::string text = pdf::testing::PdfText(dir.path(), r.body);
    for (const char* expected :
         {"Ministerio de Trabajo y Previsión Social — República de Guatemala",
          "Cálculo informativo — no es una resolución", "Indemnización", "Q3,515.98",
          "Código de Trabajo, Art. 82", "Aguinaldo proporcional", "Q3,013.70",
          "Decreto 76-78, Ley Reguladora de la Prestación del Aguinaldo", "Bono 14 proporcional",
          "Q1,676.71", "Vacaciones no gozadas", "Q1,506.85",
          "Código de Trabajo, Arts. 130, 133, 134 y 136", "Q9,713.24",
          // Today by the frozen clock, in Guatemala.
          "Fecha del cálculo: 25 de noviembre de 2026, 12:00"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << "falta «" << expected << "» en:\n"
                                                          << text;
    }
}

TEST_F(PrestacionesApiTest, PdfAnswersBadInputWithTheSameFieldErrorsAndNoPdf) {
    const std::string_view bad = R"({"fecha_inicio":"2025-11-30","fecha_fin":"2025-03-01",
        "motivo":"despedido","salario_ordinario_mensual":"Q4,000.00","salario":1})";
    http::Response json_answer = Post(bad);
    http::Response r = Post(bad, kPdfPath);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(Header(r, "Content-Disposition"), "");
    EXPECT_EQ(r.body.find("%PDF"), std::string::npos);
    EXPECT_EQ(r.body, json_answer.body);
    json::object f = Fields(r);
    EXPECT_EQ(f.size(), 4u) << r.body;
    for (const char* campo : {"fecha_fin", "motivo", "salario_ordinario_mensual", "salario"}) {
        EXPECT_TRUE(f.contains(campo)) << campo;
    }

    http::Response empty = Post("{}", kPdfPath);
    ASSERT_EQ(empty.status, 422) << empty.body;
    EXPECT_EQ(Fields(empty).size(), 4u);

    http::Response malformed = Post("{", kPdfPath);
    ASSERT_EQ(malformed.status, 400) << malformed.body;
    EXPECT_EQ(Body(malformed).at("error").at("code").as_string(), "malformed-json");
}

}  // namespace
}  // namespace vt::calculators
