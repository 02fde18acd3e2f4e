#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "vt/calculators/prestaciones.hpp"
#include "vt/pdf/pdf_text.hpp"
#include "vt/testing.hpp"

namespace vt::calculators {
namespace {

using core::Money;
using std::chrono::system_clock;

core::Date D(const char* iso) { return *core::ParseIsoDate(iso); }

// 2026-11-25 12:00 in Guatemala (UTC−6).
const system_clock::time_point kCalculado =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + std::chrono::hours{18};

// Case 1 of prestaciones_test.cpp: 01/03/2025–30/11/2025, Q4,000.00, despido injustificado.
Entrada Caso1() {
    Entrada e;
    e.fecha_inicio = D("2025-03-01");
    e.fecha_fin = D("2025-11-30");
    e.motivo = Motivo::kDespidoInjustificado;
    e.salario_ordinario_mensual = Money::FromCentavos(400'000);
    e.hoy = D("2026-11-25");
    return e;
}

// Every optional field set: seven conceptos.
Entrada CasoCompleto() {
    Entrada e;
    e.fecha_inicio = D("2021-09-15");
    e.fecha_fin = D("2025-07-01");
    e.motivo = Motivo::kRenuncia;
    e.salario_ordinario_mensual = Money::FromCentavos(400'000);
    e.salario_extraordinario_promedio = Money::FromCentavos(35'050);
    e.bonificacion_incentivo = Money::FromCentavos(30'000);
    e.dias_vacaciones_pendientes = 10;
    e.aguinaldo_pagado = false;
    e.bono14_pagado = false;
    e.dias_salario_pendiente = 12;
    e.hoy = D("2026-11-25");
    return e;
}

// The PDF's text with every run of whitespace made one space: lines wrap wherever the page
// ends, and what matters is the words.
std::string Texto(const std::string& pdf) {
    vt::testing::TempDir dir;
    std::string raw = pdf::testing::PdfText(dir.path(), pdf);
    std::string out;
    for (char c : raw) {
        bool space = c == ' ' || c == '\n' || c == '\r' || c == '\f' || c == '\t';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out.push_back(space ? ' ' : c);
    }
    return out;
}

// `s` as printed: "≈" has no letter in Windows-1252 and prints as "~".
std::string Impreso(std::string_view s) {
    constexpr std::string_view kAprox = "≈";
    std::string out;
    for (std::size_t p = s.find(kAprox); p != std::string_view::npos; p = s.find(kAprox)) {
        out.append(s.substr(0, p)).push_back('~');
        s.remove_prefix(p + kAprox.size());
    }
    return out.append(s);
}

class PrestacionesPdfTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(pdf::testing::HaveTool("pdftotext")) << "instale poppler-utils (pdftotext)";
    }
};

TEST_F(PrestacionesPdfTest, PrintsEveryConceptWithItsAmountLegalBasisAndDerivation) {
    Entrada e = Caso1();
    auto l = CalcularPrestaciones(e);
    ASSERT_OK(l);
    auto bytes = PrestacionesPdf(e, *l, kCalculado);
    ASSERT_OK(bytes);
    EXPECT_TRUE(bytes->starts_with("%PDF-"));
    std::string text = Texto(*bytes);

    for (const char* expected : {
             "Ministerio de Trabajo y Previsión Social — República de Guatemala",
             "Cálculo de prestaciones laborales",
             "Cálculo informativo — no es una resolución",
             "No es una resolución ni una constancia del Ministerio de Trabajo y Previsión Social",
             "Fecha del cálculo: 25 de noviembre de 2026, 12:00 (hora de Guatemala).",
             // The inputs.
             "Fecha de inicio de la relación laboral",
             "1 de marzo de 2025",
             "Último día de trabajo",
             "30 de noviembre de 2025",
             "Despido injustificado",
             "Salario ordinario mensual",
             "Q4,000.00",
             "Bonificación incentivo mensual",
             "Q250.00",
             "no indicados: se calcula la parte proporcional",
             // The total and the convention.
             "Total",
             "Q9,713.24",
             "Divisor: 365 días por año, también en años bisiestos.",
             // Signs Windows-1252 lacks are written in ASCII, not as "?".
             "15 × 275 / 365 ~ 11.30",
             "(fecha de terminación - fecha desde la que se cuenta + 1)",
             "Inspección General de Trabajo",
             "Página 1 de",
         }) {
        EXPECT_NE(text.find(expected), std::string::npos) << "falta «" << expected << "» en:\n"
                                                          << text;
    }
    ASSERT_EQ(l->conceptos.size(), 4u);
    for (const Concepto& c : l->conceptos) {
        SCOPED_TRACE(c.id);
        std::size_t at = text.find(c.nombre);
        ASSERT_NE(at, std::string::npos) << text;
        EXPECT_NE(text.find(c.monto.ToString(), at), std::string::npos) << text;
        EXPECT_NE(text.find(c.explicacion, at), std::string::npos) << text;
        EXPECT_NE(text.find(fmt::format("Base legal: {}", c.base_legal), at), std::string::npos)
            << text;
        EXPECT_NE(text.find(fmt::format("Cálculo: {}", Impreso(c.calculo)), at), std::string::npos)
            << text;
    }
    // The amounts of case 1, as the hand-worked case has them.
    for (const char* monto : {"Q3,515.98", "Q3,013.70", "Q1,676.71", "Q1,506.85"}) {
        EXPECT_NE(text.find(monto), std::string::npos) << monto;
    }
}

TEST_F(PrestacionesPdfTest, ALongSettlementTakesMorePagesEachWithHeaderAndNotice) {
    Entrada e = CasoCompleto();
    auto l = CalcularPrestaciones(e);
    ASSERT_OK(l);
    ASSERT_EQ(l->conceptos.size(), 8u);
    auto bytes = PrestacionesPdf(e, *l, kCalculado);
    ASSERT_OK(bytes);
    std::string text = Texto(*bytes);
    std::size_t pages = pdf::testing::Count(text, "Página ");
    ASSERT_GE(pages, 2u) << text;
    EXPECT_EQ(pdf::testing::Count(text, "Ministerio de Trabajo y Previsión Social — República"),
              pages);
    EXPECT_EQ(pdf::testing::Count(text,
                                  "Cálculo informativo, no es una resolución · calculado "
                                  "el 25 de noviembre de 2026 a las 12:00"),
              pages);
    // The inputs: pdftotext reads the table's labels and values as two columns.
    EXPECT_EQ(pdf::testing::Count(text, " no pagado "), 2u) << text;
    for (const char* expected :
         {"15 de septiembre de 2021", "1 de julio de 2025", "Renuncia", "Q350.50", "Q300.00",
          "Días de vacaciones pendientes", "Días trabajados sin pagar",
          " 10 no pagado no pagado 12 ", "Bonificación incentivo pendiente",
          "Decreto 78-89, reformado por el Decreto 37-2001"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << "falta «" << expected << "» en:\n"
                                                          << text;
    }
    for (const Concepto& c : l->conceptos) {
        EXPECT_NE(text.find(c.nombre), std::string::npos) << c.nombre;
        EXPECT_NE(text.find(c.monto.ToString()), std::string::npos) << c.nombre;
    }
    EXPECT_NE(text.find(l->total.ToString()), std::string::npos);
}

TEST_F(PrestacionesPdfTest, IsDeterministic) {
    Entrada e = Caso1();
    auto l = CalcularPrestaciones(e);
    ASSERT_OK(l);
    auto a = PrestacionesPdf(e, *l, kCalculado);
    auto b = PrestacionesPdf(e, *l, kCalculado);
    ASSERT_OK(a);
    ASSERT_OK(b);
    EXPECT_EQ(*a, *b);
}

TEST(PrestacionesPdf, RefusesAnEntradaWithoutItsRequiredFields) {
    auto r = PrestacionesPdf(Entrada{}, Liquidacion{}, kCalculado);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kInternal);
}

TEST(MotivoNombre, NamesEveryMotivoForPeople) {
    EXPECT_EQ(MotivoNombre(Motivo::kDespidoInjustificado), "Despido injustificado");
    EXPECT_EQ(MotivoNombre(Motivo::kRenuncia), "Renuncia");
    EXPECT_EQ(MotivoNombre(Motivo::kDespidoJustificado), "Despido justificado");
    EXPECT_EQ(MotivoNombre(Motivo::kMutuoAcuerdo), "Mutuo acuerdo");
}

}  // namespace
}  // namespace vt::calculators
