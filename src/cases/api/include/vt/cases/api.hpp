#pragma once
/// JSON endpoints of case files under /api/v1: filing, reading, transitions, assignment,
/// drafts, the inbox, public tracking and the SLA report.
#include <functional>

#include "vt/cases/cases.hpp"
#include "vt/http/http.hpp"

namespace vt::cases {

/// Who is making a request (from its session or token). Errors end the request (e.g.
/// an expired session is kUnauthenticated). Supplied by the identity module.
using ActorResolver = std::function<Result<core::Actor>(const http::Request&)>;

/// REQUIRES: `service` and `registry` outlive the router.
void AddCaseRoutes(http::Router& router, CaseService& service, const catalog::Registry& registry,
                   ActorResolver resolve_actor);

/// The JSON of a case as its viewer sees it, with the actions `actor` may take next.
boost::json::object CaseJson(const Case& c, const catalog::Registry& registry, const core::Actor& actor);

}  // namespace vt::cases
