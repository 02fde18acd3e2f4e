#pragma once
/// Accounts, offices, employer organizations, passwords, sessions, second factor and API
/// tokens. The identity module turns credentials into a `core::Actor`; what an actor may do
/// is answered by vt/identity/policy.hpp.
///
/// Accounts are of three kinds: citizens (keyed by their canonical CUI, registered by
/// themselves, email verified by a mailed link), officials (belong to one office and hold
/// roles there, created by an administrator) and administrators. Employer organizations
/// (keyed by canonical NIT) have citizens as representatives, with role owner or
/// representative. Every change of an account, role, organization, office or token, and
/// every login, failure and lockout, writes a security event and an audit entry in the same
/// transaction.
///
/// Secrets: passwords are stored as Argon2id hashes; session, verification, reset and API
/// tokens are 256-bit random values of which only the SHA-256 is stored, so a copy of the
/// database does not let anyone log in.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vt/core/actor.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace vt::identity {

/// An email to send: one recipient, plain text in Spanish.
struct MailMessage {
    std::string to;
    std::string subject;
    std::string text;
    /// What it is, for the outbox and its metrics: "verificacion", "restablecimiento",
    /// "activacion".
    std::string kind;
};

/// Port: where identity puts the emails it sends (verification, password reset, account
/// activation). The notify module's outbox implements it.
class MailSink {
public:
    virtual ~MailSink() = default;
    /// Queues `message` inside `tx`: it must be sent only if `tx` commits. An error rolls
    /// the whole operation back. Called concurrently from several threads, each with its
    /// own transaction.
    [[nodiscard]] virtual Status Enqueue(store::Tx& tx, const MailMessage& message) = 0;
};

struct IdentityOptions {
    /// Base of the links put in emails, without a trailing slash.
    std::string public_url = "http://127.0.0.1:8080";
    /// Argon2id work per password hash (libsodium crypto_pwhash_argon2id_str). The defaults
    /// are libsodium's INTERACTIVE limits: 2 passes over 64 MiB, about 0.1 s of one core.
    /// A login then costs one hash, which a 2-core server sustains at ~20 logins/s while
    /// still making each guess of a stolen hash cost 64 MiB of memory; MODERATE (3 passes,
    /// 256 MiB, ~0.7 s) would make logins feel slow and let a burst of logins exhaust RAM.
    /// Hashes made with other limits are upgraded at the next successful login.
    std::uint64_t password_opslimit = 2;
    std::size_t password_memlimit = 64u << 20;
    /// Most password hashes computed at once; more wait. Bounds memory at
    /// max_concurrent_hashes × password_memlimit.
    int max_concurrent_hashes = 2;
    /// Shortest password, in characters (Unicode code points).
    int password_min_length = 10;
    /// Longest password, in bytes.
    int password_max_length = 256;

    /// A session ends after this long without a request.
    std::chrono::seconds session_idle_timeout = std::chrono::minutes(30);
    /// A session ends this long after login, however busy.
    std::chrono::seconds session_absolute_timeout = std::chrono::hours(12);
    /// Last-seen times are written at most this often per session (saves a write per request).
    std::chrono::seconds session_touch_interval = std::chrono::seconds(60);

    /// Lifetime of the emailed link that verifies a new account's address.
    std::chrono::seconds verification_ttl = std::chrono::hours(48);
    /// Lifetime of an emailed password-reset link (single use).
    std::chrono::seconds password_reset_ttl = std::chrono::hours(1);
    /// Lifetime of the emailed link with which a new official sets their first password.
    std::chrono::seconds activation_ttl = std::chrono::hours(72);
    /// A new reset link is mailed at most this often per account; more requests are ignored.
    std::chrono::seconds password_reset_interval = std::chrono::seconds(60);

    /// Login throttling. Failed attempts are counted per account (per typed login name when
    /// it matches no account, so both behave alike) and per client address. After
    /// `*_free_failures` failures each new failure blocks further attempts for
    /// login_backoff_base × 2^(failures − free) capped at login_backoff_max. An account that
    /// reaches account_lockout_failures is locked for account_lockout_duration. Counters
    /// reset after login_failure_window without failures, and the account's on success.
    int account_free_failures = 3;
    int address_free_failures = 20;
    std::chrono::seconds login_backoff_base = std::chrono::seconds(1);
    std::chrono::seconds login_backoff_max = std::chrono::minutes(5);
    int account_lockout_failures = 10;
    std::chrono::seconds account_lockout_duration = std::chrono::minutes(15);
    std::chrono::seconds login_failure_window = std::chrono::hours(1);

    /// Officials and administrators must enrol a TOTP second factor at their first login and
    /// give a code at every login after that.
    bool require_second_factor = true;
    /// Issuer shown by authenticator apps.
    std::string totp_issuer = "Ventanilla MINTRAB";

    /// API tokens are marked used at most this often (saves a write per request).
    std::chrono::seconds api_token_touch_interval = std::chrono::seconds(60);
};

enum class AccountKind { kCitizen, kOfficial, kAdministrator };
std::string_view AccountKindName(
    AccountKind kind);  ///< "ciudadano", "funcionario", "administrador"

struct Office {
    std::string code;       ///< "IGT", "DGE", "UIP", "DEP-QUE": letters, digits, '-'.
    std::string name;       ///< "Inspección General de Trabajo".
    std::string municipio;  ///< "DDMM" of vt/core/geo.hpp: where its calendar's local fair applies.
};

struct Membership {
    std::string nit;  ///< Canonical "cuerpo-V".
    std::string legal_name;
    std::string role;  ///< kOwnerRole or kRepresentativeRole.
};

struct Account {
    std::string id;  ///< Random, opaque; never a number that can be guessed.
    AccountKind kind = AccountKind::kCitizen;
    std::string cui;  ///< Citizens: the 13 digits. Empty for staff.
    std::string name;
    std::string email;  ///< Lower-cased.
    std::string phone;
    std::string office;              ///< Officials only.
    std::vector<std::string> roles;  ///< Officials only, sorted.
    bool email_verified = false;
    bool active = true;
    bool second_factor = false;             ///< A TOTP second factor is enrolled.
    std::vector<Membership> organizations;  ///< Citizens: whom they represent.
};

struct Registration {
    std::string cui;  ///< As typed; see core::ParseCui.
    std::string name;
    std::string email;
    std::string phone;  ///< Optional; 8 digits, "+502" allowed.
    std::string password;
};

struct LoginRequest {
    std::string login;  ///< Email, or CUI for citizens.
    std::string password;
    std::string totp_code;  ///< Officials and administrators with a second factor.
    std::string address;    ///< Client address, for throttling and the record.
    /// The session token the client held before logging in, if any. It is ended, so a
    /// token planted before login (session fixation) never becomes a logged-in session.
    std::string previous_session;
};

/// A new session. The token goes in the cookie; it is not stored and cannot be recovered.
struct SessionGrant {
    std::string token;
    std::string csrf_token;
    std::string account_id;
    std::chrono::system_clock::time_point expires_at;  ///< Absolute end.
    /// The account must enrol a second factor before the session grants anything.
    bool second_factor_enrolment_pending = false;
};

/// A valid session, as found by AuthenticateSession().
struct Session {
    /// Anonymous while `second_factor_enrolment_pending`.
    core::Actor actor;
    std::string account_id;
    std::string csrf_token;
    bool second_factor_enrolment_pending = false;
    std::chrono::system_clock::time_point expires_at;  ///< Absolute end.
};

struct TotpEnrolment {
    std::string secret_base32;  ///< For typing into an authenticator app.
    std::string otpauth_uri;    ///< For a QR code.
};

struct NewOfficial {
    std::string email;
    std::string name;
    std::string office;
    std::vector<std::string> roles;  ///< Of OfficialRoles(); at least one.
};

/// A staff account just created (CreateOfficial, CreateAdministrator).
struct NewStaffAccount {
    std::string id;
    /// The activation link that was also mailed to them. For the command line, which prints
    /// it because mail may not be configured yet; the HTTP endpoints never return it.
    std::string activation_link;
};

/// An official as colleagues see them: no email, no account status.
struct Colleague {
    std::string id;
    std::string name;
    std::vector<std::string> roles;  ///< Sorted.
};

/// A citizen who represents an employer organization.
struct Representative {
    std::string cui;
    std::string name;
    std::string role;   ///< kOwnerRole or kRepresentativeRole.
    std::string since;  ///< RFC 3339 UTC.
};

struct ApiTokenRequest {
    std::string client;               ///< Who uses it: "Banco de Desarrollo Rural".
    std::vector<std::string> scopes;  ///< Of KnownScopes(); at least one.
    /// Optional end of validity.
    std::optional<std::chrono::system_clock::time_point> expires_at;
};

/// The instant an expiry typed as a civil date ends: the start of the next day in
/// Guatemala, so a token "valid until 2026-12-31" works all of that day there.
std::chrono::system_clock::time_point EndOfGuatemalaDay(std::chrono::year_month_day date);

struct ApiToken {
    std::string id;
    std::string client;
    std::vector<std::string> scopes;
    std::string created_at;
    std::optional<std::string> expires_at;
    std::optional<std::string> revoked_at;
    std::optional<std::string> last_used_at;
};

/// A demonstration login printed by `ventanilla run --demo`.
struct DemoLogin {
    std::string role;
    std::string login;
    std::string password;
};

/// The identity service. Thread-safe: every method may be called concurrently. Methods
/// that hash a password take ~0.1 s of CPU (see IdentityOptions); like every method that
/// touches the store they block, so never call them on an I/O thread.
/// `store`, `clock` and `mail` must outlive the service.
///
/// Errors common to every method: kUnavailable / kStorageFull / kInternal from the store.
class IdentityService {
public:
    IdentityService(store::Store& store, const core::Clock& clock, MailSink& mail,
                    IdentityOptions options = {});
    ~IdentityService();
    IdentityService(const IdentityService&) = delete;
    IdentityService& operator=(const IdentityService&) = delete;

    const IdentityOptions& options() const;

    // ---- Citizens ------------------------------------------------------------------

    /// Creates an unverified citizen account and mails a verification link. Returns the
    /// account id. Errors: kInvalid with one field per problem ("cui", "nombre", "correo",
    /// "telefono", "contrasena"); kConflict "account-exists" when the CUI or the email
    /// already has an account.
    [[nodiscard]] Result<std::string> RegisterCitizen(const Registration& registration);

    /// Marks the account's email verified. Errors: kInvalid "token-invalid" when the token
    /// is unknown, used or expired (one answer for all three).
    [[nodiscard]] Status VerifyEmail(std::string_view token);

    // ---- Login and sessions --------------------------------------------------------

    /// Checks the credentials and opens a session. An unknown login and a wrong password
    /// take the same work and give the same answer.
    /// Errors: kUnauthenticated "login-failed" (unknown login, wrong password, disabled
    /// account, no password set yet), kRateLimited "login-throttled" (too many failures for
    /// this account or address; nothing is checked), kUnauthenticated "second-factor-required"
    /// (password right, code missing) or "second-factor-invalid", kForbidden
    /// "email-not-verified" (password right, address not verified yet).
    [[nodiscard]] Result<SessionGrant> Login(const LoginRequest& request);

    /// The session of `token` if it is valid; refreshes its idle timer.
    /// Errors: kUnauthenticated "session-invalid" (unknown, expired, ended, or the account
    /// is disabled). Expired sessions are deleted.
    [[nodiscard]] Result<Session> AuthenticateSession(std::string_view token);

    /// Ends the session of `token`. Ok when it did not exist.
    [[nodiscard]] Status Logout(std::string_view token);

    /// Ends every session of `actor`'s account (needs kAccountManage on it).
    [[nodiscard]] Status LogoutEverywhere(const core::Actor& actor);

    // ---- Password reset ------------------------------------------------------------

    /// Mails a single-use reset link to the account with this email, if there is one and it
    /// is active. Always Ok otherwise, so the answer does not reveal which emails exist.
    [[nodiscard]] Status RequestPasswordReset(std::string_view email);

    /// Sets a new password with a reset (or activation) token, marks the email verified and
    /// ends every session of the account. Errors: kInvalid "token-invalid" (unknown, used or
    /// expired); kInvalid "password-weak" with field "contrasena" (the token stays usable).
    [[nodiscard]] Status ResetPassword(std::string_view token, std::string_view new_password);

    // ---- Second factor (officials and administrators) -------------------------------

    /// Starts (or restarts) TOTP enrolment for `account_id`: a new secret, not yet in force.
    /// Errors: kForbidden when the account is a citizen's; kConflict
    /// "second-factor-enrolled" when one is in force already.
    [[nodiscard]] Result<TotpEnrolment> BeginTotpEnrolment(const std::string& account_id);

    /// Puts the pending secret in force once `code` proves the app has it, and lifts the
    /// enrolment restriction from the account's sessions. Errors: kConflict
    /// "no-enrolment-pending"; kInvalid "second-factor-invalid".
    [[nodiscard]] Status ConfirmTotpEnrolment(const std::string& account_id, std::string_view code);

    // ---- API tokens ----------------------------------------------------------------

    /// The machine client of a bearer token: kind kSystem, id "api:<token id>", roles = its
    /// scopes. Errors: kUnauthenticated "token-invalid" (unknown, revoked or expired).
    [[nodiscard]] Result<core::Actor> AuthenticateApiToken(std::string_view token);

    /// Issues a token (kAdminManage). Returns the token text, shown once, and its record.
    /// Errors: kInvalid ("cliente", "alcances").
    [[nodiscard]] Result<std::pair<std::string, ApiToken>> CreateApiToken(
        const core::Actor& actor, const ApiTokenRequest& request);
    /// Revokes a token at once (kAdminManage). Errors: NotFound.
    [[nodiscard]] Status RevokeApiToken(const core::Actor& actor, std::string_view token_id);
    /// Every token, newest first (kAdminManage).
    [[nodiscard]] Result<std::vector<ApiToken>> ListApiTokens(const core::Actor& actor);

    // ---- Accounts and organizations -------------------------------------------------

    /// `actor`'s own account with its memberships (kAccountManage).
    [[nodiscard]] Result<Account> Me(const core::Actor& actor);

    /// `person` (a citizen) acting for the organization `nit`: the same actor with
    /// `organization` set to the canonical NIT and `roles` = {their role in it}.
    /// Errors: kInvalid (NIT), NotFound when they do not represent it (whether or not it
    /// is registered).
    [[nodiscard]] Result<core::Actor> ActingFor(const core::Actor& person, std::string_view nit);

    /// Registers an employer organization with `actor` (a citizen) as its owner.
    /// Errors: kInvalid with fields "nit", "razon_social"; kConflict "organization-exists".
    [[nodiscard]] Result<Membership> RegisterOrganization(const core::Actor& actor,
                                                          std::string_view nit,
                                                          std::string_view legal_name);

    /// Adds (or changes the role of) the citizen with `cui` as a representative of `nit`
    /// (owners only, kOrganizationManage). Errors: kInvalid ("cui", "rol"); NotFound (no
    /// citizen account with that CUI; or `actor` is not an owner, as for ActingFor).
    [[nodiscard]] Status AddRepresentative(const core::Actor& actor, std::string_view nit,
                                           std::string_view cui, std::string_view role);

    /// Removes the citizen with `cui` from `nit` (owners only). Errors: NotFound; kConflict
    /// "last-owner" when it would leave the organization without an owner.
    [[nodiscard]] Status RemoveRepresentative(const core::Actor& actor, std::string_view nit,
                                              std::string_view cui);

    /// The representatives of `nit`, owners first, then by name (kOrganizationView: any of
    /// its representatives). Errors: kInvalid (NIT); NotFound when `actor` does not
    /// represent it (as ActingFor).
    [[nodiscard]] Result<std::vector<Representative>> ListRepresentatives(const core::Actor& actor,
                                                                          std::string_view nit);

    // ---- Offices and officials (administrators; the CLI acts as core::Actor::System()) --

    /// Creates an office; returns it as stored (code upper-cased, name tidied).
    /// Errors: kInvalid ("codigo", "nombre", "municipio"); kConflict "office-exists".
    [[nodiscard]] Result<Office> CreateOffice(const core::Actor& actor, const Office& office);
    [[nodiscard]] Result<std::vector<Office>> ListOffices(const core::Actor& actor);

    /// Creates an official without a password and mails an activation link (a reset token
    /// valid for activation_ttl) with which they set it. Returns the account id and the link.
    /// Errors: kInvalid ("correo", "nombre", "oficina", "roles"); kConflict "account-exists".
    [[nodiscard]] Result<NewStaffAccount> CreateOfficial(const core::Actor& actor,
                                                         const NewOfficial& official);

    /// Officials and administrators, by name then email (kAdminManage). Citizens are not
    /// listed.
    [[nodiscard]] Result<std::vector<Account>> ListStaff(const core::Actor& actor);

    /// One official or administrator (kAdminManage). Errors: NotFound (no such account, or
    /// a citizen's).
    [[nodiscard]] Result<Account> GetStaff(const core::Actor& actor, const std::string& account_id);

    /// Replaces an official's office and roles; audited with the old and new roles.
    /// Errors: NotFound (no such official); kInvalid ("oficina", "roles").
    [[nodiscard]] Status SetOfficialRoles(const core::Actor& actor, const std::string& account_id,
                                          const std::string& office,
                                          const std::vector<std::string>& roles);

    /// Disables or re-enables an account. Disabling ends its sessions at once.
    /// Errors: NotFound; kConflict "last-administrator" (disabling the only active one).
    [[nodiscard]] Status SetAccountActive(const core::Actor& actor, const std::string& account_id,
                                          bool active);

    /// Removes an official's or administrator's second factor (lost phone); they enrol again
    /// at their next login. Errors: NotFound.
    [[nodiscard]] Status ResetSecondFactor(const core::Actor& actor, const std::string& account_id);

    /// Creates another administrator (activation link mailed). Returns the account id and
    /// the link. Errors: kInvalid ("correo", "nombre"); kConflict "account-exists".
    [[nodiscard]] Result<NewStaffAccount> CreateAdministrator(const core::Actor& actor,
                                                              std::string_view email,
                                                              std::string_view name);

    /// Creates the first administrator of a fresh install with a password (the command
    /// line). Returns the account id. Errors: kConflict "administrator-exists" when an
    /// administrator was ever bootstrapped or exists; kInvalid as CreateAdministrator plus
    /// "contrasena".
    [[nodiscard]] Result<std::string> BootstrapAdministrator(std::string_view email,
                                                             std::string_view name,
                                                             std::string_view password);

    /// The active officials of `office`, by name then id: whom its cases may be assigned to
    /// (kInboxView on `office`, i.e. its own officials). Errors: kForbidden /
    /// kUnauthenticated (policy).
    [[nodiscard]] Result<std::vector<Colleague>> ListColleagues(const core::Actor& actor,
                                                                std::string_view office);

    /// The names of the staff accounts (officials and administrators, active or not) among
    /// `account_ids`, keyed by id, to show who acted on a case; ids of citizens and unknown
    /// ids are left out. For officials (kInboxView on their own office).
    /// Errors: kForbidden / kUnauthenticated (policy).
    [[nodiscard]] Result<std::map<std::string, std::string>> StaffNames(
        const core::Actor& actor, const std::vector<std::string>& account_ids);

    /// Account ids of the active officials of `office`, sorted: the roster that cases
    /// assigns round-robin from (the shape of cases::OfficialDirectory). Empty when the
    /// office has none or the store fails.
    std::vector<std::string> OfficialsOf(std::string_view office) const;

    /// Deletes what can no longer be used: sessions past their idle or absolute timeout,
    /// one-time tokens expired or used more than a day ago, and throttling counters whose
    /// window and block have passed. Meant for a periodic job (hourly is plenty); sessions are
    /// also deleted when presented after expiry. Returns the number of rows deleted.
    [[nodiscard]] Result<std::int64_t> PurgeExpired();

    /// Demonstration offices, organization and accounts, one per kind and role, with known
    /// passwords and no second factor. Idempotent. Call only in demo mode.
    [[nodiscard]] Result<std::vector<DemoLogin>> SeedDemoData();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vt::identity
