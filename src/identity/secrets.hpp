#pragma once
// Random tokens, their stored digests, constant-time comparison, and the UTC timestamps
// identity keeps in the store. Private to the identity module.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vt::identity::internal {

/// A new 256-bit random token as 64 lowercase hex characters.
std::string NewToken();

/// What the store keeps of a token: hex SHA-256. Tokens are 256-bit random values, so an
/// unsalted fast hash suffices (nothing to brute-force), and lookups stay an index probe.
std::string TokenDigest(std::string_view token);

/// True iff a == b, in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// Parses the output of core::FormatUtc ("2026-11-25T12:06:13.123Z").
std::optional<std::chrono::system_clock::time_point> ParseUtc(std::string_view text);

}  // namespace vt::identity::internal
