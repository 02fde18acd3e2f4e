#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <limits>
#include <map>
#include <string>

#include "vt/calculators/api.hpp"
#include "vt/calculators/prestaciones.hpp"
#include "vt/core/date.hpp"

namespace vt::calculators {
namespace {

namespace json = boost::json;

constexpr std::string_view kCampos[] = {
    "fecha_inicio",
    "fecha_fin",
    "motivo",
    "salario_ordinario_mensual",
    "salario_extraordinario_promedio",
    "bonificacion_incentivo",
    "dias_vacaciones_pendientes",
    "aguinaldo_pagado",
    "bono14_pagado",
    "dias_salario_pendiente",
};

using Errores = std::map<std::string, std::string>;

// The value of `key`, or null when absent or null: an optional field may be sent as null.
const json::value* Campo(const json::object& body, std::string_view key) {
    const json::value* v = body.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
}

std::optional<core::Date> LeerFecha(const json::object& body, const char* key, Errores& errores) {
    const json::value* v = Campo(body, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        errores[key] =
            "Debe ser una fecha en texto con el formato AAAA-MM-DD, por ejemplo "
            "\"2025-11-30\".";
        return std::nullopt;
    }
    auto d = core::ParseIsoDate(v->get_string());
    if (!d.ok()) {
        errores[key] = d.error().message();
        return std::nullopt;
    }
    return *d;
}

// Integers beyond the calculator's range are clamped, so that it reports them with its own
// message ("no puede exceder ...") instead of a second, different one.
std::optional<std::int64_t> LeerEntero(const json::object& body, const char* key,
                                       const char* mensaje, Errores& errores) {
    const json::value* v = Campo(body, key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return std::numeric_limits<std::int64_t>::max();
    errores[key] = mensaje;
    return std::nullopt;
}

std::optional<core::Money> LeerCentavos(const json::object& body, const char* key,
                                        Errores& errores) {
    auto n = LeerEntero(body, key,
                        "Debe ser un número entero de centavos, por ejemplo 400000 para "
                        "Q4,000.00.",
                        errores);
    if (!n) return std::nullopt;
    return core::Money::FromCentavos(*n);
}

std::optional<int> LeerDias(const json::object& body, const char* key, Errores& errores) {
    auto n = LeerEntero(body, key, "Debe ser un número entero de días.", errores);
    if (!n) return std::nullopt;
    return static_cast<int>(std::clamp<std::int64_t>(*n, std::numeric_limits<int>::min(),
                                                     std::numeric_limits<int>::max()));
}

std::optional<bool> LeerBooleano(const json::object& body, const char* key, Errores& errores) {
    const json::value* v = Campo(body, key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
        errores[key] = "Debe ser true o false.";
        return std::nullopt;
    }
    return v->get_bool();
}

// Maps the body to an Entrada; type errors and unknown keys go to `errores`, and the
// affected fields keep their defaults (or stay absent) for the calculator's own checks.
Entrada LeerEntrada(const json::object& body, Errores& errores) {
    for (const auto& kv : body) {
        if (std::find(std::begin(kCampos), std::end(kCampos), kv.key()) == std::end(kCampos)) {
            errores[std::string(kv.key())] = "Campo desconocido.";
        }
    }
    Entrada e;
    e.fecha_inicio = LeerFecha(body, "fecha_inicio", errores);
    e.fecha_fin = LeerFecha(body, "fecha_fin", errores);
    if (const json::value* v = Campo(body, "motivo")) {
        e.motivo = v->is_string() ? ParseMotivo(v->get_string()) : std::nullopt;
        if (!e.motivo) {
            errores["motivo"] =
                "Motivo desconocido: use despido_injustificado, renuncia, despido_justificado o "
                "mutuo_acuerdo.";
        }
    }
    e.salario_ordinario_mensual = LeerCentavos(body, "salario_ordinario_mensual", errores);
    if (auto m = LeerCentavos(body, "salario_extraordinario_promedio", errores)) {
        e.salario_extraordinario_promedio = *m;
    }
    if (auto m = LeerCentavos(body, "bonificacion_incentivo", errores)) {
        e.bonificacion_incentivo = *m;
    }
    e.dias_vacaciones_pendientes = LeerDias(body, "dias_vacaciones_pendientes", errores);
    if (auto b = LeerBooleano(body, "aguinaldo_pagado", errores)) e.aguinaldo_pagado = *b;
    if (auto b = LeerBooleano(body, "bono14_pagado", errores)) e.bono14_pagado = *b;
    if (auto n = LeerDias(body, "dias_salario_pendiente", errores)) e.dias_salario_pendiente = *n;
    return e;
}

json::object Render(const Liquidacion& l) {
    json::array conceptos;
    for (const Concepto& c : l.conceptos) {
        conceptos.push_back(json::object{{"concepto", c.id},
                                         {"nombre", c.nombre},
                                         {"monto", c.monto.centavos()},
                                         {"base_legal", c.base_legal},
                                         {"calculo", c.calculo},
                                         {"explicacion", c.explicacion}});
    }
    return json::object{{"conceptos", std::move(conceptos)},
                        {"total", l.total.centavos()},
                        {"convencion", l.convencion}};
}

// What a request computed: the input as read, the settlement and when it was computed.
struct Calculo {
    Entrada entrada;
    Liquidacion liquidacion;
    std::chrono::system_clock::time_point ahora;
};

// Parses the body and computes. Errors: kBadRequest when the body is not JSON, kInvalid
// with every problem of every field at once.
Result<Calculo> Calcular(const http::Request& request, const core::Clock& clock) {
    VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(request));

    Errores errores;
    Calculo calculo{LeerEntrada(body, errores), {}, clock.Now()};
    calculo.entrada.hoy = core::GuatemalaDate(calculo.ahora);
    auto liquidacion = CalcularPrestaciones(calculo.entrada);
    if (errores.empty()) {
        if (!liquidacion.ok()) return std::move(liquidacion).error();
        calculo.liquidacion = std::move(liquidacion).value();
        return calculo;
    }
    // Report everything at once: the calculator's findings, overridden by the more
    // precise type errors for the same fields.
    Error error = Error::Invalid("Revise los datos marcados.");
    if (!liquidacion.ok() && liquidacion.error().kind() == ErrorKind::kInvalid) {
        for (const auto& [campo, mensaje] : liquidacion.error().fields()) {
            error.WithField(campo, mensaje);
        }
    }
    for (auto& [campo, mensaje] : errores) error.WithField(campo, std::move(mensaje));
    return error;
}

http::Response Prestaciones(const http::Request& request, const core::Clock& clock) {
    auto calculo = Calcular(request, clock);
    if (!calculo.ok()) return http::ErrorResponse(calculo.error());
    return http::Json(Render(calculo->liquidacion));
}

http::Response PrestacionesPdf(const http::Request& request, const core::Clock& clock) {
    auto calculo = Calcular(request, clock);
    if (!calculo.ok()) return http::ErrorResponse(calculo.error());
    auto pdf = calculators::PrestacionesPdf(calculo->entrada, calculo->liquidacion, calculo->ahora);
    if (!pdf.ok()) return http::ErrorResponse(pdf.error());
    return http::Download(
        std::move(pdf).value(), "application/pdf",
        fmt::format("prestaciones-{}.pdf", core::FormatIsoDate(*calculo->entrada.fecha_fin)));
}

}  // namespace

void AddCalculatorRoutes(http::Router& router, const core::Clock& clock) {
    // Pure computation, no I/O: cheap enough for the I/O thread.
    router.Add("POST", "/api/v1/calculadora/prestaciones",
               [&clock](const http::Request& request) { return Prestaciones(request, clock); },
               {.inline_handler = true, .accepts = {"application/json"}});
    // Laying out and compressing a PDF takes milliseconds: on the worker pool.
    router.Add("POST", "/api/v1/calculadora/prestaciones/pdf",
               [&clock](const http::Request& request) { return PrestacionesPdf(request, clock); },
               {.accepts = {"application/json"}});
}

}  // namespace vt::calculators
