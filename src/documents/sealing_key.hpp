#pragma once
// The server key that seals the officials' secret signing keys at rest
// (crypto_secretbox: XSalsa20-Poly1305). It lives in a file outside the database, so a copy
// of the database (a backup, a replica) alone cannot sign anything.
#include <sodium.h>

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::documents {

class SealingKey {
public:
    /// Reads `file`, creating it first when missing: 32 random bytes, mode 0600, written to
    /// a temporary file and linked into place, so concurrent first uses (threads or
    /// processes) end with one key. Errors: kInternal when the file cannot be read or
    /// written, has the wrong size, or can be read by group or others (code
    /// "key-file-permissions": the key must stay private).
    [[nodiscard]] static Result<SealingKey> LoadOrCreate(const std::filesystem::path& file);

    ~SealingKey();
    SealingKey(const SealingKey& other) = default;
    SealingKey& operator=(const SealingKey& other) = default;

    /// nonce (24 random bytes) || secretbox(plain).
    std::string Seal(std::string_view plain) const;
    /// The plain text of Seal()'s output. Errors: kInternal code "sealed-key-invalid" when
    /// it was not sealed with this key or was altered.
    [[nodiscard]] Result<std::string> Open(std::string_view sealed) const;

private:
    SealingKey() = default;
    std::array<unsigned char, crypto_secretbox_KEYBYTES> key_{};
};

}  // namespace vt::documents
