// Login with throttling, sessions, and enrolment of the TOTP second factor.
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>

#include "fields.hpp"
#include "secrets.hpp"
#include "service_impl.hpp"
#include "totp.hpp"
#include "vt/core/cui.hpp"
#include "vt/core/random.hpp"

namespace vt::identity {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

std::string FromHex(std::string_view hex) {
    std::string out(hex.size() / 2, '\0');
    std::size_t len = 0;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                       hex.size(), nullptr, &len, nullptr) != 0) {
        return {};
    }
    out.resize(len);
    return out;
}

std::string ToHex(std::string_view bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                   bytes.size());
    hex.pop_back();
    return hex;
}

bool IsStaff(const Account& a) { return a.kind != AccountKind::kCitizen; }

Error LoginFailed() {
    return Error(ErrorKind::kUnauthenticated, "login-failed",
                 "El usuario o la contraseña no son correctos.");
}

Error Throttled(seconds wait) {
    std::int64_t n = std::max<std::int64_t>(1, wait.count());
    std::string when = n >= 120 ? std::to_string((n + 59) / 60) + " minutos"
                                : std::to_string(n) + (n == 1 ? " segundo" : " segundos");
    return Error(ErrorKind::kRateLimited, "login-throttled",
                 "Hubo demasiados intentos fallidos. Intente de nuevo en " + when + ".");
}

// How long a key is blocked after its `failures`-th failure: nothing for the first `free`,
// then base, 2·base, 4·base ... up to `max`.
std::optional<seconds> Backoff(std::int64_t failures, int free, seconds base, seconds max) {
    if (failures <= free) return std::nullopt;
    std::int64_t doublings = std::min<std::int64_t>(failures - free - 1, 30);
    std::int64_t s = base.count() << doublings;
    return std::min(seconds{s}, max);
}

// Counts one failure of `key` atomically; the count restarts when the previous failure is
// older than `window`. Returns the new count.
Result<std::int64_t> CountFailure(Tx& tx, const std::string& key, TimePoint now, seconds window) {
    VT_ASSIGN_OR_RETURN(
        store::Row r,
        tx.QueryOne(
            "INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 1, $2) "
            "ON CONFLICT (key) DO UPDATE SET failures = CASE "
            "WHEN login_throttle.last_failure_at < $3 THEN 1 "
            "ELSE login_throttle.failures + 1 END, last_failure_at = $2 "
            "RETURNING failures",
            {Value{key}, Value{core::FormatUtc(now)}, Value{core::FormatUtc(now - window)}}));
    return r.Int(0);
}

// Extends the block of `key` to `until` (never shortens it).
Status BlockUntil(Tx& tx, const std::string& key, TimePoint until) {
    std::string u = core::FormatUtc(until);
    return tx.Exec(
                 "UPDATE login_throttle SET blocked_until = $2 WHERE key = $1 "
                 "AND (blocked_until IS NULL OR blocked_until < $2)",
                 {Value{key}, Value{u}})
                   .ok()
               ? Ok()
               : Error::Internal("No se pudo registrar el bloqueo.");
}

}  // namespace

Result<SessionGrant> IdentityService::Login(const LoginRequest& req) {
    Impl& s = *impl_;
    const IdentityOptions& o = s.options;
    TimePoint now = s.Now();

    // Citizens may log in with their CUI; everyone with their email.
    std::string login = internal::Trim(req.login);
    std::string column = "email";
    auto cui = core::ParseCui(login);
    if (cui.ok()) {
        column = "cui";
        login = cui->digits;
    } else {
        for (char& c : login) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (login.size() > 320) login.resize(320);

    std::optional<AccountRecord> found;
    std::optional<std::string> blocked_until;
    std::string account_key, address_key = req.address.empty() ? "" : "direccion:" + req.address;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        if (!login.empty()) {
            VT_ASSIGN_OR_RETURN(found, s.FindAccount(tx, column, login));
        }
        // A login name that matches no account is throttled under its own key, exactly as
        // an account would be, so throttling does not tell which accounts exist.
        account_key = found ? "cuenta:" + found->account.id
                            : "nombre:" + internal::TokenDigest(column + ":" + login);
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query("SELECT max(blocked_until) FROM login_throttle WHERE key IN ($1, $2) "
                     "AND blocked_until > $3",
                     {Value{account_key}, Value{address_key}, Value{core::FormatUtc(now)}}));
        if (!rows.empty() && !rows[0].IsNull(0)) blocked_until = rows[0].Text(0);
        return Ok();
    }));
    std::string account_id = found ? found->account.id : "";

    if (blocked_until) {
        auto until = internal::ParseUtc(*blocked_until).value_or(now);
        VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
            return s.Record(tx, {.kind = "login.throttled",
                                 .actor = "anonimo",
                                 .account = account_id,
                                 .address = req.address,
                                 .detail = {{"hasta", *blocked_until}},
                                 .audited = false});
        }));
        return Throttled(std::chrono::ceil<seconds>(until - now));
    }

    // Records a failed attempt and applies the backoff and lockout; returns `answer`.
    auto fail = [&](std::string reason, Error answer) -> Error {
        Status st = s.store.Write([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(std::int64_t failures,
                                CountFailure(tx, account_key, now, o.login_failure_window));
            bool locked = failures >= o.account_lockout_failures;
            std::optional<seconds> block = locked
                                               ? std::optional<seconds>(o.account_lockout_duration)
                                               : Backoff(failures, o.account_free_failures,
                                                         o.login_backoff_base, o.login_backoff_max);
            if (block) VT_RETURN_IF_ERROR(BlockUntil(tx, account_key, now + *block));
            if (!address_key.empty()) {
                VT_ASSIGN_OR_RETURN(std::int64_t by_address,
                                    CountFailure(tx, address_key, now, o.login_failure_window));
                auto address_block = Backoff(by_address, o.address_free_failures,
                                             o.login_backoff_base, o.login_backoff_max);
                if (address_block)
                    VT_RETURN_IF_ERROR(BlockUntil(tx, address_key, now + *address_block));
            }
            VT_RETURN_IF_ERROR(
                s.Record(tx, {.kind = "login.failed",
                              .actor = "anonimo",
                              .account = account_id,
                              .address = req.address,
                              .detail = {{"motivo", reason}, {"fallos", failures}}}));
            if (locked) {
                VT_RETURN_IF_ERROR(s.Record(
                    tx,
                    {.kind = "login.locked",
                     .actor = "sistema",
                     .account = account_id,
                     .address = req.address,
                     .detail = {{"fallos", failures},
                                {"hasta", core::FormatUtc(now + o.account_lockout_duration)}}}));
            }
            return Ok();
        });
        return st.ok() ? std::move(answer) : std::move(st).error();
    };

    // The same work whether or not the account exists: Verify hashes against a dummy when
    // there is no usable hash.
    bool password_ok = s.hasher.Verify(found ? found->password_hash : std::string(), req.password);
    if (!password_ok || !found->account.active) return fail("contrasena", LoginFailed());
    const AccountRecord& rec = *found;
    const Account& account = rec.account;

    std::optional<std::int64_t> totp_step;
    if (IsStaff(account) && account.second_factor) {
        if (req.totp_code.empty()) {
            return Error(ErrorKind::kUnauthenticated, "second-factor-required",
                         "Escriba el código de seis dígitos de su aplicación de autenticación.");
        }
        totp_step =
            internal::TotpMatch(FromHex(rec.totp_secret), std::chrono::system_clock::to_time_t(now),
                                internal::Trim(req.totp_code));
        if (!totp_step || (rec.totp_last_step && *totp_step <= *rec.totp_last_step)) {
            return fail("segundo-factor",
                        Error(ErrorKind::kUnauthenticated, "second-factor-invalid",
                              "El código no es correcto o ya se usó. Espere el siguiente."));
        }
    }
    if (account.kind == AccountKind::kCitizen && !account.email_verified) {
        return Error(ErrorKind::kForbidden, "email-not-verified",
                     "Confirme su correo electrónico con el enlace que le enviamos antes de "
                     "iniciar sesión.");
    }

    std::optional<std::string> rehashed;
    if (s.hasher.NeedsRehash(rec.password_hash)) {
        auto h = s.hasher.Hash(req.password);
        if (h.ok()) rehashed = std::move(h).value();
    }

    SessionGrant grant;
    grant.token = internal::NewToken();
    grant.csrf_token = internal::NewToken();
    grant.account_id = account.id;
    grant.expires_at = now + o.session_absolute_timeout;
    grant.second_factor_enrolment_pending =
        IsStaff(account) && o.require_second_factor && !account.second_factor;
    bool replayed = false;
    Status st = s.store.Write([&](Tx& tx) -> Status {
        if (totp_step) {
            // A code is good once: of two logins racing with one code, one wins.
            VT_ASSIGN_OR_RETURN(std::int64_t changed,
                                tx.Exec("UPDATE accounts SET totp_last_step = $2 WHERE id = $1 "
                                        "AND (totp_last_step IS NULL OR totp_last_step < $2)",
                                        {Value{account.id}, Value{*totp_step}}));
            if (changed == 0) {
                replayed = true;
                return Error::Conflict("second-factor-replay", "");
            }
        }
        if (!req.previous_session.empty()) {
            VT_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE token_hash = $1",
                                       {Value{internal::TokenDigest(req.previous_session)}}));
        }
        VT_RETURN_IF_ERROR(
            tx.Exec("DELETE FROM login_throttle WHERE key = $1", {Value{account_key}}));
        std::string at = core::FormatUtc(now);
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, "
                    "last_seen_at, expires_at, "
                    "second_factor_pending, address) VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
                    {Value{internal::TokenDigest(grant.token)}, Value{account.id},
                     Value{grant.csrf_token}, Value{at}, Value{core::FormatUtc(grant.expires_at)},
                     Value{std::int64_t{grant.second_factor_enrolment_pending ? 1 : 0}},
                     req.address.empty() ? Value{} : Value{req.address}}));
        if (rehashed) {
            VT_RETURN_IF_ERROR(tx.Exec("UPDATE accounts SET password_hash = $2 WHERE id = $1",
                                       {Value{account.id}, Value{*rehashed}}));
        }
        return s.Record(tx, {.kind = "login.succeeded",
                             .actor = account.id,
                             .account = account.id,
                             .address = req.address,
                             .detail = {{"segundo_factor", totp_step.has_value()}}});
    });
    if (!st.ok()) {
        if (replayed) {
            return fail("segundo-factor",
                        Error(ErrorKind::kUnauthenticated, "second-factor-invalid",
                              "El código no es correcto o ya se usó. Espere el siguiente."));
        }
        return std::move(st).error();
    }
    return grant;
}

Result<Session> IdentityService::AuthenticateSession(std::string_view token) {
    Impl& s = *impl_;
    const Error invalid(ErrorKind::kUnauthenticated, "session-invalid",
                        "Su sesión terminó. Inicie sesión de nuevo.");
    // Tokens are 64 hex characters; anything else cannot be one.
    if (token.size() != 64) return invalid;
    std::string digest = internal::TokenDigest(token);
    TimePoint now = s.Now();
    std::optional<AccountRecord> account;
    std::optional<store::Row> row;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query(
                "SELECT account_id, csrf_token, last_seen_at, expires_at, second_factor_pending "
                "FROM sessions WHERE token_hash = $1",
                {Value{digest}}));
        if (rows.empty()) return Ok();
        row = rows[0];
        VT_ASSIGN_OR_RETURN(account, s.FindAccount(tx, "id", rows[0].Text(0)));
        return Ok();
    }));
    if (!row) return invalid;
    const std::string& last_seen = row->Text(2);
    const std::string& expires = row->Text(3);
    std::string now_text = core::FormatUtc(now);
    bool expired =
        expires <= now_text || last_seen <= core::FormatUtc(now - s.options.session_idle_timeout);
    if (expired || !account || !account->account.active) {
        VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
            return tx.Exec("DELETE FROM sessions WHERE token_hash = $1", {Value{digest}}).ok()
                       ? Ok()
                       : Error::Internal("No se pudo cerrar la sesión vencida.");
        }));
        return invalid;
    }
    if (last_seen <= core::FormatUtc(now - s.options.session_touch_interval)) {
        VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
            auto r = tx.Exec(
                "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2",
                {Value{digest}, Value{now_text}});
            if (!r.ok()) return std::move(r).error();
            return Ok();
        }));
    }
    Session session;
    session.account_id = account->account.id;
    session.csrf_token = row->Text(1);
    session.second_factor_enrolment_pending = row->Int(4) != 0;
    session.expires_at = internal::ParseUtc(expires).value_or(now);
    if (!session.second_factor_enrolment_pending) session.actor = Impl::ActorOf(account->account);
    return session;
}

Result<std::int64_t> IdentityService::PurgeExpired() {
    Impl& s = *impl_;
    TimePoint now = s.Now();
    std::string now_text = core::FormatUtc(now);
    std::int64_t deleted = 0;
    VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            std::int64_t sessions,
            tx.Exec(
                "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
                {Value{now_text}, Value{core::FormatUtc(now - s.options.session_idle_timeout)}}));
        VT_ASSIGN_OR_RETURN(
            std::int64_t tokens,
            tx.Exec("DELETE FROM account_tokens WHERE expires_at <= $1 OR used_at <= $2",
                    {Value{now_text}, Value{core::FormatUtc(now - std::chrono::hours(24))}}));
        VT_ASSIGN_OR_RETURN(std::int64_t counters,
                            tx.Exec("DELETE FROM login_throttle WHERE last_failure_at <= $1 AND "
                                    "(blocked_until IS NULL OR blocked_until <= $2)",
                                    {Value{core::FormatUtc(now - s.options.login_failure_window)},
                                     Value{now_text}}));
        deleted = sessions + tokens + counters;
        return Ok();
    }));
    return deleted;
}

Status IdentityService::Logout(std::string_view token) {
    Impl& s = *impl_;
    if (token.empty() || token.size() > 128) return Ok();
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query("DELETE FROM sessions WHERE token_hash = $1 RETURNING account_id",
                     {Value{internal::TokenDigest(token)}}));
        if (rows.empty()) return Ok();
        std::string account = rows[0].Text(0);
        return s.Record(tx, {.kind = "session.ended", .actor = account, .account = account});
    });
}

Status IdentityService::LogoutEverywhere(const core::Actor& actor) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAccountManage, Resource{.owner = actor.id}));
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            std::int64_t ended,
            tx.Exec("DELETE FROM sessions WHERE account_id = $1", {Value{actor.id}}));
        return s.Record(tx, {.kind = "session.ended_everywhere",
                             .actor = actor.id,
                             .account = actor.id,
                             .detail = {{"sesiones", ended}}});
    });
}

Result<TotpEnrolment> IdentityService::BeginTotpEnrolment(const std::string& account_id) {
    Impl& s = *impl_;
    std::string secret = FromHex(core::RandomHex(20));
    TotpEnrolment out;
    VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(auto found, s.FindAccount(tx, "id", account_id));
        if (!found || !found->account.active) return Error::NotFound("La cuenta no existe.");
        if (!IsStaff(found->account)) {
            return Error::Forbidden(
                "El segundo factor es para cuentas del personal del ministerio.");
        }
        if (found->account.second_factor) {
            return Error::Conflict(
                "second-factor-enrolled",
                "Ya tiene un segundo factor. Pida a un administrador que lo restablezca.");
        }
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE accounts SET totp_pending_secret = $2, updated_at = $3 WHERE id = $1",
                    {Value{account_id}, Value{ToHex(secret)}, Value{core::FormatUtc(s.Now())}}));
        out.secret_base32 = internal::Base32(secret);
        out.otpauth_uri = internal::OtpauthUri(s.options.totp_issuer, found->account.email, secret);
        return s.Record(tx, {.kind = "account.second_factor_started",
                             .actor = account_id,
                             .account = account_id,
                             .audited = false});
    }));
    return out;
}

Status IdentityService::ConfirmTotpEnrolment(const std::string& account_id, std::string_view code) {
    Impl& s = *impl_;
    TimePoint now = s.Now();
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(auto found, s.FindAccount(tx, "id", account_id));
        if (found && !IsStaff(found->account)) {
            return Error::Forbidden(
                "El segundo factor es para cuentas del personal del ministerio.");
        }
        if (!found || found->totp_pending.empty()) {
            return Error::Conflict("no-enrolment-pending",
                                   "Primero inicie la configuración del segundo factor.");
        }
        auto step =
            internal::TotpMatch(FromHex(found->totp_pending),
                                std::chrono::system_clock::to_time_t(now), internal::Trim(code));
        if (!step) {
            Error e(ErrorKind::kInvalid, "second-factor-invalid", "El código no es correcto.");
            e.WithField("codigo", "Escriba el código de seis dígitos que muestra la aplicación.");
            return e;
        }
        VT_ASSIGN_OR_RETURN(
            std::int64_t changed,
            tx.Exec(
                "UPDATE accounts SET totp_secret = totp_pending_secret, totp_pending_secret = "
                "NULL, "
                "totp_last_step = $3, updated_at = $4 WHERE id = $1 AND totp_pending_secret = $2",
                {Value{account_id}, Value{found->totp_pending}, Value{*step},
                 Value{core::FormatUtc(now)}}));
        if (changed == 0) {
            return Error::Conflict("no-enrolment-pending",
                                   "La configuración cambió mientras tanto; empiece de nuevo.");
        }
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE sessions SET second_factor_pending = 0 WHERE account_id = $1",
                    {Value{account_id}}));
        return s.Record(
            tx,
            {.kind = "account.second_factor_enrolled", .actor = account_id, .account = account_id});
    });
}

}  // namespace vt::identity
