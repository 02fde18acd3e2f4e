#pragma once
/// Merkle tree hashing, proof generation and proof verification as RFC 6962 §2.1 defines
/// them and RFC 9162 §2.1 restates them, independent of where the hashes are stored:
///
///   leaf hash   SHA-256(0x00 ‖ entry)
///   node hash   SHA-256(0x01 ‖ left ‖ right)
///   MTH({})     SHA-256("")
///   MTH(D[n])   MTH(D[0:k]) and MTH(D[k:n]) combined, k the largest power of two < n
///
/// The generators read hashes of *perfect* subtrees only (2^level leaves starting at a
/// multiple of 2^level): any subtree the RFC 6962 recursion visits is one of those or a
/// right edge that splits into at most log2(n) of them, so a proof costs O(log n) lookups.
/// The audit log keeps every perfect subtree hash in a table as leaves are appended
/// (audit.hpp); tests and tools can keep them in memory.
///
/// Everything here is a pure function and thread-safe.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vt/core/result.hpp"

namespace vt::audit {

inline constexpr std::size_t kHashSize = 32;
using Hash = std::array<std::uint8_t, kHashSize>;

/// SHA-256 of `data`.
Hash Sha256(std::string_view data);
/// The leaf hash of an entry: SHA-256(0x00 ‖ entry).
Hash HashLeaf(std::string_view entry);
/// An interior node: SHA-256(0x01 ‖ left ‖ right).
Hash HashChildren(const Hash& left, const Hash& right);
/// The root of the empty tree, SHA-256 of the empty string.
Hash EmptyRoot();

/// Lowercase hex, and standard base64 with padding (RFC 4648 §4).
std::string ToHex(const Hash& hash);
std::string ToBase64(std::string_view bytes);
std::string ToBase64(const Hash& hash);
/// Decodes standard base64 (padding required). Errors: kInvalid.
Result<std::string> FromBase64(std::string_view text);
/// The first 32 bytes of `bytes` as a Hash. REQUIRES: bytes.size() == kHashSize.
Hash HashFromBytes(std::string_view bytes);
std::string_view AsBytes(const Hash& hash);

/// The largest power of two strictly smaller than `n`. REQUIRES: n >= 2.
std::uint64_t SplitPoint(std::uint64_t n);

/// Looks up the hash of the perfect subtree of 2^level leaves whose first leaf is
/// `index << level` (level 0: a leaf hash). Fails when the hash is not available.
using PerfectSubtreeFn = std::function<Result<Hash>(int level, std::uint64_t index)>;

/// MTH(D[begin:end]): popcount(end - begin) lookups.
/// REQUIRES: begin < end, and begin is a multiple of the smallest power of two that is
/// >= end - begin (true of [0, n) and of every subtree the RFC 6962 recursion visits).
Result<Hash> SubtreeRoot(const PerfectSubtreeFn& perfect, std::uint64_t begin, std::uint64_t end);

/// The root of the first `size` leaves; EmptyRoot() for size 0.
Result<Hash> RootAt(const PerfectSubtreeFn& perfect, std::uint64_t size);

/// PATH(index, D[size]) of RFC 6962 §2.1.1: the audit path, leaf level first.
/// REQUIRES: index < size. At most 2·log2(size) lookups.
Result<std::vector<Hash>> InclusionPath(const PerfectSubtreeFn& perfect, std::uint64_t index,
                                        std::uint64_t size);

/// PROOF(m, D[n]) of RFC 6962 §2.1.2. Empty when m == n or m == 0.
/// REQUIRES: m <= n. At most 2·log2(n) lookups.
Result<std::vector<Hash>> ConsistencyProof(const PerfectSubtreeFn& perfect, std::uint64_t m,
                                           std::uint64_t n);

/// RFC 9162 §2.1.3.2: whether `path` proves that `leaf` is leaf `index` of the tree of
/// `size` leaves whose root is `root`.
bool VerifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                     std::span<const Hash> path, const Hash& root);

/// The root an inclusion proof leads to, or nullopt when its shape is wrong for
/// (index, size) (RFC 9162 §2.1.3.2 without the final comparison).
std::optional<Hash> RootFromInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                                      std::span<const Hash> path);

/// RFC 9162 §2.1.4.2: whether `proof` shows that the tree of `m` leaves with root `root_m`
/// is a prefix of the tree of `n` leaves with root `root_n`. For m == n the proof must be
/// empty and the roots equal; for m == 0 the proof must be empty (every tree extends the
/// empty one).
bool VerifyConsistency(std::uint64_t m, std::uint64_t n, const Hash& root_m, const Hash& root_n,
                       std::span<const Hash> proof);

/// Builds a tree leaf by leaf in O(log n) memory (the hashes of the perfect subtrees on its
/// right edge, a "compact range" starting at leaf 0). Used to recompute a whole log from
/// its leaves and to fill the stored subtree hashes. Not thread-safe.
class TreeBuilder {
public:
    TreeBuilder() = default;
    /// Continues a tree of `size` leaves whose right edge is `edge`: the roots of the
    /// perfect subtrees that [0, size) splits into, largest (leftmost) first.
    /// REQUIRES: edge.size() == popcount(size).
    TreeBuilder(std::uint64_t size, std::vector<Hash> edge);

    /// The right edge of [0, size): the (level, index) of each perfect subtree, leftmost
    /// first, to be looked up and passed to the constructor above.
    static std::vector<std::pair<int, std::uint64_t>> EdgeOf(std::uint64_t size);

    /// Appends the next leaf. Calls `on_node(level, index, hash)` for every perfect
    /// subtree of level >= 1 that this leaf completes, lowest level first.
    template <typename OnNode>
    void Append(const Hash& leaf, OnNode&& on_node) {
        Hash h = leaf;
        int level = 0;
        while ((size_ >> level) & 1u) {
            h = HashChildren(edge_.back(), h);
            edge_.pop_back();
            ++level;
            on_node(level, size_ >> level, h);
        }
        edge_.push_back(h);
        ++size_;
    }
    void Append(const Hash& leaf) {
        Append(leaf, [](int, std::uint64_t, const Hash&) {});
    }

    std::uint64_t size() const { return size_; }
    /// MTH of the leaves appended so far.
    Hash Root() const;

private:
    std::uint64_t size_ = 0;
    std::vector<Hash> edge_;
};

}  // namespace vt::audit
