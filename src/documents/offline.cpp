// Verification without the server: the signature field of the PDF against published keys.
#include <boost/json.hpp>
#include <fstream>

#include "signature.hpp"
#include "vt/audit/audit.hpp"
#include "vt/documents/documents.hpp"

namespace vt::documents {
namespace {

namespace json = boost::json;

// The whole file, refusing one larger than `max_bytes`.
Result<std::string> ReadBounded(const std::filesystem::path& file, std::uintmax_t max_bytes) {
    std::error_code ec;
    std::uintmax_t size = std::filesystem::file_size(file, ec);
    if (ec) {
        if (ec == std::errc::no_such_file_or_directory)
            return Error::NotFound("No existe " + file.string());
        return Error::Internal("No se pudo leer " + file.string() + ": " + ec.message());
    }
    if (size > max_bytes) {
        return Error(ErrorKind::kTooLarge, "file-too-large",
                     file.string() + " es demasiado grande (más de " + std::to_string(max_bytes) +
                         " bytes).");
    }
    std::ifstream in(file, std::ios::binary);
    std::string out(static_cast<std::size_t>(size), '\0');
    if (!in.read(out.data(), static_cast<std::streamsize>(size)))
        return Error::Internal("No se pudo leer " + file.string());
    return out;
}

}  // namespace

std::string_view DocumentStatusName(DocumentStatus status) {
    switch (status) {
        case DocumentStatus::kValid:
            return "valido";
        case DocumentStatus::kRevoked:
            return "revocado";
        case DocumentStatus::kUnknown:
            return "desconocido";
    }
    return "desconocido";
}

std::string_view OfflineStatusName(OfflineStatus status) {
    switch (status) {
        case OfflineStatus::kValid:
            return "valido";
        case OfflineStatus::kNotSigned:
            return "sin_firma";
        case OfflineStatus::kUnknownKey:
            return "clave_desconocida";
        case OfflineStatus::kKeyNotInForce:
            return "clave_no_vigente";
        case OfflineStatus::kBadSignature:
            return "firma_invalida";
    }
    return "sin_firma";
}

std::string PublishedKeysJson(std::span<const PublishedKey> keys) {
    json::array items;
    for (const PublishedKey& k : keys) {
        items.push_back(json::object{
            {"id", k.key_id},
            {"funcionario", k.official_name},
            {"oficina", k.office},
            {"clave_publica", ToBase64(k.public_key)},
            {"desde", k.valid_from},
            {"hasta", k.valid_until ? json::value(*k.valid_until) : json::value(nullptr)},
        });
    }
    return json::serialize(json::object{{"algoritmo", "Ed25519"}, {"claves", std::move(items)}});
}

Result<std::vector<PublishedKey>> ParsePublishedKeys(std::string_view text) {
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec);
    if (ec) return Error::Invalid("El archivo de claves no es JSON: " + ec.message());
    const json::object* root = doc.if_object();
    const json::value* algorithm = root ? root->if_contains("algoritmo") : nullptr;
    if (!algorithm || !algorithm->is_string() || algorithm->as_string() != "Ed25519")
        return Error::Invalid("El archivo de claves debe decir \"algoritmo\": \"Ed25519\".");
    const json::value* list = root->if_contains("claves");
    if (!list || !list->is_array())
        return Error::Invalid("El archivo de claves no tiene la lista \"claves\".");
    std::vector<PublishedKey> out;
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
        const json::value& item = list->as_array()[i];
        std::string where = "claves[" + std::to_string(i) + "]";
        const json::object* o = item.if_object();
        if (!o) return Error::Invalid(where + " no es un objeto.");
        auto text_of = [&](std::string_view key,
                           bool required) -> Result<std::optional<std::string>> {
            const json::value* v = o->if_contains(key);
            if (!v || v->is_null()) {
                if (required) return Error::Invalid(where + "." + std::string(key) + " falta.");
                return std::optional<std::string>();
            }
            if (!v->is_string())
                return Error::Invalid(where + "." + std::string(key) + " debe ser texto.");
            return std::optional<std::string>(std::string(v->as_string()));
        };
        PublishedKey k;
        VT_ASSIGN_OR_RETURN(auto id, text_of("id", true));
        VT_ASSIGN_OR_RETURN(auto name, text_of("funcionario", false));
        VT_ASSIGN_OR_RETURN(auto office, text_of("oficina", false));
        VT_ASSIGN_OR_RETURN(auto key, text_of("clave_publica", true));
        VT_ASSIGN_OR_RETURN(auto from, text_of("desde", true));
        VT_ASSIGN_OR_RETURN(k.valid_until, text_of("hasta", false));
        auto raw = FromBase64(*key);
        if (!raw.ok() || raw->size() != 32)
            return Error::Invalid(where + ".clave_publica no es una clave Ed25519 en base64.");
        k.public_key = std::move(raw).value();
        // The id is derived from the key, so a list cannot pass one key off as another.
        k.key_id = *id;
        if (KeyId(k.public_key) != k.key_id)
            return Error::Invalid(where + ".id no corresponde a su clave pública.");
        k.official_name = name.value_or("");
        k.office = office.value_or("");
        k.valid_from = *from;
        out.push_back(std::move(k));
    }
    return out;
}

std::string OfflineReport(const OfflineVerification& r) {
    std::string out =
        (r.status == OfflineStatus::kValid ? "VÁLIDO: " : "NO VÁLIDO: ") + r.message + "\n";
    if (!r.document_id.empty()) out += "  Documento: " + r.document_id + "\n";
    if (!r.issued_at.empty()) out += "  Emitido:   " + r.issued_at + "\n";
    if (!r.official_name.empty())
        out += "  Firmante:  " + r.official_name + (r.office.empty() ? "" : " (" + r.office + ")") +
               "\n";
    if (!r.key_id.empty()) out += "  Clave:     " + r.key_id + "\n";
    out += "  SHA-256:   " + r.sha256 + "\n";
    if (!r.document_id.empty())
        out +=
            "  La revocación solo puede consultarse en línea: /verificar/" + r.document_id + "\n";
    return out;
}

OfflineVerification VerifyOffline(std::string_view pdf, std::span<const PublishedKey> keys) {
    OfflineVerification out;
    out.sha256 = audit::Sha256Hex(pdf);
    auto found = FindSignature(pdf);
    if (!found.ok()) {
        out.status = OfflineStatus::kNotSigned;
        out.message = found.error().message();
        return out;
    }
    out.document_id = found->document_id;
    out.key_id = found->key_id;
    out.issued_at = found->issued_at;
    const PublishedKey* key = nullptr;
    for (const PublishedKey& k : keys) {
        if (k.key_id == found->key_id) key = &k;
    }
    if (!key) {
        out.status = OfflineStatus::kUnknownKey;
        out.message = "El documento está firmado con una clave que no está entre las publicadas (" +
                      found->key_id.substr(0, 16) + "…).";
        return out;
    }
    out.official_name = key->official_name;
    out.office = key->office;
    std::string digest = audit::Sha256Hex(ZeroSignature(pdf, found->signature_offset));
    if (!VerifySignature(key->public_key, SignedMessage(digest), found->signature)) {
        out.status = OfflineStatus::kBadSignature;
        out.message =
            "La firma no corresponde al contenido: el archivo fue modificado después de firmado.";
        return out;
    }
    // RFC 3339 UTC times of one format compare correctly as text.
    if (found->issued_at < key->valid_from ||
        (key->valid_until && found->issued_at >= *key->valid_until)) {
        out.status = OfflineStatus::kKeyNotInForce;
        out.message =
            "La firma es auténtica, pero la clave no estaba vigente en la fecha del documento.";
        return out;
    }
    out.status = OfflineStatus::kValid;
    out.message = "Firma válida de " + key->official_name +
                  ". Que el documento no haya sido revocado solo puede confirmarse en línea.";
    return out;
}

Result<std::vector<PublishedKey>> ReadPublishedKeysFile(const std::filesystem::path& file) {
    VT_ASSIGN_OR_RETURN(std::string text, ReadBounded(file, 4u << 20));
    return ParsePublishedKeys(text);
}

Result<OfflineVerification> VerifyDocumentFile(const std::filesystem::path& pdf_file,
                                               std::span<const PublishedKey> keys) {
    VT_ASSIGN_OR_RETURN(std::string pdf, ReadBounded(pdf_file, 64u << 20));
    return VerifyOffline(pdf, keys);
}

}  // namespace vt::documents
