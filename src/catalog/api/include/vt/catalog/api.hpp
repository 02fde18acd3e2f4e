#pragma once
/// JSON endpoints of the catalog: GET /api/v1/tramites, GET /api/v1/tramites/{id},
/// GET /api/v1/indicadores. Public: no session needed.
#include <boost/json/object.hpp>

#include "vt/catalog/catalog.hpp"
#include "vt/http/http.hpp"

namespace vt::catalog {

/// REQUIRES: `registry` outlives the router.
void AddCatalogRoutes(http::Router& router, const Registry& registry);

/// The summary of a trámite as listed in the catalog.
boost::json::object SummaryJson(const Definition& d);

}  // namespace vt::catalog
