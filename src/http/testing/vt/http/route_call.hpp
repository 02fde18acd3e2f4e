#pragma once
// Calling a route without a server, for the tests of every module's handlers: a request is
// built as the server would build it and sent through the Router.
#include <cctype>
#include <map>
#include <string>
#include <string_view>

#include "vt/http/http.hpp"

namespace vt::http::testing {

/// Request headers; names are compared without regard to case, as in HTTP.
class FakeHeaders final : public HeaderSource {
public:
    FakeHeaders() = default;
    explicit FakeHeaders(std::map<std::string, std::string> v) : values(std::move(v)) {}

    std::string_view Get(std::string_view name) const override {
        for (const auto& [k, v] : values) {
            if (k.size() == name.size() &&
                std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) ==
                           std::tolower(static_cast<unsigned char>(b));
                }))
                return v;
        }
        return {};
    }

    std::map<std::string, std::string> values;
};

/// Sends `method target` with `body` and `headers` through `router`: the path parameters,
/// query and peer address are filled in as the server does; 404 when no route matches.
inline Response CallRoute(const Router& router, std::string_view method, std::string_view target,
                          std::string_view body, const HeaderSource& headers,
                          std::string_view remote = "192.0.2.10") {
    Request r;
    r.method = method;
    r.target = target;
    std::size_t q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    r.body = body;
    r.remote = remote;
    r.headers = &headers;
    auto match = router.Find(r.method, r.path);
    if (!match.route) return ErrorResponse(Error::NotFound("No existe la ruta."));
    r.params = match.params;
    return match.route->handler(r);
}

}  // namespace vt::http::testing
