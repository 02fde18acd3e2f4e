// Administration: offices, officials and their roles, enabling and disabling accounts, and
// the API tokens of other systems. Every action is a form posted with its CSRF token; the
// identity service decides who may (administrators only) and checks every value.
#include <boost/json.hpp>

#include "field_view.hpp"
#include "page.hpp"
#include "pages.hpp"
#include "staff_labels.hpp"
#include "vt/core/date.hpp"
#include "vt/core/geo.hpp"
#include "vt/identity/policy.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;

// What ?hecho= may say after an action: fixed messages, never the query's text.
std::string DoneMessage(std::string_view done) {
    if (done == "oficina-creada") return "La oficina quedó creada.";
    if (done == "funcionario-creado")
        return "La cuenta quedó creada. Le enviamos por correo el enlace para elegir su contraseña.";
    if (done == "roles-cambiados") return "La oficina y los roles quedaron guardados.";
    if (done == "cuenta-activada") return "La cuenta quedó activada.";
    if (done == "cuenta-desactivada") return "La cuenta quedó desactivada y sus sesiones se cerraron.";
    if (done == "segundo-factor-restablecido")
        return "El segundo factor quedó restablecido: la persona lo configurará de nuevo al ingresar.";
    if (done == "token-revocado") return "El token quedó revocado: ya no sirve para nada.";
    return "";
}

std::string Joined(const std::vector<std::string>& items, std::string (*label)(std::string_view)) {
    std::string out;
    for (const std::string& i : items) out += (out.empty() ? "" : ", ") + label(i);
    return out;
}

std::string Same(std::string_view s) { return std::string(s); }

// A token valid until an instant (the end of a day in Guatemala, see
// identity::EndOfGuatemalaDay) is valid through the day before it: "hasta el 31 de diciembre".
std::string ValidUntil(const std::string& rfc3339) {
    auto t = ParseUtc(rfc3339);
    if (!t) return rfc3339;
    auto local = *t - std::chrono::hours{6} - std::chrono::seconds{1};
    return "Hasta el " + core::SpanishLongDate(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(local)});
}

std::string MunicipioLabel(const std::string& code) {
    auto m = core::FindMunicipio(code);
    return m.ok() ? std::string(m->name) + " (" + code + ")" : code;
}

// A form of this page: its controls and its error summary. Field ids carry the form's
// prefix ("oficina-codigo") so that the three forms of the page never share an id.
json::object FormView(std::vector<FieldView>& fields, const std::map<std::string, std::string>& errors) {
    std::vector<std::pair<std::string, std::string>> order;
    json::array controls;
    for (FieldView& f : fields) {
        if (auto it = errors.find(f.id); it != errors.end()) f.error = it->second;
        order.emplace_back(f.id, f.label);
        controls.push_back(f.ToJson());
    }
    return json::object{{"campos", std::move(controls)}, {"errores", ErrorSummary(errors, order)}};
}

// The service's field errors ("codigo") under the names of the form ("oficina-codigo").
std::map<std::string, std::string> Prefixed(const Error& e, const std::string& prefix, const std::string& fallback) {
    std::map<std::string, std::string> out;
    for (const auto& [field, message] : e.fields()) out.emplace(prefix + field, message);
    if (out.empty()) out.emplace(prefix + fallback, e.message());
    return out;
}

std::vector<std::pair<std::string, std::string>> OfficeOptions(const std::vector<identity::Office>& offices) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const identity::Office& o : offices) out.emplace_back(o.code, o.code + " — " + o.name);
    return out;
}

std::vector<std::pair<std::string, std::string>> RoleOptions() {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::string_view r : identity::OfficialRoles()) out.emplace_back(std::string(r), RoleLabel(r));
    return out;
}

// Which form of the admin page was posted, with what and which errors.
struct Posted {
    std::string form;  ///< "oficina", "funcionario", "token"; empty when none.
    Form values;
    std::map<std::string, std::string> errors;
};

http::Response AdminPage(const Site& site, const Visit& visit, const Posted& posted, int status,
                         std::string_view done = {}) {
    identity::IdentityService& id = site.deps().identity;
    auto offices = id.ListOffices(visit.actor());
    if (!offices.ok()) return site.ErrorPage(visit, offices.error());
    auto staff = id.ListStaff(visit.actor());
    if (!staff.ok()) return site.ErrorPage(visit, staff.error());
    auto tokens = id.ListApiTokens(visit.actor());
    if (!tokens.ok()) return site.ErrorPage(visit, tokens.error());

    static const std::map<std::string, std::string> kNoErrors;
    auto values_of = [&](std::string_view form) -> Form { return posted.form == form ? posted.values : Form{}; };
    auto errors_of = [&](std::string_view form) -> const std::map<std::string, std::string>& {
        return posted.form == form ? posted.errors : kNoErrors;
    };

    json::array office_rows;
    for (const identity::Office& o : *offices) {
        office_rows.push_back(json::object{{"codigo", o.code}, {"nombre", o.name}, {"municipio", MunicipioLabel(o.municipio)}});
    }
    Form of = values_of("oficina");
    std::vector<FieldView> office_fields{
        {.id = "oficina-codigo", .label = "Código", .kind = "texto", .value = of.Get("oficina-codigo"),
         .help = "De 2 a 20 letras, dígitos o guiones, por ejemplo IGT o DEP-QUE.", .autocomplete = "off",
         .short_input = true},
        {.id = "oficina-nombre", .label = "Nombre", .kind = "texto", .value = of.Get("oficina-nombre"),
         .autocomplete = "off"},
        {.id = "oficina-municipio", .label = "Municipio", .kind = "texto", .value = of.Get("oficina-municipio"),
         .help = "El código de cuatro dígitos del municipio donde está, por ejemplo 0101 para Guatemala: "
                 "define su feria local.",
         .autocomplete = "off", .input_mode = "numeric", .short_input = true},
    };

    json::array staff_rows;
    for (const identity::Account& a : *staff) {
        bool official = a.kind == identity::AccountKind::kOfficial;
        staff_rows.push_back(json::object{{"id", a.id},
                                          {"nombre", a.name},
                                          {"correo", a.email},
                                          {"tipo", official ? "Funcionario" : "Administración"},
                                          {"oficina", official ? a.office : ""},
                                          {"roles", official ? Joined(a.roles, RoleLabel) : ""},
                                          {"activa", a.active},
                                          {"segundo_factor", a.second_factor}});
    }
    Form sf = values_of("funcionario");
    std::vector<FieldView> staff_fields{
        {.id = "funcionario-correo", .label = "Correo institucional", .kind = "correo",
         .value = sf.Get("funcionario-correo"), .help = "Le enviaremos el enlace para elegir su contraseña.",
         .autocomplete = "off"},
        {.id = "funcionario-nombre", .label = "Nombre completo", .kind = "texto", .value = sf.Get("funcionario-nombre"),
         .autocomplete = "off"},
        {.id = "funcionario-oficina", .label = "Oficina", .kind = "seleccion", .value = sf.Get("funcionario-oficina"),
         .options = OfficeOptions(*offices)},
        {.id = "funcionario-roles", .label = "Roles", .kind = "casillas", .values = sf.GetAll("funcionario-roles"),
         .help = "Al menos uno. Solo quien tiene «Firma de documentos» firma resoluciones y constancias.",
         .options = RoleOptions()},
    };

    json::array token_rows;
    for (const identity::ApiToken& t : *tokens) {
        token_rows.push_back(json::object{{"id", t.id},
                                          {"cliente", t.client},
                                          {"alcances", Joined(t.scopes, Same)},
                                          {"creado", LongDateTime(t.created_at)},
                                          {"vence", t.expires_at ? ValidUntil(*t.expires_at) : "No vence"},
                                          {"revocado", t.revoked_at ? LongDateTime(*t.revoked_at) : ""},
                                          {"ultimo_uso", t.last_used_at ? LongDateTime(*t.last_used_at) : "Nunca"}});
    }
    std::vector<std::pair<std::string, std::string>> scopes;
    for (std::string_view s : identity::KnownScopes()) scopes.emplace_back(std::string(s), std::string(s));
    Form tf = values_of("token");
    std::vector<FieldView> token_fields{
        {.id = "token-cliente", .label = "Sistema que lo usará", .kind = "texto", .value = tf.Get("token-cliente"),
         .help = "Por ejemplo: Banco de Desarrollo Rural, pasarela de pagos.", .autocomplete = "off"},
        {.id = "token-alcances", .label = "Qué puede hacer", .kind = "casillas", .values = tf.GetAll("token-alcances"),
         .help = "Solo lo que ese sistema necesita.", .options = scopes},
        {.id = "token-vence", .label = "Vence (opcional)", .kind = "fecha", .value = tf.Get("token-vence"),
         .help = "Sirve hasta el final de ese día, hora de Guatemala."},
    };

    std::size_t office_count = office_rows.size(), token_count = token_rows.size();
    json::object view{
        {"hecho", DoneMessage(done)},
        {"oficinas", std::move(office_rows)},
        {"hay_oficinas", office_count > 0},
        {"form_oficina", FormView(office_fields, errors_of("oficina"))},
        {"funcionarios", std::move(staff_rows)},
        {"form_funcionario", FormView(staff_fields, errors_of("funcionario"))},
        {"tokens", std::move(token_rows)},
        {"hay_tokens", token_count > 0},
        {"form_token", FormView(token_fields, errors_of("token"))},
    };
    return site.Page(visit, {"admin", "Administración", std::move(view), status, "admin"});
}

http::Response ShowAdmin(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (visit.anonymous()) return site.LoginRedirect(visit);
    return AdminPage(site, visit, {}, 200, Form::Parse(req.query).Get("hecho"));
}

// The shape every action shares: login, CSRF, then `act`, which answers the response.
template <typename Act>
http::Response PostAction(const Site& site, const http::Request& req, Act act) {
    Visit visit = site.Begin(req);
    if (visit.anonymous()) return site.LoginRedirect(visit);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    return act(visit, form);
}

http::Response CreateOffice(const Site& site, const http::Request& req) {
    return PostAction(site, req, [&](const Visit& visit, const Form& form) {
        identity::Office office{form.Get("oficina-codigo"), form.Get("oficina-nombre"), form.Get("oficina-municipio")};
        auto created = site.deps().identity.CreateOffice(visit.actor(), office);
        if (!created.ok()) {
            const Error& e = created.error();
            if (e.kind() == ErrorKind::kInvalid || e.code() == "office-exists") {
                return AdminPage(site, visit, {"oficina", form, Prefixed(e, "oficina-", "codigo")},
                                 e.kind() == ErrorKind::kInvalid ? 422 : 409);
            }
            return site.ErrorPage(visit, e);
        }
        return site.Redirect(visit, "/admin?hecho=oficina-creada#oficinas");
    });
}

http::Response CreateOfficial(const Site& site, const http::Request& req) {
    return PostAction(site, req, [&](const Visit& visit, const Form& form) {
        identity::NewOfficial official{form.Get("funcionario-correo"), form.Get("funcionario-nombre"),
                                       form.Get("funcionario-oficina"), form.GetAll("funcionario-roles")};
        auto created = site.deps().identity.CreateOfficial(visit.actor(), official);
        if (!created.ok()) {
            const Error& e = created.error();
            if (e.kind() == ErrorKind::kInvalid || e.code() == "account-exists") {
                return AdminPage(site, visit, {"funcionario", form, Prefixed(e, "funcionario-", "correo")},
                                 e.kind() == ErrorKind::kInvalid ? 422 : 409);
            }
            return site.ErrorPage(visit, e);
        }
        return site.Redirect(visit, "/admin?hecho=funcionario-creado#funcionarios");
    });
}

std::string AccountId(const http::Request& req) { return http::PercentDecode(req.Param("id"), false); }

http::Response StaffPage(const Site& site, const Visit& visit, const std::string& account_id, const Form* posted,
                         const std::map<std::string, std::string>& errors, int status) {
    identity::IdentityService& id = site.deps().identity;
    auto account = id.GetStaff(visit.actor(), account_id);
    if (!account.ok()) return site.ErrorPage(visit, account.error());
    auto offices = id.ListOffices(visit.actor());
    if (!offices.ok()) return site.ErrorPage(visit, offices.error());
    const identity::Account& a = *account;
    bool official = a.kind == identity::AccountKind::kOfficial;
    json::object view{{"id", a.id},
                      {"nombre", a.name},
                      {"correo", a.email},
                      {"funcionario", official},
                      {"activa", a.active},
                      {"segundo_factor", a.second_factor}};
    if (official) {
        std::vector<FieldView> fields{
            {.id = "oficina", .label = "Oficina", .kind = "seleccion",
             .value = posted ? posted->Get("oficina") : a.office, .options = OfficeOptions(*offices)},
            {.id = "roles", .label = "Roles", .kind = "casillas", .values = posted ? posted->GetAll("roles") : a.roles,
             .help = "Al menos uno.", .options = RoleOptions()},
        };
        view["form_roles"] = FormView(fields, errors);
    }
    return site.Page(visit, {"admin_funcionario", a.name, std::move(view), status, "admin"});
}

http::Response ShowStaff(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (visit.anonymous()) return site.LoginRedirect(visit);
    return StaffPage(site, visit, AccountId(req), nullptr, {}, 200);
}

http::Response ChangeRoles(const Site& site, const http::Request& req) {
    return PostAction(site, req, [&](const Visit& visit, const Form& form) {
        std::string account = AccountId(req);
        Status s = site.deps().identity.SetOfficialRoles(visit.actor(), account, form.Get("oficina"), form.GetAll("roles"));
        if (!s.ok()) {
            if (s.error().kind() == ErrorKind::kInvalid) {
                return StaffPage(site, visit, account, &form, Prefixed(s.error(), "", "roles"), 422);
            }
            return site.ErrorPage(visit, s.error());
        }
        return site.Redirect(visit, "/admin?hecho=roles-cambiados#funcionarios");
    });
}

http::Response ChangeStatus(const Site& site, const http::Request& req) {
    return PostAction(site, req, [&](const Visit& visit, const Form& form) {
        std::string active = form.Get("activa");
        if (active != "si" && active != "no") {
            return site.ErrorPage(visit, Error::Invalid("Indique si la cuenta queda activa o no."));
        }
        // Only staff accounts are managed here: a citizen's id is not found.
        std::string account = AccountId(req);
        auto staff = site.deps().identity.GetStaff(visit.actor(), account);
        if (!staff.ok()) return site.ErrorPage(visit, staff.error());
        Status s = site.deps().identity.SetAccountActive(visit.actor(), account, active == "si");
        if (!s.ok()) return site.ErrorPage(visit, s.error());
        return site.Redirect(visit, std::string("/admin?hecho=") +
                                        (active == "si" ? "cuenta-activada" : "cuenta-desactivada") + "#funcionarios");
    });
}

http::Response ResetSecondFactor(const Site& site, const http::Request& req) {
    return PostAction(site, req, [&](const Visit& visit, const Form&) {
        Status s = site.deps().identity.ResetSecondFactor(visit.actor(), AccountId(req));
        if (!s.ok()) return site.ErrorPage(visit, s.error());
        return site.Redirect(visit, "/admin?hecho=segundo-factor-restablecido#funcionarios");
    });
}

http::Response IssueToken(const Site& site, const http::Request& req) {
    return PostAction(site, req, [&](const Visit& visit, const Form& form) {
        identity::ApiTokenRequest request{form.Get("token-cliente"), form.GetAll("token-alcances"), std::nullopt};
        std::string expires = form.Get("token-vence");
        if (!expires.empty()) {
            auto date = core::ParseIsoDate(expires);
            if (!date.ok()) {
                // AdminPage shows the form again to administrators only.
                return AdminPage(site, visit, {"token", form, {{"token-vence", date.error().message()}}}, 422);
            }
            request.expires_at = identity::EndOfGuatemalaDay(*date);
        }
        auto issued = site.deps().identity.CreateApiToken(visit.actor(), request);
        if (!issued.ok()) {
            const Error& e = issued.error();
            if (e.kind() == ErrorKind::kInvalid) return AdminPage(site, visit, {"token", form, Prefixed(e, "token-", "cliente")}, 422);
            return site.ErrorPage(visit, e);
        }
        json::object view{{"token", issued->first},
                          {"cliente", issued->second.client},
                          {"alcances", Joined(issued->second.scopes, Same)}};
        return site.Page(visit, {"admin_token", "Token emitido", std::move(view), 201, "admin"});
    });
}

http::Response RevokeToken(const Site& site, const http::Request& req) {
    return PostAction(site, req, [&](const Visit& visit, const Form&) {
        Status s = site.deps().identity.RevokeApiToken(visit.actor(), AccountId(req));
        if (!s.ok()) return site.ErrorPage(visit, s.error());
        return site.Redirect(visit, "/admin?hecho=token-revocado#tokens");
    });
}

}  // namespace

void AddAdminPages(http::Router& router, const std::shared_ptr<const Site>& site) {
    const http::RouteOptions form{.accepts = {"application/x-www-form-urlencoded"}};
    router.Add("GET", "/admin", [site](const http::Request& r) { return ShowAdmin(*site, r); });
    router.Add("POST", "/admin/oficinas", [site](const http::Request& r) { return CreateOffice(*site, r); }, form);
    router.Add("POST", "/admin/funcionarios", [site](const http::Request& r) { return CreateOfficial(*site, r); }, form);
    router.Add("GET", "/admin/funcionarios/{id}", [site](const http::Request& r) { return ShowStaff(*site, r); });
    router.Add("POST", "/admin/funcionarios/{id}/roles", [site](const http::Request& r) { return ChangeRoles(*site, r); },
               form);
    router.Add("POST", "/admin/funcionarios/{id}/estado",
               [site](const http::Request& r) { return ChangeStatus(*site, r); }, form);
    router.Add("POST", "/admin/funcionarios/{id}/segundo-factor",
               [site](const http::Request& r) { return ResetSecondFactor(*site, r); }, form);
    router.Add("POST", "/admin/tokens", [site](const http::Request& r) { return IssueToken(*site, r); }, form);
    router.Add("POST", "/admin/tokens/{id}/revocacion", [site](const http::Request& r) { return RevokeToken(*site, r); },
               form);
}

}  // namespace vt::web
