#include "signature.hpp"

#include <sodium.h>

#include "vt/audit/audit.hpp"

namespace vt::documents {
namespace {

// Reads "<name>=<value>" at `pos` up to the next space or the end of the PDF string, and
// moves past it.
bool ReadToken(std::string_view s, std::size_t& pos, std::string_view name, std::string& value) {
    if (s.substr(pos, name.size()) != name || s.substr(pos + name.size(), 1) != "=") return false;
    pos += name.size() + 1;
    std::size_t end = pos;
    while (end < s.size() && s[end] != ' ' && s[end] != ')' && s[end] != '\\' && end - pos < 80)
        ++end;
    value = std::string(s.substr(pos, end - pos));
    pos = end;
    return !value.empty();
}

}  // namespace

std::string UnsignedSignatureField(std::string_view id, std::string_view key_id,
                                   std::string_view issued_at) {
    std::string out(kSignatureMarker);
    out += "id=";
    out += id;
    out += " clave=";
    out += key_id;
    out += " fecha=";
    out += issued_at;
    out += " firma=";
    out += std::string(kSignatureHexLength, '0');
    return out;
}

Result<EmbeddedSignature> FindSignature(std::string_view pdf) {
    std::size_t at = pdf.find(kSignatureMarker);
    if (at == std::string_view::npos)
        return Error::NotFound("El archivo no tiene firma de la Ventanilla.");
    if (pdf.find(kSignatureMarker, at + 1) != std::string_view::npos)
        return Error::NotFound("El archivo tiene más de una firma de la Ventanilla.");
    auto malformed = [] { return Error::Invalid("La firma del archivo está mal formada."); };
    EmbeddedSignature sig;
    std::size_t pos = at + kSignatureMarker.size();
    if (!ReadToken(pdf, pos, "id", sig.document_id) || pdf.substr(pos, 1) != " ")
        return malformed();
    ++pos;
    if (!ReadToken(pdf, pos, "clave", sig.key_id) || pdf.substr(pos, 1) != " ") return malformed();
    ++pos;
    if (!ReadToken(pdf, pos, "fecha", sig.issued_at) || pdf.substr(pos, 1) != " ")
        return malformed();
    ++pos;
    if (pdf.substr(pos, 6) != "firma=") return malformed();
    pos += 6;
    if (pos + kSignatureHexLength > pdf.size()) return malformed();
    auto raw = FromHex(pdf.substr(pos, kSignatureHexLength));
    if (!raw.ok()) return malformed();
    sig.signature = std::move(raw).value();
    sig.signature_offset = pos;
    return sig;
}

std::string ZeroSignature(std::string_view pdf, std::size_t offset) {
    std::string out(pdf);
    out.replace(offset, kSignatureHexLength, kSignatureHexLength, '0');
    return out;
}

std::string FillSignature(std::string_view pdf, std::size_t offset, std::string_view signature) {
    std::string out(pdf);
    out.replace(offset, kSignatureHexLength, ToHex(signature));
    return out;
}

std::string SignedMessage(std::string_view digest_hex) {
    return std::string(kSignedMessagePrefix) + std::string(digest_hex);
}

std::string Sign(std::string_view secret_key, std::string_view message) {
    std::string sig(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         reinterpret_cast<const unsigned char*>(secret_key.data()));
    return sig;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
    if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES)
        return false;
    return crypto_sign_verify_detached(
               reinterpret_cast<const unsigned char*>(signature.data()),
               reinterpret_cast<const unsigned char*>(message.data()), message.size(),
               reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

std::string KeyId(std::string_view public_key) { return audit::Sha256Hex(public_key); }

std::string ToHex(std::string_view bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                   bytes.size());
    out.pop_back();
    return out;
}

Result<std::string> FromHex(std::string_view hex) {
    std::string out(hex.size() / 2, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (hex.size() % 2 != 0 ||
        sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                       hex.size(), nullptr, &len, &end) != 0 ||
        end != hex.data() + hex.size()) {
        return Error::Invalid("No es hexadecimal.");
    }
    out.resize(len);
    return out;
}

std::string ToBase64(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.pop_back();
    return out;
}

Result<std::string> FromBase64(std::string_view text) {
    std::string out(text.size(), '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size()) {
        return Error::Invalid("No es base64.");
    }
    out.resize(len);
    return out;
}

}  // namespace vt::documents
