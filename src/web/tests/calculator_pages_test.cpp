// The severance calculator page: a form in quetzales that works without JavaScript, the
// result explained line by line, errors beside their fields, and the PDF to print.
#include "site_fixture.hpp"
#include "vt/pdf/pdf_text.hpp"

namespace vt::web::testing {
namespace {

// Case 1 of src/calculators/prestaciones_test.cpp, typed as a person would.
const std::string kCaso1 =
    "fecha_inicio=2025-03-01&fecha_fin=30%2F11%2F2025&motivo=despido_injustificado"
    "&salario_ordinario_mensual=Q4%2C000.00&bonificacion_incentivo=250.00"
    "&aguinaldo_pagado=si&bono14_pagado=si";

bool Has(const std::string& html, std::string_view what) {
    return html.find(what) != std::string::npos;
}

TEST_F(SiteTest, CalculatorFormAsksInQuetzalesWithLabelsAndCsrf) {
    Browser b(router_);
    http::Response r = b.Get("/calculadora-prestaciones");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_TRUE(Has(r.body, "<h1>Calcule sus prestaciones laborales</h1>"));
    EXPECT_TRUE(Has(r.body, "no una resolución"));
    EXPECT_TRUE(
        Has(r.body, R"(<form method="post" action="/calculadora-prestaciones" novalidate>)"));
    EXPECT_EQ(b.csrf().size(), 64u);
    for (
        const char* control :
        {R"(<label for="f-fecha_inicio">Primer día de trabajo</label>)",
         R"(<input type="date" id="f-fecha_fin" name="fecha_fin" value="")",
         R"(<legend>¿Por qué terminó la relación laboral?</legend>)",
         R"(<input type="radio" name="motivo" value="renuncia")",
         R"(<label for="f-salario_ordinario_mensual">Salario mensual</label>)",
         R"(name="salario_ordinario_mensual" value="" class="corto" inputmode="decimal")",
         // The legal default, ready to change.
         R"(name="bonificacion_incentivo" value="250.00")",
         R"(<input type="radio" name="aguinaldo_pagado" value="si" id="f-aguinaldo_pagado-1" checked>)",
         "<details class=\"mas-datos\">"}) {
        EXPECT_TRUE(Has(r.body, control)) << control << "\n" << r.body;
    }
    EXPECT_FALSE(Has(r.body, "id=\"resultado\""));
}

TEST_F(SiteTest, CalculatorExplainsEveryLineOfTheResult) {
    Browser b(router_);
    b.Get("/calculadora-prestaciones");
    http::Response r = b.Post("/calculadora-prestaciones", kCaso1);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const char* expected : {
             "<strong>Q9,713.24</strong>",
             "Relación laboral del 1 de marzo de 2025 al 30 de noviembre de 2025. Motivo de la "
             "terminación: Despido injustificado.",
             // Each line: name and amount, what it is, the law, the derivation.
             "<h3>Indemnización: Q3,515.98</h3>",
             "Lo que el patrono paga a quien despide sin una causa justificada",
             "<dd>Código de Trabajo, Art. 82</dd>",
             "Q4,000.00 × 14/12 × 275 días / 365 = Q3,515.98.",
             "<h3>Aguinaldo proporcional: Q3,013.70</h3>",
             "<h3>Bono 14 proporcional: Q1,676.71</h3>",
             "<h3>Vacaciones no gozadas: Q1,506.85</h3>",
             "Divisor: 365 días por año",
             // The summary table links to each explanation.
             R"(<a href="#concepto-indemnizacion">Indemnización</a>)",
             R"(id="concepto-indemnizacion")",
         }) {
        EXPECT_TRUE(Has(r.body, expected)) << expected << "\n" << r.body;
    }
    // The PDF form carries the same values, as typed, and the CSRF token.
    std::size_t pdf_form =
        r.body.find(R"(<form method="post" action="/calculadora-prestaciones/pdf">)");
    ASSERT_NE(pdf_form, std::string::npos) << r.body;
    std::string rest = r.body.substr(pdf_form, r.body.find("</form>", pdf_form) - pdf_form);
    EXPECT_TRUE(Has(rest, R"(<input type="hidden" name="csrf" value=")" + b.csrf() + "\""));
    EXPECT_TRUE(Has(rest, R"(<input type="hidden" name="fecha_fin" value="30/11/2025">)")) << rest;
    EXPECT_TRUE(
        Has(rest, R"(<input type="hidden" name="salario_ordinario_mensual" value="Q4,000.00">)"))
        << rest;
    EXPECT_TRUE(Has(rest, "Descargar el cálculo en PDF"));
    // The form below keeps what was typed, to change and calculate again.
    EXPECT_TRUE(Has(r.body, R"(name="salario_ordinario_mensual" value="Q4,000.00")"));
    EXPECT_TRUE(Has(r.body, R"(value="despido_injustificado" id="f-motivo-1" checked>)"));
}

TEST_F(SiteTest, CalculatorConvertsQuetzalesToCentavosExactly) {
    Browser b(router_);
    b.Get("/calculadora-prestaciones");
    // Q3,650.00 × 14/12 × 365 / 365 = Q4,258.33; Q10.50 extra per month adds Q12.25.
    http::Response r =
        b.Post("/calculadora-prestaciones",
               "fecha_inicio=2024-06-01&fecha_fin=2025-05-31&motivo=despido_injustificado"
               "&salario_ordinario_mensual=3650&salario_extraordinario_promedio=Q10.5");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(Has(r.body, "Q3,650.00 ordinario + Q10.50 extraordinario promedio = Q3,660.50"))
        << r.body;
    EXPECT_TRUE(Has(r.body, "<h3>Indemnización: Q4,270.58</h3>")) << r.body;
}

TEST_F(SiteTest, CalculatorShowsEveryProblemBesideItsFieldAndKeepsWhatWasTyped) {
    Browser b(router_);
    b.Get("/calculadora-prestaciones");
    http::Response r =
        b.Post("/calculadora-prestaciones",
               "fecha_inicio=31%2F02%2F2025&fecha_fin=2024-01-01"
               "&salario_ordinario_mensual=4.000%2C50&dias_vacaciones_pendientes=diez"
               "&bonificacion_incentivo=%3Cb%3E");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(Has(r.body, "<h2 id=\"titulo-errores\">Hay un problema</h2>"));
    for (
        const char* expected : {
            R"(<a href="#campo-fecha_inicio">Primer día de trabajo: La fecha 31/02/2025 no existe en el calendario.</a>)",
            R"(<a href="#campo-motivo">¿Por qué terminó la relación laboral?: Elija por qué terminó la relación laboral.</a>)",
            R"(<a href="#campo-salario_ordinario_mensual">Salario mensual: Escriba el monto en quetzales, con punto para los centavos; por ejemplo 3,250.50.</a>)",
            R"(href="#campo-dias_vacaciones_pendientes")",
            R"(href="#campo-bonificacion_incentivo")",
            // What was typed comes back, escaped.
            R"(name="fecha_inicio" value="31/02/2025")",
            R"(name="salario_ordinario_mensual" value="4.000,50")",
            R"(name="dias_vacaciones_pendientes" value="diez")",
            R"(name="bonificacion_incentivo" value="&lt;b&gt;")",
            R"(<div class="campo campo-con-error" id="campo-salario_ordinario_mensual">)",
            // An error among the optional fields opens them.
            "<details class=\"mas-datos\" open>",
        }) {
        EXPECT_TRUE(Has(r.body, expected)) << expected << "\n" << r.body;
    }
    EXPECT_FALSE(Has(r.body, "<b>"));
    EXPECT_FALSE(Has(r.body, "id=\"resultado\""));

    // The calculator's own rules, in the same summary: the end before the start.
    r = b.Post("/calculadora-prestaciones",
               "fecha_inicio=2025-03-01&fecha_fin=2024-01-01&motivo=renuncia&salario_ordinario_"
               "mensual=4000");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(Has(r.body, "La fecha de terminación no puede ser anterior a la fecha de inicio."));
    EXPECT_TRUE(Has(r.body, "<details class=\"mas-datos\">"));
}

TEST_F(SiteTest, CalculatorRefusesAFormWithoutItsCsrfToken) {
    Browser b(router_);
    b.Get("/calculadora-prestaciones");
    http::Response r = b.PostRaw("/calculadora-prestaciones", kCaso1);
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(Has(r.body, "Q9,713.24"));
    r = b.PostRaw("/calculadora-prestaciones/pdf", kCaso1 + "&csrf=" + std::string(64, 'b'));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
}

TEST_F(SiteTest, CalculatorPdfIsTheCalculationToPrint) {
    Browser b(router_);
    b.Get("/calculadora-prestaciones");
    http::Response r = b.Post("/calculadora-prestaciones/pdf", kCaso1);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/pdf");
    EXPECT_TRUE(Header(r, "Content-Disposition")
                    .starts_with("attachment; filename=\"prestaciones-2025-11-30.pdf\""));
    EXPECT_EQ(Header(r, "Cache-Control"), "private, no-store");
    ASSERT_TRUE(pdf::testing::HaveTool("pdftotext")) << "instale poppler-utils (pdftotext)";
    vt::testing::TempDir dir;
    std::string text = pdf::testing::PdfText(dir.path(), r.body);
    for (const char* expected :
         {"Ministerio de Trabajo y Previsión Social — República de Guatemala",
          "Cálculo informativo — no es una resolución", "Indemnización", "Q3,515.98",
          "Código de Trabajo, Art. 82", "Q9,713.24",
          "Fecha del cálculo: 25 de noviembre de 2026, 12:00"}) {
        EXPECT_TRUE(Has(text, expected)) << expected << "\n" << text;
    }

    // Bad values (a tampered form): the form again with the problems, and no PDF.
    r = b.Post("/calculadora-prestaciones/pdf", "fecha_inicio=2025-03-01&motivo=otro");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(Header(r, "Content-Disposition"), "");
    EXPECT_TRUE(Has(r.body, R"(href="#campo-fecha_fin")"));
    EXPECT_TRUE(Has(r.body, "Elija uno de los motivos de la lista."));
}

TEST_F(SiteTest, TheCatalogSendsPeopleToTheCalculatorPage) {
    Browser b(router_);
    http::Response r = b.Get("/tramites/calculo-prestaciones-laborales");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(
        Has(r.body, R"(<a class="boton" href="/calculadora-prestaciones">Usar el servicio</a>)"))
        << r.body;
    EXPECT_FALSE(Has(r.body, "/tramites/calculo-prestaciones-laborales/solicitud"));
    EXPECT_TRUE(Has(b.Get("/").body, R"(href="/calculadora-prestaciones")"));
}

}  // namespace
}  // namespace vt::web::testing
