#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <mutex>

#include "content_type.hpp"
#include "file_store.hpp"
#include "pdf.hpp"
#include "rows.hpp"
#include "sealing_key.hpp"
#include "signature.hpp"
#include "template.hpp"
#include "vt/audit/audit.hpp"
#include "vt/core/date.hpp"
#include "vt/core/random.hpp"
#include "vt/documents/documents.hpp"
#include "vt/identity/policy.hpp"

namespace vt::documents {

namespace json = boost::json;
using identity::Action;
using store::Tx;
using store::Value;

namespace {

constexpr std::size_t kMaxReasonCodePoints = 500;
constexpr std::size_t kMaxNameBytes = 200;

Error DocumentNotFound() { return Error::NotFound("El documento no existe."); }
Error UploadNotFound() { return Error::NotFound("El archivo no existe."); }
Error AlreadyIssued() {
    return Error::Conflict(
        "document-already-issued",
        "El expediente ya tiene este documento vigente; revóquelo para emitir otro.");
}

// Ids of uploads and documents: 32 lowercase hex digits.
bool IsId(std::string_view s) {
    if (s.size() != 32) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::string HumanSize(std::int64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    if (bytes < 1024 * 1024) return std::to_string((bytes + 1023) / 1024) + " KB";
    std::int64_t tenths = (bytes * 10 + 1024 * 1024 - 1) / (1024 * 1024);
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}

std::size_t CodePoints(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

std::string_view TrimSpaces(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// The declared file name as kept: its last path component, without control characters,
// valid UTF-8, at most kMaxNameBytes bytes.
std::string CleanName(std::string_view declared) {
    std::size_t slash = declared.find_last_of("/\\");
    if (slash != std::string_view::npos) declared.remove_prefix(slash + 1);
    std::string out;
    std::size_t i = 0;
    while (i < declared.size()) {
        auto b = static_cast<unsigned char>(declared[i]);
        std::size_t len = b < 0x80             ? 1
                          : (b & 0xE0) == 0xC0 ? 2
                          : (b & 0xF0) == 0xE0 ? 3
                          : (b & 0xF8) == 0xF0 ? 4
                                               : 0;
        bool valid = len > 0 && i + len <= declared.size();
        for (std::size_t k = 1; valid && k < len; ++k)
            valid = (static_cast<unsigned char>(declared[i + k]) & 0xC0) == 0x80;
        if (!valid) {
            ++i;
            continue;
        }
        if (len == 1 && (b < 0x20 || b == 0x7F || b == '"')) {
            ++i;
            continue;
        }
        if (out.size() + len > kMaxNameBytes) break;
        out.append(declared.substr(i, len));
        i += len;
    }
    std::string_view trimmed = TrimSpaces(out);
    if (trimmed.empty() || trimmed == "." || trimmed == "..") return "archivo";
    return std::string(trimmed);
}

// Whether `v` holds {"documento": id} anywhere: how file answers reference an upload.
bool References(const json::value& v, std::string_view id) {
    if (const json::object* o = v.if_object()) {
        if (const json::value* d = o->if_contains("documento");
            d && d->is_string() && d->as_string() == id)
            return true;
        for (const auto& kv : *o) {
            if (References(kv.value(), id)) return true;
        }
    } else if (const json::array* a = v.if_array()) {
        for (const json::value& item : *a) {
            if (References(item, id)) return true;
        }
    }
    return false;
}

bool CaseReferences(const cases::Case& c, std::string_view id) {
    if (References(c.answers, id)) return true;
    for (const cases::CaseEvent& e : c.events) {
        if (References(e.inputs, id)) return true;
    }
    return false;
}

// The file fields of a form, groups included.
const catalog::Field* FindFileField(const std::vector<catalog::Field>& fields,
                                    std::string_view id) {
    for (const catalog::Field& f : fields) {
        if (f.id == id && f.type == catalog::FieldType::kFile) return &f;
        if (f.type == catalog::FieldType::kGroup) {
            if (const catalog::Field* inner = FindFileField(f.fields, id)) return inner;
        }
    }
    return nullptr;
}

// The fields whose answers or inputs a document's template may name: the form's, and the
// inputs of the transitions that issue it.
std::map<std::string, const catalog::Field*, std::less<>> TemplateFields(
    const catalog::Definition& d, const std::string& document_id) {
    std::map<std::string, const catalog::Field*, std::less<>> fields;
    for (const catalog::Field& f : d.form) fields.emplace(f.id, &f);
    for (const catalog::Transition& t : d.workflow.transitions) {
        if (t.issues != document_id) continue;
        for (const catalog::Field& f : t.inputs) fields.emplace(f.id, &f);
    }
    return fields;
}

// The placeholders every template may use besides fields; Issue() fills them.
constexpr std::string_view kBuiltinPlaceholders[] = {"numero_expediente", "tramite", "fecha",
                                                     "funcionario",       "oficina", "documento"};

}  // namespace

Status CheckTemplates(const catalog::Definition& d) {
    Error bad = Error::Invalid("Las plantillas de " + d.id + " nombran datos que no existen.");
    for (std::size_t i = 0; i < d.documents.size(); ++i) {
        const catalog::IssuedDocument& doc = d.documents[i];
        const auto fields = TemplateFields(d, doc.id);
        auto known = [&](std::string_view name) -> std::optional<std::string> {
            bool builtin = std::find(std::begin(kBuiltinPlaceholders),
                                     std::end(kBuiltinPlaceholders),
                                     name) != std::end(kBuiltinPlaceholders);
            if (builtin || fields.contains(name)) return std::string();
            return std::nullopt;
        };
        auto filled = FillTemplate(doc.template_text, known);
        if (!filled.ok()) {
            bad.WithField("$.documentos[" + std::to_string(i) + "].plantilla",
                          filled.error().message());
        }
    }
    if (!bad.fields().empty()) return bad;
    return Ok();
}

struct DocumentService::Impl {
    Impl(store::Store& store, const catalog::Registry& registry, cases::CaseService& cases,
         const core::Clock& clock, const OfficialNames& names, DocumentsOptions options)
        : store(store),
          registry(registry),
          cases(cases),
          clock(clock),
          names(names),
          options(std::move(options)),
          uploads(this->options.data_dir / "uploads"),
          pdfs(this->options.data_dir / "documents", ".pdf") {}

    store::Store& store;
    const catalog::Registry& registry;
    cases::CaseService& cases;
    const core::Clock& clock;
    const OfficialNames& names;
    const DocumentsOptions options;
    const TypeDetector detector;
    const ContentStore uploads;
    const ContentStore pdfs;

    std::mutex key_mu;
    std::optional<SealingKey> sealing;  // GUARDED_BY(key_mu); loaded at first use

    Result<SealingKey> Sealing() {
        std::lock_guard lock(key_mu);
        if (!sealing) {
            VT_ASSIGN_OR_RETURN(SealingKey k, SealingKey::LoadOrCreate(options.data_dir / "keys" /
                                                                       "documents.key"));
            sealing.emplace(std::move(k));
        }
        return *sealing;
    }

    Result<std::optional<Upload>> FindUpload(Tx& tx, std::string_view sql,
                                             std::initializer_list<Value> params) {
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query(std::string("SELECT ") + kUploadColumns + std::string(sql), params));
        if (rows.empty()) return std::optional<Upload>();
        return std::optional<Upload>(ReadUpload(rows[0]));
    }

    Result<std::optional<KeyRow>> FindKey(Tx& tx, std::string_view where,
                                          const std::string& value) {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query(std::string("SELECT ") + kKeyColumns +
                                         " FROM signing_keys WHERE " + std::string(where),
                                     {Value{value}}));
        if (rows.empty()) return std::optional<KeyRow>();
        return std::optional<KeyRow>(ReadKey(rows[0]));
    }

    Result<std::optional<IssuedDocument>> FindDocument(Tx& tx, const std::string& id) {
        VT_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(std::string("SELECT ") + kDocumentColumns +
                                                           " FROM issued_documents WHERE id = $1",
                                                       {Value{id}}));
        if (rows.empty()) return std::optional<IssuedDocument>();
        return std::optional<IssuedDocument>(ReadDocument(rows[0]));
    }

    // Whether the case has a document of this type in force.
    Result<bool> InForce(const std::string& case_number, const std::string& document_type) {
        bool found = false;
        VT_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(store::Rows rows,
                                tx.Query("SELECT id FROM issued_documents WHERE case_number = $1 "
                                         "AND document_type = $2 AND revoked_at IS NULL",
                                         {Value{case_number}, Value{document_type}}));
            found = !rows.empty();
            return Ok();
        }));
        return found;
    }

    Result<std::optional<IssuedDocument>> LoadDocument(std::string_view id) {
        std::optional<IssuedDocument> found;
        if (!IsId(id)) return found;
        VT_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(found, FindDocument(tx, std::string(id)));
            return Ok();
        }));
        return found;
    }

    // The key in force of `official`, created when there is none.
    Result<KeyRow> ActiveKey(const core::Actor& official) {
        VT_RETURN_IF_ERROR(
            identity::Authorize(official, Action::kDocumentIssue, {.office = official.office}));
        auto read_active = [&]() -> Result<std::optional<KeyRow>> {
            std::optional<KeyRow> found;
            VT_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
                VT_ASSIGN_OR_RETURN(
                    found, FindKey(tx, "account_id = $1 AND revoked_at IS NULL", official.id));
                return Ok();
            }));
            return found;
        };
        VT_ASSIGN_OR_RETURN(std::optional<KeyRow> active, read_active());
        if (active) return std::move(*active);

        VT_ASSIGN_OR_RETURN(std::string name, names.NameOf(official.id));
        VT_ASSIGN_OR_RETURN(SealingKey sealing_key, Sealing());
        std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
        std::string secret_key(crypto_sign_SECRETKEYBYTES, '\0');
        crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                            reinterpret_cast<unsigned char*>(secret_key.data()));
        KeyRow row;
        row.published.key_id = KeyId(public_key);
        row.published.official_name = name;
        row.published.office = official.office;
        row.published.public_key = public_key;
        row.published.valid_from = core::FormatUtc(clock.Now());
        row.account_id = official.id;
        row.sealed_secret_key = sealing_key.Seal(secret_key);
        sodium_memzero(secret_key.data(), secret_key.size());

        Status written = store.Write([&](Tx& tx) -> Status {
            VT_RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO signing_keys (id, account_id, official_name, office, public_key, "
                "sealed_secret_key, "
                "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {Value{row.published.key_id}, Value{row.account_id},
                 Value{row.published.official_name}, Value{row.published.office},
                 Value{store::Blob{row.published.public_key}},
                 Value{store::Blob{row.sealed_secret_key}}, Value{row.published.valid_from}}));
            VT_RETURN_IF_ERROR(audit::Append(
                tx,
                {official.AuditName(), "signing_key.created", "signing_key", row.published.key_id,
                 row.published.valid_from, audit::Sha256Hex(KeyRowJson(row))}));
            return Ok();
        });
        if (written.ok()) return row;
        // Another request created the official's key first: use that one.
        if (written.error().kind() == ErrorKind::kConflict) {
            VT_ASSIGN_OR_RETURN(std::optional<KeyRow> winner, read_active());
            if (winner) return std::move(*winner);
        }
        return std::move(written).error();
    }
};

DocumentService::DocumentService(store::Store& store, const catalog::Registry& registry,
                                 cases::CaseService& cases, const core::Clock& clock,
                                 const OfficialNames& names, DocumentsOptions options)
    : impl_(std::make_unique<Impl>(store, registry, cases, clock, names, std::move(options))) {}

DocumentService::~DocumentService() = default;

const DocumentsOptions& DocumentService::options() const { return impl_->options; }

// ---- Uploads --------------------------------------------------------------------------

Result<UploadRules> DocumentService::RulesFor(std::string_view tramite_id,
                                              std::string_view field) const {
    if (tramite_id.empty()) return UploadRules{};
    const catalog::Definition* d = impl_->registry.Current(tramite_id);
    if (!d) return Error::NotFound("El trámite no existe.");
    if (const catalog::Field* f = FindFileField(d->form, field))
        return UploadRules{f->accepted_types, f->max_bytes};
    for (const catalog::Requirement& r : d->requirements) {
        if (r.id == field) return UploadRules{r.accepted_types, r.max_bytes};
    }
    return Error::Invalid(
        "Revise el campo del archivo.",
        {{"campo", "El trámite no pide un archivo con ese nombre: " + std::string(field)}});
}

Result<Upload> DocumentService::StoreUpload(const core::Actor& owner, std::string_view bytes,
                                            std::string_view declared_name,
                                            const UploadRules& rules) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(identity::Authorize(owner, Action::kFileUpload, {.owner = owner.id}));
    std::int64_t limit = rules.max_bytes > 0 ? rules.max_bytes : s.options.default_upload_bytes;
    limit = std::min(limit, s.options.max_upload_bytes);
    if (static_cast<std::int64_t>(bytes.size()) > limit) {
        return Error(ErrorKind::kTooLarge, "upload-too-large",
                     "El archivo pesa " + HumanSize(static_cast<std::int64_t>(bytes.size())) +
                         "; el máximo es " + HumanSize(limit) + ".");
    }
    if (bytes.empty())
        return Error::Invalid("El archivo está vacío.", {{"archivo", "El archivo está vacío."}});

    const std::vector<std::string>& accepted =
        rules.accepted_types.empty() ? s.options.default_accepted_types : rules.accepted_types;
    VT_ASSIGN_OR_RETURN(std::string detected, s.detector.Detect(bytes));
    if (!TypeAccepted(detected, accepted)) {
        std::string list;
        for (const std::string& a : accepted) list += (list.empty() ? "" : ", ") + a;
        return Error(
            ErrorKind::kUnsupportedMedia, "upload-type-not-accepted",
            "El contenido del archivo es de tipo " + detected + "; se aceptan: " + list + ".");
    }

    VT_ASSIGN_OR_RETURN(std::string sha, s.uploads.Put(bytes));
    Upload upload;
    upload.sha256 = sha;
    upload.size = static_cast<std::int64_t>(bytes.size());
    upload.mime_type = detected;
    upload.original_name = CleanName(declared_name);
    upload.owner = owner.id;

    auto find_existing = [&](Tx& tx) {
        return s.FindUpload(tx, " FROM uploads WHERE owner = $1 AND sha256 = $2",
                            {Value{owner.id}, Value{sha}});
    };
    std::optional<Upload> existing;
    Status written = s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(existing, find_existing(tx));
        if (existing) return Ok();
        upload.id = core::RandomHex(16);
        upload.created_at = core::FormatUtc(s.clock.Now());
        VT_RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO uploads (" + std::string(kUploadColumns) +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {Value{upload.id}, Value{upload.sha256}, Value{upload.size}, Value{upload.mime_type},
             Value{upload.original_name}, Value{upload.owner}, Value{upload.created_at}}));
        VT_RETURN_IF_ERROR(
            audit::Append(tx, {owner.AuditName(), "upload.stored", "upload", upload.id,
                               upload.created_at, audit::Sha256Hex(UploadRowJson(upload))}));
        return Ok();
    });
    if (!written.ok() && written.error().kind() == ErrorKind::kConflict) {
        // The same owner uploaded the same content at the same moment: one row won.
        written = s.store.Read([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(existing, find_existing(tx));
            return existing ? Ok()
                            : Status(Error::Internal("la carga concurrente no quedó registrada"));
        });
    }
    VT_RETURN_IF_ERROR(written);
    if (existing) {
        existing->existing = true;
        return std::move(*existing);
    }
    return upload;
}

Result<StoredFile> DocumentService::OpenUpload(const core::Actor& actor, std::string_view id,
                                               std::optional<std::string_view> case_number) {
    Impl& s = *impl_;
    if (actor.kind == core::Actor::Kind::kAnonymous) {
        VT_RETURN_IF_ERROR(identity::Authorize(actor, Action::kFileView, {}));
    }
    if (!IsId(id)) return UploadNotFound();
    std::optional<Upload> upload;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            upload, s.FindUpload(tx, " FROM uploads WHERE id = $1", {Value{std::string(id)}}));
        return Ok();
    }));
    if (!upload) return UploadNotFound();
    identity::Resource resource{.owner = upload->owner};
    if (identity::Decide(actor, Action::kFileView, resource) != identity::Decision::kAllow) {
        if (!case_number) return UploadNotFound();
        auto c = s.cases.Get(actor, *case_number);
        if (!c.ok()) {
            if (c.error().kind() == ErrorKind::kNotFound ||
                c.error().kind() == ErrorKind::kForbidden)
                return UploadNotFound();
            return std::move(c).error();
        }
        if (!CaseReferences(*c, id)) return UploadNotFound();
        resource.office = c->office;
        resource.organization = c->organization.value_or("");
        if (identity::Decide(actor, Action::kFileView, resource) != identity::Decision::kAllow)
            return UploadNotFound();
    }
    VT_ASSIGN_OR_RETURN(std::string bytes, s.uploads.Get(upload->sha256, upload->size));
    return StoredFile{std::move(*upload), std::move(bytes)};
}

// ---- Signing keys -----------------------------------------------------------------------

Result<PublishedKey> DocumentService::EnsureSigningKey(const core::Actor& official) {
    VT_ASSIGN_OR_RETURN(KeyRow row, impl_->ActiveKey(official));
    return std::move(row.published);
}

Status DocumentService::RevokeSigningKey(const core::Actor& actor, std::string_view key_id) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(identity::Authorize(actor, Action::kAdminManage, {}));
    std::string id(key_id);
    std::string now = core::FormatUtc(s.clock.Now());
    return s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(std::int64_t changed,
                            tx.Exec("UPDATE signing_keys SET revoked_at = $2, revoked_by = $3 "
                                    "WHERE id = $1 AND revoked_at IS NULL",
                                    {Value{id}, Value{now}, Value{actor.AuditName()}}));
        VT_ASSIGN_OR_RETURN(std::optional<KeyRow> row, s.FindKey(tx, "id = $1", id));
        if (!row) return Error::NotFound("La clave de firma no existe.");
        if (changed == 0)
            return Error::Conflict("key-revoked", "La clave de firma ya estaba revocada.");
        VT_RETURN_IF_ERROR(
            audit::Append(tx, {actor.AuditName(), "signing_key.revoked", "signing_key", id, now,
                               audit::Sha256Hex(KeyRowJson(*row))}));
        return Ok();
    });
}

Result<std::vector<PublishedKey>> DocumentService::PublishedKeys() {
    return LoadPublishedKeys(impl_->store);
}

Result<std::vector<PublishedKey>> LoadPublishedKeys(store::Store& store) {
    std::vector<PublishedKey> out;
    VT_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query(std::string("SELECT ") + kKeyColumns +
                                     " FROM signing_keys ORDER BY created_at, id"));
        for (const store::Row& r : rows) out.push_back(ReadKey(r).published);
        return Ok();
    }));
    return out;
}

// ---- Issuing ------------------------------------------------------------------------------

Result<IssuedDocument> DocumentService::Issue(const core::Actor& signer, const cases::Case& c,
                                              const catalog::Definition& d,
                                              const std::string& document_id,
                                              const json::object& inputs) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(identity::Authorize(signer, Action::kDocumentIssue, {.office = c.office}));
    if (d.id != c.tramite_id || d.version != c.tramite_version)
        return Error::Invalid("La definición no es la del trámite del expediente.");
    const catalog::IssuedDocument* spec = nullptr;
    for (const catalog::IssuedDocument& doc : d.documents) {
        if (doc.id == document_id) spec = &doc;
    }
    if (!spec) {
        return Error::Invalid(
            "Revise el documento.",
            {{"documento", "El trámite no emite un documento llamado " + document_id + "."}});
    }

    VT_ASSIGN_OR_RETURN(bool in_force, s.InForce(c.number, spec->id));
    if (in_force) return AlreadyIssued();

    VT_ASSIGN_OR_RETURN(KeyRow key, s.ActiveKey(signer));
    VT_ASSIGN_OR_RETURN(std::string issuer_name, s.names.NameOf(signer.id));

    const auto now = s.clock.Now();
    IssuedDocument doc;
    doc.id = core::RandomHex(16);
    doc.case_number = c.number;
    doc.tramite_id = d.id;
    doc.tramite_version = d.version;
    doc.document_type = spec->id;
    doc.title = spec->name;
    doc.office = c.office;
    doc.key_id = key.published.key_id;
    doc.issuer = signer.id;
    doc.issuer_name = issuer_name;
    doc.issued_at = core::FormatUtc(now);
    const std::string issued_on = core::SpanishLongDate(core::GuatemalaDate(now));

    // Placeholders: the transition's inputs, then the answers, then the document's own data.
    const auto fields = TemplateFields(d, spec->id);
    const std::map<std::string, std::string, std::less<>> builtins = {
        {"numero_expediente", c.number}, {"tramite", d.name},   {"fecha", issued_on},
        {"funcionario", issuer_name},    {"oficina", c.office}, {"documento", doc.id},
    };
    auto lookup = [&](std::string_view name) -> std::optional<std::string> {
        auto field = fields.find(name);
        const catalog::Field* f = field == fields.end() ? nullptr : field->second;
        if (const json::value* v = inputs.if_contains(name)) return catalog::AnswerText(f, *v);
        if (const json::value* v = c.answers.if_contains(name)) return catalog::AnswerText(f, *v);
        if (auto b = builtins.find(name); b != builtins.end()) return b->second;
        if (f) return std::string();  // a field left unanswered
        return std::nullopt;
    };
    VT_ASSIGN_OR_RETURN(std::string body, FillTemplate(spec->template_text, lookup));
    if (body.size() > s.options.max_document_text) {
        return Error::Invalid("El texto del documento es demasiado largo (" +
                              std::to_string(body.size()) + " bytes; máximo " +
                              std::to_string(s.options.max_document_text) + ").");
    }

    PdfContent content;
    content.id = doc.id;
    content.title = doc.title;
    content.case_number = c.number;
    content.tramite_name = d.name;
    content.office = c.office;
    content.body = std::move(body);
    content.issuer_name = issuer_name;
    content.issued_at = doc.issued_at;
    content.issued_on = issued_on;
    content.verification_url = s.options.public_url + "/verificar/" + doc.id;
    content.signature_field = UnsignedSignatureField(doc.id, doc.key_id, doc.issued_at);
    VT_ASSIGN_OR_RETURN(std::string unsigned_pdf, RenderPdf(content));
    auto field = FindSignature(unsigned_pdf);
    if (!field.ok()) return Error::Internal("El PDF generado no tiene un único campo de firma.");

    VT_ASSIGN_OR_RETURN(SealingKey sealing_key, s.Sealing());
    VT_ASSIGN_OR_RETURN(std::string secret_key, sealing_key.Open(key.sealed_secret_key));
    // The sealed key must be the one whose public half is published for this row.
    std::string derived(crypto_sign_PUBLICKEYBYTES, '\0');
    if (secret_key.size() != crypto_sign_SECRETKEYBYTES ||
        crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(derived.data()),
                                     reinterpret_cast<const unsigned char*>(secret_key.data())) !=
            0 ||
        derived != key.published.public_key) {
        sodium_memzero(secret_key.data(), secret_key.size());
        return Error(ErrorKind::kInternal, "sealed-key-invalid",
                     "La llave de firma guardada no corresponde a su clave pública.");
    }
    doc.signed_digest = audit::Sha256Hex(unsigned_pdf);
    doc.signature = Sign(secret_key, SignedMessage(doc.signed_digest));
    sodium_memzero(secret_key.data(), secret_key.size());
    std::string pdf = FillSignature(unsigned_pdf, field->signature_offset, doc.signature);
    doc.size = static_cast<std::int64_t>(pdf.size());
    VT_ASSIGN_OR_RETURN(doc.sha256, s.pdfs.Put(pdf));

    Status written = s.store.Write([&](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO issued_documents (" + std::string(kDocumentColumns) +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL, "
                "NULL, NULL)",
            {Value{doc.id}, Value{doc.case_number}, Value{doc.tramite_id},
             Value{std::int64_t{doc.tramite_version}}, Value{doc.document_type}, Value{doc.title},
             Value{doc.office}, Value{doc.sha256}, Value{doc.signed_digest},
             Value{store::Blob{doc.signature}}, Value{doc.key_id}, Value{doc.issuer},
             Value{doc.issuer_name}, Value{doc.issued_at}, Value{doc.size}}));
        VT_RETURN_IF_ERROR(
            audit::Append(tx, {signer.AuditName(), "document.issued", "document", doc.id,
                               doc.issued_at, audit::Sha256Hex(DocumentRowJson(doc))}));
        return Ok();
    });
    if (!written.ok() && written.error().kind() == ErrorKind::kConflict) {
        // Someone issued the same document for the case meanwhile.
        VT_ASSIGN_OR_RETURN(bool in_force, s.InForce(c.number, spec->id));
        if (in_force) return AlreadyIssued();
    }
    VT_RETURN_IF_ERROR(written);
    return doc;
}

Result<IssuedDocument> DocumentService::IssueForCase(const core::Actor& signer,
                                                     std::string_view case_number,
                                                     const std::string& document_id) {
    Impl& s = *impl_;
    VT_ASSIGN_OR_RETURN(cases::Case c, s.cases.Get(signer, case_number));
    // Only a signatory learns whether the document is due.
    VT_RETURN_IF_ERROR(identity::Authorize(signer, Action::kDocumentIssue, {.office = c.office}));
    const catalog::Definition* d = s.registry.Find(c.tramite_id, c.tramite_version);
    if (!d) return Error::Internal("Falta la definición del trámite " + c.tramite_id);
    // The latest transition taken that issues this document supplies its inputs.
    const cases::CaseEvent* due = nullptr;
    for (const cases::CaseEvent& e : c.events) {
        const catalog::Transition* t =
            e.kind == "transicion" ? d->workflow.FindTransition(e.transition) : nullptr;
        if (t && t->issues == document_id) due = &e;
    }
    if (!due) {
        return Error::Conflict("document-not-due",
                               "El expediente aún no ha llegado al paso que emite este documento.");
    }
    return Issue(signer, c, *d, document_id, due->inputs);
}

Result<std::optional<IssuedDocument>> DocumentService::IssueAfterTransition(
    const core::Actor& actor, const cases::Case& c) {
    Impl& s = *impl_;
    if (c.events.empty() || c.events.back().kind != "transicion") return std::optional<IssuedDocument>();
    const cases::CaseEvent& taken = c.events.back();
    const catalog::Definition* d = s.registry.Find(c.tramite_id, c.tramite_version);
    if (!d) return Error::Internal("Falta la definición del trámite " + c.tramite_id);
    const catalog::Transition* t = d->workflow.FindTransition(taken.transition);
    if (!t || !t->issues) return std::optional<IssuedDocument>();
    if (identity::Decide(actor, Action::kDocumentIssue, {.office = c.office}) !=
        identity::Decision::kAllow)
        return std::optional<IssuedDocument>();
    VT_ASSIGN_OR_RETURN(IssuedDocument doc, Issue(actor, c, *d, *t->issues, taken.inputs));
    return std::optional<IssuedDocument>(std::move(doc));
}

Result<IssuedDocument> DocumentService::Revoke(const core::Actor& actor, std::string_view id,
                                               std::string_view reason_text) {
    Impl& s = *impl_;
    std::string reason(TrimSpaces(reason_text));
    if (reason.empty() || CodePoints(reason) > kMaxReasonCodePoints) {
        return Error::Invalid(
            "Revise el motivo.",
            {{"motivo", "Indique el motivo de la revocación (hasta 500 caracteres)."}});
    }
    VT_ASSIGN_OR_RETURN(std::optional<IssuedDocument> found, s.LoadDocument(id));
    if (!found) return DocumentNotFound();
    VT_RETURN_IF_ERROR(
        identity::Authorize(actor, Action::kDocumentRevoke, {.office = found->office}));
    std::string now = core::FormatUtc(s.clock.Now());
    std::optional<IssuedDocument> revoked;
    VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            std::int64_t changed,
            tx.Exec("UPDATE issued_documents SET revoked_at = $2, revoked_by = $3, "
                    "revocation_reason = $4 WHERE id = $1 AND revoked_at IS NULL",
                    {Value{found->id}, Value{now}, Value{actor.AuditName()}, Value{reason}}));
        if (changed == 0)
            return Error::Conflict("document-revoked", "El documento ya estaba revocado.");
        VT_ASSIGN_OR_RETURN(revoked, s.FindDocument(tx, found->id));
        if (!revoked) return DocumentNotFound();
        VT_RETURN_IF_ERROR(
            audit::Append(tx, {actor.AuditName(), "document.revoked", "document", found->id, now,
                               audit::Sha256Hex(DocumentRowJson(*revoked))}));
        return Ok();
    }));
    return std::move(*revoked);
}

Result<PdfFile> DocumentService::OpenPdf(const core::Actor& actor, std::string_view id) {
    Impl& s = *impl_;
    if (actor.kind == core::Actor::Kind::kAnonymous) {
        VT_RETURN_IF_ERROR(identity::Authorize(actor, Action::kCaseView, {}));
    }
    VT_ASSIGN_OR_RETURN(std::optional<IssuedDocument> found, s.LoadDocument(id));
    if (!found) return DocumentNotFound();
    auto c = s.cases.Get(actor, found->case_number);
    if (!c.ok()) {
        if (c.error().kind() == ErrorKind::kNotFound || c.error().kind() == ErrorKind::kForbidden)
            return DocumentNotFound();
        return std::move(c).error();
    }
    VT_ASSIGN_OR_RETURN(std::string bytes, s.pdfs.Get(found->sha256, found->size));
    return PdfFile{std::move(*found), std::move(bytes)};
}

Result<std::vector<IssuedDocument>> DocumentService::ListForCase(const core::Actor& actor,
                                                                 std::string_view case_number) {
    Impl& s = *impl_;
    VT_ASSIGN_OR_RETURN(cases::Case c, s.cases.Get(actor, case_number));
    std::vector<IssuedDocument> out;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query(std::string("SELECT ") + kDocumentColumns +
                         " FROM issued_documents WHERE case_number = $1 ORDER BY issued_at, id",
                     {Value{c.number}}));
        for (const store::Row& r : rows) out.push_back(ReadDocument(r));
        return Ok();
    }));
    return out;
}

// ---- Verification -------------------------------------------------------------------------

Result<Verification> DocumentService::Verify(std::string_view id) {
    Impl& s = *impl_;
    Verification v;
    v.id = std::string(id);
    if (!IsId(id)) return v;
    std::optional<IssuedDocument> doc;
    std::optional<KeyRow> key;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(doc, s.FindDocument(tx, v.id));
        if (!doc) return Ok();
        VT_ASSIGN_OR_RETURN(key, s.FindKey(tx, "id = $1", doc->key_id));
        return Ok();
    }));
    if (!doc) return v;
    v.status = doc->revoked_at ? DocumentStatus::kRevoked : DocumentStatus::kValid;
    v.title = doc->title;
    v.case_number = doc->case_number;
    const catalog::Definition* d = s.registry.Find(doc->tramite_id, doc->tramite_version);
    v.tramite_name = d ? d->name : doc->tramite_id;
    v.issuer_name = doc->issuer_name;
    v.office = doc->office;
    v.issued_at = doc->issued_at;
    v.sha256 = doc->sha256;
    v.key_id = doc->key_id;
    v.revoked_at = doc->revoked_at;
    v.revocation_reason = doc->revocation_reason;
    v.signature_valid = key && VerifySignature(key->published.public_key,
                                               SignedMessage(doc->signed_digest), doc->signature);
    return v;
}

Result<Verification> DocumentService::VerifyBytes(std::string_view id, std::string_view pdf) {
    VT_ASSIGN_OR_RETURN(Verification v, Verify(id));
    v.given_sha256 = audit::Sha256Hex(pdf);
    if (v.status != DocumentStatus::kUnknown) v.matches = *v.given_sha256 == v.sha256;
    return v;
}

}  // namespace vt::documents
