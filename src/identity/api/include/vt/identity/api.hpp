#pragma once
/// HTTP glue of identity: who sent a request (session cookie or API token), the session
/// cookie, the CSRF check, and the JSON endpoints of accounts, sessions and organizations.
/// Every handler of every module starts with Authenticator::Authenticate() and, when the
/// request changes state, CheckCsrf(); then it asks vt/identity/policy.hpp.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "vt/core/actor.hpp"
#include "vt/http/http.hpp"
#include "vt/identity/identity.hpp"

namespace vt::identity {

struct IdentityApiOptions {
    /// Name of the session cookie.
    std::string cookie_name = "vt_sesion";
    /// Mark the cookie `Secure` (sent over HTTPS only). Set it whenever the site is served
    /// over TLS, directly or behind a TLS-terminating proxy. Default false (plain-HTTP demo).
    bool secure_cookie = false;
    /// Take the client address (for login throttling and the security record) from the last
    /// X-Forwarded-For entry instead of the peer address. Only behind a proxy that sets it;
    /// otherwise clients could choose their own address. Default false.
    bool trust_forwarded_for = false;
};

/// Who sent a request.
struct Authentication {
    enum class Via { kNone, kCookie, kBearer };
    /// Anonymous when there are no (valid) credentials.
    core::Actor actor;
    Via via = Via::kNone;
    /// Cookie sessions: the token, and the CSRF token state-changing requests must echo.
    std::string session_token;
    std::string csrf_token;
    /// The session's account; set even while `second_factor_enrolment_pending` (when the
    /// actor is still anonymous), so the enrolment endpoints know whom to enrol.
    std::string account_id;
    bool second_factor_enrolment_pending = false;
    /// The request carried a session cookie that is no longer valid: the response should
    /// remove it (ApplyCookieEffects).
    bool clear_cookie = false;
};

/// Turns a request's credentials into an Authentication. Thread-safe; `identity` must
/// outlive it. Blocks on the store: call it from worker threads only.
class Authenticator {
public:
    Authenticator(IdentityService& identity, IdentityApiOptions options);

    /// `Authorization: Bearer <token>` wins over the cookie: an API token becomes a machine
    /// client (see policy.hpp). Otherwise the `cookie_name` cookie, if valid, becomes the
    /// account's actor; if invalid or expired, the request is anonymous with clear_cookie.
    /// A citizen may add `X-Organizacion: <NIT>` to act for an employer they represent.
    /// Errors: kUnauthenticated "token-invalid" (bad bearer token or malformed header);
    /// kForbidden "organization-not-represented"; kInvalid (malformed NIT); store errors.
    [[nodiscard]] Result<Authentication> Authenticate(const http::Request& request) const;

    /// Authenticate() followed by CheckCsrf(), reduced to the actor: the shape other
    /// modules' route tables take (e.g. cases::ActorResolver). A stale cookie is then not
    /// cleared by that response; the next login replaces it. Errors: those of both.
    [[nodiscard]] Result<core::Actor> ActorFor(const http::Request& request) const;

    const IdentityApiOptions& options() const { return options_; }
    IdentityService& identity() const { return identity_; }

private:
    IdentityService& identity_;
    IdentityApiOptions options_;
};

/// The value of cookie `name` in the request's Cookie header (the first, if repeated), or
/// empty.
std::string_view CookieValue(const http::Request& request, std::string_view name);

/// The Set-Cookie value that stores `token` for `max_age`:
/// `<name>=<token>; Path=/; Max-Age=<s>; HttpOnly; SameSite=Lax[; Secure]`.
std::string SessionCookie(const IdentityApiOptions& options, std::string_view token,
                          std::chrono::seconds max_age);

/// The Set-Cookie value that removes the session cookie (Max-Age=0).
std::string ExpiredSessionCookie(const IdentityApiOptions& options);

/// Adds the Set-Cookie that removes a stale session cookie when `auth.clear_cookie`.
void ApplyCookieEffects(const Authentication& auth, const IdentityApiOptions& options,
                        http::Response& response);

/// CSRF protection. Ok for GET, HEAD and OPTIONS and for requests not authenticated by the
/// session cookie (API tokens; anonymous requests); otherwise the `X-CSRF-Token` header, or
/// else the `csrf` field of an application/x-www-form-urlencoded body, must equal the
/// session's token (compared in constant time).
/// Errors: kForbidden code "csrf-invalid".
[[nodiscard]] Status CheckCsrf(const http::Request& request, const Authentication& auth);

/// The client's address: the peer, or the last X-Forwarded-For entry when trusted.
std::string ClientAddress(const http::Request& request, const IdentityApiOptions& options);

/// Registers the endpoints (all JSON; errors as http::ErrorResponse; docs/openapi.yaml
/// describes each):
///
///   POST   /api/v1/cuentas                                 register a citizen (201)
///   POST   /api/v1/cuentas/verificacion                    verify the email {token}
///   POST   /api/v1/sesiones                                log in (201, sets the cookie,
///                                                          returns the CSRF token)
///   DELETE /api/v1/sesiones/actual                         log out (204)
///   DELETE /api/v1/sesiones                                log out everywhere (204)
///   POST   /api/v1/cuentas/restablecimiento                request a reset link (202, always)
///   POST   /api/v1/cuentas/restablecimiento/confirmacion   set a new password {token, contrasena}
///   GET    /api/v1/cuentas/yo                              one's account
///   POST   /api/v1/cuentas/yo/segundo-factor               start TOTP enrolment (201)
///   POST   /api/v1/cuentas/yo/segundo-factor/confirmacion  confirm it {codigo}
///   POST   /api/v1/organizaciones                          register an employer (201)
///   GET    /api/v1/organizaciones/{nit}/representantes     list its representatives
///   POST   /api/v1/organizaciones/{nit}/representantes     add one {cui, rol} (201)
///   DELETE /api/v1/organizaciones/{nit}/representantes     remove one ({cui} or ?cui=) (204)
///
/// and the back office (administrators only, kAdminManage):
///
///   GET    /api/v1/admin/oficinas                          list offices
///   POST   /api/v1/admin/oficinas                          create one {codigo, nombre,
///                                                          municipio} (201)
///   GET    /api/v1/admin/funcionarios                      list officials and administrators
///   POST   /api/v1/admin/funcionarios                      create an official {correo, nombre,
///                                                          oficina, roles} (201; the activation
///                                                          link goes by mail only)
///   PUT    /api/v1/admin/funcionarios/{id}/roles           replace office and roles
///   POST   /api/v1/admin/funcionarios/{id}/estado          enable or disable {activa}
///   GET    /api/v1/admin/tokens                            list API tokens
///   POST   /api/v1/admin/tokens                            issue one {cliente, alcances, vence?}
///                                                          (201; the token is shown only here)
///   DELETE /api/v1/admin/tokens/{id}                       revoke one (204)
/// REQUIRES: `identity` outlives `router`.
void AddIdentityRoutes(http::Router& router, IdentityService& identity,
                       const IdentityApiOptions& options);

}  // namespace vt::identity
