#pragma once
/// The audit log: an append-only, hash-chained-by-tree record of every change of state a
/// person causes. Entries are leaves of an RFC 6962 / RFC 9162 Merkle tree: the leaf
/// hash is SHA-256(0x00 ‖ entry), where the entry is canonical JSON (keys sorted, no
/// whitespace) of who did what, when, to which object, and the hash of the new row.
///
/// Append runs inside the caller's write transaction, so a change and its audit entry
/// commit together or not at all.

#include <cstdint>
#include <string>

#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace vt::audit {

struct Entry {
    std::string actor;        ///< Account id ("anonimo" for anonymous filings, "sistema").
    std::string action;       ///< What happened, e.g. "case.filed", "case.transition".
    std::string object_type;  ///< e.g. "case", "tramite_definition".
    std::string object_id;    ///< e.g. the case number.
    std::string at;           ///< RFC 3339 UTC time of the change.
    std::string row_hash;     ///< Hex SHA-256 of the canonical JSON of the new row.
};

/// The canonical JSON of `entry`: the exact bytes that are hashed.
std::string CanonicalJson(const Entry& entry);

/// Hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

/// Appends `entry` inside `tx` and returns its leaf index (0, 1, 2, ...; gapless).
/// Appends are serialised by a row lock on the log head, held until `tx` commits.
[[nodiscard]] Result<std::int64_t> Append(store::Tx& tx, const Entry& entry);

}  // namespace vt::audit
