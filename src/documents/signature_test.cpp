#include "signature.hpp"

#include <sodium.h>

#include "vt/testing.hpp"

namespace vt::documents {
namespace {

const std::string kId = "0123456789abcdef0123456789abcdef";
const std::string kKey(64, 'c');
const std::string kAt = "2026-11-25T16:00:00.000Z";

std::string Pdf(const std::string& field) {
    return "%PDF-1.3\n3 0 obj\n<<\n/Keywords (" + field + ")\n>>\nendobj\n%%EOF";
}

TEST(SignatureField, IsFoundAndReadBack) {
    std::string pdf = Pdf(UnsignedSignatureField(kId, kKey, kAt));
    auto sig = FindSignature(pdf);
    ASSERT_OK(sig);
    EXPECT_EQ(sig->document_id, kId);
    EXPECT_EQ(sig->key_id, kKey);
    EXPECT_EQ(sig->issued_at, kAt);
    EXPECT_EQ(sig->signature, std::string(64, '\0'));
    EXPECT_EQ(pdf.substr(sig->signature_offset - 6, 6), "firma=");
}

TEST(SignatureField, FillingAndZeroingRoundTripWithoutMovingBytes) {
    std::string pdf = Pdf(UnsignedSignatureField(kId, kKey, kAt));
    auto sig = FindSignature(pdf);
    ASSERT_OK(sig);
    std::string value(64, '\x5A');
    std::string filled = FillSignature(pdf, sig->signature_offset, value);
    EXPECT_EQ(filled.size(), pdf.size());
    auto read = FindSignature(filled);
    ASSERT_OK(read);
    EXPECT_EQ(read->signature, value);
    EXPECT_EQ(ZeroSignature(filled, read->signature_offset), pdf);
}

TEST(SignatureField, TwoFieldsOrNoneMeanNotSigned) {
    std::string field = UnsignedSignatureField(kId, kKey, kAt);
    auto none = FindSignature("%PDF-1.3 nada");
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().kind(), ErrorKind::kNotFound);
    auto two = FindSignature(Pdf(field) + Pdf(field));
    ASSERT_FALSE(two.ok());
    EXPECT_EQ(two.error().kind(), ErrorKind::kNotFound);
    std::string truncated = Pdf(field);
    truncated.resize(truncated.find("firma=") + 20);
    auto bad = FindSignature(truncated);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalid);
}

TEST(Ed25519, SignsTheDocumentedMessage) {
    ASSERT_GE(sodium_init(), 0);
    std::string pk(crypto_sign_PUBLICKEYBYTES, '\0'), sk(crypto_sign_SECRETKEYBYTES, '\0');
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(pk.data()),
                        reinterpret_cast<unsigned char*>(sk.data()));
    std::string digest(64, 'f');
    EXPECT_EQ(SignedMessage(digest), "ventanilla-documento-v1:" + digest);
    std::string sig = Sign(sk, SignedMessage(digest));
    EXPECT_TRUE(VerifySignature(pk, SignedMessage(digest), sig));
    EXPECT_FALSE(VerifySignature(pk, SignedMessage(std::string(64, 'e')), sig));
    EXPECT_FALSE(VerifySignature(pk.substr(1), SignedMessage(digest), sig));
    EXPECT_EQ(KeyId(pk).size(), 64u);
}

TEST(Encoding, HexAndBase64RoundTrip) {
    std::string raw("\x00\x01\xfe\xff", 4);
    EXPECT_EQ(ToHex(raw), "0001feff");
    auto hex = FromHex("0001feff");
    ASSERT_OK(hex);
    EXPECT_EQ(*hex, raw);
    EXPECT_FALSE(FromHex("abc").ok());
    EXPECT_FALSE(FromHex("zz").ok());
    auto b64 = FromBase64(ToBase64(raw));
    ASSERT_OK(b64);
    EXPECT_EQ(*b64, raw);
    EXPECT_FALSE(FromBase64("###").ok());
}

}  // namespace
}  // namespace vt::documents
