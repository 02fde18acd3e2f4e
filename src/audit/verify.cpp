#include "vt/audit/verify.hpp"

#include <algorithm>
#include <bit>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "vt/audit/audit.hpp"

namespace vt::audit {
namespace {

namespace json = boost::json;
using store::Row;
using store::Tx;
using store::Value;

struct LatestEntry {
    std::int64_t index = 0;
    std::string row_hash;
};

std::string NodeKey(int level, std::uint64_t index) {
    return "nivel " + std::to_string(level) + ", índice " + std::to_string(index);
}

std::string TreeHeadKey(const SignedTreeHead& sth) {
    return "id " + std::to_string(sth.id) + " (tamaño " + std::to_string(sth.tree_size) + ")";
}

// The entry's fields when it is canonical JSON of an Entry; nullopt otherwise.
std::optional<Entry> ParseEntry(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const json::object& o = v.as_object();
    Entry e;
    for (auto [name, field] :
         {std::pair{"action", &e.action}, std::pair{"actor", &e.actor}, std::pair{"at", &e.at},
          std::pair{"object_id", &e.object_id}, std::pair{"object_type", &e.object_type},
          std::pair{"row_hash", &e.row_hash}}) {
        const json::value* f = o.if_contains(name);
        if (!f || !f->is_string()) return std::nullopt;
        *field = std::string(f->as_string());
    }
    if (o.size() != 6 || CanonicalJson(e) != text) return std::nullopt;
    return e;
}

// One pass over the log, in order of leaf index.
class LogPass {
public:
    LogPass(Tx& tx, const VerifyOptions& options, std::set<std::string> covered_types,
            VerifyReport& report)
        : tx_(tx), options_(options), covered_types_(std::move(covered_types)), report_(report) {}

    Status Run() {
        VT_ASSIGN_OR_RETURN(Row head,
                            tx_.QueryOne("SELECT size, tree_size FROM audit_head WHERE id = 1"));
        size_ = head.Int(0);
        tree_size_ = std::min(head.Int(1), size_);
        report_.entries = size_;
        VT_RETURN_IF_ERROR(LoadTreeHeads());
        CompareTreeHeads();  // those of size 0
        std::int64_t batch = std::max<std::int64_t>(options_.batch, 1);
        for (std::int64_t begin = 0; begin < size_; begin += batch) {
            VT_RETURN_IF_ERROR(Chunk(begin, std::min(size_, begin + batch)));
        }
        report_.root = builder_.Root();
        for (; next_head_ < heads_.size(); ++next_head_) {
            const SignedTreeHead& sth = heads_[next_head_];
            Add("audit_sth", TreeHeadKey(sth), kRootMismatch,
                "La STH firmada cubre " + std::to_string(sth.tree_size) +
                    " entradas y el registro solo tiene " + std::to_string(size_) +
                    ": se eliminaron entradas.");
        }
        return Extras();
    }

    const std::map<std::string, LatestEntry>& latest() const { return latest_; }

private:
    void Add(std::string table, std::string key, std::string_view problem, std::string detail) {
        report_.findings.push_back(
            {std::move(table), std::move(key), std::string(problem), std::move(detail)});
    }

    Status LoadTreeHeads() {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx_.Query("SELECT id, tree_size, timestamp_ms, root_hash, signature "
                                      "FROM audit_sth ORDER BY tree_size, id"));
        report_.signatures_checked = options_.public_key.has_value();
        for (const Row& r : rows) {
            SignedTreeHead sth;
            sth.id = r.Int(0);
            sth.tree_size = r.Int(1);
            sth.timestamp_ms = r.Int(2);
            sth.root = HashFromBytes(r.Bytes(3));
            sth.signature = r.Bytes(4);
            if (r.Bytes(3).size() != kHashSize) {
                Add("audit_sth", TreeHeadKey(sth), kRootMismatch,
                    "La raíz guardada no tiene 32 bytes.");
            }
            if (options_.public_key && !VerifyTreeHead(sth, *options_.public_key)) {
                Add("audit_sth", TreeHeadKey(sth), kBadSignature,
                    "La firma no es de la llave del registro: la STH fue alterada o insertada "
                    "directamente.");
            }
            if (!report_.latest_tree_head || sth.id > report_.latest_tree_head->id)
                report_.latest_tree_head = sth;
            heads_.push_back(std::move(sth));
        }
        report_.tree_heads = static_cast<std::int64_t>(heads_.size());
        return Ok();
    }

    // Compares the recomputed root with every recorded head of the current size.
    void CompareTreeHeads() {
        auto size = static_cast<std::int64_t>(builder_.size());
        for (; next_head_ < heads_.size() && heads_[next_head_].tree_size <= size; ++next_head_) {
            const SignedTreeHead& sth = heads_[next_head_];
            if (sth.tree_size < size) continue;  // negative sizes: reported by the root check below
            if (builder_.Root() != sth.root) {
                Add("audit_sth", TreeHeadKey(sth), kRootMismatch,
                    "La raíz recalculada de las primeras " + std::to_string(size) + " entradas (" +
                        ToHex(builder_.Root()) + ") no es la firmada (" + ToHex(sth.root) + ").");
            }
        }
    }

    // Stored subtree hashes completed by the leaves [begin, end), by (level, index).
    Result<std::map<std::pair<int, std::uint64_t>, std::string>> StoredNodes(std::int64_t begin,
                                                                             std::int64_t end) {
        std::map<std::pair<int, std::uint64_t>, std::string> nodes;
        auto b = static_cast<std::uint64_t>(begin), e = static_cast<std::uint64_t>(end);
        for (int level = 1; level < 63 && (std::uint64_t{1} << level) <= e; ++level) {
            // Node (level, i) is completed by leaf (i + 1) * 2^level - 1.
            std::uint64_t lo = ((b + (std::uint64_t{1} << level)) >> level) - 1;
            std::uint64_t hi_plus_one = e >> level;
            if (hi_plus_one <= lo) continue;
            VT_ASSIGN_OR_RETURN(
                store::Rows rows,
                tx_.Query("SELECT idx, hash FROM audit_tree WHERE level = $1 AND idx >= $2 AND "
                          "idx < $3",
                          {Value{std::int64_t{level}}, Value{static_cast<std::int64_t>(lo)},
                           Value{static_cast<std::int64_t>(hi_plus_one)}}));
            for (const Row& r : rows)
                nodes[{level, static_cast<std::uint64_t>(r.Int(0))}] = r.Bytes(1);
        }
        return nodes;
    }

    Status Chunk(std::int64_t begin, std::int64_t end) {
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx_.Query("SELECT leaf_index, entry, leaf_hash, object_type, object_id FROM audit_log "
                      "WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index",
                      {Value{begin}, Value{end}}));
        std::map<std::pair<int, std::uint64_t>, std::string> stored;
        if (begin < tree_size_) {
            VT_ASSIGN_OR_RETURN(stored, StoredNodes(begin, std::min(end, tree_size_)));
        }
        std::size_t next_row = 0;
        for (std::int64_t i = begin; i < end; ++i) {
            const Row* row =
                next_row < rows.size() && rows[next_row].Int(0) == i ? &rows[next_row++] : nullptr;
            Hash leaf{};  // a missing entry leaves a hole no root can match
            bool leaf_ok = false;
            if (!row) {
                Add("audit_log", std::to_string(i), kDeleted,
                    "Falta la entrada " + std::to_string(i) + " y el registro tiene " +
                        std::to_string(size_) + ".");
            } else {
                leaf = HashLeaf(row->Text(1));
                leaf_ok = CheckLeaf(i, *row, leaf);
            }
            if (!leaf_ok) bad_nodes_.insert({0, static_cast<std::uint64_t>(i)});
            builder_.Append(leaf, [&](int level, std::uint64_t index, const Hash& h) {
                if (i < tree_size_) CheckNode(stored, level, index, h);
            });
            CompareTreeHeads();
        }
        return Ok();
    }

    // Records the latest entry of every covered object; reports an entry that does not
    // match its stored hash, its columns or the canonical form.
    bool CheckLeaf(std::int64_t i, const Row& row, const Hash& recomputed) {
        std::string key = std::to_string(i);
        std::optional<Entry> entry = ParseEntry(row.Text(1));
        // Even an altered entry is what the log now claims about its object; the leaf is
        // reported on its own.
        if (entry && covered_types_.count(entry->object_type)) {
            latest_[entry->object_type + '\n' + entry->object_id] = {i, entry->row_hash};
        }
        if (row.Bytes(2) != AsBytes(recomputed)) {
            Add("audit_log", key, kLeafAltered,
                "El hash guardado de la hoja no es SHA-256(0x00 ‖ entrada): la entrada cambió "
                "después de registrarse.");
            return false;
        }
        if (!entry) {
            Add("audit_log", key, kLeafAltered,
                "La entrada no es el JSON canónico de una entrada de auditoría.");
            return false;
        }
        if (entry->object_type != row.Text(3) || entry->object_id != row.Text(4)) {
            Add("audit_log", key, kLeafAltered,
                "Las columnas object_type/object_id no coinciden con la entrada.");
            return false;
        }
        return true;
    }

    // Compares a recomputed subtree hash with the stored one. Only the lowest wrong node of
    // a chain is reported: above a bad leaf or node every ancestor differs too.
    void CheckNode(const std::map<std::pair<int, std::uint64_t>, std::string>& stored, int level,
                   std::uint64_t index, const Hash& h) {
        bool below_bad = bad_nodes_.erase({level - 1, 2 * index}) +
                             bad_nodes_.erase({level - 1, 2 * index + 1}) >
                         0;
        auto it = stored.find({level, index});
        bool bad = it == stored.end() || it->second != AsBytes(h);
        if (!bad) return;
        bad_nodes_.insert({level, index});
        if (below_bad) return;
        if (it == stored.end()) {
            Add("audit_tree", NodeKey(level, index), kDeleted, "Falta el hash del subárbol.");
        } else {
            Add("audit_tree", NodeKey(level, index), kAltered,
                "El hash guardado del subárbol no corresponde a las entradas que cubre.");
        }
    }

    // Rows that the walk above cannot see: entries past the log size, surplus subtrees.
    Status Extras() {
        VT_ASSIGN_OR_RETURN(store::Rows beyond,
                            tx_.Query("SELECT leaf_index FROM audit_log WHERE leaf_index >= $1 "
                                      "OR leaf_index < 0 ORDER BY leaf_index",
                                      {Value{size_}}));
        for (const Row& r : beyond) {
            Add("audit_log", std::to_string(r.Int(0)), kInsertedWithoutEntry,
                "La fila está fuera del registro, que tiene " + std::to_string(size_) +
                    " entradas.");
        }
        VT_ASSIGN_OR_RETURN(Row count, tx_.QueryOne("SELECT count(*) FROM audit_tree"));
        auto tree = static_cast<std::uint64_t>(tree_size_);
        auto expected = static_cast<std::int64_t>(tree - std::popcount(tree));
        if (count.Int(0) > expected) {
            Add("audit_tree", "", kInsertedWithoutEntry,
                "Hay " + std::to_string(count.Int(0)) + " hashes de subárboles y el árbol de " +
                    std::to_string(tree_size_) + " entradas tiene " + std::to_string(expected) +
                    ".");
        }
        return Ok();
    }

    Tx& tx_;
    const VerifyOptions& options_;
    std::set<std::string> covered_types_;
    VerifyReport& report_;
    std::int64_t size_ = 0;
    std::int64_t tree_size_ = 0;
    TreeBuilder builder_;
    std::vector<SignedTreeHead> heads_;  // by tree size
    std::size_t next_head_ = 0;
    std::set<std::pair<int, std::uint64_t>> bad_nodes_;
    std::map<std::string, LatestEntry> latest_;  // "object_type\nobject_id"
};

Status CheckTable(Tx& tx, const CoveredTable& table,
                  const std::map<std::string, LatestEntry>& latest, VerifyReport& report) {
    VT_ASSIGN_OR_RETURN(std::vector<CoveredRow> rows, table.rows(tx));
    report.rows_checked.emplace_back(table.table, static_cast<std::int64_t>(rows.size()));
    std::string prefix = table.object_type + '\n';
    std::set<std::string> present;
    for (const CoveredRow& row : rows) {
        present.insert(row.key);
        auto it = latest.find(prefix + row.key);
        if (it == latest.end()) {
            report.findings.push_back(
                {table.table, row.key, std::string(kInsertedWithoutEntry),
                 "Ninguna entrada del registro de auditoría describe esta fila."});
            continue;
        }
        const LatestEntry& entry = it->second;
        std::string where =
            "la entrada " + std::to_string(entry.index) + " del registro de auditoría";
        if (entry.row_hash == kRowDeleted) {
            report.findings.push_back({table.table, row.key, std::string(kInsertedWithoutEntry),
                                       "Según " + where + " la fila se eliminó, pero existe."});
            continue;
        }
        if (entry.row_hash == row.row_hash) continue;
        std::vector<Finding> precise;
        if (table.explain) {
            VT_ASSIGN_OR_RETURN(precise, table.explain(tx, row.key));
        }
        if (precise.empty()) {
            precise.push_back({table.table, row.key, std::string(kAltered),
                               "La fila no coincide con " + where + "."});
        }
        report.findings.insert(report.findings.end(), precise.begin(), precise.end());
    }
    for (auto it = latest.lower_bound(prefix); it != latest.end() && it->first.starts_with(prefix);
         ++it) {
        std::string key = it->first.substr(prefix.size());
        if (present.count(key) || it->second.row_hash == kRowDeleted) continue;
        report.findings.push_back(
            {table.table, key, std::string(kDeleted),
             "La entrada " + std::to_string(it->second.index) +
                 " del registro de auditoría la describe y la fila ya no existe."});
    }
    return Ok();
}

}  // namespace

Result<VerifyReport> Verify(store::Store& store, std::span<const CoveredTable> covered,
                            const VerifyOptions& options) {
    VerifyReport report;
    std::set<std::string> types;
    for (const CoveredTable& t : covered) types.insert(t.object_type);
    VT_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
        report = VerifyReport{};
        LogPass pass(tx, options, types, report);
        VT_RETURN_IF_ERROR(pass.Run());
        for (const CoveredTable& t : covered)
            VT_RETURN_IF_ERROR(CheckTable(tx, t, pass.latest(), report));
        return Ok();
    }));
    // Group by table, keeping the order found within each.
    std::stable_sort(report.findings.begin(), report.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.table < b.table; });
    return report;
}

}  // namespace vt::audit
