#include "vt/http/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <array>
#include <atomic>
#include <deque>
#include <mutex>

namespace vt::http {
namespace {

const prometheus::Histogram::BucketBoundaries kLatencyBuckets{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

double Seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

struct Metrics::Impl {
    prometheus::Registry registry;
    prometheus::Family<prometheus::Counter>& requests =
        prometheus::BuildCounter()
            .Name("ventanilla_http_requests_total")
            .Help("HTTP requests by route pattern, method and status.")
            .Register(registry);
    prometheus::Family<prometheus::Histogram>& latency =
        prometheus::BuildHistogram()
            .Name("ventanilla_http_request_duration_seconds")
            .Help("Time from a complete request to its response, by route pattern.")
            .Register(registry);
    prometheus::Family<prometheus::Histogram>& db =
        prometheus::BuildHistogram()
            .Name("ventanilla_db_transaction_duration_seconds")
            .Help("Database transaction time by kind (read, write, commit).")
            .Register(registry);
    prometheus::Family<prometheus::Gauge>& build =
        prometheus::BuildGauge().Name("ventanilla_build_info").Help("Version of the running binary.").Register(registry);
    prometheus::Gauge& connections = prometheus::BuildGauge()
                                         .Name("ventanilla_http_connections_active")
                                         .Help("Open client connections.")
                                         .Register(registry)
                                         .Add({});

    // Per-route series, looked up by dense index so the hot path does not hash labels.
    struct RouteSeries {
        std::string pattern;
        prometheus::Histogram* latency = nullptr;
        std::mutex mu;
        std::map<std::pair<std::string, int>, prometheus::Counter*> counters;  // GUARDED_BY(mu)
    };
    std::mutex routes_mu;
    std::deque<RouteSeries> routes;  // GUARDED_BY(routes_mu) for growth; elements are stable
    RouteSeries unmatched;
    struct Source {
        std::string name, help, type;
        std::function<double()> read;
    };
    std::mutex sources_mu;
    std::vector<Source> sources;  // GUARDED_BY(sources_mu)
    std::mutex db_mu;
    std::map<std::string, prometheus::Histogram*, std::less<>> db_ops;  // GUARDED_BY(db_mu)

    RouteSeries& SeriesFor(std::size_t index) {
        if (index == kUnmatched) return unmatched;
        std::lock_guard lock(routes_mu);
        return routes.at(index);
    }
};

Metrics::Metrics(std::string version, std::string commit) : impl_(std::make_unique<Impl>()) {
    impl_->build.Add({{"version", std::move(version)}, {"commit", std::move(commit)}}).Set(1);
    impl_->unmatched.pattern = "unmatched";
    impl_->unmatched.latency = &impl_->latency.Add({{"route", "unmatched"}}, kLatencyBuckets);
}

Metrics::~Metrics() = default;

void Metrics::DeclareRoute(std::size_t index, const std::string& pattern) {
    std::lock_guard lock(impl_->routes_mu);
    if (impl_->routes.size() <= index) impl_->routes.resize(index + 1);
    auto& s = impl_->routes[index];
    s.pattern = pattern;
    s.latency = &impl_->latency.Add({{"route", pattern}}, kLatencyBuckets);
}

void Metrics::ObserveRequest(std::size_t route_index, std::string_view method, int status,
                             std::chrono::nanoseconds took) {
    Impl::RouteSeries& s = impl_->SeriesFor(route_index);
    s.latency->Observe(Seconds(took));
    prometheus::Counter* c;
    {
        std::lock_guard lock(s.mu);
        auto key = std::make_pair(std::string(method), status);
        auto it = s.counters.find(key);
        if (it == s.counters.end()) {
            c = &impl_->requests.Add(
                {{"route", s.pattern}, {"method", key.first}, {"status", std::to_string(status)}});
            s.counters.emplace(std::move(key), c);
        } else {
            c = it->second;
        }
    }
    c->Increment();
}

void Metrics::ObserveDb(std::string_view op, std::chrono::nanoseconds took) {
    prometheus::Histogram* h;
    {
        std::lock_guard lock(impl_->db_mu);
        auto it = impl_->db_ops.find(op);
        if (it == impl_->db_ops.end()) {
            h = &impl_->db.Add({{"op", std::string(op)}}, kLatencyBuckets);
            impl_->db_ops.emplace(std::string(op), h);
        } else {
            h = it->second;
        }
    }
    h->Observe(Seconds(took));
}

void Metrics::ConnectionOpened() { impl_->connections.Increment(); }
void Metrics::ConnectionClosed() { impl_->connections.Decrement(); }

void Metrics::AddSource(std::string name, std::string help, std::string type, std::function<double()> read) {
    std::lock_guard lock(impl_->sources_mu);
    impl_->sources.push_back({std::move(name), std::move(help), std::move(type), std::move(read)});
}

std::string Metrics::Render() const {
    prometheus::TextSerializer serializer;
    std::string out = serializer.Serialize(impl_->registry.Collect());
    std::lock_guard lock(impl_->sources_mu);
    for (const auto& s : impl_->sources) {
        out += "# HELP " + s.name + " " + s.help + "\n# TYPE " + s.name + " " + s.type + "\n" + s.name + " " +
               std::to_string(static_cast<long long>(s.read())) + "\n";
    }
    return out;
}

}  // namespace vt::http
