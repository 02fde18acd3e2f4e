#pragma once
/// Content hashes (libsodium's SHA-256). Thread-safe.
#include <string>
#include <string_view>

namespace vt::core {

/// Lowercase hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

}  // namespace vt::core
