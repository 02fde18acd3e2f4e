// The document endpoints, called through the router as the server would.
#include "vt/documents/api.hpp"

#include <boost/json.hpp>

#include "tests/documents_fixture.hpp"
#include "vt/http/route_call.hpp"

namespace vt::documents {
namespace {

namespace json = boost::json;
using testing::Citizen;
using testing::Official;

std::string Header(const http::Response& res, std::string_view name) {
    for (const auto& [k, v] : res.headers) {
        if (k == name) return v;
    }
    return "";
}

class DocumentApiTest : public testing::DocumentsTest {
protected:
    void SetUp() override {
        DocumentsTest::SetUp();
        if (IsSkipped()) return;
        AddDocumentRoutes(router_, *docs_,
                          [this](const http::Request&) -> Result<core::Actor> { return actor_; });
    }

    http::Response Call(std::string method, std::string target, std::string body = "") {
        target_ = std::move(target);
        body_ = std::move(body);
        return http::testing::CallRoute(router_, method, target_, body_, headers_);
    }

    http::Router router_;
    http::testing::FakeHeaders headers_;
    std::string target_, body_;
    core::Actor actor_ = core::Actor::Anonymous();
};

TEST_P(DocumentApiTest, UploadsTheRawBodyAndServesItBackSafely) {
    actor_ = Citizen("ana");
    headers_.values["Content-Type"] = "text/html";
    headers_.values["X-Nombre-Archivo"] = "Contrato%20de%20trabajo%20%C3%B1.pdf";
    auto res = Call("POST", "/api/v1/archivos?tramite=constancia-laboral&campo=contrato",
                    testing::PdfBytes());
    ASSERT_EQ(res.status, 201) << res.body;
    json::object up = json::parse(res.body).as_object();
    std::string id(up.at("id").as_string());
    EXPECT_EQ(up.at("tipo").as_string(), "application/pdf");
    EXPECT_EQ(up.at("nombre").as_string(), "Contrato de trabajo ñ.pdf");
    EXPECT_EQ(Header(res, "Location"), "/api/v1/archivos/" + id);

    auto again = Call("POST", "/api/v1/archivos?tramite=constancia-laboral&campo=contrato",
                      testing::PdfBytes());
    EXPECT_EQ(again.status, 200) << again.body;

    auto got = Call("GET", "/api/v1/archivos/" + id);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.body, testing::PdfBytes());
    EXPECT_EQ(got.content_type, "application/pdf");
    EXPECT_EQ(Header(got, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(Header(got, "Content-Security-Policy"), "default-src 'none'; sandbox");
    EXPECT_EQ(Header(got, "Content-Disposition"),
              "attachment; filename=\"Contrato_de_trabajo__.pdf\"; "
              "filename*=UTF-8''Contrato%20de%20trabajo%20%C3%B1.pdf");

    actor_ = Citizen("beto");
    EXPECT_EQ(Call("GET", "/api/v1/archivos/" + id).status, 404);
}

TEST_P(DocumentApiTest, UploadErrorsHaveTheirStatus) {
    actor_ = Citizen("ana");
    auto wrong_type = Call("POST", "/api/v1/archivos?tramite=constancia-laboral&campo=contrato",
                           testing::PngBytes());
    EXPECT_EQ(wrong_type.status, 415) << wrong_type.body;
    EXPECT_NE(wrong_type.body.find("upload-type-not-accepted"), std::string::npos);
    auto too_big = Call("POST", "/api/v1/archivos?tramite=constancia-laboral&campo=contrato",
                        testing::PdfBytes(std::string(3000, 'x')));
    EXPECT_EQ(too_big.status, 413) << too_big.body;
    auto bad_field = Call("POST", "/api/v1/archivos?tramite=constancia-laboral&campo=nombre",
                          testing::PdfBytes());
    EXPECT_EQ(bad_field.status, 422) << bad_field.body;
    actor_ = core::Actor::Anonymous();
    EXPECT_EQ(Call("POST", "/api/v1/archivos", testing::PdfBytes()).status, 401);
}

TEST_P(DocumentApiTest, VerificationIsPublicAndComparesAnUploadedPdf) {
    auto d = FileAndIssue();
    ASSERT_OK(d);
    auto pdf = docs_->OpenPdf(Citizen("ciudadana"), d->id);
    ASSERT_OK(pdf);

    auto res = Call("GET", "/api/v1/documentos/" + d->id + "/verificacion");
    ASSERT_EQ(res.status, 200) << res.body;
    json::object v = json::parse(res.body).as_object();
    EXPECT_EQ(v.at("estado").as_string(), "valido");
    EXPECT_EQ(v.at("emitido_por").as_string(), "María José Álvarez Ñuñez");
    EXPECT_EQ(v.at("emitido").as_string(), "2026-11-25T16:00:00.000Z");
    EXPECT_EQ(v.at("expediente").as_string(), d->case_number);
    EXPECT_EQ(v.at("firma_valida").as_bool(), true);

    headers_.values["Content-Type"] = "application/pdf";
    auto same = Call("POST", "/api/v1/documentos/" + d->id + "/verificacion", pdf->bytes);
    ASSERT_EQ(same.status, 200) << same.body;
    EXPECT_EQ(json::parse(same.body).at("coincide").as_bool(), true);
    std::string altered = pdf->bytes;
    altered[100] ^= 1;
    auto differs = Call("POST", "/api/v1/documentos/" + d->id + "/verificacion", altered);
    EXPECT_EQ(json::parse(differs.body).at("coincide").as_bool(), false);

    auto unknown = Call("GET", "/api/v1/documentos/0123456789abcdef0123456789abcdef/verificacion");
    ASSERT_EQ(unknown.status, 200);
    EXPECT_EQ(json::parse(unknown.body).at("estado").as_string(), "desconocido");

    actor_ = Official("jorge", "IGT", {"jefe"});
    headers_.values["Content-Type"] = "application/json";
    auto revoked = Call("POST", "/api/v1/documentos/" + d->id + "/revocacion",
                        R"({"motivo": "Datos erróneos"})");
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    json::object after =
        json::parse(Call("GET", "/api/v1/documentos/" + d->id + "/verificacion").body).as_object();
    EXPECT_EQ(after.at("estado").as_string(), "revocado");
    EXPECT_EQ(after.at("motivo_revocacion").as_string(), "Datos erróneos");
}

TEST_P(DocumentApiTest, PublishesTheKeysAndServesThePdfToCaseViewers) {
    auto d = FileAndIssue();
    ASSERT_OK(d);
    auto keys = Call("GET", "/api/v1/documentos/claves");
    ASSERT_EQ(keys.status, 200) << keys.body;
    auto parsed = ParsePublishedKeys(keys.body);
    ASSERT_OK(parsed);
    ASSERT_EQ(parsed->size(), 1u);
    EXPECT_EQ(parsed->front().key_id, d->key_id);

    actor_ = Citizen("ciudadana");
    auto pdf = Call("GET", "/api/v1/documentos/" + d->id + "/pdf");
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    EXPECT_EQ(pdf.content_type, "application/pdf");
    EXPECT_EQ(Header(pdf, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(VerifyOffline(pdf.body, *parsed).status, OfflineStatus::kValid);

    auto list = Call("GET", "/api/v1/expedientes/" + d->case_number + "/documentos");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(json::parse(list.body).at("documentos").as_array().size(), 1u);

    actor_ = Citizen("otro");
    EXPECT_EQ(Call("GET", "/api/v1/documentos/" + d->id + "/pdf").status, 404);
    actor_ = core::Actor::Anonymous();
    EXPECT_EQ(Call("GET", "/api/v1/documentos/" + d->id + "/pdf").status, 401);
}

TEST_P(DocumentApiTest, TheSignerIssuesTheDocumentOfTheTransitionTaken) {
    auto c = File(Citizen("ciudadana"));
    ASSERT_OK(c);
    cases::TransitionRequest t;
    t.transition = "emitir";
    ASSERT_OK(cases_->Transition(testing::Firma(), c->number, t));
    headers_.values["Content-Type"] = "application/json";
    std::string target = "/api/v1/expedientes/" + c->number + "/documentos";

    actor_ = Official("jorge", "IGT", {"analista"});
    EXPECT_EQ(Call("POST", target, R"({"documento": "constancia"})").status, 403);
    actor_ = testing::Firma();
    EXPECT_EQ(Call("POST", target, R"({"otro": 1})").status, 422);
    auto res = Call("POST", target, R"({"documento": "constancia"})");
    ASSERT_EQ(res.status, 201) << res.body;
    std::string id(json::parse(res.body).at("id").as_string());
    EXPECT_EQ(Header(res, "Location"), "/api/v1/documentos/" + id + "/pdf");
    EXPECT_EQ(Call("POST", target, R"({"documento": "constancia"})").status, 409);
}

VT_DOCUMENTS_TEST_ENGINES(DocumentApiTest);

}  // namespace
}  // namespace vt::documents
