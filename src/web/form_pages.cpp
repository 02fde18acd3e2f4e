// Filing a trámite from its definition: the form is split into short pages ("pasos"), each
// validated as it is sent, then a "revise sus respuestas" page, then the filing and its
// receipt. Nothing here knows any particular trámite: every page comes from the
// definition's fields.
//
// The answers travel with the form (a hidden JSON field) so a filing needs no server state
// and works without JavaScript and without an account; every answer is validated again by
// the case service when the filing is sent. Logged-in people also get a draft saved at every
// step, which "Mis trámites" lists so they can continue later. The idempotency key chosen
// when the form opens makes a repeated "Enviar" (a reload, a double tap) return the same
// case instead of filing twice.
#include <boost/json.hpp>
#include <set>

#include "field_view.hpp"
#include "multipart.hpp"
#include "page.hpp"
#include "pages.hpp"
#include "vt/core/date.hpp"
#include "vt/core/geo.hpp"
#include "vt/core/money.hpp"
#include "vt/core/random.hpp"
#include "vt/documents/documents.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;
using catalog::Field;
using catalog::FieldType;

// A page of the form shows at most this many questions; groups and long texts get a page
// of their own.
constexpr std::size_t kQuestionsPerStep = 4;

struct Step {
    std::vector<const Field*> fields;
};

// Where a field's condition looks: the answers at its level.
bool Visible(const Field& f, const json::object& answers) {
    if (!f.visible_if) return true;
    const json::value* v = answers.if_contains(f.visible_if->field);
    if (!v) return false;
    for (const json::value& want : f.visible_if->values) {
        if (*v == want) return true;
    }
    return false;
}

bool OwnStep(const Field& f) { return f.type == FieldType::kGroup; }

std::vector<Step> StepsOf(const catalog::Definition& d) {
    std::vector<Step> steps;
    Step current;
    auto flush = [&] {
        if (!current.fields.empty()) steps.push_back(std::move(current));
        current = {};
    };
    for (const Field& f : d.form) {
        bool depends_on_current = false;
        if (f.visible_if) {
            for (const Field* g : current.fields) depends_on_current = depends_on_current || g->id == f.visible_if->field;
        }
        if (OwnStep(f) || depends_on_current || current.fields.size() >= kQuestionsPerStep) flush();
        current.fields.push_back(&f);
        if (OwnStep(f)) flush();
    }
    flush();
    return steps;
}

bool StepVisible(const Step& s, const json::object& answers) {
    for (const Field* f : s.fields) {
        if (Visible(*f, answers)) return true;
    }
    return false;
}

// HTML ids may not carry the brackets and dots of answer paths ("trabajadores[2].cui").
std::string DomId(std::string_view path) {
    std::string out;
    for (char c : path) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '-';
    return out;
}

std::string TopLevel(std::string_view path) { return std::string(path.substr(0, path.find_first_of("[."))); }

// ---- The form's state -------------------------------------------------------------------

struct Filing {
    const catalog::Definition* def = nullptr;
    json::object answers;
    std::string key;    // idempotency key
    std::string draft;  // draft id, logged-in people only
    std::string organization;
    json::object files;  // upload id -> file name, for display
    int step = 0;
    // What was typed but could not be read (an amount with letters), by answer path.
    std::map<std::string, std::string> raw;
    std::map<std::string, std::string> errors;
};

json::object ParseObject(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return {};
    return std::move(v.as_object());
}

// ---- Reading one field from the form ------------------------------------------------------

struct Incoming {
    Form form;
    std::map<std::string, const FormPart*> files;
    std::vector<FormPart> parts;  // owns nothing: views into the request body
};

std::string Trim(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

// Reads the control(s) of field `f` at answer path `path` into `out` (or removes the
// answer when left empty). Text that cannot be converted is kept in filing.raw with an error.
void ReadField(const Site& site, const Visit& visit, Filing& filing, const Incoming& in, const Field& f,
               const std::string& path, json::object& out) {
    const std::string name = path;
    auto set_or_erase = [&](json::value v, bool empty) {
        if (empty) {
            out.erase(f.id);
        } else {
            out[f.id] = std::move(v);
        }
    };
    switch (f.type) {
        case FieldType::kText:
        case FieldType::kLongText:
        case FieldType::kCui:
        case FieldType::kNit:
        case FieldType::kEmail:
        case FieldType::kPhone: {
            std::string v = Trim(in.form.Get(name));
            set_or_erase(json::value(v), v.empty());
            break;
        }
        case FieldType::kDate: {
            std::string v = Trim(in.form.Get(name));
            set_or_erase(json::value(v), v.empty());
            break;
        }
        case FieldType::kInteger: {
            std::string v = Trim(in.form.Get(name));
            if (v.empty()) {
                out.erase(f.id);
                break;
            }
            std::string digits;
            for (char c : v) {
                if (c != ',' && c != ' ') digits += c;
            }
            char* end = nullptr;
            errno = 0;
            long long n = std::strtoll(digits.c_str(), &end, 10);
            if (digits.empty() || *end != '\0' || errno == ERANGE) {
                filing.raw[path] = v;
                filing.errors[path] = "Escriba un número entero, sin decimales; por ejemplo 12.";
                out.erase(f.id);
            } else {
                out[f.id] = static_cast<std::int64_t>(n);
            }
            break;
        }
        case FieldType::kMoney: {
            std::string v = Trim(in.form.Get(name));
            if (v.empty()) {
                out.erase(f.id);
                break;
            }
            auto m = core::Money::Parse(v);
            if (!m.ok()) {
                filing.raw[path] = v;
                filing.errors[path] = "Escriba el monto en quetzales, con punto para los centavos; por ejemplo 3,250.50.";
                out.erase(f.id);
            } else {
                out[f.id] = m->centavos();
            }
            break;
        }
        case FieldType::kSelect: {
            std::string v = in.form.Get(name);
            set_or_erase(json::value(v), v.empty());
            break;
        }
        case FieldType::kMultiSelect: {
            json::array chosen;
            for (const std::string& v : in.form.GetAll(name)) chosen.push_back(json::value(v));
            set_or_erase(chosen, chosen.empty());
            break;
        }
        case FieldType::kYesNo: {
            std::string v = in.form.Get(name);
            set_or_erase(json::value(v == "si"), v != "si" && v != "no");
            break;
        }
        case FieldType::kPlace: {
            // One list of municipios grouped by departamento; the departamento follows.
            std::string m = in.form.Get(name);
            if (m.empty()) {
                out.erase(f.id);
            } else {
                out[f.id] = json::object{{"departamento", m.substr(0, 2)}, {"municipio", m}};
            }
            break;
        }
        case FieldType::kFile: {
            auto it = in.files.find(name);
            if (it == in.files.end() || it->second->data.empty()) break;  // keep an earlier upload
            documents::DocumentService* docs = site.deps().documents;
            if (!docs) {
                filing.errors[path] = "Este servidor no recibe archivos todavía.";
                break;
            }
            auto rules = docs->RulesFor(filing.def->id, f.id);
            if (!rules.ok()) {
                filing.errors[path] = rules.error().message();
                break;
            }
            auto stored = docs->StoreUpload(visit.actor(), it->second->data, it->second->filename.value_or(""), *rules);
            if (!stored.ok()) {
                filing.errors[path] = stored.error().kind() == ErrorKind::kUnauthenticated
                                          ? "Para adjuntar archivos necesita ingresar con su cuenta."
                                          : stored.error().message();
                break;
            }
            out[f.id] = json::object{{"documento", stored->id}};
            filing.files[stored->id] = stored->original_name;
            break;
        }
        case FieldType::kGroup: {
            // Items are numbered g[0], g[1], ...; the count travels in g.cantidad.
            int count = std::atoi(in.form.Get(name + ".cantidad").c_str());
            count = std::clamp(count, 0, 200);
            json::array items;
            for (int i = 0; i < count; ++i) {
                json::object item;
                std::string prefix = name + "[" + std::to_string(i) + "]";
                for (const Field& sub : f.fields) {
                    if (!Visible(sub, item)) continue;
                    ReadField(site, visit, filing, in, sub, prefix + "." + sub.id, item);
                }
                items.push_back(std::move(item));
            }
            set_or_erase(items, items.empty());
            break;
        }
    }
}

// ---- Showing one field ------------------------------------------------------------------

std::string ValueText(const Field& f, const json::value* v) {
    if (!v) return {};
    switch (f.type) {
        case FieldType::kMoney:
            if (v->is_int64()) {
                // Typed back as the person would type it: 3250.50.
                std::int64_t c = v->as_int64();
                std::string cents = std::to_string(std::abs(c) % 100);
                if (cents.size() < 2) cents = "0" + cents;
                return (c < 0 ? "-" : "") + std::to_string(std::abs(c) / 100) + "." + cents;
            }
            break;
        case FieldType::kInteger:
            if (v->is_int64()) return std::to_string(v->as_int64());
            break;
        case FieldType::kYesNo:
            if (v->is_bool()) return v->as_bool() ? "si" : "no";
            break;
        case FieldType::kPlace:
            if (const json::object* o = v->if_object()) {
                if (const json::value* m = o->if_contains("municipio"); m && m->is_string()) return std::string(m->as_string());
            }
            break;
        case FieldType::kFile:
            if (const json::object* o = v->if_object()) {
                if (const json::value* id = o->if_contains("documento"); id && id->is_string())
                    return std::string(id->as_string());
            }
            break;
        default:
            if (v->is_string()) return std::string(v->as_string());
            break;
    }
    return {};
}

json::array PlaceOptions(std::string_view chosen) {
    // Municipios grouped by departamento, built once; copied to mark the chosen one.
    static const json::array groups = [] {
        json::array out;
        for (const core::Departamento& d : core::Departamentos()) {
            json::array ms;
            for (const core::Municipio& m : core::MunicipiosOf(d.code)) {
                ms.push_back(json::object{{"valor", m.code}, {"etiqueta", m.name}});
            }
            out.push_back(json::object{{"departamento", d.name}, {"municipios", std::move(ms)}});
        }
        return out;
    }();
    json::array out = groups;
    if (chosen.size() == 4) {
        for (json::value& g : out) {
            for (json::value& m : g.as_object()["municipios"].as_array()) {
                if (m.as_object()["valor"].as_string() == chosen) m.as_object()["elegida"] = true;
            }
        }
    }
    return out;
}

json::object Control(const Filing& filing, const Field& f, const std::string& path, const json::object& answers) {
    FieldView v;
    v.id = DomId(path);
    v.label = f.label;
    v.help = f.help;
    v.required = f.required;
    const json::value* answer = answers.if_contains(f.id);
    v.value = filing.raw.count(path) ? filing.raw.at(path) : ValueText(f, answer);
    if (auto e = filing.errors.find(path); e != filing.errors.end()) v.error = e->second;
    // Parts of the answer (a place's municipio) report their errors under sub-paths.
    for (const auto& [p, m] : filing.errors) {
        if (v.error.empty() && p.starts_with(path + ".")) v.error = m;
    }
    if (!f.required && f.type != FieldType::kYesNo && f.type != FieldType::kGroup) v.label += " (opcional)";
    switch (f.type) {
        case FieldType::kText: v.kind = "texto"; break;
        case FieldType::kLongText: v.kind = "texto_largo"; break;
        case FieldType::kCui:
            v.kind = "texto";
            v.input_mode = "numeric";
            v.short_input = true;
            if (v.help.empty()) v.help = "Los 13 dígitos del DPI.";
            break;
        case FieldType::kNit:
            v.kind = "texto";
            v.short_input = true;
            if (v.help.empty()) v.help = "Con su dígito verificador, por ejemplo 576937-K.";
            break;
        case FieldType::kEmail: v.kind = "correo"; break;
        case FieldType::kPhone: v.kind = "telefono"; break;
        case FieldType::kInteger: v.kind = "numero"; break;
        case FieldType::kMoney:
            v.kind = "numero";
            v.input_mode = "decimal";
            v.prefix = "Q";
            if (v.help.empty()) v.help = "En quetzales, por ejemplo 3,250.50.";
            break;
        case FieldType::kDate: v.kind = "fecha"; break;
        case FieldType::kSelect:
            v.kind = "seleccion";
            for (const auto& o : f.options) v.options.emplace_back(o.value, o.label);
            break;
        case FieldType::kMultiSelect:
            v.kind = "casillas";
            for (const auto& o : f.options) v.options.emplace_back(o.value, o.label);
            if (answer && answer->is_array()) {
                for (const json::value& x : answer->as_array()) {
                    if (x.is_string()) v.values.emplace_back(x.as_string());
                }
            }
            break;
        case FieldType::kYesNo: v.kind = "si_no"; break;
        case FieldType::kPlace: v.kind = "lugar"; break;
        case FieldType::kFile: {
            v.kind = "archivo";
            std::string accept;
            for (const std::string& t : f.accepted_types) accept += (accept.empty() ? "" : ",") + t;
            v.accept = accept;
            break;
        }
        case FieldType::kGroup: break;
    }
    json::object o = v.ToJson();
    o["nombre"] = path;
    if (f.type == FieldType::kPlace) o["grupos"] = PlaceOptions(v.value);
    if (f.type == FieldType::kFile && !v.value.empty()) {
        const json::value* name = filing.files.if_contains(v.value);
        o["archivo_adjunto"] = name && name->is_string() ? std::string(name->as_string()) : std::string("archivo adjunto");
    }
    return o;
}

// The blocks of one step: single controls, and groups with their items.
json::array Blocks(const Filing& filing, const Step& step) {
    json::array blocks;
    for (const Field* f : step.fields) {
        if (!Visible(*f, filing.answers)) continue;
        if (f->type != FieldType::kGroup) {
            blocks.push_back(json::object{{"control", Control(filing, *f, f->id, filing.answers)}});
            continue;
        }
        json::array items;
        const json::value* v = filing.answers.if_contains(f->id);
        std::size_t count = v && v->is_array() ? v->as_array().size() : 0;
        if (count == 0 && f->min.value_or(f->required ? 1 : 0) > 0) count = 1;
        for (std::size_t i = 0; i < count; ++i) {
            json::object item = v && v->is_array() && i < v->as_array().size() && v->as_array()[i].is_object()
                                    ? v->as_array()[i].as_object()
                                    : json::object{};
            std::string prefix = f->id + "[" + std::to_string(i) + "]";
            json::array controls;
            for (const Field& sub : f->fields) {
                if (!Visible(sub, item)) continue;
                controls.push_back(Control(filing, sub, prefix + "." + sub.id, item));
            }
            items.push_back(json::object{{"numero", i + 1},
                                         {"controles", std::move(controls)},
                                         {"quitar", "quitar:" + f->id + ":" + std::to_string(i)}});
        }
        std::string error;
        if (auto e = filing.errors.find(f->id); e != filing.errors.end()) error = e->second;
        blocks.push_back(json::object{{"grupo",
                                       json::object{{"id", DomId(f->id)},
                                                    {"nombre", f->id},
                                                    {"etiqueta", f->label},
                                                    {"ayuda", f->help},
                                                    {"error", error},
                                                    {"cantidad", count},
                                                    {"elementos", std::move(items)},
                                                    {"agregar", "agregar:" + f->id}}}});
    }
    return blocks;
}

// The error summary of a step, in the order of its fields.
json::array StepErrors(const Filing& filing, const Step& step) {
    json::array out;
    std::set<std::string> listed;
    auto add = [&](const std::string& path, const std::string& label, const std::string& message) {
        if (!listed.insert(path).second) return;
        out.push_back(json::object{{"campo", label}, {"mensaje", message}, {"enlace", "#campo-" + DomId(path)}});
    };
    for (const Field* f : step.fields) {
        for (const auto& [path, message] : filing.errors) {
            if (TopLevel(path) != f->id) continue;
            std::string label = f->label;
            std::string target = path;
            if (f->type == FieldType::kGroup && path != f->id) {
                // "trabajadores[2].cui" -> "Trabajadores, 3: CUI"
                std::size_t open = path.find('['), close = path.find(']');
                int index = std::atoi(path.substr(open + 1, close - open - 1).c_str());
                std::string sub = path.substr(close + 2);
                sub = sub.substr(0, sub.find_first_of("[."));
                for (const Field& s : f->fields) {
                    if (s.id == sub) label = f->label + " (" + std::to_string(index + 1) + "): " + s.label;
                }
                target = path.substr(0, close + 2) + sub;
            } else if (path != f->id) {
                target = f->id;  // a part of a place: link the control
            }
            add(target, label, message);
        }
    }
    for (const auto& [path, message] : filing.errors) {
        if (!listed.count(path) && !listed.count(TopLevel(path))) {
            bool mine = false;
            for (const Field* f : step.fields) mine = mine || TopLevel(path) == f->id;
            if (!mine) add(path, "", message);
        }
    }
    MarkSummaryEnds(out);
    return out;
}

// ---- Pages --------------------------------------------------------------------------------

json::object StateView(const Filing& f) {
    return json::object{{"respuestas", json::serialize(f.answers)},
                        {"clave", f.key},
                        {"borrador", f.draft},
                        {"organizacion", f.organization},
                        {"archivos", json::serialize(f.files)}};
}

// A step may still be asked while the answer it depends on is not given yet: counting it
// keeps "Paso 1 de 2" from changing under the person's eyes.
bool StepMayBeAsked(const Step& s, const json::object& answers) {
    for (const Field* f : s.fields) {
        if (!f->visible_if || !answers.contains(f->visible_if->field) || Visible(*f, answers)) return true;
    }
    return false;
}

int VisibleStepNumber(const std::vector<Step>& steps, const json::object& answers, int step, int* total) {
    int n = 0, shown = 0;
    for (int i = 0; i < static_cast<int>(steps.size()); ++i) {
        if (!StepMayBeAsked(steps[i], answers)) continue;
        ++n;
        if (i == step) shown = n;
    }
    *total = n;
    return shown;
}

bool HasFiles(const Step& s) {
    for (const Field* f : s.fields) {
        if (f->type == FieldType::kFile) return true;
        if (f->type == FieldType::kGroup) {
            for (const Field& sub : f->fields) {
                if (sub.type == FieldType::kFile) return true;
            }
        }
    }
    return false;
}

bool ForEmployers(const catalog::Definition& d) {
    return std::find(d.audience.begin(), d.audience.end(), catalog::Audience::kEmployer) != d.audience.end();
}

// "¿En nombre de quién?": for trámites employers file, when the person represents one.
std::optional<json::object> ForWhomControl(const Site& site, const Visit& visit, const Filing& filing) {
    if (visit.actor().kind != core::Actor::Kind::kCitizen || !ForEmployers(*filing.def)) return std::nullopt;
    auto me = site.deps().identity.Me(visit.actor());
    if (!me.ok() || me->organizations.empty()) return std::nullopt;
    FieldView v;
    v.id = "organizacion_elegida";
    v.label = "¿En nombre de quién presenta este trámite?";
    v.kind = "seleccion";
    v.value = filing.organization.empty() ? "persona" : filing.organization;
    v.options.emplace_back("persona", "En mi nombre");
    for (const identity::Membership& m : me->organizations) {
        v.options.emplace_back(m.nit, m.legal_name + " (NIT " + m.nit + ")");
    }
    return v.ToJson();
}

http::Response StepPage(const Site& site, const Visit& visit, const Filing& filing, int status) {
    std::vector<Step> steps = StepsOf(*filing.def);
    const Step& step = steps[filing.step];
    int total = 0;
    int number = VisibleStepNumber(steps, filing.answers, filing.step, &total);
    json::object view = StateView(filing);
    view["tramite"] = filing.def->name;
    view["id"] = filing.def->id;
    view["paso"] = filing.step;
    view["numero_paso"] = number;
    view["total_pasos"] = total;
    view["primero"] = number <= 1;
    view["bloques"] = Blocks(filing, step);
    if (number <= 1) {
        if (auto choice = ForWhomControl(site, visit, filing)) view["en_nombre_de"] = std::move(*choice);
    }
    view["errores"] = StepErrors(filing, step);
    view["multipart"] = HasFiles(step);
    view["con_cuenta"] = !visit.anonymous();
    return site.Page(visit, {"solicitud", filing.def->name, std::move(view), status, "tramites"});
}

json::array ReviewRows(const Filing& filing) {
    json::array rows;
    std::vector<Step> steps = StepsOf(*filing.def);
    for (int i = 0; i < static_cast<int>(steps.size()); ++i) {
        for (const Field* f : steps[i].fields) {
            if (!Visible(*f, filing.answers)) continue;
            const json::value* v = filing.answers.if_contains(f->id);
            std::string text = v ? catalog::AnswerText(f, *v) : "";
            if (f->type == FieldType::kFile && v) {
                std::string id = ValueText(*f, v);
                const json::value* name = filing.files.if_contains(id);
                text = name && name->is_string() ? std::string(name->as_string()) : "Archivo adjunto";
            }
            json::array lines;
            std::size_t start = 0;
            while (start <= text.size()) {
                std::size_t nl = text.find('\n', start);
                lines.push_back(json::value(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start)));
                if (nl == std::string::npos) break;
                start = nl + 1;
            }
            rows.push_back(json::object{{"etiqueta", f->label},
                                        {"lineas", std::move(lines)},
                                        {"vacio", text.empty()},
                                        {"ir", "ir:" + std::to_string(i)}});
        }
    }
    return rows;
}

http::Response ReviewPage(const Site& site, const Visit& visit, const Filing& filing, int status,
                          json::array errors = {}) {
    json::object view = StateView(filing);
    view["tramite"] = filing.def->name;
    view["id"] = filing.def->id;
    view["filas"] = ReviewRows(filing);
    view["errores"] = std::move(errors);
    view["anonimo"] = visit.anonymous();
    if (!filing.organization.empty()) view["para_organizacion"] = filing.organization;
    return site.Page(visit, {"solicitud_revision", "Revise sus respuestas", std::move(view), status, "tramites"});
}

http::Response ReceiptPage(const Site& site, const Visit& visit, const catalog::Definition& def, const cases::Case& c) {
    json::object view{{"tramite", def.name},
                      {"numero", c.number},
                      {"codigo", c.tracking_code},
                      {"presentado", LongDate(c.filed_on)},
                      {"oficina", c.office},
                      {"con_cuenta", !visit.anonymous()}};
    if (c.due_on) view["plazo"] = LongDate(*c.due_on);
    if (def.sla_working_days) view["dias"] = *def.sla_working_days;
    return site.Page(visit, {"solicitud_recibida", "Trámite presentado", std::move(view), 201, "tramites"});
}

// Who may start the filing at all; the case service decides again when it is sent.
std::optional<http::Response> Refusal(const Site& site, const Visit& visit, const catalog::Definition* def) {
    if (!def) return site.ErrorPage(visit, Error::NotFound("No existe ese trámite."));
    if (def->channel != catalog::Channel::kDigital) {
        return site.ErrorPage(visit, Error(ErrorKind::kConflict, "not-online",
                                           "Este trámite todavía se hace en persona. Consulte su ficha para saber dónde."));
    }
    if (visit.anonymous() && !def->allow_anonymous) return site.LoginRedirect(visit);
    if (visit.actor().kind == core::Actor::Kind::kAdministrator) {
        return site.ErrorPage(visit, Error::Forbidden("Las cuentas de administración no presentan trámites."));
    }
    return std::nullopt;
}

int FirstVisibleStep(const std::vector<Step>& steps, const json::object& answers, int from, int direction) {
    for (int i = from; i >= 0 && i < static_cast<int>(steps.size()); i += direction) {
        if (StepVisible(steps[i], answers)) return i;
    }
    return -1;
}

http::Response Start(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    const catalog::Definition* def = site.deps().registry.Current(req.Param("id"));
    if (auto refused = Refusal(site, visit, def)) return *refused;
    Filing filing;
    filing.def = def;
    filing.key = core::RandomHex(16);
    Form query = Form::Parse(req.query);
    if (std::string id = query.Get("borrador"); !id.empty() && !visit.anonymous()) {
        auto draft = site.deps().cases.GetDraft(visit.actor(), id);
        if (!draft.ok()) return site.ErrorPage(visit, draft.error());
        if (draft->tramite_id != def->id) return site.ErrorPage(visit, Error::NotFound("No existe ese borrador."));
        filing.answers = draft->answers;
        filing.draft = draft->id;
    }
    std::vector<Step> steps = StepsOf(*def);
    if (steps.empty()) return ReviewPage(site, visit, filing, 200);
    filing.step = std::max(0, FirstVisibleStep(steps, filing.answers, 0, 1));
    return StepPage(site, visit, filing, 200);
}

// Reads the request body: a plain form, or multipart when the step has files.
std::optional<Incoming> ReadBody(const http::Request& req) {
    Incoming in;
    std::string_view type = req.Header("Content-Type");
    std::string boundary = MultipartBoundary(type);
    if (boundary.empty()) {
        in.form = Form::Parse(req.body);
        return in;
    }
    auto parts = ParseMultipart(req.body, boundary);
    if (!parts) return std::nullopt;
    in.parts = std::move(*parts);
    for (const FormPart& p : in.parts) {
        if (p.filename) {
            in.files[p.name] = &p;
        } else {
            in.form.Add(p.name, std::string(p.data));
        }
    }
    return in;
}

Status SaveDraft(const Site& site, const Visit& visit, Filing& filing) {
    if (visit.anonymous()) return Ok();
    std::optional<std::string> id;
    if (!filing.draft.empty()) id = filing.draft;
    auto saved = site.deps().cases.SaveDraft(visit.actor(), filing.def->id, filing.answers, id);
    if (!saved.ok()) return saved.error();
    filing.draft = saved->id;
    return Ok();
}

// Validates the answers of every field up to the end of `step` (the later ones are not
// asked yet). Returns the errors that belong to the fields of `step`.
std::map<std::string, std::string> CheckUpTo(const Site& site, const Filing& filing, const std::vector<Step>& steps,
                                             int step) {
    std::set<std::string> asked;
    for (int i = 0; i <= step; ++i) {
        for (const Field* f : steps[i].fields) asked.insert(f->id);
    }
    std::vector<Field> fields;
    json::object answers;
    for (const Field& f : filing.def->form) {
        if (!asked.count(f.id)) continue;
        fields.push_back(f);
        if (const json::value* v = filing.answers.if_contains(f.id)) answers[f.id] = *v;
    }
    catalog::AnswerContext ctx{core::FormatIsoDate(core::GuatemalaDate(site.deps().clock.Now()))};
    auto checked = catalog::ValidateAnswers(fields, answers, ctx);
    if (checked.ok()) return {};
    std::set<std::string> mine;
    for (const Field* f : steps[step].fields) mine.insert(f->id);
    std::map<std::string, std::string> out;
    for (const auto& [path, message] : checked.error().fields()) {
        if (mine.count(TopLevel(path))) out[path] = message;
    }
    return out;
}

http::Response Continue(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    auto in = ReadBody(req);
    if (!in) return site.ErrorPage(visit, Error::BadRequest("multipart-invalid", "El formulario llegó incompleto. Envíelo de nuevo."));
    if (!site.CsrfValid(visit, in->form)) return site.CsrfPage(visit);
    const catalog::Definition* def = site.deps().registry.Current(req.Param("id"));
    if (auto refused = Refusal(site, visit, def)) return *refused;

    Filing filing;
    filing.def = def;
    filing.answers = ParseObject(in->form.Get("respuestas"));
    filing.files = ParseObject(in->form.Get("archivos"));
    filing.key = in->form.Get("clave");
    if (filing.key.size() < 16 || filing.key.size() > 64) filing.key = core::RandomHex(16);
    filing.draft = visit.anonymous() ? "" : in->form.Get("borrador");
    filing.organization = in->form.Get("organizacion");
    if (in->form.Has("organizacion_elegida")) {
        std::string chosen = in->form.Get("organizacion_elegida");
        filing.organization = chosen == "persona" ? "" : chosen;
    }
    std::vector<Step> steps = StepsOf(*def);
    std::string action = in->form.Get("accion");
    if (action.empty()) action = "continuar";

    const bool on_review = in->form.Get("paso") == "revision";
    int step = on_review ? static_cast<int>(steps.size()) : std::atoi(in->form.Get("paso").c_str());
    step = std::clamp(step, 0, static_cast<int>(steps.size()));

    if (on_review) {
        if (action.starts_with("ir:")) {
            filing.step = std::clamp(std::atoi(action.substr(3).c_str()), 0, std::max(0, static_cast<int>(steps.size()) - 1));
            if (steps.empty()) return ReviewPage(site, visit, filing, 200);
            return StepPage(site, visit, filing, 200);
        }
        if (action == "guardar") {
            if (Status s = SaveDraft(site, visit, filing); !s.ok()) return site.ErrorPage(visit, s.error());
            return site.Redirect(visit, "/mis-tramites?hecho=borrador");
        }
        if (action == "volver") {
            filing.step = FirstVisibleStep(steps, filing.answers, static_cast<int>(steps.size()) - 1, -1);
            if (filing.step < 0) return ReviewPage(site, visit, filing, 200);
            return StepPage(site, visit, filing, 200);
        }
        // Send it.
        cases::SubmitRequest submit;
        submit.tramite_id = def->id;
        submit.answers = filing.answers;
        submit.idempotency_key = filing.key;
        if (!filing.organization.empty()) submit.organization = filing.organization;
        if (!filing.draft.empty()) submit.draft_id = filing.draft;
        core::Actor filer = visit.actor();
        if (!filing.organization.empty()) {
            // The employer must be one the person represents: identity decides.
            auto acting = site.deps().identity.ActingFor(visit.actor(), filing.organization);
            if (!acting.ok()) return site.ErrorPage(visit, acting.error());
            filer = *acting;
        }
        auto filed = site.deps().cases.Submit(filer, submit);
        if (filed.ok()) return ReceiptPage(site, visit, *def, *filed);
        const Error& e = filed.error();
        if (e.kind() != ErrorKind::kInvalid || e.fields().empty()) return site.ErrorPage(visit, e);
        // Show the first step with a problem, with every message of that step.
        filing.errors = e.fields();
        for (int i = 0; i < static_cast<int>(steps.size()); ++i) {
            for (const Field* f : steps[i].fields) {
                for (const auto& [path, m] : filing.errors) {
                    if (TopLevel(path) == f->id) {
                        filing.step = i;
                        return StepPage(site, visit, filing, 422);
                    }
                }
            }
        }
        Filing shown = filing;
        json::array summary;
        for (const auto& [path, m] : e.fields()) summary.push_back(json::object{{"campo", ""}, {"mensaje", m}, {"enlace", "#contenido"}});
        MarkSummaryEnds(summary);
        return ReviewPage(site, visit, shown, 422, std::move(summary));
    }

    if (steps.empty()) return ReviewPage(site, visit, filing, 200);
    filing.step = std::min(step, static_cast<int>(steps.size()) - 1);
    // Take what the page sent, whatever the button.
    for (const Field* f : steps[filing.step].fields) {
        if (!Visible(*f, filing.answers)) {
            filing.answers.erase(f->id);
            continue;
        }
        ReadField(site, visit, filing, *in, *f, f->id, filing.answers);
    }
    // Answers that depend on a changed answer and are hidden now are dropped, so nothing the
    // person no longer sees is sent.
    for (const Field& f : def->form) {
        if (!Visible(f, filing.answers)) filing.answers.erase(f.id);
    }

    if (action.starts_with("agregar:") || action.starts_with("quitar:")) {
        std::string rest = action.substr(action.find(':') + 1);
        std::string group = rest.substr(0, rest.find(':'));
        json::value& items = filing.answers[group];
        if (!items.is_array()) items = json::array{};
        if (action.starts_with("agregar:")) {
            items.as_array().push_back(json::object{});
        } else {
            std::size_t index = static_cast<std::size_t>(std::atoi(rest.substr(rest.find(':') + 1).c_str()));
            if (index < items.as_array().size()) items.as_array().erase(items.as_array().begin() + index);
            if (items.as_array().empty()) filing.answers.erase(group);
        }
        filing.errors.clear();
        filing.raw.clear();
        return StepPage(site, visit, filing, 200);
    }
    if (action == "volver") {
        filing.errors.clear();
        filing.raw.clear();
        int previous = FirstVisibleStep(steps, filing.answers, filing.step - 1, -1);
        if (previous < 0) return site.Redirect(visit, "/tramites/" + def->id);
        filing.step = previous;
        return StepPage(site, visit, filing, 200);
    }

    std::map<std::string, std::string> errors = CheckUpTo(site, filing, steps, filing.step);
    for (const auto& [path, message] : errors) filing.errors.emplace(path, message);
    if (!filing.errors.empty()) return StepPage(site, visit, filing, 422);

    if (Status s = SaveDraft(site, visit, filing); !s.ok()) return site.ErrorPage(visit, s.error());
    if (action == "guardar") return site.Redirect(visit, "/mis-tramites?hecho=borrador");
    int next = FirstVisibleStep(steps, filing.answers, filing.step + 1, 1);
    if (next < 0) return ReviewPage(site, visit, filing, 200);
    filing.step = next;
    return StepPage(site, visit, filing, 200);
}

}  // namespace

void AddFormPages(http::Router& router, const std::shared_ptr<const Site>& site) {
    router.Add("GET", "/tramites/{id}/solicitud", [site](const http::Request& r) { return Start(*site, r); });
    router.Add("POST", "/tramites/{id}/solicitud", [site](const http::Request& r) { return Continue(*site, r); },
               {.accepts = {"application/x-www-form-urlencoded", "multipart/form-data"}});
}

}  // namespace vt::web
