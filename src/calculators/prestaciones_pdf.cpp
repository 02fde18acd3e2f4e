// The printable calculation. It depends on vt/pdf (a leaf module shared with documents),
// not on the documents module, so the calculators stay free of the store and the cases.
#include <fmt/format.h>

#include "vt/calculators/prestaciones.hpp"
#include "vt/core/clock.hpp"
#include "vt/pdf/pdf.hpp"

namespace vt::calculators {
namespace {

using std::chrono::system_clock;

constexpr std::string_view kTitulo = "Cálculo de prestaciones laborales";
constexpr std::string_view kAviso =
    "Este es un cálculo informativo, hecho con los datos que usted ingresó. No es una "
    "resolución ni una constancia del Ministerio de Trabajo y Previsión Social, no lleva "
    "firma y no obliga al patrono ni a la persona trabajadora.";
constexpr std::string_view kQueHacer =
    "Puede mostrar este cálculo a su patrono o llevarlo a la Inspección General de Trabajo, "
    "donde le orientan sobre su reclamo. Revise antes que las fechas y los salarios sean "
    "correctos: el resultado depende de ellos. No incluye descuentos del IGSS ni otros "
    "pagos que el patrono ya haya hecho.";

// Guatemala keeps UTC−06:00 all year (see core::GuatemalaDate).
std::string HoraGuatemala(system_clock::time_point t) {
    auto local = std::chrono::floor<std::chrono::minutes>(t - std::chrono::hours{6});
    std::chrono::hh_mm_ss hms{local - std::chrono::floor<std::chrono::days>(local)};
    return fmt::format("{:02d}:{:02d}", hms.hours().count(), hms.minutes().count());
}

std::string PagadoONo(bool pagado) { return pagado ? "pagado" : "no pagado"; }

}  // namespace

Result<std::string> PrestacionesPdf(const Entrada& e, const Liquidacion& l,
                                    system_clock::time_point calculado) {
    if (!e.fecha_inicio || !e.fecha_fin || !e.motivo || !e.salario_ordinario_mensual) {
        return Error::Internal("Faltan datos de la entrada para imprimir el cálculo.");
    }
    const core::Date dia = core::GuatemalaDate(calculado);
    const std::string hora = HoraGuatemala(calculado);

    pdf::Document doc({
        .title = std::string(kTitulo),
        .author = "Ventanilla del Ministerio de Trabajo y Previsión Social",
        .subject = fmt::format("Cálculo informativo, relación laboral del {} al {}",
                               core::SpanishLongDate(*e.fecha_inicio),
                               core::SpanishLongDate(*e.fecha_fin)),
        .keywords = "prestaciones laborales, cálculo informativo",
        .created_at = core::FormatUtc(calculado),
        .footer = fmt::format("Cálculo informativo, no es una resolución · calculado el {} a "
                              "las {}",
                              core::SpanishLongDate(dia), hora),
    });
    const pdf::Style titulo{.font = pdf::Font::kBold, .size = 13};
    const pdf::Style dato{.size = 10};
    const pdf::Style nota{.size = 9, .indent = 12};

    doc.Paragraph(kTitulo, {.font = pdf::Font::kBold, .size = 16, .center = true});
    doc.Paragraph("Cálculo informativo — no es una resolución", {.size = 11, .center = true});
    doc.Space(12);
    doc.Paragraph(std::string("Aviso: ") + std::string(kAviso),
                  {.font = pdf::Font::kBold, .size = 10});
    doc.Space(4);
    doc.Paragraph(fmt::format("Fecha del cálculo: {}, {} (hora de Guatemala).",
                              core::SpanishLongDate(dia), hora),
                  dato);

    doc.Space(14);
    doc.KeepTogether(120);
    doc.Paragraph("Datos ingresados", titulo);
    doc.Rule();
    doc.Row("Fecha de inicio de la relación laboral", core::SpanishLongDate(*e.fecha_inicio), dato);
    doc.Row("Último día de trabajo", core::SpanishLongDate(*e.fecha_fin), dato);
    doc.Row("Motivo de la terminación", std::string(MotivoNombre(*e.motivo)), dato);
    doc.Row("Salario ordinario mensual", e.salario_ordinario_mensual->ToString(), dato);
    doc.Row("Promedio mensual de tiempo extraordinario",
            e.salario_extraordinario_promedio.ToString(), dato);
    doc.Row("Bonificación incentivo mensual", e.bonificacion_incentivo.ToString(), dato);
    doc.Row("Días de vacaciones pendientes",
            e.dias_vacaciones_pendientes ? std::to_string(*e.dias_vacaciones_pendientes)
                                         : "no indicados: se calcula la parte proporcional",
            dato);
    doc.Row("Aguinaldo del período anterior", PagadoONo(e.aguinaldo_pagado), dato);
    doc.Row("Bono 14 del período anterior", PagadoONo(e.bono14_pagado), dato);
    doc.Row("Días trabajados sin pagar", std::to_string(e.dias_salario_pendiente), dato);

    doc.Space(14);
    doc.KeepTogether(120);
    doc.Paragraph("Resultado", titulo);
    doc.Rule();
    for (const Concepto& c : l.conceptos) {
        doc.KeepTogether(70);
        doc.Row(c.nombre, c.monto.ToString(), {.font = pdf::Font::kBold});
        if (!c.explicacion.empty()) doc.Paragraph(c.explicacion, nota);
        doc.Paragraph("Base legal: " + c.base_legal, nota);
        doc.Paragraph("Cálculo: " + c.calculo, nota);
        doc.Space(6);
    }
    doc.Rule();
    doc.Row("Total", l.total.ToString(), {.font = pdf::Font::kBold, .size = 13});

    doc.Space(14);
    doc.KeepTogether(80);
    doc.Paragraph("Cómo se contó", titulo);
    doc.Paragraph(l.convencion, {.size = 9});

    doc.Space(14);
    doc.KeepTogether(80);
    doc.Paragraph("Qué hacer con este cálculo", titulo);
    doc.Paragraph(kQueHacer, dato);
    return pdf::Render(doc);
}

}  // namespace vt::calculators
