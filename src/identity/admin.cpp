// The back office: offices, officials and their roles, administrators, account status, and
// the first administrator of a fresh install.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "fields.hpp"
#include "secrets.hpp"
#include "service_impl.hpp"
#include "vt/core/geo.hpp"

namespace vt::identity {
namespace {

namespace json = boost::json;

json::array ToJson(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

Error NoSuchAccount() { return Error::NotFound("La cuenta no existe."); }

}  // namespace

Result<Office> IdentityService::CreateOffice(const core::Actor& actor, const Office& office) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    internal::FieldErrors errors;
    std::string code = internal::Trim(office.code);
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool code_ok = code.size() >= 2 && code.size() <= 20 &&
                   std::isalpha(static_cast<unsigned char>(code[0])) &&
                   std::all_of(code.begin(), code.end(), [](char c) {
                       return std::isupper(static_cast<unsigned char>(c)) ||
                              std::isdigit(static_cast<unsigned char>(c)) || c == '-';
                   });
    if (!code_ok)
        errors["codigo"] =
            "Use de 2 a 20 letras, dígitos o guiones, empezando por una letra (p. ej. IGT).";
    std::string name = internal::NormalizeName(office.name, errors);
    std::string municipio = internal::Trim(office.municipio);
    if (!core::FindMunicipio(municipio).ok()) {
        errors["municipio"] =
            "Indique el código de cuatro dígitos del municipio (p. ej. 0101 para Guatemala).";
    }
    if (!errors.empty())
        return Error::Invalid("Revise los datos de la oficina.", std::move(errors));
    VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            std::int64_t inserted,
            tx.Exec(
                "INSERT INTO offices (code, name, municipio, created_at) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (code) DO NOTHING",
                {Value{code}, Value{name}, Value{municipio}, Value{core::FormatUtc(s.Now())}}));
        if (inserted == 0)
            return Error::Conflict("office-exists",
                                   "Ya existe una oficina con el código " + code + ".");
        return s.Record(tx, {.kind = "office.created",
                             .actor = actor.AuditName(),
                             .object_type = "office",
                             .object_id = code,
                             .detail = {{"nombre", name}, {"municipio", municipio}}});
    }));
    return Office{code, name, municipio};
}

Result<std::vector<Office>> IdentityService::ListOffices(const core::Actor& actor) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    std::vector<Office> out;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query("SELECT code, name, municipio FROM offices ORDER BY code"));
        for (const store::Row& r : rows) out.push_back({r.Text(0), r.Text(1), r.Text(2)});
        return Ok();
    }));
    return out;
}

Result<NewStaffAccount> IdentityService::Impl::CreateStaff(
    const core::Actor& actor, AccountKind kind, std::string_view email_text,
    std::string_view name_text, const std::string& office,
    const std::vector<std::string>& roles_in) {
    Impl& s = *this;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    internal::FieldErrors errors;
    std::string email = internal::NormalizeEmail(email_text, errors);
    std::string name = internal::NormalizeName(name_text, errors);
    std::vector<std::string> roles;
    if (kind == AccountKind::kOfficial) {
        roles = internal::NormalizeRoles(roles_in, errors);
        if (office.empty()) errors["oficina"] = "Indique la oficina.";
    }
    if (!errors.empty()) return Error::Invalid("Revise los datos de la cuenta.", std::move(errors));
    std::string id = NewAccountId();
    std::string link;
    Status st = s.store.Write([&](Tx& tx) -> Status {
        if (kind == AccountKind::kOfficial) {
            VT_ASSIGN_OR_RETURN(store::Rows o, tx.Query("SELECT code FROM offices WHERE code = $1",
                                                        {Value{office}}));
            if (o.empty())
                return Error::Invalid("Revise los datos de la cuenta.",
                                      {{"oficina", "No existe esa oficina."}});
        }
        VT_ASSIGN_OR_RETURN(
            store::Row taken,
            tx.QueryOne("SELECT count(*) FROM accounts WHERE email = $1", {Value{email}}));
        if (taken.Int(0) > 0)
            return Error::Conflict("account-exists", "Ya existe una cuenta con ese correo.");
        std::string now = core::FormatUtc(s.Now());
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO accounts (id, kind, email, name, office, created_at, updated_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $6)",
                    {Value{id}, Value{std::string(KindColumn(kind))}, Value{email}, Value{name},
                     office.empty() ? Value{} : Value{office}, Value{now}}));
        for (const auto& r : roles) {
            VT_RETURN_IF_ERROR(
                tx.Exec("INSERT INTO official_roles (account_id, role) VALUES ($1, $2)",
                        {Value{id}, Value{r}}));
        }
        VT_ASSIGN_OR_RETURN(std::string token,
                            s.IssueToken(tx, id, TokenPurpose::kReset, s.options.activation_ttl));
        link = s.options.public_url + "/cuenta/activar?token=" + token;
        VT_RETURN_IF_ERROR(
            s.Mail(tx, email, "Active su cuenta de la Ventanilla del Ministerio de Trabajo",
                   "Hola, " + name + ":\n\nSe creó su cuenta de " +
                       (kind == AccountKind::kOfficial ? "personal de la oficina " + office
                                                       : std::string("administración")) +
                       " en la Ventanilla. Para elegir su contraseña, abra este enlace:\n\n" +
                       link + "\n\nEl enlace sirve una sola vez y vence en " +
                       std::to_string(s.options.activation_ttl.count() / 3600) +
                       " horas. Al iniciar sesión por primera vez configurará el segundo factor de "
                       "autenticación.\n",
                   "activacion"));
        return s.Record(
            tx, {.kind = "account.created",
                 .actor = actor.AuditName(),
                 .account = id,
                 .detail = {
                     {"tipo", KindColumn(kind)}, {"oficina", office}, {"roles", ToJson(roles)}}});
    });
    if (!st.ok()) {
        if (st.error().code() == "constraint")
            return Error::Conflict("account-exists", "Ya existe una cuenta con ese correo.");
        return std::move(st).error();
    }
    return NewStaffAccount{id, link};
}

Result<NewStaffAccount> IdentityService::CreateOfficial(const core::Actor& actor,
                                                        const NewOfficial& official) {
    std::string office = internal::Trim(official.office);
    for (char& c : office) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return impl_->CreateStaff(actor, AccountKind::kOfficial, official.email, official.name, office,
                              official.roles);
}

Result<NewStaffAccount> IdentityService::CreateAdministrator(const core::Actor& actor,
                                                             std::string_view email,
                                                             std::string_view name) {
    return impl_->CreateStaff(actor, AccountKind::kAdministrator, email, name, "", {});
}

Result<std::vector<Account>> IdentityService::ListStaff(const core::Actor& actor) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    std::vector<Account> out;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query("SELECT id FROM accounts WHERE kind IN ('funcionario', "
                                     "'administrador') ORDER BY name, email"));
        for (const store::Row& r : rows) {
            VT_ASSIGN_OR_RETURN(auto found, s.FindAccount(tx, "id", r.Text(0)));
            if (found) out.push_back(std::move(found->account));
        }
        return Ok();
    }));
    return out;
}

Result<std::vector<Colleague>> IdentityService::ListColleagues(const core::Actor& actor,
                                                               std::string_view office) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(
        Authorize(actor, Action::kInboxView, Resource{.office = std::string(office)}));
    std::vector<Colleague> out;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query("SELECT a.id, a.name, r.role FROM accounts a LEFT JOIN official_roles r "
                     "ON r.account_id = a.id WHERE a.kind = 'funcionario' AND a.office = $1 "
                     "AND a.status = 'activa' ORDER BY a.name, a.id, r.role",
                     {Value{std::string(office)}}));
        for (const store::Row& r : rows) {
            if (out.empty() || out.back().id != r.Text(0)) out.push_back({r.Text(0), r.Text(1), {}});
            if (auto role = r.OptText(2)) out.back().roles.push_back(*role);
        }
        return Ok();
    }));
    return out;
}

Result<std::map<std::string, std::string>> IdentityService::StaffNames(
    const core::Actor& actor, const std::vector<std::string>& account_ids) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kInboxView, Resource{.office = actor.office}));
    std::vector<std::string> ids = account_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::map<std::string, std::string> out;
    // One query per batch of ids keeps the statement bounded however long the history is.
    constexpr std::size_t kBatch = 100;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        for (std::size_t from = 0; from < ids.size(); from += kBatch) {
            std::vector<Value> params;
            std::string in;
            for (std::size_t i = from; i < ids.size() && i < from + kBatch; ++i) {
                params.emplace_back(ids[i]);
                in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
            }
            VT_ASSIGN_OR_RETURN(store::Rows rows,
                                tx.Query("SELECT id, name FROM accounts WHERE kind IN "
                                         "('funcionario', 'administrador') AND id IN (" +
                                             in + ")",
                                         params));
            for (const store::Row& r : rows) out.emplace(r.Text(0), r.Text(1));
        }
        return Ok();
    }));
    return out;
}

Result<Account> IdentityService::GetStaff(const core::Actor& actor, const std::string& account_id) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    std::optional<AccountRecord> found;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(found, s.FindAccount(tx, "id", account_id));
        return Ok();
    }));
    if (!found || found->account.kind == AccountKind::kCitizen) return NoSuchAccount();
    return std::move(found->account);
}

Status IdentityService::SetOfficialRoles(const core::Actor& actor, const std::string& account_id,
                                         const std::string& office_text,
                                         const std::vector<std::string>& roles_in) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    internal::FieldErrors errors;
    std::vector<std::string> roles = internal::NormalizeRoles(roles_in, errors);
    std::string office = internal::Trim(office_text);
    for (char& c : office) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (office.empty()) errors["oficina"] = "Indique la oficina.";
    if (!errors.empty()) return Error::Invalid("Revise los roles.", std::move(errors));
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(auto found, s.FindAccount(tx, "id", account_id));
        if (!found || found->account.kind != AccountKind::kOfficial) return NoSuchAccount();
        VT_ASSIGN_OR_RETURN(store::Rows o,
                            tx.Query("SELECT code FROM offices WHERE code = $1", {Value{office}}));
        if (o.empty())
            return Error::Invalid("Revise los roles.", {{"oficina", "No existe esa oficina."}});
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE accounts SET office = $2, updated_at = $3 WHERE id = $1",
                    {Value{account_id}, Value{office}, Value{core::FormatUtc(s.Now())}}));
        VT_RETURN_IF_ERROR(
            tx.Exec("DELETE FROM official_roles WHERE account_id = $1", {Value{account_id}}));
        for (const auto& r : roles) {
            VT_RETURN_IF_ERROR(
                tx.Exec("INSERT INTO official_roles (account_id, role) VALUES ($1, $2)",
                        {Value{account_id}, Value{r}}));
        }
        return s.Record(tx, {.kind = "account.roles_changed",
                             .actor = actor.AuditName(),
                             .account = account_id,
                             .detail = {{"oficina_anterior", found->account.office},
                                        {"roles_anteriores", ToJson(found->account.roles)},
                                        {"oficina", office},
                                        {"roles", ToJson(roles)}}});
    });
}

Status IdentityService::SetAccountActive(const core::Actor& actor, const std::string& account_id,
                                         bool active) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(auto found, s.FindAccount(tx, "id", account_id));
        if (!found) return NoSuchAccount();
        if (found->account.active == active) return Ok();
        if (!active && found->account.kind == AccountKind::kAdministrator) {
            // Serialise administrator changes on the bootstrap row so two administrators
            // disabling each other at once cannot leave none.
            VT_RETURN_IF_ERROR(tx.Exec("UPDATE identity_bootstrap SET at = at WHERE id = 1"));
            VT_ASSIGN_OR_RETURN(
                store::Row n,
                tx.QueryOne("SELECT count(*) FROM accounts WHERE kind = 'administrador' "
                            "AND status = 'activa' AND id <> $1",
                            {Value{account_id}}));
            if (n.Int(0) == 0) {
                return Error::Conflict("last-administrator",
                                       "No se puede desactivar al único administrador activo.");
            }
        }
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE accounts SET status = $2, updated_at = $3 WHERE id = $1",
                    {Value{account_id}, Value{std::string(active ? "activa" : "desactivada")},
                     Value{core::FormatUtc(s.Now())}}));
        if (!active)
            VT_RETURN_IF_ERROR(
                tx.Exec("DELETE FROM sessions WHERE account_id = $1", {Value{account_id}}));
        return s.Record(tx, {.kind = active ? "account.enabled" : "account.disabled",
                             .actor = actor.AuditName(),
                             .account = account_id});
    });
}

Status IdentityService::ResetSecondFactor(const core::Actor& actor, const std::string& account_id) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(auto found, s.FindAccount(tx, "id", account_id));
        if (!found || found->account.kind == AccountKind::kCitizen) return NoSuchAccount();
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE accounts SET totp_secret = NULL, totp_pending_secret = NULL, "
                    "totp_last_step = NULL, updated_at = $2 WHERE id = $1",
                    {Value{account_id}, Value{core::FormatUtc(s.Now())}}));
        VT_RETURN_IF_ERROR(
            tx.Exec("DELETE FROM sessions WHERE account_id = $1", {Value{account_id}}));
        return s.Record(tx, {.kind = "account.second_factor_reset",
                             .actor = actor.AuditName(),
                             .account = account_id});
    });
}

Result<std::string> IdentityService::BootstrapAdministrator(std::string_view email_text,
                                                            std::string_view name_text,
                                                            std::string_view password) {
    Impl& s = *impl_;
    internal::FieldErrors errors;
    std::string email = internal::NormalizeEmail(email_text, errors);
    std::string name = internal::NormalizeName(name_text, errors);
    auto policy = internal::CheckPasswordPolicy(
        password, {"", email, name}, s.options.password_min_length, s.options.password_max_length);
    if (!policy.ok()) errors["contrasena"] = policy.error().fields().at("contrasena");
    if (!errors.empty())
        return Error::Invalid("Revise los datos del administrador.", std::move(errors));
    VT_ASSIGN_OR_RETURN(std::string hash, s.hasher.Hash(password));
    std::string id = Impl::NewAccountId();
    const Error exists =
        Error::Conflict("administrator-exists",
                        "Esta instalación ya tiene administrador; pídale que cree su cuenta.");
    Status st = s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            store::Row n,
            tx.QueryOne("SELECT count(*) FROM accounts WHERE kind = 'administrador'"));
        if (n.Int(0) > 0) return exists;
        VT_ASSIGN_OR_RETURN(
            store::Row taken,
            tx.QueryOne("SELECT count(*) FROM accounts WHERE email = $1", {Value{email}}));
        if (taken.Int(0) > 0)
            return Error::Conflict("account-exists", "Ya existe una cuenta con ese correo.");
        std::string now = core::FormatUtc(s.Now());
        // The single allowed row: a concurrent bootstrap fails on its primary key.
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO identity_bootstrap (id, account_id, at) VALUES (1, $1, $2)",
                    {Value{id}, Value{now}}));
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO accounts (id, kind, email, name, password_hash, email_verified, "
                    "created_at, updated_at) "
                    "VALUES ($1, 'administrador', $2, $3, $4, 1, $5, $5)",
                    {Value{id}, Value{email}, Value{name}, Value{hash}, Value{now}}));
        return s.Record(tx, {.kind = "account.bootstrapped", .actor = "sistema", .account = id});
    });
    if (!st.ok()) {
        if (st.error().code() == "constraint") return exists;
        return std::move(st).error();
    }
    return id;
}

}  // namespace vt::identity
