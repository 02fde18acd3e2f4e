#pragma once
/// The verifier behind `ventanilla audit verify`: recomputes the audit tree from the stored
/// entries and checks every covered row against its latest entry, in one read snapshot.
///
/// What it finds, and how each problem is reported (table: problem):
///   - an entry whose stored leaf hash, columns or JSON do not match it:
///       audit_log: "hoja alterada"
///   - a missing entry below the log size: audit_log: "eliminada"
///   - a stored subtree hash that does not match the leaves below it:
///       audit_tree: "alterada" or "eliminada"
///   - a recorded tree head whose root differs from the recomputed one, or that covers
///     more entries than the log has: audit_sth: "raíz no coincide con la STH firmada"
///   - a recorded tree head not signed by the log key: audit_sth: "firma de la STH no válida"
///   - a covered row whose hash differs from its latest entry: <table>: "alterada"
///   - a covered row with no entry: <table>: "insertada sin registro de auditoría"
///   - an entry whose covered row no longer exists: <table>: "eliminada"
///
/// An attacker who rewrites entries, leaf hashes and subtree hashes consistently is caught
/// by the signed tree heads: the recomputed root no longer matches them, and without the
/// log key no new head can be signed.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vt/audit/log_key.hpp"
#include "vt/audit/merkle.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace vt::audit {

inline constexpr std::string_view kAltered = "alterada";
inline constexpr std::string_view kDeleted = "eliminada";
inline constexpr std::string_view kInsertedWithoutEntry = "insertada sin registro de auditoría";
inline constexpr std::string_view kLeafAltered = "hoja alterada";
inline constexpr std::string_view kRootMismatch = "raíz no coincide con la STH firmada";
inline constexpr std::string_view kBadSignature = "firma de la STH no válida";

/// One problem found.
struct Finding {
    std::string table;    ///< e.g. "cases", "case_events", "audit_log".
    std::string key;      ///< The row's key in that table, e.g. a case number or a leaf index.
    std::string problem;  ///< One of the k* constants above.
    std::string detail;   ///< What exactly, in Spanish, for people.

    bool operator==(const Finding&) const = default;
};

/// A row of a covered table: its key (the object_id of its audit entries) and its current
/// row hash, computed exactly as the module computes the row_hash of its entries.
struct CoveredRow {
    std::string key;
    std::string row_hash;
};

/// A table whose rows the audit log vouches for. Each module that audits changes of a table
/// describes it with one of these; the composition root lists them (app::AuditedTables()).
struct CoveredTable {
    std::string table;        ///< Name in the report, e.g. "cases".
    std::string object_type;  ///< The object_type of its entries, e.g. "case".
    /// Every row of the table, read through `tx`.
    std::function<Result<std::vector<CoveredRow>>(store::Tx& tx)> rows;
    /// Optional: for a row whose hash differs from its latest entry, findings that say more
    /// precisely what changed (e.g. a deleted child row). When it returns none, or is not
    /// set, the row is reported as kAltered in `table`.
    std::function<Result<std::vector<Finding>>(store::Tx& tx, const std::string& key)> explain;
};

struct VerifyOptions {
    /// The log's public key: every recorded tree head must carry its signature. Without it
    /// signatures are not checked (VerifyReport::signatures_checked says so).
    std::optional<std::string> public_key;
    /// Entries read per query. Memory use is O(batch) plus one hash per covered object.
    std::int64_t batch = 16384;
};

struct VerifyReport {
    std::int64_t entries = 0;     ///< Size of the log (audit_head).
    Hash root{};                  ///< Root recomputed from the entries.
    std::int64_t tree_heads = 0;  ///< Recorded signed tree heads compared with it.
    std::optional<SignedTreeHead> latest_tree_head;
    bool signatures_checked = false;
    /// Rows checked per covered table, in the order given.
    std::vector<std::pair<std::string, std::int64_t>> rows_checked;
    /// Every problem, grouped by table in the order found.
    std::vector<Finding> findings;

    bool ok() const { return findings.empty(); }
};

/// Verifies the log and `covered` in one read snapshot of `store`. Fails only when the
/// database cannot be read; every inconsistency is a finding.
[[nodiscard]] Result<VerifyReport> Verify(store::Store& store,
                                          std::span<const CoveredTable> covered,
                                          const VerifyOptions& options = {});

}  // namespace vt::audit
