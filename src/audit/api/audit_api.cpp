#include <boost/json.hpp>
#include <charconv>

#include "vt/audit/api.hpp"

namespace vt::audit {
namespace {

namespace json = boost::json;

constexpr char kSignedStructure[] =
    "RFC 6962 §3.5 TreeHeadSignature: version 0 (1 byte), signature_type 1 (1 byte), timestamp en "
    "ms "
    "(8 bytes), tree_size (8 bytes), root_hash (32 bytes); enteros big-endian; firmado con Ed25519";

// Query parameter `name` as an integer. Absent: nullopt, and an error when `required`.
std::optional<std::int64_t> IntParam(const http::Request& req, const std::string& name,
                                     bool required, Error& bad) {
    std::optional<std::string> text = req.QueryParam(name);
    if (!text || text->empty()) {
        if (required) bad.WithField(name, "Falta el parámetro " + name + ".");
        return std::nullopt;
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size()) {
        bad.WithField(name, "Debe ser un número entero.");
        return std::nullopt;
    }
    return value;
}

json::array HashesJson(const std::vector<Hash>& hashes) {
    json::array out;
    for (const Hash& h : hashes) out.emplace_back(ToBase64(h));
    return out;
}

}  // namespace

json::object TreeHeadJson(const SignedTreeHead& sth, const LogKey& key) {
    return json::object{{"tamano", sth.tree_size},
                        {"marca_tiempo", sth.timestamp_ms},
                        {"raiz", ToBase64(sth.root)},
                        {"firma", ToBase64(std::string_view(sth.signature))},
                        {"algoritmo", "Ed25519"},
                        {"clave_publica", ToBase64(std::string_view(key.public_key()))},
                        {"id_clave", key.KeyId()}};
}

void AddAuditRoutes(http::Router& router, AuditLog& log) {
    router.Add("GET", "/api/v1/audit/sth", [&log](const http::Request&) {
        auto sth = log.TreeHead();
        if (!sth.ok()) return http::ErrorResponse(sth.error());
        return http::Json(TreeHeadJson(*sth, log.key()));
    });

    router.Add("GET", "/api/v1/audit/clave-publica", [&log](const http::Request&) {
        return http::Json(
            json::object{{"algoritmo", "Ed25519"},
                         {"clave_publica", ToBase64(std::string_view(log.key().public_key()))},
                         {"id_clave", log.key().KeyId()},
                         {"firma_sobre", kSignedStructure}});
    });

    router.Add("GET", "/api/v1/audit/prueba-inclusion", [&log](const http::Request& req) {
        Error bad = Error::Invalid("Revise los parámetros de la prueba de inclusión.");
        auto index = IntParam(req, "indice", true, bad);
        auto size = IntParam(req, "tamano", false, bad);
        if (!bad.fields().empty()) return http::ErrorResponse(bad);
        auto proof = log.ProveInclusion(*index, size);
        if (!proof.ok()) return http::ErrorResponse(proof.error());
        json::object out{{"indice", proof->index},
                         {"tamano", proof->tree_size},
                         {"hoja", ToBase64(proof->leaf_hash)},
                         {"ruta", HashesJson(proof->path)},
                         {"raiz", ToBase64(proof->root)},
                         {"entrada", proof->entry}};
        if (proof->tree_head) out["sth"] = TreeHeadJson(*proof->tree_head, log.key());
        return http::Json(out);
    });

    router.Add("GET", "/api/v1/audit/prueba-consistencia", [&log](const http::Request& req) {
        Error bad = Error::Invalid("Revise los parámetros de la prueba de consistencia.");
        auto from = IntParam(req, "desde", true, bad);
        auto to = IntParam(req, "hasta", false, bad);
        if (!bad.fields().empty()) return http::ErrorResponse(bad);
        auto proof = log.ProveConsistency(*from, to);
        if (!proof.ok()) return http::ErrorResponse(proof.error());
        json::object out{{"desde", proof->from},
                         {"hasta", proof->to},
                         {"prueba", HashesJson(proof->proof)},
                         {"raiz_desde", ToBase64(proof->root_from)},
                         {"raiz_hasta", ToBase64(proof->root_to)}};
        if (proof->tree_head) out["sth"] = TreeHeadJson(*proof->tree_head, log.key());
        return http::Json(out);
    });
}

}  // namespace vt::audit
