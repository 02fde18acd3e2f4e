#include "vt/audit/merkle.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <bit>
#include <map>

#include "vt/testing.hpp"

namespace vt::audit {
namespace {

// The reference tree of Certificate Transparency: the eight leaves, the roots of sizes 1
// to 8, and the inclusion and consistency proofs below are the published test vectors of
// google/certificate-transparency (cpp/merkletree/merkle_tree_test.cc) as carried over to
// transparency-dev/merkle, proof/verify_test.go (inclusionProofs, consistencyProofs, roots,
// leaves). There, leaf numbers in the proof vectors count from 1; here indices count from 0.
const char* const kLeavesHex[] = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};
const char* const kRootsHex[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};
constexpr char kEmptyRootHex[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct InclusionVector {
    std::uint64_t index;
    std::uint64_t size;
    std::vector<const char*> path;
};
const InclusionVector kInclusion[] = {
    {0, 1, {}},
    {0,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

struct ConsistencyVector {
    std::uint64_t m;
    std::uint64_t n;
    std::vector<const char*> proof;
};
const ConsistencyVector kConsistency[] = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

std::string Unhex(std::string_view hex) {
    std::string out(hex.size() / 2, '\0');
    std::size_t n = 0;
    EXPECT_EQ(sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                             hex.size(), nullptr, &n, nullptr),
              0);
    out.resize(n);
    return out;
}

Hash H(std::string_view hex) { return HashFromBytes(Unhex(hex)); }

std::vector<Hash> Hashes(const std::vector<const char*>& hex) {
    std::vector<Hash> out;
    for (const char* h : hex) out.push_back(H(h));
    return out;
}

std::vector<Hash> ReferenceLeaves() {
    std::vector<Hash> out;
    for (const char* hex : kLeavesHex) out.push_back(HashLeaf(Unhex(hex)));
    return out;
}

// RFC 6962 §2.1 written as the definitions read, over a list of leaf hashes: the oracle the
// O(log n) generators are checked against.
Hash RefMth(std::span<const Hash> d) {
    if (d.empty()) return EmptyRoot();
    if (d.size() == 1) return d[0];
    std::size_t k = std::bit_floor(d.size() - 1);
    return HashChildren(RefMth(d.subspan(0, k)), RefMth(d.subspan(k)));
}

std::vector<Hash> RefPath(std::size_t m, std::span<const Hash> d) {
    if (d.size() <= 1) return {};
    std::size_t k = std::bit_floor(d.size() - 1);
    std::vector<Hash> out;
    if (m < k) {
        out = RefPath(m, d.subspan(0, k));
        out.push_back(RefMth(d.subspan(k)));
    } else {
        out = RefPath(m - k, d.subspan(k));
        out.push_back(RefMth(d.subspan(0, k)));
    }
    return out;
}

std::vector<Hash> RefSubproof(std::size_t m, std::span<const Hash> d, bool b) {
    if (m == d.size()) return b ? std::vector<Hash>{} : std::vector<Hash>{RefMth(d)};
    std::size_t k = std::bit_floor(d.size() - 1);
    std::vector<Hash> out;
    if (m <= k) {
        out = RefSubproof(m, d.subspan(0, k), b);
        out.push_back(RefMth(d.subspan(k)));
    } else {
        out = RefSubproof(m - k, d.subspan(k), false);
        out.push_back(RefMth(d.subspan(0, k)));
    }
    return out;
}

// Perfect subtree hashes kept in memory, the way the audit log keeps them in a table.
class MemoryTree {
public:
    explicit MemoryTree(std::vector<Hash> leaves) {
        for (const Hash& leaf : leaves) {
            nodes_[{0, builder_.size()}] = leaf;
            builder_.Append(leaf, [&](int level, std::uint64_t index, const Hash& h) {
                nodes_[{level, index}] = h;
            });
        }
    }
    PerfectSubtreeFn Fn() {
        return [this](int level, std::uint64_t index) -> Result<Hash> {
            ++lookups;
            auto it = nodes_.find({level, index});
            if (it == nodes_.end()) return Error::NotFound("nodo");
            return it->second;
        };
    }
    const TreeBuilder& builder() const { return builder_; }
    int lookups = 0;

private:
    TreeBuilder builder_;
    std::map<std::pair<int, std::uint64_t>, Hash> nodes_;
};

TEST(MerkleVectors, LeafAndEmptyHashes) {
    EXPECT_EQ(ToHex(EmptyRoot()), kEmptyRootHex);
    EXPECT_EQ(ToHex(HashLeaf("")), kRootsHex[0]);
    // RFC 6962 §2.1: the node hash is SHA-256(0x01 ‖ left ‖ right).
    Hash a = HashLeaf("a"), b = HashLeaf("b");
    EXPECT_EQ(HashChildren(a, b),
              Sha256(std::string(1, '\x01') + std::string(AsBytes(a)) + std::string(AsBytes(b))));
}

TEST(MerkleVectors, RootsOfSizesOneToEight) {
    std::vector<Hash> leaves = ReferenceLeaves();
    TreeBuilder builder;
    EXPECT_EQ(ToHex(builder.Root()), kEmptyRootHex);
    for (std::size_t n = 1; n <= leaves.size(); ++n) {
        builder.Append(leaves[n - 1]);
        EXPECT_EQ(ToHex(builder.Root()), kRootsHex[n - 1]) << "size " << n;
        MemoryTree tree({leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(n)});
        auto root = RootAt(tree.Fn(), n);
        ASSERT_OK(root);
        EXPECT_EQ(ToHex(*root), kRootsHex[n - 1]) << "size " << n;
        EXPECT_EQ(ToHex(RefMth({leaves.data(), n})), kRootsHex[n - 1]) << "size " << n;
    }
}

TEST(MerkleVectors, InclusionProofs) {
    std::vector<Hash> leaves = ReferenceLeaves();
    for (const InclusionVector& v : kInclusion) {
        SCOPED_TRACE("index " + std::to_string(v.index) + " size " + std::to_string(v.size));
        MemoryTree tree({leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(v.size)});
        auto path = InclusionPath(tree.Fn(), v.index, v.size);
        ASSERT_OK(path);
        EXPECT_EQ(*path, Hashes(v.path));
        Hash root = H(kRootsHex[v.size - 1]);
        EXPECT_TRUE(VerifyInclusion(v.index, v.size, leaves[v.index], *path, root));
    }
}

TEST(MerkleVectors, ConsistencyProofs) {
    std::vector<Hash> leaves = ReferenceLeaves();
    for (const ConsistencyVector& v : kConsistency) {
        SCOPED_TRACE("from " + std::to_string(v.m) + " to " + std::to_string(v.n));
        MemoryTree tree({leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(v.n)});
        auto proof = ConsistencyProof(tree.Fn(), v.m, v.n);
        ASSERT_OK(proof);
        EXPECT_EQ(*proof, Hashes(v.proof));
        EXPECT_TRUE(
            VerifyConsistency(v.m, v.n, H(kRootsHex[v.m - 1]), H(kRootsHex[v.n - 1]), *proof));
    }
}

// The corruptions of transparency-dev/merkle's verifierCheck: none may verify.
TEST(MerkleVectors, CorruptedInclusionProofsFail) {
    std::vector<Hash> leaves = ReferenceLeaves();
    Hash some = H("abacaba000000000000000000000000000000000000000000060061e00123456");
    for (const InclusionVector& v : kInclusion) {
        SCOPED_TRACE("index " + std::to_string(v.index) + " size " + std::to_string(v.size));
        std::vector<Hash> path = Hashes(v.path);
        Hash root = H(kRootsHex[v.size - 1]);
        Hash leaf = leaves[v.index];
        EXPECT_FALSE(VerifyInclusion(v.index - 1, v.size, leaf, path, root));
        EXPECT_FALSE(VerifyInclusion(v.index + 1, v.size, leaf, path, root));
        EXPECT_FALSE(VerifyInclusion(v.index ^ 2, v.size, leaf, path, root));
        EXPECT_FALSE(VerifyInclusion(v.index, v.size * 2, leaf, path, root));
        if (v.size / 2 > v.index) {
            EXPECT_FALSE(VerifyInclusion(v.index, v.size / 2, leaf, path, root));
        }
        EXPECT_FALSE(VerifyInclusion(v.index, v.size, HashLeaf("WrongLeaf"), path, root));
        EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf, path, EmptyRoot()));
        EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf, path, some));
        auto extended = path;
        extended.push_back(root);
        EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf, extended, root));
        auto prepended = path;
        prepended.insert(prepended.begin(), root);
        EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf, prepended, root));
        for (std::size_t i = 0; i < path.size(); ++i) {
            auto flipped = path;
            flipped[i][0] ^= 8;
            EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf, flipped, root))
                << "bit flipped in " << i;
        }
        if (!path.empty()) {
            EXPECT_FALSE(VerifyInclusion(v.index, v.size, leaf,
                                         std::span(path).first(path.size() - 1), root));
        }
    }
}

TEST(MerkleVectors, CorruptedConsistencyProofsFail) {
    for (const ConsistencyVector& v : kConsistency) {
        if (v.proof.empty()) continue;
        SCOPED_TRACE("from " + std::to_string(v.m) + " to " + std::to_string(v.n));
        std::vector<Hash> proof = Hashes(v.proof);
        Hash r1 = H(kRootsHex[v.m - 1]), r2 = H(kRootsHex[v.n - 1]);
        EXPECT_FALSE(VerifyConsistency(v.m - 1, v.n, r1, r2, proof));
        EXPECT_FALSE(VerifyConsistency(v.m + 1, v.n, r1, r2, proof));
        EXPECT_FALSE(VerifyConsistency(v.m ^ 2, v.n, r1, r2, proof));
        EXPECT_FALSE(VerifyConsistency(v.m, v.n * 2, r1, r2, proof));
        EXPECT_FALSE(VerifyConsistency(v.m, v.n / 2, r1, r2, proof));
        EXPECT_FALSE(VerifyConsistency(v.m, v.n, HashLeaf("WrongRoot"), r2, proof));
        EXPECT_FALSE(VerifyConsistency(v.m, v.n, r1, HashLeaf("WrongRoot"), proof));
        EXPECT_FALSE(VerifyConsistency(v.m, v.n, r2, r1, proof));
        EXPECT_FALSE(VerifyConsistency(v.m, v.n, r1, r2, {}));
        for (const Hash& extra : {r1, r2}) {
            auto longer = proof;
            longer.push_back(extra);
            EXPECT_FALSE(VerifyConsistency(v.m, v.n, r1, r2, longer));
            longer = proof;
            longer.insert(longer.begin(), extra);
            EXPECT_FALSE(VerifyConsistency(v.m, v.n, r1, r2, longer));
        }
        EXPECT_FALSE(VerifyConsistency(v.m, v.n, r1, r2, std::span(proof).first(proof.size() - 1)));
        for (std::size_t i = 0; i < proof.size(); ++i) {
            auto flipped = proof;
            flipped[i][0] ^= 16;
            EXPECT_FALSE(VerifyConsistency(v.m, v.n, r1, r2, flipped)) << "bit flipped in " << i;
        }
    }
}

TEST(MerkleVectors, TrivialConsistency) {
    Hash r1 = HashLeaf("1"), r2 = HashLeaf("2");
    EXPECT_TRUE(VerifyConsistency(0, 0, r1, r1, {}));
    EXPECT_TRUE(VerifyConsistency(0, 1, r1, r2, {}));
    EXPECT_TRUE(VerifyConsistency(1, 1, r2, r2, {}));
    EXPECT_FALSE(VerifyConsistency(1, 1, r1, r2, {}));
    EXPECT_FALSE(VerifyConsistency(1, 0, r1, r2, {}));
    EXPECT_FALSE(VerifyConsistency(2, 1, r1, r2, {}));
    EXPECT_FALSE(VerifyConsistency(1, 2, r1, r2, {}));
    std::vector<Hash> one{EmptyRoot()};
    EXPECT_FALSE(VerifyConsistency(0, 1, EmptyRoot(), EmptyRoot(), one));
    EXPECT_FALSE(VerifyConsistency(1, 1, EmptyRoot(), EmptyRoot(), one));
}

// Every size up to 70 (every shape of ragged right edge), every leaf and every old size:
// the generators agree with the definitions, verify, and stay within O(log n) lookups.
TEST(MerkleProofs, AgreeWithTheDefinitionsForEveryShape) {
    std::vector<Hash> all;
    for (int i = 0; i < 70; ++i) all.push_back(HashLeaf("hoja " + std::to_string(i)));
    for (std::uint64_t n = 1; n <= all.size(); ++n) {
        std::span<const Hash> d(all.data(), n);
        MemoryTree tree({d.begin(), d.end()});
        Hash root = RefMth(d);
        ASSERT_EQ(tree.builder().Root(), root) << n;
        int log_n = std::bit_width(n);
        for (std::uint64_t m = 0; m < n; ++m) {
            tree.lookups = 0;
            auto path = InclusionPath(tree.Fn(), m, n);
            ASSERT_OK(path);
            EXPECT_LE(tree.lookups, 2 * log_n) << m << "/" << n;
            EXPECT_EQ(*path, RefPath(m, d)) << m << "/" << n;
            EXPECT_TRUE(VerifyInclusion(m, n, d[m], *path, root)) << m << "/" << n;
        }
        for (std::uint64_t m = 1; m <= n; ++m) {
            tree.lookups = 0;
            auto proof = ConsistencyProof(tree.Fn(), m, n);
            ASSERT_OK(proof);
            EXPECT_LE(tree.lookups, 2 * log_n) << m << "/" << n;
            std::vector<Hash> expected = m == n ? std::vector<Hash>{} : RefSubproof(m, d, true);
            EXPECT_EQ(*proof, expected) << m << "/" << n;
            EXPECT_TRUE(VerifyConsistency(m, n, RefMth(d.first(m)), root, *proof)) << m << "/" << n;
        }
    }
}

TEST(TreeBuilder, ContinuesFromItsRightEdge) {
    std::vector<Hash> all;
    for (int i = 0; i < 45; ++i) all.push_back(HashLeaf(std::to_string(i)));
    MemoryTree full(all);
    for (std::uint64_t cut = 0; cut <= all.size(); ++cut) {
        std::vector<Hash> edge;
        for (auto [level, index] : TreeBuilder::EdgeOf(cut))
            edge.push_back(*full.Fn()(level, index));
        TreeBuilder resumed(cut, edge);
        for (std::uint64_t i = cut; i < all.size(); ++i) resumed.Append(all[i]);
        EXPECT_EQ(resumed.Root(), full.builder().Root()) << cut;
    }
}

TEST(Base64, RoundTripsAndRejectsGarbage) {
    Hash h = HashLeaf("x");
    auto back = FromBase64(ToBase64(h));
    ASSERT_OK(back);
    EXPECT_EQ(*back, std::string(AsBytes(h)));
    EXPECT_EQ(ToBase64(std::string_view("hola")), "aG9sYQ==");
    EXPECT_FALSE(FromBase64("no es base64!").ok());
}

}  // namespace
}  // namespace vt::audit
