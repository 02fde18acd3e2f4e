#include "vt/audit/merkle.hpp"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <cstring>

namespace vt::audit {
namespace {

const unsigned char* Bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Hash Sha256(std::string_view data) {
    Hash out;
    crypto_hash_sha256(out.data(), Bytes(data), data.size());
    return out;
}

Hash HashLeaf(std::string_view entry) {
    const unsigned char prefix = 0x00;
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, &prefix, 1);
    crypto_hash_sha256_update(&state, Bytes(entry), entry.size());
    Hash out;
    crypto_hash_sha256_final(&state, out.data());
    return out;
}

Hash HashChildren(const Hash& left, const Hash& right) {
    unsigned char input[1 + 2 * kHashSize];
    input[0] = 0x01;
    std::memcpy(input + 1, left.data(), kHashSize);
    std::memcpy(input + 1 + kHashSize, right.data(), kHashSize);
    Hash out;
    crypto_hash_sha256(out.data(), input, sizeof input);
    return out;
}

Hash EmptyRoot() { return Sha256(""); }

std::string ToHex(const Hash& hash) {
    std::string hex(kHashSize * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    hex.pop_back();
    return hex;
}

std::string ToBase64(std::string_view bytes) {
    const int variant = sodium_base64_VARIANT_ORIGINAL;
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), variant);
    out.pop_back();  // the terminating NUL
    return out;
}

std::string ToBase64(const Hash& hash) { return ToBase64(AsBytes(hash)); }

Result<std::string> FromBase64(std::string_view text) {
    std::string out(text.size() * 3 / 4 + 3, '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size()) {
        return Error::Invalid("No es base64 válido.");
    }
    out.resize(length);
    return out;
}

Hash HashFromBytes(std::string_view bytes) {
    Hash h{};
    std::memcpy(h.data(), bytes.data(), std::min(bytes.size(), kHashSize));
    return h;
}

std::string_view AsBytes(const Hash& hash) {
    return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

std::uint64_t SplitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

Result<Hash> SubtreeRoot(const PerfectSubtreeFn& perfect, std::uint64_t begin, std::uint64_t end) {
    // Split [begin, end) left to right into perfect subtrees, one per bit of its size,
    // largest first; then fold them right to left as the recursion would.
    std::vector<Hash> parts;
    std::uint64_t at = begin;
    for (int level = 63; level >= 0; --level) {
        std::uint64_t width = std::uint64_t{1} << level;
        if (((end - begin) & width) == 0) continue;
        VT_ASSIGN_OR_RETURN(Hash h, perfect(level, at >> level));
        parts.push_back(h);
        at += width;
    }
    Hash acc = parts.back();
    for (std::size_t i = parts.size() - 1; i-- > 0;) acc = HashChildren(parts[i], acc);
    return acc;
}

Result<Hash> RootAt(const PerfectSubtreeFn& perfect, std::uint64_t size) {
    if (size == 0) return EmptyRoot();
    return SubtreeRoot(perfect, 0, size);
}

Result<std::vector<Hash>> InclusionPath(const PerfectSubtreeFn& perfect, std::uint64_t index,
                                        std::uint64_t size) {
    // RFC 6962 §2.1.1 unrolled: walk from the root down to the leaf, collecting each
    // sibling; the path lists them leaf level first.
    std::vector<Hash> path;
    std::uint64_t begin = 0, end = size;
    while (end - begin > 1) {
        std::uint64_t k = SplitPoint(end - begin);
        if (index < begin + k) {
            VT_ASSIGN_OR_RETURN(Hash right, SubtreeRoot(perfect, begin + k, end));
            path.push_back(right);
            end = begin + k;
        } else {
            VT_ASSIGN_OR_RETURN(Hash left, SubtreeRoot(perfect, begin, begin + k));
            path.push_back(left);
            begin += k;
        }
    }
    std::reverse(path.begin(), path.end());
    return path;
}

Result<std::vector<Hash>> ConsistencyProof(const PerfectSubtreeFn& perfect, std::uint64_t m,
                                           std::uint64_t n) {
    std::vector<Hash> proof;
    if (m == 0 || m == n) return proof;
    // SUBPROOF(m, D[begin:end], whole) of RFC 6962 §2.1.2 unrolled, with m absolute.
    std::uint64_t begin = 0, end = n;
    bool whole = true;  // the subtree is still a prefix the old tree head already commits to
    while (true) {
        if (m == end) {
            if (!whole) {
                VT_ASSIGN_OR_RETURN(Hash h, SubtreeRoot(perfect, begin, end));
                proof.push_back(h);
            }
            break;
        }
        std::uint64_t k = SplitPoint(end - begin);
        if (m <= begin + k) {
            VT_ASSIGN_OR_RETURN(Hash right, SubtreeRoot(perfect, begin + k, end));
            proof.push_back(right);
            end = begin + k;
        } else {
            VT_ASSIGN_OR_RETURN(Hash left, SubtreeRoot(perfect, begin, begin + k));
            proof.push_back(left);
            begin += k;
            whole = false;
        }
    }
    std::reverse(proof.begin(), proof.end());
    return proof;
}

std::optional<Hash> RootFromInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                                      std::span<const Hash> path) {
    if (index >= size) return std::nullopt;
    std::uint64_t fn = index, sn = size - 1;
    Hash r = leaf;
    for (const Hash& p : path) {
        if (sn == 0) return std::nullopt;
        if ((fn & 1) || fn == sn) {
            r = HashChildren(p, r);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            r = HashChildren(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0) return std::nullopt;
    return r;
}

bool VerifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                     std::span<const Hash> path, const Hash& root) {
    auto computed = RootFromInclusion(index, size, leaf, path);
    return computed && *computed == root;
}

bool VerifyConsistency(std::uint64_t m, std::uint64_t n, const Hash& root_m, const Hash& root_n,
                       std::span<const Hash> proof) {
    if (m > n) return false;
    if (m == n) return proof.empty() && root_m == root_n;
    if (m == 0) return proof.empty();
    if (proof.empty()) return false;
    std::vector<Hash> path;
    if (std::has_single_bit(m)) path.push_back(root_m);
    path.insert(path.end(), proof.begin(), proof.end());
    std::uint64_t fn = m - 1, sn = n - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = path[0], sr = path[0];
    for (std::size_t i = 1; i < path.size(); ++i) {
        const Hash& c = path[i];
        if (sn == 0) return false;
        if ((fn & 1) || fn == sn) {
            fr = HashChildren(c, fr);
            sr = HashChildren(c, sr);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            sr = HashChildren(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && fr == root_m && sr == root_n;
}

TreeBuilder::TreeBuilder(std::uint64_t size, std::vector<Hash> edge)
    : size_(size), edge_(std::move(edge)) {}

std::vector<std::pair<int, std::uint64_t>> TreeBuilder::EdgeOf(std::uint64_t size) {
    std::vector<std::pair<int, std::uint64_t>> out;
    std::uint64_t at = 0;
    for (int level = 63; level >= 0; --level) {
        std::uint64_t width = std::uint64_t{1} << level;
        if ((size & width) == 0) continue;
        out.emplace_back(level, at >> level);
        at += width;
    }
    return out;
}

Hash TreeBuilder::Root() const {
    if (edge_.empty()) return EmptyRoot();
    Hash acc = edge_.back();
    for (std::size_t i = edge_.size() - 1; i-- > 0;) acc = HashChildren(edge_[i], acc);
    return acc;
}

}  // namespace vt::audit
