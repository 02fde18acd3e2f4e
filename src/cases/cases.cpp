#include "vt/cases/cases.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "vt/audit/audit.hpp"
#include "vt/core/date.hpp"
#include "vt/core/random.hpp"
#include "vt/identity/policy.hpp"

namespace vt::cases {
namespace {

namespace json = boost::json;
using store::Row;
using store::Tx;
using store::Value;

constexpr char kColumns[] =
    "id, number, tracking_code, tramite_id, tramite_version, state, office, assignee, applicant, organization, "
    "filed_by, answers, filed_at, filed_on, due_on, state_since, state_due_on, closed_at, closed_on, revision";

Value Opt(const std::optional<std::string>& s) { return s ? Value{*s} : Value{}; }

Case FromRow(const Row& r) {
    Case c;
    c.id = r.Int(0);
    c.number = r.Text(1);
    c.tracking_code = r.Text(2);
    c.tramite_id = r.Text(3);
    c.tramite_version = static_cast<int>(r.Int(4));
    c.state = r.Text(5);
    c.office = r.Text(6);
    c.assignee = r.OptText(7);
    c.applicant = r.OptText(8);
    c.organization = r.OptText(9);
    c.filed_by = r.OptText(10);
    json::value answers = json::parse(r.Text(11));
    if (answers.is_object()) c.answers = std::move(answers.as_object());
    c.filed_at = r.Text(12);
    c.filed_on = r.Text(13);
    c.due_on = r.OptText(14);
    c.state_since = r.Text(15);
    c.state_due_on = r.OptText(16);
    c.closed_at = r.OptText(17);
    c.closed_on = r.OptText(18);
    c.revision = static_cast<int>(r.Int(19));
    return c;
}

constexpr char kEventColumns[] = "seq, kind, transition, from_state, to_state, actor, actor_role, comment, inputs, at";

// An event from kEventColumns starting at column `at`.
CaseEvent EventFromRow(const Row& r, std::size_t at = 0) {
    CaseEvent e;
    e.seq = static_cast<int>(r.Int(at));
    e.kind = r.Text(at + 1);
    e.transition = r.OptText(at + 2).value_or("");
    e.from_state = r.OptText(at + 3).value_or("");
    e.to_state = r.OptText(at + 4).value_or("");
    e.actor = r.Text(at + 5);
    e.actor_role = r.OptText(at + 6).value_or("");
    e.comment = r.OptText(at + 7).value_or("");
    if (auto inputs = r.OptText(at + 8)) {
        json::value v = json::parse(*inputs);
        if (v.is_object()) e.inputs = std::move(v.as_object());
    }
    e.at = r.Text(at + 9);
    return e;
}

// Crockford's base32 alphabet: no I, L, O or U, so codes survive being read aloud.
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// 12 symbols × 5 bits = 60 random bits, shown as XXXX-XXXX-XXXX.
std::string NewTrackingCode() {
    unsigned char raw[12];
    randombytes_buf(raw, sizeof raw);
    std::string code;
    for (int i = 0; i < 12; ++i) {
        if (i > 0 && i % 4 == 0) code.push_back('-');
        code.push_back(kAlphabet[raw[i] & 31]);
    }
    return code;
}

// Accepts lowercase, spaces and missing dashes; maps the look-alikes O→0, I/L→1.
std::optional<std::string> NormalizeTrackingCode(std::string_view input) {
    std::string symbols;
    for (char ch : input) {
        char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (c == '-' || c == ' ') continue;
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (!std::strchr(kAlphabet, c) || c == '\0') return std::nullopt;
        symbols.push_back(c);
    }
    if (symbols.size() != 12) return std::nullopt;
    return symbols.substr(0, 4) + "-" + symbols.substr(4, 4) + "-" + symbols.substr(8, 4);
}

// Nearest-rank percentile; empty for no data.
std::optional<double> Percentile(std::vector<int> v, double p) {
    if (v.empty()) return std::nullopt;
    std::sort(v.begin(), v.end());
    std::size_t rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::max<std::size_t>(rank, 1) - 1];
}

}  // namespace

std::string_view DeadlineStatusName(DeadlineStatus s) {
    switch (s) {
        case DeadlineStatus::kNone: return "sin_plazo";
        case DeadlineStatus::kOnTime: return "a_tiempo";
        case DeadlineStatus::kDueSoon: return "por_vencer";
        case DeadlineStatus::kOverdue: return "vencido";
        case DeadlineStatus::kClosed: return "cerrado";
    }
    return "";
}

std::string CaseRowJson(const Case& c) {
    auto opt = [](const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); };
    auto text = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
    // Keys in lexicographic order so the bytes are canonical; empty event fields are the
    // NULLs of case_events.
    json::array events;
    for (const CaseEvent& e : c.events) {
        json::object ev;
        ev["actor"] = e.actor;
        ev["actor_role"] = text(e.actor_role);
        ev["at"] = e.at;
        ev["comment"] = text(e.comment);
        ev["from_state"] = text(e.from_state);
        ev["inputs"] = e.inputs.empty() ? json::value(nullptr) : json::value(e.inputs);
        ev["kind"] = e.kind;
        ev["seq"] = e.seq;
        ev["to_state"] = text(e.to_state);
        ev["transition"] = text(e.transition);
        events.push_back(std::move(ev));
    }
    json::object o;
    o["answers"] = c.answers;
    o["applicant"] = opt(c.applicant);
    o["assignee"] = opt(c.assignee);
    o["closed_at"] = opt(c.closed_at);
    o["closed_on"] = opt(c.closed_on);
    o["due_on"] = opt(c.due_on);
    o["events"] = std::move(events);
    o["filed_at"] = c.filed_at;
    o["filed_by"] = opt(c.filed_by);
    o["filed_on"] = c.filed_on;
    o["number"] = c.number;
    o["office"] = c.office;
    o["organization"] = opt(c.organization);
    o["revision"] = c.revision;
    o["state"] = c.state;
    o["state_due_on"] = opt(c.state_due_on);
    o["state_since"] = c.state_since;
    o["tracking_code"] = c.tracking_code;
    o["tramite_id"] = c.tramite_id;
    o["tramite_version"] = c.tramite_version;
    return json::serialize(o);
}

std::string CaseRowHash(const Case& c) { return audit::Sha256Hex(CaseRowJson(c)); }

audit::CoveredTable AuditCoverage() {
    audit::CoveredTable table;
    table.table = "cases";
    table.object_type = "case";
    table.rows = [](Tx& tx) -> Result<std::vector<audit::CoveredRow>> {
        std::vector<audit::CoveredRow> out;
        constexpr std::size_t kPage = 500;
        std::int64_t after = std::numeric_limits<std::int64_t>::min();
        while (true) {
            VT_ASSIGN_OR_RETURN(store::Rows rows,
                                tx.Query(std::string("SELECT ") + kColumns + " FROM cases WHERE id > $1 ORDER BY id "
                                                                             "LIMIT " + std::to_string(kPage),
                                         {Value{after}}));
            if (rows.empty()) break;
            std::vector<Case> page;
            std::map<std::int64_t, std::size_t> by_id;
            for (const Row& r : rows) {
                by_id[r.Int(0)] = page.size();
                page.push_back(FromRow(r));
            }
            VT_ASSIGN_OR_RETURN(store::Rows events,
                                tx.Query(std::string("SELECT case_id, ") + kEventColumns +
                                             " FROM case_events WHERE case_id >= $1 AND case_id <= $2 "
                                             "ORDER BY case_id, seq",
                                         {Value{page.front().id}, Value{page.back().id}}));
            for (const Row& r : events) {
                auto it = by_id.find(r.Int(0));
                if (it != by_id.end()) page[it->second].events.push_back(EventFromRow(r, 1));
            }
            for (const Case& c : page) out.push_back({c.number, CaseRowHash(c)});
            after = page.back().id;
            if (rows.size() < kPage) break;
        }
        return out;
    };
    // Each change of a case adds exactly one event and one revision, so its events are
    // numbered 1..revision: a gap is a deleted event, a number past the revision an
    // inserted one.
    table.explain = [](Tx& tx, const std::string& number) -> Result<std::vector<audit::Finding>> {
        std::vector<audit::Finding> out;
        VT_ASSIGN_OR_RETURN(Row c, tx.QueryOne("SELECT id, revision FROM cases WHERE number = $1", {Value{number}}));
        VT_ASSIGN_OR_RETURN(store::Rows events,
                            tx.Query("SELECT seq FROM case_events WHERE case_id = $1 ORDER BY seq", {Value{c.Int(0)}}));
        std::int64_t revision = c.Int(1);
        std::set<std::int64_t> seqs;
        for (const Row& e : events) seqs.insert(e.Int(0));
        for (std::int64_t seq = 1; seq <= revision; ++seq) {
            if (seqs.count(seq)) continue;
            out.push_back({"case_events", number + "#" + std::to_string(seq), std::string(audit::kDeleted),
                           "Falta el evento " + std::to_string(seq) + " del expediente, que está en la revisión " +
                               std::to_string(revision) + "."});
        }
        for (std::int64_t seq : seqs) {
            if (seq >= 1 && seq <= revision) continue;
            out.push_back({"case_events", number + "#" + std::to_string(seq),
                           std::string(audit::kInsertedWithoutEntry),
                           "El evento " + std::to_string(seq) + " no corresponde a ningún cambio registrado (revisión " +
                               std::to_string(revision) + ")."});
        }
        if (out.empty()) {
            out.push_back({"cases", number, std::string(audit::kAltered),
                           "La fila del expediente o uno de sus eventos (case_events) no coincide con su última "
                           "entrada del registro de auditoría."});
        }
        return out;
    };
    return table;
}

// Automatic steps taken one after another from one filing or transition at most: a
// definition whose automatic transitions loop cannot keep a request busy.
constexpr int kMaxAutomaticSteps = 8;

struct CaseService::Impl {
    store::Store& store;
    const catalog::Registry& registry;
    const core::WorkingCalendar& calendar;
    const core::Clock& clock;
    const OfficialDirectory& officials;
    CasesOptions options;
    AutomaticChecks checks;

    core::Date Today() const { return core::GuatemalaDate(clock.Now()); }

    std::optional<std::string> AddDays(const std::string& from, std::optional<int> days) const {
        if (!days) return std::nullopt;
        auto d = core::ParseIsoDate(from);
        if (!d.ok()) return std::nullopt;
        return core::FormatIsoDate(calendar.AddWorkingDays(*d, *days));
    }

    DeadlineStatus StatusOf(const std::optional<std::string>& closed_on, const std::optional<std::string>& due) const {
        if (closed_on) return DeadlineStatus::kClosed;
        if (!due) return DeadlineStatus::kNone;
        auto d = core::ParseIsoDate(*due);
        if (!d.ok()) return DeadlineStatus::kNone;
        core::Date today = Today();
        if (today > *d) return DeadlineStatus::kOverdue;
        if (calendar.WorkingDaysBetween(today, *d) <= options.due_soon_working_days) return DeadlineStatus::kDueSoon;
        return DeadlineStatus::kOnTime;
    }

    // The nearer of the state's and the whole trámite's deadlines.
    static std::optional<std::string> Nearest(const std::optional<std::string>& a, const std::optional<std::string>& b) {
        if (!a) return b;
        if (!b) return a;
        return std::min(*a, *b);
    }

    static identity::Resource ResourceOf(const Case& c) {
        identity::Resource r;
        r.owner = c.applicant.value_or("");
        r.organization = c.organization.value_or("");
        r.office = c.office;
        return r;
    }

    // Whoever may not see a case is told it does not exist, so numbers cannot be probed.
    static bool MaySee(const core::Actor& a, const Case& c) {
        return identity::Decide(a, identity::Action::kCaseView, ResourceOf(c)) == identity::Decision::kAllow;
    }

    Result<Case> LoadCase(Tx& tx, std::string_view number, bool with_events) {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query(std::string("SELECT ") + kColumns + " FROM cases WHERE number = $1",
                                     {Value{std::string(number)}}));
        if (rows.empty()) return Error::NotFound("No existe el expediente " + std::string(number) + ".");
        Case c = FromRow(rows[0]);
        if (with_events) {
            VT_ASSIGN_OR_RETURN(store::Rows events,
                                tx.Query(std::string("SELECT ") + kEventColumns +
                                             " FROM case_events WHERE case_id = $1 ORDER BY seq",
                                         {Value{c.id}}));
            for (const Row& r : events) c.events.push_back(EventFromRow(r));
        }
        c.deadline = StatusOf(c.closed_on, Nearest(c.state_due_on, c.due_on));
        return c;
    }

    Status AddEvent(Tx& tx, const Case& c, const CaseEvent& e) {
        VT_RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO case_events (case_id, seq, kind, transition, from_state, to_state, actor, actor_role, "
            "comment, inputs, at) VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_events WHERE case_id = $1), "
            "$2, $3, $4, $5, $6, $7, $8, $9, $10)",
            {Value{c.id}, Value{e.kind}, e.transition.empty() ? Value{} : Value{e.transition},
             e.from_state.empty() ? Value{} : Value{e.from_state}, e.to_state.empty() ? Value{} : Value{e.to_state},
             Value{e.actor}, e.actor_role.empty() ? Value{} : Value{e.actor_role},
             e.comment.empty() ? Value{} : Value{e.comment},
             e.inputs.empty() ? Value{} : Value{json::serialize(e.inputs)}, Value{e.at}}));
        return Ok();
    }

    // Hashes the row and its events as stored, read back inside the changing transaction:
    // exactly what the verifier will read.
    Status Audit(Tx& tx, const core::Actor& actor, std::string action, const Case& c, const std::string& at) {
        VT_ASSIGN_OR_RETURN(Case stored, LoadCase(tx, c.number, true));
        VT_ASSIGN_OR_RETURN(auto index,
                            audit::Append(tx, audit::Entry{actor.AuditName(), std::move(action), "case", c.number, at,
                                                           CaseRowHash(stored)}));
        (void)index;
        return Ok();
    }

    const catalog::Definition* DefinitionOf(const Case& c) const {
        return registry.Find(c.tramite_id, c.tramite_version);
    }

    CaseSummary Summarize(const Case& c) const {
        CaseSummary s;
        s.number = c.number;
        s.tramite_id = c.tramite_id;
        s.state = c.state;
        if (const auto* def = DefinitionOf(c)) {
            s.tramite_name = def->name;
            if (const auto* st = def->workflow.FindState(c.state)) s.state_name = st->name;
        }
        s.office = c.office;
        s.assignee = c.assignee;
        s.filed_on = c.filed_on;
        s.due_on = c.due_on;
        s.state_due_on = c.state_due_on;
        s.closed_on = c.closed_on;
        s.deadline = StatusOf(c.closed_on, Nearest(c.state_due_on, c.due_on));
        return s;
    }

    // Moves `c` (as read in `tx`) along `t` as `actor` acting in `role`: the row (compare-
    // and-set on its revision), the event and the audit entry. The caller has checked that
    // the actor may take it and validated the inputs.
    Status Apply(Tx& tx, const core::Actor& actor, const catalog::Definition& def, const Case& c,
                 const catalog::Transition& t, const std::string& role, const json::object& inputs,
                 const std::string& comment) {
        auto now = clock.Now();
        std::string at = core::FormatUtc(now);
        std::string today = core::FormatIsoDate(Today());
        const catalog::State* next = def.workflow.FindState(t.to);
        Case updated = c;
        updated.state = t.to;
        updated.state_since = today;
        updated.state_due_on = next && !next->terminal ? AddDays(today, next->sla_working_days) : std::nullopt;
        if (next && next->terminal) {
            updated.closed_at = at;
            updated.closed_on = today;
        }
        if (t.extends_working_days) {
            // The extension runs from the deadline in force, and only while it runs.
            if (!c.due_on) return Error::Conflict("no-deadline", "El trámite no tiene un plazo que prorrogar.");
            if (today > *c.due_on) {
                return Error::Conflict("deadline-passed", "El plazo venció el " + *c.due_on +
                                                              ": ya no se puede prorrogar.");
            }
            updated.due_on = AddDays(*c.due_on, t.extends_working_days);
        }
        updated.revision = c.revision + 1;
        // Compare-and-set on the revision: of two officials acting at once, one wins.
        VT_ASSIGN_OR_RETURN(std::int64_t changed,
                            tx.Exec("UPDATE cases SET state = $1, state_since = $2, state_due_on = $3, closed_at = $4, "
                                    "closed_on = $5, revision = $6, due_on = $7 WHERE id = $8 AND revision = $9",
                                    {Value{updated.state}, Value{updated.state_since}, Opt(updated.state_due_on),
                                     Opt(updated.closed_at), Opt(updated.closed_on),
                                     Value{std::int64_t{updated.revision}}, Opt(updated.due_on), Value{c.id},
                                     Value{std::int64_t{c.revision}}}));
        if (changed != 1) {
            return Error::Conflict("stale-revision",
                                   "Otra persona actuó antes sobre el expediente. Recárguelo y vuelva a intentar.");
        }
        CaseEvent e;
        e.kind = "transicion";
        e.transition = t.id;
        e.from_state = c.state;
        e.to_state = t.to;
        e.actor = actor.AuditName();
        e.actor_role = role;
        e.comment = comment;
        e.inputs = inputs;
        e.at = at;
        VT_RETURN_IF_ERROR(AddEvent(tx, updated, e));
        VT_RETURN_IF_ERROR(Audit(tx, actor, "case.transition", updated, at));
        return Ok();
    }

    // Takes the automatic transitions from the state of case `number`, as the system (see
    // CaseService::Submit). Never fails: what could not be done is left to the officials.
    void Automate(const std::string& number) {
        for (int step = 0; step < kMaxAutomaticSteps; ++step) {
            Case c;
            if (!store.Read([&](Tx& tx) -> Status {
                          VT_ASSIGN_OR_RETURN(c, LoadCase(tx, number, false));
                          return Ok();
                      }).ok()) {
                return;
            }
            const catalog::Definition* def = DefinitionOf(c);
            if (!def || c.closed_at) return;
            std::string not_passed;  // why the checks before the one taken did not pass
            json::object found;      // and what they found
            const catalog::Transition* taken = nullptr;
            CheckOutcome outcome;
            for (const catalog::Transition* t : def->workflow.From(c.state)) {
                if (!t->automatic) continue;
                const std::string& name = t->automatic->check;
                if (name.empty()) {
                    taken = t;
                    outcome = CheckOutcome{true, not_passed, found};
                    break;
                }
                auto check = checks.find(name);
                Result<CheckOutcome> r = check == checks.end()
                                             ? Result<CheckOutcome>(Error::Unavailable(
                                                   "check-missing", "Este servidor no tiene la verificación."))
                                             : check->second->Evaluate(c, *t->automatic);
                if (!r.ok()) {
                    not_passed += (not_passed.empty() ? "" : " ") + std::string("No se pudo verificar «") + name +
                                  "»: " + r.error().message();
                    continue;
                }
                if (!r->passed) {
                    not_passed += (not_passed.empty() ? "" : " ") + r->detail;
                    for (const auto& kv : r->facts) found[kv.key()] = kv.value();
                    continue;
                }
                taken = t;
                outcome = std::move(r).value();
                break;
            }
            if (!taken) return;
            Status st = store.Write([&](Tx& tx) -> Status {
                VT_ASSIGN_OR_RETURN(Case fresh, LoadCase(tx, number, false));
                if (fresh.revision != c.revision) {
                    return Error::Conflict("stale-revision", "El expediente cambió mientras se verificaba.");
                }
                return Apply(tx, core::Actor::System(), *def, fresh, *taken, "sistema", outcome.facts,
                             outcome.detail.substr(0, 5000));
            });
            if (!st.ok()) return;
        }
    }

    Result<std::vector<CaseSummary>> List(std::string_view where, const std::vector<Value>& params,
                                          std::string_view order) {
        std::vector<CaseSummary> out;
        VT_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
            std::string sql = std::string("SELECT ") + kColumns + " FROM cases WHERE " + std::string(where) +
                              " ORDER BY " + std::string(order) + " LIMIT " + std::to_string(options.max_page_size);
            VT_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql, params));
            for (const Row& r : rows) out.push_back(Summarize(FromRow(r)));
            return Ok();
        }));
        return out;
    }
};

CaseService::CaseService(store::Store& store, const catalog::Registry& registry, const core::WorkingCalendar& calendar,
                         const core::Clock& clock, const OfficialDirectory& officials, CasesOptions options,
                         AutomaticChecks checks)
    : impl_(std::make_shared<Impl>(
          Impl{store, registry, calendar, clock, officials, std::move(options), std::move(checks)})) {}

Status VerifyAutomaticChecks(const catalog::Registry& registry, const AutomaticChecks& checks) {
    for (const catalog::Definition* d : registry.All()) {
        for (const catalog::Transition& t : d->workflow.transitions) {
            if (!t.automatic || t.automatic->check.empty() || checks.contains(t.automatic->check)) continue;
            return Error::Invalid("La transición «" + t.id + "» del trámite " + d->id + " usa la verificación «" +
                                  t.automatic->check + "», que este servidor no tiene.");
        }
    }
    return Ok();
}

Result<Case> CaseService::Submit(const core::Actor& actor, const SubmitRequest& req) {
    Impl& s = *impl_;
    const catalog::Definition* def = s.registry.Current(req.tramite_id);
    if (!def) return Error::NotFound("No existe el trámite " + req.tramite_id + ".");
    if (def->channel != catalog::Channel::kDigital) {
        return Error::Invalid("El trámite «" + def->name + "» todavía se presenta en persona.");
    }
    if (!def->link.empty()) {
        return Error::Invalid("«" + def->name + "» no se presenta como expediente: úselo en " + def->link + ".");
    }
    identity::Resource filing;
    filing.owner = req.on_behalf_of.value_or(actor.id);
    filing.organization = req.organization.value_or("");
    filing.office = def->office;
    filing.internal = std::all_of(def->audience.begin(), def->audience.end(),
                                  [](catalog::Audience a) { return a == catalog::Audience::kInternal; });
    filing.anonymous_allowed = def->allow_anonymous;
    if (req.on_behalf_of) {
        VT_RETURN_IF_ERROR(identity::Authorize(actor, identity::Action::kCaseFileOnBehalf, filing));
    } else {
        VT_RETURN_IF_ERROR(identity::Authorize(actor, identity::Action::kCaseFile, filing));
    }
    if (req.idempotency_key.size() > 200) return Error::Invalid("La clave de idempotencia es demasiado larga.");

    auto now = s.clock.Now();
    std::string at = core::FormatUtc(now);
    core::Date filed_on = s.calendar.DeemedFilingDate(core::GuatemalaDate(now));
    std::string filed_on_text = core::FormatIsoDate(filed_on);
    VT_ASSIGN_OR_RETURN(json::object answers,
                        catalog::ValidateAnswers(def->form, req.answers, catalog::AnswerContext{filed_on_text}));

    std::string scope = actor.AuditName();
    json::object fingerprint{{"tramite", req.tramite_id}, {"answers", answers},
                             {"organization", req.organization.value_or("")},
                             {"on_behalf_of", req.on_behalf_of.value_or("")}};
    std::string request_hash = audit::Sha256Hex(json::serialize(fingerprint));

    std::string number;
    std::optional<Case> created;
    auto write = [&](Tx& tx) -> Status {
        created.reset();
        if (!req.idempotency_key.empty()) {
            VT_ASSIGN_OR_RETURN(store::Rows seen,
                                tx.Query("SELECT request_hash, case_number FROM case_idempotency "
                                         "WHERE actor = $1 AND key = $2",
                                         {Value{scope}, Value{req.idempotency_key}}));
            if (!seen.empty()) {
                if (seen[0].Text(0) != request_hash) {
                    return Error::Conflict("idempotency-key-reused",
                                           "Esta clave de idempotencia ya se usó para otra solicitud.");
                }
                number = seen[0].Text(1);
                return Ok();
            }
        }
        int year = static_cast<int>(filed_on.year());
        VT_ASSIGN_OR_RETURN(Row seq, tx.QueryOne("INSERT INTO case_sequences (year, last) VALUES ($1, 1) "
                                                 "ON CONFLICT (year) DO UPDATE SET last = case_sequences.last + 1 "
                                                 "RETURNING last",
                                                 {Value{std::int64_t{year}}}));
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s-%d-%06lld", s.options.number_prefix.c_str(), year,
                      static_cast<long long>(seq.Int(0)));
        Case c;
        c.number = buf;
        c.tracking_code = NewTrackingCode();
        c.tramite_id = def->id;
        c.tramite_version = def->version;
        c.state = def->workflow.initial;
        c.office = def->office;
        if (actor.kind != core::Actor::Kind::kAnonymous) c.applicant = req.on_behalf_of ? *req.on_behalf_of : actor.id;
        if (req.organization) c.organization = *req.organization;
        if (req.on_behalf_of) c.filed_by = actor.id;
        c.answers = answers;
        c.filed_at = at;
        c.filed_on = filed_on_text;
        c.due_on = s.AddDays(filed_on_text, def->sla_working_days);
        c.state_since = filed_on_text;
        const catalog::State* initial = def->workflow.FindState(c.state);
        c.state_due_on = s.AddDays(filed_on_text, initial ? initial->sla_working_days : std::nullopt);
        c.revision = 1;
        VT_ASSIGN_OR_RETURN(Row id, tx.QueryOne(
            "INSERT INTO cases (number, tracking_code, tramite_id, tramite_version, state, office, assignee, "
            "applicant, organization, filed_by, answers, filed_at, filed_on, due_on, state_since, state_due_on, "
            "revision) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1) RETURNING id",
            {Value{c.number}, Value{c.tracking_code}, Value{c.tramite_id}, Value{std::int64_t{c.tramite_version}},
             Value{c.state}, Value{c.office}, Opt(c.applicant), Opt(c.organization), Opt(c.filed_by),
             Value{json::serialize(c.answers)}, Value{c.filed_at}, Value{c.filed_on}, Opt(c.due_on),
             Value{c.state_since}, Opt(c.state_due_on)}));
        c.id = id.Int(0);
        CaseEvent e;
        e.kind = "presentacion";
        e.to_state = c.state;
        e.actor = actor.AuditName();
        if (req.on_behalf_of) e.comment = "Presentado en ventanilla en nombre de " + *req.on_behalf_of + ".";
        e.at = at;
        VT_RETURN_IF_ERROR(s.AddEvent(tx, c, e));
        VT_RETURN_IF_ERROR(s.Audit(tx, actor, "case.filed", c, at));
        e.seq = 1;
        c.events.push_back(std::move(e));
        if (!req.idempotency_key.empty()) {
            VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO case_idempotency (actor, key, request_hash, case_number, created_at) "
                                       "VALUES ($1, $2, $3, $4, $5)",
                                       {Value{scope}, Value{req.idempotency_key}, Value{request_hash}, Value{c.number},
                                        Value{at}}));
        }
        if (req.draft_id && actor.kind == core::Actor::Kind::kCitizen) {
            VT_RETURN_IF_ERROR(tx.Exec("DELETE FROM case_drafts WHERE id = $1 AND owner = $2",
                                       {Value{*req.draft_id}, Value{actor.id}}));
        }
        number = c.number;
        created = std::move(c);
        return Ok();
    };
    Status st = s.store.Write(write);
    // Two identical retries racing on PostgreSQL: the loser hits the idempotency key's
    // uniqueness and then finds the winner's case.
    if (!st.ok() && st.error().code() == "constraint" && !req.idempotency_key.empty()) st = s.store.Write(write);
    VT_RETURN_IF_ERROR(st);
    if (created) {
        bool automatic = std::any_of(def->workflow.transitions.begin(), def->workflow.transitions.end(),
                                     [](const catalog::Transition& t) { return t.automatic.has_value(); });
        if (!automatic) {
            // The new case is exactly what was written; no need to read it back.
            created->deadline = s.StatusOf(created->closed_on, Impl::Nearest(created->state_due_on, created->due_on));
            return std::move(*created);
        }
        s.Automate(number);
    }
    Case out;  // an idempotent replay: the case as it is now
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(out, s.LoadCase(tx, number, true));
        return Ok();
    }));
    return out;
}

Result<Case> CaseService::Get(const core::Actor& actor, std::string_view number) {
    Impl& s = *impl_;
    Case out;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(out, s.LoadCase(tx, number, true));
        return Ok();
    }));
    if (!s.MaySee(actor, out)) return Error::NotFound("No existe el expediente " + std::string(number) + ".");
    return out;
}

Result<Case> CaseService::Transition(const core::Actor& actor, std::string_view number, const TransitionRequest& req) {
    Impl& s = *impl_;
    Status st = s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Case c, s.LoadCase(tx, number, false));
        if (!s.MaySee(actor, c)) return Error::NotFound("No existe el expediente " + std::string(number) + ".");
        const catalog::Definition* def = s.DefinitionOf(c);
        if (!def) return Error::Internal("Falta la definición " + c.tramite_id + "@" + std::to_string(c.tramite_version));
        const catalog::Transition* t = def->workflow.FindTransition(req.transition);
        if (!t) {
            return Error::Invalid("El trámite no tiene la acción «" + req.transition + "».",
                                  {{"transicion", "Acción desconocida."}});
        }
        identity::Resource target = Impl::ResourceOf(c);
        target.roles = t->roles;
        if (identity::Decide(actor, identity::Action::kCaseTransition, target) != identity::Decision::kAllow) {
            return Error::Forbidden("Su rol no permite «" + t->name + "» en este expediente.");
        }
        // The role the action is recorded under: the first of the workflow's that the actor
        // has, or the applicant's when the step is theirs.
        std::string role;
        for (const auto& r : t->roles) {
            if (actor.HasRole(r)) {
                role = r;
                break;
            }
        }
        if (role.empty() && actor.kind == core::Actor::Kind::kCitizen) role = identity::kApplicantRole;
        const catalog::State* current = def->workflow.FindState(c.state);
        std::string current_name = current ? current->name : c.state;
        if (req.expected_revision && *req.expected_revision != c.revision) {
            return Error::Conflict("stale-revision", "Otra persona actuó antes sobre el expediente; ahora está en «" +
                                                         current_name + "». Revise y vuelva a intentar.");
        }
        if (std::find(t->from.begin(), t->from.end(), c.state) == t->from.end()) {
            return Error::Conflict("transition-not-allowed",
                                   "«" + t->name + "» no se puede hacer con el expediente en «" + current_name + "».");
        }
        VT_ASSIGN_OR_RETURN(json::object inputs,
                            catalog::ValidateAnswers(t->inputs, req.inputs,
                                                     catalog::AnswerContext{core::FormatIsoDate(s.Today())}));
        if (req.comment.size() > 5000) {
            return Error::Invalid("El comentario es demasiado largo.", {{"comentario", "Máximo 5000 caracteres."}});
        }
        return s.Apply(tx, actor, *def, c, *t, role, inputs, req.comment);
    });
    VT_RETURN_IF_ERROR(st);
    s.Automate(std::string(number));
    return Get(actor, number);
}

Result<Case> CaseService::Assign(const core::Actor& actor, std::string_view number, const std::string& official) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Case c, s.LoadCase(tx, number, false));
        if (!s.MaySee(actor, c)) return Error::NotFound("No existe el expediente " + std::string(number) + ".");
        if (identity::Decide(actor, identity::Action::kCaseAssign, Impl::ResourceOf(c)) != identity::Decision::kAllow) {
            return Error::Forbidden("Solo jefatura o recepción de la oficina pueden asignar expedientes.");
        }
        if (c.closed_at) return Error::Conflict("case-closed", "El expediente ya está cerrado.");
        std::vector<std::string> staff = s.officials.OfficialsOf(c.office);
        std::string chosen = official;
        if (chosen.empty()) {
            if (staff.empty()) return Error::Conflict("no-officials", "La oficina no tiene personal activo para asignar.");
            // Round robin: one counter per office, advanced atomically.
            VT_ASSIGN_OR_RETURN(Row next, tx.QueryOne("INSERT INTO office_rotation (office, next) VALUES ($1, 1) "
                                                      "ON CONFLICT (office) DO UPDATE SET next = office_rotation.next + 1 "
                                                      "RETURNING next",
                                                      {Value{c.office}}));
            chosen = staff[static_cast<std::size_t>((next.Int(0) - 1) % static_cast<std::int64_t>(staff.size()))];
        } else if (std::find(staff.begin(), staff.end(), chosen) == staff.end()) {
            return Error::Invalid("La persona elegida no trabaja en la oficina del expediente.",
                                  {{"asignado", "Elija a alguien de la oficina."}});
        }
        Case updated = c;
        updated.assignee = chosen;
        updated.revision = c.revision + 1;
        VT_ASSIGN_OR_RETURN(std::int64_t changed,
                            tx.Exec("UPDATE cases SET assignee = $1, revision = $2 WHERE id = $3 AND revision = $4",
                                    {Value{chosen}, Value{std::int64_t{updated.revision}}, Value{c.id},
                                     Value{std::int64_t{c.revision}}}));
        if (changed != 1) return Error::Conflict("stale-revision", "Otra persona actuó antes sobre el expediente.");
        std::string at = core::FormatUtc(s.clock.Now());
        CaseEvent e;
        e.kind = "asignacion";
        e.actor = actor.AuditName();
        e.comment = "Asignado a " + chosen + ".";
        e.at = at;
        VT_RETURN_IF_ERROR(s.AddEvent(tx, updated, e));
        VT_RETURN_IF_ERROR(s.Audit(tx, actor, "case.assigned", updated, at));
        return Ok();
    }));
    return Get(actor, number);
}

Result<PublicStatus> CaseService::Track(std::string_view code) {
    Impl& s = *impl_;
    auto normalized = NormalizeTrackingCode(code);
    if (!normalized) return Error::NotFound("No hay ningún trámite con ese código de seguimiento.");
    PublicStatus out;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows, tx.Query("SELECT number FROM cases WHERE tracking_code = $1",
                                                       {Value{*normalized}}));
        if (rows.empty()) return Error::NotFound("No hay ningún trámite con ese código de seguimiento.");
        VT_ASSIGN_OR_RETURN(Case c, s.LoadCase(tx, rows[0].Text(0), true));
        const catalog::Definition* def = s.DefinitionOf(c);
        auto state_name = [&](const std::string& id) {
            const catalog::State* st = def ? def->workflow.FindState(id) : nullptr;
            return st ? st->name : id;
        };
        out.tramite_id = c.tramite_id;
        out.tramite_name = def ? def->name : c.tramite_id;
        out.state = c.state;
        out.state_name = state_name(c.state);
        out.closed = c.closed_at.has_value();
        out.filed_on = c.filed_on;
        out.due_on = c.due_on;
        out.closed_on = c.closed_on;
        for (const CaseEvent& e : c.events) {
            if (e.to_state.empty()) continue;  // assignments are internal
            out.history.push_back({state_name(e.to_state), e.at.substr(0, 10)});
        }
        return Ok();
    }));
    return out;
}

Result<std::vector<CaseSummary>> CaseService::Inbox(const core::Actor& actor, const InboxFilter& f) {
    Impl& s = *impl_;
    identity::Resource office;
    office.office = actor.office;
    if (identity::Decide(actor, identity::Action::kInboxView, office) != identity::Decision::kAllow) {
        return Error::Forbidden("La bandeja es solo para personal del ministerio.");
    }
    std::vector<Value> params{Value{actor.office}};
    std::string where = "office = $1";
    auto add = [&](std::string_view column, std::string value) {
        params.emplace_back(std::move(value));
        where += " AND " + std::string(column) + " = $" + std::to_string(params.size());
    };
    if (!f.include_closed) where += " AND closed_at IS NULL";
    if (!f.tramite_id.empty()) add("tramite_id", f.tramite_id);
    if (!f.state.empty()) add("state", f.state);
    if (f.only_mine) add("assignee", actor.id);
    VT_ASSIGN_OR_RETURN(auto list, s.List(where, params, "COALESCE(state_due_on, due_on, '9999-12-31'), filed_at"));
    if (f.only_overdue) {
        std::erase_if(list, [](const CaseSummary& c) { return c.deadline != DeadlineStatus::kOverdue; });
    }
    // The nearest of the two deadlines decides the order.
    std::stable_sort(list.begin(), list.end(), [](const CaseSummary& a, const CaseSummary& b) {
        auto key = [](const CaseSummary& c) {
            return std::make_pair(c.closed_on.has_value(),
                                  Impl::Nearest(c.state_due_on, c.due_on).value_or("9999-12-31"));
        };
        return key(a) < key(b);
    });
    return list;
}

Result<std::vector<CaseSummary>> CaseService::MyCases(const core::Actor& actor) {
    Impl& s = *impl_;
    if (actor.kind != core::Actor::Kind::kCitizen) return Error(ErrorKind::kUnauthenticated, "login-required",
                                                                "Inicie sesión para ver sus trámites.");
    if (actor.organization.empty()) return s.List("applicant = $1", {Value{actor.id}}, "filed_at DESC");
    return s.List("applicant = $1 OR organization = $2", {Value{actor.id}, Value{actor.organization}},
                  "filed_at DESC");
}

Result<Draft> CaseService::SaveDraft(const core::Actor& actor, const std::string& tramite_id,
                                     const boost::json::object& answers, const std::optional<std::string>& draft_id) {
    Impl& s = *impl_;
    identity::Resource own;
    own.owner = actor.id;
    VT_RETURN_IF_ERROR(identity::Authorize(actor, identity::Action::kDraftManage, own));
    const catalog::Definition* def = s.registry.Current(tramite_id);
    if (!def) return Error::NotFound("No existe el trámite " + tramite_id + ".");
    std::string serialized = json::serialize(answers);
    if (serialized.size() > 256 * 1024) return Error(ErrorKind::kTooLarge, "draft-too-large", "El borrador es demasiado grande.");
    Draft d;
    d.id = draft_id.value_or(core::RandomHex(12));
    d.tramite_id = def->id;
    d.tramite_version = def->version;
    d.answers = answers;
    d.updated_at = core::FormatUtc(s.clock.Now());
    VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows owner, tx.Query("SELECT owner FROM case_drafts WHERE id = $1", {Value{d.id}}));
        if (!owner.empty() && owner[0].Text(0) != actor.id) return Error::NotFound("No existe ese borrador.");
        if (owner.empty() && draft_id) return Error::NotFound("No existe ese borrador.");
        VT_RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO case_drafts (id, owner, tramite_id, tramite_version, answers, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET answers = excluded.answers, "
            "tramite_version = excluded.tramite_version, updated_at = excluded.updated_at",
            {Value{d.id}, Value{actor.id}, Value{d.tramite_id}, Value{std::int64_t{d.tramite_version}},
             Value{serialized}, Value{d.updated_at}}));
        return Ok();
    }));
    return d;
}

Result<Draft> CaseService::GetDraft(const core::Actor& actor, std::string_view draft_id) {
    VT_ASSIGN_OR_RETURN(auto all, ListDrafts(actor));
    for (auto& d : all) {
        if (d.id == draft_id) return std::move(d);
    }
    return Error::NotFound("No existe ese borrador.");
}

Result<std::vector<Draft>> CaseService::ListDrafts(const core::Actor& actor) {
    Impl& s = *impl_;
    identity::Resource own;
    own.owner = actor.id;
    VT_RETURN_IF_ERROR(identity::Authorize(actor, identity::Action::kDraftManage, own));
    std::vector<Draft> out;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query("SELECT id, tramite_id, tramite_version, answers, updated_at FROM case_drafts "
                                     "WHERE owner = $1 ORDER BY updated_at DESC",
                                     {Value{actor.id}}));
        for (const Row& r : rows) {
            Draft d{r.Text(0), r.Text(1), static_cast<int>(r.Int(2)), {}, r.Text(4)};
            json::value v = json::parse(r.Text(3));
            if (v.is_object()) d.answers = std::move(v.as_object());
            out.push_back(std::move(d));
        }
        return Ok();
    }));
    return out;
}

Result<SlaReport> CaseService::Report(const core::Actor& actor, const std::string& from, const std::string& to) {
    Impl& s = *impl_;
    if (identity::Decide(actor, identity::Action::kReportView, {}) != identity::Decision::kAllow) {
        return Error::Forbidden("El informe es solo para personal del ministerio.");
    }
    auto from_date = core::ParseIsoDate(from);
    auto to_date = core::ParseIsoDate(to);
    Error bad = Error::Invalid("Revise el periodo.");
    if (!from_date.ok()) bad.WithField("desde", from_date.error().message());
    if (!to_date.ok()) bad.WithField("hasta", to_date.error().message());
    if (!bad.fields().empty()) return bad;
    if (*to_date < *from_date) return Error::Invalid("El periodo termina antes de empezar.", {{"hasta", "Debe ser posterior a desde."}});

    struct Acc {
        SlaRow row;
        std::vector<int> durations;
        int within = 0;
        int with_deadline = 0;
    };
    std::map<std::string, Acc> by_tramite, by_office;
    core::Date today = s.Today();
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query("SELECT tramite_id, office, filed_on, closed_on, due_on FROM cases "
                                     "WHERE filed_on >= $1 AND filed_on <= $2",
                                     {Value{from}, Value{to}}));
        for (const Row& r : rows) {
            std::string tramite = r.Text(0), office = r.Text(1);
            auto filed = core::ParseIsoDate(r.Text(2));
            auto closed = r.OptText(3);
            auto due = r.OptText(4);
            for (Acc* acc : {&by_tramite[tramite], &by_office[office]}) {
                ++acc->row.filed;
                if (closed && filed.ok()) {
                    auto c = core::ParseIsoDate(*closed);
                    if (c.ok()) {
                        ++acc->row.resolved;
                        acc->durations.push_back(s.calendar.WorkingDaysBetween(*filed, *c));
                        if (due) {
                            ++acc->with_deadline;
                            acc->within += *closed <= *due;
                        }
                    }
                } else if (due) {
                    auto d = core::ParseIsoDate(*due);
                    if (d.ok() && today > *d) ++acc->row.open_overdue;
                }
            }
        }
        return Ok();
    }));
    SlaReport report;
    report.from = from;
    report.to = to;
    auto finish = [](std::map<std::string, Acc>& m, std::vector<SlaRow>& out, auto name_of) {
        for (auto& [key, acc] : m) {
            acc.row.key = key;
            acc.row.name = name_of(key);
            acc.row.median_working_days = Percentile(acc.durations, 0.5);
            acc.row.p90_working_days = Percentile(acc.durations, 0.9);
            if (acc.with_deadline > 0) acc.row.within_sla_share = double(acc.within) / acc.with_deadline;
            out.push_back(std::move(acc.row));
        }
    };
    finish(by_tramite, report.by_tramite, [&](const std::string& id) {
        const auto* d = s.registry.Current(id);
        return d ? d->name : id;
    });
    finish(by_office, report.by_office, [](const std::string& id) { return id; });
    return report;
}

}  // namespace vt::cases
