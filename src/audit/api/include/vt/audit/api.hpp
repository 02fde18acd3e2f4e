#pragma once
/// JSON endpoints of the audit log. Public: anyone may check the log.
///
///   GET /api/v1/audit/sth                         the current signed tree head
///   GET /api/v1/audit/clave-publica               the log's public key
///   GET /api/v1/audit/prueba-inclusion?indice=N[&tamano=M]
///   GET /api/v1/audit/prueba-consistencia?desde=M[&hasta=N]
///
/// Hashes, signatures and keys are standard base64. A bad or missing parameter is a 422
/// with one message per parameter.
#include <boost/json/object.hpp>

#include "vt/audit/audit.hpp"
#include "vt/http/http.hpp"

namespace vt::audit {

/// REQUIRES: `log` outlives the router.
void AddAuditRoutes(http::Router& router, AuditLog& log);

/// A signed tree head as the endpoints show it.
boost::json::object TreeHeadJson(const SignedTreeHead& sth, const LogKey& key);

}  // namespace vt::audit
