#pragma once
/// Documents: the files people upload with their filings, and the certificates and
/// resolutions the ministry issues, rendered to PDF, signed by the issuing official and
/// verifiable by anyone, online or offline. docs/documentos.md explains the scheme to
/// people who verify documents.
///
/// Storage. File contents live on disk under DocumentsOptions::data_dir, content-addressed
/// by their SHA-256: `uploads/ab/cd/<sha256>` and `documents/ab/cd/<sha256>.pdf`, each
/// written atomically (temporary file, fsync, rename) and checked against its hash when
/// read, so a file on disk that was altered is refused rather than served. The database
/// holds what is known about them (tables uploads, signing_keys, issued_documents).
/// With several nodes, data_dir must be storage they share.
///
/// Signing keys. Each official with role `firma` has one Ed25519 key pair in force,
/// created at their first signature. The secret key is stored sealed (libsodium
/// crypto_secretbox, XSalsa20-Poly1305) with a server key kept outside the database, in
/// `<data_dir>/keys/documents.key` (32 random bytes, mode 0600, created on first use): a
/// copy of the database alone signs nothing. Public keys are published with their validity
/// (PublishedKeys(), the claves.json format of PublishedKeysJson()).
///
/// Signatures. The issued PDF carries, in its Keywords metadata, a signature field
///   `ventanilla-firma-v1 id=<document id> clave=<key id> fecha=<issued at> firma=<hex>`
/// whose last 128 hex digits are the Ed25519 signature. What is signed is the ASCII
/// message `ventanilla-documento-v1:` + hex SHA-256 of the PDF bytes with those 128 digits
/// replaced by '0' (the "signed digest"): the whole file, metadata, id, key id and date
/// included, except the signature itself. Filling the field in changes no byte offset, so
/// the PDF stays valid. Anyone with the file and the published keys can check it offline
/// (VerifyOffline); the server also keeps the SHA-256 of the file as served, so an uploaded
/// copy is compared byte for byte (VerifyBytes), and revocation is known online only.
///
/// Every upload, key created or revoked, document issued or revoked writes an audit entry
/// with the hash of the new row, in the same transaction (see AuditCoverage()).

#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vt/audit/verify.hpp"
#include "vt/cases/cases.hpp"
#include "vt/catalog/catalog.hpp"
#include "vt/core/actor.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace vt::documents {

struct DocumentsOptions {
    /// Directory under which uploads/, documents/ and keys/ are kept (the server's
    /// storage.data_dir). Created as needed.
    std::filesystem::path data_dir = "var";
    /// Public base URL of the site, without a trailing slash: the QR code of each document
    /// points to <public_url>/verificar/<id>.
    std::string public_url = "http://127.0.0.1:8080";
    /// Largest upload accepted, whatever a trámite allows. Default 10 MiB. The HTTP body
    /// limit (server.max_body_bytes) applies before this one.
    std::int64_t max_upload_bytes = 10 << 20;
    /// Size limit of an upload whose trámite field or requirement sets none. Default 5 MiB.
    std::int64_t default_upload_bytes = 5 << 20;
    /// Types accepted for an upload whose trámite field or requirement lists none, and for
    /// uploads not tied to a trámite. Default: PDF, JPEG and PNG.
    std::vector<std::string> default_accepted_types = {"application/pdf", "image/jpeg",
                                                       "image/png"};
    /// Longest template text rendered, in bytes, after filling placeholders. Default 64 KiB.
    std::size_t max_document_text = 64 << 10;
};

/// Port: the display names of officials, for the PDF and the published keys. The identity
/// module answers it; tests use a fake. Must be thread-safe.
class OfficialNames {
public:
    virtual ~OfficialNames() = default;
    /// The full name of the official with this account id. Errors: NotFound.
    [[nodiscard]] virtual Result<std::string> NameOf(std::string_view account_id) const = 0;
};

// ---- Uploads ------------------------------------------------------------------------

/// What an upload may be.
struct UploadRules {
    /// MIME types, compared with the type detected from the content. "image/*" accepts
    /// every image type. Empty: DocumentsOptions::default_accepted_types.
    std::vector<std::string> accepted_types;
    /// Size limit in bytes; 0: DocumentsOptions::default_upload_bytes. Never above
    /// DocumentsOptions::max_upload_bytes.
    std::int64_t max_bytes = 0;
};

struct Upload {
    std::string id;             ///< Random, 128 bits, hex: cannot be guessed.
    std::string sha256;         ///< Hex SHA-256 of the content.
    std::int64_t size = 0;      ///< Bytes.
    std::string mime_type;      ///< Detected from the content (libmagic), never the client's word.
    std::string original_name;  ///< As declared, cleaned: no path, no control characters.
    std::string owner;          ///< Account id of the uploader.
    std::string created_at;     ///< RFC 3339 UTC.
    bool existing = false;      ///< The owner had uploaded the same content before.
};

struct StoredFile {
    Upload upload;
    std::string bytes;
};

// ---- Signing keys ---------------------------------------------------------------------

/// A public signing key as published.
struct PublishedKey {
    std::string key_id;         ///< Hex SHA-256 of the public key.
    std::string official_name;  ///< Of the official who holds it, when it was created.
    std::string office;
    std::string public_key;                  ///< Raw 32 bytes.
    std::string valid_from;                  ///< RFC 3339 UTC: created.
    std::optional<std::string> valid_until;  ///< RFC 3339 UTC: revoked, if it was.
};

/// The claves.json format: {"algoritmo": "Ed25519", "claves": [{"id", "funcionario",
/// "oficina", "clave_publica" (base64), "desde", "hasta" (null while in force)}]}.
std::string PublishedKeysJson(std::span<const PublishedKey> keys);

/// Reads the claves.json format, checking that each id is the hash of its key.
/// Errors: kInvalid naming what is wrong.
[[nodiscard]] Result<std::vector<PublishedKey>> ParsePublishedKeys(std::string_view json);

/// ParsePublishedKeys() of a claves.json file (at most 4 MiB).
/// Errors: NotFound, kInternal (unreadable), kTooLarge, kInvalid (as ParsePublishedKeys).
[[nodiscard]] Result<std::vector<PublishedKey>> ReadPublishedKeysFile(
    const std::filesystem::path& file);

/// Every signing key ever created, in force or not, oldest first, read from `store`
/// directly (for the command line, which has no DocumentService).
[[nodiscard]] Result<std::vector<PublishedKey>> LoadPublishedKeys(store::Store& store);

// ---- Issued documents -------------------------------------------------------------------

struct IssuedDocument {
    std::string id;  ///< Random, 128 bits, hex; printed on the PDF and in its QR code.
    std::string case_number;
    std::string tramite_id;
    int tramite_version = 0;
    std::string document_type;  ///< Id in the trámite definition's documents.
    std::string title;          ///< Its name: "Constancia de ...".
    std::string office;
    std::string sha256;         ///< Hex SHA-256 of the PDF file as served.
    std::string signed_digest;  ///< Hex SHA-256 of the PDF with the signature zeroed.
    std::string signature;      ///< Raw Ed25519 signature, 64 bytes.
    std::string key_id;
    std::string issuer;       ///< Account id of the signing official.
    std::string issuer_name;  ///< Their name at the time of signing.
    std::string issued_at;    ///< RFC 3339 UTC.
    std::int64_t size = 0;
    std::optional<std::string> revoked_at;
    std::optional<std::string> revoked_by;
    std::optional<std::string> revocation_reason;
};

struct PdfFile {
    IssuedDocument document;
    std::string bytes;
};

enum class DocumentStatus { kValid, kRevoked, kUnknown };
/// "valido", "revocado", "desconocido".
std::string_view DocumentStatusName(DocumentStatus status);

/// What anyone may learn about a document from its id.
struct Verification {
    DocumentStatus status = DocumentStatus::kUnknown;
    std::string id;
    /// The rest is filled when the document is known.
    std::string title;
    std::string case_number;
    std::string tramite_name;
    std::string issuer_name;
    std::string office;
    std::string issued_at;
    std::string sha256;
    std::string key_id;
    std::optional<std::string> revoked_at;
    std::optional<std::string> revocation_reason;
    /// The stored signature checks out against the issuer's published key.
    bool signature_valid = false;
    /// VerifyBytes only: the SHA-256 of the file given, and whether it equals `sha256`.
    std::optional<std::string> given_sha256;
    std::optional<bool> matches;
};

// ---- Offline verification ---------------------------------------------------------------

enum class OfflineStatus {
    kValid,          ///< Signed by a published key that was in force on the date it carries.
    kNotSigned,      ///< No signature field (or more than one): not a document of this system.
    kUnknownKey,     ///< Signed with a key that is not among those given.
    kKeyNotInForce,  ///< The key was not in force on the document's date.
    kBadSignature,   ///< The file was changed after signing, or the signature is forged.
};
/// "valido", "sin_firma", "clave_desconocida", "clave_no_vigente", "firma_invalida".
std::string_view OfflineStatusName(OfflineStatus status);

struct OfflineVerification {
    OfflineStatus status = OfflineStatus::kNotSigned;
    std::string sha256;  ///< Of the file as given.
    /// From the signature field, when there is one.
    std::string document_id;
    std::string key_id;
    std::string issued_at;
    /// From the key, when it is among those given.
    std::string official_name;
    std::string office;
    /// One sentence in Spanish saying what was found.
    std::string message;
};

/// Several lines in Spanish for people: the outcome, the document id, date, signer and
/// file hash, and the reminder that revocation is known online only.
std::string OfflineReport(const OfflineVerification& result);

/// Checks `pdf` against `keys` without the server: finds the signature field, recomputes
/// the signed digest and verifies the Ed25519 signature with the key it names. Says
/// nothing about revocation of the document (only the server knows); see
/// docs/documentos.md. Pure; thread-safe.
OfflineVerification VerifyOffline(std::string_view pdf, std::span<const PublishedKey> keys);

/// VerifyOffline() of the PDF in `pdf_file` (at most 64 MiB): what
/// `ventanilla verify-document FILE.pdf [--claves claves.json]` runs.
/// Errors: NotFound, kInternal (unreadable), kTooLarge.
[[nodiscard]] Result<OfflineVerification> VerifyDocumentFile(const std::filesystem::path& pdf_file,
                                                             std::span<const PublishedKey> keys);

// ---- Definitions --------------------------------------------------------------------------

/// Checks that every {{placeholder}} of every document template of `d` names a form field,
/// an input of a transition that issues that document, or one of the data Issue() adds
/// (numero_expediente, tramite, fecha, funcionario, oficina, documento), so a definition
/// whose document could never be issued is refused when it is loaded. Pure.
/// Errors: kInvalid with one field per bad template, keyed by its JSON path
/// ("$.documentos[0].plantilla"), naming the unknown placeholder.
[[nodiscard]] Status CheckTemplates(const catalog::Definition& d);

// ---- The service ------------------------------------------------------------------------

/// The documents service. Thread-safe: every method may be called concurrently. Every
/// method blocks on the database or the disk; never call one on an I/O thread.
/// `store`, `registry`, `cases`, `clock` and `names` must outlive it.
///
/// Errors common to every method: kUnavailable / kStorageFull / kInternal from the store or
/// the disk.
class DocumentService {
public:
    /// Throws std::runtime_error when libmagic's database cannot be loaded (the server must
    /// not start without type checks).
    DocumentService(store::Store& store, const catalog::Registry& registry,
                    cases::CaseService& cases, const core::Clock& clock, const OfficialNames& names,
                    DocumentsOptions options = {});
    ~DocumentService();
    DocumentService(const DocumentService&) = delete;
    DocumentService& operator=(const DocumentService&) = delete;

    const DocumentsOptions& options() const;

    // ---- Uploads --------------------------------------------------------------------

    /// The rules of file field or requirement `field` of the current version of trámite
    /// `tramite_id`; with an empty `tramite_id`, the defaults. Errors: NotFound (trámite),
    /// kInvalid field "campo" (no file field or requirement by that id).
    [[nodiscard]] Result<UploadRules> RulesFor(std::string_view tramite_id,
                                               std::string_view field) const;

    /// Stores an upload by `owner` (kFileUpload). Checks the size first, then the type
    /// detected from the content. The same content uploaded again by the same owner returns
    /// the first upload (existing = true); the file is kept once on disk whoever uploads it.
    /// Errors: kTooLarge (code "upload-too-large"), kUnsupportedMedia (code
    /// "upload-type-not-accepted", naming the detected and the accepted types), kInvalid
    /// (empty file), kForbidden / kUnauthenticated (policy).
    [[nodiscard]] Result<Upload> StoreUpload(const core::Actor& owner, std::string_view bytes,
                                             std::string_view declared_name,
                                             const UploadRules& rules);

    /// An upload with its bytes, if `actor` may see it (kFileView): its owner; or, when
    /// `case_number` names a case that `actor` can see and whose answers or transition
    /// inputs reference the upload ({"documento": id}), the officials of that case's office
    /// and the representatives of its organization. Errors: NotFound otherwise, exactly as
    /// for an id that does not exist; kInternal (code "file-corrupt") when the file on disk
    /// no longer matches its hash.
    [[nodiscard]] Result<StoredFile> OpenUpload(
        const core::Actor& actor, std::string_view id,
        std::optional<std::string_view> case_number = std::nullopt);

    // ---- Signing keys ---------------------------------------------------------------

    /// The key in force of `official` (an official with role `firma`, kDocumentIssue on
    /// their own office), created if they have none. Errors: kForbidden; NotFound (no name
    /// for the account, from OfficialNames); kInternal (server key file unreadable, or with
    /// permissions wider than 0600).
    [[nodiscard]] Result<PublishedKey> EnsureSigningKey(const core::Actor& official);

    /// Revokes a signing key (kAdminManage): documents signed before stay valid, the key
    /// signs nothing more, and the official gets a new key at their next signature.
    /// Errors: NotFound; kConflict "key-revoked" when it already was.
    [[nodiscard]] Status RevokeSigningKey(const core::Actor& actor, std::string_view key_id);

    /// Every key ever created, in force or not, oldest first. Public.
    [[nodiscard]] Result<std::vector<PublishedKey>> PublishedKeys();

    // ---- Issuing ----------------------------------------------------------------------

    /// Renders document `document_id` of definition `d` for case `c`, signs it with
    /// `signer`'s key, stores the PDF and records the document and its audit entry in one
    /// transaction. Only an official with role `firma` of the case's office may
    /// (kDocumentIssue). The template's {{placeholders}} are filled from `inputs` (the
    /// transition's), then the case's answers, then: numero_expediente, tramite, fecha,
    /// funcionario, oficina, documento. Answers are written as people read them (dates
    /// in words, amounts in quetzales, option labels, Sí/No).
    /// REQUIRES: `d` is the definition `c` was filed under.
    /// A case has at most one document of each type in force: issuing it again requires
    /// revoking the first.
    /// Errors: kForbidden / kUnauthenticated; kInvalid (d is not c's definition; unknown
    /// document id; code "template-placeholder-unknown" naming a placeholder that is
    /// neither a field nor one of those above; text too long); NotFound (signer's name);
    /// kConflict "document-already-issued".
    [[nodiscard]] Result<IssuedDocument> Issue(const core::Actor& signer, const cases::Case& c,
                                               const catalog::Definition& d,
                                               const std::string& document_id,
                                               const boost::json::object& inputs);

    /// Issue() for the case numbered `case_number` as `signer` sees it, under the definition
    /// it was filed with, with the inputs of the latest transition taken that issues
    /// `document_id`: how a signatory signs a document that a transition taken by someone
    /// else made due. Errors: those of Issue(); NotFound (case not visible to `signer`, as
    /// cases::CaseService::Get); kForbidden (`signer` may not issue for the case's office,
    /// checked before anything else is said about the case); kConflict "document-not-due"
    /// when no transition that issues it has been taken.
    [[nodiscard]] Result<IssuedDocument> IssueForCase(const core::Actor& signer,
                                                      std::string_view case_number,
                                                      const std::string& document_id);

    /// What the transition just taken on `c` issues, signed by `actor` who took it: when the
    /// case's latest event is a transition whose definition names a document (`emite`) and
    /// `actor` may sign it (kDocumentIssue on the case's office), Issue() with that event's
    /// inputs. Nothing (nullopt) when the transition issues no document, or when `actor`
    /// may not sign: the document then waits for a signatory (IssueForCase()).
    /// REQUIRES: `c` is the case as cases::CaseService::Transition returned it to `actor`.
    /// Errors: those of Issue().
    [[nodiscard]] Result<std::optional<IssuedDocument>> IssueAfterTransition(
        const core::Actor& actor, const cases::Case& c);

    /// Revokes a document (kDocumentRevoke: `firma` or `jefe` of its office) with a reason
    /// that verification shows. Errors: NotFound; kForbidden; kInvalid field "motivo"
    /// (empty or longer than 500 characters); kConflict "document-revoked" when it was.
    [[nodiscard]] Result<IssuedDocument> Revoke(const core::Actor& actor, std::string_view id,
                                                std::string_view reason);

    /// The PDF as issued, for those who may see its case (cases::CaseService::Get).
    /// Errors: NotFound (unknown id, or the case is not visible to `actor`);
    /// kUnauthenticated for an anonymous actor; kInternal "file-corrupt".
    [[nodiscard]] Result<PdfFile> OpenPdf(const core::Actor& actor, std::string_view id);

    /// The documents issued for a case, oldest first, for those who may see the case.
    /// Errors: as cases::CaseService::Get.
    [[nodiscard]] Result<std::vector<IssuedDocument>> ListForCase(const core::Actor& actor,
                                                                  std::string_view case_number);

    // ---- Verification (public) ----------------------------------------------------------

    /// Valid, revoked or unknown (an id of the wrong shape is unknown), with who issued it
    /// and when. Never NotFound.
    [[nodiscard]] Result<Verification> Verify(std::string_view id);

    /// Verify() plus whether `pdf` is exactly the file issued.
    [[nodiscard]] Result<Verification> VerifyBytes(std::string_view id, std::string_view pdf);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The tables `ventanilla audit verify` checks for this module: uploads (key: id),
/// signing_keys (key: key id) and issued_documents (key: id), each row hash computed as the
/// entries that wrote it.
std::vector<audit::CoveredTable> AuditCoverage();

}  // namespace vt::documents
