#include <boost/json.hpp>
#include <cassert>

#include "vt/http/http.hpp"

namespace vt::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 1;
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        out.emplace_back(path.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

bool IsParam(const std::string& seg) { return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}'; }

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string PercentDecode(std::string_view s, bool form) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%' && i + 2 < s.size()) {
            int h = HexValue(s[i + 1]), l = HexValue(s[i + 2]);
            if (h >= 0 && l >= 0) {
                out.push_back(static_cast<char>(h * 16 + l));
                i += 2;
                continue;
            }
        }
        out.push_back(form && c == '+' ? ' ' : c);
    }
    return out;
}

std::string_view Request::Param(std::string_view name) const {
    for (const auto& [k, v] : params) {
        if (k == name) return v;
    }
    return {};
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
    std::string_view q = query;
    while (!q.empty()) {
        std::size_t amp = q.find('&');
        std::string_view pair = q.substr(0, amp);
        std::size_t eq = pair.find('=');
        if (PercentDecode(pair.substr(0, eq)) == name) {
            return eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1));
        }
        if (amp == std::string_view::npos) break;
        q.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
    assert(!pattern.empty() && pattern.front() == '/');
    Route r;
    r.segments = Split(pattern);
    r.method = std::move(method);
    r.pattern = std::move(pattern);
    r.handler = std::move(handler);
    r.options = std::move(options);
    r.index = routes_.size();
    routes_.push_back(std::move(r));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
    Match m;
    if (method == "HEAD") method = "GET";
    if (path.empty() || path.front() != '/') return m;
    // Segment views into `path`; no allocation per segment.
    std::vector<std::string_view> segs;
    std::size_t i = 1;
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        segs.push_back(path.substr(i, j - i));
        i = j + 1;
    }
    for (const Route& r : routes_) {
        if (r.segments.size() != segs.size()) continue;
        bool ok = true;
        for (std::size_t k = 0; k < segs.size() && ok; ++k) {
            const std::string& s = r.segments[k];
            ok = IsParam(s) ? !segs[k].empty() : s == segs[k];
        }
        if (!ok) continue;
        m.path_known = true;
        if (r.method != method) {
            if (m.allow.find(r.method) == std::string::npos) {
                if (!m.allow.empty()) m.allow += ", ";
                m.allow += r.method;
                if (r.method == "GET") m.allow += ", HEAD";
            }
            continue;
        }
        if (m.route) continue;
        m.route = &r;
        for (std::size_t k = 0; k < segs.size(); ++k) {
            const std::string& s = r.segments[k];
            if (IsParam(s)) m.params.emplace_back(std::string_view(s).substr(1, s.size() - 2), segs[k]);
        }
    }
    return m;
}

}  // namespace vt::http
