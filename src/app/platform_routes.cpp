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

namespace {

constexpr std::string_view kHome = R"(<!doctype html>
<html lang="es-GT">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ventanilla — Ministerio de Trabajo y Previsión Social</title>
<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
a{color:#0b4f8a}</style>
</head>
<body>
<main>
<h1>Ventanilla única digital</h1>
<p>Ministerio de Trabajo y Previsión Social de Guatemala.</p>
<p>El servicio está en funcionamiento. Interfaz de programación: <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p>
</main>
</body>
</html>
)";

}  // namespace

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

    router.Add("GET", "/api/v1/openapi.yaml", [](const http::Request&) {
        static const auto yaml = std::make_shared<const std::string>(OpenApiYaml());
        http::Response r = http::Text("", 200, "application/yaml; charset=utf-8");
        r.shared_body = yaml;
        r.Set("Cache-Control", "public, max-age=300");
        return r;
    }, {.inline_handler = true});

    router.Add("GET", "/", [](const http::Request&) {
        return http::Text(std::string(kHome), 200, "text/html; charset=utf-8");
    }, {.inline_handler = true});
}

}  // namespace vt::app
