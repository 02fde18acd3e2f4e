#pragma once
/// Transport-neutral request and response types, the router, and the one table that
/// maps error kinds to HTTP status codes. Handlers (thin: parse, call a module, render)
/// see only these types; Beast stays inside server.cpp.

#include <boost/json/fwd.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vt/core/result.hpp"

namespace vt::http {

/// Read access to request headers, implemented by the server (and by tests).
class HeaderSource {
public:
    virtual ~HeaderSource() = default;
    /// The value of header `name` (case-insensitive), or empty when absent.
    virtual std::string_view Get(std::string_view name) const = 0;
};

/// One request as handlers see it. Views point into the server's buffers and are valid
/// only for the duration of the handler call.
struct Request {
    std::string_view method;      ///< "GET", "POST", ... ("HEAD" arrives as "GET").
    std::string_view target;      ///< As sent: path plus query.
    std::string_view path;        ///< Target without the query, not percent-decoded.
    std::string_view query;       ///< After '?', without it; empty when none.
    std::string_view body;
    std::string_view request_id;  ///< Echoed in X-Request-Id and the access log.
    std::string_view remote;      ///< Peer address.
    const HeaderSource* headers = nullptr;
    /// Path parameters by name, e.g. {"numero", "MTPS-2026-17"} for /expedientes/{numero}.
    std::vector<std::pair<std::string_view, std::string_view>> params;

    std::string_view Header(std::string_view name) const { return headers ? headers->Get(name) : ""; }
    /// The value of path parameter `name`; empty when the route has none by that name.
    std::string_view Param(std::string_view name) const;
    /// The percent-decoded value of query parameter `name`, if present.
    std::optional<std::string> QueryParam(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    /// When set, sent instead of `body` without copying: for large bytes that do not change
    /// (documents, static assets) and are shared by every response.
    std::shared_ptr<const std::string> shared_body;
    /// Optional, with `shared_body`: the same bytes already gzip-encoded (Gzip()), sent as
    /// they are to clients that accept gzip, so a static body is compressed once at startup
    /// instead of on every request.
    std::shared_ptr<const std::string> shared_gzip_body;
    std::vector<std::pair<std::string, std::string>> headers;

    std::size_t BodySize() const { return shared_body ? shared_body->size() : body.size(); }

    Response& Set(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

/// The gzip encoding (RFC 1952) of `bytes` at zlib's default level.
///
/// The server compresses text responses by itself (see Server); call this only to
/// precompute Response::shared_gzip_body for a body that never changes.
std::string Gzip(std::string_view bytes);

/// A JSON body with the given status.
Response Json(const boost::json::value& body, int status = 200);
/// A plain-text body.
Response Text(std::string body, int status = 200, std::string content_type = "text/plain; charset=utf-8");

/// A file the browser saves instead of showing: `bytes` with `content_type`, a
/// Content-Disposition attachment named `filename` (UTF-8; ASCII letters, digits, '.', '-'
/// and '_' kept in the plain filename parameter, every other character replaced by '_'
/// there and sent exactly in filename*, RFC 6266), nosniff, a sandboxing
/// Content-Security-Policy and Cache-Control "private, no-store" (downloads carry personal
/// data).
Response Download(std::string bytes, std::string content_type, std::string_view filename);

/// Parses the request body as a JSON object. Errors: kBadRequest code "malformed-json"
/// (with the byte offset) when it is not JSON, kInvalid when it is JSON but not an object.
Result<boost::json::object> ParseJsonObject(const Request& request);

/// The HTTP status for an error kind: the single table of the project.
int StatusFor(ErrorKind kind);
/// `{"error":{"code","message","fields"}}` with the status from StatusFor().
Response ErrorResponse(const Error& error);

/// Handlers may be called concurrently from several threads.
using Handler = std::function<Response(const Request&)>;

struct RouteOptions {
    /// Run on the I/O thread. Only for handlers that never block (no database, no files);
    /// everything else runs on the worker pool.
    bool inline_handler = false;
    /// Accepted request content types (compared before any ';'). Empty: any. A request
    /// with a body and another type gets 415.
    std::vector<std::string> accepts;
    /// Largest request body this route accepts, in bytes (413 beyond it). Unset:
    /// ServerOptions::max_body_bytes. For the few routes that take files; the server reads
    /// the headers first and applies the limit of the route they name.
    std::optional<std::uint64_t> max_body_bytes;
};

/// Maps (method, path pattern) to handlers. Patterns are literal segments and `{name}`
/// parameters: "/api/v1/expedientes/{numero}/transiciones". Not thread-safe while
/// routes are being added; immutable (and safe to share) once the server starts.
class Router {
public:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;  // "{x}" marks a parameter
        Handler handler;
        RouteOptions options;
        std::size_t index = 0;  // dense id, for per-route metrics
    };

    /// REQUIRES: pattern starts with '/'; (method, pattern) not already added.
    void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

    struct Match {
        const Route* route = nullptr;                // null: no route for this path and method
        bool path_known = false;                     // some route has this path (so 405, not 404)
        std::string allow;                           // methods allowed on the path, for 405
        std::vector<std::pair<std::string_view, std::string_view>> params;
    };
    /// Finds the route for `method` and `path`. HEAD matches GET routes.
    Match Find(std::string_view method, std::string_view path) const;

    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

/// Percent-decodes `s` ('+' as space when `form` is true). Invalid escapes are kept as is.
std::string PercentDecode(std::string_view s, bool form = true);

}  // namespace vt::http
