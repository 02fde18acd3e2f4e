#include "vt/audit/audit.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::audit {
namespace {

using store::testdb::Engine;

class AppendEntryTest : public ::testing::TestWithParam<Engine> {};

TEST_P(AppendEntryTest, IndicesAreGaplessAndLeafHashIsRfc6962) {
    store::testdb::MigratedStore db(GetParam());
    if (!db.skip.empty()) GTEST_SKIP() << db.skip;
    ASSERT_OK(db.status);
    Entry e{"ana", "case.filed", "case", "MTPS-2026-000001", "2026-11-25T16:00:00.000Z", Sha256Hex("fila")};
    for (int i = 0; i < 3; ++i) {
        ASSERT_OK(db.store->Write([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(std::int64_t index, Append(tx, e));
            EXPECT_EQ(index, i);
            return Ok();
        }));
    }
    // A rolled-back append leaves no gap.
    EXPECT_FALSE(db.store->Write([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(std::int64_t index, Append(tx, e));
        EXPECT_EQ(index, 3);
        return Error::Invalid("se deshace");
    }).ok());
    ASSERT_OK(db.store->Write([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(std::int64_t index, Append(tx, e));
        EXPECT_EQ(index, 3);
        return Ok();
    }));
    ASSERT_OK(db.store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT entry, leaf_hash FROM audit_log WHERE leaf_index = 0"));
        EXPECT_EQ(r.Text(0), CanonicalJson(e));
        std::string input = std::string(1, '\0') + r.Text(0);
        unsigned char digest[32];
        crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(input.data()), input.size());
        EXPECT_EQ(r.Bytes(1), std::string(reinterpret_cast<char*>(digest), 32));
        return Ok();
    }));
}

TEST(CanonicalJson, SortsKeysWithoutWhitespace) {
    Entry e{"ana", "case.filed", "case", "X", "t", "h"};
    EXPECT_EQ(CanonicalJson(e),
              R"({"action":"case.filed","actor":"ana","at":"t","object_id":"X","object_type":"case","row_hash":"h"})");
}

INSTANTIATE_TEST_SUITE_P(Engines, AppendEntryTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return store::testdb::EngineName(info.param); });

}  // namespace
}  // namespace vt::audit
