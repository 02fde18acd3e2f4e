#pragma once
// Requests built in memory and sent straight to a router's handlers, for the tests of the
// HTTP glue (no sockets: the server itself has its own tests).
#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <string>

#include "vt/http/route_call.hpp"
#include "vt/http/http.hpp"

namespace vt::identity::testing {

using http::testing::FakeHeaders;

/// Owns the strings a Request points into.
struct TestRequest {
    std::string method = "GET";
    std::string target = "/";
    std::string body;
    std::map<std::string, std::string> headers;
    std::string remote = "192.0.2.10";

    /// Calls `fn` with the request built from these fields.
    template <typename Fn>
    auto With(Fn&& fn) const {
        FakeHeaders h(headers);
        http::Request r;
        r.method = method;
        r.target = target;
        std::string_view t = target;
        std::size_t q = t.find('?');
        r.path = t.substr(0, q);
        r.query = q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
        r.body = body;
        r.remote = remote;
        r.headers = &h;
        return fn(r);
    }
};

/// Routes `req` through `router` as the server would (404/405 when nothing matches).
inline http::Response Send(const http::Router& router, const TestRequest& req) {
    return req.With([&](http::Request& r) {
        auto match = router.Find(r.method, r.path);
        if (!match.route) {
            return http::ErrorResponse(match.path_known
                                           ? Error(ErrorKind::kBadRequest, "method", "405")
                                           : Error::NotFound("404"));
        }
        r.params = match.params;
        return match.route->handler(r);
    });
}

inline std::string SetCookie(const http::Response& r) {
    for (const auto& [k, v] : r.headers) {
        if (k == "Set-Cookie") return v;
    }
    return {};
}

inline boost::json::object Body(const http::Response& r) {
    return r.body.empty() ? boost::json::object() : boost::json::parse(r.body).as_object();
}

}  // namespace vt::identity::testing
