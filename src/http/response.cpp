#include <boost/json.hpp>

#include "vt/http/http.hpp"

namespace vt::http {

// The one place where error kinds become status codes; client errors first.
int StatusFor(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::kBadRequest: return 400;
        case ErrorKind::kUnauthenticated: return 401;
        case ErrorKind::kForbidden: return 403;
        case ErrorKind::kNotFound: return 404;
        case ErrorKind::kConflict: return 409;
        case ErrorKind::kTooLarge: return 413;
        case ErrorKind::kUnsupportedMedia: return 415;
        case ErrorKind::kInvalid: return 422;
        case ErrorKind::kRateLimited: return 429;
        case ErrorKind::kInternal: return 500;
        case ErrorKind::kUnavailable: return 503;
        case ErrorKind::kStorageFull: return 507;
    }
    return 500;
}

Response Json(const boost::json::value& body, int status) {
    Response r;
    r.status = status;
    r.body = boost::json::serialize(body);
    return r;
}

Response Text(std::string body, int status, std::string content_type) {
    Response r;
    r.status = status;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
}

namespace {

// Only ASCII letters, digits and a few safe marks survive in the plain filename parameter;
// the exact name travels percent-encoded in filename* (RFC 6266).
std::string ContentDisposition(std::string_view name) {
    std::string ascii, encoded;
    for (unsigned char c : name) {
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
        // One '_' per character: UTF-8 continuation bytes add none.
        if (safe)
            ascii.push_back(static_cast<char>(c));
        else if ((c & 0xC0) != 0x80)
            ascii.push_back('_');
        if (safe) {
            encoded.push_back(static_cast<char>(c));
        } else {
            static constexpr char kHex[] = "0123456789ABCDEF";
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 15];
        }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

Response Download(std::string bytes, std::string content_type, std::string_view filename) {
    Response r;
    r.status = 200;
    r.content_type = std::move(content_type);
    r.body = std::move(bytes);
    r.Set("Content-Disposition", ContentDisposition(filename));
    r.Set("X-Content-Type-Options", "nosniff");
    r.Set("Content-Security-Policy", "default-src 'none'; sandbox");
    r.Set("Cache-Control", "private, no-store");
    return r;
}

Result<boost::json::object> ParseJsonObject(const Request& request) {
    boost::json::stream_parser parser;
    boost::system::error_code ec;
    std::size_t consumed = parser.write(request.body.data(), request.body.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
        return Error::BadRequest("malformed-json", "El cuerpo no es JSON válido (cerca del byte " +
                                                       std::to_string(consumed) + "): " + ec.message() + ".");
    }
    boost::json::value v = parser.release();
    if (!v.is_object()) return Error::Invalid("El cuerpo debe ser un objeto JSON ({...}).");
    return std::move(v.as_object());
}

Response ErrorResponse(const Error& error) {
    boost::json::object fields;
    for (const auto& [k, v] : error.fields()) fields[k] = v;
    boost::json::object inner{{"code", error.code()}, {"message", error.message()}, {"fields", std::move(fields)}};
    Response r = Json(boost::json::object{{"error", std::move(inner)}}, StatusFor(error.kind()));
    if (error.kind() == ErrorKind::kUnavailable) r.Set("Retry-After", "5");
    return r;
}

}  // namespace vt::http
