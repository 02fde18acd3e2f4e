#include "page.hpp"

#include <sodium.h>

#include <boost/json.hpp>
#include <cstdio>

#include "render.hpp"
#include "vt/core/date.hpp"
#include "vt/core/hash.hpp"
#include "vt/core/money.hpp"
#include "vt/core/random.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;

// Anonymous visitors' CSRF token (double-submit cookie): a form is accepted only when its
// hidden field equals this cookie, which another site can neither read nor set.
constexpr std::string_view kCsrfCookie = "vt_csrf";

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Every page forbids scripts from elsewhere, framing and plugins; forms post only here.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

json::object NavItem(std::string_view href, std::string_view label, std::string_view section,
                     std::string_view current) {
    json::object o{{"href", href}, {"etiqueta", label}};
    if (!section.empty() && section == current) o["actual"] = true;
    return o;
}

}  // namespace

Form Form::Parse(std::string_view s) {
    Form form;
    while (!s.empty()) {
        std::size_t amp = s.find('&');
        std::string_view pair = s.substr(0, amp);
        s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
        if (pair.empty()) continue;
        std::size_t eq = pair.find('=');
        std::string name = http::PercentDecode(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? "" : http::PercentDecode(pair.substr(eq + 1));
        form.items_.emplace_back(std::move(name), std::move(value));
    }
    return form;
}

std::string Form::Get(std::string_view name) const {
    for (const auto& [k, v] : items_) {
        if (k == name) return v;
    }
    return {};
}

std::vector<std::string> Form::GetAll(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : items_) {
        if (k == name) out.push_back(v);
    }
    return out;
}

bool Form::Has(std::string_view name) const {
    for (const auto& [k, v] : items_) {
        if (k == name) return true;
    }
    return false;
}

std::string StylesheetFile() {
    return "estilo." + core::Sha256Hex(StaticAsset("estilo.css")).substr(0, 12) + ".css";
}

Site::Site(const WebDeps& deps) : deps_(deps), stylesheet_path_("/static/" + StylesheetFile()) {}

Visit Site::Begin(const http::Request& request) const {
    Visit visit{request, {}, {}, false};
    if (auto auth = deps_.authenticator.Authenticate(request); auth.ok()) {
        visit.auth = std::move(*auth);
    }
    if (visit.auth.via == identity::Authentication::Via::kBearer) {
        // Pages are for browsers; a machine client gets no page identity.
        visit.auth = {};
    }
    if (visit.auth.via == identity::Authentication::Via::kCookie && !visit.auth.csrf_token.empty()) {
        visit.csrf = visit.auth.csrf_token;
    } else {
        std::string_view cookie = identity::CookieValue(request, kCsrfCookie);
        if (cookie.size() == 64) {
            visit.csrf = std::string(cookie);
        } else {
            visit.csrf = core::RandomHex(32);
            visit.new_csrf_cookie = true;
        }
    }
    return visit;
}

bool Site::CsrfValid(const Visit& visit, const Form& form) const {
    std::string presented = form.Get("csrf");
    // Scripts that enhance a page may send the token as a header instead.
    if (presented.empty()) presented = std::string(visit.request.Header("X-CSRF-Token"));
    if (visit.auth.via == identity::Authentication::Via::kCookie) {
        return ConstantTimeEquals(presented, visit.auth.csrf_token);
    }
    return !visit.new_csrf_cookie && ConstantTimeEquals(presented, visit.csrf);
}

http::Response Site::Page(const Visit& visit, PageSpec spec) const {
    const core::Actor& actor = visit.actor();
    json::array nav;
    const std::string& s = spec.section;
    nav.push_back(NavItem("/tramites", "Trámites", "tramites", s));
    switch (actor.kind) {
        case core::Actor::Kind::kAnonymous:
            nav.push_back(NavItem("/seguimiento", "Seguimiento", "seguimiento", s));
            break;
        case core::Actor::Kind::kCitizen:
            nav.push_back(NavItem("/mis-tramites", "Mis trámites", "mis-tramites", s));
            nav.push_back(NavItem("/organizaciones", "Empleadores", "organizaciones", s));
            break;
        case core::Actor::Kind::kOfficial:
            nav.insert(nav.begin(), NavItem("/bandeja", "Bandeja", "bandeja", s));
            nav.push_back(NavItem("/informes/sla", "Informes", "informes", s));
            break;
        case core::Actor::Kind::kAdministrator:
            nav.push_back(NavItem("/admin", "Administración", "admin", s));
            nav.push_back(NavItem("/informes/sla", "Informes", "informes", s));
            break;
        case core::Actor::Kind::kSystem:
            break;
    }
    // A session that waits for its second factor is logged in: it may only enrol or leave.
    bool session = !visit.anonymous() || visit.auth.second_factor_enrolment_pending;
    if (!session) {
        nav.push_back(NavItem("/cuenta/ingresar", "Ingresar", "ingresar", s));
    }

    spec.view["csrf"] = visit.csrf;
    json::object layout{
        {"titulo", spec.title},
        {"estilo", stylesheet_path_},
        {"navegacion", std::move(nav)},
        {"csrf", visit.csrf},
        {"sesion", session},
        {"contenido", Render(spec.template_name, spec.view)},
    };
    http::Response r;
    r.status = spec.status;
    r.content_type = "text/html; charset=utf-8";
    r.body = Render("layout", layout);
    r.Set("Content-Security-Policy", kContentSecurityPolicy);
    r.Set("Referrer-Policy", "same-origin");
    r.Set("X-Frame-Options", "DENY");
    // Pages may carry personal data and a CSRF token: never stored by shared caches, and
    // revalidated by the browser.
    r.Set("Cache-Control", "no-store");
    if (visit.new_csrf_cookie) {
        std::string cookie = std::string(kCsrfCookie) + "=" + visit.csrf + "; Path=/; HttpOnly; SameSite=Strict";
        if (deps_.authenticator.options().secure_cookie) cookie += "; Secure";
        r.Set("Set-Cookie", cookie);
    }
    identity::ApplyCookieEffects(visit.auth, deps_.authenticator.options(), r);
    return r;
}

http::Response Site::Redirect(const Visit& visit, std::string location) const {
    http::Response r;
    r.status = 303;
    r.content_type = "text/plain; charset=utf-8";
    r.Set("Location", std::move(location));
    r.Set("Cache-Control", "no-store");
    identity::ApplyCookieEffects(visit.auth, deps_.authenticator.options(), r);
    return r;
}

http::Response Site::LoginRedirect(const Visit& visit) const {
    return Redirect(visit, "/cuenta/ingresar?volver=" + UrlEncode(visit.request.target));
}

http::Response Site::ErrorPage(const Visit& visit, const Error& error) const {
    std::string title;
    std::string message = error.message();
    switch (error.kind()) {
        case ErrorKind::kNotFound:
            title = "No encontramos la página";
            message = "La dirección no existe o usted no tiene acceso a ella. Revise que esté bien escrita.";
            break;
        case ErrorKind::kForbidden: title = "No tiene permiso"; break;
        case ErrorKind::kUnauthenticated: title = "Necesita ingresar"; break;
        case ErrorKind::kConflict: title = "No se pudo completar"; break;
        case ErrorKind::kRateLimited: title = "Demasiados intentos"; break;
        case ErrorKind::kUnavailable:
        case ErrorKind::kStorageFull:
        case ErrorKind::kInternal:
            title = "El servicio tiene un problema";
            message = "No pudimos completar su solicitud por un problema del sistema. No se guardó nada a "
                      "medias. Intente de nuevo en unos minutos.";
            break;
        default: title = "Revise los datos"; break;
    }
    PageSpec spec{"error", title, json::object{{"titulo", title}, {"mensaje", message}}, http::StatusFor(error.kind())};
    return Page(visit, std::move(spec));
}

http::Response Site::CsrfPage(const Visit& visit) const {
    return ErrorPage(visit, Error(ErrorKind::kForbidden, "csrf-invalid",
                                  "El formulario venció o no viene de esta página. Vuelva a la página anterior, "
                                  "recárguela y envíelo de nuevo."));
}

json::array ErrorSummary(const std::map<std::string, std::string>& fields,
                         const std::vector<std::pair<std::string, std::string>>& order) {
    json::array out;
    std::map<std::string, bool> listed;
    for (const auto& [id, label] : order) {
        // A message for the field itself or for one of its parts ("trabajadores[2].cui").
        for (const auto& [path, message] : fields) {
            bool mine = path == id || path.starts_with(id + "[") || path.starts_with(id + ".");
            if (!mine || listed[path]) continue;
            listed[path] = true;
            out.push_back(json::object{{"campo", label}, {"mensaje", message}, {"enlace", "#campo-" + id}});
        }
    }
    for (const auto& [path, message] : fields) {
        if (!listed[path]) out.push_back(json::object{{"campo", ""}, {"mensaje", message}, {"enlace", "#contenido"}});
    }
    MarkSummaryEnds(out);
    return out;
}

void MarkSummaryEnds(json::array& summary) {
    for (std::size_t i = 0; i < summary.size(); ++i) {
        json::object& entry = summary[i].as_object();
        entry["primero"] = i == 0;
        entry["ultimo"] = i + 1 == summary.size();
    }
}

std::string LongDate(std::string_view iso_date) {
    auto d = core::ParseIsoDate(iso_date.substr(0, 10));
    if (!d.ok()) return std::string(iso_date);
    return core::SpanishLongDate(*d);
}

std::optional<std::chrono::sys_seconds> ParseUtc(std::string_view rfc3339) {
    namespace chr = std::chrono;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (rfc3339.size() < 19 || std::sscanf(std::string(rfc3339.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y,
                                           &mo, &d, &h, &mi, &sec) != 6) {
        return std::nullopt;
    }
    chr::year_month_day day{chr::year{y}, chr::month{static_cast<unsigned>(mo)}, chr::day{static_cast<unsigned>(d)}};
    if (!day.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    return chr::sys_days{day} + chr::hours{h} + chr::minutes{mi} + chr::seconds{sec};
}

std::string LongDateTime(std::string_view rfc3339) {
    namespace chr = std::chrono;
    auto t = ParseUtc(rfc3339);
    if (!t) return std::string(rfc3339);
    chr::sys_seconds local = *t - chr::hours{6};
    chr::sys_days day = chr::floor<chr::days>(local);
    chr::hh_mm_ss time{local - day};
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()));
    return core::SpanishLongDate(chr::year_month_day{day}) + ", " + hm;
}

std::string Quetzales(std::int64_t centavos) { return core::Money::FromCentavos(centavos).ToString(); }

std::string SafeReturnPath(std::string_view candidate) {
    // Only "/something" on this site: not "//other.site", not "/\other.site", no scheme.
    if (candidate.size() < 1 || candidate[0] != '/' || candidate.starts_with("//") || candidate.starts_with("/\\") ||
        candidate.find_first_of("\r\n") != std::string_view::npos) {
        return "/";
    }
    return std::string(candidate);
}

std::string UrlEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace vt::web
