// The ministry's services as published in tramites/: each one is filed with valid answers
// and walked along its main path to its resolution, bad filings are refused field by field,
// and the workflow rules (roles, order) hold. Answers and transition inputs are built from
// the definitions themselves, so a new trámite only needs its main path listed here.
#include "vt/cases/cases.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <regex>

#include "tests/case_fixture.hpp"
#include "vt/core/date.hpp"
#include "vt/testing.hpp"

namespace vt::cases {
namespace {

namespace json = boost::json;
using testing::At;
using testing::Citizen;
using testing::Official;

constexpr char kEmployerNit[] = "576937-K";

// A valid answer for `f` on `today`, or null when the definition makes that impossible.
json::value Sample(const catalog::Field& f, core::Date today);

json::object SampleAnswers(const std::vector<catalog::Field>& fields, core::Date today,
                           const json::object& overrides = {}) {
    json::object out;
    for (const catalog::Field& f : fields) {
        // An override is sent as given, shown or not (null: left out).
        if (const json::value* o = overrides.if_contains(f.id)) {
            if (!o->is_null()) out[f.id] = *o;
            continue;
        }
        if (f.visible_if) {
            const json::value* v = out.if_contains(f.visible_if->field);
            bool shown = false;
            for (const auto& allowed : f.visible_if->values) shown = shown || (v && *v == allowed);
            if (!shown) continue;
        }
        out[f.id] = Sample(f, today);
    }
    return out;
}

std::optional<core::Date> Bound(const std::optional<std::string>& spec, core::Date today) {
    if (!spec) return std::nullopt;
    if (spec->starts_with("hoy")) return core::AddDays(today, spec->size() > 3 ? std::stoi(spec->substr(3)) : 0);
    return *core::ParseIsoDate(*spec);
}

std::string Text(const catalog::Field& f) {
    // The patterns the definitions use, with an answer that matches each.
    static const std::map<std::string, std::string> kByPattern = {
        {"^[0-9]{1,10}$", "4455667"},
        {"^[0-9]{1,13}$", "201234567890"},
        {"^[0-9]{2,6}$", "2104"},
        {"^([01][0-9]|2[0-3]):[0-5][0-9]$", "14:30"},
        {"^[A-Za-z0-9]{5,20}$", "N1234567"},
        {"^ML-[0-9]{4}-[0-9]{3}$", "ML-2026-014"},
    };
    if (f.pattern) {
        auto it = kByPattern.find(*f.pattern);
        return it == kByPattern.end() ? "" : it->second;
    }
    std::string s = "Respuesta de prueba para " + f.id;
    while (f.min && static_cast<std::int64_t>(s.size()) < *f.min) s += " con más detalle";
    if (f.max && static_cast<std::int64_t>(s.size()) > *f.max) s.resize(static_cast<std::size_t>(*f.max));
    return s;
}

json::value Sample(const catalog::Field& f, core::Date today) {
    using T = catalog::FieldType;
    switch (f.type) {
        case T::kText:
        case T::kLongText: return json::value(Text(f));
        case T::kInteger: return json::value(std::max<std::int64_t>(f.min.value_or(1), 1));
        case T::kMoney: return json::value(std::min(std::max<std::int64_t>(f.min.value_or(0), 450000), f.max.value_or(INT64_MAX)));
        case T::kDate: {
            auto lo = Bound(f.min_date, today), hi = Bound(f.max_date, today);
            for (core::Date d : {today, *core::ParseIsoDate("1990-05-05"), core::AddDays(today, 30)}) {
                if ((!lo || d >= *lo) && (!hi || d <= *hi)) return json::value(core::FormatIsoDate(d));
            }
            return nullptr;
        }
        case T::kSelect: return json::value(f.options.front().value);
        case T::kMultiSelect: return json::array{json::value(f.options.front().value)};
        case T::kYesNo: return json::value(false);
        case T::kCui: return json::value("1587564440904");
        case T::kNit: return json::value(kEmployerNit);
        case T::kEmail: return json::value("persona@example.com");
        case T::kPhone: return json::value("55512345");
        case T::kPlace: return json::object{{"departamento", "09"}, {"municipio", "0901"}};
        case T::kFile: return json::object{{"documento", "a1b2c3d4e5f60718"}};
        case T::kGroup: {
            json::array items;
            for (std::int64_t i = 0; i < std::max<std::int64_t>(f.min.value_or(1), 1); ++i)
                items.push_back(SampleAnswers(f.fields, today));
            return items;
        }
    }
    return nullptr;
}

// Each digital trámite filed here, its main path (transitions in order) and where it ends.
struct MainPath {
    std::vector<std::string> transitions;
    std::string end;
};
const std::map<std::string, MainPath>& MainPaths() {
    static const std::map<std::string, MainPath> paths = {
        {"acceso-informacion-publica", {{"admitir", "prorrogar", "resolver"}, "resuelta"}},
        {"denuncia-laboral", {{"asignar_inspeccion", "registrar_inspeccion", "resolver"}, "resuelta"}},
        {"registro-contrato-individual", {{"recibir", "aprobar_registro", "firmar_constancia"}, "registrado"}},
        {"autorizacion-libro-salarios", {{"recibir", "aprobar", "firmar_resolucion"}, "autorizada"}},
        {"reglamento-interior-trabajo",
         {{"recibir", "observar", "presentar_correccion", "proponer_aprobacion", "aprobar"}, "aprobado"}},
        {"sso-registro-comite-bipartito", {{"recibir", "aprobar_registro", "firmar_constancia"}, "registrado"}},
        {"sso-aviso-accidente-trabajo", {{"recibir", "cerrar"}, "cerrado"}},
        // Without the sanctions check (src/sanctions tests it) the filing goes to review by itself.
        {"solvencia-faltas-trabajo", {{"confirmar_solvencia", "firmar_solvencia"}, "emitida"}},
        {"buenas-practicas-laborales", {{"admitir", "registrar_evaluacion", "otorgar", "firmar_diploma"}, "reconocida"}},
        {"permiso-trabajo-extranjeros",
         {{"recibir", "dictar_previo", "completar_previo", "dictaminar_favorable", "autorizar"}, "autorizado"}},
        {"denuncia-corrupcion", {{"admitir", "concluir"}, "concluida"}},
        {"movilidad-laboral-convocatoria", {{"preseleccionar", "seleccionar"}, "seleccionada"}},
        {"soporte-tecnico", {{"atender", "poner_en_espera", "reanudar", "resolver"}, "resuelta"}},
        {"inventario-movimiento-bienes", {{"verificar", "registrar"}, "registrado"}},
    };
    return paths;
}

class NoOfficials final : public OfficialDirectory {
public:
    std::vector<std::string> OfficialsOf(std::string_view) const override { return {}; }
};

class MinistryServicesTest : public ::testing::TestWithParam<store::testdb::Engine> {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(GetParam());
        if (!db_->skip.empty()) GTEST_SKIP() << db_->skip;
        ASSERT_OK(db_->status);
        auto registry = catalog::Registry::Open(*db_->store, VT_TRAMITES_DIR, clock_);
        ASSERT_OK(registry);
        registry_ = std::move(registry).value();
        auto data = core::BuiltinCalendarData();
        ASSERT_OK(data);
        calendar_ = std::make_unique<core::WorkingCalendar>(*data);
        service_ = std::make_unique<CaseService>(*db_->store, *registry_, *calendar_, clock_, officials_);
    }

    core::Date Today() const { return core::GuatemalaDate(clock_.Now()); }

    // Who files `d`: staff for internal trámites, the employer's owner for employer ones,
    // anyone for anonymous ones, a citizen otherwise.
    core::Actor Filer(const catalog::Definition& d) const {
        using catalog::Audience;
        auto has = [&](Audience a) { return std::find(d.audience.begin(), d.audience.end(), a) != d.audience.end(); };
        if (has(Audience::kInternal)) return Official("funcionario-igt", "IGT", {"analista"});
        if (d.allow_anonymous) return core::Actor::Anonymous();
        if (has(Audience::kEmployer)) {
            return core::Actor{core::Actor::Kind::kCitizen, "propietaria", kEmployerNit, {}, {"propietario"}};
        }
        return Citizen("ciudadana");
    }

    Result<Case> FileService(const catalog::Definition& d, const json::object& overrides = {}) {
        SubmitRequest r;
        r.tramite_id = d.id;
        r.answers = SampleAnswers(d.form, Today(), overrides);
        core::Actor who = Filer(d);
        if (!who.organization.empty()) r.organization = who.organization;
        return service_->Submit(who, r);
    }

    Result<Case> Act(const catalog::Definition& d, const std::string& number, const std::string& transition,
                     const json::object& overrides = {}) {
        const catalog::Transition* t = d.workflow.FindTransition(transition);
        if (!t) return Error::NotFound("no transition " + transition);
        TransitionRequest r;
        r.transition = transition;
        r.inputs = SampleAnswers(t->inputs, Today(), overrides);
        // The applicant's own steps are taken by whoever filed.
        core::Actor who = t->roles.front() == "solicitante"
                              ? Filer(d)
                              : Official("funcionario-" + t->roles.front(), d.office, {t->roles.front()});
        return service_->Transition(who, number, r);
    }

    const catalog::Definition& Def(std::string_view id) const { return *registry_->Current(id); }

    core::FrozenClock clock_{At(2026, 11, 25)};
    NoOfficials officials_;
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<catalog::Registry> registry_;
    std::unique_ptr<core::WorkingCalendar> calendar_;
    std::unique_ptr<CaseService> service_;
};

TEST_P(MinistryServicesTest, EveryOnlineServiceHasAMainPathAndEveryListedServiceIsPublished) {
    for (const catalog::Definition* d : registry_->All()) {
        bool filed_here = d->channel == catalog::Channel::kDigital && d->link.empty();
        EXPECT_EQ(MainPaths().contains(d->id), filed_here) << d->id;
    }
    for (const auto& [id, path] : MainPaths()) EXPECT_NE(registry_->Current(id), nullptr) << id;
}

TEST_P(MinistryServicesTest, EachServiceIsFiledProcessedAndResolved) {
    for (const auto& [id, path] : MainPaths()) {
        SCOPED_TRACE(id);
        const catalog::Definition& d = Def(id);
        auto filed = FileService(d);
        ASSERT_OK(filed);
        bool automatic = std::any_of(d.workflow.transitions.begin(), d.workflow.transitions.end(),
                                     [](const catalog::Transition& t) { return t.automatic.has_value(); });
        if (!automatic) EXPECT_EQ(filed->state, d.workflow.initial);
        EXPECT_EQ(filed->office, d.office);
        ASSERT_TRUE(filed->due_on.has_value()) << "every online service has a legal deadline";
        std::string state = filed->state;
        for (const std::string& t : path.transitions) {
            SCOPED_TRACE(t);
            auto moved = Act(d, filed->number, t);
            ASSERT_OK(moved);
            state = moved->state;
        }
        EXPECT_EQ(state, path.end);
        const catalog::State* end = d.workflow.FindState(state);
        ASSERT_NE(end, nullptr);
        EXPECT_TRUE(end->terminal);
        auto tracked = service_->Track(filed->tracking_code);
        ASSERT_OK(tracked);
        EXPECT_TRUE(tracked->closed);
    }
}

TEST_P(MinistryServicesTest, InPersonAndLinkedEntriesCannotBeFiled) {
    for (const catalog::Definition* d : registry_->All()) {
        if (MainPaths().contains(d->id)) continue;
        SubmitRequest r;
        r.tramite_id = d->id;
        auto filed = service_->Submit(Citizen("ciudadana"), r);
        ASSERT_FALSE(filed.ok()) << d->id;
        EXPECT_EQ(filed.error().kind(), ErrorKind::kInvalid) << d->id;
    }
}

// One refused filing per service: the field named and nothing written.
struct BadFiling {
    const char* tramite;
    const char* field;
    json::object overrides;
};

TEST_P(MinistryServicesTest, BadFilingsAreRefusedFieldByField) {
    const BadFiling cases[] = {
        // A fixed-term contract needs its end date (Art. 25 b); the bonificación is at least Q250.
        {"registro-contrato-individual", "fecha_fin", {{"duracion", "plazo_fijo"}, {"fecha_fin", nullptr}}},
        {"registro-contrato-individual", "bonificacion_incentivo", {{"bonificacion_incentivo", 24999}}},
        {"registro-contrato-individual", "trabajador_cui", {{"trabajador_cui", "1680352240101"}}},
        {"registro-contrato-individual", "fecha_celebracion", {{"fecha_celebracion", "2026-11-26"}}},
        {"autorizacion-libro-salarios", "registro_anterior",
         {{"tipo_solicitud", "hojas_adicionales"}, {"registro_anterior", nullptr}}},
        {"reglamento-interior-trabajo", "proyecto_reglamento", {{"proyecto_reglamento", nullptr}}},
        {"sso-registro-comite-bipartito", "integrantes", {{"integrantes", json::array{}}}},
        {"sso-aviso-accidente-trabajo", "hora_accidente", {{"hora_accidente", "2:30 pm"}}},
        {"sso-aviso-accidente-trabajo", "fecha_accidente", {{"fecha_accidente", "2026-12-01"}}},
        {"solvencia-faltas-trabajo", "nit", {{"nit", "576937-1"}}},
        {"solvencia-faltas-trabajo", "representacion_legal", {{"tipo_persona", "juridica"}, {"representacion_legal", nullptr}}},
        {"buenas-practicas-laborales", "descripcion_practicas", {{"descripcion_practicas", "Muy buenas."}}},
        {"permiso-trabajo-extranjeros", "residencia_vence", {{"residencia_vence", "2026-11-24"}}},
        {"permiso-trabajo-extranjeros", "extranjero_pasaporte", {{"extranjero_pasaporte", "N-123 456"}}},
        // An anonymous complaint stores no personal data, even if sent.
        {"denuncia-corrupcion", "nombre", {{"anonima", true}, {"nombre", "Alguien"}}},
        {"movilidad-laboral-convocatoria", "convocatoria", {{"convocatoria", "2026-14"}}},
        {"soporte-tecnico", "descripcion", {{"descripcion", ""}}},
        {"inventario-movimiento-bienes", "numero_inventario", {{"movimiento", "traslado"}, {"numero_inventario", nullptr}}},
    };
    for (const BadFiling& c : cases) {
        SCOPED_TRACE(std::string(c.tramite) + " " + c.field);
        auto filed = FileService(Def(c.tramite), c.overrides);
        ASSERT_FALSE(filed.ok());
        EXPECT_EQ(filed.error().kind(), ErrorKind::kInvalid);
        EXPECT_TRUE(filed.error().fields().contains(c.field)) << filed.error().message();
    }
    ASSERT_OK(db_->store->Read([](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row n, tx.QueryOne("SELECT COUNT(*) FROM cases"));
        EXPECT_EQ(n.Int(0), 0);
        return Ok();
    }));
}

TEST_P(MinistryServicesTest, WorkflowRulesHold) {
    const catalog::Definition& d = Def("registro-contrato-individual");
    auto filed = FileService(d);
    ASSERT_OK(filed);
    // Signing before review is out of order; an analyst cannot sign; another office cannot act.
    auto early = Act(d, filed->number, "firmar_constancia");
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().code(), "transition-not-allowed");
    ASSERT_OK(Act(d, filed->number, "recibir"));
    ASSERT_OK(Act(d, filed->number, "aprobar_registro"));
    TransitionRequest sign;
    sign.transition = "firmar_constancia";
    sign.inputs = {{"numero_registro", "DGT-2026-0001"}};
    auto by_analyst = service_->Transition(Official("beto", "DGT", {"analista"}), filed->number, sign);
    ASSERT_FALSE(by_analyst.ok());
    EXPECT_EQ(by_analyst.error().kind(), ErrorKind::kForbidden);
    auto other_office = service_->Transition(Official("diego", "IGT", {"firma"}), filed->number, sign);
    ASSERT_FALSE(other_office.ok());
    EXPECT_EQ(other_office.error().kind(), ErrorKind::kNotFound);
    sign.inputs = {};
    auto no_number = service_->Transition(Official("fany", "DGT", {"firma"}), filed->number, sign);
    ASSERT_FALSE(no_number.ok());
    EXPECT_TRUE(no_number.error().fields().contains("numero_registro"));
}

// LAIP Arts. 42 and 43: 10 días hábiles counted from the día hábil after the filing, and
// one extension of 10 more counted from that deadline, granted before it passes.
TEST_P(MinistryServicesTest, LaipDeadlineAndItsOneExtensionCountDiasHabiles) {
    const catalog::Definition& d = Def("acceso-informacion-publica");
    auto filed = FileService(d);  // Wednesday 2026-11-25
    ASSERT_OK(filed);
    EXPECT_EQ(filed->filed_on, "2026-11-25");
    EXPECT_EQ(filed->due_on, "2026-12-09");  // Nov 26, 27, 30, Dec 1, 2, 3, 4, 7, 8, 9
    ASSERT_OK(Act(d, filed->number, "admitir"));
    auto extended = Act(d, filed->number, "prorrogar");
    ASSERT_OK(extended);
    EXPECT_EQ(extended->state, "prorrogada");
    EXPECT_EQ(extended->due_on, "2026-12-23");  // Dec 10, 11, 14, 15, 16, 17, 18, 21, 22, 23
    auto twice = Act(d, filed->number, "prorrogar");
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code(), "transition-not-allowed");
    ASSERT_OK(Act(d, filed->number, "resolver"));

    // Filed on a Saturday: deemed filed on Monday, the count starts on Tuesday.
    clock_.Advance(std::chrono::days(10));  // Saturday 2026-12-05
    auto weekend = FileService(d);
    ASSERT_OK(weekend);
    EXPECT_EQ(weekend->filed_on, "2026-12-07");
    EXPECT_EQ(weekend->due_on, "2026-12-21");  // Dec 8, 9, 10, 11, 14, 15, 16, 17, 18, 21
    ASSERT_OK(Act(d, weekend->number, "admitir"));
    clock_.Advance(std::chrono::days(17));  // Tuesday 2026-12-22: the deadline has passed
    auto late = Act(d, weekend->number, "prorrogar");
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().code(), "deadline-passed");
}

TEST_P(MinistryServicesTest, TheApplicantAnswersObservationsThemselves) {
    const catalog::Definition& d = Def("reglamento-interior-trabajo");
    auto filed = FileService(d);
    ASSERT_OK(filed);
    ASSERT_OK(Act(d, filed->number, "recibir"));
    ASSERT_OK(Act(d, filed->number, "observar"));
    TransitionRequest answer;
    answer.transition = "presentar_correccion";
    answer.inputs = SampleAnswers(d.workflow.FindTransition("presentar_correccion")->inputs, Today());
    // Not another citizen, not the officials: the employer that filed.
    auto stranger = service_->Transition(Citizen("otra-persona"), filed->number, answer);
    ASSERT_FALSE(stranger.ok());
    EXPECT_EQ(stranger.error().kind(), ErrorKind::kNotFound);
    auto official = service_->Transition(Official("beto", "IGT", {"analista", "jefe"}), filed->number, answer);
    ASSERT_FALSE(official.ok());
    EXPECT_EQ(official.error().kind(), ErrorKind::kForbidden);
    auto own = service_->Transition(Filer(d), filed->number, answer);
    ASSERT_OK(own);
    EXPECT_EQ(own->state, "en_revision");
    EXPECT_EQ(own->events.back().actor_role, "solicitante");
    // And the applicant cannot take the officials' steps.
    TransitionRequest approve;
    approve.transition = "proponer_aprobacion";
    approve.inputs = {{"dictamen", "Cumple con los Arts. 57 a 60 del Código de Trabajo."}};
    auto self_approval = service_->Transition(Filer(d), filed->number, approve);
    ASSERT_FALSE(self_approval.ok());
    EXPECT_EQ(self_approval.error().kind(), ErrorKind::kForbidden);
}

TEST_P(MinistryServicesTest, StaffFollowTheInternalRequestsTheyFile) {
    const catalog::Definition& d = Def("soporte-tecnico");
    auto filed = FileService(d);  // by an IGT official, to the DSI
    ASSERT_OK(filed);
    EXPECT_OK(service_->Get(Official("funcionario-igt", "IGT", {"analista"}), filed->number));
    auto colleague = service_->Get(Official("otra", "IGT", {"analista"}), filed->number);
    ASSERT_FALSE(colleague.ok());
    EXPECT_EQ(colleague.error().kind(), ErrorKind::kNotFound);
}

TEST_P(MinistryServicesTest, InternalServicesAreForStaffOnly) {
    for (const char* id : {"soporte-tecnico", "inventario-movimiento-bienes"}) {
        const catalog::Definition& d = Def(id);
        SubmitRequest r;
        r.tramite_id = id;
        r.answers = SampleAnswers(d.form, Today());
        auto by_citizen = service_->Submit(Citizen("ciudadana"), r);
        ASSERT_FALSE(by_citizen.ok()) << id;
        EXPECT_EQ(by_citizen.error().kind(), ErrorKind::kForbidden) << id;
        auto anonymous = service_->Submit(core::Actor::Anonymous(), r);
        ASSERT_FALSE(anonymous.ok()) << id;
    }
}

TEST_P(MinistryServicesTest, AnonymousCorruptionComplaintKeepsOnlyATrackingCode) {
    const catalog::Definition& d = Def("denuncia-corrupcion");
    auto filed = FileService(d, {{"anonima", true}});
    ASSERT_OK(filed);
    EXPECT_FALSE(filed->applicant.has_value());
    EXPECT_FALSE(filed->answers.contains("nombre"));
    EXPECT_FALSE(filed->answers.contains("cui"));
    auto tracked = service_->Track(filed->tracking_code);
    ASSERT_OK(tracked);
    EXPECT_EQ(tracked->state_name, "Recibida");
}

VT_CASE_TEST_ENGINES(MinistryServicesTest);

}  // namespace
}  // namespace vt::cases
