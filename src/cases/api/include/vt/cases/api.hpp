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

/// Runs after a transition was taken and committed, with the request's actor and the case
/// as it is now: what other modules do because of it (the documents module signs what the
/// transition issues). The members of the object it returns are added to the response; it
/// never undoes the transition. Called concurrently from several threads.
using AfterTransition = std::function<boost::json::object(const core::Actor&, const Case&)>;

/// REQUIRES: `service` and `registry` outlive the router.
void AddCaseRoutes(http::Router& router, CaseService& service, const catalog::Registry& registry,
                   ActorResolver resolve_actor, AfterTransition after_transition = {});

/// The JSON of a case as its viewer sees it, with the actions `actor` may take next.
boost::json::object CaseJson(const Case& c, const catalog::Registry& registry, const core::Actor& actor);

}  // namespace vt::cases
