// The officials' pages: the inbox of their office, one expediente with its history and
// the actions they may take on it (workflow transitions, assignment), and the SLA report.
// The case service decides every action; the policy is asked here only to choose what to
// show.
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include "catalog_fields.hpp"
#include "field_view.hpp"
#include "page.hpp"
#include "pages.hpp"
#include "staff_labels.hpp"
#include "vt/cases/cases.hpp"
#include "vt/core/date.hpp"
#include "vt/documents/documents.hpp"
#include "vt/identity/policy.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;
using identity::Action;
using identity::Decision;

// ---- Shared pieces ---------------------------------------------------------------------

// An official's page needs a logged-in official; a session still waiting for its second
// factor goes to enrol it first.
std::optional<http::Response> NeedsLogin(const Site& site, const Visit& visit) {
    if (!visit.anonymous()) return std::nullopt;
    if (visit.auth.second_factor_enrolment_pending) return site.Redirect(visit, "/cuenta/segundo-factor");
    return site.LoginRedirect(visit);
}

std::string DeadlineLabel(cases::DeadlineStatus s) {
    switch (s) {
        case cases::DeadlineStatus::kOnTime: return "A tiempo";
        case cases::DeadlineStatus::kDueSoon: return "Por vencer";
        case cases::DeadlineStatus::kOverdue: return "Vencido";
        case cases::DeadlineStatus::kClosed: return "Cerrado";
        case cases::DeadlineStatus::kNone: return "Sin plazo";
    }
    return "";
}

std::string DeadlineClass(cases::DeadlineStatus s) {
    switch (s) {
        case cases::DeadlineStatus::kOnTime: return "estado-a-tiempo";
        case cases::DeadlineStatus::kDueSoon: return "estado-por-vencer";
        case cases::DeadlineStatus::kOverdue: return "estado-vencido";
        case cases::DeadlineStatus::kClosed: return "estado-cerrado";
        case cases::DeadlineStatus::kNone: return "";
    }
    return "";
}

std::optional<std::string> Nearest(const std::optional<std::string>& a, const std::optional<std::string>& b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

// "Quedan 3 días hábiles", "Vence hoy", "Venció hace 2 días hábiles"; empty without a
// calendar or a deadline.
std::string WorkingDaysLeft(const Site& site, const std::optional<std::string>& due, bool closed) {
    const core::WorkingCalendar* calendar = site.deps().calendar;
    if (!calendar || !due || closed) return "";
    auto d = core::ParseIsoDate(*due);
    if (!d.ok()) return "";
    core::Date today = core::GuatemalaDate(site.deps().clock.Now());
    int n = calendar->WorkingDaysBetween(today, *d);
    if (n == 0) return "Vence hoy";
    if (n == 1) return "Queda 1 día hábil";
    if (n > 1) return "Quedan " + std::to_string(n) + " días hábiles";
    if (n == -1) return "Venció hace 1 día hábil";
    return "Venció hace " + std::to_string(-n) + " días hábiles";
}

json::object DeadlineView(const Site& site, cases::DeadlineStatus status, const std::optional<std::string>& due,
                          bool closed) {
    json::object o{{"plazo_texto", DeadlineLabel(status)}, {"plazo_clase", DeadlineClass(status)}};
    o["vence"] = due && !closed ? LongDate(*due) : "";
    o["dias"] = WorkingDaysLeft(site, due, closed);
    return o;
}

std::string CaseNumber(const http::Request& req) { return http::PercentDecode(req.Param("numero"), false); }

// The expediente as an official of its office sees it: refused to everyone else exactly as
// a number that does not exist. The applicant and the employer's representatives may read
// the case too (cases::CaseService::Get), but their view is elsewhere.
Result<cases::Case> OfficeCase(const Site& site, const Visit& visit, const std::string& number) {
    VT_ASSIGN_OR_RETURN(cases::Case c, site.deps().cases.Get(visit.actor(), number));
    if (identity::Decide(visit.actor(), Action::kInboxView, {.office = c.office}) != Decision::kAllow) {
        return Error::NotFound("No existe el expediente " + number + ".");
    }
    return c;
}

// ---- Inbox -------------------------------------------------------------------------------

json::array Choices(const std::vector<std::pair<std::string, std::string>>& values, std::string_view chosen) {
    json::array out;
    for (const auto& [value, label] : values) {
        json::object o{{"valor", value}, {"etiqueta", label}};
        if (value == chosen) o["elegida"] = true;
        out.push_back(std::move(o));
    }
    return out;
}

http::Response Inbox(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (auto r = NeedsLogin(site, visit)) return *r;
    Form q = Form::Parse(req.query);
    cases::InboxFilter filter;
    filter.tramite_id = q.Get("tramite");
    filter.state = q.Get("estado");
    filter.only_overdue = q.Get("vencidos") == "1";
    filter.only_mine = q.Get("mios") == "1";
    filter.include_closed = q.Get("cerrados") == "1";
    auto list = site.deps().cases.Inbox(visit.actor(), filter);
    if (!list.ok()) return site.ErrorPage(visit, list.error());

    // The trámites of this office, and the states of the chosen one (or of all of them).
    const std::string& office = visit.actor().office;
    std::vector<std::pair<std::string, std::string>> tramites{{"", "Todos"}}, states{{"", "Todos"}};
    std::set<std::string> seen_states;
    for (const catalog::Definition* d : site.deps().registry.All()) {
        if (d->office != office) continue;
        tramites.emplace_back(d->id, d->name);
        if (!filter.tramite_id.empty() && d->id != filter.tramite_id) continue;
        for (const catalog::State& s : d->workflow.states) {
            if (seen_states.insert(s.id).second) states.emplace_back(s.id, s.name);
        }
    }

    std::vector<std::string> assignees;
    for (const cases::CaseSummary& s : *list) {
        if (s.assignee) assignees.push_back(*s.assignee);
    }
    std::map<std::string, std::string> names;
    if (auto found = site.deps().identity.StaffNames(visit.actor(), assignees); found.ok()) names = std::move(*found);

    json::array rows;
    for (const cases::CaseSummary& s : *list) {
        bool closed = s.closed_on.has_value();
        json::object row = DeadlineView(site, s.deadline, Nearest(s.state_due_on, s.due_on), closed);
        row["numero"] = s.number;
        row["tramite"] = s.tramite_name;
        row["estado"] = s.state_name;
        row["presentado"] = LongDate(s.filed_on);
        std::string who = "Sin asignar";
        if (s.assignee) {
            auto it = names.find(*s.assignee);
            who = *s.assignee == visit.actor().id ? "Usted" : it != names.end() ? it->second : "Otra persona";
        }
        row["asignado"] = who;
        rows.push_back(std::move(row));
    }
    std::size_t n = rows.size();
    json::object view{
        {"expedientes", std::move(rows)},
        {"cantidad", n == 1 ? std::string("1 expediente") : std::to_string(n) + " expedientes"},
        {"vacia", n == 0},
        {"tramites", Choices(tramites, filter.tramite_id)},
        {"estados", Choices(states, filter.state)},
        {"vencidos", filter.only_overdue},
        {"mios", filter.only_mine},
        {"cerrados", filter.include_closed},
        {"oficina", office},
    };
    return site.Page(visit, {"bandeja", "Bandeja de expedientes", std::move(view), 200, "bandeja"});
}

// ---- One expediente ------------------------------------------------------------------------

// What was posted to a transition or the assignment form, to show it again with its errors.
struct Attempt {
    std::string form;  ///< The transition's id, or "asignacion".
    Form values;
    std::map<std::string, std::string> errors;  ///< Keyed by form name.
};

const catalog::Field* FindField(const std::vector<catalog::Field>& fields, std::string_view id) {
    for (const catalog::Field& f : fields) {
        if (f.id == id) return &f;
    }
    return nullptr;
}

// An upload referenced by an answer or an input: {"documento": id}.
void CollectFiles(const catalog::Field* field, const json::value& v, const std::string& label, json::array& out) {
    if (const json::object* o = v.if_object()) {
        const json::value* id = o->if_contains("documento");
        if (id && id->is_string() && (!field || field->type == catalog::FieldType::kFile)) {
            out.push_back(json::object{{"campo", label}, {"id", id->as_string()}});
        }
        return;
    }
    if (field && field->type == catalog::FieldType::kGroup) {
        if (const json::array* items = v.if_array()) {
            int n = 0;
            for (const json::value& item : *items) {
                ++n;
                const json::object* o = item.if_object();
                if (!o) continue;
                for (const catalog::Field& sub : field->fields) {
                    if (const json::value* sv = o->if_contains(sub.id)) {
                        CollectFiles(&sub, *sv, label + " " + std::to_string(n) + ": " + sub.label, out);
                    }
                }
            }
        }
    }
}

// One answer as a row of the data list: a text, or a list for group items.
json::object AnswerRow(const catalog::Field* field, const std::string& label, const json::value& v) {
    json::object row{{"etiqueta", label}, {"valor", ""}, {"lista", json::array()}, {"es_lista", false}};
    if (field && field->type == catalog::FieldType::kGroup && v.is_array()) {
        json::array items;
        for (const json::value& item : v.as_array()) {
            const json::object* o = item.if_object();
            if (!o) continue;
            std::string line;
            for (const catalog::Field& sub : field->fields) {
                const json::value* sv = o->if_contains(sub.id);
                if (!sv) continue;
                line += (line.empty() ? "" : "; ") + sub.label + ": " + catalog::AnswerText(&sub, *sv);
            }
            items.push_back(json::value(line));
        }
        if (items.empty()) row["valor"] = "Ninguno";
        row["es_lista"] = !items.empty();
        row["lista"] = std::move(items);
    } else {
        row["valor"] = catalog::AnswerText(field, v);
    }
    return row;
}

// Answers in the order of the fields, then any the definition does not know.
json::array AnswerRows(const std::vector<catalog::Field>& fields, const json::object& answers) {
    json::array out;
    for (const catalog::Field& f : fields) {
        if (const json::value* v = answers.if_contains(f.id)) out.push_back(AnswerRow(&f, f.label, *v));
    }
    for (const auto& kv : answers) {
        if (!FindField(fields, kv.key())) out.push_back(AnswerRow(nullptr, std::string(kv.key()), kv.value()));
    }
    return out;
}

// Who acted, as the history shows it.
std::string ActorLabel(const std::string& actor, const cases::Case& c, const std::map<std::string, std::string>& names) {
    if (actor == "anonimo") return "Persona anónima";
    if (actor == "sistema") return "Sistema";
    if (actor.starts_with("api:")) return "Sistema externo";
    if (auto it = names.find(actor); it != names.end()) return it->second;
    if (c.applicant && actor == *c.applicant) return "Persona solicitante";
    return "Persona usuaria";
}

json::array TransitionForms(const Site& site, const Visit& visit, const cases::Case& c,
                            const catalog::Definition& def, const Attempt* attempt) {
    json::array out;
    if (c.closed_at) return out;
    for (const catalog::Transition* t : def.workflow.From(c.state)) {
        // Only the actions one of the official's roles allows; the service decides anyway.
        identity::Resource target{.office = c.office, .roles = t->roles};
        if (identity::Decide(visit.actor(), Action::kCaseTransition, target) != Decision::kAllow) continue;
        bool mine = attempt && attempt->form == t->id;
        Form empty;
        const Form& values = mine ? attempt->values : empty;
        static const std::map<std::string, std::string> kNoErrors;
        const auto& errors = mine ? attempt->errors : kNoErrors;
        std::string prefix = t->id + "-";
        std::vector<FieldView> fields = CatalogFieldViews(t->inputs, values, prefix, errors);
        FieldView comment{.id = prefix + "comentario", .label = "Comentario (opcional)", .kind = "texto_largo",
                          .value = values.Get(prefix + "comentario"),
                          .help = "Queda en el historial del expediente."};
        if (auto it = errors.find(comment.id); it != errors.end()) comment.error = it->second;
        fields.push_back(comment);
        json::array controls;
        std::vector<std::pair<std::string, std::string>> order;
        for (const FieldView& f : fields) {
            controls.push_back(f.ToJson());
            order.emplace_back(f.id, f.label);
        }
        std::string button = t->name, document;
        bool signs = false;
        if (t->issues) {
            document = *t->issues;
            for (const catalog::IssuedDocument& d : def.documents) {
                if (d.id == *t->issues) document = d.name;
            }
            // Only who may sign for the office signs as they take it; the document service
            // decides, and otherwise the document waits for a signatory.
            signs = identity::Decide(visit.actor(), Action::kDocumentIssue, {.office = c.office}) == Decision::kAllow;
            if (signs) button = "Firmar y emitir «" + document + "»";
        }
        const catalog::State* to = def.workflow.FindState(t->to);
        json::object form{{"id", t->id},
                          {"nombre", t->name},
                          {"destino", to ? to->name : t->to},
                          {"boton", button},
                          {"emite", t->issues.has_value()},
                          {"documento", document},
                          {"firma", signs},
                          {"campos", std::move(controls)}};
        form["errores"] = mine ? ErrorSummary(errors, order) : json::array();
        form["abierta"] = mine;
        out.push_back(std::move(form));
    }
    return out;
}

// What ?hecho= may say after an action: fixed messages, never the query's text.
std::string DoneMessage(std::string_view done) {
    if (done == "transicion") return "Listo: la acción quedó registrada en el historial.";
    if (done == "asignacion") return "Listo: el expediente quedó asignado.";
    if (done == "documento-emitido") return "Listo: el documento quedó firmado y emitido.";
    if (done == "documento-pendiente") {
        return "Listo: la acción quedó registrada. El documento espera la firma de quien tiene el rol de firma "
               "en la oficina.";
    }
    if (done == "documento-no-emitido") {
        return "La acción quedó registrada, pero el documento no se pudo emitir. Quien tiene el rol de firma puede "
               "emitirlo desde esta página.";
    }
    return "";
}

// The documents issued for the case, and those its transitions made due that wait for a
// signature, with the form to sign them for those the policy lets sign (the document
// service decides).
json::object IssuedDocuments(const Site& site, const Visit& visit, const cases::Case& c, const catalog::Definition& def,
                             documents::DocumentService& docs) {
    json::array issued, pending;
    std::set<std::string> in_force;
    auto list = docs.ListForCase(visit.actor(), c.number);
    if (list.ok()) {
        for (const documents::IssuedDocument& d : *list) {
            if (!d.revoked_at) in_force.insert(d.document_type);
            issued.push_back(json::object{
                {"titulo", d.title},
                {"fecha", LongDateTime(d.issued_at)},
                {"firmante", d.issuer_name},
                {"pdf", "/api/v1/documentos/" + d.id + "/pdf"},
                {"verificacion", "/api/v1/documentos/" + d.id + "/verificacion"},
                {"revocado", d.revoked_at ? LongDateTime(*d.revoked_at) : std::string()},
                {"motivo", d.revocation_reason.value_or("")},
            });
        }
    }
    std::set<std::string> due;
    for (const cases::CaseEvent& e : c.events) {
        const catalog::Transition* t = e.transition.empty() ? nullptr : def.workflow.FindTransition(e.transition);
        if (t && t->issues && !in_force.count(*t->issues) && due.insert(*t->issues).second) {
            std::string name = *t->issues;
            for (const catalog::IssuedDocument& d : def.documents) {
                if (d.id == name) name = d.name;
            }
            pending.push_back(json::object{{"id", *t->issues}, {"nombre", name}});
        }
    }
    bool may_sign = identity::Decide(visit.actor(), Action::kDocumentIssue, {.office = c.office}) == Decision::kAllow;
    return json::object{{"lista", std::move(issued)},
                        {"hay", list.ok() && !list->empty()},
                        {"pendientes", std::move(pending)},
                        {"puede_firmar", may_sign}};
}

http::Response CasePage(const Site& site, const Visit& visit, const cases::Case& c, const Attempt* attempt,
                        int status, std::string_view done = {}) {
    const catalog::Definition* def = site.deps().registry.Find(c.tramite_id, c.tramite_version);
    auto state_name = [&](const std::string& id) -> std::string {
        const catalog::State* s = def ? def->workflow.FindState(id) : nullptr;
        return s ? s->name : id;
    };
    static const std::vector<catalog::Field> kNoFields;
    const std::vector<catalog::Field>& form_fields = def ? def->form : kNoFields;

    // Names of the staff who appear: the assignee, who filed it, who acted.
    std::vector<std::string> ids;
    if (c.assignee) ids.push_back(*c.assignee);
    if (c.filed_by) ids.push_back(*c.filed_by);
    for (const cases::CaseEvent& e : c.events) ids.push_back(e.actor);
    auto colleagues = site.deps().identity.ListColleagues(visit.actor(), c.office);
    std::map<std::string, std::string> names;
    if (auto found = site.deps().identity.StaffNames(visit.actor(), ids); found.ok()) names = std::move(*found);

    json::array files;
    for (const catalog::Field& f : form_fields) {
        if (const json::value* v = c.answers.if_contains(f.id)) CollectFiles(&f, *v, f.label, files);
    }

    json::array history;
    for (const cases::CaseEvent& e : c.events) {
        const catalog::Transition* t = def && !e.transition.empty() ? def->workflow.FindTransition(e.transition) : nullptr;
        std::string what;
        std::string comment = e.comment;
        if (e.kind == "presentacion") {
            what = "Presentación";
        } else if (e.kind == "asignacion") {
            what = "Asignación";
            // The service records "Asignado a <account id>."; people read the name.
            constexpr std::string_view kAssigned = "Asignado a ";
            if (comment.starts_with(kAssigned) && comment.ends_with(".")) {
                std::string id = comment.substr(kAssigned.size(), comment.size() - kAssigned.size() - 1);
                auto it = names.find(id);
                comment = "Asignado a " + (it != names.end() ? it->second : std::string("otra persona")) + ".";
            }
        } else {
            what = t ? t->name : e.transition;
        }
        json::object h{{"fecha", LongDateTime(e.at)},
                       {"quien", ActorLabel(e.actor, c, names)},
                       {"rol", e.actor_role.empty() ? std::string() : RoleLabel(e.actor_role)},
                       {"accion", what},
                       {"comentario", comment}};
        h["estado"] = e.to_state.empty() ? "" : state_name(e.to_state);
        static const std::vector<catalog::Field> kNone;
        const std::vector<catalog::Field>& inputs = t ? t->inputs : kNone;
        json::array entries = AnswerRows(inputs, e.inputs);
        h["hay_entradas"] = !entries.empty();
        h["entradas"] = std::move(entries);
        for (const catalog::Field& f : inputs) {
            if (const json::value* v = e.inputs.if_contains(f.id)) CollectFiles(&f, *v, what + ": " + f.label, files);
        }
        history.push_back(std::move(h));
    }

    bool closed = c.closed_at.has_value();
    json::object view = DeadlineView(site, c.deadline, Nearest(c.state_due_on, c.due_on), closed);
    view["numero"] = c.number;
    view["codigo"] = c.tracking_code;
    view["tramite"] = def ? def->name : c.tramite_id;
    view["tramite_id"] = c.tramite_id;
    view["version"] = c.tramite_version;
    view["estado"] = state_name(c.state);
    view["estado_desde"] = LongDate(c.state_since);
    view["presentado"] = LongDateTime(c.filed_at);
    view["fecha_presentacion"] = LongDate(c.filed_on);
    if (c.due_on) view["vence_legal"] = LongDate(*c.due_on);
    if (c.state_due_on) view["vence_etapa"] = LongDate(*c.state_due_on);
    if (c.closed_on) view["cerrado_el"] = LongDate(*c.closed_on);
    view["cerrado"] = closed;
    view["solicitante"] = c.applicant ? "Persona con cuenta en la ventanilla" : "Persona anónima";
    if (c.organization) view["organizacion"] = *c.organization;
    if (c.filed_by) {
        auto it = names.find(*c.filed_by);
        view["presentado_por"] = it != names.end() ? it->second : std::string("Personal del ministerio");
    }
    std::string assignee = "Sin asignar";
    if (c.assignee) {
        auto it = names.find(*c.assignee);
        assignee = *c.assignee == visit.actor().id ? "Usted" : it != names.end() ? it->second : "Otra persona";
    }
    view["asignado"] = assignee;
    view["datos"] = AnswerRows(form_fields, c.answers);
    documents::DocumentService* docs = site.deps().documents;
    for (json::value& f : files) {
        json::object& file = f.as_object();
        // The download route lets the case's office read what the case references.
        file["enlace"] = docs ? "/api/v1/archivos/" + std::string(file["id"].as_string()) + "?expediente=" + c.number
                              : std::string();
    }
    view["hay_adjuntos"] = !files.empty();
    view["adjuntos"] = std::move(files);
    if (docs && def) view["emitidos"] = IssuedDocuments(site, visit, c, *def, *docs);
    view["historial"] = std::move(history);
    view["revision"] = c.revision;
    view["huella"] = cases::CaseRowHash(c);
    json::array actions = def ? TransitionForms(site, visit, c, *def, attempt) : json::array();
    view["hay_acciones"] = !actions.empty();
    view["acciones"] = std::move(actions);
    view["hecho"] = DoneMessage(done);

    // Assignment, for those the policy lets assign (the service decides).
    if (!closed && identity::Decide(visit.actor(), Action::kCaseAssign, {.office = c.office}) == Decision::kAllow) {
        bool mine = attempt && attempt->form == "asignacion";
        std::string chosen = mine ? attempt->values.Get("funcionario") : "";
        std::vector<std::pair<std::string, std::string>> options{{"", "Siguiente en turno (rotación de la oficina)"}};
        if (colleagues.ok()) {
            for (const identity::Colleague& p : *colleagues) {
                std::string roles;
                for (const std::string& r : p.roles) roles += (roles.empty() ? "" : ", ") + RoleLabel(r);
                options.emplace_back(p.id, p.name + (roles.empty() ? "" : " (" + roles + ")"));
            }
        }
        json::object assign{{"opciones", Choices(options, chosen)}, {"errores", json::array()}, {"error", ""}};
        if (mine) {
            assign["errores"] = ErrorSummary(attempt->errors, {{"funcionario", "Asignar a"}});
            if (auto it = attempt->errors.find("funcionario"); it != attempt->errors.end()) assign["error"] = it->second;
        }
        view["asignacion"] = std::move(assign);
    }
    return site.Page(visit, {"expediente", "Expediente " + c.number, std::move(view), status, "bandeja"});
}

http::Response ShowCase(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (auto r = NeedsLogin(site, visit)) return *r;
    auto c = OfficeCase(site, visit, CaseNumber(req));
    if (!c.ok()) return site.ErrorPage(visit, c.error());
    std::string done = Form::Parse(req.query).Get("hecho");
    return CasePage(site, visit, *c, nullptr, 200, done);
}

// Someone else acted first, or the case moved on: explain and offer to reload.
http::Response ConflictPage(const Site& site, const Visit& visit, const std::string& number, const Error& e) {
    bool stale = e.code() == "stale-revision" || e.code() == "transition-not-allowed";
    std::string title = stale ? "Otra persona actuó antes" : "No se pudo completar";
    json::object view{{"numero", number}, {"mensaje", e.message()}, {"titulo", title}, {"otra_persona", stale}};
    return site.Page(visit, {"expediente_conflicto", title, std::move(view), 409, "bandeja"});
}

// Field errors from the service, keyed by the names of the form that was posted.
std::map<std::string, std::string> FormErrors(const Error& e, const std::string& prefix,
                                              const std::vector<catalog::Field>& inputs) {
    std::map<std::string, std::string> out;
    for (const auto& [path, message] : e.fields()) {
        // "respuesta", "lugar.municipio", "comentario"; anything else is for the form.
        std::string head = path.substr(0, path.find_first_of(".["));
        if (head == "comentario" || FindField(inputs, head)) {
            out.emplace(prefix + head, message);
        } else {
            out.emplace(path, message);
        }
    }
    if (out.empty()) out.emplace(prefix + "comentario", e.message());
    return out;
}

http::Response DoTransition(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (auto r = NeedsLogin(site, visit)) return *r;
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    std::string number = CaseNumber(req);
    auto c = OfficeCase(site, visit, number);
    if (!c.ok()) return site.ErrorPage(visit, c.error());

    const catalog::Definition* def = site.deps().registry.Find(c->tramite_id, c->tramite_version);
    std::string id = form.Get("transicion");
    const catalog::Transition* t = def ? def->workflow.FindTransition(id) : nullptr;
    static const std::vector<catalog::Field> kNone;
    const std::vector<catalog::Field>& inputs = t ? t->inputs : kNone;
    std::string prefix = id + "-";
    FormAnswers read = AnswersFromForm(inputs, form, prefix);

    cases::TransitionRequest request{.transition = id, .comment = form.Get(prefix + "comentario"),
                                     .inputs = std::move(read.answers)};
    if (form.Has("revision")) {
        // A revision that is not a number can match none: the service answers as stale.
        std::string text = form.Get("revision");
        int revision = -1;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), revision);
        if (ec != std::errc() || end != text.data() + text.size()) revision = -1;
        request.expected_revision = revision;
    }
    if (!read.errors.empty()) {
        Attempt attempt{id, form, std::move(read.errors)};
        return CasePage(site, visit, *c, &attempt, 422);
    }
    auto done = site.deps().cases.Transition(visit.actor(), number, request);
    if (!done.ok()) {
        const Error& e = done.error();
        if (e.kind() == ErrorKind::kConflict) return ConflictPage(site, visit, number, e);
        if (e.kind() == ErrorKind::kInvalid && t) {
            Attempt attempt{id, form, FormErrors(e, prefix, inputs)};
            return CasePage(site, visit, *c, &attempt, 422);
        }
        return site.ErrorPage(visit, e);
    }
    std::string outcome = "transicion";
    if (documents::DocumentService* docs = site.deps().documents; docs && t && t->issues) {
        // Signed at once when the official who took it may sign; otherwise it waits.
        auto issued = docs->IssueAfterTransition(visit.actor(), *done);
        outcome = !issued.ok() ? "documento-no-emitido" : issued->has_value() ? "documento-emitido" : "documento-pendiente";
    }
    return site.Redirect(visit, "/bandeja/" + number + "?hecho=" + outcome);
}

http::Response DoAssign(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (auto r = NeedsLogin(site, visit)) return *r;
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    std::string number = CaseNumber(req);
    auto c = OfficeCase(site, visit, number);
    if (!c.ok()) return site.ErrorPage(visit, c.error());
    auto done = site.deps().cases.Assign(visit.actor(), number, form.Get("funcionario"));
    if (!done.ok()) {
        const Error& e = done.error();
        if (e.kind() == ErrorKind::kConflict) return ConflictPage(site, visit, number, e);
        if (e.kind() == ErrorKind::kInvalid) {
            std::string message = e.fields().empty() ? e.message() : e.fields().begin()->second;
            Attempt attempt{"asignacion", form, {{"funcionario", message}}};
            return CasePage(site, visit, *c, &attempt, 422);
        }
        return site.ErrorPage(visit, e);
    }
    return site.Redirect(visit, "/bandeja/" + number + "?hecho=asignacion");
}

http::Response DoSign(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (auto r = NeedsLogin(site, visit)) return *r;
    Form form = Form::Parse(req.body);
    if (!site.CsrfValid(visit, form)) return site.CsrfPage(visit);
    std::string number = CaseNumber(req);
    auto c = OfficeCase(site, visit, number);
    if (!c.ok()) return site.ErrorPage(visit, c.error());
    documents::DocumentService* docs = site.deps().documents;
    if (!docs) return site.ErrorPage(visit, Error::NotFound("No existe esa página."));
    auto issued = docs->IssueForCase(visit.actor(), number, form.Get("documento"));
    if (!issued.ok()) {
        const Error& e = issued.error();
        if (e.kind() == ErrorKind::kConflict) return ConflictPage(site, visit, number, e);
        return site.ErrorPage(visit, e);
    }
    return site.Redirect(visit, "/bandeja/" + number + "?hecho=documento-emitido");
}

// ---- SLA report ------------------------------------------------------------------------------

std::string Days(const std::optional<double>& v) {
    if (!v) return "—";
    char buf[32];
    double rounded = std::round(*v * 10) / 10;
    if (rounded == std::floor(rounded)) {
        std::snprintf(buf, sizeof buf, "%.0f", rounded);
    } else {
        std::snprintf(buf, sizeof buf, "%.1f", rounded);
    }
    return buf;
}

std::string Share(const std::optional<double>& v) {
    if (!v) return "—";
    return std::to_string(static_cast<int>(std::lround(*v * 100))) + " %";
}

json::array SlaRows(const std::vector<cases::SlaRow>& rows) {
    json::array out;
    for (const cases::SlaRow& r : rows) {
        out.push_back(json::object{{"nombre", r.name},
                                   {"clave", r.key},
                                   {"presentados", r.filed},
                                   {"resueltos", r.resolved},
                                   {"vencidos", r.open_overdue},
                                   {"mediana", Days(r.median_working_days)},
                                   {"p90", Days(r.p90_working_days)},
                                   {"dentro", Share(r.within_sla_share)}});
    }
    return out;
}

http::Response SlaReport(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (auto r = NeedsLogin(site, visit)) return *r;
    Form q = Form::Parse(req.query);
    core::Date today = core::GuatemalaDate(site.deps().clock.Now());
    std::string from = q.Has("desde") ? q.Get("desde") : core::FormatIsoDate(today.year() / 1 / 1);
    std::string to = q.Has("hasta") ? q.Get("hasta") : core::FormatIsoDate(today);
    json::object view{{"desde", from}, {"hasta", to}};
    auto report = site.deps().cases.Report(visit.actor(), from, to);
    int status = 200;
    if (!report.ok()) {
        const Error& e = report.error();
        if (e.kind() != ErrorKind::kInvalid) return site.ErrorPage(visit, e);
        status = 422;
        auto fields = e.fields();
        if (fields.empty()) fields["hasta"] = e.message();
        view["errores"] = ErrorSummary(fields, {{"desde", "Desde"}, {"hasta", "Hasta"}});
        if (fields.count("desde")) view["error_desde"] = fields["desde"];
        if (fields.count("hasta")) view["error_hasta"] = fields["hasta"];
    } else {
        view["periodo"] = LongDate(report->from) + " al " + LongDate(report->to);
        view["por_tramite"] = SlaRows(report->by_tramite);
        view["por_oficina"] = SlaRows(report->by_office);
        view["resultado"] = true;
        view["vacio"] = report->by_tramite.empty();
    }
    return site.Page(visit, {"informe_sla", "Informe de plazos", std::move(view), status, "informes"});
}

}  // namespace

void AddBackofficePages(http::Router& router, const std::shared_ptr<const Site>& site) {
    const http::RouteOptions form{.accepts = {"application/x-www-form-urlencoded"}};
    router.Add("GET", "/bandeja", [site](const http::Request& r) { return Inbox(*site, r); });
    router.Add("GET", "/bandeja/{numero}", [site](const http::Request& r) { return ShowCase(*site, r); });
    router.Add("POST", "/bandeja/{numero}/transicion", [site](const http::Request& r) { return DoTransition(*site, r); },
               form);
    router.Add("POST", "/bandeja/{numero}/asignacion", [site](const http::Request& r) { return DoAssign(*site, r); },
               form);
    router.Add("POST", "/bandeja/{numero}/documentos", [site](const http::Request& r) { return DoSign(*site, r); },
               form);
    router.Add("GET", "/informes/sla", [site](const http::Request& r) { return SlaReport(*site, r); });
}

}  // namespace vt::web
