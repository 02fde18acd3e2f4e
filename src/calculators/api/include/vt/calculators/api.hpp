#pragma once
/// JSON handlers of the calculators: parse the request, call the calculator, render.

#include "vt/core/clock.hpp"
#include "vt/http/http.hpp"

namespace vt::calculators {

/// Registers POST /api/v1/calculadora/prestaciones (application/json). The body is the
/// Entrada of vt/calculators/prestaciones.hpp with dates as "YYYY-MM-DD", motivo as its
/// identifier and amounts as integer centavos; the answer is the Liquidacion with amounts
/// in centavos. Wrong JSON types, unknown keys and every input problem the calculator
/// finds are answered together as 422 with one Spanish message per field; a body that is
/// not JSON is 400. `clock` gives "today" for the limit on fecha_fin.
///
/// Registers POST /api/v1/calculadora/prestaciones/pdf: the same body and the same errors
/// (nothing is produced when the input is wrong); the answer is the calculation as a
/// printable PDF (PrestacionesPdf()), application/pdf, as an attachment named
/// "prestaciones-<fecha_fin>.pdf".
/// REQUIRES: `clock` outlives `router`.
void AddCalculatorRoutes(http::Router& router, const core::Clock& clock);

}  // namespace vt::calculators
