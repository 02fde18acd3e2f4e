#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "definition_reader.hpp"
#include "vt/catalog/catalog.hpp"

namespace vt::catalog {
namespace {

using internal::ObjectReader;
using internal::Problems;

struct TypeName {
    FieldType type;
    std::string_view name;
};
constexpr TypeName kTypeNames[] = {
    {FieldType::kText, "texto"},         {FieldType::kLongText, "texto_largo"},
    {FieldType::kInteger, "entero"},     {FieldType::kMoney, "dinero"},
    {FieldType::kDate, "fecha"},         {FieldType::kSelect, "seleccion"},
    {FieldType::kMultiSelect, "seleccion_multiple"}, {FieldType::kYesNo, "si_no"},
    {FieldType::kCui, "cui"},            {FieldType::kNit, "nit"},
    {FieldType::kEmail, "correo"},       {FieldType::kPhone, "telefono"},
    {FieldType::kPlace, "lugar"},        {FieldType::kFile, "archivo"},
    {FieldType::kGroup, "grupo"},
};

// Official roles a transition may name. Kept here so that a typo in a definition fails
// the lint instead of silently leaving a transition nobody can take.
// "solicitante" is the person who filed (or their organization's representatives);
// "sistema" takes automatic transitions.
const std::set<std::string, std::less<>> kKnownRoles = {"recepcion", "analista", "inspector", "jefe",
                                                        "firma",     "sistema",  "solicitante"};

const std::regex kIdPattern("^[a-z][a-z0-9-]{2,63}$");
const std::regex kFieldIdPattern("^[a-z][a-z0-9_]{0,63}$");
const std::regex kLinkPattern("^/[a-z0-9/_-]{1,200}$");
const std::regex kDateBound("^(hoy([+-][0-9]{1,5})?|[0-9]{4}-[0-9]{2}-[0-9]{2})$");

std::string Index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::vector<Field> ReadFields(const boost::json::array* arr, const std::string& path, Problems& p, int depth);

Field ReadField(const boost::json::value& v, const std::string& path, Problems& p, int depth) {
    Field f;
    if (!v.is_object()) {
        p.Add(path, "debe ser un objeto");
        return f;
    }
    ObjectReader r(v.as_object(), path, p);
    f.id = r.String("id", true);
    if (!f.id.empty() && !std::regex_match(f.id, kFieldIdPattern))
        p.Add(r.PathOf("id"), "solo minúsculas, dígitos y _; empieza con letra");
    std::string type = r.String("tipo", true);
    bool known = false;
    for (const auto& t : kTypeNames) {
        if (t.name == type) {
            f.type = t.type;
            known = true;
        }
    }
    if (!type.empty() && !known) p.Add(r.PathOf("tipo"), "tipo de campo desconocido: " + type);
    f.label = r.String("etiqueta", true);
    f.help = r.String("ayuda", false);
    f.required = r.Bool("obligatorio", false);
    f.min = r.Int("min", false);
    f.max = r.Int("max", false);
    if (f.min && f.max && *f.min > *f.max) p.Add(r.PathOf("min"), "es mayor que max");
    if (auto pat = r.String("patron", false); !pat.empty()) {
        try {
            std::regex test(pat);
            f.pattern = pat;
        } catch (const std::regex_error& e) {
            p.Add(r.PathOf("patron"), std::string("expresión regular inválida: ") + e.what());
        }
    }
    f.pattern_message = r.String("mensaje_patron", false);
    if (f.pattern && f.pattern_message.empty()) p.Add(r.PathOf("mensaje_patron"), "falta (acompaña a patron)");
    for (auto [key, slot] : {std::pair{"fecha_min", &f.min_date}, std::pair{"fecha_max", &f.max_date}}) {
        std::string b = r.String(key, false);
        if (b.empty()) continue;
        if (!std::regex_match(b, kDateBound)) p.Add(r.PathOf(key), "debe ser AAAA-MM-DD, hoy, hoy+N u hoy-N");
        else *slot = b;
    }
    if (const auto* opts = r.Array("opciones", false)) {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < opts->size(); ++i) {
            std::string op = Index(r.PathOf("opciones"), i);
            if (!(*opts)[i].is_object()) {
                p.Add(op, "debe ser un objeto {valor, etiqueta}");
                continue;
            }
            ObjectReader o((*opts)[i].as_object(), op, p);
            Option option{o.String("valor", true), o.String("etiqueta", true)};
            if (!seen.insert(option.value).second) p.Add(o.PathOf("valor"), "valor repetido");
            f.options.push_back(std::move(option));
        }
    }
    if ((f.type == FieldType::kSelect || f.type == FieldType::kMultiSelect) && f.options.empty())
        p.Add(r.PathOf("opciones"), "una selección necesita opciones");
    if (const auto* cond = r.Object("visible_si", false)) {
        ObjectReader c(*cond, r.PathOf("visible_si"), p);
        Condition condition;
        condition.field = c.String("campo", true);
        if (const auto* eq = c.Get("igual", false)) condition.values.push_back(*eq);
        if (const auto* in = c.Array("en", false)) {
            for (const auto& e : *in) condition.values.push_back(e);
        }
        if (condition.values.empty()) p.Add(c.path(), "necesita igual o en");
        f.visible_if = std::move(condition);
    }
    f.accepted_types = r.Strings("tipos", f.type == FieldType::kFile);
    f.max_bytes = r.Int("max_bytes", f.type == FieldType::kFile).value_or(0);
    if (f.type == FieldType::kFile && f.max_bytes <= 0) p.Add(r.PathOf("max_bytes"), "debe ser mayor que 0");
    if (const auto* sub = r.Array("campos", f.type == FieldType::kGroup)) {
        if (f.type != FieldType::kGroup) p.Add(r.PathOf("campos"), "solo los grupos tienen campos");
        else if (depth >= 2) p.Add(r.PathOf("campos"), "no se admiten grupos dentro de grupos dentro de grupos");
        else f.fields = ReadFields(sub, r.PathOf("campos"), p, depth + 1);
        if (f.type == FieldType::kGroup && f.fields.empty()) p.Add(r.PathOf("campos"), "un grupo necesita campos");
    }
    return f;
}

std::vector<Field> ReadFields(const boost::json::array* arr, const std::string& path, Problems& p, int depth) {
    std::vector<Field> fields;
    if (!arr) return fields;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        std::string fp = Index(path, i);
        Field f = ReadField((*arr)[i], fp, p, depth);
        if (!f.id.empty() && !ids.insert(f.id).second) p.Add(fp + ".id", "campo repetido: " + f.id);
        // A condition may only look at a field shown before it at the same level.
        if (f.visible_if && !f.visible_if->field.empty() && !ids.contains(f.visible_if->field))
            p.Add(fp + ".visible_si.campo", "debe nombrar un campo anterior del mismo nivel");
        fields.push_back(std::move(f));
    }
    return fields;
}

Workflow ReadWorkflow(ObjectReader& flow, const std::vector<IssuedDocument>& documents,
                      const std::vector<Field>& form, Problems& p) {
    std::set<std::string, std::less<>> form_ids;
    for (const Field& f : form) form_ids.insert(f.id);
    Workflow w;
    w.initial = flow.String("inicial", true);
    std::set<std::string> state_ids;
    if (const auto* states = flow.Array("estados", true)) {
        for (std::size_t i = 0; i < states->size(); ++i) {
            std::string sp = Index(flow.PathOf("estados"), i);
            if (!(*states)[i].is_object()) {
                p.Add(sp, "debe ser un objeto");
                continue;
            }
            ObjectReader s((*states)[i].as_object(), sp, p);
            State state;
            state.id = s.String("id", true);
            state.name = s.String("nombre", true);
            state.terminal = s.Bool("final", false);
            if (auto sla = s.Int("plazo_dias_habiles", false)) {
                if (*sla <= 0 || *sla > 3650) p.Add(s.PathOf("plazo_dias_habiles"), "debe estar entre 1 y 3650");
                state.sla_working_days = static_cast<int>(*sla);
            }
            if (!state.id.empty() && !state_ids.insert(state.id).second) p.Add(s.PathOf("id"), "estado repetido");
            w.states.push_back(std::move(state));
        }
    }
    if (!w.initial.empty() && !state_ids.contains(w.initial))
        p.Add(flow.PathOf("inicial"), "no es un estado definido: " + w.initial);

    std::set<std::string> transition_ids;
    if (const auto* transitions = flow.Array("transiciones", true)) {
        for (std::size_t i = 0; i < transitions->size(); ++i) {
            std::string tp = Index(flow.PathOf("transiciones"), i);
            if (!(*transitions)[i].is_object()) {
                p.Add(tp, "debe ser un objeto");
                continue;
            }
            ObjectReader t((*transitions)[i].as_object(), tp, p);
            Transition tr;
            tr.id = t.String("id", true);
            tr.name = t.String("nombre", true);
            tr.from = t.Strings("de", true);
            tr.to = t.String("a", true);
            tr.roles = t.Strings("roles", true);
            tr.inputs = ReadFields(t.Array("entradas", false), t.PathOf("entradas"), p, 0);
            if (auto doc = t.String("emite", false); !doc.empty()) {
                bool found = false;
                for (const auto& d : documents) found = found || d.id == doc;
                if (!found) p.Add(t.PathOf("emite"), "no es un documento definido: " + doc);
                tr.issues = doc;
            }
            if (auto days = t.Int("prorroga_dias_habiles", false)) {
                if (*days <= 0 || *days > 365) p.Add(t.PathOf("prorroga_dias_habiles"), "debe estar entre 1 y 365");
                tr.extends_working_days = static_cast<int>(*days);
            }
            if (const auto* automatic = t.Object("automatica", false)) {
                ObjectReader a(*automatic, t.PathOf("automatica"), p);
                Transition::Automatic rule;
                rule.check = a.String("verificacion", false);
                if (!rule.check.empty() && !std::regex_match(rule.check, kFieldIdPattern))
                    p.Add(a.PathOf("verificacion"), "solo minúsculas, dígitos y _; empieza con letra");
                rule.field = a.String("campo", false);
                if (!rule.field.empty() && !form_ids.contains(rule.field))
                    p.Add(a.PathOf("campo"), "no es un campo del formulario: " + rule.field);
                if (tr.roles != std::vector<std::string>{"sistema"})
                    p.Add(t.PathOf("roles"), "una transición automática la toma solo el rol sistema");
                if (!tr.inputs.empty()) p.Add(t.PathOf("entradas"), "una transición automática no tiene entradas");
                tr.automatic = std::move(rule);
            } else if (tr.roles == std::vector<std::string>{"sistema"}) {
                p.Add(t.PathOf("automatica"), "solo el sistema puede tomarla: declárela automática");
            }
            if (!tr.id.empty() && !transition_ids.insert(tr.id).second) p.Add(t.PathOf("id"), "transición repetida");
            if (tr.from.empty()) p.Add(t.PathOf("de"), "necesita al menos un estado de origen");
            for (std::size_t k = 0; k < tr.from.size(); ++k) {
                if (!state_ids.contains(tr.from[k]))
                    p.Add(Index(t.PathOf("de"), k), "no es un estado definido: " + tr.from[k]);
            }
            if (!tr.to.empty() && !state_ids.contains(tr.to)) p.Add(t.PathOf("a"), "no es un estado definido: " + tr.to);
            if (tr.roles.empty()) p.Add(t.PathOf("roles"), "necesita al menos un rol");
            for (std::size_t k = 0; k < tr.roles.size(); ++k) {
                if (!kKnownRoles.contains(tr.roles[k]))
                    p.Add(Index(t.PathOf("roles"), k), "rol desconocido: " + tr.roles[k]);
            }
            w.transitions.push_back(std::move(tr));
        }
    }

    // Shape of the graph: something must end, ends are ends, and every state is reachable
    // and can move on.
    bool any_terminal = false;
    for (std::size_t i = 0; i < w.states.size(); ++i) {
        const State& s = w.states[i];
        any_terminal = any_terminal || s.terminal;
        bool has_exit = !w.From(s.id).empty();
        std::string sp = Index(flow.PathOf("estados"), i);
        if (s.terminal && has_exit) p.Add(sp, "un estado final no puede tener transiciones de salida");
        if (!s.terminal && !has_exit && !s.id.empty()) p.Add(sp, "el estado " + s.id + " no tiene salida ni es final");
    }
    if (!w.states.empty() && !any_terminal) p.Add(flow.PathOf("estados"), "necesita al menos un estado final");
    if (p.empty()) {
        std::set<std::string> reached{w.initial};
        std::vector<std::string> pending{w.initial};
        while (!pending.empty()) {
            std::string s = pending.back();
            pending.pop_back();
            for (const Transition* t : w.From(s)) {
                if (reached.insert(t->to).second) pending.push_back(t->to);
            }
        }
        for (std::size_t i = 0; i < w.states.size(); ++i) {
            if (!reached.contains(w.states[i].id))
                p.Add(Index(flow.PathOf("estados"), i), "inalcanzable desde el estado inicial");
        }
    }
    return w;
}

template <typename E>
E ReadEnum(ObjectReader& r, std::string_view key, std::initializer_list<std::pair<std::string_view, E>> values,
           E fallback) {
    std::string s = r.String(key, true);
    for (const auto& [name, value] : values) {
        if (name == s) return value;
    }
    if (!s.empty()) {
        std::string list;
        for (const auto& [name, value] : values) list += (list.empty() ? "" : ", ") + std::string(name);
        r.problems().Add(r.PathOf(key), "debe ser uno de: " + list);
    }
    return fallback;
}

}  // namespace

std::string_view FieldTypeName(FieldType type) {
    for (const auto& t : kTypeNames) {
        if (t.type == type) return t.name;
    }
    return "?";
}

const State* Workflow::FindState(std::string_view id) const {
    for (const auto& s : states) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

const Transition* Workflow::FindTransition(std::string_view id) const {
    for (const auto& t : transitions) {
        if (t.id == id) return &t;
    }
    return nullptr;
}

std::vector<const Transition*> Workflow::From(std::string_view state) const {
    std::vector<const Transition*> out;
    for (const auto& t : transitions) {
        for (const auto& f : t.from) {
            if (f == state) {
                out.push_back(&t);
                break;
            }
        }
    }
    return out;
}

Result<Definition> ParseDefinition(std::string_view json, const std::string& file) {
    boost::system::error_code ec;
    boost::json::value root = boost::json::parse(json, ec);
    if (ec) {
        Error e = Error::Invalid("La definición " + file + " no es JSON válido: " + ec.message() + ".");
        e.WithField(file + ": $", "JSON inválido: " + ec.message());
        return e;
    }
    if (!root.is_object()) return Error::Invalid("La definición " + file + " debe ser un objeto JSON.");

    Problems p;
    Definition d;
    {
        ObjectReader r(root.as_object(), "$", p);
        d.id = r.String("id", true);
        if (!d.id.empty() && !std::regex_match(d.id, kIdPattern))
            p.Add("$.id", "solo minúsculas, dígitos y guiones (3 a 64), empieza con letra");
        auto version = r.Int("version", true);
        if (version && (*version < 1 || *version > 100000)) p.Add("$.version", "debe ser un entero positivo");
        d.version = static_cast<int>(version.value_or(1));
        d.name = r.String("nombre", true);
        d.description = r.String("descripcion", true);
        d.legal_basis = r.String("base_legal", true);
        for (const std::string& a : r.Strings("audiencia", true)) {
            if (a == "ciudadano") d.audience.push_back(Audience::kCitizen);
            else if (a == "empleador") d.audience.push_back(Audience::kEmployer);
            else if (a == "interno") d.audience.push_back(Audience::kInternal);
            else p.Add("$.audiencia", "valor desconocido: " + a + " (ciudadano, empleador, interno)");
        }
        d.priority = ReadEnum(r, "prioridad", {{"prioritario", Priority::kPriority}, {"general", Priority::kGeneral}},
                              Priority::kGeneral);
        d.channel = ReadEnum(r, "canal", {{"digital", Channel::kDigital}, {"presencial", Channel::kInPerson}},
                             Channel::kDigital);
        d.office = r.String("oficina", true);
        d.topic = r.String("tema", false);
        d.allow_anonymous = r.Bool("anonimo_permitido", false);
        d.fee_centavos = r.Int("tarifa_centavos", false).value_or(0);
        if (d.fee_centavos < 0) p.Add("$.tarifa_centavos", "no puede ser negativa");
        if (auto sla = r.Int("plazo_dias_habiles", false)) {
            if (*sla <= 0 || *sla > 3650) p.Add("$.plazo_dias_habiles", "debe estar entre 1 y 3650");
            d.sla_working_days = static_cast<int>(*sla);
        }
        if (const auto* docs = r.Array("documentos", false)) {
            std::set<std::string> ids;
            for (std::size_t i = 0; i < docs->size(); ++i) {
                std::string dp = Index("$.documentos", i);
                if (!(*docs)[i].is_object()) {
                    p.Add(dp, "debe ser un objeto");
                    continue;
                }
                ObjectReader o((*docs)[i].as_object(), dp, p);
                IssuedDocument doc{o.String("id", true), o.String("nombre", true), o.String("plantilla", true)};
                if (!ids.insert(doc.id).second) p.Add(dp + ".id", "documento repetido");
                d.documents.push_back(std::move(doc));
            }
        }
        if (const auto* reqs = r.Array("requisitos", false)) {
            std::set<std::string> ids;
            for (std::size_t i = 0; i < reqs->size(); ++i) {
                std::string rp = Index("$.requisitos", i);
                if (!(*reqs)[i].is_object()) {
                    p.Add(rp, "debe ser un objeto");
                    continue;
                }
                ObjectReader o((*reqs)[i].as_object(), rp, p);
                Requirement req;
                req.id = o.String("id", true);
                req.name = o.String("nombre", true);
                req.description = o.String("descripcion", false);
                req.required = o.Bool("obligatorio", true);
                req.accepted_types = o.Strings("tipos", false);
                req.max_bytes = o.Int("max_bytes", false).value_or(0);
                if (!ids.insert(req.id).second) p.Add(rp + ".id", "requisito repetido");
                d.requirements.push_back(std::move(req));
            }
        }
        // A trámite not yet online is listed (for the programme's indicators) without a
        // form or workflow; so is an online service that another module provides (its
        // `enlace`, e.g. the severance calculator). One filed online needs both.
        d.link = r.String("enlace", false);
        if (!d.link.empty()) {
            if (d.channel != Channel::kDigital) p.Add("$.enlace", "solo un servicio digital tiene enlace");
            if (!std::regex_match(d.link, kLinkPattern))
                p.Add("$.enlace", "debe ser una ruta de este sitio, por ejemplo /api/v1/calculadora/prestaciones");
        }
        bool filed_here = d.channel == Channel::kDigital && d.link.empty();
        bool has_form = root.as_object().contains("formulario"), has_flow = root.as_object().contains("flujo");
        if (!d.link.empty() && (has_form || has_flow))
            p.Add(has_form ? "$.formulario" : "$.flujo", "un servicio con enlace no se presenta aquí: quite formulario y flujo");
        d.form = ReadFields(r.Array("formulario", filed_here), "$.formulario", p, 0);
        if (const auto* flow = r.Object("flujo", filed_here)) {
            ObjectReader fr(*flow, "$.flujo", p);
            d.workflow = ReadWorkflow(fr, d.documents, d.form, p);
        }
    }
    if (d.audience.empty() && p.list().find("$.audiencia") == p.list().end())
        p.Add("$.audiencia", "necesita al menos una audiencia");

    if (!p.empty()) {
        std::ostringstream msg;
        msg << "La definición " << file << " tiene " << p.list().size() << " error(es):";
        for (const auto& [path, why] : p.list()) msg << "\n  " << file << ": " << path << ": " << why;
        Error e = Error::Invalid(msg.str());
        for (const auto& [path, why] : p.list()) e.WithField(file + ": " + path, why);
        return e;
    }
    d.source = boost::json::serialize(root);
    return d;
}

Result<std::vector<Definition>> LoadDirectory(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return Error::Invalid("No existe el directorio de trámites " + dir.string() + ".");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<Definition> out;
    Error all = Error::Invalid("");
    std::string message;
    std::map<std::string, std::string> seen_ids;  // id -> file
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream buf;
        buf << in.rdbuf();
        std::string name = path.filename().string();
        auto def = ParseDefinition(buf.str(), name);
        if (!def.ok()) {
            message += (message.empty() ? "" : "\n") + def.error().message();
            for (const auto& [k, v] : def.error().fields()) all.WithField(k, v);
            continue;
        }
        if (name != def->id + ".json") {
            std::string why = "el archivo debe llamarse " + def->id + ".json";
            message += (message.empty() ? "" : "\n") + name + ": " + why;
            all.WithField(name + ": $.id", why);
        }
        if (auto [it, fresh] = seen_ids.emplace(def->id, name); !fresh) {
            std::string why = "id repetido (también en " + it->second + ")";
            message += (message.empty() ? "" : "\n") + name + ": " + why;
            all.WithField(name + ": $.id", why);
        }
        out.push_back(std::move(def).value());
    }
    if (!all.fields().empty()) {
        Error e = Error::Invalid(message);
        for (const auto& [k, v] : all.fields()) e.WithField(k, v);
        return e;
    }
    return out;
}

}  // namespace vt::catalog
