#include "server_routes.hpp"

#include "platform_routes.hpp"
#include "vt/audit/api.hpp"
#include "vt/calculators/api.hpp"
#include "vt/cases/api.hpp"
#include "vt/catalog/api.hpp"
#include "vt/documents/api.hpp"
#include "vt/web/web.hpp"

namespace vt::app {

void AddServerRoutes(http::Router& router, const ServerRouteDeps& deps) {
    AddPlatformRoutes(router, PlatformDeps{deps.store, deps.metrics, deps.version, deps.commit});
    calculators::AddCalculatorRoutes(router, deps.clock);
    catalog::AddCatalogRoutes(router, deps.registry);
    identity::AddIdentityRoutes(router, deps.identity, deps.authenticator.options());
    const identity::Authenticator* authenticator = &deps.authenticator;
    auto actor_for = [authenticator](const http::Request& r) { return authenticator->ActorFor(r); };
    documents::DocumentService* docs = &deps.documents;
    // The document a transition issues is signed by the official who took it when they may
    // sign; otherwise it waits for a signatory (POST /api/v1/expedientes/{numero}/documentos).
    cases::AddCaseRoutes(router, deps.cases, deps.registry, actor_for,
                         [docs](const core::Actor& actor, const cases::Case& c) {
                             boost::json::object extra;
                             auto issued = docs->IssueAfterTransition(actor, c);
                             if (!issued.ok()) {
                                 extra["aviso"] = "La acción quedó registrada, pero el documento no se "
                                                  "emitió: " + issued.error().message();
                             } else if (issued->has_value()) {
                                 extra["documento_emitido"] = documents::DocumentJson(**issued);
                             }
                             return extra;
                         });
    documents::AddDocumentRoutes(router, deps.documents, actor_for);
    audit::AddAuditRoutes(router, deps.audit_log);
    web::AddWebRoutes(router, web::WebDeps{.clock = deps.clock,
                                             .registry = deps.registry,
                                             .identity = deps.identity,
                                             .authenticator = deps.authenticator,
                                             .cases = deps.cases,
                                             .documents = &deps.documents,
                                             .calendar = deps.calendar});
}

}  // namespace vt::app
