// An employer's pages: the organizations a person represents, registering one, and its
// representatives (added and removed by its owners). Identity decides who may do what.
#include <boost/json.hpp>

#include "field_view.hpp"
#include "page.hpp"
#include "pages.hpp"
#include "vt/identity/policy.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;

std::string RoleLabel(std::string_view role) {
    return role == identity::kOwnerRole ? "Propietario" : "Representante";
}

std::optional<http::Response> CitizensOnly(const Site& site, const Visit& visit) {
    if (visit.anonymous()) return site.LoginRedirect(visit);
    if (visit.actor().kind != core::Actor::Kind::kCitizen) {
        return site.ErrorPage(visit, Error::Forbidden("Las organizaciones se administran con una cuenta de ciudadano."));
    }
    return std::nullopt;
}

// Managing representatives is for owners; to anyone else the organization answers as if it
// did not exist, as identity does.
std::optional<http::Response> OwnersOnly(const Site& site, const Visit& visit, const std::string& nit) {
    auto acting = site.deps().identity.ActingFor(visit.actor(), nit);
    if (!acting.ok()) return site.ErrorPage(visit, acting.error());
    identity::Resource org;
    org.organization = acting->organization;
    if (identity::Decide(*acting, identity::Action::kOrganizationManage, org) != identity::Decision::kAllow) {
        return site.ErrorPage(visit, Error::NotFound("No existe esa organización."));
    }
    return std::nullopt;
}

http::Response ListPage(const Site& site, const Visit& visit, const Form& form,
                        const std::map<std::string, std::string>& errors, int status) {
    auto me = site.deps().identity.Me(visit.actor());
    if (!me.ok()) return site.ErrorPage(visit, me.error());
    json::array orgs;
    for (const identity::Membership& m : me->organizations) {
        orgs.push_back(json::object{{"nit", m.nit}, {"nombre", m.legal_name}, {"rol", RoleLabel(m.role)}});
    }
    std::vector<FieldView> fields{
        {.id = "nit", .label = "NIT del empleador", .kind = "texto", .value = form.Get("nit"),
         .help = "Con su dígito verificador, por ejemplo 576937-K.", .short_input = true},
        {.id = "razon_social", .label = "Razón social o nombre del empleador", .kind = "texto",
         .value = form.Get("razon_social"), .autocomplete = "organization"}};
    json::array controls;
    std::vector<std::pair<std::string, std::string>> order;
    for (FieldView& f : fields) {
        if (auto it = errors.find(f.id); it != errors.end()) f.error = it->second;
        order.emplace_back(f.id, f.label);
        controls.push_back(f.ToJson());
    }
    json::object view{{"organizaciones", std::move(orgs)},
                      {"campos", std::move(controls)},
                      {"errores", ErrorSummary(errors, order)}};
    return site.Page(visit, {"organizaciones", "Mis organizaciones", std::move(view), status, "organizaciones"});
}

http::Response ShowList(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (auto refused = CitizensOnly(site, visit)) return *refused;
    return ListPage(site, visit, Form{}, {}, 200);
}

http::Response Register(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    if (auto refused = CitizensOnly(site, visit)) return *refused;
    auto m = site.deps().identity.RegisterOrganization(visit.actor(), form.Get("nit"), form.Get("razon_social"));
    if (!m.ok()) {
        const Error& e = m.error();
        if (e.kind() == ErrorKind::kInvalid) return ListPage(site, visit, form, e.fields(), 422);
        if (e.code() == "organization-exists") {
            return ListPage(site, visit, form,
                            {{"nit", "Ese NIT ya está registrado. Pida a su propietario que lo agregue como representante."}},
                            409);
        }
        return site.ErrorPage(visit, e);
    }
    return site.Redirect(visit, "/organizaciones/" + UrlEncode(m->nit) + "?hecho=registrada");
}

http::Response OrganizationPage(const Site& site, const Visit& visit, const std::string& nit, const Form& form,
                                const std::map<std::string, std::string>& errors, int status, std::string notice) {
    auto acting = site.deps().identity.ActingFor(visit.actor(), nit);
    if (!acting.ok()) return site.ErrorPage(visit, acting.error());
    auto list = site.deps().identity.ListRepresentatives(visit.actor(), nit);
    if (!list.ok()) return site.ErrorPage(visit, list.error());
    auto me = site.deps().identity.Me(visit.actor());
    if (!me.ok()) return site.ErrorPage(visit, me.error());
    std::string legal_name;
    for (const auto& m : me->organizations) {
        if (m.nit == acting->organization) legal_name = m.legal_name;
    }
    identity::Resource org;
    org.organization = acting->organization;
    const bool owner =
        identity::Decide(*acting, identity::Action::kOrganizationManage, org) == identity::Decision::kAllow;
    json::array people;
    for (const identity::Representative& r : *list) {
        people.push_back(json::object{{"cui", r.cui},
                                      {"nombre", r.name},
                                      {"rol", RoleLabel(r.role)},
                                      {"desde", LongDate(r.since)},
                                      {"quitar", owner && r.cui != me->cui}});
    }
    std::vector<FieldView> fields{
        {.id = "cui", .label = "DPI (CUI) de la persona", .kind = "texto", .value = form.Get("cui"),
         .help = "Debe tener una cuenta en la Ventanilla.", .input_mode = "numeric", .short_input = true},
        {.id = "rol", .label = "Rol", .kind = "seleccion", .value = form.Get("rol").empty() ? "representante" : form.Get("rol"),
         .options = {{"representante", "Representante: presenta y consulta trámites del empleador"},
                     {"propietario", "Propietario: además administra los representantes"}}}};
    json::array controls;
    std::vector<std::pair<std::string, std::string>> order;
    for (FieldView& f : fields) {
        if (auto it = errors.find(f.id); it != errors.end()) f.error = it->second;
        order.emplace_back(f.id, f.label);
        controls.push_back(f.ToJson());
    }
    json::object view{{"nit", acting->organization},
                      {"nit_url", UrlEncode(acting->organization)},
                      {"nombre", legal_name},
                      {"propietario", owner},
                      {"representantes", std::move(people)},
                      {"campos", std::move(controls)},
                      {"errores", ErrorSummary(errors, order)},
                      {"aviso", notice}};
    return site.Page(visit, {"organizacion", legal_name.empty() ? acting->organization : legal_name, std::move(view),
                             status, "organizaciones"});
}

std::string Notice(std::string_view done) {
    // Fixed messages only: the query string never reaches the page as text.
    if (done == "registrada") return "Registramos el empleador. Usted es su propietario.";
    if (done == "agregado") return "Agregamos a la persona como representante.";
    if (done == "quitado") return "La persona ya no representa a este empleador.";
    return {};
}

http::Response ShowOrganization(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (auto refused = CitizensOnly(site, visit)) return *refused;
    Form query = Form::Parse(req.query);
    return OrganizationPage(site, visit, http::PercentDecode(req.Param("nit"), false), Form{}, {}, 200,
                            Notice(query.Get("hecho")));
}

http::Response AddRepresentative(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    if (auto refused = CitizensOnly(site, visit)) return *refused;
    std::string nit = http::PercentDecode(req.Param("nit"), false);
    if (auto refused = OwnersOnly(site, visit, nit)) return *refused;
    Status s = site.deps().identity.AddRepresentative(visit.actor(), nit, form.Get("cui"), form.Get("rol"));
    if (!s.ok()) {
        const Error& e = s.error();
        if (e.kind() == ErrorKind::kInvalid) return OrganizationPage(site, visit, nit, form, e.fields(), 422, {});
        if (e.kind() == ErrorKind::kNotFound) {
            // They own it (checked above): the CUI has no account.
            return OrganizationPage(site, visit, nit, form,
                                    {{"cui", "No hay ninguna cuenta con ese DPI. La persona debe crear su cuenta "
                                             "primero."}},
                                    422, {});
        }
        return site.ErrorPage(visit, e);
    }
    return site.Redirect(visit, "/organizaciones/" + UrlEncode(nit) + "?hecho=agregado");
}

http::Response RemoveRepresentative(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    if (auto refused = CitizensOnly(site, visit)) return *refused;
    std::string nit = http::PercentDecode(req.Param("nit"), false);
    if (auto refused = OwnersOnly(site, visit, nit)) return *refused;
    Status s = site.deps().identity.RemoveRepresentative(visit.actor(), nit, form.Get("cui"));
    if (!s.ok()) return site.ErrorPage(visit, s.error());
    return site.Redirect(visit, "/organizaciones/" + UrlEncode(nit) + "?hecho=quitado");
}

}  // namespace

void AddOrganizationPages(http::Router& router, const std::shared_ptr<const Site>& site) {
    const http::RouteOptions form{.accepts = {"application/x-www-form-urlencoded"}};
    router.Add("GET", "/organizaciones", [site](const http::Request& r) { return ShowList(*site, r); });
    router.Add("POST", "/organizaciones", [site](const http::Request& r) { return Register(*site, r); }, form);
    router.Add("GET", "/organizaciones/{nit}", [site](const http::Request& r) { return ShowOrganization(*site, r); });
    router.Add("POST", "/organizaciones/{nit}/representantes",
               [site](const http::Request& r) { return AddRepresentative(*site, r); }, form);
    router.Add("POST", "/organizaciones/{nit}/representantes/quitar",
               [site](const http::Request& r) { return RemoveRepresentative(*site, r); }, form);
}

}  // namespace vt::web
