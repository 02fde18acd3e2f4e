#include "server_routes.hpp"

#include "platform_routes.hpp"
#include "vt/audit/api.hpp"
#include "vt/calculators/api.hpp"
#include "vt/cases/api.hpp"
#include "vt/catalog/api.hpp"
#include "vt/web/web.hpp"

namespace vt::app {

void AddServerRoutes(http::Router& router, const ServerRouteDeps& deps) {
    AddPlatformRoutes(router, PlatformDeps{deps.store, deps.metrics, deps.version, deps.commit});
    calculators::AddCalculatorRoutes(router, deps.clock);
    catalog::AddCatalogRoutes(router, deps.registry);
    identity::AddIdentityRoutes(router, deps.identity, deps.authenticator.options());
    const identity::Authenticator* authenticator = &deps.authenticator;
    cases::AddCaseRoutes(
        router, deps.cases, deps.registry,
        [authenticator](const http::Request& r) { return authenticator->ActorFor(r); });
    audit::AddAuditRoutes(router, deps.audit_log);
    web::AddWebRoutes(router, web::WebDeps{deps.clock, deps.registry, deps.identity, deps.authenticator, deps.cases});
}

}  // namespace vt::app
