// The JSON endpoints of accounts, sessions, organizations and the back office: parse, call
// IdentityService, render.
#include <boost/json.hpp>

#include <functional>
#include <map>

#include "vt/core/date.hpp"
#include "vt/identity/api.hpp"
#include "vt/identity/policy.hpp"

namespace vt::identity {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

const http::RouteOptions kJsonBody{.accepts = {"application/json"}};

// Reads string fields of a JSON body; wrong types are collected as field errors.
class Fields {
public:
    explicit Fields(const json::object& body) : body_(body) {}

    std::string Text(const char* key) {
        const json::value* v = body_.if_contains(key);
        if (!v || v->is_null()) return {};
        if (!v->is_string()) {
            errors_[key] = "Debe ser texto.";
            return {};
        }
        return std::string(v->get_string());
    }

    std::vector<std::string> TextList(const char* key) {
        std::vector<std::string> out;
        const json::value* v = body_.if_contains(key);
        if (!v || v->is_null()) return out;
        if (!v->is_array()) {
            errors_[key] = "Debe ser una lista de textos.";
            return out;
        }
        for (const json::value& item : v->get_array()) {
            if (!item.is_string()) {
                errors_[key] = "Debe ser una lista de textos.";
                return {};
            }
            out.emplace_back(item.get_string());
        }
        return out;
    }

    std::optional<bool> Bool(const char* key) {
        const json::value* v = body_.if_contains(key);
        if (!v || v->is_null()) return std::nullopt;
        if (!v->is_bool()) {
            errors_[key] = "Debe ser true o false.";
            return std::nullopt;
        }
        return v->get_bool();
    }

    /// Ok, or kInvalid naming every field with the wrong type.
    Status Check() const {
        if (errors_.empty()) return Ok();
        return Error::Invalid("Revise los datos enviados.", errors_);
    }

private:
    const json::object& body_;
    std::map<std::string, std::string> errors_;
};

Error LoginRequired() {
    return Error(ErrorKind::kUnauthenticated, "login-required", "Inicie sesión para continuar.");
}

json::object AccountJson(const Account& a) {
    json::array roles(a.roles.begin(), a.roles.end());
    json::array orgs;
    for (const Membership& m : a.organizations) {
        orgs.push_back(
            json::object{{"nit", m.nit}, {"razon_social", m.legal_name}, {"rol", m.role}});
    }
    json::object o{{"id", a.id},
                   {"tipo", AccountKindName(a.kind)},
                   {"nombre", a.name},
                   {"correo", a.email},
                   {"correo_verificado", a.email_verified},
                   {"segundo_factor", a.second_factor}};
    if (!a.cui.empty()) o["cui"] = a.cui;
    if (!a.phone.empty()) o["telefono"] = a.phone;
    if (a.kind == AccountKind::kOfficial) {
        o["oficina"] = a.office;
        o["roles"] = std::move(roles);
    }
    if (a.kind == AccountKind::kCitizen) o["organizaciones"] = std::move(orgs);
    return o;
}

json::object StaffJson(const Account& a) {
    json::object o{{"id", a.id},         {"tipo", AccountKindName(a.kind)},
                   {"nombre", a.name},   {"correo", a.email},
                   {"activa", a.active}, {"segundo_factor", a.second_factor}};
    if (a.kind == AccountKind::kOfficial) {
        o["oficina"] = a.office;
        o["roles"] = json::array(a.roles.begin(), a.roles.end());
    }
    return o;
}

json::object OfficeJson(const Office& o) {
    return json::object{{"codigo", o.code}, {"nombre", o.name}, {"municipio", o.municipio}};
}

json::object TokenJson(const ApiToken& t) {
    auto opt = [](const std::optional<std::string>& v) {
        return v ? json::value(*v) : json::value(nullptr);
    };
    return json::object{{"id", t.id},
                        {"cliente", t.client},
                        {"alcances", json::array(t.scopes.begin(), t.scopes.end())},
                        {"creado", t.created_at},
                        {"vence", opt(t.expires_at)},
                        {"revocado", opt(t.revoked_at)},
                        {"ultimo_uso", opt(t.last_used_at)}};
}

// The wiring every handler shares: authenticate, check CSRF on state-changing requests,
// run the handler, clear a stale cookie. Handlers receive the Authentication.
using AuthHandler = std::function<Result<Response>(const Request&, const Authentication&)>;

http::Handler Wrap(std::shared_ptr<const Authenticator> authenticator, AuthHandler handler) {
    return [authenticator = std::move(authenticator),
            handler = std::move(handler)](const Request& request) {
        auto auth = authenticator->Authenticate(request);
        if (!auth.ok()) return http::ErrorResponse(auth.error());
        Response response;
        Status csrf = CheckCsrf(request, *auth);
        if (!csrf.ok()) {
            response = http::ErrorResponse(csrf.error());
        } else {
            auto result = handler(request, *auth);
            response =
                result.ok() ? std::move(result).value() : http::ErrorResponse(result.error());
        }
        ApplyCookieEffects(*auth, authenticator->options(), response);
        return response;
    };
}

// For the endpoints that act on no one's authority (registration, login, links from
// emails): no authentication, so no CSRF check either.
http::Handler Public(std::function<Result<Response>(const Request&)> handler) {
    return [handler = std::move(handler)](const Request& request) {
        auto result = handler(request);
        return result.ok() ? std::move(result).value() : http::ErrorResponse(result.error());
    };
}

Response NoContent() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

// The person behind a request: an account's actor, or LoginRequired.
Result<core::Actor> Person(const Authentication& auth) {
    if (auth.actor.id.empty() || auth.actor.kind == core::Actor::Kind::kAnonymous)
        return LoginRequired();
    return auth.actor;
}

// The back office: offices, officials and administrators, API tokens. Every handler asks
// IdentityService, which asks the policy (kAdminManage).
void AddAdminRoutes(http::Router& router, IdentityService* id,
                    const std::shared_ptr<const Authenticator>& authenticator) {
    router.Add(
        "GET", "/api/v1/admin/oficinas",
        Wrap(authenticator, [id](const Request&, const Authentication& auth) -> Result<Response> {
            VT_ASSIGN_OR_RETURN(auto offices, id->ListOffices(auth.actor));
            json::array items;
            for (const Office& o : offices) items.push_back(OfficeJson(o));
            return http::Json(json::object{{"oficinas", std::move(items)}});
        }));

    router.Add("POST", "/api/v1/admin/oficinas",
               Wrap(authenticator,
                    [id](const Request& req, const Authentication& auth) -> Result<Response> {
                        VT_RETURN_IF_ERROR(Authorize(auth.actor, Action::kAdminManage, {}));
                        VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                        Fields f(body);
                        Office office{f.Text("codigo"), f.Text("nombre"), f.Text("municipio")};
                        VT_RETURN_IF_ERROR(f.Check());
                        VT_ASSIGN_OR_RETURN(Office created, id->CreateOffice(auth.actor, office));
                        return http::Json(OfficeJson(created), 201);
                    }),
               kJsonBody);

    router.Add(
        "GET", "/api/v1/admin/funcionarios",
        Wrap(authenticator, [id](const Request&, const Authentication& auth) -> Result<Response> {
            VT_ASSIGN_OR_RETURN(auto staff, id->ListStaff(auth.actor));
            json::array items;
            for (const Account& a : staff) items.push_back(StaffJson(a));
            return http::Json(json::object{{"funcionarios", std::move(items)}});
        }));

    router.Add("POST", "/api/v1/admin/funcionarios",
               Wrap(authenticator,
                    [id](const Request& req, const Authentication& auth) -> Result<Response> {
                        VT_RETURN_IF_ERROR(Authorize(auth.actor, Action::kAdminManage, {}));
                        VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                        Fields f(body);
                        NewOfficial official{f.Text("correo"), f.Text("nombre"), f.Text("oficina"),
                                             f.TextList("roles")};
                        VT_RETURN_IF_ERROR(f.Check());
                        VT_ASSIGN_OR_RETURN(NewStaffAccount created,
                                            id->CreateOfficial(auth.actor, official));
                        VT_ASSIGN_OR_RETURN(Account account, id->GetStaff(auth.actor, created.id));
                        json::object o = StaffJson(account);
                        o["mensaje"] =
                            "Enviamos a " + account.email + " el enlace para elegir la contraseña.";
                        Response r = http::Json(o, 201);
                        r.Set("Location", "/api/v1/admin/funcionarios/" + account.id);
                        return r;
                    }),
               kJsonBody);

    router.Add(
        "PUT", "/api/v1/admin/funcionarios/{id}/roles",
        Wrap(authenticator,
             [id](const Request& req, const Authentication& auth) -> Result<Response> {
                 VT_RETURN_IF_ERROR(Authorize(auth.actor, Action::kAdminManage, {}));
                 VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 Fields f(body);
                 std::string office = f.Text("oficina");
                 std::vector<std::string> roles = f.TextList("roles");
                 VT_RETURN_IF_ERROR(f.Check());
                 std::string account = http::PercentDecode(req.Param("id"), false);
                 VT_RETURN_IF_ERROR(id->SetOfficialRoles(auth.actor, account, office, roles));
                 VT_ASSIGN_OR_RETURN(Account updated, id->GetStaff(auth.actor, account));
                 return http::Json(StaffJson(updated));
             }),
        kJsonBody);

    router.Add("POST", "/api/v1/admin/funcionarios/{id}/estado",
               Wrap(authenticator,
                    [id](const Request& req, const Authentication& auth) -> Result<Response> {
                        VT_RETURN_IF_ERROR(Authorize(auth.actor, Action::kAdminManage, {}));
                        VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                        Fields f(body);
                        std::optional<bool> active = f.Bool("activa");
                        VT_RETURN_IF_ERROR(f.Check());
                        if (!active) {
                            return Error::Invalid(
                                "Revise los datos enviados.",
                                {{"activa", "Indique true para activar o false para desactivar."}});
                        }
                        // Citizens' accounts are not managed here: they are not found.
                        std::string account = http::PercentDecode(req.Param("id"), false);
                        VT_ASSIGN_OR_RETURN(Account staff, id->GetStaff(auth.actor, account));
                        VT_RETURN_IF_ERROR(id->SetAccountActive(auth.actor, account, *active));
                        staff.active = *active;
                        return http::Json(StaffJson(staff));
                    }),
               kJsonBody);

    router.Add(
        "GET", "/api/v1/admin/tokens",
        Wrap(authenticator, [id](const Request&, const Authentication& auth) -> Result<Response> {
            VT_ASSIGN_OR_RETURN(auto tokens, id->ListApiTokens(auth.actor));
            json::array items;
            for (const ApiToken& t : tokens) items.push_back(TokenJson(t));
            return http::Json(json::object{{"tokens", std::move(items)}});
        }));

    router.Add(
        "POST", "/api/v1/admin/tokens",
        Wrap(authenticator,
             [id](const Request& req, const Authentication& auth) -> Result<Response> {
                 VT_RETURN_IF_ERROR(Authorize(auth.actor, Action::kAdminManage, {}));
                 VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 Fields f(body);
                 ApiTokenRequest request{f.Text("cliente"), f.TextList("alcances"), std::nullopt};
                 std::string expires = f.Text("vence");
                 VT_RETURN_IF_ERROR(f.Check());
                 if (!expires.empty()) {
                     auto date = core::ParseIsoDate(expires);
                     if (!date.ok()) {
                         return Error::Invalid("Revise los datos del token.",
                                               {{"vence", date.error().message()}});
                     }
                     request.expires_at = EndOfGuatemalaDay(*date);
                 }
                 VT_ASSIGN_OR_RETURN(auto issued, id->CreateApiToken(auth.actor, request));
                 json::object o = TokenJson(issued.second);
                 o["token"] = issued.first;
                 Response r = http::Json(o, 201);
                 r.Set("Cache-Control", "no-store");
                 return r;
             }),
        kJsonBody);

    router.Add("DELETE", "/api/v1/admin/tokens/{id}",
               Wrap(authenticator,
                    [id](const Request& req, const Authentication& auth) -> Result<Response> {
                        VT_RETURN_IF_ERROR(id->RevokeApiToken(
                            auth.actor, http::PercentDecode(req.Param("id"), false)));
                        return NoContent();
                    }));
}

}  // namespace

void AddIdentityRoutes(http::Router& router, IdentityService& identity,
                       const IdentityApiOptions& options) {
    auto authenticator = std::make_shared<const Authenticator>(identity, options);
    IdentityService* id = &identity;

    router.Add(
        "POST", "/api/v1/cuentas", Public([id](const Request& req) -> Result<Response> {
            VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
            Fields f(body);
            Registration r{f.Text("cui"), f.Text("nombre"), f.Text("correo"), f.Text("telefono"),
                           f.Text("contrasena")};
            VT_RETURN_IF_ERROR(f.Check());
            VT_ASSIGN_OR_RETURN(std::string account, id->RegisterCitizen(r));
            return http::Json(
                json::object{{"id", account},
                             {"correo_verificado", false},
                             {"mensaje", "Le enviamos un correo para confirmar su dirección."}},
                201);
        }),
        kJsonBody);

    router.Add("POST", "/api/v1/cuentas/verificacion",
               Public([id](const Request& req) -> Result<Response> {
                   VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                   Fields f(body);
                   std::string token = f.Text("token");
                   VT_RETURN_IF_ERROR(f.Check());
                   VT_RETURN_IF_ERROR(id->VerifyEmail(token));
                   return http::Json(json::object{{"correo_verificado", true}});
               }),
               kJsonBody);

    router.Add(
        "POST", "/api/v1/sesiones", Public([id, options](const Request& req) -> Result<Response> {
            VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
            Fields f(body);
            LoginRequest login{f.Text("usuario"), f.Text("contrasena"), f.Text("codigo"),
                               ClientAddress(req, options),
                               std::string(CookieValue(req, options.cookie_name))};
            VT_RETURN_IF_ERROR(f.Check());
            VT_ASSIGN_OR_RETURN(SessionGrant grant, id->Login(login));
            Response r = http::Json(
                json::object{{"id", grant.account_id},
                             {"csrf", grant.csrf_token},
                             {"segundo_factor_pendiente", grant.second_factor_enrolment_pending}},
                201);
            r.Set("Set-Cookie",
                  SessionCookie(options, grant.token, id->options().session_absolute_timeout));
            r.Set("Cache-Control", "no-store");
            return r;
        }),
        kJsonBody);

    router.Add("DELETE", "/api/v1/sesiones/actual",
               Wrap(authenticator,
                    [id, options](const Request&, const Authentication& auth) -> Result<Response> {
                        if (!auth.session_token.empty())
                            VT_RETURN_IF_ERROR(id->Logout(auth.session_token));
                        Response r = NoContent();
                        r.Set("Set-Cookie", ExpiredSessionCookie(options));
                        return r;
                    }));

    router.Add("DELETE", "/api/v1/sesiones",
               Wrap(authenticator,
                    [id, options](const Request&, const Authentication& auth) -> Result<Response> {
                        VT_ASSIGN_OR_RETURN(core::Actor actor, Person(auth));
                        VT_RETURN_IF_ERROR(id->LogoutEverywhere(actor));
                        Response r = NoContent();
                        r.Set("Set-Cookie", ExpiredSessionCookie(options));
                        return r;
                    }));

    router.Add("POST", "/api/v1/cuentas/restablecimiento",
               Public([id](const Request& req) -> Result<Response> {
                   VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                   Fields f(body);
                   std::string email = f.Text("correo");
                   VT_RETURN_IF_ERROR(f.Check());
                   VT_RETURN_IF_ERROR(id->RequestPasswordReset(email));
                   return http::Json(
                       json::object{{"mensaje",
                                     "Si el correo corresponde a una cuenta, le enviamos un "
                                     "enlace para restablecer la contraseña."}},
                       202);
               }),
               kJsonBody);

    router.Add("POST", "/api/v1/cuentas/restablecimiento/confirmacion",
               Public([id](const Request& req) -> Result<Response> {
                   VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                   Fields f(body);
                   std::string token = f.Text("token");
                   std::string password = f.Text("contrasena");
                   VT_RETURN_IF_ERROR(f.Check());
                   VT_RETURN_IF_ERROR(id->ResetPassword(token, password));
                   return http::Json(json::object{
                       {"mensaje", "Su contraseña cambió. Inicie sesión con la nueva."}});
               }),
               kJsonBody);

    router.Add(
        "GET", "/api/v1/cuentas/yo",
        Wrap(authenticator, [id](const Request&, const Authentication& auth) -> Result<Response> {
            if (auth.second_factor_enrolment_pending) {
                return http::Json(json::object{{"id", auth.account_id},
                                               {"segundo_factor_pendiente", true},
                                               {"csrf", auth.csrf_token}});
            }
            VT_ASSIGN_OR_RETURN(core::Actor actor, Person(auth));
            VT_ASSIGN_OR_RETURN(Account account, id->Me(actor));
            json::object o = AccountJson(account);
            if (!actor.organization.empty()) o["actuando_por"] = actor.organization;
            if (auth.via == Authentication::Via::kCookie) o["csrf"] = auth.csrf_token;
            Response r = http::Json(o);
            r.Set("Cache-Control", "no-store");
            return r;
        }));

    // Second-factor enrolment works for the account of a session that is waiting for it, and
    // for any logged-in official or administrator (IdentityService refuses citizens).
    auto enrolling_account = [](const Authentication& auth) -> Result<std::string> {
        if (auth.second_factor_enrolment_pending) return auth.account_id;
        VT_ASSIGN_OR_RETURN(core::Actor actor, Person(auth));
        VT_RETURN_IF_ERROR(Authorize(actor, Action::kAccountManage, Resource{.owner = actor.id}));
        return actor.id;
    };

    router.Add("POST", "/api/v1/cuentas/yo/segundo-factor",
               Wrap(authenticator,
                    [id, enrolling_account](const Request&,
                                            const Authentication& auth) -> Result<Response> {
                        VT_ASSIGN_OR_RETURN(std::string account, enrolling_account(auth));
                        VT_ASSIGN_OR_RETURN(TotpEnrolment e, id->BeginTotpEnrolment(account));
                        Response r = http::Json(
                            json::object{{"secreto", e.secret_base32}, {"uri", e.otpauth_uri}},
                            201);
                        r.Set("Cache-Control", "no-store");
                        return r;
                    }));

    router.Add("POST", "/api/v1/cuentas/yo/segundo-factor/confirmacion",
               Wrap(authenticator,
                    [id, enrolling_account](const Request& req,
                                            const Authentication& auth) -> Result<Response> {
                        VT_ASSIGN_OR_RETURN(std::string account, enrolling_account(auth));
                        VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                        Fields f(body);
                        std::string code = f.Text("codigo");
                        VT_RETURN_IF_ERROR(f.Check());
                        VT_RETURN_IF_ERROR(id->ConfirmTotpEnrolment(account, code));
                        return http::Json(json::object{{"segundo_factor", true}});
                    }),
               kJsonBody);

    router.Add(
        "POST", "/api/v1/organizaciones",
        Wrap(authenticator,
             [id](const Request& req, const Authentication& auth) -> Result<Response> {
                 VT_RETURN_IF_ERROR(Authorize(auth.actor, Action::kOrganizationCreate, {}));
                 VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 Fields f(body);
                 std::string nit = f.Text("nit");
                 std::string name = f.Text("razon_social");
                 VT_RETURN_IF_ERROR(f.Check());
                 VT_ASSIGN_OR_RETURN(Membership m, id->RegisterOrganization(auth.actor, nit, name));
                 return http::Json(
                     json::object{{"nit", m.nit}, {"razon_social", m.legal_name}, {"rol", m.role}},
                     201);
             }),
        kJsonBody);

    router.Add(
        "POST", "/api/v1/organizaciones/{nit}/representantes",
        Wrap(authenticator,
             [id](const Request& req, const Authentication& auth) -> Result<Response> {
                 VT_ASSIGN_OR_RETURN(core::Actor actor, Person(auth));
                 VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                 Fields f(body);
                 std::string cui = f.Text("cui");
                 std::string role = f.Text("rol");
                 VT_RETURN_IF_ERROR(f.Check());
                 std::string nit = http::PercentDecode(req.Param("nit"), false);
                 VT_RETURN_IF_ERROR(id->AddRepresentative(actor, nit, cui, role));
                 return http::Json(
                     json::object{{"nit", nit},
                                  {"cui", cui},
                                  {"rol", role.empty() ? std::string(kRepresentativeRole) : role}},
                     201);
             }),
        kJsonBody);

    router.Add("DELETE", "/api/v1/organizaciones/{nit}/representantes",
               Wrap(authenticator,
                    [id](const Request& req, const Authentication& auth) -> Result<Response> {
                        VT_ASSIGN_OR_RETURN(core::Actor actor, Person(auth));
                        std::string cui = req.QueryParam("cui").value_or("");
                        if (cui.empty() && !req.body.empty()) {
                            VT_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
                            Fields f(body);
                            cui = f.Text("cui");
                            VT_RETURN_IF_ERROR(f.Check());
                        }
                        std::string nit = http::PercentDecode(req.Param("nit"), false);
                        VT_RETURN_IF_ERROR(id->RemoveRepresentative(actor, nit, cui));
                        return NoContent();
                    }),
               kJsonBody);

    router.Add(
        "GET", "/api/v1/organizaciones/{nit}/representantes",
        Wrap(authenticator,
             [id](const Request& req, const Authentication& auth) -> Result<Response> {
                 VT_ASSIGN_OR_RETURN(core::Actor actor, Person(auth));
                 std::string nit = http::PercentDecode(req.Param("nit"), false);
                 VT_ASSIGN_OR_RETURN(auto list, id->ListRepresentatives(actor, nit));
                 json::array items;
                 for (const Representative& r : list) {
                     items.push_back(json::object{
                         {"cui", r.cui}, {"nombre", r.name}, {"rol", r.role}, {"desde", r.since}});
                 }
                 return http::Json(json::object{{"representantes", std::move(items)}});
             }));

    AddAdminRoutes(router, id, authenticator);
}

}  // namespace vt::identity
