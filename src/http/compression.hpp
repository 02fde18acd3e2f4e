#pragma once
// Content-Encoding negotiation for the server: which clients get gzip, which responses
// are worth compressing, and the rewrite of a response into its gzip encoding.
#include <cstddef>
#include <string_view>

#include "vt/http/http.hpp"

namespace vt::http {

/// Bodies below this size are sent as they are: a gzip header and the extra CPU cost more
/// than they save.
inline constexpr std::size_t kMinGzipBytes = 1024;

/// True when an Accept-Encoding value (RFC 9110 §12.5.3) admits gzip: "gzip" or "x-gzip"
/// with a q-value above zero, or "*" with one when gzip is not listed. Empty: false.
bool AcceptsGzip(std::string_view accept_encoding);

/// True for the media types that compress well: text/*, JSON, YAML, XML and SVG
/// (including application/*+json and application/*+xml). Parameters after ';' are ignored; case-insensitive.
bool CompressibleType(std::string_view content_type);

/// Rewrites `res` for a client that does (`accepts_gzip`) or does not accept gzip; see
/// Server for the rules. A precomputed shared_gzip_body is used as is.
void EncodeForClient(Response& res, bool accepts_gzip);

}  // namespace vt::http
