#pragma once
// TOTP (RFC 6238) over liboath: HMAC-SHA-1, 30-second steps from the Unix epoch.
// Private to identity. Thread-safe.
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace vt::identity::internal {

inline constexpr unsigned kTotpStepSeconds = 30;
inline constexpr unsigned kTotpDigits = 6;

/// The code for `secret` (raw bytes) at Unix time `now`, `digits` long.
std::string TotpCode(std::string_view secret, std::time_t now, unsigned digits = kTotpDigits);

/// The time step (Unix time / 30) at which `code` is valid for `secret`, looking at the step
/// of `now` and `window` steps either side; nullopt when it matches none (or is malformed).
std::optional<std::int64_t> TotpMatch(std::string_view secret, std::time_t now,
                                      std::string_view code, unsigned window = 1,
                                      unsigned digits = kTotpDigits);

/// RFC 4648 base32 without padding, as authenticator apps want secrets.
std::string Base32(std::string_view bytes);

/// "otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30".
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace vt::identity::internal
