#include "vt/audit/audit.hpp"

#include <sodium.h>

#include <boost/json.hpp>

namespace vt::audit {
namespace {

std::string Hex(const unsigned char* data, std::size_t n) {
    std::string hex(n * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), data, n);
    hex.pop_back();
    return hex;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return Hex(digest, sizeof digest);
}

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

Result<std::int64_t> Append(store::Tx& tx, const Entry& entry) {
    using store::Value;
    // The head row is the sequencer: its update takes a row lock that serialises appends
    // until commit, so indices are gapless and in commit order on both engines.
    VT_ASSIGN_OR_RETURN(store::Row head, tx.QueryOne("UPDATE audit_head SET size = size + 1 WHERE id = 1 RETURNING size"));
    std::int64_t index = head.Int(0) - 1;
    std::string canonical = CanonicalJson(entry);
    std::string leaf_input;
    leaf_input.reserve(canonical.size() + 1);
    leaf_input.push_back('\0');
    leaf_input += canonical;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(leaf_input.data()), leaf_input.size());
    VT_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO audit_log (leaf_index, entry, leaf_hash, object_type, object_id, at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {Value{index}, Value{canonical}, Value{store::Blob{std::string(reinterpret_cast<char*>(digest), sizeof digest)}},
         Value{entry.object_type}, Value{entry.object_id}, Value{entry.at}}));
    return index;
}

}  // namespace vt::audit
