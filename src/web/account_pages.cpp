// Account pages: log in and out, register, confirm the email, reset a password, and
// activate a staff account. The links mailed by identity point here.
#include <boost/json.hpp>

#include "field_view.hpp"
#include "page.hpp"
#include "pages.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;

json::array Controls(const std::vector<FieldView>& fields) {
    json::array out;
    for (const FieldView& f : fields) out.push_back(f.ToJson());
    return out;
}

std::vector<std::pair<std::string, std::string>> Order(const std::vector<FieldView>& fields) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const FieldView& f : fields) out.emplace_back(f.id, f.label);
    return out;
}

// Puts each field's message beside it, and returns the summary for the top of the form.
json::array ApplyErrors(std::vector<FieldView>& fields, const std::map<std::string, std::string>& errors) {
    for (FieldView& f : fields) {
        if (auto it = errors.find(f.id); it != errors.end()) f.error = it->second;
    }
    return ErrorSummary(errors, Order(fields));
}

// Where a person lands after logging in, when they did not come from a page.
std::string HomeOf(const core::Actor& actor) {
    switch (actor.kind) {
        case core::Actor::Kind::kOfficial: return "/bandeja";
        case core::Actor::Kind::kAdministrator: return "/admin";
        case core::Actor::Kind::kCitizen: return "/mis-tramites";
        default: return "/";
    }
}

// ---- Log in -------------------------------------------------------------------------

std::vector<FieldView> LoginFields(const Form& form, bool ask_code) {
    std::vector<FieldView> f;
    f.push_back({.id = "usuario", .label = "Correo electrónico o número de DPI", .kind = "texto",
                 .value = form.Get("usuario"), .autocomplete = "username"});
    f.push_back({.id = "contrasena", .label = "Contraseña", .kind = "contrasena", .autocomplete = "current-password"});
    if (ask_code) {
        f.push_back({.id = "codigo", .label = "Código de verificación", .kind = "texto",
                     .help = "Los 6 dígitos que muestra su aplicación de autenticación.",
                     .autocomplete = "one-time-code", .input_mode = "numeric", .short_input = true});
    }
    return f;
}

http::Response LoginPage(const Site& site, const Visit& visit, const Form& form, bool ask_code,
                         const std::map<std::string, std::string>& errors, int status) {
    std::vector<FieldView> fields = LoginFields(form, ask_code);
    json::object view{{"errores", ApplyErrors(fields, errors)},
                      {"campos", Controls(fields)},
                      {"volver", SafeReturnPath(form.Get("volver"))}};
    return site.Page(visit, {"ingresar", "Ingresar", std::move(view), status, "ingresar"});
}

http::Response ShowLogin(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form query = Form::Parse(req.query);
    if (!visit.anonymous()) return site.Redirect(visit, HomeOf(visit.actor()));
    return LoginPage(site, visit, query, false, {}, 200);
}

http::Response DoLogin(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    const auto& options = site.deps().authenticator.options();
    identity::LoginRequest login{form.Get("usuario"), form.Get("contrasena"), form.Get("codigo"),
                                 identity::ClientAddress(req, options),
                                 std::string(identity::CookieValue(req, options.cookie_name))};
    std::map<std::string, std::string> errors;
    if (login.login.empty()) errors["usuario"] = "Escriba su correo electrónico o su número de DPI.";
    if (login.password.empty()) errors["contrasena"] = "Escriba su contraseña.";
    bool ask_code = form.Has("codigo");
    if (!errors.empty()) return LoginPage(site, visit, form, ask_code, errors, 422);

    auto grant = site.deps().identity.Login(login);
    if (!grant.ok()) {
        const Error& e = grant.error();
        if (e.code() == "second-factor-required") {
            return LoginPage(site, visit, form, true, {{"codigo", "Escriba el código de su aplicación de autenticación."}}, 401);
        }
        if (e.code() == "second-factor-invalid") {
            return LoginPage(site, visit, form, true, {{"codigo", "El código no es correcto o ya venció. Escriba el código que muestra ahora su aplicación."}}, 401);
        }
        if (e.code() == "login-failed") {
            return LoginPage(site, visit, form, ask_code,
                             {{"usuario", "El usuario o la contraseña no son correctos."}}, 401);
        }
        if (e.code() == "email-not-verified") {
            return LoginPage(site, visit, form, ask_code,
                             {{"usuario", "Todavía no confirmó su correo. Abra el enlace que le enviamos al registrarse."}}, 403);
        }
        if (e.kind() == ErrorKind::kRateLimited) {
            return LoginPage(site, visit, form, ask_code, {{"usuario", e.message()}}, 429);
        }
        return site.ErrorPage(visit, e);
    }
    std::string target = form.Get("volver");
    if (grant->second_factor_enrolment_pending) {
        target = "/cuenta/segundo-factor";
    } else if (target.empty() || target == "/") {
        // The new session's actor decides the landing page.
        auto session = site.deps().identity.AuthenticateSession(grant->token);
        target = session.ok() ? HomeOf(session->actor) : "/";
    }
    http::Response r = site.Redirect(visit, SafeReturnPath(target));
    r.Set("Set-Cookie", identity::SessionCookie(options, grant->token,
                                                site.deps().identity.options().session_absolute_timeout));
    return r;
}

http::Response DoLogout(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!visit.anonymous() && !site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    if (!visit.auth.session_token.empty()) {
        if (Status s = site.deps().identity.Logout(visit.auth.session_token); !s.ok()) {
            return site.ErrorPage(visit, s.error());
        }
    }
    http::Response r = site.Redirect(visit, "/");
    r.Set("Set-Cookie", identity::ExpiredSessionCookie(site.deps().authenticator.options()));
    return r;
}

// ---- Register -----------------------------------------------------------------------

std::vector<FieldView> RegistrationFields(const Form& form) {
    std::vector<FieldView> f;
    f.push_back({.id = "cui", .label = "Número de DPI (CUI)", .kind = "texto", .value = form.Get("cui"),
                 .help = "Los 13 dígitos de su Documento Personal de Identificación.", .autocomplete = "off",
                 .input_mode = "numeric"});
    f.push_back({.id = "nombre", .label = "Nombre completo", .kind = "texto", .value = form.Get("nombre"),
                 .autocomplete = "name"});
    f.push_back({.id = "correo", .label = "Correo electrónico", .kind = "correo", .value = form.Get("correo"),
                 .help = "Le enviaremos un enlace para confirmarlo."});
    f.push_back({.id = "telefono", .label = "Teléfono (opcional)", .kind = "telefono", .value = form.Get("telefono"),
                 .help = "8 dígitos."});
    f.push_back({.id = "contrasena", .label = "Contraseña", .kind = "contrasena",
                 .help = "Al menos 10 caracteres. Una frase que recuerde es una buena contraseña.",
                 .autocomplete = "new-password"});
    return f;
}

http::Response RegistrationPage(const Site& site, const Visit& visit, const Form& form,
                                const std::map<std::string, std::string>& errors, int status) {
    std::vector<FieldView> fields = RegistrationFields(form);
    json::object view{{"errores", ApplyErrors(fields, errors)}, {"campos", Controls(fields)}};
    return site.Page(visit, {"registro", "Crear una cuenta", std::move(view), status, "ingresar"});
}

http::Response ShowRegistration(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    return RegistrationPage(site, visit, Form{}, {}, 200);
}

http::Response DoRegistration(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    identity::Registration reg{form.Get("cui"), form.Get("nombre"), form.Get("correo"), form.Get("telefono"),
                               form.Get("contrasena")};
    auto created = site.deps().identity.RegisterCitizen(reg);
    if (!created.ok()) {
        const Error& e = created.error();
        if (e.kind() == ErrorKind::kInvalid) return RegistrationPage(site, visit, form, e.fields(), 422);
        if (e.code() == "account-exists") {
            return RegistrationPage(site, visit, form,
                                    {{"cui", "Ya existe una cuenta con ese DPI o ese correo. Ingrese con ella o "
                                             "restablezca su contraseña."}},
                                    409);
        }
        return site.ErrorPage(visit, e);
    }
    json::object view{{"correo", reg.email}};
    return site.Page(visit, {"registro_enviado", "Revise su correo", std::move(view), 201, "ingresar"});
}

// ---- Confirm the email ----------------------------------------------------------------

// The link opens a page with a button instead of confirming on GET: mail scanners that
// open links must not use up the token.
http::Response ShowVerify(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form query = Form::Parse(req.query);
    json::object view{{"token", query.Get("token")}};
    return site.Page(visit, {"verificar_correo", "Confirmar su correo", std::move(view), 200, "ingresar"});
}

http::Response DoVerify(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    Status s = site.deps().identity.VerifyEmail(form.Get("token"));
    if (!s.ok()) {
        if (s.error().kind() != ErrorKind::kInvalid) return site.ErrorPage(visit, s.error());
        json::object view{{"token", form.Get("token")},
                          {"fallo", "El enlace no es válido: ya se usó o venció. Si su cuenta sigue sin confirmar, "
                                    "regístrese de nuevo dentro de 48 horas o pida ayuda."}};
        return site.Page(visit, {"verificar_correo", "Confirmar su correo", std::move(view), 422, "ingresar"});
    }
    json::object view{{"confirmado", true}};
    return site.Page(visit, {"verificar_correo", "Correo confirmado", std::move(view), 200, "ingresar"});
}

// ---- Password reset and staff activation ----------------------------------------------

http::Response ShowResetRequest(const Site& site, const Visit& visit, const Form& form,
                                const std::map<std::string, std::string>& errors, int status) {
    std::vector<FieldView> fields{{.id = "correo", .label = "Correo electrónico de su cuenta", .kind = "correo",
                                   .value = form.Get("correo")}};
    json::object view{{"errores", ApplyErrors(fields, errors)}, {"campos", Controls(fields)}, {"pedir", true}};
    return site.Page(visit, {"restablecer", "Restablecer su contraseña", std::move(view), status, "ingresar"});
}

http::Response ShowNewPassword(const Site& site, const Visit& visit, std::string_view path, const std::string& token,
                               const std::map<std::string, std::string>& errors, int status) {
    std::vector<FieldView> fields{{.id = "contrasena", .label = "Nueva contraseña", .kind = "contrasena",
                                   .help = "Al menos 10 caracteres.", .autocomplete = "new-password"}};
    bool activation = path == "/cuenta/activar";
    json::object view{{"errores", ApplyErrors(fields, errors)},
                      {"campos", Controls(fields)},
                      {"token", token},
                      {"accion", path},
                      {"activar", activation}};
    return site.Page(visit, {"restablecer", activation ? "Activar su cuenta" : "Elegir una nueva contraseña",
                             std::move(view), status, "ingresar"});
}

http::Response ShowReset(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form query = Form::Parse(req.query);
    std::string token = query.Get("token");
    if (token.empty() && req.path == "/cuenta/restablecer") return ShowResetRequest(site, visit, query, {}, 200);
    if (token.empty()) {
        json::object view{{"vencido", true}};
        return site.Page(visit, {"restablecer", "El enlace ya no sirve", std::move(view), 200, "ingresar"});
    }
    return ShowNewPassword(site, visit, req.path, token, {}, 200);
}

http::Response DoReset(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    if (!form.Has("token")) {
        std::string email = form.Get("correo");
        if (email.empty()) {
            return ShowResetRequest(site, visit, form, {{"correo", "Escriba el correo de su cuenta."}}, 422);
        }
        if (Status s = site.deps().identity.RequestPasswordReset(email); !s.ok()) {
            return site.ErrorPage(visit, s.error());
        }
        json::object view{{"enviado", true}, {"correo", email}};
        return site.Page(visit, {"restablecer", "Revise su correo", std::move(view), 202, "ingresar"});
    }
    std::string token = form.Get("token");
    Status s = site.deps().identity.ResetPassword(token, form.Get("contrasena"));
    if (!s.ok()) {
        const Error& e = s.error();
        if (e.code() == "password-weak" || e.fields().count("contrasena")) {
            auto fields = e.fields();
            if (!fields.count("contrasena")) fields["contrasena"] = e.message();
            return ShowNewPassword(site, visit, req.path, token, fields, 422);
        }
        if (e.kind() == ErrorKind::kInvalid) {
            json::object view{{"vencido", true}};
            return site.Page(visit, {"restablecer", "El enlace ya no sirve", std::move(view), 422, "ingresar"});
        }
        return site.ErrorPage(visit, e);
    }
    json::object view{{"listo", true}};
    return site.Page(visit, {"restablecer", "Contraseña guardada", std::move(view), 200, "ingresar"});
}

}  // namespace

void AddAccountPages(http::Router& router, const std::shared_ptr<const Site>& site) {
    const http::RouteOptions form{.accepts = {"application/x-www-form-urlencoded"}};
    router.Add("GET", "/cuenta/ingresar", [site](const http::Request& r) { return ShowLogin(*site, r); });
    router.Add("POST", "/cuenta/ingresar", [site](const http::Request& r) { return DoLogin(*site, r); }, form);
    router.Add("POST", "/cuenta/salir", [site](const http::Request& r) { return DoLogout(*site, r); }, form);
    router.Add("GET", "/cuenta/registro", [site](const http::Request& r) { return ShowRegistration(*site, r); });
    router.Add("POST", "/cuenta/registro", [site](const http::Request& r) { return DoRegistration(*site, r); }, form);
    router.Add("GET", "/cuenta/verificar", [site](const http::Request& r) { return ShowVerify(*site, r); });
    router.Add("POST", "/cuenta/verificar", [site](const http::Request& r) { return DoVerify(*site, r); }, form);
    router.Add("GET", "/cuenta/restablecer", [site](const http::Request& r) { return ShowReset(*site, r); });
    router.Add("POST", "/cuenta/restablecer", [site](const http::Request& r) { return DoReset(*site, r); }, form);
    router.Add("GET", "/cuenta/activar", [site](const http::Request& r) { return ShowReset(*site, r); });
    router.Add("POST", "/cuenta/activar", [site](const http::Request& r) { return DoReset(*site, r); }, form);
}

}  // namespace vt::web
