#include "vt/pdf/pdf.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "vt/pdf/pdf_text.hpp"
#include "vt/testing.hpp"

namespace vt::pdf {
namespace {

using testing::Count;
using testing::PdfText;

TEST(ToWinAnsi, MapsSpanishLettersAndTypographyToWindows1252) {
    struct Case {
        std::string in;
        std::string out;
    };
    const Case cases[] = {
        {"Previsión", "Previsi\xF3n"},
        {"ñÑáéíóúüÁÉÍÓÚÜ", "\xF1\xD1\xE1\xE9\xED\xF3\xFA\xFC\xC1\xC9\xCD\xD3\xDA\xDC"},
        {"¿¡«»", "\xBF\xA1\xAB\xBB"},
        {"— – “ ” ‘ ’ € …", "\x97 \x96 \x93 \x94 \x91 \x92 \x80 \x85"},
        {"K'iche' 漢字", "K'iche' ??"},
        {"fin − inicio + 1; 15 × 275 / 365 ≈ 11.30; a ≤ b ≥ c ≠ d → e",
         "fin - inicio + 1; 15 \xD7 275 / 365 ~ 11.30; a <= b >= c != d -> e"},
        {"a\tb\x01"
         "c\x7F",
         "a bc"},
        {"\xC3", "?"},            // truncated sequence
        {"\xC0\xAF", "??"},       // overlong '/'
        {"\xED\xA0\x80", "???"},  // surrogate
    };
    for (const Case& c : cases) EXPECT_EQ(ToWinAnsi(c.in), c.out) << c.in;
}

Document Sample() {
    Document d({.title = "Cálculo de prueba",
                .author = "Ventanilla",
                .subject = "Prueba",
                .keywords = "clave",
                .created_at = "2026-11-25T18:00:00.000Z",
                .footer = "Pie de página — cálculo"});
    d.Paragraph("Título centrado", {.font = Font::kBold, .size = 16, .center = true});
    d.Row("Indemnización", "Q3,515.98", {.font = Font::kBold});
    d.Paragraph("Código de Trabajo, Art. 82", {.size = 9, .indent = 12});
    d.Rule();
    d.Row("Total", "Q9,713.24", {.font = Font::kBold});
    return d;
}

TEST(Render, IsDeterministicPdf) {
    auto a = Render(Sample());
    auto b = Render(Sample());
    ASSERT_OK(a);
    ASSERT_OK(b);
    EXPECT_EQ(*a, *b);
    EXPECT_TRUE(a->starts_with("%PDF-"));
    EXPECT_NE(a->find("/Keywords (clave)"), std::string::npos);
}

TEST(Render, PrintsTheHeaderRowsAndFooterWithTheirAccents) {
    auto pdf = Render(Sample());
    ASSERT_OK(pdf);
    ASSERT_TRUE(testing::HaveTool("pdftotext")) << "instale poppler-utils (pdftotext)";
    vt::testing::TempDir dir;
    std::string text = PdfText(dir.path(), *pdf);
    for (const char* expected :
         {"Ministerio de Trabajo y Previsión Social — República de Guatemala", "Título centrado",
          "Indemnización", "Q3,515.98", "Código de Trabajo, Art. 82", "Total", "Q9,713.24",
          "Pie de página — cálculo", "Página 1 de 1"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << "falta «" << expected << "» en:\n"
                                                          << text;
    }
}

TEST(Render, ALongDocumentFlowsOntoMorePagesAndLastPageItemsGoOnTheLast) {
    Document d({.footer = "pie"});
    for (int i = 0; i < 150; ++i) {
        d.Row(fmt::format("Línea número {} de una tabla larga con texto que se envuelve en más "
                          "de un renglón cuando no cabe junto al monto de la derecha",
                          i),
              fmt::format("Q{}.00", i));
    }
    d.Paragraph(std::string(300, 'x'));  // a word wider than the line
    d.OnLastPage(Box{.top = 100, .lines = {{Font::kBold, 10, "Al pie de la última página"}}});
    d.OnLastPage({Square{10, 10, 5, 5}});
    auto pdf = Render(d);
    ASSERT_OK(pdf);
    ASSERT_TRUE(testing::HaveTool("pdftotext"));
    vt::testing::TempDir dir;
    std::string text = PdfText(dir.path(), *pdf);
    std::size_t pages = Count(text, "Página ");
    ASSERT_GE(pages, 3u) << text;
    EXPECT_EQ(Count(text, "Ministerio de Trabajo y Previsión Social"), pages);
    EXPECT_NE(text.find("Línea número 149"), std::string::npos);
    EXPECT_NE(text.find("Q149.00"), std::string::npos);
    std::string last = fmt::format("Página {} de {}", pages, pages);
    // The fixed text is on the last page: after the previous page's footer.
    std::string before_last = fmt::format("Página {} de {}", pages - 1, pages);
    EXPECT_GT(text.find("Al pie de la última página"), text.find(before_last)) << text;
    EXPECT_NE(text.find(last), std::string::npos) << text;
}

TEST(Render, KeepTogetherStartsANewPageWhenTheBlockDoesNotFit) {
    Document d({});
    d.Space(600);
    d.KeepTogether(200);
    d.Paragraph("Bloque que no se parte");
    auto pdf = Render(d);
    ASSERT_OK(pdf);
    vt::testing::TempDir dir;
    std::string text = PdfText(dir.path(), *pdf);
    EXPECT_NE(text.find("Página 2 de 2"), std::string::npos) << text;
    EXPECT_GT(text.find("Bloque que no se parte"), text.find("Página 1 de 2")) << text;
}

}  // namespace
}  // namespace vt::pdf
