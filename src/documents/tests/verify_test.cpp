// Verifying a document: valid, revoked or unknown, online by id and file, and offline
// against the published keys.
#include "vt/documents/documents.hpp"

#include "tests/documents_fixture.hpp"

namespace vt::documents {
namespace {

using testing::Citizen;
using testing::Firma;
using testing::Official;

class VerifyTest : public testing::DocumentsTest {};

TEST_P(VerifyTest, AnIssuedDocumentIsValidWithWhoIssuedItAndWhen) {
    auto d = FileAndIssue();
    ASSERT_OK(d);
    auto v = docs_->Verify(d->id);
    ASSERT_OK(v);
    EXPECT_EQ(v->status, DocumentStatus::kValid);
    EXPECT_EQ(DocumentStatusName(v->status), "valido");
    EXPECT_EQ(v->issuer_name, "María José Álvarez Ñuñez");
    EXPECT_EQ(v->issued_at, "2026-11-25T16:00:00.000Z");
    EXPECT_EQ(v->case_number, d->case_number);
    EXPECT_EQ(v->tramite_name, "Constancia de relación laboral");
    EXPECT_EQ(v->sha256, d->sha256);
    EXPECT_TRUE(v->signature_valid);
    EXPECT_FALSE(v->matches);
}

TEST_P(VerifyTest, UnknownIdsAreUnknown) {
    for (std::string id : {"0123456789abcdef0123456789abcdef", "no-es-un-id", "", "' OR 1=1 --"}) {
        auto v = docs_->Verify(id);
        ASSERT_OK(v);
        EXPECT_EQ(v->status, DocumentStatus::kUnknown) << id;
        EXPECT_TRUE(v->issuer_name.empty());
        auto b = docs_->VerifyBytes(id, "%PDF-1.4");
        ASSERT_OK(b);
        EXPECT_EQ(b->status, DocumentStatus::kUnknown);
        EXPECT_FALSE(b->matches);
    }
}

TEST_P(VerifyTest, ARevokedDocumentShowsRevokedWithItsReason) {
    auto d = FileAndIssue();
    ASSERT_OK(d);
    clock_.Advance(std::chrono::hours(24));

    auto by_analyst =
        docs_->Revoke(Official("jorge", "IGT", {"analista"}), d->id, "Error en el salario");
    ASSERT_FALSE(by_analyst.ok());
    EXPECT_EQ(by_analyst.error().kind(), ErrorKind::kForbidden);
    auto other_office = docs_->Revoke(Official("x", "DGE", {"jefe"}), d->id, "Error en el salario");
    ASSERT_FALSE(other_office.ok());
    EXPECT_EQ(other_office.error().kind(), ErrorKind::kForbidden);
    auto no_reason = docs_->Revoke(Official("jorge", "IGT", {"jefe"}), d->id, "  ");
    ASSERT_FALSE(no_reason.ok());
    EXPECT_TRUE(no_reason.error().fields().contains("motivo"));

    auto revoked = docs_->Revoke(Official("jorge", "IGT", {"jefe"}), d->id, "Error en el salario");
    ASSERT_OK(revoked);
    EXPECT_EQ(revoked->revoked_at, "2026-11-26T16:00:00.000Z");
    EXPECT_EQ(revoked->revoked_by, "jorge");

    auto v = docs_->Verify(d->id);
    ASSERT_OK(v);
    EXPECT_EQ(v->status, DocumentStatus::kRevoked);
    EXPECT_EQ(v->revocation_reason, "Error en el salario");
    EXPECT_EQ(v->issuer_name, "María José Álvarez Ñuñez");

    auto again = docs_->Revoke(Firma(), d->id, "Otra vez");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), "document-revoked");

    auto entries = AuditEntries("document.revoked");
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].first, d->id);
    auto unknown = docs_->Revoke(Firma(), "0123456789abcdef0123456789abcdef", "x");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().kind(), ErrorKind::kNotFound);
}

TEST_P(VerifyTest, OfflineVerificationNeedsAPublishedKeyInForceOnTheDocumentsDate) {
    auto d = FileAndIssue();
    ASSERT_OK(d);
    auto pdf = docs_->OpenPdf(Citizen("ciudadana"), d->id);
    ASSERT_OK(pdf);
    auto keys = docs_->PublishedKeys();
    ASSERT_OK(keys);

    auto stored = LoadPublishedKeys(*db_->store);
    ASSERT_OK(stored);
    OfflineVerification valid = VerifyOffline(pdf->bytes, *stored);
    EXPECT_EQ(valid.status, OfflineStatus::kValid);
    std::string report = OfflineReport(valid);
    EXPECT_TRUE(report.starts_with("VÁLIDO: Firma válida de María José Álvarez Ñuñez.")) << report;
    EXPECT_NE(report.find("/verificar/" + d->id), std::string::npos) << report;

    // From files, as `ventanilla verify-document` reads them.
    testing::WriteFile(dir_.path() / "doc.pdf", pdf->bytes);
    testing::WriteFile(dir_.path() / "claves.json", PublishedKeysJson(*stored));
    auto from_file = ReadPublishedKeysFile(dir_.path() / "claves.json");
    ASSERT_OK(from_file);
    auto checked = VerifyDocumentFile(dir_.path() / "doc.pdf", *from_file);
    ASSERT_OK(checked);
    EXPECT_EQ(checked->status, OfflineStatus::kValid);
    auto missing = VerifyDocumentFile(dir_.path() / "no-existe.pdf", *from_file);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);

    EXPECT_EQ(VerifyOffline(pdf->bytes, {}).status, OfflineStatus::kUnknownKey);
    EXPECT_TRUE(OfflineReport(VerifyOffline(pdf->bytes, {})).starts_with("NO VÁLIDO"));

    std::vector<PublishedKey> expired = *keys;
    expired[0].valid_until = "2026-11-25T15:00:00.000Z";
    EXPECT_EQ(VerifyOffline(pdf->bytes, expired).status, OfflineStatus::kKeyNotInForce);

    std::vector<PublishedKey> later = *keys;
    later[0].valid_from = "2026-11-25T17:00:00.000Z";
    EXPECT_EQ(VerifyOffline(pdf->bytes, later).status, OfflineStatus::kKeyNotInForce);

    EXPECT_EQ(VerifyOffline(testing::PdfBytes(), *keys).status, OfflineStatus::kNotSigned);
}

TEST_P(VerifyTest, APublishedKeyListCannotPassOneKeyOffAsAnother) {
    auto d = FileAndIssue();
    ASSERT_OK(d);
    auto keys = docs_->PublishedKeys();
    ASSERT_OK(keys);
    std::string text = PublishedKeysJson(*keys);
    std::string tampered = text;
    std::size_t at = tampered.find(d->key_id);
    ASSERT_NE(at, std::string::npos);
    tampered[at] = tampered[at] == '0' ? '1' : '0';
    auto parsed = ParsePublishedKeys(tampered);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().kind(), ErrorKind::kInvalid);
    EXPECT_FALSE(ParsePublishedKeys("[]").ok());
    EXPECT_FALSE(ParsePublishedKeys("{\"algoritmo\": \"RSA\", \"claves\": []}").ok());
}

VT_DOCUMENTS_TEST_ENGINES(VerifyTest);

}  // namespace
}  // namespace vt::documents
