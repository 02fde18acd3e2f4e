#pragma once
/// Process metrics in the Prometheus text format (prometheus-cpp underneath).
/// Thread-safe: every method may be called from any thread.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vt::http {

class Metrics {
public:
    /// `version` and `commit` are exported as labels of ventanilla_build_info.
    Metrics(std::string version, std::string commit);
    ~Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    /// Declares a route so its series exist before the first request. `index` is dense.
    void DeclareRoute(std::size_t index, const std::string& pattern);
    /// Records one finished request. `route_index` is that given to DeclareRoute, or
    /// kUnmatched for requests that matched no route.
    void ObserveRequest(std::size_t route_index, std::string_view method, int status,
                        std::chrono::nanoseconds took);
    /// Records one database transaction ("read", "write", "commit").
    void ObserveDb(std::string_view op, std::chrono::nanoseconds took);
    void ConnectionOpened();
    void ConnectionClosed();

    /// Adds a value read at each Render(), e.g. a module's own counter. `type` is
    /// "counter" or "gauge"; `read` must be thread-safe and cheap.
    void AddSource(std::string name, std::string help, std::string type, std::function<double()> read);

    /// The whole exposition, text format 0.0.4.
    std::string Render() const;

    static constexpr std::size_t kUnmatched = static_cast<std::size_t>(-1);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vt::http
