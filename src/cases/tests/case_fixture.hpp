#pragma once
// A trámite, a frozen clock and a case service on a real store, for the scenario tests.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "vt/cases/cases.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::cases::testing {

inline const std::string kSolicitud = R"({
  "id": "solicitud-informacion",
  "version": 1,
  "nombre": "Solicitud de información pública",
  "descripcion": "Pida información pública al ministerio.",
  "base_legal": "Decreto 57-2008, Arts. 42 y 43",
  "audiencia": ["ciudadano"],
  "prioridad": "prioritario",
  "canal": "digital",
  "oficina": "UIP",
  "anonimo_permitido": true,
  "plazo_dias_habiles": 10,
  "formulario": [
    {"id": "informacion", "tipo": "texto_largo", "etiqueta": "Información que solicita", "obligatorio": true, "min": 10},
    {"id": "correo", "tipo": "correo", "etiqueta": "Correo para la respuesta"}
  ],
  "flujo": {
    "inicial": "presentada",
    "estados": [
      {"id": "presentada", "nombre": "Presentada", "plazo_dias_habiles": 2},
      {"id": "en_tramite", "nombre": "En trámite"},
      {"id": "resuelta", "nombre": "Resuelta", "final": true},
      {"id": "rechazada", "nombre": "Rechazada", "final": true}
    ],
    "transiciones": [
      {"id": "admitir", "nombre": "Admitir", "de": ["presentada"], "a": "en_tramite", "roles": ["recepcion"]},
      {"id": "rechazar", "nombre": "Rechazar", "de": ["presentada", "en_tramite"], "a": "rechazada", "roles": ["jefe"],
       "entradas": [{"id": "motivo", "tipo": "texto_largo", "etiqueta": "Motivo", "obligatorio": true}]},
      {"id": "resolver", "nombre": "Resolver", "de": ["en_tramite"], "a": "resuelta", "roles": ["analista"],
       "entradas": [{"id": "respuesta", "tipo": "texto_largo", "etiqueta": "Respuesta", "obligatorio": true}]}
    ]
  }
})";

inline const std::string kInterno = R"({
  "id": "soporte-tecnico", "version": 1, "nombre": "Soporte técnico", "descripcion": "Pida ayuda a informática.",
  "base_legal": "Reglamento interno", "audiencia": ["interno"], "prioridad": "general", "canal": "digital",
  "oficina": "DTI",
  "formulario": [{"id": "problema", "tipo": "texto", "etiqueta": "Problema", "obligatorio": true}],
  "flujo": {"inicial": "abierto", "estados": [{"id": "abierto", "nombre": "Abierto"}, {"id": "cerrado", "nombre": "Cerrado", "final": true}],
            "transiciones": [{"id": "cerrar", "nombre": "Cerrar", "de": ["abierto"], "a": "cerrado", "roles": ["analista"]}]}
})";

class FakeOfficials final : public OfficialDirectory {
public:
    std::vector<std::string> OfficialsOf(std::string_view office) const override {
        if (office == "UIP") return {"ana", "beto", "carla"};
        return {};
    }
};

inline std::chrono::system_clock::time_point At(int y, unsigned m, unsigned d, int hour_gt = 10) {
    using namespace std::chrono;
    // Guatemala is UTC-6 all year.
    return sys_days{year{y} / month{m} / day{d}} + hours{hour_gt + 6};
}

inline core::Actor Citizen(std::string id) { return core::Actor{core::Actor::Kind::kCitizen, std::move(id), {}, {}, {}}; }
inline core::Actor Official(std::string id, std::string office, std::vector<std::string> roles) {
    return core::Actor{core::Actor::Kind::kOfficial, std::move(id), {}, std::move(office), std::move(roles)};
}

class CaseTest : public ::testing::TestWithParam<store::testdb::Engine> {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(GetParam());
        if (!db_->skip.empty()) GTEST_SKIP() << db_->skip;
        ASSERT_OK(db_->status);
        std::vector<catalog::Definition> defs;
        for (const auto& src : {kSolicitud, kInterno}) {
            auto d = catalog::ParseDefinition(src, "fixture");
            ASSERT_OK(d);
            defs.push_back(std::move(d).value());
        }
        // The foreign key of cases wants the definitions published.
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
        service_ = std::make_unique<CaseService>(*db_->store, *registry_, *calendar_, clock_, officials_);
    }
    void TearDown() override {
        service_.reset();
        db_.reset();
    }

    static boost::json::object Answers(std::string text = "Copia del presupuesto 2026 del ministerio.") {
        return boost::json::object{{"informacion", text}};
    }

    Result<Case> File(const core::Actor& who, std::string key = "", boost::json::object answers = Answers()) {
        SubmitRequest r;
        r.tramite_id = "solicitud-informacion";
        r.answers = std::move(answers);
        r.idempotency_key = std::move(key);
        return service_->Submit(who, r);
    }

    Result<Case> Take(const core::Actor& who, const std::string& number, std::string transition,
                      boost::json::object inputs = {}, std::optional<int> revision = std::nullopt) {
        TransitionRequest t;
        t.transition = std::move(transition);
        t.inputs = std::move(inputs);
        t.expected_revision = revision;
        return service_->Transition(who, number, t);
    }

    core::FrozenClock clock_{At(2026, 11, 25)};
    FakeOfficials officials_;
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<catalog::Registry> registry_;
    std::unique_ptr<core::WorkingCalendar> calendar_;
    std::unique_ptr<CaseService> service_;
};

#define VT_CASE_TEST_ENGINES(suite)                                                                  \
    INSTANTIATE_TEST_SUITE_P(Engines, suite,                                                         \
                             ::testing::Values(store::testdb::Engine::kSqlite,                       \
                                               store::testdb::Engine::kPostgres),                    \
                             [](const auto& info) { return store::testdb::EngineName(info.param); })

}  // namespace vt::cases::testing
