// Issuing a certificate: only the signing role of the case's office; a Spanish PDF with
// the ministry's header, the case's data and a QR code; signed, stored and audited.
#include "vt/documents/documents.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "signature.hpp"
#include "tests/documents_fixture.hpp"
#include "vt/audit/audit.hpp"

namespace vt::documents {
namespace {

using testing::Citizen;
using testing::Firma;
using testing::Official;

class IssueTest : public testing::DocumentsTest {};

TEST_P(IssueTest, OnlyTheSigningRoleOfTheCasesOfficeIssues) {
    auto c = File(Citizen("ciudadana"));
    ASSERT_OK(c);
    struct Row {
        const char* who;
        core::Actor actor;
        ErrorKind expected;
    };
    const Row rows[] = {
        {"analista", Official("jorge", "IGT", {"analista"}), ErrorKind::kForbidden},
        {"jefe", Official("jorge", "IGT", {"jefe"}), ErrorKind::kForbidden},
        {"firma de otra oficina", Official("otra", "DGE", {"firma"}), ErrorKind::kForbidden},
        {"ciudadana", Citizen("ciudadana"), ErrorKind::kForbidden},
        {"anonimo", core::Actor::Anonymous(), ErrorKind::kUnauthenticated},
    };
    for (const Row& r : rows) {
        auto d = docs_->Issue(r.actor, *c, Definition(), "constancia", Inputs());
        ASSERT_FALSE(d.ok()) << r.who;
        EXPECT_EQ(d.error().kind(), r.expected) << r.who;
    }
    EXPECT_TRUE(AuditEntries("document.issued").empty());
    EXPECT_TRUE(AuditEntries("signing_key.created").empty());

    auto d = docs_->Issue(Firma(), *c, Definition(), "constancia", Inputs());
    ASSERT_OK(d);
    EXPECT_EQ(d->case_number, c->number);
    EXPECT_EQ(d->issuer, "fabiola");
    EXPECT_EQ(d->issuer_name, "María José Álvarez Ñuñez");
    EXPECT_EQ(d->title, "Constancia de relación laboral");
    EXPECT_EQ(d->issued_at, "2026-11-25T16:00:00.000Z");
    EXPECT_EQ(d->id.size(), 32u);
}

TEST_P(IssueTest, ThePdfSaysItInSpanishWithTheCasesDataAndAQrCode) {
    auto c = File(Citizen("ciudadana"));
    ASSERT_OK(c);
    auto d = docs_->Issue(Firma(), *c, Definition(), "constancia", Inputs());
    ASSERT_OK(d);
    auto pdf = docs_->OpenPdf(Citizen("ciudadana"), d->id);
    ASSERT_OK(pdf);
    EXPECT_TRUE(pdf->bytes.starts_with("%PDF-"));

    ASSERT_TRUE(testing::HaveTool("pdftotext")) << "instale poppler-utils (pdftotext)";
    std::string text = testing::PdfText(dir_.path(), pdf->bytes);
    std::replace(text.begin(), text.end(), '\n', ' ');  // lines wrap where the layout decides
    for (std::string expected : {
             std::string("Ministerio de Trabajo y Previsión Social — República de Guatemala"),
             std::string("Constancia de relación laboral"),
             "Expediente: " + c->number,
             std::string("Trámite: Constancia de relación laboral"),
             std::string("Fecha de emisión: 25 de noviembre de 2026"),
             "Código de verificación: " + d->id,
             std::string("Se hace constar que José Ñúñez Pérez labora para Café La Montaña, S.A."),
             std::string("desde el 15 de marzo de 2020"),
             std::string("Q4,500.00"),
             std::string("Observación: Válida para trámites bancarios — «urgente»."),
             std::string("María José Álvarez Ñuñez"),
             std::string("Guatemala, 25 de noviembre de 2026."),
             std::string(testing::kPublicUrl) + "/verificar/" + d->id,
             std::string("Página 1 de 1"),
         }) {
        EXPECT_NE(text.find(expected), std::string::npos) << "falta «" << expected << "» en:\n"
                                                          << text;
    }

    auto qr = testing::DecodeQr(dir_.path(), pdf->bytes, 1);
    if (!qr) GTEST_SKIP() << "zbar-tools no está instalado: el código QR no se leyó";
    EXPECT_EQ(*qr, std::string(testing::kPublicUrl) + "/verificar/" + d->id);
}

TEST_P(IssueTest, TheSignatureVerifiesWithThePublishedKey) {
    auto d = FileAndIssue();
    ASSERT_OK(d);
    auto keys = docs_->PublishedKeys();
    ASSERT_OK(keys);
    ASSERT_EQ(keys->size(), 1u);
    EXPECT_EQ(keys->front().key_id, d->key_id);
    EXPECT_EQ(keys->front().official_name, "María José Álvarez Ñuñez");
    EXPECT_EQ(keys->front().office, "IGT");
    EXPECT_FALSE(keys->front().valid_until);

    // Through the published file format, as a person verifying offline would.
    auto parsed = ParsePublishedKeys(PublishedKeysJson(*keys));
    ASSERT_OK(parsed);
    auto pdf = docs_->OpenPdf(Citizen("ciudadana"), d->id);
    ASSERT_OK(pdf);
    EXPECT_EQ(audit::Sha256Hex(pdf->bytes), d->sha256);
    OfflineVerification v = VerifyOffline(pdf->bytes, *parsed);
    EXPECT_EQ(v.status, OfflineStatus::kValid) << v.message;
    EXPECT_EQ(v.document_id, d->id);
    EXPECT_EQ(v.issued_at, d->issued_at);
    EXPECT_EQ(v.official_name, "María José Álvarez Ñuñez");

    // And by hand, from the documented scheme.
    auto sig = FindSignature(pdf->bytes);
    ASSERT_OK(sig);
    EXPECT_EQ(sig->signature, d->signature);
    std::string digest = audit::Sha256Hex(ZeroSignature(pdf->bytes, sig->signature_offset));
    EXPECT_EQ(digest, d->signed_digest);
    EXPECT_TRUE(VerifySignature(keys->front().public_key, "ventanilla-documento-v1:" + digest,
                                d->signature));
}

TEST_P(IssueTest, AModifiedPdfFailsVerification) {
    auto d = FileAndIssue();
    ASSERT_OK(d);
    auto pdf = docs_->OpenPdf(Citizen("ciudadana"), d->id);
    ASSERT_OK(pdf);
    auto keys = docs_->PublishedKeys();
    ASSERT_OK(keys);

    std::string altered = pdf->bytes;
    altered[altered.size() / 2] ^= 0x01;
    EXPECT_EQ(VerifyOffline(altered, *keys).status, OfflineStatus::kBadSignature);
    auto online = docs_->VerifyBytes(d->id, altered);
    ASSERT_OK(online);
    EXPECT_EQ(online->matches, false);

    // A forged signature in an otherwise intact file.
    auto sig = FindSignature(pdf->bytes);
    ASSERT_OK(sig);
    std::string forged = pdf->bytes;
    forged[sig->signature_offset] = forged[sig->signature_offset] == 'a' ? 'b' : 'a';
    EXPECT_EQ(VerifyOffline(forged, *keys).status, OfflineStatus::kBadSignature);

    auto exact = docs_->VerifyBytes(d->id, pdf->bytes);
    ASSERT_OK(exact);
    EXPECT_EQ(exact->matches, true);
}

TEST_P(IssueTest, IssuingWritesTheRowTheFileAndTheirAuditEntries) {
    auto d = FileAndIssue();
    ASSERT_OK(d);
    auto issued = AuditEntries("document.issued");
    ASSERT_EQ(issued.size(), 1u);
    EXPECT_EQ(issued[0].first, d->id);
    auto keys = AuditEntries("signing_key.created");
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].first, d->key_id);

    std::filesystem::path file = dir_.path() / "documents" / d->sha256.substr(0, 2) /
                                 d->sha256.substr(2, 2) / (d->sha256 + ".pdf");
    EXPECT_TRUE(std::filesystem::exists(file));
    EXPECT_EQ(static_cast<std::int64_t>(std::filesystem::file_size(file)), d->size);

    // The audit verifier recomputes each covered row's hash and finds it in the log.
    auto report = audit::Verify(*db_->store, AuditCoverage());
    ASSERT_OK(report);
    EXPECT_TRUE(report->findings.empty())
        << report->findings.front().table << " " << report->findings.front().key << " "
        << report->findings.front().problem;

    // A row changed behind the log's back is caught.
    ASSERT_OK(db_->store->Write([&](store::Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE issued_documents SET issuer_name = 'Otra Persona' WHERE id = $1",
                    {store::Value{d->id}}));
        return Ok();
    }));
    report = audit::Verify(*db_->store, AuditCoverage());
    ASSERT_OK(report);
    ASSERT_EQ(report->findings.size(), 1u);
    EXPECT_EQ(report->findings[0].table, "issued_documents");
    EXPECT_EQ(report->findings[0].key, d->id);
}

TEST_P(IssueTest, OneKeyPerOfficialSealedWithAPrivateServerKey) {
    ASSERT_OK(FileAndIssue());
    ASSERT_OK(FileAndIssue());
    auto keys = docs_->PublishedKeys();
    ASSERT_OK(keys);
    EXPECT_EQ(keys->size(), 1u);

    std::filesystem::path server_key = dir_.path() / "keys" / "documents.key";
    struct stat st {};
    ASSERT_EQ(::stat(server_key.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(st.st_size, 32);

    // The database holds the secret key sealed, never in the clear.
    ASSERT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row r,
                            tx.QueryOne("SELECT public_key, sealed_secret_key FROM signing_keys"));
        EXPECT_EQ(r.Bytes(0).size(), 32u);
        EXPECT_EQ(r.Bytes(1).size(), 24u + 16u + 64u);
        EXPECT_EQ(r.Bytes(1).find(r.Bytes(0)), std::string::npos);
        return Ok();
    }));
}

TEST_P(IssueTest, ARevokedKeyIsReplacedAtTheNextSignature) {
    auto first = FileAndIssue();
    ASSERT_OK(first);
    core::Actor admin{core::Actor::Kind::kAdministrator, "adm", {}, {}, {}};
    auto denied = docs_->RevokeSigningKey(Firma(), first->key_id);
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().kind(), ErrorKind::kForbidden);
    clock_.Advance(std::chrono::hours(1));
    ASSERT_OK(docs_->RevokeSigningKey(admin, first->key_id));
    auto twice = docs_->RevokeSigningKey(admin, first->key_id);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code(), "key-revoked");
    EXPECT_EQ(AuditEntries("signing_key.revoked").size(), 1u);

    clock_.Advance(std::chrono::hours(1));
    auto second = FileAndIssue();
    ASSERT_OK(second);
    EXPECT_NE(second->key_id, first->key_id);
    auto keys = docs_->PublishedKeys();
    ASSERT_OK(keys);
    ASSERT_EQ(keys->size(), 2u);
    EXPECT_EQ(keys->at(0).valid_until, "2026-11-25T17:00:00.000Z");

    // Documents signed while the old key was in force still verify offline.
    auto old_pdf = docs_->OpenPdf(Citizen("ciudadana"), first->id);
    ASSERT_OK(old_pdf);
    EXPECT_EQ(VerifyOffline(old_pdf->bytes, *keys).status, OfflineStatus::kValid);
    auto v = docs_->Verify(first->id);
    ASSERT_OK(v);
    EXPECT_EQ(v->status, DocumentStatus::kValid);
    EXPECT_TRUE(v->signature_valid);
}

TEST_P(IssueTest, AnUnknownPlaceholderIsADefinitionError) {
    auto c = File(Citizen("ciudadana"));
    ASSERT_OK(c);
    auto d = docs_->Issue(Firma(), *c, Definition(), "roto", {});
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code(), "template-placeholder-unknown");
    EXPECT_NE(d.error().message().find("no_existe"), std::string::npos);
    EXPECT_TRUE(AuditEntries("document.issued").empty());
}

TEST_P(IssueTest, TheDocumentMustBeOneTheTramiteIssues) {
    auto c = File(Citizen("ciudadana"));
    ASSERT_OK(c);
    auto d = docs_->Issue(Firma(), *c, Definition(), "no-existe", {});
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().kind(), ErrorKind::kInvalid);
    EXPECT_TRUE(d.error().fields().contains("documento"));
}

TEST_P(IssueTest, OnlyThoseWhoSeeTheCaseDownloadThePdf) {
    auto d = FileAndIssue(Citizen("ciudadana"));
    ASSERT_OK(d);
    ASSERT_OK(docs_->OpenPdf(Citizen("ciudadana"), d->id));
    ASSERT_OK(docs_->OpenPdf(Official("jorge", "IGT", {"analista"}), d->id));
    for (const core::Actor& who : {Citizen("otro"), Official("x", "DGE", {"firma"})}) {
        auto r = docs_->OpenPdf(who, d->id);
        ASSERT_FALSE(r.ok()) << who.id;
        EXPECT_EQ(r.error().kind(), ErrorKind::kNotFound) << who.id;
    }
    auto anon = docs_->OpenPdf(core::Actor::Anonymous(), d->id);
    ASSERT_FALSE(anon.ok());
    EXPECT_EQ(anon.error().kind(), ErrorKind::kUnauthenticated);

    auto list = docs_->ListForCase(Citizen("ciudadana"), d->case_number);
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->front().id, d->id);
    EXPECT_FALSE(docs_->ListForCase(Citizen("otro"), d->case_number).ok());
}

TEST_P(IssueTest, AfterTheTransitionTheSignerIssuesWithItsInputs) {
    auto c = File(Citizen("ciudadana"));
    ASSERT_OK(c);
    auto early = docs_->IssueForCase(Firma(), c->number, "constancia");
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().code(), "document-not-due");

    cases::TransitionRequest t;
    t.transition = "emitir";
    t.inputs = boost::json::object{{"observacion", "Para presentar ante el banco."}};
    ASSERT_OK(cases_->Transition(Firma(), c->number, t));

    auto stranger =
        docs_->IssueForCase(Official("otra", "DGE", {"firma"}), c->number, "constancia");
    ASSERT_FALSE(stranger.ok());
    EXPECT_EQ(stranger.error().kind(), ErrorKind::kNotFound);

    auto d = docs_->IssueForCase(Firma(), c->number, "constancia");
    ASSERT_OK(d);
    auto pdf = docs_->OpenPdf(Citizen("ciudadana"), d->id);
    ASSERT_OK(pdf);
    ASSERT_TRUE(testing::HaveTool("pdftotext"));
    EXPECT_NE(testing::PdfText(dir_.path(), pdf->bytes)
                  .find("Observación: Para presentar ante el banco."),
              std::string::npos);

    auto twice = docs_->IssueForCase(Firma(), c->number, "constancia");
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code(), "document-already-issued");
    ASSERT_OK(docs_->Revoke(Firma(), d->id, "Se emitió con un error."));
    auto reissued = docs_->IssueForCase(Firma(), c->number, "constancia");
    ASSERT_OK(reissued);
    EXPECT_NE(reissued->id, d->id);
    EXPECT_EQ(AuditEntries("document.issued").size(), 2u);
}

TEST_P(IssueTest, TheTransitionThatIssuesSignsWhenItsOfficialMaySign) {
    auto c = File(Citizen("ciudadana"));
    ASSERT_OK(c);
    // Filed, no transition yet: nothing is due.
    auto nothing = docs_->IssueAfterTransition(Firma(), *c);
    ASSERT_OK(nothing);
    EXPECT_FALSE(nothing->has_value());
    // Someone who may not sign is told so before anything about the document.
    auto analyst = docs_->IssueForCase(Official("jorge", "IGT", {"analista"}), c->number,
                                       "constancia");
    ASSERT_FALSE(analyst.ok());
    EXPECT_EQ(analyst.error().kind(), ErrorKind::kForbidden);

    cases::TransitionRequest t;
    t.transition = "emitir";
    t.inputs = boost::json::object{{"observacion", "Emitida al resolver."}};
    auto moved = cases_->Transition(Firma(), c->number, t);
    ASSERT_OK(moved);
    // The same case seen by an official who may not sign: the document waits.
    auto waits = docs_->IssueAfterTransition(Official("jorge", "IGT", {"analista"}), *moved);
    ASSERT_OK(waits);
    EXPECT_FALSE(waits->has_value());
    EXPECT_TRUE(AuditEntries("document.issued").empty());

    auto issued = docs_->IssueAfterTransition(Firma(), *moved);
    ASSERT_OK(issued);
    ASSERT_TRUE(issued->has_value());
    EXPECT_EQ((*issued)->document_type, "constancia");
    EXPECT_EQ((*issued)->case_number, c->number);
    auto pdf = docs_->OpenPdf(Citizen("ciudadana"), (*issued)->id);
    ASSERT_OK(pdf);
    ASSERT_TRUE(testing::HaveTool("pdftotext"));
    EXPECT_NE(testing::PdfText(dir_.path(), pdf->bytes).find("Observación: Emitida al resolver."),
              std::string::npos);
    EXPECT_EQ(AuditEntries("document.issued").size(), 1u);
}

TEST(CheckTemplatesTest, NamesEveryTemplateThatUsesAnUnknownPlaceholder) {
    auto d = catalog::ParseDefinition(testing::kConstancia, "fixture");
    ASSERT_OK(d);
    Status checked = CheckTemplates(*d);
    ASSERT_FALSE(checked.ok());
    const auto& fields = checked.error().fields();
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_NE(fields.at("$.documentos[1].plantilla").find("{{no_existe}}"), std::string::npos);

    d->documents.pop_back();  // answers, transition inputs and built-ins are all known
    EXPECT_OK(CheckTemplates(*d));
}

VT_DOCUMENTS_TEST_ENGINES(IssueTest);

}  // namespace
}  // namespace vt::documents
