// Employer organizations and their representatives.
#include <boost/json.hpp>

#include "fields.hpp"
#include "service_impl.hpp"
#include "vt/core/cui.hpp"
#include "vt/core/nit.hpp"

namespace vt::identity {
namespace {

namespace json = boost::json;

Result<std::string> CanonicalNit(std::string_view text) {
    auto nit = core::ParseNit(text);
    if (!nit.ok()) return Error::Invalid("Revise el NIT.", {{"nit", nit.error().message()}});
    return nit->ToString();
}

Error NotRepresented() {
    return Error::NotFound("No representa a esa organización, o no está registrada.");
}

// Takes the organization's row lock until commit, so changes to one organization's members
// run one at a time on PostgreSQL too (SQLite runs writers one at a time anyway): the check
// "an owner remains" then sees every committed change.
Status LockOrganization(Tx& tx, const std::string& nit) {
    auto r =
        tx.Exec("UPDATE organizations SET legal_name = legal_name WHERE nit = $1", {Value{nit}});
    if (!r.ok()) return std::move(r).error();
    return Ok();
}

// The member's role as the policy sees it, or empty when they are not one.
Result<std::string> RoleIn(Tx& tx, const std::string& nit, const std::string& account) {
    VT_ASSIGN_OR_RETURN(store::Rows rows,
                        tx.Query("SELECT role FROM organization_members WHERE nit = $1 AND "
                                 "account_id = $2",
                                 {Value{nit}, Value{account}}));
    return rows.empty() ? std::string() : rows[0].Text(0);
}

// The policy asked again under the lock, with the role as it is now: the owner may have
// lost it meanwhile.
Status StillAllowed(Tx& tx, const core::Actor& person, const std::string& nit) {
    VT_ASSIGN_OR_RETURN(std::string role, RoleIn(tx, nit, person.id));
    core::Actor now = person;
    now.organization = nit;
    now.roles = {role};
    if (Decide(now, Action::kOrganizationManage, Resource{.organization = nit}) !=
        Decision::kAllow) {
        return Error::Forbidden("Solo el propietario puede agregar o quitar representantes.");
    }
    return Ok();
}

}  // namespace

Result<core::Actor> IdentityService::ActingFor(const core::Actor& person,
                                               std::string_view nit_text) {
    Impl& s = *impl_;
    VT_ASSIGN_OR_RETURN(std::string nit, CanonicalNit(nit_text));
    if (person.kind != core::Actor::Kind::kCitizen || person.id.empty()) return NotRepresented();
    std::string role;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(role, RoleIn(tx, nit, person.id));
        return Ok();
    }));
    if (role.empty()) return NotRepresented();
    core::Actor acting = person;
    acting.organization = nit;
    acting.roles = {role};
    return acting;
}

Result<Membership> IdentityService::RegisterOrganization(const core::Actor& actor,
                                                         std::string_view nit_text,
                                                         std::string_view legal_name_text) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kOrganizationCreate, {}));
    internal::FieldErrors errors;
    auto nit = core::ParseNit(nit_text);
    if (!nit.ok()) errors["nit"] = nit.error().message();
    std::string legal_name = internal::NormalizeName(legal_name_text, errors, "razon_social");
    if (!errors.empty())
        return Error::Invalid("Revise los datos de la organización.", std::move(errors));
    Membership m{nit->ToString(), legal_name, std::string(kOwnerRole)};
    Status st = s.store.Write([&](Tx& tx) -> Status {
        std::string now = core::FormatUtc(s.Now());
        VT_ASSIGN_OR_RETURN(
            std::int64_t inserted,
            tx.Exec("INSERT INTO organizations (nit, legal_name, created_at, created_by) "
                    "VALUES ($1, $2, $3, $4) ON CONFLICT (nit) DO NOTHING",
                    {Value{m.nit}, Value{m.legal_name}, Value{now}, Value{actor.id}}));
        if (inserted == 0) {
            return Error::Conflict(
                "organization-exists",
                "Esa organización ya está registrada. Pida a su propietario que lo agregue "
                "como representante.");
        }
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO organization_members (nit, account_id, role, added_at, added_by) "
                    "VALUES ($1, $2, $3, $4, $2)",
                    {Value{m.nit}, Value{actor.id}, Value{m.role}, Value{now}}));
        return s.Record(tx, {.kind = "organization.registered",
                             .actor = actor.id,
                             .account = actor.id,
                             .object_type = "organization",
                             .object_id = m.nit,
                             .detail = {{"razon_social", m.legal_name}}});
    });
    if (!st.ok()) return std::move(st).error();
    return m;
}

Status IdentityService::AddRepresentative(const core::Actor& actor, std::string_view nit_text,
                                          std::string_view cui_text, std::string_view role_text) {
    Impl& s = *impl_;
    VT_ASSIGN_OR_RETURN(core::Actor owner, ActingFor(actor, nit_text));
    if (Decide(owner, Action::kOrganizationManage, Resource{.organization = owner.organization}) !=
        Decision::kAllow) {
        return Error::Forbidden("Solo el propietario puede agregar o quitar representantes.");
    }
    internal::FieldErrors errors;
    auto cui = core::ParseCui(cui_text);
    if (!cui.ok()) errors["cui"] = cui.error().message();
    std::string role =
        role_text.empty() ? std::string(kRepresentativeRole) : std::string(role_text);
    if (role != kOwnerRole && role != kRepresentativeRole) {
        errors["rol"] = "El rol debe ser «propietario» o «representante».";
    }
    if (!errors.empty())
        return Error::Invalid("Revise los datos del representante.", std::move(errors));
    const std::string& nit = owner.organization;
    return s.store.Write([&](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(LockOrganization(tx, nit));
        VT_RETURN_IF_ERROR(StillAllowed(tx, actor, nit));
        VT_ASSIGN_OR_RETURN(auto person, s.FindAccount(tx, "cui", cui->digits));
        if (!person || !person->account.active) {
            return Error::NotFound(
                "No hay una cuenta de ciudadano con ese CUI. La persona debe registrarse primero.");
        }
        const std::string& id = person->account.id;
        VT_ASSIGN_OR_RETURN(std::string old_role, RoleIn(tx, nit, id));
        if (old_role == kOwnerRole && role != kOwnerRole) {
            // Demoting an owner must leave another one.
            VT_ASSIGN_OR_RETURN(
                store::Row owners,
                tx.QueryOne("SELECT count(*) FROM organization_members WHERE nit = $1 "
                            "AND role = 'propietario'",
                            {Value{nit}}));
            if (owners.Int(0) <= 1) {
                return Error::Conflict("last-owner",
                                       "La organización debe conservar al menos un propietario.");
            }
        }
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO organization_members (nit, account_id, role, added_at, added_by) "
                    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (nit, account_id) "
                    "DO UPDATE SET role = excluded.role",
                    {Value{nit}, Value{id}, Value{role}, Value{core::FormatUtc(s.Now())},
                     Value{actor.id}}));
        return s.Record(tx,
                        {.kind = "organization.representative_added",
                         .actor = actor.id,
                         .account = id,
                         .object_type = "organization",
                         .object_id = nit,
                         .detail = {{"cuenta", id}, {"rol", role}, {"rol_anterior", old_role}}});
    });
}

Status IdentityService::RemoveRepresentative(const core::Actor& actor, std::string_view nit_text,
                                             std::string_view cui_text) {
    Impl& s = *impl_;
    VT_ASSIGN_OR_RETURN(core::Actor owner, ActingFor(actor, nit_text));
    if (Decide(owner, Action::kOrganizationManage, Resource{.organization = owner.organization}) !=
        Decision::kAllow) {
        return Error::Forbidden("Solo el propietario puede agregar o quitar representantes.");
    }
    auto cui = core::ParseCui(cui_text);
    if (!cui.ok()) return Error::Invalid("Revise el CUI.", {{"cui", cui.error().message()}});
    const std::string& nit = owner.organization;
    return s.store.Write([&](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(LockOrganization(tx, nit));
        VT_RETURN_IF_ERROR(StillAllowed(tx, actor, nit));
        VT_ASSIGN_OR_RETURN(auto person, s.FindAccount(tx, "cui", cui->digits));
        const Error not_member = Error::NotFound("Esa persona no representa a la organización.");
        if (!person) return not_member;
        const std::string& id = person->account.id;
        VT_ASSIGN_OR_RETURN(store::Rows removed,
                            tx.Query("DELETE FROM organization_members WHERE nit = $1 AND "
                                     "account_id = $2 RETURNING role",
                                     {Value{nit}, Value{id}}));
        if (removed.empty()) return not_member;
        // Under the organization's lock: two owners removing each other cannot both succeed.
        VT_ASSIGN_OR_RETURN(store::Row owners,
                            tx.QueryOne("SELECT count(*) FROM organization_members WHERE nit = $1 "
                                        "AND role = 'propietario'",
                                        {Value{nit}}));
        if (owners.Int(0) == 0) {
            return Error::Conflict("last-owner",
                                   "La organización debe conservar al menos un propietario.");
        }
        return s.Record(tx, {.kind = "organization.representative_removed",
                             .actor = actor.id,
                             .account = id,
                             .object_type = "organization",
                             .object_id = nit,
                             .detail = {{"cuenta", id}, {"rol", removed[0].Text(0)}}});
    });
}

Result<std::vector<Representative>> IdentityService::ListRepresentatives(
    const core::Actor& actor, std::string_view nit_text) {
    Impl& s = *impl_;
    VT_ASSIGN_OR_RETURN(core::Actor member, ActingFor(actor, nit_text));
    VT_RETURN_IF_ERROR(Authorize(member, Action::kOrganizationView,
                                 Resource{.organization = member.organization}));
    std::vector<Representative> out;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query("SELECT a.cui, a.name, m.role, m.added_at FROM organization_members m "
                     "JOIN accounts a ON a.id = m.account_id WHERE m.nit = $1 "
                     "ORDER BY CASE WHEN m.role = 'propietario' THEN 0 ELSE 1 END, a.name, a.cui",
                     {Value{member.organization}}));
        for (const store::Row& r : rows) {
            out.push_back({r.OptText(0).value_or(""), r.Text(1), r.Text(2), r.Text(3)});
        }
        return Ok();
    }));
    return out;
}

}  // namespace vt::identity
