// Credentials in, Authentication out; the session cookie; the CSRF check.
#include <sodium.h>

#include <cctype>

#include "vt/identity/api.hpp"

namespace vt::identity {
namespace {

std::string_view TrimSpaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool IEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// The value of `name` in an application/x-www-form-urlencoded body, decoded.
std::string FormField(std::string_view body, std::string_view name) {
    while (!body.empty()) {
        std::size_t amp = body.find('&');
        std::string_view pair = body.substr(0, amp);
        std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && http::PercentDecode(pair.substr(0, eq)) == name) {
            return http::PercentDecode(pair.substr(eq + 1));
        }
        if (amp == std::string_view::npos) break;
        body.remove_prefix(amp + 1);
    }
    return {};
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size() || a.empty()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Authenticator::Authenticator(IdentityService& identity, IdentityApiOptions options)
    : identity_(identity), options_(std::move(options)) {}

Result<Authentication> Authenticator::Authenticate(const http::Request& request) const {
    Authentication auth;
    std::string_view authorization = request.Header("Authorization");
    if (!authorization.empty()) {
        authorization = TrimSpaces(authorization);
        if (authorization.size() < 7 || !IEquals(authorization.substr(0, 7), "Bearer ")) {
            return Error(ErrorKind::kUnauthenticated, "token-invalid",
                         "Envíe el token como «Authorization: Bearer <token>».");
        }
        VT_ASSIGN_OR_RETURN(auth.actor,
                            identity_.AuthenticateApiToken(TrimSpaces(authorization.substr(7))));
        auth.via = Authentication::Via::kBearer;
        return auth;
    }
    std::string_view cookie = CookieValue(request, options_.cookie_name);
    if (!cookie.empty()) {
        auto session = identity_.AuthenticateSession(cookie);
        if (session.ok()) {
            auth.via = Authentication::Via::kCookie;
            auth.actor = std::move(session->actor);
            auth.session_token = std::string(cookie);
            auth.csrf_token = std::move(session->csrf_token);
            auth.account_id = std::move(session->account_id);
            auth.second_factor_enrolment_pending = session->second_factor_enrolment_pending;
        } else if (session.error().kind() == ErrorKind::kUnauthenticated) {
            auth.clear_cookie = true;
        } else {
            return std::move(session).error();
        }
    }
    std::string_view organization = TrimSpaces(request.Header("X-Organizacion"));
    if (!organization.empty() && auth.actor.kind != core::Actor::Kind::kAnonymous) {
        auto acting = identity_.ActingFor(auth.actor, organization);
        if (!acting.ok()) {
            if (acting.error().kind() == ErrorKind::kNotFound) {
                return Error(ErrorKind::kForbidden, "organization-not-represented",
                             "Usted no representa a la organización indicada en X-Organizacion.");
            }
            return std::move(acting).error();
        }
        auth.actor = std::move(acting).value();
    }
    return auth;
}

Result<core::Actor> Authenticator::ActorFor(const http::Request& request) const {
    VT_ASSIGN_OR_RETURN(Authentication auth, Authenticate(request));
    VT_RETURN_IF_ERROR(CheckCsrf(request, auth));
    return std::move(auth.actor);
}

std::string_view CookieValue(const http::Request& request, std::string_view name) {
    std::string_view header = request.Header("Cookie");
    while (!header.empty()) {
        std::size_t semi = header.find(';');
        std::string_view pair = TrimSpaces(header.substr(0, semi));
        std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && TrimSpaces(pair.substr(0, eq)) == name) {
            std::string_view value = TrimSpaces(pair.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            return value;
        }
        if (semi == std::string_view::npos) break;
        header.remove_prefix(semi + 1);
    }
    return {};
}

std::string SessionCookie(const IdentityApiOptions& options, std::string_view token,
                          std::chrono::seconds max_age) {
    std::string c = options.cookie_name + "=" + std::string(token) + "; Path=/; Max-Age=" +
                    std::to_string(std::max<std::int64_t>(0, max_age.count())) +
                    "; HttpOnly; SameSite=Lax";
    if (options.secure_cookie) c += "; Secure";
    return c;
}

std::string ExpiredSessionCookie(const IdentityApiOptions& options) {
    return SessionCookie(options, "", std::chrono::seconds{0});
}

void ApplyCookieEffects(const Authentication& auth, const IdentityApiOptions& options,
                        http::Response& response) {
    if (!auth.clear_cookie) return;
    // A handler that set the cookie itself (a new session, a logout) has the last word.
    std::string prefix = options.cookie_name + "=";
    for (const auto& [name, value] : response.headers) {
        if (IEquals(name, "Set-Cookie") && value.starts_with(prefix)) return;
    }
    response.Set("Set-Cookie", ExpiredSessionCookie(options));
}

Status CheckCsrf(const http::Request& request, const Authentication& auth) {
    if (request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS")
        return Ok();
    if (auth.via != Authentication::Via::kCookie) return Ok();
    std::string presented(TrimSpaces(request.Header("X-CSRF-Token")));
    if (presented.empty()) {
        std::string_view type = request.Header("Content-Type");
        if (type.substr(0, type.find(';')) == "application/x-www-form-urlencoded") {
            presented = FormField(request.body, "csrf");
        }
    }
    if (!ConstantTimeEquals(presented, auth.csrf_token)) {
        return Error(ErrorKind::kForbidden, "csrf-invalid",
                     "La solicitud no trae el código de seguridad de su sesión. Recargue la página "
                     "e intente de "
                     "nuevo.");
    }
    return Ok();
}

std::string ClientAddress(const http::Request& request, const IdentityApiOptions& options) {
    if (options.trust_forwarded_for) {
        std::string_view forwarded = request.Header("X-Forwarded-For");
        std::size_t comma = forwarded.rfind(',');
        std::string_view last =
            TrimSpaces(comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1));
        if (!last.empty() && last.size() <= 64) return std::string(last);
    }
    return std::string(request.remote);
}

}  // namespace vt::identity
