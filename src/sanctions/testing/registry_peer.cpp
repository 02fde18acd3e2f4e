#include "registry_peer.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "vt/http/http.hpp"
#include "vt/http/metrics.hpp"
#include "vt/http/server.hpp"

namespace vt::sanctions::testing {

namespace json = boost::json;

struct RegistryPeer::Impl {
    std::string token;
    mutable std::mutex mu;
    std::map<std::string, std::vector<Sanction>> table;
    Fault fault = Fault::kNone;
    int requests = 0;

    http::Router router;
    http::Metrics metrics{"test", "test"};
    std::unique_ptr<http::Server> server;
    std::thread thread;

    http::Response Answer(const http::Request& req) {
        std::lock_guard lock(mu);
        ++requests;
        if (!token.empty() && req.Header("Authorization") != "Bearer " + token)
            return http::Text("{\"error\":\"unauthorized\"}", 401, "application/json");
        std::string nit = req.QueryParam("nit").value_or("");
        switch (fault) {
            case Fault::kUnavailable: return http::Text("{\"error\":\"mantenimiento\"}", 503, "application/json");
            case Fault::kNotJson: return http::Text("<html>Servicio no disponible</html>", 200, "text/html");
            case Fault::kOtherNit: nit = "1234567-9"; break;
            case Fault::kHuge: return http::Text(std::string(2 << 20, ' ') + "{}", 200, "application/json");
            case Fault::kNone: break;
        }
        json::array list;
        if (auto it = table.find(nit); it != table.end()) {
            for (const Sanction& s : it->second) {
                list.push_back(json::object{{"expediente", s.reference},
                                            {"descripcion", s.description},
                                            {"monto_centavos", s.amount_centavos},
                                            {"firme_desde", s.firm_on},
                                            {"estado", s.pending ? "pendiente" : "solventada"}});
            }
        }
        return http::Json(json::object{{"nit", nit}, {"sanciones", std::move(list)}});
    }
};

RegistryPeer::RegistryPeer(std::string token) : impl_(std::make_unique<Impl>()) {
    impl_->token = std::move(token);
    impl_->router.Add("GET", "/sanciones", [this](const http::Request& r) { return impl_->Answer(r); });
    http::ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.io_threads = 1;
    o.worker_threads = 2;
    o.access_log = false;
    auto null_log = std::make_shared<spdlog::logger>("registry-peer", std::make_shared<spdlog::sinks::null_sink_mt>());
    impl_->server = std::make_unique<http::Server>(o, impl_->router, impl_->metrics, null_log, nullptr);
    impl_->thread = std::thread([this] { impl_->server->Run(false); });
}

RegistryPeer::~RegistryPeer() {
    impl_->server->Stop();
    impl_->thread.join();
}

std::string RegistryPeer::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->server->port()); }

void RegistryPeer::Set(const std::string& nit, std::vector<Sanction> sanctions) {
    std::lock_guard lock(impl_->mu);
    impl_->table[nit] = std::move(sanctions);
}

void RegistryPeer::SetFault(Fault fault) {
    std::lock_guard lock(impl_->mu);
    impl_->fault = fault;
}

int RegistryPeer::requests() const {
    std::lock_guard lock(impl_->mu);
    return impl_->requests;
}

}  // namespace vt::sanctions::testing
