// The severance calculator for people: a form in quetzales that works without JavaScript,
// the result explained line by line, and the same calculation as a PDF to print. The
// numbers, their legal basis and the derivations come from vt/calculators; this file only
// reads the form and shows the answer.
//
// The calculation changes nothing and keeps nothing, so a valid form is answered with the
// result itself (200) instead of a redirect: the salary and the dates then travel only in
// POST bodies, never in addresses that end up in logs and browser histories.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>
#include <variant>

#include "field_view.hpp"
#include "page.hpp"
#include "pages.hpp"
#include "vt/calculators/prestaciones.hpp"
#include "vt/core/date.hpp"
#include "vt/core/money.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;
using calculators::Entrada;
using calculators::Motivo;
using core::Money;

constexpr std::string_view kPath = "/calculadora-prestaciones";
constexpr std::string_view kPdfPath = "/calculadora-prestaciones/pdf";
constexpr std::string_view kTitle = "Calculadora de prestaciones laborales";

// What the form asks first; the rest goes under "Más datos".
constexpr std::string_view kMainFields[] = {"fecha_inicio", "fecha_fin", "motivo",
                                            "salario_ordinario_mensual"};

std::string Trim(std::string_view s) {
    std::size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    std::size_t e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

// The form's controls, with what the person typed (or the defaults on a fresh form).
std::vector<FieldView> Fields(const Form& form, bool fresh) {
    auto value = [&](const char* id, const char* fallback = "") {
        return fresh ? std::string(fallback) : form.Get(id);
    };
    const std::string money_help = "En quetzales, por ejemplo 4,000.00.";
    std::vector<FieldView> f;
    f.push_back({.id = "fecha_inicio",
                 .label = "Primer día de trabajo",
                 .kind = "fecha",
                 .value = value("fecha_inicio"),
                 .required = true});
    f.push_back({.id = "fecha_fin",
                 .label = "Último día de trabajo",
                 .kind = "fecha",
                 .value = value("fecha_fin"),
                 .help = "El último día que trabajó, aunque le hayan avisado antes.",
                 .required = true});
    FieldView motivo{.id = "motivo",
                     .label = "¿Por qué terminó la relación laboral?",
                     .kind = "seleccion",
                     .value = value("motivo"),
                     .required = true};
    motivo.options = {
        {"despido_injustificado", "Me despidieron sin una causa justificada"},
        {"renuncia", "Renuncié"},
        {"despido_justificado",
         "Me despidieron por una causa justificada (Art. 77 del Código "
         "de Trabajo)"},
        {"mutuo_acuerdo", "Lo acordamos el patrono y yo"},
    };
    f.push_back(std::move(motivo));
    f.push_back({.id = "salario_ordinario_mensual",
                 .label = "Salario mensual",
                 .kind = "numero",
                 .value = value("salario_ordinario_mensual"),
                 .help = "Su salario ordinario de cada mes, sin horas extra ni bonificación "
                         "incentivo. " +
                         money_help,
                 .input_mode = "decimal",
                 .required = true,
                 .prefix = "Q"});
    f.push_back({.id = "salario_extraordinario_promedio",
                 .label = "Promedio mensual de horas extra (opcional)",
                 .kind = "numero",
                 .value = value("salario_extraordinario_promedio"),
                 .help = "Lo que recibió en promedio cada mes por tiempo extraordinario. Cuenta "
                         "para la indemnización y las vacaciones. " +
                         money_help,
                 .input_mode = "decimal",
                 .prefix = "Q"});
    f.push_back({.id = "bonificacion_incentivo",
                 .label = "Bonificación incentivo mensual",
                 .kind = "numero",
                 .value = value("bonificacion_incentivo", "250.00"),
                 .help = "Por ley son Q250.00 al mes. No forma parte de la base de ninguna "
                         "prestación; solo cuenta para los días que le deban. Escriba 0 si no la "
                         "recibe.",
                 .input_mode = "decimal",
                 .prefix = "Q"});
    f.push_back({.id = "dias_vacaciones_pendientes",
                 .label = "Días de vacaciones que no tomó (opcional)",
                 .kind = "numero",
                 .value = value("dias_vacaciones_pendientes"),
                 .help = "Si los sabe. En blanco, se calcula la parte del año de vacaciones en "
                         "curso."});
    f.push_back({.id = "aguinaldo_pagado",
                 .label = "¿Le pagaron el aguinaldo del período anterior?",
                 .kind = "si_no",
                 .value = value("aguinaldo_pagado", "si"),
                 .help = "El aguinaldo se paga cada diciembre. Responda «No» si no recibió el "
                         "del período anterior a su salida."});
    f.push_back({.id = "bono14_pagado",
                 .label = "¿Le pagaron el bono 14 del período anterior?",
                 .kind = "si_no",
                 .value = value("bono14_pagado", "si"),
                 .help = "El bono 14 se paga cada julio."});
    f.push_back({.id = "dias_salario_pendiente",
                 .label = "Días trabajados que no le pagaron (opcional)",
                 .kind = "numero",
                 .value = value("dias_salario_pendiente"),
                 .help = "Días de salario que el patrono todavía le debe."});
    return f;
}

// A date as the date control sends it (AAAA-MM-DD) or as people type it where a browser
// shows a plain text box (30/11/2025).
std::optional<core::Date> ReadDate(const Form& form, const char* id,
                                   std::map<std::string, std::string>& errors) {
    std::string v = Trim(form.Get(id));
    if (v.empty()) return std::nullopt;
    std::string iso = v;
    unsigned d = 0, m = 0, y = 0;
    char tail = 0;
    if (std::sscanf(v.c_str(), "%u/%u/%u%c", &d, &m, &y, &tail) == 3 && y >= 1000) {
        iso = fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
    }
    auto date = core::ParseIsoDate(iso);
    if (date.ok()) return *date;
    errors[id] = date.error().code() == "date-invalid"
                     ? fmt::format("La fecha {} no existe en el calendario.", v)
                     : "Escriba la fecha como día/mes/año, por ejemplo 30/11/2025.";
    return std::nullopt;
}

std::optional<Money> ReadMoney(const Form& form, const char* id,
                               std::map<std::string, std::string>& errors) {
    std::string v = Trim(form.Get(id));
    if (v.empty()) return std::nullopt;
    auto m = Money::Parse(v);
    if (m.ok()) return *m;
    errors[id] =
        "Escriba el monto en quetzales, con punto para los centavos; por ejemplo 3,250.50.";
    return std::nullopt;
}

std::optional<int> ReadDays(const Form& form, const char* id,
                            std::map<std::string, std::string>& errors) {
    std::string v = Trim(form.Get(id));
    if (v.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE ||
        v.find_first_not_of("-0123456789") != std::string::npos) {
        errors[id] = "Escriba un número entero de días, sin decimales; por ejemplo 12.";
        return std::nullopt;
    }
    // Beyond the calculator's range it answers with its own message.
    return static_cast<int>(std::clamp<long long>(n, -1, 100'000));
}

struct Reading {
    Entrada entrada;
    std::map<std::string, std::string> errors;
};

// The form as the calculator's input. Problems with the form's text (a date or an amount
// that cannot be read) win over the calculator's own findings for the same field.
Reading Read(const Form& form, core::Date today) {
    Reading r;
    Entrada& e = r.entrada;
    e.hoy = today;
    e.fecha_inicio = ReadDate(form, "fecha_inicio", r.errors);
    e.fecha_fin = ReadDate(form, "fecha_fin", r.errors);
    if (std::string m = form.Get("motivo"); !m.empty()) {
        e.motivo = calculators::ParseMotivo(m);
        if (!e.motivo) r.errors["motivo"] = "Elija uno de los motivos de la lista.";
    }
    e.salario_ordinario_mensual = ReadMoney(form, "salario_ordinario_mensual", r.errors);
    if (auto m = ReadMoney(form, "salario_extraordinario_promedio", r.errors)) {
        e.salario_extraordinario_promedio = *m;
    }
    if (auto m = ReadMoney(form, "bonificacion_incentivo", r.errors)) e.bonificacion_incentivo = *m;
    e.dias_vacaciones_pendientes = ReadDays(form, "dias_vacaciones_pendientes", r.errors);
    if (auto n = ReadDays(form, "dias_salario_pendiente", r.errors)) e.dias_salario_pendiente = *n;
    e.aguinaldo_pagado = form.Get("aguinaldo_pagado") != "no";
    e.bono14_pagado = form.Get("bono14_pagado") != "no";
    return r;
}

// The calculator's messages, in the words of this form where they name identifiers.
void AddCalculatorErrors(const Error& error, std::map<std::string, std::string>& errors) {
    for (const auto& [field, message] : error.fields()) {
        if (field == "motivo") {
            errors.emplace(field, "Elija por qué terminó la relación laboral.");
        } else {
            errors.emplace(field, message);
        }
    }
}

json::object ResultView(const Entrada& e, const calculators::Liquidacion& l,
                        const std::vector<FieldView>& fields) {
    json::array lines;
    for (const calculators::Concepto& c : l.conceptos) {
        lines.push_back(json::object{{"id", c.id},
                                     {"nombre", c.nombre},
                                     {"monto", c.monto.ToString()},
                                     {"cero", c.monto == Money()},
                                     {"explicacion", c.explicacion},
                                     {"base_legal", c.base_legal},
                                     {"calculo", c.calculo}});
    }
    // The PDF button posts the same values again.
    json::array hidden;
    for (const FieldView& f : fields) {
        hidden.push_back(FieldView{.id = f.id, .kind = "oculto", .value = f.value}.ToJson());
    }
    return json::object{
        {"total", l.total.ToString()},
        {"inicio", core::SpanishLongDate(*e.fecha_inicio)},
        {"fin", core::SpanishLongDate(*e.fecha_fin)},
        {"motivo", calculators::MotivoNombre(*e.motivo)},
        {"conceptos", std::move(lines)},
        {"convencion", l.convencion},
        {"ocultos", std::move(hidden)},
        {"accion_pdf", kPdfPath},
    };
}

http::Response FormPage(const Site& site, const Visit& visit, const Form& form, bool fresh,
                        const std::map<std::string, std::string>& errors, int status,
                        json::object result = {}) {
    std::vector<FieldView> fields = Fields(form, fresh);
    std::vector<std::pair<std::string, std::string>> order;
    json::array main, more;
    bool open_more = false;
    for (FieldView& f : fields) {
        order.emplace_back(f.id, f.label);
        if (auto it = errors.find(f.id); it != errors.end()) f.error = it->second;
        bool is_main = std::find(std::begin(kMainFields), std::end(kMainFields), f.id) !=
                       std::end(kMainFields);
        if (!is_main && !f.error.empty()) open_more = true;
        (is_main ? main : more).push_back(f.ToJson());
    }
    json::object view{{"errores", ErrorSummary(errors, order)},
                      {"campos", std::move(main)},
                      {"mas_campos", std::move(more)},
                      {"abrir_mas", open_more},
                      {"accion", kPath}};
    if (!result.empty()) {
        view["resultado"] = std::move(result);
    }
    return site.Page(visit, {"calculadora_prestaciones", std::string(kTitle), std::move(view),
                             status, "calculadora"});
}

http::Response Show(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    return FormPage(site, visit, Form{}, true, {}, 200);
}

// Reads and computes; on bad input, the form again with every problem (422).
std::variant<http::Response, std::pair<Entrada, calculators::Liquidacion>> Compute(
    const Site& site, const Visit& visit, const Form& form) {
    Reading r = Read(form, core::GuatemalaDate(site.deps().clock.Now()));
    auto result = calculators::CalcularPrestaciones(r.entrada);
    if (!result.ok() && result.error().kind() != ErrorKind::kInvalid) {
        return site.ErrorPage(visit, result.error());
    }
    if (!result.ok()) AddCalculatorErrors(result.error(), r.errors);
    if (!r.errors.empty()) return FormPage(site, visit, form, false, r.errors, 422);
    return std::pair{std::move(r.entrada), std::move(result).value()};
}

http::Response Calculate(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    auto computed = Compute(site, visit, form);
    if (auto* page = std::get_if<http::Response>(&computed)) return std::move(*page);
    auto& [entrada, liquidacion] = std::get<1>(computed);
    return FormPage(site, visit, form, false, {}, 200,
                    ResultView(entrada, liquidacion, Fields(form, false)));
}

http::Response Pdf(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    auto computed = Compute(site, visit, form);
    if (auto* page = std::get_if<http::Response>(&computed)) return std::move(*page);
    auto& [entrada, liquidacion] = std::get<1>(computed);
    auto pdf = calculators::PrestacionesPdf(entrada, liquidacion, site.deps().clock.Now());
    if (!pdf.ok()) return site.ErrorPage(visit, pdf.error());
    return http::Download(
        std::move(pdf).value(), "application/pdf",
        fmt::format("prestaciones-{}.pdf", core::FormatIsoDate(*entrada.fecha_fin)));
}

}  // namespace

void AddCalculatorPages(http::Router& router, const std::shared_ptr<const Site>& site) {
    const http::RouteOptions form{.accepts = {"application/x-www-form-urlencoded"}};
    router.Add("GET", std::string(kPath),
               [site](const http::Request& r) { return Show(*site, r); });
    router.Add(
        "POST", std::string(kPath), [site](const http::Request& r) { return Calculate(*site, r); },
        form);
    router.Add(
        "POST", std::string(kPdfPath), [site](const http::Request& r) { return Pdf(*site, r); },
        form);
}

}  // namespace vt::web
