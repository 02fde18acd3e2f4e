#include <boost/json.hpp>
#include <cmath>

#include "vt/catalog/api.hpp"

namespace vt::catalog {
namespace {

namespace json = boost::json;

json::array AudienceJson(const Definition& d) {
    json::array a;
    for (Audience x : d.audience) a.emplace_back(AudienceName(x));
    return a;
}

// The programme's targets (Programa de Gobierno Electrónico 2021–2026, indicators 2 and 3).
json::object IndicatorsJson(const Indicators& ind) {
    auto pct = [](double share) { return std::round(share * 1000.0) / 10.0; };
    json::object o;
    o["prioritarios"] = {{"total", ind.priority_total},
                         {"digitales", ind.priority_digital},
                         {"porcentaje", pct(ind.priority_share())}};
    o["generales"] = {{"total", ind.general_total},
                      {"digitales", ind.general_digital},
                      {"porcentaje", pct(ind.general_share())}};
    o["metas"] = json::array{
        json::object{{"anio", 2024},
                     {"descripcion", "100 % de los servicios prioritarios y 50 % de los generales disponibles de forma digital"},
                     {"cumplida", ind.priority_share() >= 1.0 && ind.general_share() >= 0.5}},
        json::object{{"anio", 2026},
                     {"descripcion", "100 % de los servicios generales disponibles de forma digital"},
                     {"cumplida", ind.general_share() >= 1.0}},
    };
    o["fuente"] = "Programa de Gobierno Electrónico 2021–2026 del MINTRAB, indicadores 2 y 3";
    return o;
}

}  // namespace

json::object SummaryJson(const Definition& d) {
    json::object o;
    o["id"] = d.id;
    o["version"] = d.version;
    o["nombre"] = d.name;
    o["descripcion"] = d.description;
    o["audiencia"] = AudienceJson(d);
    o["prioridad"] = PriorityName(d.priority);
    o["canal"] = ChannelName(d.channel);
    o["tema"] = d.topic;
    o["oficina"] = d.office;
    o["tarifa_centavos"] = d.fee_centavos;
    if (d.sla_working_days) o["plazo_dias_habiles"] = *d.sla_working_days;
    else o["plazo_dias_habiles"] = nullptr;
    o["anonimo_permitido"] = d.allow_anonymous;
    if (!d.link.empty()) o["enlace"] = d.link;
    return o;
}

void AddCatalogRoutes(http::Router& router, const Registry& registry) {
    router.Add("GET", "/api/v1/tramites", [&registry](const http::Request& req) {
        SearchQuery q;
        q.text = req.QueryParam("q").value_or("");
        Error bad = Error::Invalid("Revise los filtros.");
        if (auto a = req.QueryParam("audiencia"); a && !a->empty()) {
            if (*a == "ciudadano") q.audience = Audience::kCitizen;
            else if (*a == "empleador") q.audience = Audience::kEmployer;
            else if (*a == "interno") q.audience = Audience::kInternal;
            else bad.WithField("audiencia", "Use ciudadano, empleador o interno.");
        }
        if (auto p = req.QueryParam("prioridad"); p && !p->empty()) {
            if (*p == "prioritario") q.priority = Priority::kPriority;
            else if (*p == "general") q.priority = Priority::kGeneral;
            else bad.WithField("prioridad", "Use prioritario o general.");
        }
        if (auto c = req.QueryParam("canal"); c && !c->empty()) {
            if (*c == "digital") q.channel = Channel::kDigital;
            else if (*c == "presencial") q.channel = Channel::kInPerson;
            else bad.WithField("canal", "Use digital o presencial.");
        }
        q.topic = req.QueryParam("tema").value_or("");
        if (q.text.size() > 200) bad.WithField("q", "La búsqueda es demasiado larga.");
        if (!bad.fields().empty()) return http::ErrorResponse(bad);
        json::array items;
        for (const Definition* d : registry.Search(q)) items.push_back(SummaryJson(*d));
        std::size_t n = items.size();
        return http::Json(json::object{{"tramites", std::move(items)}, {"total", n}});
    }, {.inline_handler = true});

    router.Add("GET", "/api/v1/tramites/{id}", [&registry](const http::Request& req) {
        const Definition* d = registry.Current(req.Param("id"));
        if (!d) return http::ErrorResponse(Error::NotFound("No existe el trámite " + std::string(req.Param("id")) + "."));
        // The definition is public data: return it as published, plus the summary fields.
        json::object o = json::parse(d->source).as_object();
        o["resumen"] = SummaryJson(*d);
        return http::Json(o);
    }, {.inline_handler = true});

    router.Add("GET", "/api/v1/indicadores", [&registry](const http::Request&) {
        return http::Json(IndicatorsJson(registry.ComputeIndicators()));
    }, {.inline_handler = true});
}

}  // namespace vt::catalog
