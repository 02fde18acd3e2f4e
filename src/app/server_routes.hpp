#pragma once
// Every route the server answers, from every module, registered in one place so the
// server and the authorization-matrix test serve exactly the same table.
#include <string>

#include "vt/audit/audit.hpp"
#include "vt/cases/cases.hpp"
#include "vt/catalog/catalog.hpp"
#include "vt/core/calendar.hpp"
#include "vt/core/clock.hpp"
#include "vt/documents/documents.hpp"
#include "vt/http/http.hpp"
#include "vt/http/metrics.hpp"
#include "vt/identity/api.hpp"
#include "vt/store/store.hpp"

namespace vt::app {

/// What the routes need. Every member must outlive the router.
struct ServerRouteDeps {
    store::Store& store;
    http::Metrics& metrics;
    const core::Clock& clock;
    const catalog::Registry& registry;
    identity::IdentityService& identity;
    const identity::Authenticator& authenticator;
    cases::CaseService& cases;
    documents::DocumentService& documents;
    audit::AuditLog& audit_log;
    std::string version;
    std::string commit;
    /// For the días hábiles the pages show; optional.
    const core::WorkingCalendar* calendar = nullptr;
};

/// Registers the platform, calculator, catalog, identity, case, document and audit routes.
/// A transition that issues a document signs it at once when its official may sign.
void AddServerRoutes(http::Router& router, const ServerRouteDeps& deps);

}  // namespace vt::app
