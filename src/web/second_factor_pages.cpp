// The second factor of officials and administrators: a TOTP secret shown as text and as a
// QR code for their authenticator app, confirmed with a code from it. The login page sends
// staff here while their session waits for enrolment; identity refuses citizens.
#include <boost/json.hpp>
#include <regex>

#include "field_view.hpp"
#include "page.hpp"
#include "pages.hpp"
#include "qr.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;

// The account to enrol: the one whose session waits for it, or the logged-in person.
std::string EnrollingAccount(const Visit& visit) {
    return visit.auth.second_factor_enrolment_pending ? visit.auth.account_id : visit.actor().id;
}

std::string HomeOf(const core::Actor& actor) {
    return actor.kind == core::Actor::Kind::kAdministrator ? "/admin" : "/bandeja";
}

// The page that shows the secret and asks for the first code. `secret` and `uri` come from
// identity when enrolment starts, and from the form's hidden fields when a code was wrong:
// they are only shown again, while the code is checked against the secret identity stored.
http::Response EnrolPage(const Site& site, const Visit& visit, const std::string& secret, const std::string& uri,
                         const std::string& error, int status) {
    FieldView code{.id = "codigo", .label = "Código de seis dígitos", .kind = "texto", .error = error,
                   .autocomplete = "one-time-code", .input_mode = "numeric", .short_input = true};
    code.help = "El que muestra ahora su aplicación para «" + site.deps().identity.options().totp_issuer + "».";
    json::object view{{"secreto", secret}, {"uri", uri}, {"campo", code.ToJson()}, {"confirmar", true}};
    if (auto qr = QrSvgDataUri(uri); qr.ok()) view["qr"] = *qr;
    if (!error.empty()) view["errores"] = ErrorSummary({{"codigo", error}}, {{"codigo", code.label}});
    return site.Page(visit, {"segundo_factor", "Segundo factor de autenticación", std::move(view), status, ""});
}

http::Response ShowSecondFactor(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    bool pending = visit.auth.second_factor_enrolment_pending;
    if (visit.anonymous() && !pending) return site.LoginRedirect(visit);
    json::object view{{"pendiente", pending}};
    if (!pending) {
        auto me = site.deps().identity.Me(visit.actor());
        if (!me.ok()) return site.ErrorPage(visit, me.error());
        // Citizens have no second factor: the page does not exist for them.
        if (me->kind == identity::AccountKind::kCitizen) {
            return site.ErrorPage(visit, Error::NotFound("No existe esa página."));
        }
        if (me->second_factor) {
            view["configurado"] = true;
            view["inicio"] = HomeOf(visit.actor());
        }
    }
    if (!view.contains("configurado")) view["iniciar"] = true;
    return site.Page(visit, {"segundo_factor", "Segundo factor de autenticación", std::move(view), 200, ""});
}

http::Response DoSecondFactor(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    bool pending = visit.auth.second_factor_enrolment_pending;
    if (visit.anonymous() && !pending) return site.LoginRedirect(visit);
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    std::string account = EnrollingAccount(visit);
    identity::IdentityService& id = site.deps().identity;

    if (form.Get("accion") == "confirmar") {
        // What the page showed, shown again if the code is wrong; only well-formed values.
        static const std::regex kSecret("^[A-Z2-7]{16,128}$");
        std::string secret = form.Get("secreto"), uri = form.Get("uri");
        bool shown = std::regex_match(secret, kSecret) && uri.starts_with("otpauth://totp/") && uri.size() < 1024 &&
                     uri.find_first_of("\r\n\"<>") == std::string::npos;
        Status s = id.ConfirmTotpEnrolment(account, form.Get("codigo"));
        if (s.ok()) return site.Redirect(visit, "/cuenta/segundo-factor");
        const Error& e = s.error();
        if (e.kind() == ErrorKind::kInvalid && shown) {
            return EnrolPage(site, visit, secret, uri,
                             "El código no es correcto o ya cambió. Escriba el que muestra ahora su aplicación.", 422);
        }
        if (e.kind() == ErrorKind::kForbidden) return site.ErrorPage(visit, Error::NotFound("No existe esa página."));
        if (e.kind() == ErrorKind::kInvalid || e.kind() == ErrorKind::kConflict) {
            json::object view{{"pendiente", pending},
                              {"iniciar", true},
                              {"fallo", "No se pudo confirmar el código. Empiece de nuevo: su aplicación recibirá "
                                        "un secreto nuevo (borre el anterior)."}};
            return site.Page(visit, {"segundo_factor", "Segundo factor de autenticación", std::move(view), 409, ""});
        }
        return site.ErrorPage(visit, e);
    }

    auto started = id.BeginTotpEnrolment(account);
    if (!started.ok()) {
        const Error& e = started.error();
        if (e.kind() == ErrorKind::kForbidden) return site.ErrorPage(visit, Error::NotFound("No existe esa página."));
        if (e.code() == "second-factor-enrolled") return site.Redirect(visit, "/cuenta/segundo-factor");
        return site.ErrorPage(visit, e);
    }
    return EnrolPage(site, visit, started->secret_base32, started->otpauth_uri, "", 200);
}

}  // namespace

void AddSecondFactorPages(http::Router& router, const std::shared_ptr<const Site>& site) {
    const http::RouteOptions form{.accepts = {"application/x-www-form-urlencoded"}};
    router.Add("GET", "/cuenta/segundo-factor", [site](const http::Request& r) { return ShowSecondFactor(*site, r); });
    router.Add("POST", "/cuenta/segundo-factor", [site](const http::Request& r) { return DoSecondFactor(*site, r); },
               form);
}

}  // namespace vt::web
