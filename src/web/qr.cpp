#include "qr.hpp"

#include <qrencode.h>
#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace vt::web {
namespace {

struct QrDeleter {
    void operator()(QRcode* q) const { QRcode_free(q); }
};

}  // namespace

Result<std::string> QrSvgDataUri(std::string_view text) {
    errno = 0;
    std::unique_ptr<QRcode, QrDeleter> qr(QRcode_encodeString(std::string(text).c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr) return Error::Internal(std::string("libqrencode: ") + std::strerror(errno));
    const int n = qr->width;
    const int side = n + 8;  // a quiet zone of four modules on each side
    std::string path;
    for (int row = 0; row < n; ++row) {
        int col = 0;
        while (col < n) {
            if (!(qr->data[row * n + col] & 1)) {
                ++col;
                continue;
            }
            int start = col;
            while (col < n && (qr->data[row * n + col] & 1)) ++col;
            // One horizontal run of dark modules per path segment keeps the image small.
            path += "M" + std::to_string(start + 4) + " " + std::to_string(row + 4) + "h" + std::to_string(col - start) +
                    "v1h-" + std::to_string(col - start) + "z";
        }
    }
    std::string s = std::to_string(side);
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s +
                      "\" shape-rendering=\"crispEdges\"><rect width=\"" + s + "\" height=\"" + s +
                      "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    std::string encoded(sodium_base64_encoded_len(svg.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(svg.data()), svg.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    encoded.resize(std::strlen(encoded.c_str()));
    return "data:image/svg+xml;base64," + encoded;
}

}  // namespace vt::web
