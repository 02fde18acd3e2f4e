#pragma once
// The rows of the module's tables: how they are read, and their canonical JSON, whose
// SHA-256 is the row_hash of the audit entries that wrote them.
#include <string>

#include "vt/documents/documents.hpp"
#include "vt/store/store.hpp"

namespace vt::documents {

/// A signing key as stored, secret included (sealed).
struct KeyRow {
    PublishedKey published;
    std::string account_id;
    std::string sealed_secret_key;
    std::optional<std::string> revoked_by;
};

inline constexpr const char* kUploadColumns =
    "id, sha256, size, mime_type, original_name, owner, created_at";
inline constexpr const char* kKeyColumns =
    "id, account_id, official_name, office, public_key, sealed_secret_key, created_at, revoked_at, "
    "revoked_by";
inline constexpr const char* kDocumentColumns =
    "id, case_number, tramite_id, tramite_version, document_type, title, office, sha256, "
    "signed_digest, "
    "signature, key_id, issuer, issuer_name, issued_at, size, revoked_at, revoked_by, "
    "revocation_reason";

Upload ReadUpload(const store::Row& r);
KeyRow ReadKey(const store::Row& r);
IssuedDocument ReadDocument(const store::Row& r);

/// Canonical JSON: keys in lexicographic order, binary columns in hex, NULL as null.
std::string UploadRowJson(const Upload& u);
std::string KeyRowJson(const KeyRow& k);
std::string DocumentRowJson(const IssuedDocument& d);

}  // namespace vt::documents
