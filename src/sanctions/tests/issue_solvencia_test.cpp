// The solvencia de faltas de trabajo as published in tramites/, with the real check: issued
// by the system at filing when no source has a pending firm sanction for the NIT, sent to
// the Inspección with what was found otherwise.
#include "vt/sanctions/sanctions.hpp"

#include <gtest/gtest.h>

#include "testing/registry_peer.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::sanctions {
namespace {

namespace json = boost::json;

class NoOfficials final : public cases::OfficialDirectory {
public:
    std::vector<std::string> OfficialsOf(std::string_view) const override { return {}; }
};

class IssueSolvenciaTest : public ::testing::TestWithParam<store::testdb::Engine> {
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
        local_ = std::make_unique<LocalSanctions>(*db_->store, clock_);
        remote_ = std::make_unique<HttpSanctionsRegistry>(HttpRegistryOptions{.base_url = peer_.base_url()});
        all_ = std::make_unique<CombinedSanctions>(std::vector<const SanctionsRegistry*>{local_.get(), remote_.get()});
        check_ = std::make_unique<NoFirmSanctionsCheck>(*all_);
        cases::AutomaticChecks checks{{std::string(kNoFirmSanctionsCheck), check_.get()}};
        ASSERT_OK(cases::VerifyAutomaticChecks(*registry_, checks));
        service_ = std::make_unique<cases::CaseService>(*db_->store, *registry_, *calendar_, clock_, officials_,
                                                        cases::CasesOptions{}, checks);
    }

    Result<cases::Case> File(const std::string& nit) {
        cases::SubmitRequest r;
        r.tramite_id = "solvencia-faltas-trabajo";
        r.organization = "576937-K";
        r.answers = {{"nit", nit},
                     {"tipo_persona", "individual"},
                     {"nombre", "Empresa Demostración"},
                     {"calidad_solicitante", "propietario"},
                     {"uso", "contratacion_estado"},
                     {"correo", "empresa@example.com"},
                     {"dpi_solicitante", json::object{{"documento", "a1b2c3d4e5f60718"}}},
                     {"rtu", json::object{{"documento", "a1b2c3d4e5f60719"}}}};
        core::Actor owner{core::Actor::Kind::kCitizen, "propietaria", "576937-K", {}, {"propietario"}};
        return service_->Submit(owner, r);
    }

    core::FrozenClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + std::chrono::hours{16}};
    testing::RegistryPeer peer_;
    NoOfficials officials_;
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<catalog::Registry> registry_;
    std::unique_ptr<core::WorkingCalendar> calendar_;
    std::unique_ptr<LocalSanctions> local_;
    std::unique_ptr<HttpSanctionsRegistry> remote_;
    std::unique_ptr<CombinedSanctions> all_;
    std::unique_ptr<NoFirmSanctionsCheck> check_;
    std::unique_ptr<cases::CaseService> service_;
};

TEST_P(IssueSolvenciaTest, WithoutSanctionsTheSystemIssuesItAtOnce) {
    peer_.Set("576937-K", {Sanction{"576937-K", "IGT-7-2025", "Jornada", 300000, "2025-02-03", false, ""}});
    auto c = File("576937-K");
    ASSERT_OK(c);
    EXPECT_EQ(c->state, "emitida");
    EXPECT_TRUE(c->closed_at.has_value());
    const cases::CaseEvent& step = c->events.back();
    EXPECT_EQ(step.actor, "sistema");
    EXPECT_EQ(step.transition, "emitir_sin_sanciones");
    EXPECT_EQ(step.inputs.at("sanciones_firmes_pendientes").to_number<std::int64_t>(), 0);
    EXPECT_EQ(peer_.requests(), 1);
}

TEST_P(IssueSolvenciaTest, APendingSanctionInEitherSourceSendsItToTheInspeccion) {
    peer_.Set("576937-K", {Sanction{"576937-K", "IGT-55-2026", "Jornada", 300000, "2026-05-02", true, ""}});
    auto remote = File("576937-K");
    ASSERT_OK(remote);
    EXPECT_EQ(remote->state, "en_revision");
    EXPECT_EQ(remote->events.back().transition, "enviar_a_revision");
    EXPECT_EQ(remote->events.back().inputs.at("sanciones").as_array()[0].at("expediente").as_string(), "IGT-55-2026");

    peer_.Set("576937-K", {});
    ASSERT_OK(local_->Record(core::Actor::System(),
                             {"576937-K", "IGT-202-2026", "No pagar el bono 14", 450000, "2026-06-01"}));
    auto local = File("576937-K");
    ASSERT_OK(local);
    EXPECT_EQ(local->state, "en_revision");
    EXPECT_EQ(local->events.back().inputs.at("sanciones").as_array()[0].at("fuente").as_string(), "ministerio");

    ASSERT_OK(local_->Settle(core::Actor::System(), "576937-K", "IGT-202-2026", "Pagó el 2026-11-24."));
    auto settled = File("576937-K");
    ASSERT_OK(settled);
    EXPECT_EQ(settled->state, "emitida");
}

TEST_P(IssueSolvenciaTest, WhenTheRegistryIsDownNothingIsIssued) {
    peer_.SetFault(testing::RegistryPeer::Fault::kUnavailable);
    auto c = File("576937-K");
    ASSERT_OK(c);
    EXPECT_EQ(c->state, "en_revision");
    EXPECT_NE(c->events.back().comment.find("No se pudo verificar «sin_sanciones_firmes»"), std::string::npos)
        << c->events.back().comment;
}

INSTANTIATE_TEST_SUITE_P(Engines, IssueSolvenciaTest,
                         ::testing::Values(store::testdb::Engine::kSqlite, store::testdb::Engine::kPostgres),
                         [](const auto& info) { return store::testdb::EngineName(info.param); });

}  // namespace
}  // namespace vt::sanctions
