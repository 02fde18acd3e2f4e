// Proving entries from the database: the subtree hashes Append stores, roots and proofs of
// every size read from them, catching up a log written before the tree table existed, and
// concurrent appends.
#include <bit>
#include <thread>

#include "tests/log_fixture.hpp"
#include "vt/audit/audit.hpp"
#include "vt/audit/verify.hpp"

namespace vt::audit {
namespace {

using testing::AppendOne;
using testing::Count;
using testing::LeafHashes;
using testing::LogTest;
using testing::SomeEntry;

class ProveEntriesTest : public LogTest {};

TEST_P(ProveEntriesTest, AppendStoresEveryCompletedSubtree) {
    constexpr int kEntries = 37;
    // Several entries per transaction too: the subtrees of earlier leaves of the same
    // transaction must be visible to later ones.
    for (int i = 0; i < kEntries;) {
        int in_tx = i % 3 + 1;
        ASSERT_OK(store().Write([&](store::Tx& tx) -> Status {
            for (int k = 0; k < in_tx && i + k < kEntries; ++k)
                VT_RETURN_IF_ERROR(Append(tx, SomeEntry(i + k)));
            return Ok();
        }));
        i += in_tx;
    }
    auto leaves = LeafHashes(store());
    ASSERT_OK(leaves);
    ASSERT_EQ(leaves->size(), std::size_t{kEntries});
    TreeBuilder expected;
    std::vector<std::tuple<int, std::uint64_t, Hash>> nodes;
    for (const Hash& h : *leaves) {
        expected.Append(h, [&](int level, std::uint64_t index, const Hash& node) {
            nodes.emplace_back(level, index, node);
        });
    }
    EXPECT_EQ(Count(store(), "SELECT count(*) FROM audit_tree"),
              kEntries - std::popcount(unsigned{kEntries}));
    ASSERT_OK(store().Read([&](store::Tx& tx) -> Status {
        for (const auto& [level, index, hash] : nodes) {
            VT_ASSIGN_OR_RETURN(Hash stored, StoredSubtree(tx, level, index));
            EXPECT_EQ(stored, hash) << level << "/" << index;
        }
        VT_ASSIGN_OR_RETURN(std::int64_t provable, ProvableSize(tx));
        EXPECT_EQ(provable, kEntries);
        VT_ASSIGN_OR_RETURN(Hash root, RootAt(tx, kEntries));
        EXPECT_EQ(root, expected.Root());
        return Ok();
    }));
}

TEST_P(ProveEntriesTest, EveryProofFromTheDatabaseVerifies) {
    constexpr int kEntries = 21;
    for (int i = 0; i < kEntries; ++i) ASSERT_OK(AppendOne(store(), SomeEntry(i)));
    auto leaves = LeafHashes(store());
    ASSERT_OK(leaves);
    ASSERT_OK(store().Read([&](store::Tx& tx) -> Status {
        std::vector<Hash> roots{EmptyRoot()};
        TreeBuilder b;
        for (const Hash& h : *leaves) {
            b.Append(h);
            roots.push_back(b.Root());
        }
        for (std::int64_t n = 1; n <= kEntries; ++n) {
            VT_ASSIGN_OR_RETURN(Hash root, RootAt(tx, n));
            EXPECT_EQ(root, roots[n]);
            for (std::int64_t i = 0; i < n; ++i) {
                VT_ASSIGN_OR_RETURN(InclusionProof p, ProveInclusion(tx, i, n));
                EXPECT_EQ(HashLeaf(p.entry), p.leaf_hash);
                EXPECT_EQ(p.root, roots[n]);
                EXPECT_TRUE(VerifyInclusion(i, n, p.leaf_hash, p.path, roots[n])) << i << "/" << n;
            }
            for (std::int64_t m = 1; m <= n; ++m) {
                VT_ASSIGN_OR_RETURN(ConsistencyProofs c, ProveConsistency(tx, m, n));
                EXPECT_EQ(c.root_from, roots[m]);
                EXPECT_TRUE(VerifyConsistency(m, n, roots[m], roots[n], c.proof)) << m << "/" << n;
            }
        }
        return Ok();
    }));
}

TEST_P(ProveEntriesTest, BadRangesNameTheirField) {
    auto field_of = [&](auto call) {
        std::string out;
        EXPECT_OK(store().Read([&](store::Tx& tx) -> Status {
            auto r = call(tx);
            EXPECT_FALSE(r.ok());
            if (!r.ok()) {
                EXPECT_EQ(r.error().kind(), ErrorKind::kInvalid);
                for (const auto& [field, message] : r.error().fields()) out += field + ";";
            }
            return Ok();
        }));
        return out;
    };
    // An empty log.
    EXPECT_EQ(field_of([](store::Tx& tx) { return ProveInclusion(tx, 0, 1); }), "indice;");
    for (int i = 0; i < 4; ++i) ASSERT_OK(AppendOne(store(), SomeEntry(i)));
    EXPECT_EQ(field_of([](store::Tx& tx) { return ProveInclusion(tx, -1, 4); }), "indice;");
    EXPECT_EQ(field_of([](store::Tx& tx) { return ProveInclusion(tx, 4, 4); }), "indice;");
    EXPECT_EQ(field_of([](store::Tx& tx) { return ProveInclusion(tx, 0, 5); }), "tamano;");
    EXPECT_EQ(field_of([](store::Tx& tx) { return ProveInclusion(tx, 0, 0); }), "tamano;");
    EXPECT_EQ(field_of([](store::Tx& tx) { return ProveConsistency(tx, 0, 4); }), "desde;");
    EXPECT_EQ(field_of([](store::Tx& tx) { return ProveConsistency(tx, 3, 2); }), "desde;");
    EXPECT_EQ(field_of([](store::Tx& tx) { return ProveConsistency(tx, 1, 5); }), "hasta;");
    EXPECT_EQ(field_of([](store::Tx& tx) { return ProveConsistency(tx, 0, 9); }), "desde;hasta;");
    EXPECT_EQ(field_of([](store::Tx& tx) { return RootAt(tx, 5); }), "tamano;");
}

// A database upgraded from a version without audit_tree: its entries have no subtree
// hashes until CompleteTree runs; appends in between wait for it too.
TEST_P(ProveEntriesTest, CompleteTreeCatchesUpEntriesFromBeforeTheTree) {
    for (int i = 0; i < 20; ++i) ASSERT_OK(AppendOne(store(), SomeEntry(i)));
    ASSERT_OK(store().Write([](store::Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("DELETE FROM audit_tree"));
        VT_RETURN_IF_ERROR(tx.Exec("UPDATE audit_head SET tree_size = 0"));
        return Ok();
    }));
    for (int i = 20; i < 23; ++i) ASSERT_OK(AppendOne(store(), SomeEntry(i)));
    EXPECT_EQ(Count(store(), "SELECT tree_size FROM audit_head"), 0);
    EXPECT_EQ(Count(store(), "SELECT count(*) FROM audit_tree"), 0);

    ASSERT_OK(CompleteTree(store(), /*batch=*/7));
    ASSERT_OK(CompleteTree(store()));  // nothing left: a no-op
    for (int i = 23; i < 30; ++i) ASSERT_OK(AppendOne(store(), SomeEntry(i)));

    EXPECT_EQ(Count(store(), "SELECT tree_size FROM audit_head"), 30);
    EXPECT_EQ(Count(store(), "SELECT count(*) FROM audit_tree"), 30 - std::popcount(30u));
    auto report = Verify(store(), {});
    ASSERT_OK(report);
    EXPECT_TRUE(report->ok()) << report->findings.front().table << " "
                              << report->findings.front().key << " "
                              << report->findings.front().detail;
}

TEST_P(ProveEntriesTest, ConcurrentAppendsBuildOneConsistentTree) {
    constexpr int kThreads = 6, kPerThread = 15;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                if (!AppendOne(store(), SomeEntry(t * 100 + i)).ok()) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    auto report = Verify(store(), {});
    ASSERT_OK(report);
    EXPECT_EQ(report->entries, kThreads * kPerThread);
    EXPECT_TRUE(report->ok()) << report->findings.front().table << " "
                              << report->findings.front().key;
}

VT_LOG_TEST_ENGINES(ProveEntriesTest);

}  // namespace
}  // namespace vt::audit
