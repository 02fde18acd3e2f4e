#include "compression.hpp"

#include <zlib.h>

#include <boost/beast/core/string.hpp>
#include <charconv>
#include <stdexcept>

namespace vt::http {
namespace {

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool IEquals(std::string_view a, std::string_view b) { return boost::beast::iequals(a, b); }

bool IEndsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && IEquals(s.substr(s.size() - suffix.size()), suffix);
}

// The q-value of one Accept-Encoding element's parameters ("q=0.5"); 1 when absent, and
// 0 when malformed, so that a value nobody can read never turns compression on.
double QValue(std::string_view params) {
    while (!params.empty()) {
        std::size_t semi = params.find(';');
        std::string_view p = Trim(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
        if (p.size() < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') continue;
        std::string_view v = Trim(p.substr(2));
        double q = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), q);
        if (ec != std::errc() || end != v.data() + v.size() || q < 0 || q > 1) return 0;
        return q;
    }
    return 1;
}

bool HasHeader(const Response& res, std::string_view name) {
    for (const auto& [k, v] : res.headers) {
        if (IEquals(k, name)) return true;
    }
    return false;
}

// Adds Accept-Encoding to the response's Vary header, keeping what the handler put there.
void AddVary(Response& res) {
    for (auto& [k, v] : res.headers) {
        if (!IEquals(k, "Vary")) continue;
        if (Trim(v) == "*" || v.find("Accept-Encoding") != std::string::npos) return;
        v += v.empty() ? "Accept-Encoding" : ", Accept-Encoding";
        return;
    }
    res.Set("Vary", "Accept-Encoding");
}

// A strong validator names one exact sequence of bytes; the encoded body is another.
void WeakenEtag(Response& res) {
    for (auto& [k, v] : res.headers) {
        if (IEquals(k, "ETag") && !v.starts_with("W/")) v = "W/" + v;
    }
}

}  // namespace

std::string Gzip(std::string_view bytes) {
    z_stream zs{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("zlib: deflateInit2 failed");
    }
    std::string out(deflateBound(&zs, static_cast<uLong>(bytes.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    // deflateBound() leaves room for the whole stream, so one call finishes it.
    int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
    return out;
}

bool AcceptsGzip(std::string_view accept_encoding) {
    double gzip = -1, any = -1;
    while (!accept_encoding.empty()) {
        std::size_t comma = accept_encoding.find(',');
        std::string_view element = accept_encoding.substr(0, comma);
        accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
        std::size_t semi = element.find(';');
        std::string_view coding = Trim(element.substr(0, semi));
        double q = semi == std::string_view::npos ? 1 : QValue(element.substr(semi + 1));
        if (IEquals(coding, "gzip") || IEquals(coding, "x-gzip")) gzip = std::max(gzip, q);
        if (coding == "*") any = std::max(any, q);
    }
    return (gzip >= 0 ? gzip : any) > 0;
}

bool CompressibleType(std::string_view content_type) {
    std::string_view type = Trim(content_type.substr(0, content_type.find(';')));
    if (type.size() > 5 && IEquals(type.substr(0, 5), "text/")) return true;
    for (std::string_view t : {"application/json", "application/yaml", "application/xml", "image/svg+xml"}) {
        if (IEquals(type, t)) return true;
    }
    return type.size() > 12 && IEquals(type.substr(0, 12), "application/") &&
           (IEndsWith(type, "+json") || IEndsWith(type, "+xml"));
}

void EncodeForClient(Response& res, bool accepts_gzip) {
    if (res.status < 200 || res.status == 204 || res.status == 304) return;
    if (res.BodySize() < kMinGzipBytes || !CompressibleType(res.content_type)) return;
    if (HasHeader(res, "Content-Encoding")) return;
    // Caches must key on Accept-Encoding even for the client that got the plain bytes.
    AddVary(res);
    if (!accepts_gzip) return;
    std::size_t plain = res.BodySize();
    if (res.shared_body && res.shared_gzip_body) {
        if (res.shared_gzip_body->size() >= plain) return;
        res.shared_body = std::move(res.shared_gzip_body);
    } else {
        std::string encoded = Gzip(res.shared_body ? std::string_view(*res.shared_body) : std::string_view(res.body));
        if (encoded.size() >= plain) return;
        res.body = std::move(encoded);
        res.shared_body.reset();
    }
    res.shared_gzip_body.reset();
    res.Set("Content-Encoding", "gzip");
    WeakenEtag(res);
}

}  // namespace vt::http
