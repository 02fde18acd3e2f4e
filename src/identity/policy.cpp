#include "vt/identity/policy.hpp"

#include <algorithm>
#include <array>

namespace vt::identity {
namespace {

using Kind = core::Actor::Kind;

// Conditions on the relation between actor and resource; a grant requires all of its own.
enum Condition : unsigned {
    kOwnerIsActor = 1u << 0,         // resource.owner is the actor
    kOwnerIsOther = 1u << 1,         // resource.owner is someone else (not empty)
    kNoOwner = 1u << 2,              // resource.owner is empty
    kOrganizationMatches = 1u << 3,  // resource.organization is the one the actor acts for
    kOrganizationNoneOrMatches = 1u << 4,
    kNoOrganization = 1u << 5,
    kOfficeMatches = 1u << 6,  // resource.office is the actor's office
    kNotInternal = 1u << 7,
    kAnonymousAllowed = 1u << 8,
    kRoleFromResource = 1u << 9,  // the actor holds one of resource.roles
    kApplicantStep = 1u << 10,    // resource.roles includes kApplicantRole
};

enum class Who { kAnyone, kAnonymous, kCitizen, kOfficial, kAdministrator, kPerson };

struct Grant {
    Who who;
    unsigned conditions = 0;
    // The actor must hold one of these roles (none listed: no requirement).
    std::vector<std::string_view> roles = {};
};

struct Rule {
    Action action;
    std::string_view name;
    std::string_view scope;  // for machine clients; empty: never
    std::vector<Grant> grants;
};

constexpr std::string_view kOfficialRoles[] = {"recepcion", "analista", "inspector", "jefe",
                                               "firma"};

// The policy. Read each rule as "allowed when any grant matches".
const Rule kRules[] = {
    {Action::kCatalogView, "catalog.view", "catalogo", {{Who::kAnyone}}},
    {Action::kTrackingView, "tracking.view", "seguimiento", {{Who::kAnyone}}},
    {Action::kCalculatorUse, "calculator.use", "calculadora", {{Who::kAnyone}}},
    {Action::kCaseFile,
     "case.file",
     "expedientes:presentar",
     {{Who::kAnonymous, kAnonymousAllowed | kNotInternal | kNoOwner | kNoOrganization},
      {Who::kCitizen, kOwnerIsActor | kOrganizationNoneOrMatches | kNotInternal},
      {Who::kOfficial, kOwnerIsActor | kNoOrganization}}},
    {Action::kCaseFileOnBehalf,
     "case.file_on_behalf",
     "",
     {{Who::kOfficial, kOwnerIsOther | kNoOrganization | kNotInternal, {"recepcion"}}}},
    {Action::kCaseView,
     "case.view",
     "expedientes:leer",
     {{Who::kCitizen, kOwnerIsActor},
      {Who::kCitizen, kOrganizationMatches},
      {Who::kOfficial, kOfficeMatches},
      // Staff follow the internal requests they file with another office (IT support).
      {Who::kOfficial, kOwnerIsActor}}},
    {Action::kCaseTransition,
     "case.transition",
     "expedientes:tramitar",
     {{Who::kOfficial, kOfficeMatches | kRoleFromResource},
      // A step the workflow leaves to the applicant (e.g. answering observations).
      {Who::kCitizen, kOwnerIsActor | kApplicantStep},
      {Who::kCitizen, kOrganizationMatches | kApplicantStep}}},
    {Action::kCaseAssign,
     "case.assign",
     "",
     {{Who::kOfficial, kOfficeMatches, {"jefe", "recepcion"}}}},
    {Action::kInboxView, "inbox.view", "", {{Who::kOfficial, kOfficeMatches}}},
    {Action::kReportView, "report.view", "informes", {{Who::kOfficial}, {Who::kAdministrator}}},
    {Action::kDraftManage,
     "draft.manage",
     "",
     {{Who::kCitizen, kOwnerIsActor}, {Who::kOfficial, kOwnerIsActor}}},
    {Action::kAccountManage, "account.manage", "", {{Who::kPerson, kOwnerIsActor}}},
    {Action::kOrganizationCreate, "organization.create", "", {{Who::kCitizen}}},
    {Action::kOrganizationView, "organization.view", "", {{Who::kCitizen, kOrganizationMatches}}},
    {Action::kOrganizationManage,
     "organization.manage",
     "",
     {{Who::kCitizen, kOrganizationMatches, {kOwnerRole}}}},
    {Action::kAdminManage, "admin.manage", "", {{Who::kAdministrator}}},
    {Action::kFileUpload,
     "file.upload",
     "expedientes:presentar",
     {{Who::kCitizen, kOwnerIsActor}, {Who::kOfficial, kOwnerIsActor}}},
    {Action::kFileView,
     "file.view",
     "expedientes:leer",
     {{Who::kCitizen, kOwnerIsActor},
      {Who::kCitizen, kOrganizationMatches},
      {Who::kOfficial, kOwnerIsActor},
      {Who::kOfficial, kOfficeMatches}}},
    {Action::kDocumentIssue, "document.issue", "", {{Who::kOfficial, kOfficeMatches, {"firma"}}}},
    {Action::kDocumentRevoke,
     "document.revoke",
     "",
     {{Who::kOfficial, kOfficeMatches, {"firma", "jefe"}}}},
    {Action::kSanctionRecord,
     "sanction.record",
     "",
     {{Who::kOfficial, kOfficeMatches, {"jefe", "analista"}}}},
};

constexpr std::array kAllActions = {
    Action::kCatalogView,        Action::kTrackingView,     Action::kCalculatorUse,
    Action::kCaseFile,           Action::kCaseFileOnBehalf, Action::kCaseView,
    Action::kCaseTransition,     Action::kCaseAssign,       Action::kInboxView,
    Action::kReportView,         Action::kDraftManage,      Action::kAccountManage,
    Action::kOrganizationCreate, Action::kOrganizationView, Action::kOrganizationManage,
    Action::kAdminManage,        Action::kFileUpload,       Action::kFileView,
    Action::kDocumentIssue,      Action::kDocumentRevoke,   Action::kSanctionRecord,
};

const Rule* RuleFor(Action action) {
    for (const Rule& r : kRules) {
        if (r.action == action) return &r;
    }
    return nullptr;
}

bool IsWho(const core::Actor& a, Who who) {
    switch (who) {
        case Who::kAnyone:
            return true;
        case Who::kAnonymous:
            return a.kind == Kind::kAnonymous;
        case Who::kCitizen:
            return a.kind == Kind::kCitizen;
        case Who::kOfficial:
            return a.kind == Kind::kOfficial;
        case Who::kAdministrator:
            return a.kind == Kind::kAdministrator;
        case Who::kPerson:
            return a.kind == Kind::kCitizen || a.kind == Kind::kOfficial ||
                   a.kind == Kind::kAdministrator;
    }
    return false;
}

bool Holds(const core::Actor& a, const Resource& r, unsigned c) {
    // An identity field that is empty never matches: an actor with no id owns nothing, one
    // with no organization or office belongs to none.
    auto same = [](const std::string& x, const std::string& y) { return !x.empty() && x == y; };
    if ((c & kOwnerIsActor) && !same(r.owner, a.id)) return false;
    if ((c & kOwnerIsOther) && (r.owner.empty() || r.owner == a.id)) return false;
    if ((c & kNoOwner) && !r.owner.empty()) return false;
    if ((c & kOrganizationMatches) && !same(r.organization, a.organization)) return false;
    if ((c & kOrganizationNoneOrMatches) && !r.organization.empty() &&
        !same(r.organization, a.organization)) {
        return false;
    }
    if ((c & kNoOrganization) && !r.organization.empty()) return false;
    if ((c & kOfficeMatches) && !same(r.office, a.office)) return false;
    if ((c & kNotInternal) && r.internal) return false;
    if ((c & kAnonymousAllowed) && !r.anonymous_allowed) return false;
    if ((c & kApplicantStep) &&
        std::find(r.roles.begin(), r.roles.end(), kApplicantRole) == r.roles.end()) {
        return false;
    }
    if (c & kRoleFromResource) {
        // Only official roles count: "solicitante" and "sistema" are never an official's.
        bool any = std::any_of(r.roles.begin(), r.roles.end(), [&](const std::string& role) {
            return std::find(std::begin(kOfficialRoles), std::end(kOfficialRoles), role) !=
                       std::end(kOfficialRoles) &&
                   a.HasRole(role);
        });
        if (!any) return false;
    }
    return true;
}

bool HasAnyRole(const core::Actor& a, const std::vector<std::string_view>& roles) {
    if (roles.empty()) return true;
    return std::any_of(roles.begin(), roles.end(),
                       [&](std::string_view r) { return a.HasRole(r); });
}

}  // namespace

std::span<const std::string_view> OfficialRoles() { return kOfficialRoles; }

std::span<const Action> AllActions() { return kAllActions; }

std::string_view ActionName(Action action) {
    const Rule* r = RuleFor(action);
    return r ? r->name : "unknown";
}

std::string_view ScopeOf(Action action) {
    const Rule* r = RuleFor(action);
    return r ? r->scope : "";
}

std::vector<std::string_view> KnownScopes() {
    std::vector<std::string_view> out;
    for (const Rule& r : kRules) {
        if (!r.scope.empty()) out.push_back(r.scope);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

Decision Decide(const core::Actor& actor, Action action, const Resource& resource) {
    const Rule* rule = RuleFor(action);
    if (!rule) return Decision::kDeny;
    if (actor.kind == Kind::kSystem) {
        if (actor.id == core::Actor::System().id) return Decision::kAllow;
        // A machine client: its scopes, nothing else.
        if (!rule->scope.empty() && actor.HasRole(rule->scope)) return Decision::kAllow;
        return Decision::kDeny;
    }
    for (const Grant& g : rule->grants) {
        if (IsWho(actor, g.who) && HasAnyRole(actor, g.roles) &&
            Holds(actor, resource, g.conditions)) {
            return Decision::kAllow;
        }
    }
    return Decision::kDeny;
}

Status Authorize(const core::Actor& actor, Action action, const Resource& resource) {
    if (Decide(actor, action, resource) == Decision::kAllow) return Ok();
    if (actor.kind == Kind::kAnonymous) {
        return Error(ErrorKind::kUnauthenticated, "login-required",
                     "Inicie sesión para continuar.");
    }
    return Error::Forbidden("No tiene permiso para esta acción.");
}

}  // namespace vt::identity
