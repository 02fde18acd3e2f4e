#pragma once
// The signature field embedded in an issued PDF, and what is signed. The scheme is stated
// at the top of vt/documents/documents.hpp and in docs/documentos.md.
#include <cstddef>
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::documents {

/// Starts the signature field; appears exactly once in a signed PDF.
inline constexpr std::string_view kSignatureMarker = "ventanilla-firma-v1 ";
/// Prefix of the signed message, before the hex digest.
inline constexpr std::string_view kSignedMessagePrefix = "ventanilla-documento-v1:";
/// Hex digits of an Ed25519 signature.
inline constexpr std::size_t kSignatureHexLength = 128;

/// The field with the signature still zeroed:
/// "ventanilla-firma-v1 id=<id> clave=<key_id> fecha=<issued_at> firma=000…0".
/// REQUIRES: no argument contains a space.
std::string UnsignedSignatureField(std::string_view id, std::string_view key_id,
                                   std::string_view issued_at);

/// A signature field found in a PDF.
struct EmbeddedSignature {
    std::string document_id;
    std::string key_id;
    std::string issued_at;
    std::string signature;         ///< Raw 64 bytes (all zeros before signing).
    std::size_t signature_offset;  ///< Of the first hex digit in the file.
};

/// The one signature field of `pdf`. Errors: NotFound when there is none or more than one,
/// kInvalid when it is malformed.
[[nodiscard]] Result<EmbeddedSignature> FindSignature(std::string_view pdf);

/// `pdf` with the signature digits at `offset` set to '0': the bytes the digest covers.
std::string ZeroSignature(std::string_view pdf, std::size_t offset);

/// `pdf` with the signature digits at `offset` replaced by the hex of `signature`.
/// REQUIRES: signature is 64 bytes; offset from FindSignature(pdf).
std::string FillSignature(std::string_view pdf, std::size_t offset, std::string_view signature);

/// The message signed for a PDF whose signed digest (hex SHA-256) is `digest_hex`.
std::string SignedMessage(std::string_view digest_hex);

/// Ed25519 signature (64 bytes) of `message` with the 64-byte libsodium secret key.
std::string Sign(std::string_view secret_key, std::string_view message);
/// Whether `signature` is `public_key`'s signature of `message`.
bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature);

/// Hex SHA-256 of a raw public key: its key id.
std::string KeyId(std::string_view public_key);

std::string ToHex(std::string_view bytes);
/// Errors: kInvalid on anything but an even count of hex digits.
[[nodiscard]] Result<std::string> FromHex(std::string_view hex);
std::string ToBase64(std::string_view bytes);
[[nodiscard]] Result<std::string> FromBase64(std::string_view text);

}  // namespace vt::documents
