#include "vt/http/server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "compression.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/random.hpp"

namespace vt::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
using SteadyClock = std::chrono::steady_clock;

class BeastHeaders final : public HeaderSource {
public:
    explicit BeastHeaders(const bhttp::fields& f) : f_(f) {}
    std::string_view Get(std::string_view name) const override {
        auto it = f_.find(beast::string_view(name.data(), name.size()));
        if (it == f_.end()) return {};
        auto v = it->value();
        return {v.data(), v.size()};
    }

private:
    const bhttp::fields& f_;
};

// Methods outside this list are reported as OTHER so clients cannot grow /metrics.
std::string_view MetricMethod(std::string_view m) {
    for (std::string_view k : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
        if (m == k) return k;
    }
    return "OTHER";
}

bool ValidRequestId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    }
    return true;
}

// The Date header, formatted at most once per second per thread.
const std::string& HttpDate() {
    thread_local std::time_t last = 0;
    thread_local std::string text;
    std::time_t now = std::time(nullptr);
    if (now != last) {
        last = now;
        std::tm tm{};
        gmtime_r(&now, &tm);
        char buf[64];
        std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        text = buf;
    }
    return text;
}

// A connection's state as seen from outside its strand, for graceful shutdown.
struct Connection {
    asio::strand<asio::io_context::executor_type> strand;
    beast::tcp_stream* stream = nullptr;  // valid while alive; touched only on `strand`
    bool alive = true;                    // strand-confined
    bool idle = false;                    // waiting for a request; strand-confined
};

}  // namespace

struct Server::Impl {
    Impl(ServerOptions o, const Router& r, Metrics& m, std::shared_ptr<spdlog::logger> l,
         std::shared_ptr<spdlog::logger> a)
        : options(std::move(o)),
          router(r),
          metrics(m),
          log(std::move(l)),
          access(std::move(a)),
          ioc(IoThreads()),
          acceptor(asio::make_strand(ioc)),
          workers(static_cast<std::size_t>(std::max(1, options.worker_threads))),
          id_prefix(core::RandomHex(4)) {
        boost::system::error_code ec;
        auto addr = asio::ip::make_address(options.address, ec);
        if (ec) throw std::runtime_error("Dirección de escucha inválida: '" + options.address + "'.");
        tcp::endpoint ep(addr, options.port);
        acceptor.open(ep.protocol(), ec);
        if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor.bind(ep, ec);
        if (ec == asio::error::address_in_use) {
            throw std::runtime_error("El puerto " + std::to_string(options.port) + " de " + options.address +
                                     " ya está en uso; elija otro con --port o VENTANILLA_PORT.");
        }
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            throw std::runtime_error("No se pudo escuchar en " + options.address + ":" +
                                     std::to_string(options.port) + ": " + ec.message());
        }
    }

    int IoThreads() const {
        if (options.io_threads > 0) return options.io_threads;
        return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }

    awaitable<void> Accept() {
        while (true) {
            // The new connection gets its own strand: its state is never touched concurrently.
            auto strand = asio::make_strand(ioc);
            auto [ec, socket] = co_await acceptor.async_accept(strand, kNoThrow);
            if (ec) {
                if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
                log->warn("accept failed: {}", ec.message());
                continue;
            }
            if (draining.load()) continue;  // socket closes when it goes out of scope
            auto conn = std::make_shared<Connection>(Connection{strand});
            {
                std::lock_guard lock(conns_mu);
                conns.insert(conn);
            }
            asio::co_spawn(conn->strand, Session(std::move(socket), conn),
                           [this, conn](std::exception_ptr e) {
                               if (e) {
                                   try {
                                       std::rethrow_exception(e);
                                   } catch (const std::exception& ex) {
                                       log->error("connection failed: {}", ex.what());
                                   }
                               }
                               Forget(conn);
                           });
        }
    }

    void Forget(const std::shared_ptr<Connection>& conn) {
        bool last;
        {
            std::lock_guard lock(conns_mu);
            conns.erase(conn);
            last = conns.empty();
        }
        if (last && draining.load()) ioc.stop();
    }

    awaitable<void> Session(tcp::socket socket, std::shared_ptr<Connection> conn) {
        beast::tcp_stream stream(std::move(socket));
        conn->stream = &stream;
        metrics.ConnectionOpened();
        struct Closed {
            Metrics& m;
            Connection& c;
            ~Closed() {
                c.alive = false;
                c.stream = nullptr;
                m.ConnectionClosed();
            }
        } closed{metrics, *conn};

        boost::system::error_code peer_ec;
        auto peer = stream.socket().remote_endpoint(peer_ec);
        std::string remote = peer_ec ? "" : peer.address().to_string();
        beast::flat_buffer buffer;

        while (!draining.load()) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(options.max_header_bytes);
            // The headers say which route a request is for, and so how large its body may be:
            // read them first with the largest limit of any route, then apply the route's.
            parser.body_limit(largest_body);
            stream.expires_after(options.read_timeout);
            conn->idle = buffer.size() == 0;
            auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
            std::uint64_t body_limit = options.max_body_bytes;
            bool has_body = !ec && parser.is_header_done() && !parser.is_done();
            if (route_body_limits && (has_body || ec == bhttp::error::body_limit))
                body_limit = BodyLimitFor(parser.get());
            if (!ec && parser.is_header_done()) {
                if (auto length = parser.content_length(); length && *length > body_limit) {
                    ec = bhttp::error::body_limit;
                } else if (!parser.is_done()) {
                    conn->idle = false;
                    parser.body_limit(body_limit);
                    if (options.min_body_rate > 0) {
                        std::uint64_t size = parser.content_length().value_or(body_limit);
                        stream.expires_after(options.read_timeout +
                                             std::chrono::milliseconds(size * 1000 / options.min_body_rate));
                    }
                    // A client that asked first (curl does for large uploads) may now send the body.
                    if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
                        bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
                        std::tie(ec, n) = co_await bhttp::async_write(stream, go_on, kNoThrow);
                    }
                    if (!ec) std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
                }
            }
            conn->idle = false;
            auto start = SteadyClock::now();
            if (ec) {
                if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
                    ec == asio::error::connection_reset || ec == asio::error::eof) {
                    break;
                }
                if (ec == beast::error::timeout) {
                    // A request that arrives too slowly (or not at all) ties up a connection.
                    if (buffer.size() > 0 || parser.got_some())
                        log->info("slow client {} cut off after {} ms", remote, options.read_timeout.count());
                    break;
                }
                Error err = ec == bhttp::error::body_limit
                                ? Error(ErrorKind::kTooLarge, "body-too-large",
                                        "El cuerpo de la solicitud supera el máximo de " +
                                            std::to_string(body_limit) + " bytes.")
                            : ec == bhttp::error::header_limit
                                ? Error(ErrorKind::kTooLarge, "headers-too-large",
                                        "Los encabezados de la solicitud superan el máximo de " +
                                            std::to_string(options.max_header_bytes) + " bytes.")
                                : Error::BadRequest("malformed-request",
                                                    "La solicitud HTTP está mal formada (" + ec.message() + ").");
                if (ec.category() != bhttp::make_error_code(bhttp::error::bad_version).category()) break;
                Response res = ErrorResponse(err);
                if (ec == bhttp::error::header_limit) res.status = 431;
                std::string id = NextId();
                std::size_t bytes = res.BodySize();  // Send() moves the body out
                co_await Send(stream, res, id, /*keep_alive=*/false, /*head=*/false, 11);
                LogAccess(Metrics::kUnmatched, "OTHER", "-", res.status, bytes, start, id, remote);
                break;
            }

            bhttp::request<bhttp::string_body>& req = parser.get();
            std::string id(req["X-Request-Id"]);
            if (!ValidRequestId(id)) id = NextId();
            bool head = req.method() == bhttp::verb::head;

            auto target = req.target();
            std::string_view target_sv(target.data(), target.size());
            auto method_sv = req.method_string();
            std::string_view method(method_sv.data(), method_sv.size());
            std::size_t qpos = target_sv.find('?');
            BeastHeaders headers(req.base());
            Request request;
            request.method = head ? std::string_view("GET") : method;
            request.target = target_sv;
            request.path = target_sv.substr(0, qpos);
            request.query = qpos == std::string_view::npos ? std::string_view() : target_sv.substr(qpos + 1);
            request.body = req.body();
            request.request_id = id;
            request.remote = remote;
            request.headers = &headers;

            bool gzip = AcceptsGzip(request.Header("Accept-Encoding"));
            Router::Match match = router.Find(request.method, request.path);
            Response res;
            std::size_t route_index = Metrics::kUnmatched;
            std::string_view route_name = "-";
            if (!match.route) {
                if (match.path_known) {
                    res = ErrorResponse(Error(ErrorKind::kBadRequest, "method-not-allowed",
                                              "El método " + std::string(method) + " no se admite en esta ruta."));
                    res.status = 405;
                    res.Set("Allow", match.allow);
                } else {
                    res = ErrorResponse(Error::NotFound("No existe la ruta " + std::string(request.path) + "."));
                }
            } else {
                const Router::Route& route = *match.route;
                route_index = route.index;
                route_name = route.pattern;
                request.params = std::move(match.params);
                if (auto unsupported = CheckContentType(route, req)) {
                    res = ErrorResponse(*unsupported);
                } else if (route.options.inline_handler) {
                    res = Call(route, request);
                    EncodeForClient(res, gzip);
                } else {
                    // Compressed on the worker too: the I/O threads only parse and write.
                    res = co_await asio::co_spawn(
                        workers, [&]() -> awaitable<Response> { co_return CallAndEncode(route, request, gzip); },
                        asio::use_awaitable);
                }
            }
            // Decided after the handler: a shutdown that began meanwhile closes the connection.
            bool keep_alive = req.keep_alive() && !draining.load();
            unsigned version = req.version();
            std::size_t bytes = res.BodySize();
            bool sent = co_await Send(stream, res, id, keep_alive, head, version);
            LogAccess(route_index, MetricMethod(method), route_name, res.status, bytes, start, id, remote);
            if (!sent || !keep_alive) break;
        }
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    // The body limit of the route `req` is for. REQUIRES: its request line was read.
    std::uint64_t BodyLimitFor(const bhttp::request<bhttp::string_body>& req) const {
        auto target = req.target();
        std::string_view path(target.data(), target.size());
        path = path.substr(0, path.find('?'));
        auto method = req.method_string();
        std::string_view m = req.method() == bhttp::verb::head ? std::string_view("GET")
                                                                : std::string_view(method.data(), method.size());
        Router::Match match = router.Find(m, path);
        if (match.route && match.route->options.max_body_bytes) return *match.route->options.max_body_bytes;
        return options.max_body_bytes;
    }

    std::optional<Error> CheckContentType(const Router::Route& route,
                                          const bhttp::request<bhttp::string_body>& req) {
        if (route.options.accepts.empty()) return std::nullopt;
        if (req.body().empty() && req.method() != bhttp::verb::post && req.method() != bhttp::verb::put &&
            req.method() != bhttp::verb::patch) {
            return std::nullopt;
        }
        auto ct = req[bhttp::field::content_type];
        std::string_view type(ct.data(), ct.size());
        type = type.substr(0, type.find(';'));
        while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
        for (const auto& a : route.options.accepts) {
            if (beast::iequals(type, a)) return std::nullopt;
        }
        std::string list;
        for (const auto& a : route.options.accepts) list += (list.empty() ? "" : ", ") + a;
        return Error(ErrorKind::kUnsupportedMedia, "unsupported-media-type",
                     "Tipo de contenido no admitido" + (type.empty() ? std::string() : " (" + std::string(type) + ")") +
                         "; se espera " + list + ".");
    }

    // Runs a handler; a throwing handler fails its own request, never the process.
    Response Call(const Router::Route& route, const Request& request) {
        try {
            return route.handler(request);
        } catch (const std::exception& e) {
            log->error("handler {} failed (request {}): {}", route.pattern, request.request_id, e.what());
        } catch (...) {
            log->error("handler {} failed (request {})", route.pattern, request.request_id);
        }
        return ErrorResponse(Error::Internal("Error interno; la solicitud " + std::string(request.request_id) +
                                             " quedó registrada."));
    }

    Response CallAndEncode(const Router::Route& route, const Request& request, bool gzip) {
        Response res = Call(route, request);
        EncodeForClient(res, gzip);
        return res;
    }

    awaitable<bool> Send(beast::tcp_stream& stream, Response& res, const std::string& id, bool keep_alive,
                         bool head, unsigned version) {
        if (res.shared_body) {
            // Shared bytes (static documents) are written from where they live, uncopied.
            bhttp::response<bhttp::span_body<const char>> msg{static_cast<bhttp::status>(res.status), version};
            SetHeaders(msg, res, id, keep_alive);
            msg.body() = {res.shared_body->data(), res.shared_body->size()};
            co_return co_await Write(stream, msg, head);
        }
        bhttp::response<bhttp::string_body> msg{static_cast<bhttp::status>(res.status), version};
        SetHeaders(msg, res, id, keep_alive);
        msg.body() = std::move(res.body);
        co_return co_await Write(stream, msg, head);
    }

    template <class Message>
    void SetHeaders(Message& msg, const Response& res, const std::string& id, bool keep_alive) {
        msg.set(bhttp::field::server, "ventanilla");
        msg.set(bhttp::field::date, HttpDate());
        msg.set(bhttp::field::content_type, res.content_type);
        msg.set("X-Request-Id", id);
        msg.set("X-Content-Type-Options", "nosniff");
        for (auto& [k, v] : res.headers) msg.set(k, v);
        msg.keep_alive(keep_alive);
    }

    // Writes `msg`; for HEAD only its header, with the length the body would have.
    template <class Body>
    awaitable<bool> Write(beast::tcp_stream& stream, bhttp::response<Body>& msg, bool head) {
        msg.prepare_payload();
        stream.expires_after(options.write_timeout);
        if (head) {
            bhttp::response_serializer<Body> sr{msg};
            auto [ec, n] = co_await bhttp::async_write_header(stream, sr, kNoThrow);
            co_return !ec;
        }
        auto [ec, n] = co_await bhttp::async_write(stream, msg, kNoThrow);
        co_return !ec;
    }

    void LogAccess(std::size_t route_index, std::string_view method, std::string_view route, int status,
                   std::size_t bytes, SteadyClock::time_point start, const std::string& id,
                   const std::string& remote) {
        auto took = SteadyClock::now() - start;
        metrics.ObserveRequest(route_index, method, status, took);
        if (!options.access_log || !access) return;
        boost::json::object line{
            {"ts", core::FormatUtc(std::chrono::system_clock::now())},
            {"id", id},
            {"remote", remote},
            {"method", method},
            {"route", route},
            {"status", status},
            {"bytes", bytes},
            {"us", std::chrono::duration_cast<std::chrono::microseconds>(took).count()},
        };
        access->info(boost::json::serialize(line));
    }

    std::string NextId() {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s-%llx", id_prefix.c_str(),
                      static_cast<unsigned long long>(next_id.fetch_add(1, std::memory_order_relaxed)));
        return buf;
    }

    void BeginShutdown() {
        if (draining.exchange(true)) return;
        log->info("shutting down: finishing in-flight requests");
        asio::post(acceptor.get_executor(), [this] {
            boost::system::error_code ignored;
            acceptor.close(ignored);
        });
        std::vector<std::shared_ptr<Connection>> snapshot;
        {
            std::lock_guard lock(conns_mu);
            snapshot.assign(conns.begin(), conns.end());
            if (snapshot.empty()) {
                ioc.stop();
                return;
            }
        }
        // Idle keep-alive connections are closed now; busy ones finish their response
        // (sent with "Connection: close") and then close themselves.
        for (auto& c : snapshot) {
            asio::post(c->strand, [c] {
                if (c->alive && c->idle && c->stream) c->stream->cancel();
            });
        }
        grace_timer.expires_after(options.shutdown_grace);
        grace_timer.async_wait([this](boost::system::error_code ec) {
            if (!ec) {
                log->warn("shutdown grace period over; stopping with requests still in flight");
                ioc.stop();
            }
        });
    }

    ServerOptions options;
    const Router& router;
    Metrics& metrics;
    std::shared_ptr<spdlog::logger> log;
    std::shared_ptr<spdlog::logger> access;
    asio::io_context ioc;
    tcp::acceptor acceptor;
    asio::thread_pool workers;
    asio::steady_timer grace_timer{ioc};
    std::string id_prefix;
    std::atomic<std::uint64_t> next_id{1};
    std::atomic<bool> draining{false};
    // Set by Run() before the first connection: the largest body any route accepts, and
    // whether any route sets a limit of its own.
    std::uint64_t largest_body = 0;
    bool route_body_limits = false;
    std::mutex conns_mu;
    std::set<std::shared_ptr<Connection>> conns;  // GUARDED_BY(conns_mu)
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics,
               std::shared_ptr<spdlog::logger> log, std::shared_ptr<spdlog::logger> access)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, std::move(log), std::move(access))) {}

Server::~Server() {
    impl_->workers.join();
}

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run(bool handle_signals) {
    Impl& s = *impl_;
    s.largest_body = s.options.max_body_bytes;
    for (const auto& route : s.router.routes()) {
        s.metrics.DeclareRoute(route.index, route.pattern);
        s.largest_body = std::max(s.largest_body, route.options.max_body_bytes.value_or(0));
        s.route_body_limits = s.route_body_limits || route.options.max_body_bytes.has_value();
    }
    asio::co_spawn(s.acceptor.get_executor(), s.Accept(), asio::detached);
    asio::signal_set signals(s.ioc);
    if (handle_signals) {
        signals.add(SIGINT);
        signals.add(SIGTERM);
        signals.async_wait([&s](boost::system::error_code ec, int) {
            if (!ec) s.BeginShutdown();
        });
    }
    s.log->info("listening on http://{}:{}", s.options.address, port());
    std::vector<std::thread> threads;
    int n = s.IoThreads();
    for (int i = 1; i < n; ++i) threads.emplace_back([&s] { s.ioc.run(); });
    s.ioc.run();
    for (auto& t : threads) t.join();
    s.workers.join();
    s.log->info("server stopped");
}

void Server::Stop() {
    asio::post(impl_->ioc, [this] { impl_->BeginShutdown(); });
}

}  // namespace vt::http
