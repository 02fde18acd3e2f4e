// Accounts: the shared storage helpers, citizen registration, email verification, password
// reset and the account view.
#include <boost/json.hpp>

#include "fields.hpp"
#include "secrets.hpp"
#include "service_impl.hpp"
#include "vt/audit/audit.hpp"
#include "vt/core/cui.hpp"
#include "vt/core/random.hpp"

namespace vt::identity {

namespace json = boost::json;

namespace {

constexpr const char* kAccountColumns =
    "id, kind, cui, name, email, phone, office, password_hash, email_verified, status, "
    "totp_secret, "
    "totp_pending_secret, totp_last_step";

std::string_view PurposeColumn(TokenPurpose p) {
    return p == TokenPurpose::kVerification ? "verificacion" : "restablecimiento";
}

}  // namespace

std::string_view AccountKindName(AccountKind kind) { return KindColumn(kind); }

std::string_view KindColumn(AccountKind kind) {
    switch (kind) {
        case AccountKind::kCitizen:
            return "ciudadano";
        case AccountKind::kOfficial:
            return "funcionario";
        case AccountKind::kAdministrator:
            return "administrador";
    }
    return "ciudadano";
}

std::optional<AccountKind> KindFromColumn(std::string_view text) {
    if (text == "ciudadano") return AccountKind::kCitizen;
    if (text == "funcionario") return AccountKind::kOfficial;
    if (text == "administrador") return AccountKind::kAdministrator;
    return std::nullopt;
}

Error TokenInvalid() {
    return Error(ErrorKind::kInvalid, "token-invalid",
                 "El enlace no es válido, ya se usó o venció. Solicite uno nuevo.");
}

IdentityService::Impl::Impl(store::Store& s, const core::Clock& c, MailSink& m, IdentityOptions o)
    : store(s),
      clock(c),
      mail(m),
      options(std::move(o)),
      hasher(options.password_opslimit, options.password_memlimit, options.max_concurrent_hashes) {}

Result<std::optional<AccountRecord>> IdentityService::Impl::FindAccount(
    Tx& tx, std::string_view column, const std::string& value) const {
    // `column` is one of three literals chosen by this module, never user input.
    VT_ASSIGN_OR_RETURN(store::Rows rows,
                        tx.Query(std::string("SELECT ") + kAccountColumns +
                                     " FROM accounts WHERE " + std::string(column) + " = $1",
                                 {Value{value}}));
    if (rows.empty()) return std::optional<AccountRecord>();
    const store::Row& r = rows[0];
    AccountRecord rec;
    Account& a = rec.account;
    a.id = r.Text(0);
    a.kind = KindFromColumn(r.Text(1)).value_or(AccountKind::kCitizen);
    a.cui = r.OptText(2).value_or("");
    a.name = r.Text(3);
    a.email = r.Text(4);
    a.phone = r.OptText(5).value_or("");
    a.office = r.OptText(6).value_or("");
    rec.password_hash = r.OptText(7).value_or("");
    a.email_verified = r.Int(8) != 0;
    a.active = r.Text(9) == "activa";
    rec.totp_secret = r.OptText(10).value_or("");
    rec.totp_pending = r.OptText(11).value_or("");
    rec.totp_last_step = r.OptInt(12);
    a.second_factor = !rec.totp_secret.empty();
    if (a.kind == AccountKind::kOfficial) {
        VT_ASSIGN_OR_RETURN(
            store::Rows roles,
            tx.Query("SELECT role FROM official_roles WHERE account_id = $1 ORDER BY role",
                     {Value{a.id}}));
        for (const store::Row& role : roles) a.roles.push_back(role.Text(0));
    }
    if (a.kind == AccountKind::kCitizen) {
        VT_ASSIGN_OR_RETURN(
            store::Rows orgs,
            tx.Query("SELECT m.nit, o.legal_name, m.role FROM organization_members m "
                     "JOIN organizations o ON o.nit = m.nit WHERE m.account_id = $1 "
                     "ORDER BY o.legal_name, m.nit",
                     {Value{a.id}}));
        for (const store::Row& o : orgs)
            a.organizations.push_back({o.Text(0), o.Text(1), o.Text(2)});
    }
    return std::optional<AccountRecord>(std::move(rec));
}

Status IdentityService::Impl::Record(Tx& tx, SecurityEvent e) const {
    std::string at = core::FormatUtc(Now());
    if (e.object_id.empty()) e.object_id = e.account.empty() ? "desconocida" : e.account;
    json::object row{{"at", at},
                     {"kind", e.kind},
                     {"actor", e.actor},
                     {"account_id", e.account},
                     {"address", e.address},
                     {"detail", e.detail}};
    std::string detail = json::serialize(e.detail);
    auto opt = [](const std::string& s) { return s.empty() ? Value{} : Value{s}; };
    VT_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO security_events (at, kind, actor, account_id, address, detail) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {Value{at}, Value{e.kind}, Value{e.actor}, opt(e.account), opt(e.address), Value{detail}}));
    if (!e.audited) return Ok();
    audit::Entry entry{e.actor,     e.kind, e.object_type,
                       e.object_id, at,     audit::Sha256Hex(json::serialize(row))};
    auto appended = audit::Append(tx, entry);
    if (!appended.ok()) return std::move(appended).error();
    return Ok();
}

Result<std::string> IdentityService::Impl::IssueToken(Tx& tx, const std::string& account_id,
                                                      TokenPurpose purpose,
                                                      std::chrono::seconds ttl) const {
    std::string token = internal::NewToken();
    auto now = Now();
    VT_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO account_tokens (token_hash, account_id, purpose, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        {Value{internal::TokenDigest(token)}, Value{account_id},
         Value{std::string(PurposeColumn(purpose))}, Value{core::FormatUtc(now)},
         Value{core::FormatUtc(now + ttl)}}));
    return token;
}

Result<std::string> IdentityService::Impl::ConsumeToken(Tx& tx, std::string_view token,
                                                        TokenPurpose purpose) const {
    if (token.empty() || token.size() > 128) return TokenInvalid();
    VT_ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query("UPDATE account_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 "
                 "AND used_at IS NULL AND expires_at > $3 RETURNING account_id",
                 {Value{internal::TokenDigest(token)}, Value{std::string(PurposeColumn(purpose))},
                  Value{core::FormatUtc(Now())}}));
    if (rows.empty()) return TokenInvalid();
    return rows[0].Text(0);
}

Result<std::string> IdentityService::Impl::PeekToken(Tx& tx, std::string_view token,
                                                     TokenPurpose purpose) const {
    if (token.empty() || token.size() > 128) return TokenInvalid();
    VT_ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query("SELECT account_id FROM account_tokens WHERE token_hash = $1 AND purpose = $2 "
                 "AND used_at IS NULL AND expires_at > $3",
                 {Value{internal::TokenDigest(token)}, Value{std::string(PurposeColumn(purpose))},
                  Value{core::FormatUtc(Now())}}));
    if (rows.empty()) return TokenInvalid();
    return rows[0].Text(0);
}

Status IdentityService::Impl::Mail(Tx& tx, const std::string& to, std::string subject,
                                   std::string text, std::string kind) const {
    return mail.Enqueue(tx, MailMessage{to, std::move(subject), std::move(text), std::move(kind)});
}

core::Actor IdentityService::Impl::ActorOf(const Account& a) {
    core::Actor actor;
    switch (a.kind) {
        case AccountKind::kCitizen:
            actor.kind = core::Actor::Kind::kCitizen;
            break;
        case AccountKind::kOfficial:
            actor.kind = core::Actor::Kind::kOfficial;
            break;
        case AccountKind::kAdministrator:
            actor.kind = core::Actor::Kind::kAdministrator;
            break;
    }
    actor.id = a.id;
    if (a.kind == AccountKind::kOfficial) {
        actor.office = a.office;
        actor.roles = a.roles;
    }
    return actor;
}

std::string IdentityService::Impl::NewAccountId() { return core::RandomHex(8); }

IdentityService::IdentityService(store::Store& store, const core::Clock& clock, MailSink& mail,
                                 IdentityOptions options)
    : impl_(std::make_unique<Impl>(store, clock, mail, std::move(options))) {}

IdentityService::~IdentityService() = default;

const IdentityOptions& IdentityService::options() const { return impl_->options; }

Result<std::string> IdentityService::RegisterCitizen(const Registration& reg) {
    Impl& s = *impl_;
    internal::FieldErrors errors;
    std::string cui;
    auto parsed = core::ParseCui(reg.cui);
    if (parsed.ok()) {
        cui = parsed->digits;
    } else {
        errors["cui"] = parsed.error().message();
    }
    std::string name = internal::NormalizeName(reg.name, errors);
    std::string email = internal::NormalizeEmail(reg.email, errors);
    std::string phone = internal::NormalizePhone(reg.phone, errors);
    auto policy =
        internal::CheckPasswordPolicy(reg.password, {cui, email, name},
                                      s.options.password_min_length, s.options.password_max_length);
    if (!policy.ok()) errors["contrasena"] = policy.error().fields().at("contrasena");
    if (!errors.empty()) return Error::Invalid("Revise los datos de la cuenta.", std::move(errors));

    VT_ASSIGN_OR_RETURN(std::string hash, s.hasher.Hash(reg.password));
    std::string id = Impl::NewAccountId();
    Status st = s.store.Write([&](Tx& tx) -> Status {
        // Uniqueness is the constraints' job; asking first only gives the clearer answer
        // when the account exists already.
        VT_ASSIGN_OR_RETURN(
            store::Row taken,
            tx.QueryOne("SELECT count(*) FROM accounts WHERE cui = $1 OR email = $2",
                        {Value{cui}, Value{email}}));
        if (taken.Int(0) > 0) {
            return Error::Conflict("account-exists",
                                   "Ya existe una cuenta con ese CUI o ese correo electrónico. "
                                   "Si es suya, inicie sesión o restablezca la contraseña.");
        }
        std::string now = core::FormatUtc(s.Now());
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO accounts (id, kind, cui, email, name, phone, password_hash, "
                    "created_at, updated_at) "
                    "VALUES ($1, 'ciudadano', $2, $3, $4, $5, $6, $7, $7)",
                    {Value{id}, Value{cui}, Value{email}, Value{name},
                     phone.empty() ? Value{} : Value{phone}, Value{hash}, Value{now}}));
        VT_ASSIGN_OR_RETURN(std::string token, s.IssueToken(tx, id, TokenPurpose::kVerification,
                                                            s.options.verification_ttl));
        VT_RETURN_IF_ERROR(
            s.Mail(tx, email, "Confirme su correo en la Ventanilla del Ministerio de Trabajo",
                   "Hola, " + name +
                       ":\n\nPara activar su cuenta en la Ventanilla del Ministerio de Trabajo, "
                       "abra este enlace:\n\n" +
                       s.options.public_url + "/cuenta/verificar?token=" + token +
                       "\n\nEl enlace vence en " +
                       std::to_string(s.options.verification_ttl.count() / 3600) +
                       " horas. Si usted no creó esta cuenta, ignore este mensaje.\n",
                   "verificacion"));
        return s.Record(tx, {.kind = "account.registered", .actor = id, .account = id});
    });
    if (!st.ok()) {
        // Two registrations racing for the same CUI or email: the constraint decides.
        if (st.error().code() == "constraint") {
            return Error::Conflict("account-exists",
                                   "Ya existe una cuenta con ese CUI o ese correo electrónico.");
        }
        return std::move(st).error();
    }
    return id;
}

Status IdentityService::VerifyEmail(std::string_view token) {
    Impl& s = *impl_;
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(std::string account,
                            s.ConsumeToken(tx, token, TokenPurpose::kVerification));
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE accounts SET email_verified = 1, updated_at = $2 WHERE id = $1",
                    {Value{account}, Value{core::FormatUtc(s.Now())}}));
        return s.Record(tx,
                        {.kind = "account.email_verified", .actor = account, .account = account});
    });
}

Status IdentityService::RequestPasswordReset(std::string_view email_text) {
    Impl& s = *impl_;
    internal::FieldErrors errors;
    std::string email = internal::NormalizeEmail(email_text, errors);
    if (!errors.empty()) return Error::Invalid("Revise el correo.", std::move(errors));
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(auto found, s.FindAccount(tx, "email", email));
        if (!found || !found->account.active) return Ok();
        const Account& a = found->account;
        std::string recent = core::FormatUtc(s.Now() - s.options.password_reset_interval);
        VT_ASSIGN_OR_RETURN(store::Row r,
                            tx.QueryOne("SELECT count(*) FROM account_tokens WHERE account_id = $1 "
                                        "AND purpose = 'restablecimiento' AND created_at > $2",
                                        {Value{a.id}, Value{recent}}));
        if (r.Int(0) > 0) return Ok();
        VT_ASSIGN_OR_RETURN(std::string token, s.IssueToken(tx, a.id, TokenPurpose::kReset,
                                                            s.options.password_reset_ttl));
        VT_RETURN_IF_ERROR(s.Mail(
            tx, a.email, "Restablecer su contraseña de la Ventanilla",
            "Hola, " + a.name +
                ":\n\nRecibimos una solicitud para restablecer su contraseña. Para elegir una "
                "nueva, "
                "abra este enlace:\n\n" +
                s.options.public_url + "/cuenta/restablecer?token=" + token +
                "\n\nEl enlace sirve una sola vez y vence en " +
                std::to_string(s.options.password_reset_ttl.count() / 60) +
                " minutos. Si usted no lo pidió, ignore este mensaje: su contraseña no cambia.\n",
            "restablecimiento"));
        return s.Record(
            tx, {.kind = "account.password_reset_requested", .actor = "anonimo", .account = a.id});
    });
}

Status IdentityService::ResetPassword(std::string_view token, std::string_view new_password) {
    Impl& s = *impl_;
    // Check the token and the password before hashing, so neither a bad link nor a weak
    // password costs a hash or burns the link.
    std::optional<AccountRecord> account;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(std::string id, s.PeekToken(tx, token, TokenPurpose::kReset));
        VT_ASSIGN_OR_RETURN(account, s.FindAccount(tx, "id", id));
        return Ok();
    }));
    if (!account || !account->account.active) return TokenInvalid();
    const Account& a = account->account;
    VT_RETURN_IF_ERROR(internal::CheckPasswordPolicy(new_password, {a.cui, a.email, a.name},
                                                     s.options.password_min_length,
                                                     s.options.password_max_length));
    VT_ASSIGN_OR_RETURN(std::string hash, s.hasher.Hash(new_password));
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(std::string id, s.ConsumeToken(tx, token, TokenPurpose::kReset));
        if (id != a.id) return TokenInvalid();
        std::string now = core::FormatUtc(s.Now());
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE accounts SET password_hash = $2, email_verified = 1, updated_at = $3 "
                    "WHERE id = $1",
                    {Value{id}, Value{hash}, Value{now}}));
        // Every other outstanding link dies with this one, and so does every session.
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE account_tokens SET used_at = $2 WHERE account_id = $1 "
                    "AND purpose = 'restablecimiento' AND used_at IS NULL",
                    {Value{id}, Value{now}}));
        VT_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE account_id = $1", {Value{id}}));
        return s.Record(tx, {.kind = "account.password_reset", .actor = id, .account = id});
    });
}

Result<Account> IdentityService::Me(const core::Actor& actor) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAccountManage, Resource{.owner = actor.id}));
    std::optional<AccountRecord> found;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(found, s.FindAccount(tx, "id", actor.id));
        return Ok();
    }));
    if (!found) return Error::NotFound("La cuenta no existe.");
    return std::move(found->account);
}

std::vector<std::string> IdentityService::OfficialsOf(std::string_view office) const {
    Impl& s = *impl_;
    std::vector<std::string> out;
    Status st = s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query("SELECT id FROM accounts WHERE kind = 'funcionario' AND office = $1 "
                     "AND status = 'activa' ORDER BY created_at, id",
                     {Value{std::string(office)}}));
        for (const store::Row& r : rows) out.push_back(r.Text(0));
        return Ok();
    });
    if (!st.ok()) return {};
    return out;
}

}  // namespace vt::identity
