#pragma once
/// The one authorization policy: "may actor A do action X on object O?". Every route and
/// every domain operation asks it; nothing else looks at roles to decide access.
///
/// Decide() is a pure function of its arguments, driven by one table in policy.cpp: each
/// action lists the grants that allow it (who, and which relations between the actor and
/// the object must hold). Anything not granted is denied.
///
/// Who is who:
///   - anonymous: only public actions;
///   - citizen: their own objects; with `actor.organization` set (the employer they act
///     for in this request, see IdentityService::ActingFor) also that organization's, and
///     `actor.roles` then holds their role in it (kOwnerRole or kRepresentativeRole);
///   - official: the objects of their office (`actor.office`), per their roles there;
///   - administrator: the back office (offices, officials, roles, API tokens) and reports;
///     never the contents of anyone's case;
///   - system: `core::Actor::System()` (id "sistema": jobs and the admin command line) may
///     do everything; a machine client (kind kSystem, id "api:<token id>", built from an
///     API token) may do exactly the actions whose ScopeOf() is among its `roles`.
///
/// All functions are pure and thread-safe.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vt/core/actor.hpp"
#include "vt/core/result.hpp"

namespace vt::identity {

/// Roles of a citizen within an employer organization.
inline constexpr std::string_view kOwnerRole = "propietario";
inline constexpr std::string_view kRepresentativeRole = "representante";

/// The workflow role of the person who filed the case (or a representative of the
/// organization it was filed for): a transition listing it is a step they take themselves.
inline constexpr std::string_view kApplicantRole = "solicitante";

/// The roles an official may hold in an office.
std::span<const std::string_view> OfficialRoles();

enum class Action {
    kCatalogView,         ///< Read trámite definitions. Public.
    kTrackingView,        ///< Public status of a case by tracking code. Public.
    kCalculatorUse,       ///< Severance calculator. Public.
    kCaseFile,            ///< File a trámite: owner = the applicant-to-be, organization = the
                          ///< employer filed for, office = the trámite's office, plus the
                          ///< trámite's flags `internal` and `anonymous_allowed`.
    kCaseFileOnBehalf,    ///< File at a window for someone else: owner = that citizen.
    kCaseView,            ///< Read a case: owner = applicant (an official who filed an
                          ///< internal trámite included), organization, office.
    kCaseTransition,      ///< Take a workflow transition: office, roles = the transition's;
                          ///< owner and organization for the applicant's own steps.
    kCaseAssign,          ///< Assign a case to an official: office.
    kInboxView,           ///< An office's inbox: office.
    kReportView,          ///< SLA and management reports.
    kDraftManage,         ///< Save, read, list drafts: owner = the draft's owner.
    kAccountManage,       ///< One's own account, sessions, second factor: owner = the account.
    kOrganizationCreate,  ///< Register an employer organization (the actor becomes its owner).
    kOrganizationView,    ///< An organization's data and representatives: organization.
    kOrganizationManage,  ///< Add or remove an organization's representatives: organization.
    kAdminManage,         ///< Offices, officials, roles, accounts, API tokens.
    kFileUpload,          ///< Upload a file (to attach it to a filing): owner = the uploader.
    kFileView,            ///< Download an uploaded file: owner = its uploader; office and
                          ///< organization = those of a case that references it.
    kDocumentIssue,       ///< Sign and issue a certificate or resolution: office = the case's.
    kDocumentRevoke,      ///< Revoke an issued document: office = the case's.
    kSanctionRecord,      ///< Record or settle a firm sanction for faltas de trabajo in the
                          ///< ministry's registry: office = the office that keeps it.
};

/// Every action, in declaration order.
std::span<const Action> AllActions();
/// "case.view", ... for logs and tests.
std::string_view ActionName(Action action);
/// The API-token scope that allows `action` to a machine client ("expedientes:leer", ...),
/// or empty when no machine client may ever do it.
std::string_view ScopeOf(Action action);
/// Every non-empty scope, sorted.
std::vector<std::string_view> KnownScopes();

/// What the action is done on. Empty strings mean "none".
struct Resource {
    std::string owner;         ///< Account id of the person it belongs to.
    std::string organization;  ///< Canonical NIT of the employer it belongs to / is for.
    std::string office;        ///< Code of the office responsible for it.
    /// kCaseTransition: the roles the workflow requires (any one suffices).
    std::vector<std::string> roles;
    bool internal = false;           ///< kCaseFile: a trámite only ministry staff file.
    bool anonymous_allowed = false;  ///< kCaseFile: the trámite accepts anonymous filings.
};

enum class Decision { kDeny, kAllow };

/// The policy. See the top of this header for its meaning.
Decision Decide(const core::Actor& actor, Action action, const Resource& resource);

/// Decide() as a Status: Ok when allowed; when denied, kUnauthenticated (code
/// "login-required") for an anonymous actor and kForbidden otherwise. Callers that must
/// not reveal whether an object exists (a case by number) answer NotFound instead.
[[nodiscard]] Status Authorize(const core::Actor& actor, Action action, const Resource& resource);

}  // namespace vt::identity
