#include "vt/audit/audit.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <tuple>

namespace vt::audit {
namespace {

using store::Row;
using store::Tx;
using store::Value;

Value BlobOf(const Hash& h) { return Value{store::Blob{std::string(AsBytes(h))}}; }

Result<Hash> HashColumn(const Row& row, std::size_t column, std::string_view what) {
    const std::string& bytes = row.Bytes(column);
    if (bytes.size() != kHashSize)
        return Error::Internal("Hash dañado en el registro de auditoría: " + std::string(what));
    return HashFromBytes(bytes);
}

PerfectSubtreeFn StoredTree(Tx& tx) {
    return [&tx](int level, std::uint64_t index) { return StoredSubtree(tx, level, index); };
}

// Writes subtree hashes in multi-row INSERTs: a bulk catch-up writes millions of them.
Status InsertSubtrees(Tx& tx, const std::vector<std::tuple<int, std::uint64_t, Hash>>& nodes) {
    constexpr std::size_t kRowsPerStatement = 256;
    for (std::size_t start = 0; start < nodes.size(); start += kRowsPerStatement) {
        std::size_t end = std::min(nodes.size(), start + kRowsPerStatement);
        std::string sql = "INSERT INTO audit_tree (level, idx, hash) VALUES ";
        std::vector<Value> params;
        params.reserve((end - start) * 3);
        for (std::size_t i = start; i < end; ++i) {
            const auto& [level, index, hash] = nodes[i];
            std::size_t n = params.size();
            sql += (i == start ? "($" : ", ($") + std::to_string(n + 1) + ", $" +
                   std::to_string(n + 2) + ", $" + std::to_string(n + 3) + ")";
            params.emplace_back(std::int64_t{level});
            params.emplace_back(static_cast<std::int64_t>(index));
            params.push_back(BlobOf(hash));
        }
        VT_RETURN_IF_ERROR(tx.Exec(sql, params));
    }
    return Ok();
}

// Stores the hash of every perfect subtree that leaf `index` completes: one per trailing
// one bit of the index, each the parent of the stored left sibling and the node below.
Status StoreCompletedSubtrees(Tx& tx, std::uint64_t index, const Hash& leaf) {
    Hash h = leaf;
    for (int level = 0; (index >> level) & 1u; ++level) {
        VT_ASSIGN_OR_RETURN(Hash left, StoredSubtree(tx, level, (index >> level) - 1));
        h = HashChildren(left, h);
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO audit_tree (level, idx, hash) VALUES ($1, $2, $3)",
                    {Value{std::int64_t{level + 1}},
                     Value{static_cast<std::int64_t>(index >> (level + 1))}, BlobOf(h)}));
    }
    return Ok();
}

std::string Count(std::int64_t n) { return n == 1 ? "1 entrada" : std::to_string(n) + " entradas"; }

SignedTreeHead TreeHeadFromRow(const Row& r) {
    SignedTreeHead sth;
    sth.id = r.Int(0);
    sth.tree_size = r.Int(1);
    sth.timestamp_ms = r.Int(2);
    sth.root = HashFromBytes(r.Bytes(3));
    sth.signature = r.Bytes(4);
    return sth;
}

}  // namespace

std::string CanonicalJson(const Entry& e) {
    // Keys in lexicographic order; boost::json keeps insertion order when serialising.
    boost::json::object o;
    o["action"] = e.action;
    o["actor"] = e.actor;
    o["at"] = e.at;
    o["object_id"] = e.object_id;
    o["object_type"] = e.object_type;
    o["row_hash"] = e.row_hash;
    return boost::json::serialize(o);
}

Result<std::int64_t> Append(Tx& tx, const Entry& entry) {
    // The head row is the sequencer: its update takes a row lock that serialises appends
    // until commit, so indices are gapless and in commit order on both engines. The tree
    // keeps up only while no older leaf lacks its subtrees (see CompleteTree).
    VT_ASSIGN_OR_RETURN(Row head,
                        tx.QueryOne("UPDATE audit_head SET size = size + 1, "
                                    "tree_size = CASE WHEN tree_size = size THEN tree_size + 1 "
                                    "ELSE tree_size END WHERE id = 1 RETURNING size, tree_size"));
    std::int64_t index = head.Int(0) - 1;
    bool tree_current = head.Int(1) == head.Int(0);
    std::string canonical = CanonicalJson(entry);
    Hash leaf = HashLeaf(canonical);
    VT_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO audit_log (leaf_index, entry, leaf_hash, object_type, object_id, at) "
                "VALUES ($1, $2, $3, $4, $5, $6)",
                {Value{index}, Value{canonical}, BlobOf(leaf), Value{entry.object_type},
                 Value{entry.object_id}, Value{entry.at}}));
    if (tree_current)
        VT_RETURN_IF_ERROR(StoreCompletedSubtrees(tx, static_cast<std::uint64_t>(index), leaf));
    return index;
}

Result<std::int64_t> ProvableSize(Tx& tx) {
    VT_ASSIGN_OR_RETURN(Row head, tx.QueryOne("SELECT tree_size FROM audit_head WHERE id = 1"));
    return head.Int(0);
}

Result<Hash> StoredSubtree(Tx& tx, int level, std::uint64_t index) {
    auto i = static_cast<std::int64_t>(index);
    store::Rows rows;
    if (level == 0) {
        VT_ASSIGN_OR_RETURN(
            rows, tx.Query("SELECT leaf_hash FROM audit_log WHERE leaf_index = $1", {Value{i}}));
    } else {
        VT_ASSIGN_OR_RETURN(rows,
                            tx.Query("SELECT hash FROM audit_tree WHERE level = $1 AND idx = $2",
                                     {Value{std::int64_t{level}}, Value{i}}));
    }
    std::string where = "nivel " + std::to_string(level) + ", índice " + std::to_string(index);
    if (rows.empty())
        return Error::NotFound("Falta el nodo del árbol de auditoría (" + where + ").");
    return HashColumn(rows[0], 0, where);
}

Status CompleteTree(store::Store& store, std::int64_t batch) {
    batch = std::max<std::int64_t>(batch, 1);
    for (bool done = false; !done;) {
        VT_RETURN_IF_ERROR(store.Write([&](Tx& tx) -> Status {
            // A no-op update that takes the appenders' lock, so no leaf arrives meanwhile.
            VT_ASSIGN_OR_RETURN(Row head,
                                tx.QueryOne("UPDATE audit_head SET size = size WHERE id = 1 "
                                            "RETURNING size, tree_size"));
            std::int64_t size = head.Int(0), tree = head.Int(1);
            if (tree >= size) {
                done = true;
                return Ok();
            }
            std::vector<Hash> edge;
            for (auto [level, index] : TreeBuilder::EdgeOf(static_cast<std::uint64_t>(tree))) {
                VT_ASSIGN_OR_RETURN(Hash h, StoredSubtree(tx, level, index));
                edge.push_back(h);
            }
            TreeBuilder builder(static_cast<std::uint64_t>(tree), std::move(edge));
            std::int64_t end = std::min(size, tree + batch);
            VT_ASSIGN_OR_RETURN(
                store::Rows leaves,
                tx.Query("SELECT leaf_index, leaf_hash FROM audit_log WHERE leaf_index >= $1 AND "
                         "leaf_index < $2 ORDER BY leaf_index",
                         {Value{tree}, Value{end}}));
            std::vector<std::tuple<int, std::uint64_t, Hash>> nodes;
            std::int64_t expected = tree;
            for (const Row& r : leaves) {
                if (r.Int(0) != expected) {
                    return Error::Internal(
                        "Falta la entrada " + std::to_string(expected) +
                        " del registro de auditoría; revise con «ventanilla audit verify».");
                }
                VT_ASSIGN_OR_RETURN(Hash leaf,
                                    HashColumn(r, 1, "hoja " + std::to_string(expected)));
                builder.Append(leaf, [&](int level, std::uint64_t index, const Hash& h) {
                    nodes.emplace_back(level, index, h);
                });
                ++expected;
            }
            if (expected != end) {
                return Error::Internal(
                    "Falta la entrada " + std::to_string(expected) +
                    " del registro de auditoría; revise con «ventanilla audit verify».");
            }
            VT_RETURN_IF_ERROR(InsertSubtrees(tx, nodes));
            VT_RETURN_IF_ERROR(
                tx.Exec("UPDATE audit_head SET tree_size = $1 WHERE id = 1", {Value{end}}));
            return Ok();
        }));
    }
    return Ok();
}

Result<Hash> RootAt(Tx& tx, std::int64_t size) {
    VT_ASSIGN_OR_RETURN(std::int64_t provable, ProvableSize(tx));
    if (size < 0 || size > provable) {
        return Error::Invalid(
            "Tamaño de árbol fuera de rango.",
            {{"tamano", "Debe estar entre 0 y " + std::to_string(provable) + "."}});
    }
    return RootAt(StoredTree(tx), static_cast<std::uint64_t>(size));
}

Result<InclusionProof> ProveInclusion(Tx& tx, std::int64_t index, std::int64_t size) {
    VT_ASSIGN_OR_RETURN(std::int64_t provable, ProvableSize(tx));
    if (provable == 0) {
        return Error::Invalid("El registro de auditoría todavía no tiene entradas.",
                              {{"indice", "El registro está vacío."}});
    }
    Error bad = Error::Invalid("Revise los parámetros de la prueba de inclusión.");
    if (size < 1 || size > provable) {
        bad.WithField("tamano", "Debe estar entre 1 y " + std::to_string(provable) + ".");
    } else if (index < 0 || index >= size) {
        bad.WithField("indice", "Debe estar entre 0 y " + std::to_string(size - 1) +
                                    " (el árbol tiene " + Count(size) + ").");
    }
    if (!bad.fields().empty()) return bad;

    InclusionProof p;
    p.index = index;
    p.tree_size = size;
    VT_ASSIGN_OR_RETURN(Row leaf,
                        tx.QueryOne("SELECT entry, leaf_hash FROM audit_log WHERE leaf_index = $1",
                                    {Value{index}}));
    p.entry = leaf.Text(0);
    VT_ASSIGN_OR_RETURN(p.leaf_hash, HashColumn(leaf, 1, "hoja " + std::to_string(index)));
    PerfectSubtreeFn stored = StoredTree(tx);
    VT_ASSIGN_OR_RETURN(p.path, InclusionPath(stored, static_cast<std::uint64_t>(index),
                                              static_cast<std::uint64_t>(size)));
    VT_ASSIGN_OR_RETURN(p.root, RootAt(stored, static_cast<std::uint64_t>(size)));
    return p;
}

Result<ConsistencyProofs> ProveConsistency(Tx& tx, std::int64_t from, std::int64_t to) {
    VT_ASSIGN_OR_RETURN(std::int64_t provable, ProvableSize(tx));
    Error bad = Error::Invalid("Revise los parámetros de la prueba de consistencia.");
    if (provable == 0) {
        bad.WithField("hasta", "El registro de auditoría todavía no tiene entradas.");
    } else if (to < 1 || to > provable) {
        bad.WithField("hasta", "Debe estar entre 1 y " + std::to_string(provable) + ".");
    }
    if (from < 1) {
        bad.WithField("desde", "Debe ser al menos 1.");
    } else if (bad.fields().empty() && from > to) {
        bad.WithField("desde", "No puede ser mayor que hasta (" + std::to_string(to) + ").");
    }
    if (!bad.fields().empty()) return bad;

    ConsistencyProofs c;
    c.from = from;
    c.to = to;
    PerfectSubtreeFn stored = StoredTree(tx);
    VT_ASSIGN_OR_RETURN(c.proof, ConsistencyProof(stored, static_cast<std::uint64_t>(from),
                                                  static_cast<std::uint64_t>(to)));
    VT_ASSIGN_OR_RETURN(c.root_from, RootAt(stored, static_cast<std::uint64_t>(from)));
    VT_ASSIGN_OR_RETURN(c.root_to, RootAt(stored, static_cast<std::uint64_t>(to)));
    return c;
}

Result<std::optional<SignedTreeHead>> LatestTreeHead(Tx& tx) {
    VT_ASSIGN_OR_RETURN(store::Rows rows,
                        tx.Query("SELECT id, tree_size, timestamp_ms, root_hash, signature "
                                 "FROM audit_sth ORDER BY id DESC LIMIT 1"));
    if (rows.empty()) return std::optional<SignedTreeHead>();
    return std::optional<SignedTreeHead>(TreeHeadFromRow(rows[0]));
}

Result<SignedTreeHead> IssueTreeHead(store::Store& store, const LogKey& key,
                                     std::chrono::system_clock::time_point now) {
    std::int64_t ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    SignedTreeHead sth;
    VT_RETURN_IF_ERROR(store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(std::int64_t size, ProvableSize(tx));
        VT_ASSIGN_OR_RETURN(Hash root, RootAt(StoredTree(tx), static_cast<std::uint64_t>(size)));
        sth = SignTreeHead(key, size, std::max<std::int64_t>(ms, 0), root);
        VT_ASSIGN_OR_RETURN(
            Row id,
            tx.QueryOne("INSERT INTO audit_sth (tree_size, timestamp_ms, root_hash, signature, "
                        "key_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        {Value{sth.tree_size}, Value{sth.timestamp_ms}, BlobOf(sth.root),
                         Value{store::Blob{sth.signature}}, Value{key.KeyId()}}));
        sth.id = id.Int(0);
        return Ok();
    }));
    return sth;
}

AuditLog::AuditLog(store::Store& store, const LogKey& key, const core::Clock& clock,
                   AuditOptions options)
    : store_(store), key_(key), clock_(clock), options_(options) {}

Result<SignedTreeHead> AuditLog::TreeHead() { return TreeHeadCovering(0); }

Result<SignedTreeHead> AuditLog::TreeHeadCovering(std::int64_t size) {
    auto now = clock_.Now();
    std::int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::optional<SignedTreeHead> latest;
    VT_RETURN_IF_ERROR(store_.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(latest, LatestTreeHead(tx));
        return Ok();
    }));
    // A head from the future (the clock went back) is not fresh either.
    if (latest && latest->tree_size >= size && latest->timestamp_ms <= now_ms &&
        now_ms - latest->timestamp_ms < options_.sth_max_age.count()) {
        return *latest;
    }
    return IssueTreeHead(store_, key_, now);
}

Result<InclusionProof> AuditLog::ProveInclusion(std::int64_t index,
                                                std::optional<std::int64_t> size) {
    std::optional<SignedTreeHead> head;
    if (!size) {
        std::int64_t provable = 0;
        VT_RETURN_IF_ERROR(store_.Read([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(provable, ProvableSize(tx));
            return Ok();
        }));
        if (index >= 0 && index < provable) {
            VT_ASSIGN_OR_RETURN(head, TreeHeadCovering(index + 1));
            size = head->tree_size;
        } else {
            size = provable;  // only to report the index as out of range
        }
    }
    InclusionProof proof;
    VT_RETURN_IF_ERROR(store_.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(proof, audit::ProveInclusion(tx, index, *size));
        return Ok();
    }));
    proof.tree_head = std::move(head);
    return proof;
}

Result<ConsistencyProofs> AuditLog::ProveConsistency(std::int64_t from,
                                                     std::optional<std::int64_t> to) {
    std::optional<SignedTreeHead> head;
    if (!to) {
        std::int64_t provable = 0;
        VT_RETURN_IF_ERROR(store_.Read([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(provable, ProvableSize(tx));
            return Ok();
        }));
        if (from < 1 || from > provable) {
            return Error::Invalid(
                "Revise los parámetros de la prueba de consistencia.",
                {{"desde", provable == 0
                               ? "El registro de auditoría todavía no tiene entradas."
                               : "Debe estar entre 1 y " + std::to_string(provable) + "."}});
        }
        VT_ASSIGN_OR_RETURN(head, TreeHeadCovering(from));
        to = head->tree_size;
    }
    ConsistencyProofs proof;
    VT_RETURN_IF_ERROR(store_.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(proof, audit::ProveConsistency(tx, from, *to));
        return Ok();
    }));
    proof.tree_head = std::move(head);
    return proof;
}

}  // namespace vt::audit
