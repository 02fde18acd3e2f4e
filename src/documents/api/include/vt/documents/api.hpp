#pragma once
/// JSON and file endpoints of documents under /api/v1: public verification of issued
/// documents and the published signing keys, downloads of issued PDFs, revocation, and
/// uploads.
///
/// Files are always served with the type detected when they were stored (never one the
/// client chose), as attachments, with `X-Content-Type-Options: nosniff` and a sandboxing
/// Content-Security-Policy, so an uploaded file can never run as a page of the site.
#include <functional>

#include "vt/documents/documents.hpp"
#include "vt/http/http.hpp"

namespace vt::documents {

/// Who is making a request (from its session or token), with the CSRF check for requests
/// that change state. Errors end the request. Supplied by the identity module
/// (identity::Authenticator::ActorFor); the same shape as cases::ActorResolver.
using ActorResolver = std::function<Result<core::Actor>(const http::Request&)>;

/// Adds:
///   GET  /api/v1/documentos/claves                   published keys (claves.json), public
///   DELETE /api/v1/admin/claves/{id}                 revoke a signing key: administrators
///   GET  /api/v1/documentos/{id}/verificacion        valid / revoked / unknown, public
///   POST /api/v1/documentos/{id}/verificacion        the same, comparing the PDF in the body
///                                                    (Content-Type: application/pdf), public
///   GET  /api/v1/documentos/{id}/pdf                 the PDF, for those who may see the case
///   POST /api/v1/documentos/{id}/revocacion          {"motivo"}: firma or jefe of the office
///   GET  /api/v1/expedientes/{numero}/documentos     documents issued for a case
///   POST /api/v1/expedientes/{numero}/documentos     {"documento"}: sign and issue it (firma)
///   POST /api/v1/archivos                            upload: the raw file as the body, its name
///                                                    percent-encoded in X-Nombre-Archivo,
///                                                    ?tramite=&campo= select the limits; the
///                                                    body may be as large as
///                                                    DocumentsOptions::max_upload_bytes
///   GET  /api/v1/archivos/{id}[?expediente=N]        download an upload
/// REQUIRES: `service` outlives the router.
void AddDocumentRoutes(http::Router& router, DocumentService& service, ActorResolver resolve_actor);

/// The JSON of an issued document, for those who may see its case.
boost::json::object DocumentJson(const IssuedDocument& d);

/// The public JSON of a verification.
boost::json::object VerificationJson(const Verification& v);

}  // namespace vt::documents
