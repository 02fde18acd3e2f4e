#pragma once
/// The HTTP/1.1 server: Boost.Beast over Asio with C++20 coroutines.
///
/// I/O threads only parse, route and write; handlers that may block run on a separate
/// worker pool. Every input is bounded (header size, body size, time to receive a
/// request), and every request gets an id, a line in the JSON access log and a sample
/// in /metrics.
///
/// Text responses (text/*, JSON, YAML, XML) of 1 KB or more are sent gzip-encoded to
/// clients whose Accept-Encoding allows gzip, with `Vary: Accept-Encoding` (on every
/// response that could be encoded, whether it was or not). Other types (PDF, images),
/// responses that already carry a Content-Encoding, and encodings that would not be
/// smaller are sent as they are. A strong ETag becomes weak when the body is encoded.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "vt/http/http.hpp"
#include "vt/http/metrics.hpp"

namespace spdlog {
class logger;
}

namespace vt::http {

struct ServerOptions {
    /// Address to listen on. The default keeps the server private to this machine.
    std::string address = "127.0.0.1";
    /// TCP port; 0 picks a free one (see Server::port()).
    std::uint16_t port = 8080;
    /// Threads running the event loop. 0 = one per core.
    int io_threads = 0;
    /// Threads running blocking handlers (database, files).
    int worker_threads = 16;
    /// Largest request line plus headers, in bytes (431 beyond it).
    std::uint32_t max_header_bytes = 16 * 1024;
    /// Largest request body, in bytes (413 beyond it), for routes that set no limit of
    /// their own (RouteOptions::max_body_bytes).
    std::uint64_t max_body_bytes = 1024 * 1024;
    /// Time allowed to receive one whole request, including waiting for it on a kept-alive
    /// connection. Slower clients are disconnected.
    std::chrono::milliseconds read_timeout{15000};
    /// Slowest transfer of a request body tolerated, in bytes per second: once the headers
    /// are in, the body may take read_timeout plus its declared size (or, without one, the
    /// route's body limit) at this rate, so a large upload from a phone on a slow network
    /// is not cut off. 0: read_timeout alone bounds the whole request. Default 16 KiB/s.
    std::uint64_t min_body_rate = 16 * 1024;
    /// Time allowed to send one response.
    std::chrono::milliseconds write_timeout{30000};
    /// On shutdown, how long in-flight requests may take before the server stops anyway.
    std::chrono::milliseconds shutdown_grace{10000};
    /// Write one JSON line per request to the access logger.
    bool access_log = true;
};

class Server {
public:
    /// Binds the listening socket. Throws std::runtime_error with a Spanish message when
    /// the address or port cannot be used. `router`, `metrics` and the loggers must
    /// outlive the server; `access` may be null when options.access_log is false.
    /// Routes may still be added to `router` until Run() is called.
    Server(ServerOptions options, const Router& router, Metrics& metrics,
           std::shared_ptr<spdlog::logger> log, std::shared_ptr<spdlog::logger> access);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// The bound port (useful with port 0).
    std::uint16_t port() const;

    /// Serves until Stop() is called or, when `handle_signals` is true, SIGINT/SIGTERM
    /// arrives. Then stops accepting, lets in-flight requests finish (bounded by
    /// shutdown_grace), closes idle connections and returns.
    void Run(bool handle_signals);

    /// Starts the graceful shutdown. Thread-safe; may be called before Run() returns
    /// from any thread.
    void Stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vt::http
