#pragma once
/// Secure random identifiers (libsodium's CSPRNG). Thread-safe.
#include <cstddef>
#include <string>

namespace vt::core {

/// Initialises libsodium. Called once by the composition root; safe to call again.
/// Throws std::runtime_error if the library cannot initialise (no entropy source).
void InitCrypto();

/// `bytes` random bytes as lowercase hex (2*bytes characters).
std::string RandomHex(std::size_t bytes);

}  // namespace vt::core
