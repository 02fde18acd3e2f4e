// Pages anyone may see: home, the catalog with its search and filters, one trámite's
// sheet, tracking by code, and the static assets.
#include <boost/json.hpp>
#include <set>

#include "page.hpp"
#include "pages.hpp"
#include "render.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;

std::string AudienceLabel(catalog::Audience a) {
    switch (a) {
        case catalog::Audience::kCitizen: return "Personas trabajadoras y ciudadanía";
        case catalog::Audience::kEmployer: return "Empleadores";
        case catalog::Audience::kInternal: return "Personal del ministerio";
    }
    return "";
}

std::string TopicLabel(std::string_view topic) {
    if (topic.empty()) return "";
    std::string s(topic);
    for (char& c : s) {
        if (c == '_' || c == '-') c = ' ';
    }
    // Topics are lowercase ASCII words in definition files; capitalise the first letter.
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string WorkingDays(int days) {
    return std::to_string(days) + (days == 1 ? " día hábil" : " días hábiles");
}

json::object TramiteCard(const catalog::Definition& d) {
    json::object o{{"id", d.id},
                   {"nombre", d.name},
                   {"descripcion", d.description},
                   {"digital", d.channel == catalog::Channel::kDigital},
                   {"tema", TopicLabel(d.topic)}};
    if (d.sla_working_days) o["plazo"] = WorkingDays(*d.sla_working_days);
    o["costo"] = d.fee_centavos == 0 ? std::string("Gratuito") : Quetzales(d.fee_centavos);
    return o;
}

json::array Options(const std::vector<std::pair<std::string, std::string>>& values, std::string_view chosen) {
    json::array out;
    for (const auto& [value, label] : values) {
        json::object o{{"valor", value}, {"etiqueta", label}};
        if (value == chosen) o["elegida"] = true;
        out.push_back(std::move(o));
    }
    return out;
}

http::Response Home(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    const catalog::Registry& registry = site.deps().registry;
    json::array featured;
    for (const catalog::Definition* d : registry.All()) {
        if (d->channel == catalog::Channel::kDigital && d->priority == catalog::Priority::kPriority &&
            std::find(d->audience.begin(), d->audience.end(), catalog::Audience::kInternal) == d->audience.end()) {
            featured.push_back(TramiteCard(*d));
        }
    }
    catalog::Indicators ind = registry.ComputeIndicators();
    json::object view{{"destacados", std::move(featured)},
                      {"digitales", ind.priority_digital + ind.general_digital},
                      {"total", ind.priority_total + ind.general_total}};
    return site.Page(visit, {"inicio", "Inicio", std::move(view), 200, "inicio"});
}

http::Response Catalog(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form q = Form::Parse(req.query);
    catalog::SearchQuery query;
    query.text = q.Get("q");
    std::string audience = q.Get("audiencia"), channel = q.Get("canal"), topic = q.Get("tema");
    if (audience == "ciudadano") query.audience = catalog::Audience::kCitizen;
    if (audience == "empleador") query.audience = catalog::Audience::kEmployer;
    if (audience == "interno") query.audience = catalog::Audience::kInternal;
    if (channel == "digital") query.channel = catalog::Channel::kDigital;
    if (channel == "presencial") query.channel = catalog::Channel::kInPerson;
    query.topic = topic;

    const catalog::Registry& registry = site.deps().registry;
    std::set<std::string> topics;
    for (const catalog::Definition* d : registry.All()) {
        if (!d->topic.empty()) topics.insert(d->topic);
    }
    std::vector<std::pair<std::string, std::string>> topic_options;
    for (const std::string& t : topics) topic_options.emplace_back(t, TopicLabel(t));

    json::array results;
    for (const catalog::Definition* d : registry.Search(query)) results.push_back(TramiteCard(*d));
    std::size_t count = results.size();
    json::object view{
        {"q", query.text},
        {"resultados", std::move(results)},
        {"cantidad", count == 1 ? std::string("1 trámite") : std::to_string(count) + " trámites"},
        {"sin_resultados", count == 0},
        {"audiencias", Options({{"", "Todos"},
                                {"ciudadano", "Personas trabajadoras y ciudadanía"},
                                {"empleador", "Empleadores"},
                                {"interno", "Personal del ministerio"}},
                               audience)},
        {"canales", Options({{"", "Todos"}, {"digital", "En línea"}, {"presencial", "En persona"}}, channel)},
        {"temas", Options([&] {
             auto v = topic_options;
             v.insert(v.begin(), {"", "Todos"});
             return v;
         }(), topic)},
    };
    return site.Page(visit, {"catalogo", "Catálogo de trámites", std::move(view), 200, "tramites"});
}

http::Response Sheet(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    const catalog::Definition* d = site.deps().registry.Current(req.Param("id"));
    if (!d) return site.ErrorPage(visit, Error::NotFound("No existe ese trámite."));
    json::array audience, requirements;
    for (catalog::Audience a : d->audience) audience.push_back(json::value(AudienceLabel(a)));
    for (const catalog::Requirement& r : d->requirements) {
        requirements.push_back(json::object{{"nombre", r.name}, {"descripcion", r.description}, {"obligatorio", r.required}});
    }
    json::object view = TramiteCard(*d);
    view["audiencia"] = std::move(audience);
    view["requisitos"] = std::move(requirements);
    view["base_legal"] = d->legal_basis;
    view["anonimo"] = d->allow_anonymous;
    view["prioritario"] = d->priority == catalog::Priority::kPriority;
    view["oficina"] = d->office;
    // A service used on its own page (the severance calculator) is opened there, not filed.
    if (d->link.starts_with("/") && !d->link.starts_with("/api/")) view["enlace"] = d->link;
    return site.Page(visit, {"ficha", d->name, std::move(view), 200, "tramites"});
}

http::Response Tracking(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form q = Form::Parse(req.query);
    std::string code = q.Get("codigo");
    json::object view{{"codigo", code}};
    int status = 200;
    if (!code.empty()) {
        auto found = site.deps().cases.Track(code);
        if (found.ok()) {
            const cases::PublicStatus& s = *found;
            json::array history;
            for (const auto& step : s.history) {
                history.push_back(json::object{{"estado", step.state_name}, {"fecha", LongDate(step.on)}});
            }
            json::object r{{"tramite", s.tramite_name},
                           {"estado", s.state_name},
                           {"cerrado", s.closed},
                           {"presentado", LongDate(s.filed_on)},
                           {"historial", std::move(history)}};
            if (s.due_on) r["plazo"] = LongDate(*s.due_on);
            if (s.closed_on) r["cerrado_el"] = LongDate(*s.closed_on);
            view["resultado"] = std::move(r);
        } else if (found.error().kind() == ErrorKind::kNotFound) {
            status = 404;
            view["errores"] = ErrorSummary({{"codigo", "No encontramos ningún trámite con ese código. Revise que "
                                                       "esté escrito como aparece en su comprobante."}},
                                           {{"codigo", "Código de seguimiento"}});
            view["error_codigo"] = "No encontramos ningún trámite con ese código.";
        } else {
            return site.ErrorPage(visit, found.error());
        }
    }
    return site.Page(visit, {"seguimiento", "Seguimiento de un trámite", std::move(view), status, "seguimiento"});
}

}  // namespace

void AddPublicPages(http::Router& router, const std::shared_ptr<const Site>& site) {
    router.Add("GET", "/", [site](const http::Request& r) { return Home(*site, r); });
    router.Add("GET", "/tramites", [site](const http::Request& r) { return Catalog(*site, r); });
    router.Add("GET", "/tramites/{id}", [site](const http::Request& r) { return Sheet(*site, r); });
    router.Add("GET", "/seguimiento", [site](const http::Request& r) { return Tracking(*site, r); });

    // Static assets: only the stylesheet, at an address that changes with its content, so
    // it is cached for a year.
    // Compressed once here; the server sends these bytes to clients that accept gzip.
    auto css = std::make_shared<const std::string>(StaticAsset("estilo.css"));
    auto css_gzip = std::make_shared<const std::string>(http::Gzip(*css));
    std::string file = StylesheetFile();
    std::string etag = "\"" + file + "\"";
    router.Add("GET", "/static/{archivo}", [css, css_gzip, file, etag](const http::Request& r) {
        if (r.Param("archivo") != file) return http::ErrorResponse(Error::NotFound("No existe ese archivo."));
        http::Response res;
        res.content_type = "text/css; charset=utf-8";
        res.Set("Cache-Control", "public, max-age=31536000, immutable");
        res.Set("ETag", etag);
        // The gzip encoding goes out with the weak form of the same tag (If-None-Match
        // compares weakly).
        std::string_view seen = r.Header("If-None-Match");
        if (seen.starts_with("W/")) seen.remove_prefix(2);
        if (seen == etag) {
            res.status = 304;
            return res;
        }
        res.shared_body = css;
        res.shared_gzip_body = css_gzip;
        return res;
    }, {.inline_handler = true});
}

}  // namespace vt::web
