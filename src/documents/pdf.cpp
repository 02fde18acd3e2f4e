#include "pdf.hpp"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace vt::documents {
namespace {

// The verification block at the foot of the last page: the QR code and its legend.
constexpr float kQrSide = 96;
constexpr float kQrBottom = pdf::kBodyBottom;
constexpr float kClosingHeight = 120;  // place, date and signer, above the QR code

struct QrDeleter {
    void operator()(QRcode* q) const { QRcode_free(q); }
};

// The dark modules of the QR code of `text`, as runs of squares in a `side`-point square
// whose bottom-left corner is (x, y).
Result<std::vector<pdf::Square>> QrSquares(const std::string& text, float x, float y, float side) {
    errno = 0;
    std::unique_ptr<QRcode, QrDeleter> qr(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr) return Error::Internal(std::string("libqrencode: ") + std::strerror(errno));
    const int n = qr->width;
    const float module = side / static_cast<float>(n + 8);  // 4-module quiet zone each side
    const float x0 = x + 4 * module;
    const float top = y + side - 4 * module;
    std::vector<pdf::Square> squares;
    for (int row = 0; row < n; ++row) {
        int col = 0;
        while (col < n) {
            if (!(qr->data[row * n + col] & 1)) {
                ++col;
                continue;
            }
            int start = col;
            while (col < n && (qr->data[row * n + col] & 1)) ++col;
            squares.push_back({x0 + static_cast<float>(start) * module,
                               top - static_cast<float>(row + 1) * module,
                               static_cast<float>(col - start) * module, module});
        }
    }
    return squares;
}

}  // namespace

Result<std::string> RenderPdf(const PdfContent& c) {
    pdf::Document doc({.title = c.title,
                       .author = c.issuer_name,
                       .subject = "Expediente " + c.case_number + ", documento " + c.id,
                       .keywords = c.signature_field,
                       .created_at = c.issued_at,
                       .footer = "Documento " + c.id + " · Expediente " + c.case_number});
    const pdf::Style label{.size = 10};
    doc.Paragraph(c.title, {.font = pdf::Font::kBold, .size = 16, .center = true});
    doc.Space(14);
    auto field = [&](std::string_view name, const std::string& value) {
        doc.Paragraph(std::string(name) + ": " + value, label);
    };
    field("Expediente", c.case_number);
    field("Trámite", c.tramite_name);
    if (!c.office.empty()) field("Oficina", c.office);
    field("Fecha de emisión", c.issued_on);
    field("Código de verificación", c.id);
    doc.Space(16);
    std::size_t pos = 0;
    while (pos <= c.body.size()) {
        std::size_t nl = c.body.find('\n', pos);
        if (nl == std::string::npos) nl = c.body.size();
        std::string_view para = std::string_view(c.body).substr(pos, nl - pos);
        if (para.find_first_not_of(" \r\t") == std::string_view::npos) {
            doc.Space(8);
        } else {
            doc.Paragraph(para);
        }
        pos = nl + 1;
    }
    doc.Space(24);
    doc.KeepTogether(kClosingHeight, kQrBottom + kQrSide + 12);
    doc.Paragraph("Guatemala, " + c.issued_on + ".");
    doc.Space(18);
    doc.Paragraph("Firmado electrónicamente por:", label);
    doc.Paragraph(c.issuer_name, {.font = pdf::Font::kBold});
    if (!c.office.empty()) doc.Paragraph("Oficina " + c.office, label);

    // The verification legend beside the QR code.
    doc.OnLastPage(pdf::Box{
        .x = pdf::kMargin + kQrSide + 14,
        .top = kQrBottom + kQrSide - 12,
        .width = pdf::kTextWidth - kQrSide - 14,
        .lines = {{pdf::Font::kBold, 10, "Verificación"},
                  {pdf::Font::kRegular, 9,
                   "Este documento está firmado electrónicamente. Verifique su autenticidad y "
                   "vigencia escaneando el código o en:"},
                  {pdf::Font::kRegular, 9, c.verification_url},
                  {pdf::Font::kRegular, 9, "Código: " + c.id}}});
    VT_ASSIGN_OR_RETURN(std::vector<pdf::Square> qr,
                        QrSquares(c.verification_url, pdf::kMargin, kQrBottom, kQrSide));
    doc.OnLastPage(std::move(qr));
    return pdf::Render(doc);
}

}  // namespace vt::documents
