#pragma once
/// The audit log: an append-only record of every change of state a person causes, kept as
/// an RFC 6962 / RFC 9162 Merkle tree. The leaf hash is SHA-256(0x00 ‖ entry), where the
/// entry is canonical JSON (keys sorted, no whitespace) of who did what, when, to which
/// object, and the hash of the new row.
///
/// Append runs inside the caller's write transaction, so a change and its audit entry
/// commit together or not at all. It also stores the hash of every perfect subtree the new
/// leaf completes (amortised one read and one insert per append), so roots and proofs for
/// any tree size cost O(log n) reads (see merkle.hpp).
///
/// Tables: audit_log (leaves), audit_tree (perfect subtree hashes of level >= 1),
/// audit_head (size; tree_size = leaves whose subtree hashes are stored), audit_sth
/// (every signed tree head issued).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vt/core/hash.hpp"
#include "vt/audit/log_key.hpp"
#include "vt/audit/merkle.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace vt::audit {

struct Entry {
    std::string actor;        ///< Account id ("anonimo" for anonymous filings, "sistema").
    std::string action;       ///< What happened, e.g. "case.filed", "case.transition".
    std::string object_type;  ///< e.g. "case", "tramite_definition".
    std::string object_id;    ///< e.g. the case number.
    std::string at;           ///< RFC 3339 UTC time of the change.
    std::string row_hash;     ///< Hex SHA-256 of the canonical JSON of the new row;
                              ///< kRowDeleted when the change deleted the row.
};

/// The row_hash of an entry that records the deletion of its object's row: the verifier
/// then expects no row.
inline constexpr std::string_view kRowDeleted = "eliminada";

/// The canonical JSON of `entry`: the exact bytes that are hashed.
std::string CanonicalJson(const Entry& entry);

/// Hex SHA-256 of `data` (the row hashes of entries).
using core::Sha256Hex;

/// Appends `entry` inside `tx` and returns its leaf index (0, 1, 2, ...; gapless), storing
/// the subtree hashes the leaf completes. Appends are serialised by a row lock on the log
/// head, held until `tx` commits.
[[nodiscard]] Result<std::int64_t> Append(store::Tx& tx, const Entry& entry);

/// Number of leaves whose subtree hashes are stored: the largest tree size that roots and
/// proofs can be computed for, as seen by `tx`. Equal to the number of entries, except
/// after an upgrade from a version without audit_tree until CompleteTree() has run.
[[nodiscard]] Result<std::int64_t> ProvableSize(store::Tx& tx);

/// Stores the subtree hashes of the leaves appended before audit_tree existed, in
/// transactions of `batch` leaves. Idempotent; cheap when there is nothing to do. The
/// composition root calls it at start; appends made meanwhile are caught up as well.
[[nodiscard]] Status CompleteTree(store::Store& store, std::int64_t batch = 8192);

/// The hash of a perfect subtree as stored (level 0: a leaf hash), read through `tx`.
/// Errors: NotFound when missing.
[[nodiscard]] Result<Hash> StoredSubtree(store::Tx& tx, int level, std::uint64_t index);

/// The root of the first `size` leaves. Errors: kInvalid (field "tamano") when size is
/// negative or above ProvableSize().
[[nodiscard]] Result<Hash> RootAt(store::Tx& tx, std::int64_t size);

struct InclusionProof {
    std::int64_t index = 0;
    std::int64_t tree_size = 0;
    std::string entry;       ///< The canonical JSON of the leaf.
    Hash leaf_hash{};        ///< HashLeaf(entry).
    std::vector<Hash> path;  ///< Audit path, leaf level first (RFC 6962 PATH).
    Hash root{};             ///< Root of the first tree_size leaves.
    /// The signed tree head the proof was made for, when the caller did not pick a size.
    std::optional<SignedTreeHead> tree_head;
};

/// Proof that leaf `index` is in the tree of `size` leaves.
/// Errors: kInvalid with field "indice" (index < 0 or >= size) or "tamano" (size above
/// ProvableSize()).
[[nodiscard]] Result<InclusionProof> ProveInclusion(store::Tx& tx, std::int64_t index,
                                                    std::int64_t size);

struct ConsistencyProofs {
    std::int64_t from = 0;
    std::int64_t to = 0;
    std::vector<Hash> proof;  ///< RFC 6962 PROOF(from, D[to]).
    Hash root_from{};
    Hash root_to{};
    /// The signed tree head of `to`, when the caller did not pick it.
    std::optional<SignedTreeHead> tree_head;
};

/// Proof that the tree of `from` leaves is a prefix of the tree of `to` leaves.
/// Errors: kInvalid with field "desde" (from < 1 or from > to) or "hasta" (to above
/// ProvableSize()).
[[nodiscard]] Result<ConsistencyProofs> ProveConsistency(store::Tx& tx, std::int64_t from,
                                                         std::int64_t to);

/// The most recent signed tree head recorded, if any.
[[nodiscard]] Result<std::optional<SignedTreeHead>> LatestTreeHead(store::Tx& tx);

/// Signs the current tree (ProvableSize() leaves) at `now` and records it in audit_sth.
[[nodiscard]] Result<SignedTreeHead> IssueTreeHead(store::Store& store, const LogKey& key,
                                                   std::chrono::system_clock::time_point now);

struct AuditOptions {
    /// A signed tree head younger than this is served as is; an older one is replaced by a
    /// new one for the current size on the next request. So a published head is at most
    /// this stale, and at most one head per interval and node is recorded. Default 60 s.
    std::chrono::milliseconds sth_max_age{60'000};
};

/// What the public endpoints need: tree heads and proofs. Thread-safe; `store`, `key` and
/// `clock` must outlive it. Every method blocks on the database.
class AuditLog {
public:
    AuditLog(store::Store& store, const LogKey& key, const core::Clock& clock,
             AuditOptions options = {});

    /// The latest signed tree head if younger than options.sth_max_age; otherwise a new
    /// one, recorded before it is returned.
    [[nodiscard]] Result<SignedTreeHead> TreeHead();

    /// Inclusion proof of leaf `index`. With `size`, in the tree of that many leaves; without
    /// it, in the tree of a signed tree head that covers the leaf (the current one, or a new
    /// one when the leaf is newer), returned with the proof. Errors: as ProveInclusion.
    [[nodiscard]] Result<InclusionProof> ProveInclusion(std::int64_t index,
                                                        std::optional<std::int64_t> size);

    /// Consistency proof from `from` leaves to `to` leaves, or to the current signed tree
    /// head when `to` is not given (returned with the proof). Errors: as ProveConsistency.
    [[nodiscard]] Result<ConsistencyProofs> ProveConsistency(std::int64_t from,
                                                             std::optional<std::int64_t> to);

    const LogKey& key() const { return key_; }

private:
    Result<SignedTreeHead> TreeHeadCovering(std::int64_t size);

    store::Store& store_;
    const LogKey& key_;
    const core::Clock& clock_;
    AuditOptions options_;
};

}  // namespace vt::audit
