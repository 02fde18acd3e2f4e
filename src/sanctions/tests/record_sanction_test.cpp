// The firm sanctions the ministry records here: who may record and settle them, what is
// checked, the audit entry of each change, and what the solvencia check concludes.
#include "vt/sanctions/sanctions.hpp"

#include <gtest/gtest.h>

#include "testing/registry_peer.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::sanctions {
namespace {

using Kind = core::Actor::Kind;

core::Actor Official(std::string office, std::string role) {
    return core::Actor{Kind::kOfficial, "funcionaria", {}, std::move(office), {std::move(role)}};
}

NewSanction Falta(std::string reference = "IGT-101-2026") {
    return {"576937-K", std::move(reference), "No pagar el salario mínimo a 12 trabajadores", 1250000, "2026-03-14"};
}

class RecordSanctionTest : public ::testing::TestWithParam<store::testdb::Engine> {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(GetParam());
        if (!db_->skip.empty()) GTEST_SKIP() << db_->skip;
        ASSERT_OK(db_->status);
        local_ = std::make_unique<LocalSanctions>(*db_->store, clock_);
    }

    std::int64_t AuditEntries(const std::string& action) {
        std::int64_t n = 0;
        EXPECT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT COUNT(*) FROM audit_log WHERE entry LIKE $1",
                                                          {store::Value{"%\"" + action + "\"%"}}));
            n = r.Int(0);
            return Ok();
        }));
        return n;
    }

    core::FrozenClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + std::chrono::hours{16}};
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<LocalSanctions> local_;
};

TEST_P(RecordSanctionTest, RecordsAndSettlesWithAuditEntries) {
    auto recorded = local_->Record(Official("IGT", "jefe"), Falta());
    ASSERT_OK(recorded);
    EXPECT_TRUE(recorded->pending);
    EXPECT_EQ(recorded->source, "ministerio");
    auto again = local_->Record(Official("IGT", "analista"), Falta());
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), "sanction-exists");

    auto settled = local_->Settle(core::Actor::System(), "576937k", "IGT-101-2026", "Pagó la multa el 2026-11-20.");
    ASSERT_OK(settled);
    EXPECT_FALSE(settled->pending);
    auto twice = local_->Settle(core::Actor::System(), "576937-K", "IGT-101-2026", "Otra vez.");
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code(), "sanction-settled");

    EXPECT_EQ(AuditEntries("sanction.recorded"), 1);
    EXPECT_EQ(AuditEntries("sanction.settled"), 1);
    // What verify will recompute matches what the entries recorded.
    ASSERT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(auto rows, AuditCoverage().rows(tx));
        EXPECT_EQ(rows.size(), 1u);
        VT_ASSIGN_OR_RETURN(store::Row last, tx.QueryOne("SELECT entry FROM audit_log ORDER BY leaf_index DESC LIMIT 1"));
        EXPECT_NE(last.Text(0).find(rows[0].row_hash), std::string::npos);
        return Ok();
    }));
}

TEST_P(RecordSanctionTest, OnlyTheRegistryOfficeMayRecord) {
    for (const core::Actor& who : {Official("IGT", "recepcion"), Official("DGT", "jefe"),
                                   core::Actor{Kind::kCitizen, "c1", {}, {}, {}}, core::Actor::Anonymous()}) {
        auto r = local_->Record(who, Falta());
        ASSERT_FALSE(r.ok());
        EXPECT_TRUE(r.error().kind() == ErrorKind::kForbidden || r.error().kind() == ErrorKind::kUnauthenticated);
    }
    EXPECT_EQ(AuditEntries("sanction.recorded"), 0);
}

TEST_P(RecordSanctionTest, BadDataIsRefusedFieldByField) {
    NewSanction bad{"576937-1", "", "x", -1, "2026-12-01"};
    auto r = local_->Record(core::Actor::System(), bad);
    ASSERT_FALSE(r.ok());
    for (const char* f : {"nit", "expediente", "descripcion", "monto_centavos", "firme_desde"})
        EXPECT_TRUE(r.error().fields().contains(f)) << f;
}

TEST_P(RecordSanctionTest, TheCheckPassesOnlyWithoutPendingSanctionsInAnySource) {
    testing::RegistryPeer peer;
    HttpSanctionsRegistry remote({.base_url = peer.base_url()});
    CombinedSanctions both({local_.get(), &remote});
    NoFirmSanctionsCheck check(both);
    cases::Case c;
    c.answers = {{"nit", "576937-K"}};
    catalog::Transition::Automatic rule{"sin_sanciones_firmes", "nit"};

    auto clean = check.Evaluate(c, rule);
    ASSERT_OK(clean);
    EXPECT_TRUE(clean->passed);

    ASSERT_OK(local_->Record(core::Actor::System(), Falta()));
    auto local_pending = check.Evaluate(c, rule);
    ASSERT_OK(local_pending);
    EXPECT_FALSE(local_pending->passed);
    EXPECT_EQ(local_pending->facts.at("sanciones_firmes_pendientes").to_number<std::int64_t>(), 1);
    EXPECT_NE(local_pending->detail.find("1 sanción"), std::string::npos);

    ASSERT_OK(local_->Settle(core::Actor::System(), "576937-K", "IGT-101-2026", "Pagada."));
    Sanction remote_one{"576937-K", "IGT-55-2026", "Jornada", 300000, "2026-05-02", true, ""};
    peer.Set("576937-K", {remote_one});
    auto remote_pending = check.Evaluate(c, rule);
    ASSERT_OK(remote_pending);
    EXPECT_FALSE(remote_pending->passed);

    peer.SetFault(testing::RegistryPeer::Fault::kUnavailable);
    auto unknown = check.Evaluate(c, rule);
    ASSERT_FALSE(unknown.ok());  // the engine then routes the case to an official
    EXPECT_EQ(unknown.error().code(), "sanctions-registry-unavailable");
}

INSTANTIATE_TEST_SUITE_P(Engines, RecordSanctionTest,
                         ::testing::Values(store::testdb::Engine::kSqlite, store::testdb::Engine::kPostgres),
                         [](const auto& info) { return store::testdb::EngineName(info.param); });

}  // namespace
}  // namespace vt::sanctions
