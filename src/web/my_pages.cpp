// "Mis trámites": a person's cases and drafts, and the page of one of their cases.
#include <boost/json.hpp>

#include "page.hpp"
#include "pages.hpp"

namespace vt::web {
namespace {

namespace json = boost::json;

std::string DeadlineClass(cases::DeadlineStatus s) {
    switch (s) {
        case cases::DeadlineStatus::kOverdue: return "estado-vencido";
        case cases::DeadlineStatus::kDueSoon: return "estado-por-vencer";
        case cases::DeadlineStatus::kOnTime: return "estado-a-tiempo";
        case cases::DeadlineStatus::kClosed: return "estado-cerrado";
        case cases::DeadlineStatus::kNone: return "";
    }
    return "";
}

std::string DeadlineText(cases::DeadlineStatus s) {
    switch (s) {
        case cases::DeadlineStatus::kOverdue: return "Plazo vencido";
        case cases::DeadlineStatus::kDueSoon: return "Por vencer";
        case cases::DeadlineStatus::kOnTime: return "A tiempo";
        case cases::DeadlineStatus::kClosed: return "Concluido";
        case cases::DeadlineStatus::kNone: return "";
    }
    return "";
}

http::Response MyCases(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (visit.anonymous()) return site.LoginRedirect(visit);
    // Staff have no cases of their own: officials work their office's inbox.
    if (visit.actor().kind == core::Actor::Kind::kOfficial) return site.Redirect(visit, "/bandeja");
    if (visit.actor().kind == core::Actor::Kind::kAdministrator) {
        return site.ErrorPage(visit, Error::Forbidden("Las cuentas de administración no presentan trámites."));
    }
    auto mine = site.deps().cases.MyCases(visit.actor());
    if (!mine.ok()) return site.ErrorPage(visit, mine.error());
    auto drafts = site.deps().cases.ListDrafts(visit.actor());
    if (!drafts.ok()) return site.ErrorPage(visit, drafts.error());
    json::array open, closed, draft_rows;
    for (const cases::CaseSummary& c : *mine) {
        json::object row{{"numero", c.number},
                         {"tramite", c.tramite_name},
                         {"estado", c.state_name},
                         {"presentado", LongDate(c.filed_on)},
                         {"clase_plazo", DeadlineClass(c.deadline)},
                         {"texto_plazo", DeadlineText(c.deadline)}};
        if (c.due_on) row["plazo"] = LongDate(*c.due_on);
        if (c.closed_on) row["concluido"] = LongDate(*c.closed_on);
        (c.closed_on ? closed : open).push_back(std::move(row));
    }
    for (const cases::Draft& d : *drafts) {
        const catalog::Definition* def = site.deps().registry.Current(d.tramite_id);
        draft_rows.push_back(json::object{{"id", d.id},
                                          {"tramite_id", d.tramite_id},
                                          {"tramite", def ? def->name : d.tramite_id},
                                          {"guardado", LongDate(d.updated_at)}});
    }
    Form query = Form::Parse(req.query);
    json::object view{{"abiertos", std::move(open)},
                      {"concluidos", std::move(closed)},
                      {"borradores", std::move(draft_rows)},
                      {"borrador_guardado", query.Get("hecho") == "borrador"}};
    view["sin_nada"] = view["abiertos"].as_array().empty() && view["concluidos"].as_array().empty() &&
                       view["borradores"].as_array().empty();
    return site.Page(visit, {"mis_tramites", "Mis trámites", std::move(view), 200, "mis-tramites"});
}

http::Response MyCase(const Site& site, const http::Request& req) {
    Visit visit = site.Begin(req);
    if (visit.anonymous()) return site.LoginRedirect(visit);
    auto found = site.deps().cases.Get(visit.actor(), req.Param("numero"));
    if (!found.ok()) return site.ErrorPage(visit, found.error());
    const cases::Case& c = *found;
    const catalog::Definition* def = site.deps().registry.Find(c.tramite_id, c.tramite_version);
    auto state_name = [&](const std::string& id) {
        const catalog::State* s = def ? def->workflow.FindState(id) : nullptr;
        return s ? s->name : id;
    };
    json::array answers;
    if (def) {
        for (const catalog::Field& f : def->form) {
            const json::value* v = c.answers.if_contains(f.id);
            if (!v) continue;
            std::string text = catalog::AnswerText(&f, *v);
            json::array lines;
            std::size_t start = 0;
            while (true) {
                std::size_t nl = text.find('\n', start);
                lines.push_back(json::value(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start)));
                if (nl == std::string::npos) break;
                start = nl + 1;
            }
            answers.push_back(json::object{{"etiqueta", f.label}, {"lineas", std::move(lines)}});
        }
    }
    json::array history;
    for (const cases::CaseEvent& e : c.events) {
        if (e.to_state.empty()) continue;  // assignments are internal to the office
        json::object h{{"estado", state_name(e.to_state)}, {"fecha", LongDate(e.at)}};
        // What the office wrote to the person (a resolution, a reason) is theirs to read.
        json::array inputs;
        if (def && !e.transition.empty()) {
            if (const catalog::Transition* t = def->workflow.FindTransition(e.transition)) {
                for (const catalog::Field& f : t->inputs) {
                    if (const json::value* v = e.inputs.if_contains(f.id)) {
                        inputs.push_back(json::object{{"etiqueta", f.label}, {"texto", catalog::AnswerText(&f, *v)}});
                    }
                }
            }
        }
        h["entradas"] = std::move(inputs);
        history.push_back(std::move(h));
    }
    json::object view{{"numero", c.number},
                      {"codigo", c.tracking_code},
                      {"tramite", def ? def->name : c.tramite_id},
                      {"estado", state_name(c.state)},
                      {"presentado", LongDate(c.filed_on)},
                      {"respuestas", std::move(answers)},
                      {"historial", std::move(history)},
                      {"clase_plazo", DeadlineClass(c.deadline)},
                      {"texto_plazo", DeadlineText(c.deadline)}};
    if (c.due_on) view["plazo"] = LongDate(*c.due_on);
    if (c.closed_on) view["concluido"] = LongDate(*c.closed_on);
    if (c.organization) view["organizacion"] = *c.organization;
    return site.Page(visit, {"mi_expediente", "Expediente " + c.number, std::move(view), 200, "mis-tramites"});
}

}  // namespace

void AddMyPages(http::Router& router, const std::shared_ptr<const Site>& site) {
    router.Add("GET", "/mis-tramites", [site](const http::Request& r) { return MyCases(*site, r); });
    router.Add("GET", "/mis-tramites/{numero}", [site](const http::Request& r) { return MyCase(*site, r); });
}

}  // namespace vt::web
