#pragma once
/// Prestaciones laborales at the end of an employment relationship (Guatemala): what the
/// employer owes the worker, concept by concept, each with its legal basis and the
/// derivation in plain Spanish, so that a person can check every number by hand.
///
/// Concepts: indemnización (Código de Trabajo Art. 82), aguinaldo (Decreto 76-78), bono 14
/// (Decreto 42-92), vacaciones (CT Arts. 130–136), and salary and bonificación incentivo
/// for days worked and not yet paid. The conventions (which days count, the 365 divisor,
/// the 14/12 factor, rounding) are those of docs/prestaciones.md and are repeated in
/// Liquidacion::convencion.
///
/// Everything is exact: amounts are integer centavos, every concept is one rational
/// expression rounded once, half up, to the centavo, and the total is the sum of the
/// rounded concepts. No floating point is used. All functions are pure and thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vt/core/date.hpp"
#include "vt/core/money.hpp"
#include "vt/core/result.hpp"

namespace vt::calculators {

/// Why the relationship ended; decides whether indemnización is owed.
enum class Motivo {
    kDespidoInjustificado,  ///< "despido_injustificado" (also despido indirecto, Art. 79).
    kRenuncia,              ///< "renuncia".
    kDespidoJustificado,    ///< "despido_justificado" (Art. 77).
    kMutuoAcuerdo,          ///< "mutuo_acuerdo".
};

/// The identifier used in JSON and on the command line: "despido_injustificado", ...
std::string_view MotivoId(Motivo motivo);
/// For people: "Despido injustificado", "Renuncia", "Despido justificado", "Mutuo acuerdo".
std::string_view MotivoNombre(Motivo motivo);
/// The identifier for `id`, or nullopt when it names no motivo (identifiers are exact:
/// lower case, with underscores).
std::optional<Motivo> ParseMotivo(std::string_view id);

/// An exact fraction.
struct Fraccion {
    std::int64_t numerador;
    std::int64_t denominador;
};

/// Multiplies the monthly salary in the indemnización: one month of salary plus one
/// twelfth of the aguinaldo and one twelfth of the bono 14, i.e. 14/12. Published
/// formulas and calculators apply it; the legal text that mandates it was not found
/// (OPEN-1 in docs/prestaciones.md). Setting it to {1, 1} drops the increment.
inline constexpr Fraccion kFactorIndemnizacion{14, 12};

/// Days per year in every proportion, also in leap years.
inline constexpr std::int64_t kDiasPorAnio = 365;
/// Days per month when a monthly salary becomes a daily one (vacations, unpaid days).
inline constexpr std::int64_t kDiasPorMes = 30;
/// Días hábiles of vacation per complete year of service (Art. 130).
inline constexpr std::int64_t kDiasVacacionesPorAnio = 15;

/// The bonificación incentivo of Decreto 78-89 (amended by Decreto 37-2001): Q250.00.
inline constexpr core::Money kBonificacionIncentivoLegal = core::Money::FromCentavos(25'000);
/// Largest monthly amount accepted for any salary or bonificación input: Q1,000,000.00.
inline constexpr core::Money kMontoMensualMaximo = core::Money::FromCentavos(100'000'000);
/// Pending vacation days accepted: omitted vacations of at most 5 years (Art. 136) × 15.
inline constexpr int kMaxDiasVacacionesPendientes = 75;
/// Unpaid days of salary accepted (also never more than the days of the relationship).
inline constexpr int kMaxDiasSalarioPendiente = 365;
/// Earliest fecha_inicio accepted.
inline constexpr core::Date kFechaInicioMinima{std::chrono::year{1950}, std::chrono::January,
                                               std::chrono::day{1}};

/// What the person tells the calculator. Required fields are optional here so that a
/// missing one is reported together with every other problem.
struct Entrada {
    /// First day of work. Required; from kFechaInicioMinima on.
    std::optional<core::Date> fecha_inicio;
    /// Last day of work (included). Required; not before fecha_inicio and at most one
    /// year after `hoy`.
    std::optional<core::Date> fecha_fin;
    /// Required.
    std::optional<Motivo> motivo;
    /// Ordinary monthly salary. Required; above Q0.00 and at most kMontoMensualMaximo.
    std::optional<core::Money> salario_ordinario_mensual;
    /// Monthly average of extraordinary pay (overtime). Counts in the indemnización and
    /// vacaciones bases only. Default Q0.00; 0 to kMontoMensualMaximo.
    core::Money salario_extraordinario_promedio;
    /// Monthly bonificación incentivo. Never part of a base (OPEN-2); used only for
    /// unpaid days. Default Q250.00; 0 to kMontoMensualMaximo.
    core::Money bonificacion_incentivo = kBonificacionIncentivoLegal;
    /// Vacation days owed, when the person knows them (0 to kMaxDiasVacacionesPendientes).
    /// Absent: the proportional part of the current vacation year is computed.
    std::optional<int> dias_vacaciones_pendientes;
    /// Whether the aguinaldo of the period before the one containing fecha_fin was paid.
    /// Default true; false adds that period.
    bool aguinaldo_pagado = true;
    /// The same for the bono 14.
    bool bono14_pagado = true;
    /// Days worked whose salary and bonificación were not paid (0 to
    /// kMaxDiasSalarioPendiente). Default 0.
    int dias_salario_pendiente = 0;
    /// Today in Guatemala, to reject end dates far in the future. REQUIRES: hoy.ok().
    core::Date hoy;
};

/// One line of the settlement.
struct Concepto {
    /// Stable identifier: "indemnizacion", "aguinaldo", "aguinaldo_anterior", "bono14",
    /// "bono14_anterior", "vacaciones", "salario_pendiente", "bonificacion_pendiente".
    std::string id;
    /// For people: "Indemnización", "Aguinaldo proporcional", ...
    std::string nombre;
    /// Rounded once, half up, to the centavo. Zero when not owed (the derivation says why).
    core::Money monto;
    /// The law it comes from, e.g. "Código de Trabajo, Art. 82".
    std::string base_legal;
    /// The derivation with the numbers, e.g. "Q4,000.00 × 14/12 × 730 días / 365 =
    /// Q9,333.33".
    std::string calculo;
    /// What the concept is, in plain Spanish for the worker, e.g. "Un salario extra al año
    /// que se paga en diciembre…". The same for every settlement.
    std::string explicacion;
};

struct Liquidacion {
    /// In this order, those that apply: indemnizacion (always listed, possibly zero),
    /// aguinaldo, aguinaldo_anterior (when aguinaldo_pagado is false), bono14,
    /// bono14_anterior (when bono14_pagado is false), vacaciones, salario_pendiente and
    /// bonificacion_pendiente (when dias_salario_pendiente > 0).
    std::vector<Concepto> conceptos;
    /// Sum of the rounded conceptos.
    core::Money total;
    /// The day-count and rounding conventions, in Spanish.
    std::string convencion;
};

/// The day-count and rounding conventions, in Spanish (the same text as
/// Liquidacion::convencion).
std::string_view Convencion();

/// Computes the settlement for `entrada`.
/// Errors: kInvalid "invalid" listing every problem at once in fields(), keyed by the JSON
/// field names (fecha_inicio, fecha_fin, motivo, salario_ordinario_mensual,
/// salario_extraordinario_promedio, bonificacion_incentivo, dias_vacaciones_pendientes,
/// dias_salario_pendiente), with Spanish messages. kInternal when entrada.hoy is not a
/// valid date (a caller bug).
[[nodiscard]] Result<Liquidacion> CalcularPrestaciones(const Entrada& entrada);

/// The calculation as a PDF a person can print and take to the employer or to the labour
/// inspectorate: the ministry's header, a notice that it is an informative calculation and
/// not a resolution, the date and time of the calculation (`calculado`, printed in
/// Guatemala's time), the inputs, every concepto with its monto, base legal and
/// derivation, the total and the day-count convention. Deterministic: the same arguments
/// give the same bytes.
/// REQUIRES: `liquidacion` is CalcularPrestaciones(entrada).
/// Errors: kInternal when the PDF cannot be written, or when the required fields of
/// `entrada` are missing (a caller bug).
[[nodiscard]] Result<std::string> PrestacionesPdf(const Entrada& entrada,
                                                  const Liquidacion& liquidacion,
                                                  std::chrono::system_clock::time_point calculado);

}  // namespace vt::calculators
