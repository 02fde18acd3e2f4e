#pragma once
// Routes every deployment has: health, readiness, metrics, the API description and
// the home page.
#include "vt/http/http.hpp"
#include "vt/http/metrics.hpp"
#include "vt/store/store.hpp"

namespace vt::app {

struct PlatformDeps {
    store::Store& store;
    http::Metrics& metrics;
    std::string version;
    std::string commit;
};

/// REQUIRES: `deps` members outlive the router.
void AddPlatformRoutes(http::Router& router, PlatformDeps deps);

/// The embedded docs/openapi.yaml.
std::string_view OpenApiYaml();

}  // namespace vt::app
