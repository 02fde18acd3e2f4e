// Uploading files: size and type checked by content, stored once by hash, served only to
// those the policy allows.
#include "vt/documents/documents.hpp"

#include "tests/documents_fixture.hpp"
#include "vt/audit/audit.hpp"

namespace vt::documents {
namespace {

using testing::Citizen;
using testing::Official;
using testing::PdfBytes;
using testing::PngBytes;

class UploadTest : public testing::DocumentsTest {
protected:
    int UploadRows() {
        int n = -1;
        EXPECT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT count(*) FROM uploads"));
            n = static_cast<int>(r.Int(0));
            return Ok();
        }));
        return n;
    }
    int FilesUnder(const std::filesystem::path& dir) {
        int n = 0;
        if (!std::filesystem::exists(dir)) return 0;
        for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
            n += e.is_regular_file();
        return n;
    }
};

TEST_P(UploadTest, RejectsAFileOverTheLimitBeforeLookingAtIt) {
    UploadRules rules{{"application/pdf"}, 100};
    auto r =
        docs_->StoreUpload(Citizen("ana"), PdfBytes(std::string(200, 'x')), "contrato.pdf", rules);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kTooLarge);
    EXPECT_EQ(r.error().code(), "upload-too-large");
    EXPECT_NE(r.error().message().find("el máximo es 100 bytes"), std::string::npos)
        << r.error().message();
    EXPECT_EQ(UploadRows(), 0);
    EXPECT_EQ(FilesUnder(dir_.path() / "uploads"), 0);
}

TEST_P(UploadTest, TheServerLimitCapsWhatATramiteAllows) {
    UploadRules rules{{"application/pdf"}, std::int64_t{1} << 40};
    std::string big = PdfBytes(std::string(docs_->options().max_upload_bytes, 'x'));
    auto r = docs_->StoreUpload(Citizen("ana"), big, "grande.pdf", rules);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kTooLarge);
}

TEST_P(UploadTest, RejectsPngBytesNamedPdf) {
    auto r = docs_->StoreUpload(Citizen("ana"), PngBytes(), "contrato.pdf",
                                UploadRules{{"application/pdf"}, 0});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kUnsupportedMedia);
    EXPECT_EQ(r.error().code(), "upload-type-not-accepted");
    EXPECT_NE(r.error().message().find("image/png"), std::string::npos) << r.error().message();
    EXPECT_NE(r.error().message().find("application/pdf"), std::string::npos)
        << r.error().message();
    EXPECT_EQ(UploadRows(), 0);
}

TEST_P(UploadTest, DetectsTheTypeFromTheContentWhateverTheName) {
    auto r =
        docs_->StoreUpload(Citizen("ana"), PngBytes(), "foto.pdf", UploadRules{{"image/*"}, 0});
    ASSERT_OK(r);
    EXPECT_EQ(r->mime_type, "image/png");
    EXPECT_EQ(r->original_name, "foto.pdf");
}

TEST_P(UploadTest, RejectsAnEmptyFile) {
    auto r = docs_->StoreUpload(Citizen("ana"), "", "vacio.pdf", UploadRules{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kInvalid);
}

TEST_P(UploadTest, StoresTheSameContentOnceOnDisk) {
    std::string pdf = PdfBytes("uno");
    auto first = docs_->StoreUpload(Citizen("ana"), pdf, "a.pdf", UploadRules{});
    ASSERT_OK(first);
    EXPECT_FALSE(first->existing);
    EXPECT_EQ(first->sha256, audit::Sha256Hex(pdf));
    EXPECT_EQ(first->size, static_cast<std::int64_t>(pdf.size()));
    EXPECT_EQ(first->id.size(), 32u);

    auto again = docs_->StoreUpload(Citizen("ana"), pdf, "b.pdf", UploadRules{});
    ASSERT_OK(again);
    EXPECT_TRUE(again->existing);
    EXPECT_EQ(again->id, first->id);
    EXPECT_EQ(again->original_name, "a.pdf");

    auto other = docs_->StoreUpload(Citizen("beto"), pdf, "c.pdf", UploadRules{});
    ASSERT_OK(other);
    EXPECT_NE(other->id, first->id);
    EXPECT_EQ(other->sha256, first->sha256);

    EXPECT_EQ(UploadRows(), 2);
    const std::string& sha = first->sha256;
    std::filesystem::path on_disk =
        dir_.path() / "uploads" / sha.substr(0, 2) / sha.substr(2, 2) / sha;
    EXPECT_TRUE(std::filesystem::exists(on_disk));
    EXPECT_EQ(FilesUnder(dir_.path() / "uploads"), 1) << "one file, no temporary leftovers";
    EXPECT_EQ(AuditEntries("upload.stored").size(), 2u);
}

TEST_P(UploadTest, KeepsOnlyTheLastPartOfTheDeclaredName) {
    auto r =
        docs_->StoreUpload(Citizen("ana"), PdfBytes(),
                           "C:\\Users\\ana/../../etc/Contrato \"final\"\x01.pdf", UploadRules{});
    ASSERT_OK(r);
    EXPECT_EQ(r->original_name, "Contrato final.pdf");
}

TEST_P(UploadTest, AnonymousPeopleAndAdministratorsCannotUpload) {
    auto anon = docs_->StoreUpload(core::Actor::Anonymous(), PdfBytes(), "a.pdf", UploadRules{});
    ASSERT_FALSE(anon.ok());
    EXPECT_EQ(anon.error().kind(), ErrorKind::kUnauthenticated);
    core::Actor admin{core::Actor::Kind::kAdministrator, "adm", {}, {}, {}};
    auto denied = docs_->StoreUpload(admin, PdfBytes(), "a.pdf", UploadRules{});
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().kind(), ErrorKind::kForbidden);
}

TEST_P(UploadTest, ServesTheOwnerAndTheOfficeOfACaseThatReferencesIt) {
    auto up =
        docs_->StoreUpload(Citizen("ana"), PdfBytes("contrato"), "contrato.pdf", UploadRules{});
    ASSERT_OK(up);
    auto c = File(Citizen("ana"), Answers(up->id));
    ASSERT_OK(c);

    auto own = docs_->OpenUpload(Citizen("ana"), up->id);
    ASSERT_OK(own);
    EXPECT_EQ(own->bytes, PdfBytes("contrato"));
    EXPECT_EQ(own->upload.mime_type, "application/pdf");

    auto stranger = docs_->OpenUpload(Citizen("beto"), up->id, c->number);
    ASSERT_FALSE(stranger.ok());
    EXPECT_EQ(stranger.error().kind(), ErrorKind::kNotFound);

    core::Actor analyst = Official("jorge", "IGT", {"analista"});
    auto without_case = docs_->OpenUpload(analyst, up->id);
    ASSERT_FALSE(without_case.ok());
    EXPECT_EQ(without_case.error().kind(), ErrorKind::kNotFound);
    ASSERT_OK(docs_->OpenUpload(analyst, up->id, c->number));

    auto other_office = docs_->OpenUpload(Official("x", "DGE", {"analista"}), up->id, c->number);
    ASSERT_FALSE(other_office.ok());
    EXPECT_EQ(other_office.error().kind(), ErrorKind::kNotFound);

    auto anon = docs_->OpenUpload(core::Actor::Anonymous(), up->id, c->number);
    ASSERT_FALSE(anon.ok());
    EXPECT_EQ(anon.error().kind(), ErrorKind::kUnauthenticated);
}

TEST_P(UploadTest, ACaseThatDoesNotReferenceTheFileGrantsNothing) {
    auto up = docs_->StoreUpload(Citizen("ana"), PdfBytes("privado"), "privado.pdf", UploadRules{});
    ASSERT_OK(up);
    auto c = File(Citizen("beto"));
    ASSERT_OK(c);
    auto r = docs_->OpenUpload(Official("jorge", "IGT", {"analista"}), up->id, c->number);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kNotFound);
}

TEST_P(UploadTest, UnknownAndMalformedIdsAreNotFound) {
    for (std::string id : {"0123456789abcdef0123456789abcdef", "../../etc/passwd", ""}) {
        auto r = docs_->OpenUpload(Citizen("ana"), id);
        ASSERT_FALSE(r.ok()) << id;
        EXPECT_EQ(r.error().kind(), ErrorKind::kNotFound) << id;
    }
}

TEST_P(UploadTest, AFileAlteredOnDiskIsNotServed) {
    auto up = docs_->StoreUpload(Citizen("ana"), PdfBytes("original"), "a.pdf", UploadRules{});
    ASSERT_OK(up);
    const std::string& sha = up->sha256;
    testing::WriteFile(dir_.path() / "uploads" / sha.substr(0, 2) / sha.substr(2, 2) / sha,
                       PdfBytes("alterad"));
    auto r = docs_->OpenUpload(Citizen("ana"), up->id);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), "file-corrupt");
}

TEST_P(UploadTest, RulesComeFromTheTramiteFieldOrRequirement) {
    auto field = docs_->RulesFor("constancia-laboral", "contrato");
    ASSERT_OK(field);
    EXPECT_EQ(field->accepted_types, std::vector<std::string>{"application/pdf"});
    EXPECT_EQ(field->max_bytes, 2048);
    auto requirement = docs_->RulesFor("constancia-laboral", "dpi");
    ASSERT_OK(requirement);
    EXPECT_EQ(requirement->max_bytes, 4096);
    auto defaults = docs_->RulesFor("", "");
    ASSERT_OK(defaults);
    EXPECT_TRUE(defaults->accepted_types.empty());

    auto unknown_field = docs_->RulesFor("constancia-laboral", "nombre");
    ASSERT_FALSE(unknown_field.ok());
    EXPECT_EQ(unknown_field.error().kind(), ErrorKind::kInvalid);
    EXPECT_TRUE(unknown_field.error().fields().contains("campo"));
    auto unknown_tramite = docs_->RulesFor("no-existe", "x");
    ASSERT_FALSE(unknown_tramite.ok());
    EXPECT_EQ(unknown_tramite.error().kind(), ErrorKind::kNotFound);
}

VT_DOCUMENTS_TEST_ENGINES(UploadTest);

}  // namespace
}  // namespace vt::documents
