#pragma once
/// The log's signing key and signed tree heads (STH).
///
/// The key is an Ed25519 pair (libsodium crypto_sign) created the first time the server
/// starts, in `<data_dir>/keys/audit_ed25519.key` unless configured otherwise. Its public
/// half is published (GET /api/v1/audit/clave-publica); anyone holding it can check that a
/// tree head was issued by this log. Every node of a PostgreSQL deployment must carry the
/// same key file.
///
/// What a tree head signature covers is the RFC 6962 §3.5 TreeHeadSignature structure,
/// byte for byte, signed with Ed25519 instead of ECDSA (50 bytes, big-endian integers):
///
///   version         1 byte   0 (v1)
///   signature_type  1 byte   1 (tree_hash)
///   timestamp       8 bytes  milliseconds since the Unix epoch
///   tree_size       8 bytes  number of leaves
///   root_hash      32 bytes  MTH of those leaves

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "vt/audit/merkle.hpp"
#include "vt/core/result.hpp"

namespace vt::audit {

/// An Ed25519 key pair. Immutable once built, so it may be shared between threads; the
/// secret is wiped when the object is destroyed.
class LogKey {
public:
    /// A new random key pair.
    static LogKey Generate();
    /// From libsodium's 64-byte secret key (seed ‖ public key). Errors: kInvalid when the
    /// size is wrong or the public half does not belong to the seed.
    static Result<LogKey> FromSecretKey(std::string_view secret_key);

    LogKey(const LogKey&) = delete;
    LogKey& operator=(const LogKey&) = delete;
    LogKey(LogKey&& other) noexcept;
    LogKey& operator=(LogKey&& other) noexcept;
    ~LogKey();

    /// The 32-byte public key.
    const std::string& public_key() const { return public_key_; }
    /// Hex SHA-256 of the public key: the log's id, as RFC 6962 §3.2 defines a log ID.
    std::string KeyId() const;
    /// A 64-byte detached Ed25519 signature of `message`.
    std::string Sign(std::string_view message) const;
    /// libsodium's 64-byte secret key, for writing the key file.
    std::string_view secret_key() const { return secret_key_; }

private:
    LogKey() = default;
    std::string secret_key_;
    std::string public_key_;
};

/// Whether `signature` is a valid Ed25519 signature of `message` by `public_key`.
bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature);

/// Loads the key at `path`, or creates it when the file does not exist: parent folders
/// (mode 0700 when created), then the file with mode 0600, written to a temporary name and
/// linked into place, so a crash never leaves a partial key and two processes starting at
/// once end up with the same key. The file holds libsodium's 64-byte secret key.
/// Errors: kUnavailable (code "log-key") when the file cannot be read or written, or when
/// it is readable by group or others; kInvalid when its content is not a key.
Result<LogKey> LoadOrCreateLogKey(const std::filesystem::path& path);

/// Loads an existing key. Errors: NotFound when the file does not exist; otherwise as
/// LoadOrCreateLogKey.
Result<LogKey> LoadLogKey(const std::filesystem::path& path);

/// A signed tree head: the log vouches that its first `tree_size` leaves have root `root`.
struct SignedTreeHead {
    std::int64_t id = 0;  ///< Row id in audit_sth (0 until recorded).
    std::int64_t tree_size = 0;
    std::int64_t timestamp_ms = 0;  ///< Milliseconds since the Unix epoch, UTC.
    Hash root{};
    std::string signature;  ///< 64 bytes, over TreeHeadSignatureInput().
};

/// The 50 bytes a tree head signature covers (see the top of this header).
std::string TreeHeadSignatureInput(std::int64_t tree_size, std::int64_t timestamp_ms,
                                   const Hash& root);

/// Signs a tree head with `key`. REQUIRES: tree_size >= 0, timestamp_ms >= 0.
SignedTreeHead SignTreeHead(const LogKey& key, std::int64_t tree_size, std::int64_t timestamp_ms,
                            const Hash& root);

/// Whether `sth.signature` is `public_key`'s signature of the other fields.
bool VerifyTreeHead(const SignedTreeHead& sth, std::string_view public_key);

}  // namespace vt::audit
