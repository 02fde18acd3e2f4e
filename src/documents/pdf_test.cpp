#include "pdf.hpp"

#include "signature.hpp"
#include "tests/documents_fixture.hpp"
#include "vt/testing.hpp"

namespace vt::documents {
namespace {

PdfContent Content() {
    PdfContent c;
    c.id = "0123456789abcdef0123456789abcdef";
    c.title = "Resolución de acceso a la información";
    c.case_number = "MTPS-2026-000123";
    c.tramite_name = "Solicitud de información pública";
    c.office = "UIP";
    c.body =
        "Primer párrafo con eñes: año, niño, señor.\n\n¿Preguntas? ¡Respuestas! «Comillas» y "
        "“otras”.";
    c.issuer_name = "Íñigo Ürsula Peña";
    c.issued_at = "2026-11-25T16:00:00.000Z";
    c.issued_on = "25 de noviembre de 2026";
    c.verification_url = "https://ventanilla.mintrab.gob.gt/verificar/" + c.id;
    c.signature_field = UnsignedSignatureField(c.id, std::string(64, 'a'), c.issued_at);
    return c;
}

TEST(RenderPdf, IsDeterministicAndCarriesOneSignatureField) {
    auto a = RenderPdf(Content());
    auto b = RenderPdf(Content());
    ASSERT_OK(a);
    ASSERT_OK(b);
    EXPECT_EQ(*a, *b);
    EXPECT_TRUE(a->starts_with("%PDF-"));
    auto sig = FindSignature(*a);
    ASSERT_OK(sig);
    EXPECT_EQ(sig->document_id, Content().id);
    EXPECT_EQ(sig->signature, std::string(64, '\0'));
}

TEST(RenderPdf, SpanishTextSurvivesExtraction) {
    auto pdf = RenderPdf(Content());
    ASSERT_OK(pdf);
    vt::testing::TempDir dir;
    ASSERT_TRUE(testing::HaveTool("pdftotext")) << "instale poppler-utils (pdftotext)";
    std::string text = testing::PdfText(dir.path(), *pdf);
    for (const char* expected :
         {"Ministerio de Trabajo y Previsión Social — República de Guatemala",
          "Resolución de acceso a la información", "Primer párrafo con eñes: año, niño, señor.",
          "¿Preguntas? ¡Respuestas! «Comillas» y “otras”.", "Íñigo Ürsula Peña",
          "Fecha de emisión: 25 de noviembre de 2026", "Página 1 de 1"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << "falta «" << expected << "» en:\n"
                                                          << text;
    }
}

TEST(RenderPdf, ALongTextFlowsOntoMorePagesWithTheQrOnTheLast) {
    PdfContent c = Content();
    c.body.clear();
    for (int i = 0; i < 120; ++i)
        c.body += "Considerando número " + std::to_string(i) + ": que la ley así lo dispone.\n";
    c.body += std::string(300, 'x');  // a word wider than the line
    auto pdf = RenderPdf(c);
    ASSERT_OK(pdf);
    vt::testing::TempDir dir;
    ASSERT_TRUE(testing::HaveTool("pdftotext"));
    std::string text = testing::PdfText(dir.path(), *pdf);
    EXPECT_NE(text.find("Considerando número 119"), std::string::npos);
    std::size_t pages = 0;
    for (std::size_t at = text.find("Página "); at != std::string::npos;
         at = text.find("Página ", at + 1))
        ++pages;
    ASSERT_GE(pages, 3u);
    std::string last = "Página " + std::to_string(pages) + " de " + std::to_string(pages);
    EXPECT_NE(text.find(last), std::string::npos) << text;
    EXPECT_EQ(text.find("Ministerio de Trabajo"),
              text.find("Ministerio de Trabajo y Previsión Social —"));

    auto qr = testing::DecodeQr(dir.path(), *pdf, static_cast<int>(pages));
    if (!qr) GTEST_SKIP() << "zbar-tools no está instalado";
    EXPECT_EQ(*qr, c.verification_url);
}

}  // namespace
}  // namespace vt::documents
