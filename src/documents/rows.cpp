#include "rows.hpp"

#include <boost/json.hpp>

#include "signature.hpp"
#include "vt/audit/audit.hpp"

namespace vt::documents {
namespace {

namespace json = boost::json;

json::value Opt(const std::optional<std::string>& s) {
    return s ? json::value(*s) : json::value(nullptr);
}

template <typename T, typename ReadFn, typename JsonFn>
audit::CoveredTable Coverage(std::string table, std::string object_type, const char* columns,
                             ReadFn read, JsonFn to_json) {
    audit::CoveredTable t;
    t.table = table;
    t.object_type = std::move(object_type);
    t.rows = [table, columns, read,
              to_json](store::Tx& tx) -> Result<std::vector<audit::CoveredRow>> {
        VT_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(std::string("SELECT ") + columns + " FROM " +
                                                       table + " ORDER BY id"));
        std::vector<audit::CoveredRow> out;
        out.reserve(rows.size());
        for (const store::Row& r : rows) {
            T item = read(r);
            out.push_back({r.Text(0), audit::Sha256Hex(to_json(item))});
        }
        return out;
    };
    return t;
}

}  // namespace

Upload ReadUpload(const store::Row& r) {
    Upload u;
    u.id = r.Text(0);
    u.sha256 = r.Text(1);
    u.size = r.Int(2);
    u.mime_type = r.Text(3);
    u.original_name = r.Text(4);
    u.owner = r.Text(5);
    u.created_at = r.Text(6);
    return u;
}

KeyRow ReadKey(const store::Row& r) {
    KeyRow k;
    k.published.key_id = r.Text(0);
    k.account_id = r.Text(1);
    k.published.official_name = r.Text(2);
    k.published.office = r.Text(3);
    k.published.public_key = r.Bytes(4);
    k.sealed_secret_key = r.Bytes(5);
    k.published.valid_from = r.Text(6);
    k.published.valid_until = r.OptText(7);
    k.revoked_by = r.OptText(8);
    return k;
}

IssuedDocument ReadDocument(const store::Row& r) {
    IssuedDocument d;
    d.id = r.Text(0);
    d.case_number = r.Text(1);
    d.tramite_id = r.Text(2);
    d.tramite_version = static_cast<int>(r.Int(3));
    d.document_type = r.Text(4);
    d.title = r.Text(5);
    d.office = r.Text(6);
    d.sha256 = r.Text(7);
    d.signed_digest = r.Text(8);
    d.signature = r.Bytes(9);
    d.key_id = r.Text(10);
    d.issuer = r.Text(11);
    d.issuer_name = r.Text(12);
    d.issued_at = r.Text(13);
    d.size = r.Int(14);
    d.revoked_at = r.OptText(15);
    d.revoked_by = r.OptText(16);
    d.revocation_reason = r.OptText(17);
    return d;
}

std::string UploadRowJson(const Upload& u) {
    json::object o;
    o["created_at"] = u.created_at;
    o["id"] = u.id;
    o["mime_type"] = u.mime_type;
    o["original_name"] = u.original_name;
    o["owner"] = u.owner;
    o["sha256"] = u.sha256;
    o["size"] = u.size;
    return json::serialize(o);
}

std::string KeyRowJson(const KeyRow& k) {
    json::object o;
    o["account_id"] = k.account_id;
    o["created_at"] = k.published.valid_from;
    o["id"] = k.published.key_id;
    o["office"] = k.published.office;
    o["official_name"] = k.published.official_name;
    o["public_key"] = ToHex(k.published.public_key);
    o["revoked_at"] = Opt(k.published.valid_until);
    o["revoked_by"] = Opt(k.revoked_by);
    o["sealed_secret_key"] = ToHex(k.sealed_secret_key);
    return json::serialize(o);
}

std::string DocumentRowJson(const IssuedDocument& d) {
    json::object o;
    o["case_number"] = d.case_number;
    o["document_type"] = d.document_type;
    o["id"] = d.id;
    o["issued_at"] = d.issued_at;
    o["issuer"] = d.issuer;
    o["issuer_name"] = d.issuer_name;
    o["key_id"] = d.key_id;
    o["office"] = d.office;
    o["revocation_reason"] = Opt(d.revocation_reason);
    o["revoked_at"] = Opt(d.revoked_at);
    o["revoked_by"] = Opt(d.revoked_by);
    o["sha256"] = d.sha256;
    o["signature"] = ToHex(d.signature);
    o["signed_digest"] = d.signed_digest;
    o["size"] = d.size;
    o["title"] = d.title;
    o["tramite_id"] = d.tramite_id;
    o["tramite_version"] = d.tramite_version;
    return json::serialize(o);
}

std::vector<audit::CoveredTable> AuditCoverage() {
    return {
        Coverage<Upload>("uploads", "upload", kUploadColumns, ReadUpload, UploadRowJson),
        Coverage<KeyRow>("signing_keys", "signing_key", kKeyColumns, ReadKey, KeyRowJson),
        Coverage<IssuedDocument>("issued_documents", "document", kDocumentColumns, ReadDocument,
                                 DocumentRowJson),
    };
}

}  // namespace vt::documents
