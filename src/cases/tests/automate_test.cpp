// Automatic transitions and deadline extensions, driven by the definition: the system takes
// a transition by itself when its check passes, falls back to the officials when it does
// not (or cannot answer) with the reason recorded, and an extension moves the legal
// deadline by días hábiles from the deadline in force, only while it runs.
#include "vt/cases/cases.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/case_fixture.hpp"
#include "vt/testing.hpp"

namespace vt::cases {
namespace {

namespace json = boost::json;
using testing::At;
using testing::Citizen;
using testing::Official;

const std::string kConstancia = R"({
  "id": "constancia-automatica", "version": 1, "nombre": "Constancia", "descripcion": "d",
  "base_legal": "b", "audiencia": ["ciudadano"], "prioridad": "general", "canal": "digital",
  "oficina": "IGT", "plazo_dias_habiles": 8,
  "formulario": [{"id": "nit", "tipo": "nit", "etiqueta": "NIT", "obligatorio": true}],
  "flujo": {
    "inicial": "presentada",
    "estados": [
      {"id": "presentada", "nombre": "Presentada", "plazo_dias_habiles": 1},
      {"id": "en_revision", "nombre": "En revisión", "plazo_dias_habiles": 5},
      {"id": "emitida", "nombre": "Emitida", "final": true},
      {"id": "denegada", "nombre": "Denegada", "final": true}
    ],
    "transiciones": [
      {"id": "emitir", "nombre": "Emitir", "de": ["presentada"], "a": "emitida", "roles": ["sistema"],
       "automatica": {"verificacion": "limpio", "campo": "nit"}},
      {"id": "a_revision", "nombre": "A revisión", "de": ["presentada"], "a": "en_revision", "roles": ["sistema"],
       "automatica": {}},
      {"id": "trasladar", "nombre": "Trasladar", "de": ["presentada"], "a": "en_revision", "roles": ["recepcion"]},
      {"id": "denegar", "nombre": "Denegar", "de": ["en_revision"], "a": "denegada", "roles": ["analista"]},
      {"id": "aprobar", "nombre": "Aprobar", "de": ["en_revision"], "a": "emitida", "roles": ["analista"]}
    ]
  }
})";

// Passes for NIT 576937-K, fails for others; errors when told to.
class FakeCheck final : public AutomaticCheck {
public:
    Result<CheckOutcome> Evaluate(const Case& c, const catalog::Transition::Automatic& rule) const override {
        ++calls;
        if (down) return Error::Unavailable("registry-down", "El registro no responde.");
        std::string nit(c.answers.at(rule.field).as_string());
        CheckOutcome o;
        o.passed = nit == "576937-K";
        o.detail = o.passed ? "Sin pendientes para " + nit + "." : "Hay pendientes para " + nit + ".";
        o.facts = {{"nit", nit}, {"pendientes", o.passed ? 0 : 2}};
        return o;
    }
    bool down = false;
    mutable int calls = 0;
};

class AutomateTest : public ::testing::TestWithParam<store::testdb::Engine> {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(GetParam());
        if (!db_->skip.empty()) GTEST_SKIP() << db_->skip;
        ASSERT_OK(db_->status);
        std::vector<catalog::Definition> defs;
        for (const auto& src : {kConstancia, testing::kSolicitud}) {
            auto d = catalog::ParseDefinition(src, "fixture");
            ASSERT_OK(d);
            defs.push_back(std::move(d).value());
        }
        ASSERT_OK(db_->store->Write([&](store::Tx& tx) -> Status {
            for (const auto& d : defs) {
                VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO tramite_definitions VALUES ($1, $2, $3, 'x', 'now')",
                                           {store::Value{d.id}, store::Value{std::int64_t{d.version}},
                                            store::Value{d.source}}));
            }
            return Ok();
        }));
        registry_ = std::make_unique<catalog::Registry>(std::move(defs));
        auto data = core::BuiltinCalendarData();
        ASSERT_OK(data);
        calendar_ = std::make_unique<core::WorkingCalendar>(*data);
        service_ = std::make_unique<CaseService>(*db_->store, *registry_, *calendar_, clock_, officials_,
                                                 CasesOptions{}, AutomaticChecks{{"limpio", &check_}});
    }

    Result<Case> File(std::string nit) {
        SubmitRequest r;
        r.tramite_id = "constancia-automatica";
        r.answers = {{"nit", nit}};
        return service_->Submit(Citizen("ciudadana"), r);
    }

    core::FrozenClock clock_{At(2026, 11, 25)};
    testing::FakeOfficials officials_;
    FakeCheck check_;
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<catalog::Registry> registry_;
    std::unique_ptr<core::WorkingCalendar> calendar_;
    std::unique_ptr<CaseService> service_;
};

TEST_P(AutomateTest, APassingCheckResolvesAtOnceAsTheSystem) {
    auto c = File("576937k");
    ASSERT_OK(c);
    EXPECT_EQ(c->state, "emitida");
    EXPECT_TRUE(c->closed_at.has_value());
    ASSERT_EQ(c->events.size(), 2u);
    const CaseEvent& step = c->events[1];
    EXPECT_EQ(step.actor, "sistema");
    EXPECT_EQ(step.actor_role, "sistema");
    EXPECT_EQ(step.transition, "emitir");
    EXPECT_EQ(step.comment, "Sin pendientes para 576937-K.");
    EXPECT_EQ(step.inputs.at("pendientes").as_int64(), 0);
    // Each step has its audit entry.
    ASSERT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row n, tx.QueryOne("SELECT COUNT(*) FROM audit_log WHERE object_id = $1",
                                                      {store::Value{c->number}}));
        EXPECT_EQ(n.Int(0), 2);
        return Ok();
    }));
}

TEST_P(AutomateTest, AFailingCheckRoutesToTheOfficialsWithWhatItFound) {
    auto c = File("1234567-9");
    ASSERT_OK(c);
    EXPECT_EQ(c->state, "en_revision");
    EXPECT_FALSE(c->closed_at.has_value());
    const CaseEvent& step = c->events.back();
    EXPECT_EQ(step.transition, "a_revision");
    EXPECT_EQ(step.comment, "Hay pendientes para 1234567-9.");
    EXPECT_EQ(step.inputs.at("pendientes").as_int64(), 2);
    ASSERT_TRUE(c->state_due_on.has_value());  // the officials' deadline runs
    EXPECT_OK(service_->Transition(Official("beto", "IGT", {"analista"}), c->number, {"aprobar", "", {}, {}}));
}

TEST_P(AutomateTest, ACheckThatCannotAnswerNeverPasses) {
    check_.down = true;
    auto c = File("576937-K");
    ASSERT_OK(c);
    EXPECT_EQ(c->state, "en_revision");
    EXPECT_EQ(c->events.back().comment, "No se pudo verificar «limpio»: El registro no responde.");
}

TEST_P(AutomateTest, OfficialsCannotTakeAnAutomaticTransition) {
    check_.down = true;
    auto c = File("576937-K");
    ASSERT_OK(c);
    for (const char* role : {"recepcion", "analista", "jefe", "firma"}) {
        auto r = service_->Transition(Official("x", "IGT", {role}), c->number, {"emitir", "", {}, {}});
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().kind(), ErrorKind::kForbidden);
    }
}

TEST_P(AutomateTest, AServerMustHaveEveryCheckItsDefinitionsName) {
    EXPECT_OK(VerifyAutomaticChecks(*registry_, {{"limpio", &check_}}));
    auto missing = VerifyAutomaticChecks(*registry_, {});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message().find("«limpio»"), std::string::npos);
}

TEST(DefineAutomaticTransition, OnlyTheSystemTakesItAndItNeedsNoInputs) {
    json::value v = json::parse(kConstancia);
    auto& t = v.at("flujo").at("transiciones").as_array()[0].as_object();
    t["roles"] = json::array{"sistema", "jefe"};
    t["entradas"] = json::array{json::object{{"id", "x"}, {"tipo", "texto"}, {"etiqueta", "X"}}};
    t["automatica"].as_object()["campo"] = "rtu";
    auto d = catalog::ParseDefinition(json::serialize(v), "x.json");
    ASSERT_FALSE(d.ok());
    const auto& f = d.error().fields();
    EXPECT_TRUE(f.contains("x.json: $.flujo.transiciones[0].roles")) << d.error().message();
    EXPECT_TRUE(f.contains("x.json: $.flujo.transiciones[0].entradas")) << d.error().message();
    EXPECT_TRUE(f.contains("x.json: $.flujo.transiciones[0].automatica.campo")) << d.error().message();

    json::value w = json::parse(kConstancia);
    w.at("flujo").at("transiciones").as_array()[1].as_object().erase("automatica");
    auto manual_system = catalog::ParseDefinition(json::serialize(w), "y.json");
    ASSERT_FALSE(manual_system.ok());
    EXPECT_TRUE(manual_system.error().fields().contains("y.json: $.flujo.transiciones[1].automatica"))
        << manual_system.error().message();
}

VT_CASE_TEST_ENGINES(AutomateTest);

}  // namespace
}  // namespace vt::cases
