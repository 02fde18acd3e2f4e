#include "platform_routes.hpp"

#include <boost/json.hpp>

#include "vt/core/embedded.hpp"

std::span<const vt::core::EmbeddedFile> vt_app_docs();

namespace vt::app {

std::string_view OpenApiYaml() {
    for (const auto& f : vt_app_docs()) {
        if (f.path.ends_with("openapi.yaml")) return f.data;
    }
    return {};
}

void AddPlatformRoutes(http::Router& router, PlatformDeps deps) {
    router.Add("GET", "/healthz", [deps](const http::Request&) {
        return http::Json(boost::json::object{{"status", "ok"}, {"version", deps.version}});
    }, {.inline_handler = true});

    router.Add("GET", "/readyz", [deps](const http::Request&) {
        if (Status s = deps.store.Ping(); !s.ok()) {
            return http::ErrorResponse(Error::Unavailable("database-unavailable",
                                                          "La base de datos no responde: " + s.error().message()));
        }
        std::string driver = deps.store.dialect() == store::Dialect::kSqlite ? "sqlite" : "postgres";
        return http::Json(boost::json::object{{"status", "ok"}, {"database", driver}});
    });

    router.Add("GET", "/metrics", [deps](const http::Request&) {
        return http::Text(deps.metrics.Render(), 200, "text/plain; version=0.0.4; charset=utf-8");
    }, {.inline_handler = true});

    // Compressed once here; the server sends these bytes to clients that accept gzip.
    auto yaml = std::make_shared<const std::string>(OpenApiYaml());
    auto yaml_gzip = std::make_shared<const std::string>(http::Gzip(*yaml));
    router.Add("GET", "/api/v1/openapi.yaml", [yaml, yaml_gzip](const http::Request&) {
        http::Response r = http::Text("", 200, "application/yaml; charset=utf-8");
        r.shared_body = yaml;
        r.shared_gzip_body = yaml_gzip;
        r.Set("Cache-Control", "public, max-age=300");
        return r;
    }, {.inline_handler = true});
}

}  // namespace vt::app
