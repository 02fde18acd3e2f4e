#include <boost/json.hpp>

#include "vt/cases/api.hpp"

namespace vt::cases {
namespace {

namespace json = boost::json;

json::value Opt(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

const std::vector<std::string> kJson = {"application/json"};

json::object SummaryJson(const CaseSummary& s) {
    return json::object{{"numero", s.number},
                        {"tramite", json::object{{"id", s.tramite_id}, {"nombre", s.tramite_name}}},
                        {"estado", json::object{{"id", s.state}, {"nombre", s.state_name}}},
                        {"oficina", s.office},
                        {"asignado", Opt(s.assignee)},
                        {"presentado", s.filed_on},
                        {"vence", Opt(s.due_on)},
                        {"vence_estado", Opt(s.state_due_on)},
                        {"cerrado", Opt(s.closed_on)},
                        {"plazo", DeadlineStatusName(s.deadline)}};
}

// Reads an optional string member, recording a type error.
std::optional<std::string> OptString(const json::object& o, std::string_view key, Error& bad) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
        bad.WithField(std::string(key), "Debe ser un texto.");
        return std::nullopt;
    }
    return std::string(v->as_string());
}

json::object ObjectMember(const json::object& o, std::string_view key, Error& bad) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return {};
    if (!v->is_object()) {
        bad.WithField(std::string(key), "Debe ser un objeto.");
        return {};
    }
    return v->as_object();
}

void RejectUnknown(const json::object& o, std::initializer_list<std::string_view> known, Error& bad) {
    for (const auto& kv : o) {
        if (std::find(known.begin(), known.end(), kv.key()) == known.end())
            bad.WithField(std::string(kv.key()), "Campo desconocido.");
    }
}

http::Response Fail(const Error& e) { return http::ErrorResponse(e); }

}  // namespace

json::object CaseJson(const Case& c, const catalog::Registry& registry, const core::Actor& actor) {
    const catalog::Definition* def = registry.Find(c.tramite_id, c.tramite_version);
    auto state_name = [&](const std::string& id) -> std::string {
        const catalog::State* s = def ? def->workflow.FindState(id) : nullptr;
        return s ? s->name : id;
    };
    json::array history;
    for (const CaseEvent& e : c.events) {
        json::object h{{"secuencia", e.seq}, {"tipo", e.kind}, {"actor", e.actor}, {"fecha", e.at}};
        if (!e.transition.empty()) h["transicion"] = e.transition;
        if (!e.from_state.empty()) h["de"] = e.from_state;
        if (!e.to_state.empty()) h["a"] = e.to_state;
        if (!e.actor_role.empty()) h["rol"] = e.actor_role;
        if (!e.comment.empty()) h["comentario"] = e.comment;
        if (!e.inputs.empty()) h["entradas"] = e.inputs;
        history.push_back(std::move(h));
    }
    json::array actions;
    if (def && actor.IsOfficial() && actor.office == c.office) {
        for (const catalog::Transition* t : def->workflow.From(c.state)) {
            bool allowed = std::any_of(t->roles.begin(), t->roles.end(), [&](const std::string& r) { return actor.HasRole(r); });
            if (!allowed) continue;
            json::array inputs;
            for (const auto& f : t->inputs) {
                inputs.push_back(json::object{{"id", f.id}, {"tipo", catalog::FieldTypeName(f.type)},
                                              {"etiqueta", f.label}, {"obligatorio", f.required}});
            }
            actions.push_back(json::object{{"id", t->id}, {"nombre", t->name}, {"a", t->to}, {"entradas", std::move(inputs)}});
        }
    }
    return json::object{
        {"numero", c.number},
        {"codigo_seguimiento", c.tracking_code},
        {"tramite", json::object{{"id", c.tramite_id}, {"version", c.tramite_version}, {"nombre", def ? def->name : c.tramite_id}}},
        {"estado", json::object{{"id", c.state}, {"nombre", state_name(c.state)}, {"desde", c.state_since}}},
        {"oficina", c.office},
        {"asignado", Opt(c.assignee)},
        {"solicitante", Opt(c.applicant)},
        {"organizacion", Opt(c.organization)},
        {"presentado_por", Opt(c.filed_by)},
        {"respuestas", c.answers},
        {"presentado", c.filed_at},
        {"fecha_presentacion", c.filed_on},
        {"vence", Opt(c.due_on)},
        {"vence_estado", Opt(c.state_due_on)},
        {"cerrado", Opt(c.closed_at)},
        {"plazo", DeadlineStatusName(c.deadline)},
        {"revision", c.revision},
        {"historial", std::move(history)},
        {"acciones", std::move(actions)},
    };
}

void AddCaseRoutes(http::Router& router, CaseService& service, const catalog::Registry& registry,
                   ActorResolver resolve, AfterTransition after_transition) {
    auto with_actor = [resolve](auto body) {
        return [resolve, body](const http::Request& req) -> http::Response {
            auto actor = resolve(req);
            if (!actor.ok()) return Fail(actor.error());
            return body(req, *actor);
        };
    };

    router.Add("POST", "/api/v1/expedientes", with_actor([&service, &registry](const http::Request& req, const core::Actor& actor) {
        auto body = http::ParseJsonObject(req);
        if (!body.ok()) return Fail(body.error());
        Error bad = Error::Invalid("Revise la solicitud.");
        RejectUnknown(*body, {"tramite", "respuestas", "organizacion", "en_nombre_de", "borrador"}, bad);
        SubmitRequest r;
        r.tramite_id = OptString(*body, "tramite", bad).value_or("");
        if (r.tramite_id.empty() && !bad.fields().contains("tramite")) bad.WithField("tramite", "Indique el trámite.");
        r.answers = ObjectMember(*body, "respuestas", bad);
        r.organization = OptString(*body, "organizacion", bad);
        r.on_behalf_of = OptString(*body, "en_nombre_de", bad);
        r.draft_id = OptString(*body, "borrador", bad);
        r.idempotency_key = std::string(req.Header("Idempotency-Key"));
        if (!bad.fields().empty()) return Fail(bad);
        auto c = service.Submit(actor, r);
        if (!c.ok()) return Fail(c.error());
        http::Response res = http::Json(CaseJson(*c, registry, actor), 201);
        res.Set("Location", "/api/v1/expedientes/" + c->number);
        return res;
    }), {.accepts = kJson});

    router.Add("GET", "/api/v1/expedientes", with_actor([&service](const http::Request& req, const core::Actor& actor) {
        Result<std::vector<CaseSummary>> list = Error::Internal("");
        if (actor.IsOfficial()) {
            InboxFilter f;
            f.tramite_id = req.QueryParam("tramite").value_or("");
            f.state = req.QueryParam("estado").value_or("");
            f.only_overdue = req.QueryParam("vencidos").value_or("") == "1";
            f.only_mine = req.QueryParam("mios").value_or("") == "1";
            f.include_closed = req.QueryParam("cerrados").value_or("") == "1";
            list = service.Inbox(actor, f);
        } else {
            list = service.MyCases(actor);
        }
        if (!list.ok()) return Fail(list.error());
        json::array items;
        for (const auto& s : *list) items.push_back(SummaryJson(s));
        return http::Json(json::object{{"expedientes", std::move(items)}});
    }));

    router.Add("GET", "/api/v1/expedientes/{numero}", with_actor([&service, &registry](const http::Request& req, const core::Actor& actor) {
        auto c = service.Get(actor, req.Param("numero"));
        if (!c.ok()) return Fail(c.error());
        return http::Json(CaseJson(*c, registry, actor));
    }));

    router.Add("POST", "/api/v1/expedientes/{numero}/transiciones",
               with_actor([&service, &registry, after_transition](const http::Request& req, const core::Actor& actor) {
        auto body = http::ParseJsonObject(req);
        if (!body.ok()) return Fail(body.error());
        Error bad = Error::Invalid("Revise la solicitud.");
        RejectUnknown(*body, {"transicion", "comentario", "entradas", "revision"}, bad);
        TransitionRequest t;
        t.transition = OptString(*body, "transicion", bad).value_or("");
        if (t.transition.empty() && !bad.fields().contains("transicion")) bad.WithField("transicion", "Indique la acción.");
        t.comment = OptString(*body, "comentario", bad).value_or("");
        t.inputs = ObjectMember(*body, "entradas", bad);
        if (const json::value* rev = body->if_contains("revision"); rev && !rev->is_null()) {
            if (rev->is_int64()) t.expected_revision = static_cast<int>(rev->as_int64());
            else bad.WithField("revision", "Debe ser un número entero.");
        }
        if (!bad.fields().empty()) return Fail(bad);
        auto c = service.Transition(actor, req.Param("numero"), t);
        if (!c.ok()) return Fail(c.error());
        json::object out = CaseJson(*c, registry, actor);
        if (after_transition) {
            for (auto& kv : after_transition(actor, *c)) out[kv.key()] = std::move(kv.value());
        }
        return http::Json(std::move(out));
    }), {.accepts = kJson});

    router.Add("POST", "/api/v1/expedientes/{numero}/asignacion",
               with_actor([&service, &registry](const http::Request& req, const core::Actor& actor) {
        auto body = http::ParseJsonObject(req);
        if (!body.ok()) return Fail(body.error());
        Error bad = Error::Invalid("Revise la solicitud.");
        RejectUnknown(*body, {"funcionario"}, bad);
        std::string official = OptString(*body, "funcionario", bad).value_or("");
        if (!bad.fields().empty()) return Fail(bad);
        auto c = service.Assign(actor, req.Param("numero"), official);
        if (!c.ok()) return Fail(c.error());
        return http::Json(CaseJson(*c, registry, actor));
    }), {.accepts = kJson});

    router.Add("GET", "/api/v1/seguimiento/{codigo}", [&service](const http::Request& req) {
        auto s = service.Track(req.Param("codigo"));
        if (!s.ok()) return Fail(s.error());
        json::array history;
        for (const auto& h : s->history) history.push_back(json::object{{"estado", h.state_name}, {"fecha", h.on}});
        return http::Json(json::object{{"tramite", json::object{{"id", s->tramite_id}, {"nombre", s->tramite_name}}},
                                       {"estado", json::object{{"id", s->state}, {"nombre", s->state_name}}},
                                       {"finalizado", s->closed},
                                       {"presentado", s->filed_on},
                                       {"vence", Opt(s->due_on)},
                                       {"cerrado", Opt(s->closed_on)},
                                       {"historial", std::move(history)}});
    });

    router.Add("POST", "/api/v1/borradores", with_actor([&service](const http::Request& req, const core::Actor& actor) {
        auto body = http::ParseJsonObject(req);
        if (!body.ok()) return Fail(body.error());
        Error bad = Error::Invalid("Revise la solicitud.");
        RejectUnknown(*body, {"tramite", "respuestas", "id"}, bad);
        std::string tramite = OptString(*body, "tramite", bad).value_or("");
        json::object answers = ObjectMember(*body, "respuestas", bad);
        auto id = OptString(*body, "id", bad);
        if (tramite.empty() && !bad.fields().contains("tramite")) bad.WithField("tramite", "Indique el trámite.");
        if (!bad.fields().empty()) return Fail(bad);
        auto d = service.SaveDraft(actor, tramite, answers, id);
        if (!d.ok()) return Fail(d.error());
        return http::Json(json::object{{"id", d->id}, {"tramite", d->tramite_id}, {"respuestas", d->answers},
                                       {"actualizado", d->updated_at}},
                          id ? 200 : 201);
    }), {.accepts = kJson});

    router.Add("GET", "/api/v1/borradores", with_actor([&service](const http::Request&, const core::Actor& actor) {
        auto list = service.ListDrafts(actor);
        if (!list.ok()) return Fail(list.error());
        json::array items;
        for (const auto& d : *list) {
            items.push_back(json::object{{"id", d.id}, {"tramite", d.tramite_id}, {"respuestas", d.answers},
                                         {"actualizado", d.updated_at}});
        }
        return http::Json(json::object{{"borradores", std::move(items)}});
    }));

    router.Add("GET", "/api/v1/informes/sla", with_actor([&service](const http::Request& req, const core::Actor& actor) {
        auto report = service.Report(actor, req.QueryParam("desde").value_or(""), req.QueryParam("hasta").value_or(""));
        if (!report.ok()) return Fail(report.error());
        auto rows = [](const std::vector<SlaRow>& in) {
            json::array out;
            for (const SlaRow& r : in) {
                auto opt = [](const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); };
                out.push_back(json::object{{"clave", r.key}, {"nombre", r.name}, {"presentados", r.filed},
                                           {"resueltos", r.resolved}, {"abiertos_vencidos", r.open_overdue},
                                           {"mediana_dias_habiles", opt(r.median_working_days)},
                                           {"p90_dias_habiles", opt(r.p90_working_days)},
                                           {"dentro_de_plazo", opt(r.within_sla_share)}});
            }
            return out;
        };
        return http::Json(json::object{{"desde", report->from}, {"hasta", report->to},
                                       {"por_tramite", rows(report->by_tramite)},
                                       {"por_oficina", rows(report->by_office)}});
    }));
}

}  // namespace vt::cases
