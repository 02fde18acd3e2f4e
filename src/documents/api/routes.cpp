#include <boost/json.hpp>

#include "vt/documents/api.hpp"

namespace vt::documents {
namespace {

namespace json = boost::json;

json::value Opt(const std::optional<std::string>& s) {
    return s ? json::value(*s) : json::value(nullptr);
}

http::Response Fail(const Error& e) { return http::ErrorResponse(e); }

}  // namespace

json::object DocumentJson(const IssuedDocument& d) {
    return json::object{
        {"id", d.id},
        {"titulo", d.title},
        {"tipo", d.document_type},
        {"expediente", d.case_number},
        {"oficina", d.office},
        {"emitido_por", d.issuer_name},
        {"emitido", d.issued_at},
        {"sha256", d.sha256},
        {"tamano", d.size},
        {"clave", d.key_id},
        {"revocado", Opt(d.revoked_at)},
        {"motivo_revocacion", Opt(d.revocation_reason)},
        {"pdf", "/api/v1/documentos/" + d.id + "/pdf"},
        {"verificacion", "/api/v1/documentos/" + d.id + "/verificacion"},
    };
}

namespace {

json::object UploadJson(const Upload& u) {
    return json::object{
        {"id", u.id},          {"sha256", u.sha256},        {"tamano", u.size},
        {"tipo", u.mime_type}, {"nombre", u.original_name}, {"creado", u.created_at}};
}

}  // namespace

json::object VerificationJson(const Verification& v) {
    json::object o{{"id", v.id}, {"estado", DocumentStatusName(v.status)}};
    if (v.status != DocumentStatus::kUnknown) {
        o["titulo"] = v.title;
        o["expediente"] = v.case_number;
        o["tramite"] = v.tramite_name;
        o["emitido_por"] = v.issuer_name;
        o["oficina"] = v.office;
        o["emitido"] = v.issued_at;
        o["sha256"] = v.sha256;
        o["clave"] = v.key_id;
        o["firma_valida"] = v.signature_valid;
        o["revocado"] = Opt(v.revoked_at);
        o["motivo_revocacion"] = Opt(v.revocation_reason);
    }
    if (v.given_sha256) o["sha256_recibido"] = *v.given_sha256;
    if (v.matches) o["coincide"] = *v.matches;
    return o;
}

void AddDocumentRoutes(http::Router& router, DocumentService& service, ActorResolver resolve) {
    auto with_actor = [resolve](auto body) {
        return [resolve, body](const http::Request& req) -> http::Response {
            auto actor = resolve(req);
            if (!actor.ok()) return Fail(actor.error());
            return body(req, *actor);
        };
    };

    router.Add("GET", "/api/v1/documentos/claves", [&service](const http::Request&) {
        auto keys = service.PublishedKeys();
        if (!keys.ok()) return Fail(keys.error());
        http::Response res = http::Text(PublishedKeysJson(*keys), 200, "application/json");
        res.Set("Cache-Control", "public, max-age=300");
        return res;
    });

    router.Add("DELETE", "/api/v1/admin/claves/{id}",
               with_actor([&service](const http::Request& req, const core::Actor& actor) {
                   Status revoked = service.RevokeSigningKey(actor, req.Param("id"));
                   if (!revoked.ok()) return Fail(revoked.error());
                   http::Response res;
                   res.status = 204;
                   res.content_type.clear();
                   return res;
               }));

    router.Add("GET", "/api/v1/documentos/{id}/verificacion", [&service](const http::Request& req) {
        auto v = service.Verify(req.Param("id"));
        if (!v.ok()) return Fail(v.error());
        return http::Json(VerificationJson(*v));
    });

    router.Add("POST", "/api/v1/documentos/{id}/verificacion",
               [&service](const http::Request& req) {
                   auto v = service.VerifyBytes(req.Param("id"), req.body);
                   if (!v.ok()) return Fail(v.error());
                   return http::Json(VerificationJson(*v));
               },
               {.accepts = {"application/pdf", "application/octet-stream"}});

    router.Add("GET", "/api/v1/documentos/{id}/pdf",
               with_actor([&service](const http::Request& req, const core::Actor& actor) {
                   auto pdf = service.OpenPdf(actor, req.Param("id"));
                   if (!pdf.ok()) return Fail(pdf.error());
                   return http::Download(std::move(pdf->bytes), "application/pdf",
                                       pdf->document.id + ".pdf");
               }));

    router.Add("POST", "/api/v1/documentos/{id}/revocacion",
               with_actor([&service](const http::Request& req, const core::Actor& actor) {
                   auto body = http::ParseJsonObject(req);
                   if (!body.ok()) return Fail(body.error());
                   Error bad = Error::Invalid("Revise la solicitud.");
                   std::string reason;
                   for (const auto& kv : *body) {
                       if (kv.key() != "motivo")
                           bad.WithField(std::string(kv.key()), "Campo desconocido.");
                   }
                   if (const json::value* m = body->if_contains("motivo")) {
                       if (m->is_string())
                           reason = std::string(m->as_string());
                       else
                           bad.WithField("motivo", "Debe ser un texto.");
                   }
                   if (!bad.fields().empty()) return Fail(bad);
                   auto doc = service.Revoke(actor, req.Param("id"), reason);
                   if (!doc.ok()) return Fail(doc.error());
                   return http::Json(DocumentJson(*doc));
               }),
               {.accepts = {"application/json"}});

    router.Add("GET", "/api/v1/expedientes/{numero}/documentos",
               with_actor([&service](const http::Request& req, const core::Actor& actor) {
                   auto list = service.ListForCase(actor, req.Param("numero"));
                   if (!list.ok()) return Fail(list.error());
                   json::array items;
                   for (const IssuedDocument& d : *list) items.push_back(DocumentJson(d));
                   return http::Json(json::object{{"documentos", std::move(items)}});
               }));

    router.Add("POST", "/api/v1/expedientes/{numero}/documentos",
               with_actor([&service](const http::Request& req, const core::Actor& actor) {
                   auto body = http::ParseJsonObject(req);
                   if (!body.ok()) return Fail(body.error());
                   Error bad = Error::Invalid("Revise la solicitud.");
                   std::string document;
                   for (const auto& kv : *body) {
                       if (kv.key() != "documento")
                           bad.WithField(std::string(kv.key()), "Campo desconocido.");
                   }
                   const json::value* v = body->if_contains("documento");
                   if (v && v->is_string() && !v->as_string().empty())
                       document = std::string(v->as_string());
                   else
                       bad.WithField("documento", "Indique el documento que emite.");
                   if (!bad.fields().empty()) return Fail(bad);
                   auto doc = service.IssueForCase(actor, req.Param("numero"), document);
                   if (!doc.ok()) return Fail(doc.error());
                   http::Response res = http::Json(DocumentJson(*doc), 201);
                   res.Set("Location", "/api/v1/documentos/" + doc->id + "/pdf");
                   return res;
               }),
               {.accepts = {"application/json"}});

    router.Add("POST", "/api/v1/archivos",
               with_actor([&service](const http::Request& req, const core::Actor& actor) {
                   auto rules = service.RulesFor(req.QueryParam("tramite").value_or(""),
                                                 req.QueryParam("campo").value_or(""));
                   if (!rules.ok()) return Fail(rules.error());
                   std::string name = http::PercentDecode(req.Header("X-Nombre-Archivo"), false);
                   auto upload = service.StoreUpload(actor, req.body, name, *rules);
                   if (!upload.ok()) return Fail(upload.error());
                   http::Response res =
                       http::Json(UploadJson(*upload), upload->existing ? 200 : 201);
                   res.Set("Location", "/api/v1/archivos/" + upload->id);
                   return res;
               }),
               {.max_body_bytes = static_cast<std::uint64_t>(service.options().max_upload_bytes)});

    router.Add("GET", "/api/v1/archivos/{id}",
               with_actor([&service](const http::Request& req, const core::Actor& actor) {
                   std::optional<std::string> number = req.QueryParam("expediente");
                   auto file = service.OpenUpload(
                       actor, req.Param("id"),
                       number ? std::optional<std::string_view>(*number) : std::nullopt);
                   if (!file.ok()) return Fail(file.error());
                   std::string type = file->upload.mime_type;
                   std::string name = file->upload.original_name;
                   return http::Download(std::move(file->bytes), std::move(type), name);
               }));
}

}  // namespace vt::documents
