#include "vt/calculators/prestaciones.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace vt::calculators {
namespace {

using core::Date;
using core::Money;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

// The factor is formatted in, so the text never disagrees with kFactorIndemnizacion.
std::string TextoConvencion() {
    return fmt::format(
        "Días: se cuentan ambos extremos (fecha de terminación − fecha desde la que se cuenta + "
        "1). Divisor: 365 días por año, también en años bisiestos. Aguinaldo (período del 1 de "
        "diciembre al 30 de noviembre), bono 14 (del 1 de julio al 30 de junio) y vacaciones "
        "(año vacacional desde el último aniversario de la fecha de inicio; un 29 de febrero se "
        "cumple el 1 de marzo en años no bisiestos) se pagan en proporción a los días laborados "
        "del período en curso, con proporción máxima 365/365; los períodos anteriores se "
        "suponen pagados salvo que se indique lo contrario. Indemnización: (salario ordinario + "
        "extraordinario promedio) × {}/{} × días de la relación laboral / 365. Aguinaldo y bono "
        "14: salario ordinario × días / 365. Salario diario = salario mensual / 30 (vacaciones, "
        "salario y bonificación pendientes). La bonificación incentivo no forma parte de ninguna "
        "base. Cada concepto se calcula con aritmética entera exacta y se redondea una sola vez "
        "al centavo, la mitad hacia arriba; el total es la suma de los conceptos redondeados.",
        kFactorIndemnizacion.numerador, kFactorIndemnizacion.denominador);
}

struct MotivoTexto {
    Motivo motivo;
    std::string_view id;
    std::string_view nombre;
};

constexpr std::array<MotivoTexto, 4> kMotivos{{
    {Motivo::kDespidoInjustificado, "despido_injustificado", "Despido injustificado"},
    {Motivo::kRenuncia, "renuncia", "Renuncia"},
    {Motivo::kDespidoJustificado, "despido_justificado", "Despido justificado"},
    {Motivo::kMutuoAcuerdo, "mutuo_acuerdo", "Mutuo acuerdo"},
}};

// What each concept is, for the person who receives it; the derivation says how much.
constexpr std::pair<std::string_view, std::string_view> kExplicaciones[] = {
    {"indemnizacion",
     "Lo que el patrono paga a quien despide sin una causa justificada: un mes de salario por "
     "cada año trabajado, y la parte que corresponde de un año incompleto."},
    {"aguinaldo",
     "Un salario extra al año, que se paga en diciembre. Al terminar la relación se paga la "
     "parte de los días trabajados desde el último 1 de diciembre."},
    {"aguinaldo_anterior",
     "El aguinaldo del período anterior, que usted indicó que no le pagaron."},
    {"bono14",
     "Otro salario extra al año, que se paga en julio. Al terminar la relación se paga la "
     "parte de los días trabajados desde el último 1 de julio."},
    {"bono14_anterior", "El bono 14 del período anterior, que usted indicó que no le pagaron."},
    {"vacaciones",
     "Por cada año trabajado corresponden 15 días hábiles de vacaciones pagadas. Las que no "
     "tomó se pagan en dinero al terminar la relación, también la parte del año en curso."},
    {"salario_pendiente", "El salario de los días que trabajó y todavía no le pagaron."},
    {"bonificacion_pendiente",
     "La bonificación incentivo de esos mismos días, que se paga aparte del salario."},
};

std::string Explicacion(std::string_view id) {
    for (const auto& [concepto, texto] : kExplicaciones) {
        if (concepto == id) return std::string(texto);
    }
    return {};
}

constexpr std::string_view kBaseIndemnizacion = "Código de Trabajo, Art. 82";
constexpr std::string_view kBaseAguinaldo =
    "Decreto 76-78, Ley Reguladora de la Prestación del Aguinaldo";
constexpr std::string_view kBaseBono14 =
    "Decreto 42-92, Ley de Bonificación Anual para Trabajadores del Sector Privado y Público";
constexpr std::string_view kBaseVacaciones = "Código de Trabajo, Arts. 130, 133, 134 y 136";
constexpr std::string_view kBaseSalario =
    "Código de Trabajo, Arts. 88 y 92 (salario devengado y no pagado)";
constexpr std::string_view kBaseBonificacion =
    "Decreto 78-89, reformado por el Decreto 37-2001 (bonificación incentivo)";

// Day `d` of `m` in `y` or, when that day does not exist there (29 February in a common
// year, 31 April after adding months), the first day of the next month: a worker who
// started on 29 February has an anniversary on 1 March in common years.
Date DateOrNextDay(year y, month m, day d) {
    Date date{y, m, d};
    if (date.ok()) return date;
    return core::AddDays(Date{y / m / std::chrono::last}, 1);
}

Date AddYears(Date d, int years) {
    return DateOrNextDay(d.year() + std::chrono::years{years}, d.month(), d.day());
}

Date AddMonths(Date d, int months) {
    std::chrono::year_month ym =
        std::chrono::year_month{d.year(), d.month()} + std::chrono::months{months};
    return DateOrNextDay(ym.year(), ym.month(), d.day());
}

// Both ends included.
std::int64_t DiasInclusivos(Date desde, Date hasta) { return core::DaysBetween(desde, hasta) + 1; }

// Dates in derivations are written as people in Guatemala write them.
std::string Fecha(Date d) {
    return fmt::format("{:02d}/{:02d}/{:04d}", static_cast<unsigned>(d.day()),
                       static_cast<unsigned>(d.month()), static_cast<int>(d.year()));
}

// num / den with two decimals, rounded half up; only for display of quantities such as
// days of vacation, never for an amount. REQUIRES: num >= 0, den > 0.
std::string Decimal(std::int64_t num, std::int64_t den) {
    std::int64_t centesimas = (num * 200 + den) / (den * 2);
    return fmt::format("{}.{:02d}", centesimas / 100, centesimas % 100);
}

std::string Q(Money m) { return m.ToString(); }

struct Periodo {
    Date inicio;
    Date fin;
};

// The aguinaldo period (1 Dec – 30 Nov) that contains `d`.
Periodo PeriodoAguinaldo(Date d) {
    year y = d.month() == std::chrono::December ? d.year() : d.year() - std::chrono::years{1};
    return {Date{y, std::chrono::December, day{1}},
            Date{y + std::chrono::years{1}, std::chrono::November, day{30}}};
}

// The bono 14 period (1 Jul – 30 Jun) that contains `d`.
Periodo PeriodoBono14(Date d) {
    year y = d.month() >= std::chrono::July ? d.year() : d.year() - std::chrono::years{1};
    return {Date{y, std::chrono::July, day{1}},
            Date{y + std::chrono::years{1}, std::chrono::June, day{30}}};
}

Periodo Anterior(Periodo p) { return {AddYears(p.inicio, -1), core::AddDays(p.inicio, -1)}; }

struct Tramo {
    Date desde;
    Date hasta;
    std::int64_t dias;
};

// The days of `p` inside the relationship [inicio, fin], if any.
std::optional<Tramo> DiasEnPeriodo(Periodo p, Date inicio, Date fin) {
    Date desde = std::max(p.inicio, inicio);
    Date hasta = std::min(p.fin, fin);
    if (hasta < desde) return std::nullopt;
    return Tramo{desde, hasta, DiasInclusivos(desde, hasta)};
}

// "Q4,000.00 × 275 / 365 = Q3,013.70", with the proportion capped at one period.
Result<Concepto> Proporcional(std::string id, std::string nombre, std::string_view base_legal,
                              std::string_view nombre_periodo, Money base, Periodo periodo,
                              const Tramo& tramo) {
    std::int64_t dias = std::min(tramo.dias, kDiasPorAnio);
    VT_ASSIGN_OR_RETURN(Money monto, core::MulDivRoundHalfUp(base, dias, kDiasPorAnio));
    std::string calculo = fmt::format("{} del {} al {}; días laborados del {} al {}: {}",
                                      nombre_periodo, Fecha(periodo.inicio), Fecha(periodo.fin),
                                      Fecha(tramo.desde), Fecha(tramo.hasta), tramo.dias);
    if (tramo.dias > kDiasPorAnio) {
        calculo +=
            fmt::format(" (período completo: proporción máxima {}/{})", kDiasPorAnio, kDiasPorAnio);
    }
    calculo += fmt::format(". {} × {} / {} = {}.", Q(base), dias, kDiasPorAnio, Q(monto));
    return Concepto{std::move(id), std::move(nombre), monto, std::string(base_legal),
                    std::move(calculo)};
}

struct Datos {
    Date inicio;
    Date fin;
    Motivo motivo;
    Money ordinario;
};

Result<Concepto> Indemnizacion(const Entrada& e, const Datos& d) {
    Concepto c{"indemnizacion", "Indemnización", Money(), std::string(kBaseIndemnizacion), ""};
    switch (d.motivo) {
        case Motivo::kDespidoInjustificado:
            break;
        case Motivo::kRenuncia:
            c.calculo =
                "No corresponde: la indemnización por tiempo servido se debe cuando el patrono "
                "despide sin causa justificada (Art. 82); la relación terminó por renuncia.";
            return c;
        case Motivo::kDespidoJustificado:
            c.calculo =
                "No corresponde en el despido con causa justificada (Art. 77). Si el patrono no "
                "prueba la causa ante un juez, sí se debe (Art. 78).";
            return c;
        case Motivo::kMutuoAcuerdo:
            c.calculo =
                "No corresponde por ley en la terminación por mutuo acuerdo: el Art. 82 la prevé "
                "para el despido injustificado. Las partes pueden pactarla.";
            return c;
    }

    // Art. 81: either party may end the relationship in the first two months without
    // liability.
    Date fin_prueba = AddMonths(d.inicio, 2);
    if (d.fin < fin_prueba) {
        c.calculo = fmt::format(
            "No corresponde: la relación terminó dentro del período de prueba (los dos primeros "
            "meses, del {} al {}), que cualquiera de las partes puede terminar sin "
            "responsabilidad (Art. 81).",
            Fecha(d.inicio), Fecha(core::AddDays(fin_prueba, -1)));
        return c;
    }

    Money base = d.ordinario + e.salario_extraordinario_promedio;
    std::int64_t dias = DiasInclusivos(d.inicio, d.fin);
    const auto [num, den] = kFactorIndemnizacion;
    VT_ASSIGN_OR_RETURN(c.monto, core::MulDivRoundHalfUp(base, num * dias, den * kDiasPorAnio));

    std::string base_texto =
        e.salario_extraordinario_promedio == Money()
            ? fmt::format("salario ordinario {}", Q(base))
            : fmt::format("{} ordinario + {} extraordinario promedio = {}", Q(d.ordinario),
                          Q(e.salario_extraordinario_promedio), Q(base));
    std::string factor = num == den ? "" : fmt::format(" × {}/{}", num, den);
    c.calculo = fmt::format(
        "Base mensual: {} (la bonificación incentivo no forma parte de la base). Tiempo de "
        "servicio del {} al {}: {} días ({} años). {}{} × {} días / {} = {}.",
        base_texto, Fecha(d.inicio), Fecha(d.fin), dias, Decimal(dias, kDiasPorAnio), Q(base),
        factor, dias, kDiasPorAnio, Q(c.monto));
    return c;
}

Result<Concepto> AguinaldoOBono14(const Datos& d, bool aguinaldo, bool anterior, bool pagado) {
    Periodo actual = aguinaldo ? PeriodoAguinaldo(d.fin) : PeriodoBono14(d.fin);
    Periodo periodo = anterior ? Anterior(actual) : actual;
    std::string id = aguinaldo ? "aguinaldo" : "bono14";
    std::string nombre = aguinaldo ? "Aguinaldo" : "Bono 14";
    std::string_view base_legal = aguinaldo ? kBaseAguinaldo : kBaseBono14;
    if (anterior) {
        id += "_anterior";
        nombre += " del período anterior";
    } else {
        nombre += " proporcional";
    }
    std::string_view nombre_periodo = anterior ? "Período anterior, no pagado," : "Período";

    std::optional<Tramo> tramo = DiasEnPeriodo(periodo, d.inicio, d.fin);
    if (!tramo) {
        return Concepto{std::move(id), std::move(nombre), Money(), std::string(base_legal),
                        fmt::format("No corresponde: la relación laboral empezó el {}, después "
                                    "del período anterior (del {} al {}).",
                                    Fecha(d.inicio), Fecha(periodo.inicio), Fecha(periodo.fin))};
    }
    VT_ASSIGN_OR_RETURN(Concepto c, Proporcional(std::move(id), std::move(nombre), base_legal,
                                                 nombre_periodo, d.ordinario, periodo, *tramo));
    c.calculo +=
        " Base: salario ordinario mensual, sin tiempo extraordinario ni bonificación "
        "incentivo.";
    if (!anterior && pagado && d.inicio < periodo.inicio) {
        c.calculo += aguinaldo ? " Se supone pagado el aguinaldo del período anterior."
                               : " Se supone pagado el bono 14 del período anterior.";
    }
    return c;
}

// The start of the vacation year containing `fin`: the last anniversary of `inicio` not
// after `fin` (or `inicio` itself during the first year).
Date InicioAnioVacacional(Date inicio, Date fin) {
    int anios = static_cast<int>(fin.year()) - static_cast<int>(inicio.year());
    Date aniversario = AddYears(inicio, anios);
    while (fin < aniversario) aniversario = AddYears(inicio, --anios);
    return aniversario;
}

Result<Concepto> Vacaciones(const Entrada& e, const Datos& d) {
    Concepto c{"vacaciones", "Vacaciones no gozadas", Money(), std::string(kBaseVacaciones), ""};
    Money base = d.ordinario + e.salario_extraordinario_promedio;
    std::string base_texto =
        e.salario_extraordinario_promedio == Money()
            ? fmt::format("{} / {}", Q(base), kDiasPorMes)
            : fmt::format("({} ordinario + {} extraordinario promedio) / {}", Q(d.ordinario),
                          Q(e.salario_extraordinario_promedio), kDiasPorMes);

    if (e.dias_vacaciones_pendientes) {
        std::int64_t dias = *e.dias_vacaciones_pendientes;
        VT_ASSIGN_OR_RETURN(c.monto, core::MulDivRoundHalfUp(base, dias, kDiasPorMes));
        c.calculo = fmt::format(
            "Días pendientes indicados: {}. Salario diario: {}. {} / {} × {} días = {}.", dias,
            base_texto, Q(base), kDiasPorMes, dias, Q(c.monto));
        return c;
    }

    Date desde = InicioAnioVacacional(d.inicio, d.fin);
    std::int64_t dias = DiasInclusivos(desde, d.fin);
    std::int64_t dias_tope = std::min(dias, kDiasPorAnio);
    // base / 30 × 15 × días / 365 as one fraction, so there is a single rounding.
    VT_ASSIGN_OR_RETURN(c.monto, core::MulDivRoundHalfUp(base, kDiasVacacionesPorAnio * dias_tope,
                                                         kDiasPorMes * kDiasPorAnio));
    std::string tope = dias > kDiasPorAnio ? fmt::format(" (año completo: proporción máxima {}/{})",
                                                         kDiasPorAnio, kDiasPorAnio)
                                           : "";
    c.calculo = fmt::format(
        "Año vacacional en curso del {} al {}: {} días{}. Días de vacaciones: {} × {} / {} ≈ "
        "{}. Salario diario: {}. {} / {} × {} × {} / {} = {}. Se suponen gozadas las "
        "vacaciones de años anteriores; si no lo fueron, indique los días pendientes.",
        Fecha(desde), Fecha(d.fin), dias, tope, kDiasVacacionesPorAnio, dias_tope, kDiasPorAnio,
        Decimal(kDiasVacacionesPorAnio * dias_tope, kDiasPorAnio), base_texto, Q(base), kDiasPorMes,
        kDiasVacacionesPorAnio, dias_tope, kDiasPorAnio, Q(c.monto));
    return c;
}

Result<Concepto> PorDias(std::string id, std::string nombre, std::string_view base_legal,
                         Money mensual, int dias) {
    VT_ASSIGN_OR_RETURN(Money monto, core::MulDivRoundHalfUp(mensual, dias, kDiasPorMes));
    std::string calculo =
        fmt::format("{} / {} × {} días = {}.", Q(mensual), kDiasPorMes, dias, Q(monto));
    return Concepto{std::move(id), std::move(nombre), monto, std::string(base_legal),
                    std::move(calculo)};
}

void ValidarMonto(std::map<std::string, std::string>& errores, const char* campo,
                  std::string_view nombre, Money monto, bool puede_ser_cero) {
    if (puede_ser_cero ? monto < Money() : monto <= Money()) {
        errores[campo] = fmt::format("{} debe ser {} Q0.00.", nombre,
                                     puede_ser_cero ? "mayor o igual que" : "mayor que");
    } else if (monto > kMontoMensualMaximo) {
        errores[campo] =
            fmt::format("{} no puede exceder {} al mes.", nombre, Q(kMontoMensualMaximo));
    }
}

Status Validar(const Entrada& e) {
    if (!e.hoy.ok()) return Error::Internal("Falta la fecha de hoy para validar los datos.");
    std::map<std::string, std::string> errores;
    if (!e.fecha_inicio) {
        errores["fecha_inicio"] = "Indique la fecha de inicio de la relación laboral.";
    } else if (*e.fecha_inicio < kFechaInicioMinima) {
        errores["fecha_inicio"] =
            "La fecha de inicio no puede ser anterior al " + Fecha(kFechaInicioMinima) + ".";
    }
    Date limite = AddYears(e.hoy, 1);
    if (!e.fecha_fin) {
        errores["fecha_fin"] = "Indique la fecha de terminación de la relación laboral.";
    } else if (e.fecha_inicio && *e.fecha_fin < *e.fecha_inicio) {
        errores["fecha_fin"] =
            "La fecha de terminación no puede ser anterior a la fecha de inicio.";
    } else if (*e.fecha_fin > limite) {
        errores["fecha_fin"] = "La fecha de terminación no puede ser posterior al " +
                               Fecha(limite) + " (un año después de hoy).";
    }
    if (!e.motivo) {
        errores["motivo"] =
            "Indique el motivo de la terminación: despido_injustificado, renuncia, "
            "despido_justificado o mutuo_acuerdo.";
    }
    if (!e.salario_ordinario_mensual) {
        errores["salario_ordinario_mensual"] = "Indique el salario ordinario mensual.";
    } else {
        ValidarMonto(errores, "salario_ordinario_mensual", "El salario ordinario mensual",
                     *e.salario_ordinario_mensual, /*puede_ser_cero=*/false);
    }
    ValidarMonto(errores, "salario_extraordinario_promedio", "El salario extraordinario promedio",
                 e.salario_extraordinario_promedio, /*puede_ser_cero=*/true);
    ValidarMonto(errores, "bonificacion_incentivo", "La bonificación incentivo",
                 e.bonificacion_incentivo, /*puede_ser_cero=*/true);
    if (e.dias_vacaciones_pendientes &&
        (*e.dias_vacaciones_pendientes < 0 ||
         *e.dias_vacaciones_pendientes > kMaxDiasVacacionesPendientes)) {
        errores["dias_vacaciones_pendientes"] = fmt::format(
            "Los días de vacaciones pendientes deben estar entre 0 y {}: se pueden reclamar las "
            "vacaciones de los últimos cinco años, de {} días cada una (Art. 136).",
            kMaxDiasVacacionesPendientes, kDiasVacacionesPorAnio);
    }
    if (e.dias_salario_pendiente < 0 || e.dias_salario_pendiente > kMaxDiasSalarioPendiente) {
        errores["dias_salario_pendiente"] = fmt::format(
            "Los días de salario pendiente deben estar entre 0 y {}.", kMaxDiasSalarioPendiente);
    } else if (e.fecha_inicio && e.fecha_fin && *e.fecha_inicio <= *e.fecha_fin &&
               e.dias_salario_pendiente > DiasInclusivos(*e.fecha_inicio, *e.fecha_fin)) {
        errores["dias_salario_pendiente"] = fmt::format(
            "Los días de salario pendiente no pueden exceder los {} días de la relación laboral.",
            DiasInclusivos(*e.fecha_inicio, *e.fecha_fin));
    }
    if (!errores.empty()) return Error::Invalid("Revise los datos marcados.", std::move(errores));
    return Ok();
}

}  // namespace

std::string_view MotivoId(Motivo motivo) {
    for (const MotivoTexto& m : kMotivos) {
        if (m.motivo == motivo) return m.id;
    }
    return {};
}

std::string_view MotivoNombre(Motivo motivo) {
    for (const MotivoTexto& m : kMotivos) {
        if (m.motivo == motivo) return m.nombre;
    }
    return {};
}

std::optional<Motivo> ParseMotivo(std::string_view id) {
    for (const MotivoTexto& m : kMotivos) {
        if (m.id == id) return m.motivo;
    }
    return std::nullopt;
}

std::string_view Convencion() {
    static const std::string texto = TextoConvencion();
    return texto;
}

Result<Liquidacion> CalcularPrestaciones(const Entrada& entrada) {
    VT_RETURN_IF_ERROR(Validar(entrada));
    const Datos d{*entrada.fecha_inicio, *entrada.fecha_fin, *entrada.motivo,
                  *entrada.salario_ordinario_mensual};

    Liquidacion l;
    auto agregar = [&l](Result<Concepto> c) -> Status {
        if (!c.ok()) return std::move(c).error();
        c->explicacion = Explicacion(c->id);
        l.total += c->monto;
        l.conceptos.push_back(std::move(c).value());
        return Ok();
    };
    VT_RETURN_IF_ERROR(agregar(Indemnizacion(entrada, d)));
    VT_RETURN_IF_ERROR(agregar(
        AguinaldoOBono14(d, /*aguinaldo=*/true, /*anterior=*/false, entrada.aguinaldo_pagado)));
    if (!entrada.aguinaldo_pagado) {
        VT_RETURN_IF_ERROR(agregar(AguinaldoOBono14(d, true, /*anterior=*/true, false)));
    }
    VT_RETURN_IF_ERROR(agregar(
        AguinaldoOBono14(d, /*aguinaldo=*/false, /*anterior=*/false, entrada.bono14_pagado)));
    if (!entrada.bono14_pagado) {
        VT_RETURN_IF_ERROR(agregar(AguinaldoOBono14(d, false, /*anterior=*/true, false)));
    }
    VT_RETURN_IF_ERROR(agregar(Vacaciones(entrada, d)));
    if (entrada.dias_salario_pendiente > 0) {
        VT_RETURN_IF_ERROR(agregar(PorDias("salario_pendiente", "Salario pendiente", kBaseSalario,
                                           d.ordinario, entrada.dias_salario_pendiente)));
        VT_RETURN_IF_ERROR(agregar(
            PorDias("bonificacion_pendiente", "Bonificación incentivo pendiente", kBaseBonificacion,
                    entrada.bonificacion_incentivo, entrada.dias_salario_pendiente)));
    }
    l.convencion = std::string(Convencion());
    return l;
}

}  // namespace vt::calculators
