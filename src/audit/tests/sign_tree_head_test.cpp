// Signing tree heads: reused while fresh, renewed when stale or when a proof needs a newer
// one, recorded in audit_sth, and the proofs made against them.
#include "tests/log_fixture.hpp"
#include "vt/audit/audit.hpp"

namespace vt::audit {
namespace {

using testing::AppendOne;
using testing::Count;
using testing::LogTest;
using testing::SomeEntry;

class SignTreeHeadTest : public LogTest {
protected:
    core::FrozenClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}};
    LogKey key_ = LogKey::Generate();
};

TEST_P(SignTreeHeadTest, ReusedWhileFreshRenewedWhenStale) {
    AuditLog log(store(), key_, clock_, AuditOptions{std::chrono::seconds(60)});
    auto empty = log.TreeHead();
    ASSERT_OK(empty);
    EXPECT_EQ(empty->tree_size, 0);
    EXPECT_EQ(empty->root, EmptyRoot());
    EXPECT_TRUE(VerifyTreeHead(*empty, key_.public_key()));
    EXPECT_EQ(empty->timestamp_ms, 1795564800000);  // 2026-11-25T00:00:00Z

    for (int i = 0; i < 3; ++i) ASSERT_OK(AppendOne(store(), SomeEntry(i)));
    clock_.Advance(std::chrono::seconds(59));
    auto cached = log.TreeHead();
    ASSERT_OK(cached);
    EXPECT_EQ(cached->id, empty->id);
    EXPECT_EQ(cached->tree_size, 0);

    clock_.Advance(std::chrono::seconds(1));
    auto renewed = log.TreeHead();
    ASSERT_OK(renewed);
    EXPECT_NE(renewed->id, empty->id);
    EXPECT_EQ(renewed->tree_size, 3);
    EXPECT_TRUE(VerifyTreeHead(*renewed, key_.public_key()));
    ASSERT_OK(store().Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Hash root, RootAt(tx, 3));
        EXPECT_EQ(renewed->root, root);
        VT_ASSIGN_OR_RETURN(auto latest, LatestTreeHead(tx));
        EXPECT_EQ(latest->id, renewed->id);
        EXPECT_EQ(latest->signature, renewed->signature);
        VT_ASSIGN_OR_RETURN(store::Row key_id,
                            tx.QueryOne("SELECT DISTINCT key_id FROM audit_sth"));
        EXPECT_EQ(key_id.Text(0), key_.KeyId());
        return Ok();
    }));
    EXPECT_EQ(Count(store(), "SELECT count(*) FROM audit_sth"), 2);
}

TEST_P(SignTreeHeadTest, ProofsWithoutSizeComeWithAHeadThatCoversThem) {
    AuditLog log(store(), key_, clock_);
    for (int i = 0; i < 5; ++i) ASSERT_OK(AppendOne(store(), SomeEntry(i)));
    auto first = log.ProveInclusion(2, std::nullopt);
    ASSERT_OK(first);
    ASSERT_TRUE(first->tree_head);
    EXPECT_EQ(first->tree_size, 5);
    EXPECT_TRUE(VerifyTreeHead(*first->tree_head, key_.public_key()));
    EXPECT_TRUE(VerifyInclusion(2, 5, first->leaf_hash, first->path, first->tree_head->root));

    // A newer entry than the fresh head: a new head is signed for it at once.
    ASSERT_OK(AppendOne(store(), SomeEntry(5)));
    auto newer = log.ProveInclusion(5, std::nullopt);
    ASSERT_OK(newer);
    EXPECT_EQ(newer->tree_head->tree_size, 6);
    EXPECT_TRUE(VerifyInclusion(5, 6, newer->leaf_hash, newer->path, newer->tree_head->root));
    // An older one reuses it.
    auto older = log.ProveInclusion(0, std::nullopt);
    ASSERT_OK(older);
    EXPECT_EQ(older->tree_head->id, newer->tree_head->id);

    // With a size, no head: the root of that size.
    auto sized = log.ProveInclusion(1, 3);
    ASSERT_OK(sized);
    EXPECT_FALSE(sized->tree_head);
    EXPECT_TRUE(VerifyInclusion(1, 3, sized->leaf_hash, sized->path, sized->root));

    auto consistent = log.ProveConsistency(first->tree_head->tree_size, std::nullopt);
    ASSERT_OK(consistent);
    EXPECT_EQ(consistent->to, 6);
    EXPECT_TRUE(VerifyConsistency(5, 6, first->tree_head->root, consistent->tree_head->root,
                                  consistent->proof));

    auto past_end = log.ProveInclusion(6, std::nullopt);
    ASSERT_FALSE(past_end.ok());
    EXPECT_TRUE(past_end.error().fields().count("indice"));
    auto bad_from = log.ProveConsistency(7, std::nullopt);
    ASSERT_FALSE(bad_from.ok());
    EXPECT_TRUE(bad_from.error().fields().count("desde"));
}

VT_LOG_TEST_ENGINES(SignTreeHeadTest);

}  // namespace
}  // namespace vt::audit
