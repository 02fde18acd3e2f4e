#pragma once
// QR codes drawn on the server, for pages that show one (the second factor's otpauth URI).
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::web {

/// `text` as a QR code (libqrencode, error correction M) in an SVG image, as a
/// "data:image/svg+xml;base64,..." URI for an <img src>: no script, no request, and the
/// pages' Content-Security-Policy allows data: images. Errors: kInternal when libqrencode
/// fails (text too long for a QR code).
[[nodiscard]] Result<std::string> QrSvgDataUri(std::string_view text);

}  // namespace vt::web
