#pragma once
/// Case files (expedientes): filing a trámite, its workflow, deadlines in días hábiles,
/// assignment, public tracking, and the SLA report. Every change of a case and its
/// audit entry commit in one transaction.

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vt/audit/verify.hpp"
#include "vt/catalog/catalog.hpp"
#include "vt/core/actor.hpp"
#include "vt/core/calendar.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace vt::cases {

/// Port: the officials who work an office, for round-robin assignment. The identity
/// module implements it; tests use a fake.
class OfficialDirectory {
public:
    virtual ~OfficialDirectory() = default;
    /// Account ids of the active officials of `office`, in a stable order. Thread-safe.
    virtual std::vector<std::string> OfficialsOf(std::string_view office) const = 0;
};

/// What an automatic check found (see catalog::Transition::automatic).
struct CheckOutcome {
    bool passed = false;
    /// One Spanish sentence, recorded in the case history: what was asked and found.
    std::string detail;
    /// What was found, recorded as the inputs of the automatic step (e.g. the sanctions).
    boost::json::object facts;
};

struct Case;

/// Port: a check that lets the system take an automatic transition by itself. Adapters
/// live with the data they consult (e.g. sanctions::NoFirmSanctionsCheck).
class AutomaticCheck {
public:
    virtual ~AutomaticCheck() = default;
    /// Whether `c` meets the check, for the rule of the transition at hand. Errors: when
    /// the check cannot answer (e.g. another agency is unreachable); the case then waits
    /// for the officials, and the message is recorded. Thread-safe; may block, bounded by
    /// the adapter's own timeout.
    [[nodiscard]] virtual Result<CheckOutcome> Evaluate(const Case& c,
                                                        const catalog::Transition::Automatic& rule) const = 0;
};

/// The checks a server provides, by the name definitions use in "verificacion".
using AutomaticChecks = std::map<std::string, const AutomaticCheck*, std::less<>>;

/// Ok when every check named by the current definitions of `registry` is in `checks`.
/// Errors: kInvalid naming the trámite, the transition and the missing check: a server
/// must not start with a definition it cannot automate.
[[nodiscard]] Status VerifyAutomaticChecks(const catalog::Registry& registry, const AutomaticChecks& checks);

struct CasesOptions {
    /// Prefix of case numbers: "MTPS-2026-000123".
    std::string number_prefix = "MTPS";
    /// A case whose deadline is this many días hábiles away or fewer is "due soon".
    int due_soon_working_days = 2;
    /// Most cases one inbox or list call returns.
    int max_page_size = 200;
};

enum class DeadlineStatus { kNone, kOnTime, kDueSoon, kOverdue, kClosed };
std::string_view DeadlineStatusName(DeadlineStatus s);  ///< "a_tiempo", "por_vencer", ...

struct CaseEvent {
    int seq = 0;
    std::string kind;        ///< "presentacion", "transicion", "asignacion".
    std::string transition;  ///< Transition id, for kind "transicion".
    std::string from_state, to_state;
    std::string actor;
    std::string actor_role;
    std::string comment;
    boost::json::object inputs;
    std::string at;  ///< RFC 3339 UTC.
};

struct Case {
    std::int64_t id = 0;
    std::string number;
    std::string tracking_code;
    std::string tramite_id;
    int tramite_version = 0;
    std::string state;
    std::string office;
    std::optional<std::string> assignee;
    std::optional<std::string> applicant;     ///< Null for anonymous filings.
    std::optional<std::string> organization;  ///< Employer NIT, when filed for one.
    std::optional<std::string> filed_by;      ///< An intermediary official, if any.
    boost::json::object answers;
    std::string filed_at;  ///< RFC 3339 UTC.
    std::string filed_on;  ///< Civil date the filing counts from (a día hábil).
    std::optional<std::string> due_on;        ///< Legal deadline of the whole trámite.
    std::string state_since;                  ///< Civil date the current state began.
    std::optional<std::string> state_due_on;  ///< Deadline of the current state.
    std::optional<std::string> closed_at;
    std::optional<std::string> closed_on;
    int revision = 1;  ///< Increases with every change; transitions may require it.
    std::vector<CaseEvent> events;
    DeadlineStatus deadline = DeadlineStatus::kNone;
};

/// The canonical JSON of a case as stored at one revision (every column of its row except
/// the internal id, and its events from case_events in seq order, so the history is
/// covered too), and its SHA-256 (hex). The audit entry of each change records the hash of
/// the case as read back inside the changing transaction; the verifier recomputes it from
/// the current rows. REQUIRES: `c.events` holds every event of the case (as Get() and
/// Submit() return it).
std::string CaseRowJson(const Case& c);
std::string CaseRowHash(const Case& c);

/// The cases table as `ventanilla audit verify` checks it: key = case number, row hash =
/// CaseRowHash(). A mismatch is explained by missing or extra event rows (table
/// case_events, key "<number>#<seq>") when there are any.
audit::CoveredTable AuditCoverage();

struct SubmitRequest {
    std::string tramite_id;
    boost::json::object answers;
    /// Chosen by the client; a retry with the same key and body returns the same case.
    std::string idempotency_key;
    /// Employer NIT the citizen files for (must be one they represent; checked by identity).
    std::optional<std::string> organization;
    /// For an official filing at a window on behalf of a citizen: the citizen's account id.
    std::optional<std::string> on_behalf_of;
    /// A draft to delete once the filing succeeds.
    std::optional<std::string> draft_id;
};

struct TransitionRequest {
    std::string transition;
    std::string comment;
    boost::json::object inputs;
    /// When set, the transition fails with kConflict (code "stale-revision") unless the
    /// case is still at this revision: what a person saw is what they act on.
    std::optional<int> expected_revision;
};

struct Draft {
    std::string id;
    std::string tramite_id;
    int tramite_version = 0;
    boost::json::object answers;
    std::string updated_at;
};

/// What anyone with the tracking code may see: no personal data.
struct PublicStatus {
    std::string tramite_id;
    std::string tramite_name;
    std::string state;
    std::string state_name;
    bool closed = false;
    std::string filed_on;
    std::optional<std::string> due_on;
    std::optional<std::string> closed_on;
    struct Step {
        std::string state_name;
        std::string on;  ///< Civil date.
    };
    std::vector<Step> history;
};

struct CaseSummary {
    std::string number;
    std::string tramite_id;
    std::string tramite_name;
    std::string state;
    std::string state_name;
    std::string office;
    std::optional<std::string> assignee;
    std::string filed_on;
    std::optional<std::string> due_on;
    std::optional<std::string> state_due_on;
    std::optional<std::string> closed_on;
    DeadlineStatus deadline = DeadlineStatus::kNone;
};

struct InboxFilter {
    std::string tramite_id;
    std::string state;
    bool only_overdue = false;
    bool only_mine = false;
    bool include_closed = false;
};

struct SlaRow {
    std::string key;   ///< Trámite id or office code.
    std::string name;
    int filed = 0;
    int resolved = 0;
    int open_overdue = 0;
    std::optional<double> median_working_days;  ///< Of resolved cases.
    std::optional<double> p90_working_days;
    std::optional<double> within_sla_share;     ///< Resolved on or before their deadline.
};

struct SlaReport {
    std::string from, to;  ///< Civil dates of filing, inclusive.
    std::vector<SlaRow> by_tramite;
    std::vector<SlaRow> by_office;
};

/// The case service. Thread-safe: every method may be called concurrently.
/// All references must outlive it.
class CaseService {
public:
    /// `checks` (which must outlive the service) are the automatic checks the definitions
    /// may name; see VerifyAutomaticChecks().
    CaseService(store::Store& store, const catalog::Registry& registry, const core::WorkingCalendar& calendar,
                const core::Clock& clock, const OfficialDirectory& officials, CasesOptions options = {},
                AutomaticChecks checks = {});

    /// Files a trámite. Validates every answer (kInvalid listing all fields), assigns the
    /// number and the tracking code, computes the deadlines, and records the filing and
    /// its audit entry in one transaction. Then the system takes, each in its own
    /// transaction with its audit entry, the automatic transitions of the state the case is
    /// in whose check passes (the first that passes, in definition order; a transition with
    /// no check always passes and records why the ones before it did not), and again from
    /// the state reached. A failure there leaves the case where it got to, for the
    /// officials; the filing stands. Returns the case as it ends.
    /// Errors: NotFound (unknown trámite), kInvalid (answers; or the trámite is not
    /// online), kForbidden (anonymous where not allowed, internal trámite by a
    /// non-official, on_behalf_of by a non-official), kConflict code
    /// "idempotency-key-reused" (same key, different request).
    [[nodiscard]] Result<Case> Submit(const core::Actor& actor, const SubmitRequest& request);

    /// The case with its history, if `actor` may see it: its applicant, a representative
    /// of its organization, an official of its office. Otherwise NotFound, exactly as for a
    /// number that does not exist, so numbers cannot be probed.
    [[nodiscard]] Result<Case> Get(const core::Actor& actor, std::string_view number);

    /// Takes a workflow transition. Errors: NotFound (as Get), kForbidden (not an official
    /// of the case's office with one of the transition's roles), kConflict
    /// "transition-not-allowed" (not from the current state) or "stale-revision" (someone
    /// acted first; the message names the current state), kInvalid (inputs); for a
    /// transition that extends the legal deadline (catalog::Transition::extends_working_days)
    /// kConflict "deadline-passed" once that deadline is over. Then the automatic
    /// transitions of the state reached are taken as in Submit().
    [[nodiscard]] Result<Case> Transition(const core::Actor& actor, std::string_view number,
                                          const TransitionRequest& request);

    /// Assigns the case to `official` (an official of its office), or, when empty, to the
    /// next official of the office in round-robin order. Only an official with role
    /// "jefe" or "recepcion" of the case's office may assign.
    [[nodiscard]] Result<Case> Assign(const core::Actor& actor, std::string_view number,
                                      const std::string& official);

    /// Public status by tracking code (case-insensitive, dashes optional).
    [[nodiscard]] Result<PublicStatus> Track(std::string_view code);

    /// Cases of the actor's office, open first, sorted by the nearest deadline.
    [[nodiscard]] Result<std::vector<CaseSummary>> Inbox(const core::Actor& actor, const InboxFilter& filter);

    /// The actor's own cases (and their organization's), newest first.
    [[nodiscard]] Result<std::vector<CaseSummary>> MyCases(const core::Actor& actor);

    /// Saves (creates or replaces) a draft of a filing. Answers are not validated yet.
    [[nodiscard]] Result<Draft> SaveDraft(const core::Actor& actor, const std::string& tramite_id,
                                          const boost::json::object& answers,
                                          const std::optional<std::string>& draft_id);
    [[nodiscard]] Result<Draft> GetDraft(const core::Actor& actor, std::string_view draft_id);
    /// The actor's own drafts, newest first. Errors: as identity::Authorize for
    /// kDraftManage (citizens and officials only).
    [[nodiscard]] Result<std::vector<Draft>> ListDrafts(const core::Actor& actor);

    /// Filing, resolution and deadline figures per trámite and per office, for cases filed
    /// between `from` and `to` ("YYYY-MM-DD", inclusive). Officials and administrators only.
    [[nodiscard]] Result<SlaReport> Report(const core::Actor& actor, const std::string& from, const std::string& to);

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace vt::cases
