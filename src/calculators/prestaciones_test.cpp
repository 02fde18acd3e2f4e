#include "vt/calculators/prestaciones.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vt/testing.hpp"

namespace vt::calculators {
namespace {

using core::Money;

core::Date D(const char* iso) {
    auto d = core::ParseIsoDate(iso);
    EXPECT_TRUE(d.ok()) << iso;
    return d.ok() ? *d : core::Date{};
}

// Every case is computed as of this day.
const char* const kHoy = "2026-11-25";

struct Caso {
    const char* nombre;
    const char* inicio;
    const char* fin;
    Motivo motivo;
    std::int64_t ordinario;
    std::int64_t extraordinario = 0;
    std::int64_t bonificacion = 25'000;
    std::optional<int> vacaciones_pendientes;
    bool aguinaldo_pagado = true;
    bool bono14_pagado = true;
    int dias_salario_pendiente = 0;
    /// Expected concepts in order, in centavos.
    std::vector<std::pair<std::string, std::int64_t>> conceptos;
    std::int64_t total;
};

Entrada EntradaDe(const Caso& c) {
    Entrada e;
    e.fecha_inicio = D(c.inicio);
    e.fecha_fin = D(c.fin);
    e.motivo = c.motivo;
    e.salario_ordinario_mensual = Money::FromCentavos(c.ordinario);
    e.salario_extraordinario_promedio = Money::FromCentavos(c.extraordinario);
    e.bonificacion_incentivo = Money::FromCentavos(c.bonificacion);
    e.dias_vacaciones_pendientes = c.vacaciones_pendientes;
    e.aguinaldo_pagado = c.aguinaldo_pagado;
    e.bono14_pagado = c.bono14_pagado;
    e.dias_salario_pendiente = c.dias_salario_pendiente;
    e.hoy = D(kHoy);
    return e;
}

// Conventions of docs/prestaciones.md: days inclusive, divisor 365, proportion capped at
// 365/365, indemnización = (ordinario + extraordinario) × 14/12 × días / 365, aguinaldo and
// bono 14 = ordinario × días / 365, vacaciones = (ordinario + extraordinario) / 30 × 15 ×
// días / 365 (or / 30 × días pendientes), pendientes = mensual / 30 × días. Each concept is
// one fraction rounded once half up (written "→"); the total is the sum of the rounded
// amounts. S = Q4,000.00 = 400000 centavos unless the case says otherwise.
// clang-format off: one case per paragraph reads better than one field per line.
const Caso kCasos[] = {
    // 1. Under one year, ends on 30 November (last day of the aguinaldo period).
    // Relación 01/03/2025–30/11/2025 = 31+30+31+30+31+31+30+31+30 = 275 días.
    // Indemnización: 400000 × 14 × 275 / (12 × 365) = 1,540,000,000 / 4380 = 351598.17 → 351598.
    // Aguinaldo: período 01/12/2024–30/11/2025, desde 01/03/2025: 275 días;
    //   400000 × 275 / 365 = 110,000,000 / 365 = 301369.86 → 301370.
    // Bono 14: período 01/07/2025–30/06/2026, 01/07–30/11 = 31+31+30+31+30 = 153 días;
    //   400000 × 153 / 365 = 61,200,000 / 365 = 167671.23 → 167671.
    // Vacaciones: año vacacional desde 01/03/2025, 275 días;
    //   400000 × 15 × 275 / (30 × 365) = 1,650,000,000 / 10950 = 150684.93 → 150685.
    // Total 351598 + 301370 + 167671 + 150685 = 971324.
    {.nombre = "menos de un año, termina el 30 de noviembre",
     .inicio = "2025-03-01",
     .fin = "2025-11-30",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 351'598},
                   {"aguinaldo", 301'370},
                   {"bono14", 167'671},
                   {"vacaciones", 150'685}},
     .total = 971'324},

    // 2. Exactly one year, ends on 30 June (last day of the bono 14 period).
    // Relación 01/07/2024–30/06/2025 = 365 días (no 29 de febrero en 2025).
    // Indemnización: 400000 × 14 × 365 / 4380 = 400000 × 14 / 12 = 466666.67 → 466667.
    // Aguinaldo: período 01/12/2024–30/11/2025, 01/12/2024–30/06/2025 =
    //   31+31+28+31+30+31+30 = 212 días; 400000 × 212 / 365 = 84,800,000 / 365 = 232328.77
    //   → 232329.
    // Bono 14: período 01/07/2024–30/06/2025 completo, 365 días; 400000 × 365/365 = 400000.
    // Vacaciones: desde 01/07/2024, 365 días: 400000 × 15 × 365 / 10950 = 200000.
    // Total 466667 + 232329 + 400000 + 200000 = 1298996.
    {.nombre = "exactamente un año, termina el 30 de junio",
     .inicio = "2024-07-01",
     .fin = "2025-06-30",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 466'667},
                   {"aguinaldo", 232'329},
                   {"bono14", 400'000},
                   {"vacaciones", 200'000}},
     .total = 1'298'996},

    // 3. Several years, with extraordinary pay: ordinario Q3,500.00, extraordinario Q500.00.
    // Relación 11/02/2019–20/08/2025: 11/02/2019→11/02/2025 = 6 × 365 + 2 (29/02/2020 y
    //   29/02/2024) = 2192; 11/02/2025→20/08/2025 = 28+31+30+31+30+31+9 = 190; inclusive
    //   2192 + 190 + 1 = 2383 días.
    // Indemnización: (350000 + 50000) × 14 × 2383 / 4380 = 13,344,800,000 / 4380 =
    //   3046757.99 → 3046758.
    // Aguinaldo (solo ordinario): 01/12/2024–20/08/2025 = 31+31+28+31+30+31+30+31+20 = 263;
    //   350000 × 263 / 365 = 92,050,000 / 365 = 252191.78 → 252192.
    // Bono 14 (solo ordinario): 01/07/2025–20/08/2025 = 31 + 20 = 51;
    //   350000 × 51 / 365 = 17,850,000 / 365 = 48904.11 → 48904.
    // Vacaciones: aniversario 11/02/2025, 190 + 1 = 191 días;
    //   400000 × 15 × 191 / 10950 = 1,146,000,000 / 10950 = 104657.53 → 104658.
    // Total 3046758 + 252192 + 48904 + 104658 = 3452512.
    {.nombre = "varios años con tiempo extraordinario",
     .inicio = "2019-02-11",
     .fin = "2025-08-20",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 350'000,
     .extraordinario = 50'000,
     .conceptos = {{"indemnizacion", 3'046'758},
                   {"aguinaldo", 252'192},
                   {"bono14", 48'904},
                   {"vacaciones", 104'658}},
     .total = 3'452'512},

    // 4. Leap year: the relationship 01/03/2023–29/02/2024 has 366 días.
    // Indemnización (días reales / 365, sin tope): 400000 × 14 × 366 / 4380 =
    //   2,049,600,000 / 4380 = 467945.21 → 467945.
    // Aguinaldo: 01/12/2023–29/02/2024 = 31+31+29 = 91; 400000 × 91 / 365 = 36,400,000 / 365
    //   = 99726.03 → 99726.
    // Bono 14: 01/07/2023–29/02/2024 = 31+31+30+31+30+31+31+29 = 244;
    //   400000 × 244 / 365 = 97,600,000 / 365 = 267397.26 → 267397.
    // Vacaciones: año vacacional desde 01/03/2023, 366 días, tope 365/365: 15 días;
    //   400000 × 15 × 365 / 10950 = 200000.
    // Total 467945 + 99726 + 267397 + 200000 = 1035068.
    {.nombre = "año bisiesto: la relación incluye el 29 de febrero",
     .inicio = "2023-03-01",
     .fin = "2024-02-29",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 467'945},
                   {"aguinaldo", 99'726},
                   {"bono14", 267'397},
                   {"vacaciones", 200'000}},
     .total = 1'035'068},

    // 5. Leap year: the aguinaldo period 01/12/2023–30/11/2024 has 366 días and pays 100 %.
    // Renuncia: indemnización 0.
    // Aguinaldo: 366 días, tope 365: 400000 × 365 / 365 = 400000.
    // Bono 14: 01/07/2024–30/11/2024 = 153; 400000 × 153 / 365 = 167671.23 → 167671.
    // Vacaciones: aniversario 10/01/2024; 10/01–30/11/2024 = 22+29+31+30+31+30+31+31+30+31+30
    //   = 326; 400000 × 15 × 326 / 10950 = 1,956,000,000 / 10950 = 178630.14 → 178630.
    // Total 400000 + 167671 + 178630 = 746301.
    {.nombre = "año bisiesto: período de aguinaldo de 366 días paga el 100 %",
     .inicio = "2022-01-10",
     .fin = "2024-11-30",
     .motivo = Motivo::kRenuncia,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 400'000},
                   {"bono14", 167'671},
                   {"vacaciones", 178'630}},
     .total = 746'301},

    // 6. Start on 29 February: in 2025 the anniversary falls on 1 March.
    // Renuncia: indemnización 0.
    // Aguinaldo: 01/12/2024–31/05/2025 = 31+31+28+31+30+31 = 182;
    //   400000 × 182 / 365 = 72,800,000 / 365 = 199452.05 → 199452.
    // Bono 14: 01/07/2024–31/05/2025 = 365 − 30 (junio) = 335;
    //   400000 × 335 / 365 = 134,000,000 / 365 = 367123.29 → 367123.
    // Vacaciones: aniversario 01/03/2025; 01/03–31/05 = 31+30+31 = 92;
    //   400000 × 15 × 92 / 10950 = 552,000,000 / 10950 = 50410.96 → 50411.
    // Total 199452 + 367123 + 50411 = 616986.
    {.nombre = "inicio el 29 de febrero: aniversario el 1 de marzo",
     .inicio = "2020-02-29",
     .fin = "2025-05-31",
     .motivo = Motivo::kRenuncia,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 199'452},
                   {"bono14", 367'123},
                   {"vacaciones", 50'411}},
     .total = 616'986},

    // 7. Despido justificado ending on 30 June.
    // Indemnización 0 (Art. 77).
    // Aguinaldo: 01/12/2024–30/06/2025 = 212 días → 232329 (as in case 2).
    // Bono 14: 01/07/2024–30/06/2025 completo → 400000.
    // Vacaciones: aniversario 15/09/2024; 15/09/2024–30/06/2025 = 16+31+30+31+31+28+31+30+31
    //   +30 = 289; 400000 × 15 × 289 / 10950 = 1,734,000,000 / 10950 = 158356.16 → 158356.
    // Total 232329 + 400000 + 158356 = 790685.
    {.nombre = "despido justificado, termina el 30 de junio",
     .inicio = "2021-09-15",
     .fin = "2025-06-30",
     .motivo = Motivo::kDespidoJustificado,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 232'329},
                   {"bono14", 400'000},
                   {"vacaciones", 158'356}},
     .total = 790'685},

    // 8. Mutuo acuerdo ending on 1 July: a new bono 14 period of one day; the previous
    // one is assumed paid.
    // Indemnización 0 (OPEN-6).
    // Aguinaldo: 01/12/2024–01/07/2025 = 212 + 1 = 213; 400000 × 213 / 365 = 85,200,000 / 365
    //   = 233424.66 → 233425.
    // Bono 14: 01/07/2025–01/07/2025 = 1; 400000 × 1 / 365 = 1095.89 → 1096.
    // Vacaciones: 15/09/2024–01/07/2025 = 289 + 1 = 290;
    //   400000 × 15 × 290 / 10950 = 1,740,000,000 / 10950 = 158904.11 → 158904.
    // Total 233425 + 1096 + 158904 = 393425.
    {.nombre = "mutuo acuerdo, termina el 1 de julio",
     .inicio = "2021-09-15",
     .fin = "2025-07-01",
     .motivo = Motivo::kMutuoAcuerdo,
     .ordinario = 400'000,
     .conceptos =
         {{"indemnizacion", 0}, {"aguinaldo", 233'425}, {"bono14", 1'096}, {"vacaciones", 158'904}},
     .total = 393'425},

    // 9. Renuncia on 1 July before the bono 14 was paid (bono14_pagado = false): the
    // previous period is added.
    // As case 8, plus bono 14 anterior: 01/07/2024–30/06/2025 completo = 400000.
    // Total 233425 + 1096 + 400000 + 158904 = 793425.
    {.nombre = "renuncia el 1 de julio con el bono 14 anterior sin pagar",
     .inicio = "2021-09-15",
     .fin = "2025-07-01",
     .motivo = Motivo::kRenuncia,
     .ordinario = 400'000,
     .bono14_pagado = false,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 233'425},
                   {"bono14", 1'096},
                   {"bono14_anterior", 400'000},
                   {"vacaciones", 158'904}},
     .total = 793'425},

    // 10. Despido justificado on 30 November: the whole aguinaldo period.
    // Aguinaldo: 01/12/2024–30/11/2025 = 365 → 400000.
    // Bono 14: 01/07/2025–30/11/2025 = 153 → 167671.
    // Vacaciones: aniversario 01/06/2025; 01/06–30/11 = 30+31+31+30+31+30 = 183;
    //   400000 × 15 × 183 / 10950 = 1,098,000,000 / 10950 = 100273.97 → 100274.
    // Total 400000 + 167671 + 100274 = 667945.
    {.nombre = "despido justificado, termina el 30 de noviembre",
     .inicio = "2020-06-01",
     .fin = "2025-11-30",
     .motivo = Motivo::kDespidoJustificado,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 400'000},
                   {"bono14", 167'671},
                   {"vacaciones", 100'274}},
     .total = 667'945},

    // 11. Despido injustificado on 1 December: a new aguinaldo period of one day.
    // Relación 01/06/2020–01/12/2025: 01/06/2020→01/06/2025 = 5 × 365 + 1 (29/02/2024) =
    //   1826; 01/06→01/12/2025 = 30+31+31+30+31+30 = 183; inclusive 1826 + 183 + 1 = 2010.
    // Indemnización: 400000 × 14 × 2010 / 4380 = 11,256,000,000 / 4380 = 2569863.01 → 2569863.
    // Aguinaldo: 01/12/2025, 1 día: 400000 / 365 = 1095.89 → 1096.
    // Bono 14: 01/07–01/12/2025 = 153 + 1 = 154; 61,600,000 / 365 = 168767.12 → 168767.
    // Vacaciones: 01/06–01/12/2025 = 184; 400000 × 15 × 184 / 10950 = 1,104,000,000 / 10950
    //   = 100821.92 → 100822.
    // Total 2569863 + 1096 + 168767 + 100822 = 2840548.
    {.nombre = "despido injustificado, termina el 1 de diciembre",
     .inicio = "2020-06-01",
     .fin = "2025-12-01",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 2'569'863},
                   {"aguinaldo", 1'096},
                   {"bono14", 168'767},
                   {"vacaciones", 100'822}},
     .total = 2'840'548},

    // 12. Mutuo acuerdo on 1 December before the aguinaldo was paid (aguinaldo_pagado =
    // false): the previous period 01/12/2024–30/11/2025 (365 días) adds 400000.
    // Total 1096 + 400000 + 168767 + 100822 = 670685.
    {.nombre = "mutuo acuerdo el 1 de diciembre con el aguinaldo anterior sin pagar",
     .inicio = "2020-06-01",
     .fin = "2025-12-01",
     .motivo = Motivo::kMutuoAcuerdo,
     .ordinario = 400'000,
     .aguinaldo_pagado = false,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 1'096},
                   {"aguinaldo_anterior", 400'000},
                   {"bono14", 168'767},
                   {"vacaciones", 100'822}},
     .total = 670'685},

    // 13. Período de prueba: 01/09/2025 + 2 meses = 01/11/2025; 31/10/2025 is before it, so
    // no indemnización even though the dismissal was unjustified.
    // 01/09–31/10/2025 = 30 + 31 = 61 días for aguinaldo, bono 14 and vacaciones:
    //   400000 × 61 / 365 = 24,400,000 / 365 = 66849.32 → 66849 (twice);
    //   400000 × 15 × 61 / 10950 = 366,000,000 / 10950 = 33424.66 → 33425.
    // Total 66849 + 66849 + 33425 = 167123.
    {.nombre = "despido injustificado en el período de prueba",
     .inicio = "2025-09-01",
     .fin = "2025-10-31",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .conceptos =
         {{"indemnizacion", 0}, {"aguinaldo", 66'849}, {"bono14", 66'849}, {"vacaciones", 33'425}},
     .total = 167'123},

    // 14. The day the two months are complete (01/11/2025) probation is over: 62 días.
    // Indemnización: 400000 × 14 × 62 / 4380 = 347,200,000 / 4380 = 79269.41 → 79269.
    // Aguinaldo = bono 14: 400000 × 62 / 365 = 24,800,000 / 365 = 67945.21 → 67945.
    // Vacaciones: 400000 × 15 × 62 / 10950 = 372,000,000 / 10950 = 33972.60 → 33973.
    // Total 79269 + 67945 + 67945 + 33973 = 249132.
    {.nombre = "despido injustificado al cumplir los dos meses",
     .inicio = "2025-09-01",
     .fin = "2025-11-01",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 79'269},
                   {"aguinaldo", 67'945},
                   {"bono14", 67'945},
                   {"vacaciones", 33'973}},
     .total = 249'132},

    // 15. Probation from 31 December: "31/02/2026" does not exist, so the two months end on
    // 01/03/2026 (same rule as the 29 February anniversary); 28/02/2026 is still probation.
    // 31/12/2025–28/02/2026 = 1 + 31 + 28 = 60 días.
    // Aguinaldo (período 01/12/2025–30/11/2026) = bono 14 (01/07/2025–30/06/2026):
    //   400000 × 60 / 365 = 24,000,000 / 365 = 65753.42 → 65753.
    // Vacaciones: 400000 × 15 × 60 / 10950 = 360,000,000 / 10950 = 32876.71 → 32877.
    // Total 65753 + 65753 + 32877 = 164383.
    {.nombre = "período de prueba desde el 31 de diciembre",
     .inicio = "2025-12-31",
     .fin = "2026-02-28",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .conceptos =
         {{"indemnizacion", 0}, {"aguinaldo", 65'753}, {"bono14", 65'753}, {"vacaciones", 32'877}},
     .total = 164'383},

    // 16. Pending vacations given: 20 días.
    // Aguinaldo: 01/12/2024–15/10/2025 = 31+31+28+31+30+31+30+31+31+30+15 = 319;
    //   400000 × 319 / 365 = 127,600,000 / 365 = 349589.04 → 349589.
    // Bono 14: 01/07–15/10/2025 = 31+31+30+15 = 107; 42,800,000 / 365 = 117260.27 → 117260.
    // Vacaciones: 400000 / 30 × 20 = 8,000,000 / 30 = 266666.67 → 266667.
    // Total 349589 + 117260 + 266667 = 733516.
    {.nombre = "renuncia con 20 días de vacaciones pendientes indicados",
     .inicio = "2023-01-01",
     .fin = "2025-10-15",
     .motivo = Motivo::kRenuncia,
     .ordinario = 400'000,
     .vacaciones_pendientes = 20,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 349'589},
                   {"bono14", 117'260},
                   {"vacaciones", 266'667}},
     .total = 733'516},

    // 17. Pending vacations given as zero (all were taken); S = Q5,000.00.
    // Aguinaldo: 01/12–31/12/2024 = 31; 500000 × 31 / 365 = 15,500,000 / 365 = 42465.75
    //   → 42466.
    // Bono 14: 01/07–31/12/2024 = 31+31+30+31+30+31 = 184; 92,000,000 / 365 = 252054.79
    //   → 252055.
    // Vacaciones: 0 días → 0.
    // Total 42466 + 252055 = 294521.
    {.nombre = "mutuo acuerdo sin vacaciones pendientes",
     .inicio = "2024-01-01",
     .fin = "2024-12-31",
     .motivo = Motivo::kMutuoAcuerdo,
     .ordinario = 500'000,
     .vacaciones_pendientes = 0,
     .conceptos =
         {{"indemnizacion", 0}, {"aguinaldo", 42'466}, {"bono14", 252'055}, {"vacaciones", 0}},
     .total = 294'521},

    // 18. Salary and bonificación for 12 unpaid days.
    // Relación 01/03/2024–12/03/2025 = 365 (01/03/2024–28/02/2025) + 12 = 377 días.
    // Indemnización: 400000 × 14 × 377 / 4380 = 2,111,200,000 / 4380 = 482009.13 → 482009.
    // Aguinaldo: 01/12/2024–12/03/2025 = 31+31+28+12 = 102; 40,800,000 / 365 = 111780.82
    //   → 111781.
    // Bono 14: 01/07/2024–12/03/2025 = 31+31+30+31+30+31+31+28+12 = 255;
    //   102,000,000 / 365 = 279452.05 → 279452.
    // Vacaciones: aniversario 01/03/2025, 12 días; 400000 × 15 × 12 / 10950 = 72,000,000 /
    //   10950 = 6575.34 → 6575.
    // Salario pendiente: 400000 / 30 × 12 = 160000. Bonificación: 25000 / 30 × 12 = 10000.
    // Total 482009 + 111781 + 279452 + 6575 + 160000 + 10000 = 1049817.
    {.nombre = "salario y bonificación de 12 días sin pagar",
     .inicio = "2024-03-01",
     .fin = "2025-03-12",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .dias_salario_pendiente = 12,
     .conceptos = {{"indemnizacion", 482'009},
                   {"aguinaldo", 111'781},
                   {"bono14", 279'452},
                   {"vacaciones", 6'575},
                   {"salario_pendiente", 160'000},
                   {"bonificacion_pendiente", 10'000}},
     .total = 1'049'817},

    // 19. A bonificación of Q1,000.00 changes no base: the same concepts as case 1, plus
    // 3 unpaid days: salario 400000 / 30 × 3 = 40000; bonificación 100000 / 30 × 3 = 10000.
    // Total 971324 + 40000 + 10000 = 1021324.
    {.nombre = "la bonificación incentivo no entra en ninguna base",
     .inicio = "2025-03-01",
     .fin = "2025-11-30",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .bonificacion = 100'000,
     .dias_salario_pendiente = 3,
     .conceptos = {{"indemnizacion", 351'598},
                   {"aguinaldo", 301'370},
                   {"bono14", 167'671},
                   {"vacaciones", 150'685},
                   {"salario_pendiente", 40'000},
                   {"bonificacion_pendiente", 10'000}},
     .total = 1'021'324},

    // 20. Rounding: exact half centavos round up. S = Q3,000.03, one full year (365 días).
    // Indemnización: 300003 × 14 × 365 / 4380 = 300003 × 7 / 6 = 2,100,021 / 6 = 350003.5
    //   → 350004.
    // Aguinaldo: 01/12–31/12/2023 = 31; 300003 × 31 / 365 = 9,300,093 / 365 = 25479.71 → 25480.
    // Bono 14: 01/07–31/12/2023 = 184; 300003 × 184 / 365 = 55,200,552 / 365 = 151234.39
    //   → 151234.
    // Vacaciones: 365 días, 15 días: 300003 × 15 × 365 / 10950 = 300003 / 2 = 150001.5
    //   → 150002.
    // Total 350004 + 25480 + 151234 + 150002 = 676720; the unrounded sum is 676719.10, so
    //   rounding the sum instead of each concept would give 676719.
    {.nombre = "redondeo: medio centavo exacto sube (indemnización y vacaciones)",
     .inicio = "2023-01-01",
     .fin = "2023-12-31",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 300'003,
     .conceptos = {{"indemnizacion", 350'004},
                   {"aguinaldo", 25'480},
                   {"bono14", 151'234},
                   {"vacaciones", 150'002}},
     .total = 676'720},

    // 21. Rounding: half centavos in the /30 concepts. S = Q1,000.01, bonificación Q250.01,
    // 15 días pendientes de vacaciones y de salario.
    // Aguinaldo (01/12/2024 period) = bono 14 (01/07/2024 period): 01/01–15/01/2025 = 15;
    //   100001 × 15 / 365 = 1,500,015 / 365 = 4109.63 → 4110.
    // Vacaciones: 100001 / 30 × 15 = 1,500,015 / 30 = 50000.5 → 50001.
    // Salario pendiente: 50000.5 → 50001. Bonificación: 25001 / 30 × 15 = 12500.5 → 12501.
    // Total 4110 + 4110 + 50001 + 50001 + 12501 = 120723; the unrounded sum is 120720.76
    //   (it would round to 120721): the total is the sum of the rounded concepts.
    {.nombre = "redondeo: medio centavo exacto sube (días por 30)",
     .inicio = "2025-01-01",
     .fin = "2025-01-15",
     .motivo = Motivo::kRenuncia,
     .ordinario = 100'001,
     .bonificacion = 25'001,
     .vacaciones_pendientes = 15,
     .dias_salario_pendiente = 15,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 4'110},
                   {"bono14", 4'110},
                   {"vacaciones", 50'001},
                   {"salario_pendiente", 50'001},
                   {"bonificacion_pendiente", 12'501}},
     .total = 120'723},

    // 22. Rounding: just under half a centavo rounds down. A one-day relationship on
    // 01/07/2025, S = Q4,000.04, 1 día pendiente.
    // Aguinaldo = bono 14: 400004 / 365 = 1095.90 → 1096 (remainder 329 of 365).
    // Vacaciones: 400004 / 30 × 1 = 13333.47 → 13333 (remainder 14 of 30: below half).
    // Salario pendiente: 13333.47 → 13333. Bonificación: 25000 / 30 = 833.33 → 833.
    // Total 1096 + 1096 + 13333 + 13333 + 833 = 29691.
    {.nombre = "redondeo: por debajo de medio centavo baja; relación de un día",
     .inicio = "2025-07-01",
     .fin = "2025-07-01",
     .motivo = Motivo::kMutuoAcuerdo,
     .ordinario = 400'004,
     .vacaciones_pendientes = 1,
     .dias_salario_pendiente = 1,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 1'096},
                   {"bono14", 1'096},
                   {"vacaciones", 13'333},
                   {"salario_pendiente", 13'333},
                   {"bonificacion_pendiente", 833}},
     .total = 29'691},

    // 23. Four exact years include one 29 February: 4 × 365 + 1 = 1461 días (OPEN-4).
    // Indemnización: 400000 × 14 × 1461 / 4380 = 8,181,600,000 / 4380 = 1867945.21 → 1867945.
    // Aguinaldo: 01/12–31/12/2024 = 31; 12,400,000 / 365 = 33972.60 → 33973.
    // Bono 14: 01/07–31/12/2024 = 184; 73,600,000 / 365 = 201643.84 → 201644.
    // Vacaciones: aniversario 01/01/2024, 366 días, tope 365: 200000.
    // Total 1867945 + 33973 + 201644 + 200000 = 2303562.
    {.nombre = "cuatro años exactos con un 29 de febrero",
     .inicio = "2021-01-01",
     .fin = "2024-12-31",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .conceptos = {{"indemnizacion", 1'867'945},
                   {"aguinaldo", 33'973},
                   {"bono14", 201'644},
                   {"vacaciones", 200'000}},
     .total = 2'303'562},

    // 24. Previous periods marked unpaid, but the relationship began in the current ones:
    // both "anterior" concepts are listed as 0.
    // 01/03–30/06/2025 = 31+30+31+30 = 122 días.
    // Aguinaldo = bono 14: 400000 × 122 / 365 = 48,800,000 / 365 = 133698.63 → 133699.
    // Vacaciones: 400000 × 15 × 122 / 10950 = 732,000,000 / 10950 = 66849.32 → 66849.
    // Total 133699 + 133699 + 66849 = 334247.
    {.nombre = "períodos anteriores sin pagar pero sin días en ellos",
     .inicio = "2025-03-01",
     .fin = "2025-06-30",
     .motivo = Motivo::kRenuncia,
     .ordinario = 400'000,
     .aguinaldo_pagado = false,
     .bono14_pagado = false,
     .conceptos = {{"indemnizacion", 0},
                   {"aguinaldo", 133'699},
                   {"aguinaldo_anterior", 0},
                   {"bono14", 133'699},
                   {"bono14_anterior", 0},
                   {"vacaciones", 66'849}},
     .total = 334'247},

    // 25. Previous aguinaldo period unpaid and only partly worked: 01/03/2025–30/11/2025.
    // Relación 01/03/2025–01/12/2025 = 275 + 1 = 276 días.
    // Indemnización: 400000 × 14 × 276 / 4380 = 1,545,600,000 / 4380 = 352876.71 → 352877.
    // Aguinaldo: 01/12/2025, 1 día → 1096. Anterior: 275 días → 301370 (as in case 1).
    // Bono 14: 01/07–01/12/2025 = 154 → 168767.
    // Vacaciones: 276 días; 400000 × 15 × 276 / 10950 = 1,656,000,000 / 10950 = 151232.88
    //   → 151233.
    // Total 352877 + 1096 + 301370 + 168767 + 151233 = 975343.
    {.nombre = "aguinaldo anterior sin pagar y proporcional",
     .inicio = "2025-03-01",
     .fin = "2025-12-01",
     .motivo = Motivo::kDespidoInjustificado,
     .ordinario = 400'000,
     .aguinaldo_pagado = false,
     .conceptos = {{"indemnizacion", 352'877},
                   {"aguinaldo", 1'096},
                   {"aguinaldo_anterior", 301'370},
                   {"bono14", 168'767},
                   {"vacaciones", 151'233}},
     .total = 975'343},
};
// clang-format on

TEST(CalcularPrestaciones, HandWorkedCases) {
    for (const Caso& c : kCasos) {
        SCOPED_TRACE(c.nombre);
        auto l = CalcularPrestaciones(EntradaDe(c));
        ASSERT_OK(l);
        std::vector<std::pair<std::string, std::int64_t>> got;
        Money suma;
        for (const Concepto& k : l->conceptos) {
            got.emplace_back(k.id, k.monto.centavos());
            suma += k.monto;
            EXPECT_FALSE(k.nombre.empty()) << k.id;
            EXPECT_FALSE(k.base_legal.empty()) << k.id;
            EXPECT_FALSE(k.calculo.empty()) << k.id;
        }
        EXPECT_EQ(got, c.conceptos);
        EXPECT_EQ(l->total.centavos(), c.total);
        EXPECT_EQ(l->total, suma);
        EXPECT_EQ(l->convencion, Convencion());
    }
}

TEST(CalcularPrestaciones, HasAtLeastTwentyHandWorkedCases) { EXPECT_GE(std::size(kCasos), 20u); }

const Concepto* Buscar(const Liquidacion& l, std::string_view id) {
    for (const Concepto& c : l.conceptos) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

Entrada Basica() {
    Entrada e;
    e.fecha_inicio = D("2024-01-01");
    e.fecha_fin = D("2025-12-30");
    e.motivo = Motivo::kDespidoInjustificado;
    e.salario_ordinario_mensual = Money::FromQuetzales(4'000);
    e.hoy = D(kHoy);
    return e;
}

TEST(CalcularPrestaciones, DerivationsShowTheNumbers) {
    // 01/01/2024–30/12/2025 = 366 + 364 = 730 días.
    auto l = CalcularPrestaciones(Basica());
    ASSERT_OK(l);
    const Concepto* i = Buscar(*l, "indemnizacion");
    ASSERT_NE(i, nullptr);
    EXPECT_EQ(i->monto, Money::FromCentavos(933'333));
    EXPECT_NE(i->calculo.find("Q4,000.00 × 14/12 × 730 días / 365 = Q9,333.33"), std::string::npos)
        << i->calculo;
    EXPECT_NE(i->base_legal.find("Art. 82"), std::string::npos);

    // Aguinaldo 01/12–30/12/2025 = 30 días: 400000 × 30 / 365 = 32876.71 → Q328.77.
    const Concepto* a = Buscar(*l, "aguinaldo");
    ASSERT_NE(a, nullptr);
    EXPECT_NE(a->calculo.find("Q4,000.00 × 30 / 365 = Q328.77"), std::string::npos) << a->calculo;
    EXPECT_NE(a->base_legal.find("76-78"), std::string::npos);

    // Vacaciones: aniversario 01/01/2025, 364 días: 15 × 364 / 365 ≈ 14.96 días.
    const Concepto* v = Buscar(*l, "vacaciones");
    ASSERT_NE(v, nullptr);
    EXPECT_NE(v->calculo.find("≈ 14.96"), std::string::npos) << v->calculo;
    EXPECT_NE(v->calculo.find("Q4,000.00 / 30 × 15 × 364 / 365 = Q1,994.52"), std::string::npos)
        << v->calculo;

    const Concepto* b = Buscar(*l, "bono14");
    ASSERT_NE(b, nullptr);
    EXPECT_NE(b->base_legal.find("42-92"), std::string::npos);
}

TEST(CalcularPrestaciones, ExplainsWhyIndemnizacionIsNotOwed) {
    struct Caso {
        Motivo motivo;
        const char* fin;
        const char* dice;
    };
    const Caso casos[] = {
        {Motivo::kRenuncia, "2025-12-30", "renuncia"},
        {Motivo::kDespidoJustificado, "2025-12-30", "Art. 78"},
        {Motivo::kMutuoAcuerdo, "2025-12-30", "mutuo acuerdo"},
        {Motivo::kDespidoInjustificado, "2024-02-15", "período de prueba"},
    };
    for (const auto& c : casos) {
        SCOPED_TRACE(MotivoId(c.motivo));
        Entrada e = Basica();
        e.motivo = c.motivo;
        e.fecha_fin = D(c.fin);
        auto l = CalcularPrestaciones(e);
        ASSERT_OK(l);
        ASSERT_FALSE(l->conceptos.empty());
        const Concepto& i = l->conceptos.front();
        EXPECT_EQ(i.id, "indemnizacion");
        EXPECT_EQ(i.monto, Money());
        EXPECT_NE(i.calculo.find(c.dice), std::string::npos) << i.calculo;
    }
}

TEST(CalcularPrestaciones, ConventionStatesDaysDivisorAndRounding) {
    std::string_view c = Convencion();
    EXPECT_NE(c.find("ambos extremos"), std::string::npos);
    EXPECT_NE(c.find("365"), std::string::npos);
    EXPECT_NE(c.find("14/12"), std::string::npos);
    EXPECT_NE(c.find("mitad hacia arriba"), std::string::npos);
    EXPECT_NE(c.find("suma de los conceptos redondeados"), std::string::npos);
}

TEST(CalcularPrestaciones, FactorIsFourteenTwelfths) {
    // OPEN-1: changing the factor must be a deliberate, visible decision.
    EXPECT_EQ(kFactorIndemnizacion.numerador, 14);
    EXPECT_EQ(kFactorIndemnizacion.denominador, 12);
}

TEST(CalcularPrestaciones, ExplainsEveryConceptInPlainSpanish) {
    Entrada e = Basica();
    e.aguinaldo_pagado = false;
    e.bono14_pagado = false;
    e.dias_salario_pendiente = 3;
    auto l = CalcularPrestaciones(e);
    ASSERT_OK(l);
    ASSERT_EQ(l->conceptos.size(), 8u);
    for (const Concepto& c : l->conceptos) {
        EXPECT_GT(c.explicacion.size(), 40u) << c.id;
        EXPECT_EQ(c.explicacion.find('_'), std::string::npos) << c.id << ": " << c.explicacion;
    }
    EXPECT_NE(l->conceptos[1].explicacion.find("diciembre"), std::string::npos);
}

TEST(Motivo, RoundTripsItsIdentifiers) {
    for (Motivo m : {Motivo::kDespidoInjustificado, Motivo::kRenuncia, Motivo::kDespidoJustificado,
                     Motivo::kMutuoAcuerdo}) {
        auto parsed = ParseMotivo(MotivoId(m));
        ASSERT_TRUE(parsed.has_value()) << MotivoId(m);
        EXPECT_EQ(*parsed, m);
    }
    EXPECT_FALSE(ParseMotivo("Renuncia").has_value());
    EXPECT_FALSE(ParseMotivo("despido").has_value());
    EXPECT_FALSE(ParseMotivo("").has_value());
}

// The message for `campo` after `edit`, or "" when the input is accepted.
std::string ErrorEn(const std::function<void(Entrada&)>& edit, const std::string& campo) {
    Entrada e = Basica();
    edit(e);
    auto l = CalcularPrestaciones(e);
    if (l.ok()) return "";
    EXPECT_EQ(l.error().kind(), ErrorKind::kInvalid);
    auto it = l.error().fields().find(campo);
    return it == l.error().fields().end() ? "(otros: " + l.error().message() + ")" : it->second;
}

TEST(CalcularPrestaciones, ReportsEveryInputErrorAtOnce) {
    Entrada e;
    e.hoy = D(kHoy);
    e.salario_extraordinario_promedio = Money::FromCentavos(-1);
    e.bonificacion_incentivo = Money::FromCentavos(100'000'001);
    e.dias_vacaciones_pendientes = 76;
    e.dias_salario_pendiente = -1;
    auto l = CalcularPrestaciones(e);
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.error().kind(), ErrorKind::kInvalid);
    std::vector<std::string> campos;
    for (const auto& [k, v] : l.error().fields()) {
        campos.push_back(k);
        EXPECT_FALSE(v.empty()) << k;
    }
    EXPECT_EQ(campos, (std::vector<std::string>{
                          "bonificacion_incentivo", "dias_salario_pendiente",
                          "dias_vacaciones_pendientes", "fecha_fin", "fecha_inicio", "motivo",
                          "salario_extraordinario_promedio", "salario_ordinario_mensual"}));
}

TEST(CalcularPrestaciones, ValidatesEachFieldAtItsLimits) {
    struct Caso {
        const char* nombre;
        std::function<void(Entrada&)> edit;
        std::string campo;
        bool valido;
    };
    auto fin = [](const char* d) { return [d](Entrada& e) { e.fecha_fin = D(d); }; };
    auto salario = [](std::int64_t c) {
        return [c](Entrada& e) { e.salario_ordinario_mensual = Money::FromCentavos(c); };
    };
    const Caso casos[] = {
        {"inicio en 1950", [](Entrada& e) { e.fecha_inicio = D("1950-01-01"); }, "fecha_inicio",
         true},
        {"inicio antes de 1950", [](Entrada& e) { e.fecha_inicio = D("1949-12-31"); },
         "fecha_inicio", false},
        {"fin igual a inicio", fin("2024-01-01"), "fecha_fin", true},
        {"fin antes de inicio", fin("2023-12-31"), "fecha_fin", false},
        {"fin un año después de hoy", fin("2027-11-25"), "fecha_fin", true},
        {"fin más de un año después de hoy", fin("2027-11-26"), "fecha_fin", false},
        {"salario de un centavo", salario(1), "salario_ordinario_mensual", true},
        {"salario cero", salario(0), "salario_ordinario_mensual", false},
        {"salario negativo", salario(-400'000), "salario_ordinario_mensual", false},
        {"salario de un millón", salario(100'000'000), "salario_ordinario_mensual", true},
        {"salario absurdo", salario(100'000'001), "salario_ordinario_mensual", false},
        {"extraordinario cero", [](Entrada& e) { e.salario_extraordinario_promedio = Money(); },
         "salario_extraordinario_promedio", true},
        {"extraordinario negativo",
         [](Entrada& e) { e.salario_extraordinario_promedio = Money::FromCentavos(-1); },
         "salario_extraordinario_promedio", false},
        {"bonificación cero", [](Entrada& e) { e.bonificacion_incentivo = Money(); },
         "bonificacion_incentivo", true},
        {"bonificación negativa",
         [](Entrada& e) { e.bonificacion_incentivo = Money::FromCentavos(-25'000); },
         "bonificacion_incentivo", false},
        {"vacaciones 75", [](Entrada& e) { e.dias_vacaciones_pendientes = 75; },
         "dias_vacaciones_pendientes", true},
        {"vacaciones 76", [](Entrada& e) { e.dias_vacaciones_pendientes = 76; },
         "dias_vacaciones_pendientes", false},
        {"vacaciones negativas", [](Entrada& e) { e.dias_vacaciones_pendientes = -1; },
         "dias_vacaciones_pendientes", false},
        {"salario pendiente 365", [](Entrada& e) { e.dias_salario_pendiente = 365; },
         "dias_salario_pendiente", true},
        {"salario pendiente 366", [](Entrada& e) { e.dias_salario_pendiente = 366; },
         "dias_salario_pendiente", false},
        {"salario pendiente mayor que la relación",
         [](Entrada& e) {
             e.fecha_fin = D("2024-01-10");
             e.dias_salario_pendiente = 11;
         },
         "dias_salario_pendiente", false},
        {"sin motivo", [](Entrada& e) { e.motivo.reset(); }, "motivo", false},
        {"sin salario", [](Entrada& e) { e.salario_ordinario_mensual.reset(); },
         "salario_ordinario_mensual", false},
    };
    for (const auto& c : casos) {
        SCOPED_TRACE(c.nombre);
        std::string message = ErrorEn(c.edit, c.campo);
        if (c.valido) {
            EXPECT_EQ(message, "");
        } else {
            EXPECT_FALSE(message.empty());
            EXPECT_NE(message.rfind("(otros", 0), 0u) << message;
        }
    }
}

TEST(CalcularPrestaciones, MessagesAreSpanishAndSpecific) {
    EXPECT_EQ(ErrorEn([](Entrada& e) { e.fecha_fin = D("2023-06-30"); }, "fecha_fin"),
              "La fecha de terminación no puede ser anterior a la fecha de inicio.");
    EXPECT_EQ(ErrorEn([](Entrada& e) { e.fecha_fin = D("2030-01-01"); }, "fecha_fin"),
              "La fecha de terminación no puede ser posterior al 25/11/2027 (un año después de "
              "hoy).");
    EXPECT_EQ(ErrorEn([](Entrada& e) { e.salario_ordinario_mensual = Money(); },
                      "salario_ordinario_mensual"),
              "El salario ordinario mensual debe ser mayor que Q0.00.");
    EXPECT_EQ(
        ErrorEn([](Entrada& e) { e.salario_ordinario_mensual = Money::FromQuetzales(2'000'000); },
                "salario_ordinario_mensual"),
        "El salario ordinario mensual no puede exceder Q1,000,000.00 al mes.");
}

}  // namespace
}  // namespace vt::calculators
