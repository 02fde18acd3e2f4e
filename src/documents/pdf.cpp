#include "pdf.hpp"

#include <hpdf.h>
#include <qrencode.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace vt::documents {
namespace {

// A4 in points, and the page frame.
constexpr float kPageWidth = 595.276f;
constexpr float kPageHeight = 841.89f;
constexpr float kMargin = 56.7f;  // 2 cm
constexpr float kTextWidth = kPageWidth - 2 * kMargin;
constexpr float kHeaderBaseline = kPageHeight - 48;
constexpr float kBodyTop = kPageHeight - 100;
constexpr float kFooterBaseline = 36;
constexpr float kBodyBottom = 64;
// The verification block at the foot of the last page: the QR code and its legend.
constexpr float kQrSide = 96;
constexpr float kQrBottom = kBodyBottom;
constexpr float kClosingHeight = 120;  // place, date and signer, above the QR code

// libharu reports errors to a handler; this one remembers the first, and every step checks.
struct HaruErrors {
    HPDF_STATUS error = HPDF_OK;
    HPDF_STATUS detail = 0;
};

void OnHaruError(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
    auto* e = static_cast<HaruErrors*>(user);
    if (e->error == HPDF_OK) {
        e->error = error;
        e->detail = detail;
    }
}

struct DocDeleter {
    void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};
using DocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter>;

struct QrDeleter {
    void operator()(QRcode* q) const { QRcode_free(q); }
};

std::string Hex(unsigned v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04X", v);
    return buf;
}

// One line of text placed on a page; text in Windows-1252.
struct TextOp {
    HPDF_Font font;
    float size;
    float x, y;
    std::string text;
};

struct PageOps {
    std::vector<TextOp> texts;
};

float Width(HPDF_Font font, float size, std::string_view text) {
    HPDF_TextWidth tw = HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(text.data()),
                                            static_cast<HPDF_UINT>(text.size()));
    return static_cast<float>(tw.width) * size / 1000.0f;
}

// Splits a Windows-1252 paragraph into lines no wider than `width`, breaking at spaces, and
// inside words that are wider than a line on their own (long ids, URLs).
std::vector<std::string> Wrap(HPDF_Font font, float size, std::string_view text, float width) {
    std::vector<std::string> lines;
    std::string line;
    auto fits = [&](std::string_view s) { return Width(font, size, s) <= width; };
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t space = text.find(' ', pos);
        if (space == std::string_view::npos) space = text.size();
        std::string word(text.substr(pos, space - pos));
        pos = space + 1;
        std::string candidate = line.empty() ? word : line + " " + word;
        if (fits(candidate)) {
            line = std::move(candidate);
            continue;
        }
        if (!line.empty()) lines.push_back(std::move(line));
        line.clear();
        while (!fits(word)) {
            std::size_t n = word.size();
            while (n > 1 && !fits(std::string_view(word).substr(0, n))) --n;
            lines.push_back(word.substr(0, n));
            word.erase(0, n);
        }
        line = std::move(word);
    }
    if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
    return lines;
}

// Flows lines down the pages, starting a new page when one is full.
class Flow {
public:
    Flow() { pages_.emplace_back(); }

    void Paragraph(HPDF_Font font, float size, std::string_view text, float indent = 0,
                   bool center = false) {
        for (const std::string& l : Wrap(font, size, text, kTextWidth - indent)) {
            float leading = size * 1.45f;
            if (y_ - leading < kBodyBottom) NewPage();
            y_ -= leading;
            float x = kMargin + indent;
            if (center) x = (kPageWidth - Width(font, size, l)) / 2;
            pages_.back().texts.push_back({font, size, x, y_, l});
        }
    }
    void Space(float points) { y_ -= points; }
    // Makes sure `height` points are left above `floor` on the current page.
    void Reserve(float height, float floor) {
        if (y_ - height < floor) NewPage();
    }
    void NewPage() {
        pages_.emplace_back();
        y_ = kBodyTop;
    }
    float y() const { return y_; }
    std::vector<PageOps>& pages() { return pages_; }

private:
    std::vector<PageOps> pages_;
    float y_ = kBodyTop;
};

Status DrawQr(HPDF_Page page, const std::string& text, float x, float y, float side) {
    errno = 0;
    std::unique_ptr<QRcode, QrDeleter> qr(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr) return Error::Internal(std::string("libqrencode: ") + std::strerror(errno));
    const int n = qr->width;
    const float module = side / static_cast<float>(n + 8);  // 4-module quiet zone each side
    const float x0 = x + 4 * module;
    const float top = y + side - 4 * module;
    HPDF_Page_SetRGBFill(page, 0, 0, 0);
    for (int row = 0; row < n; ++row) {
        int col = 0;
        while (col < n) {
            if (!(qr->data[row * n + col] & 1)) {
                ++col;
                continue;
            }
            int start = col;
            while (col < n && (qr->data[row * n + col] & 1)) ++col;
            HPDF_Page_Rectangle(page, x0 + static_cast<float>(start) * module,
                                top - static_cast<float>(row + 1) * module,
                                static_cast<float>(col - start) * module, module);
        }
    }
    HPDF_Page_Fill(page);
    return Ok();
}

HPDF_Date MetadataDate(std::string_view rfc3339) {
    HPDF_Date d{};
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    std::string s(rfc3339.substr(0, 19));
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute,
                    &second) == 6) {
        d.year = year;
        d.month = month;
        d.day = day;
        d.hour = hour;
        d.minutes = minute;
        d.seconds = second;
    } else {
        d.year = 1970;
        d.month = 1;
        d.day = 1;
    }
    d.ind = 'Z';
    return d;
}

}  // namespace

std::string ToWinAnsi(std::string_view s) {
    // A fixed table rather than iconv: iconv's substitutions depend on the process locale,
    // and the signed bytes of a document must not.
    static constexpr std::array<std::pair<char32_t, unsigned char>, 27> kSpecial = {{
        {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85},
        {0x2020, 0x86}, {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A},
        {0x2039, 0x8B}, {0x0152, 0x8C}, {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92},
        {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97},
        {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B}, {0x0153, 0x9C},
        {0x017E, 0x9E}, {0x0178, 0x9F},
    }};
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        auto b = static_cast<unsigned char>(s[i]);
        char32_t cp = 0;
        std::size_t len = 0;
        if (b < 0x80) {
            cp = b;
            len = 1;
        } else if ((b & 0xE0) == 0xC0) {
            cp = b & 0x1F;
            len = 2;
        } else if ((b & 0xF0) == 0xE0) {
            cp = b & 0x0F;
            len = 3;
        } else if ((b & 0xF8) == 0xF0) {
            cp = b & 0x07;
            len = 4;
        }
        bool valid = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; valid && k < len; ++k) {
            auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) valid = false;
            cp = (cp << 6) | (c & 0x3F);
        }
        // Overlong encodings and surrogates are invalid too.
        if (valid &&
            ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
             (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)) {
            valid = false;
        }
        if (!valid) {
            out.push_back('?');
            ++i;
            continue;
        }
        i += len;
        if (cp == '\t') {
            out.push_back(' ');
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            continue;
        } else if (cp < 0x100) {
            out.push_back(static_cast<char>(cp));
        } else {
            char mapped = '?';
            for (const auto& [from, to] : kSpecial) {
                if (from == cp) mapped = static_cast<char>(to);
            }
            out.push_back(mapped);
        }
    }
    return out;
}

Result<std::string> RenderPdf(const PdfContent& c) {
    HaruErrors errors;
    DocPtr doc(HPDF_New(OnHaruError, &errors));
    if (!doc) return Error::Internal("libharu: no se pudo crear el documento");
    HPDF_Doc pdf = doc.get();
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Font regular = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
    HPDF_Font bold = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
    if (!regular || !bold)
        return Error::Internal("libharu: fuentes no disponibles (" + Hex(errors.error) + ")");

    HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, ToWinAnsi(c.title).c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, ToWinAnsi(c.issuer_name).c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT,
                     ToWinAnsi("Expediente " + c.case_number + ", documento " + c.id).c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "Ventanilla MINTRAB");
    HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, c.signature_field.c_str());
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, MetadataDate(c.issued_at));

    // Lay the text out first, so every page can say "Página i de n".
    Flow flow;
    flow.Paragraph(bold, 16, ToWinAnsi(c.title), 0, true);
    flow.Space(14);
    auto field = [&](std::string_view label, const std::string& value) {
        flow.Paragraph(regular, 10, ToWinAnsi(std::string(label) + ": " + value));
    };
    field("Expediente", c.case_number);
    field("Trámite", c.tramite_name);
    if (!c.office.empty()) field("Oficina", c.office);
    field("Fecha de emisión", c.issued_on);
    field("Código de verificación", c.id);
    flow.Space(16);
    std::size_t pos = 0;
    while (pos <= c.body.size()) {
        std::size_t nl = c.body.find('\n', pos);
        if (nl == std::string::npos) nl = c.body.size();
        std::string_view para = std::string_view(c.body).substr(pos, nl - pos);
        if (para.find_first_not_of(" \r\t") == std::string_view::npos) {
            flow.Space(8);
        } else {
            flow.Paragraph(regular, 11, ToWinAnsi(para));
        }
        pos = nl + 1;
    }
    flow.Space(24);
    flow.Reserve(kClosingHeight, kQrBottom + kQrSide + 12);
    flow.Paragraph(regular, 11, ToWinAnsi("Guatemala, " + c.issued_on + "."));
    flow.Space(18);
    flow.Paragraph(regular, 10, ToWinAnsi("Firmado electrónicamente por:"));
    flow.Paragraph(bold, 11, ToWinAnsi(c.issuer_name));
    if (!c.office.empty()) flow.Paragraph(regular, 10, ToWinAnsi("Oficina " + c.office));

    std::vector<PageOps>& pages = flow.pages();
    // The verification legend beside the QR code, on the last page.
    {
        const float x = kMargin + kQrSide + 14;
        const float width = kTextWidth - kQrSide - 14;
        float y = kQrBottom + kQrSide - 12;
        auto add = [&](HPDF_Font font, float size, const std::string& text) {
            for (const std::string& l : Wrap(font, size, ToWinAnsi(text), width)) {
                pages.back().texts.push_back({font, size, x, y, l});
                y -= size * 1.4f;
            }
        };
        add(bold, 10, "Verificación");
        add(regular, 9,
            "Este documento está firmado electrónicamente. Verifique su autenticidad y vigencia "
            "escaneando el código o en:");
        add(regular, 9, c.verification_url);
        add(regular, 9, "Código: " + c.id);
    }

    const std::string header = ToWinAnsi(kMinistryHeader);
    const std::string footer_left =
        ToWinAnsi("Documento " + c.id + " · Expediente " + c.case_number);
    for (std::size_t i = 0; i < pages.size(); ++i) {
        HPDF_Page page = HPDF_AddPage(pdf);
        if (!page)
            return Error::Internal("libharu: no se pudo agregar una página (" + Hex(errors.error) +
                                   ")");
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);

        HPDF_Page_SetRGBStroke(page, 0.1f, 0.23f, 0.45f);
        HPDF_Page_SetLineWidth(page, 1.2f);
        HPDF_Page_MoveTo(page, kMargin, kHeaderBaseline - 10);
        HPDF_Page_LineTo(page, kPageWidth - kMargin, kHeaderBaseline - 10);
        HPDF_Page_Stroke(page);

        std::vector<TextOp> texts = pages[i].texts;
        texts.push_back(
            {bold, 11, (kPageWidth - Width(bold, 11, header)) / 2, kHeaderBaseline, header});
        texts.push_back({regular, 8, kMargin, kFooterBaseline, footer_left});
        std::string page_no =
            ToWinAnsi("Página " + std::to_string(i + 1) + " de " + std::to_string(pages.size()));
        texts.push_back({regular, 8, kPageWidth - kMargin - Width(regular, 8, page_no),
                         kFooterBaseline, page_no});

        HPDF_Page_SetRGBFill(page, 0, 0, 0);
        HPDF_Page_BeginText(page);
        for (const TextOp& t : texts) {
            HPDF_Page_SetFontAndSize(page, t.font, t.size);
            HPDF_Page_TextOut(page, t.x, t.y, t.text.c_str());
        }
        HPDF_Page_EndText(page);

        if (i + 1 == pages.size())
            VT_RETURN_IF_ERROR(DrawQr(page, c.verification_url, kMargin, kQrBottom, kQrSide));
    }

    if (HPDF_SaveToStream(pdf) != HPDF_OK || errors.error != HPDF_OK) {
        return Error::Internal("libharu: error " + Hex(errors.error) + " (detalle " +
                               std::to_string(errors.detail) + ") al generar el PDF");
    }
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    std::string out(size, '\0');
    HPDF_STATUS read = HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    if (read != HPDF_OK && read != HPDF_STREAM_EOF) {
        return Error::Internal("libharu: no se pudo leer el PDF generado (" + Hex(errors.error) +
                               ")");
    }
    out.resize(size);
    return out;
}

}  // namespace vt::documents
