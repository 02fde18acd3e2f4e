#include "totp.hpp"

#include <liboath/oath.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>

namespace vt::identity::internal {
namespace {

void InitOath() {
    static std::once_flag once;
    std::call_once(once, [] { (void)oath_init(); });
}

std::string UriEscape(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

}  // namespace

std::string TotpCode(std::string_view secret, std::time_t now, unsigned digits) {
    InitOath();
    char out[16] = {};
    if (oath_totp_generate(secret.data(), secret.size(), now, kTotpStepSeconds,
                           OATH_TOTP_DEFAULT_START_TIME, digits, out) != OATH_OK) {
        return {};
    }
    return out;
}

std::optional<std::int64_t> TotpMatch(std::string_view secret, std::time_t now,
                                      std::string_view code, unsigned window, unsigned digits) {
    if (code.size() != digits ||
        !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    InitOath();
    std::string otp(code);
    int position = 0;
    std::uint64_t counter = 0;
    int rc =
        oath_totp_validate3(secret.data(), secret.size(), now, kTotpStepSeconds,
                            OATH_TOTP_DEFAULT_START_TIME, window, &position, &counter, otp.c_str());
    if (rc < 0) return std::nullopt;
    return static_cast<std::int64_t>(counter);
}

std::string Base32(std::string_view bytes) {
    char* encoded = nullptr;
    std::size_t length = 0;
    if (oath_base32_encode(bytes.data(), bytes.size(), &encoded, &length) != OATH_OK) return {};
    std::string out(encoded, length);
    std::free(encoded);
    // Authenticator apps take the secret without padding.
    while (!out.empty() && out.back() == '=') out.pop_back();
    return out;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret) {
    return "otpauth://totp/" + UriEscape(issuer) + ":" + UriEscape(account) +
           "?secret=" + Base32(secret) + "&issuer=" + UriEscape(issuer) +
           "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
           "&period=" + std::to_string(kTotpStepSeconds);
}

}  // namespace vt::identity::internal
