#include "vt/pdf/pdf.hpp"

#include <hpdf.h>

#include <array>
#include <cstdio>
#include <memory>
#include <type_traits>

namespace vt::pdf {
namespace {

constexpr float kHeaderBaseline = kPageHeight - 48;
constexpr float kBodyTop = kPageHeight - 100;
constexpr float kFooterBaseline = 36;
constexpr float kRowGap = 12;  // between the left text of a Row and its right column

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
    std::vector<float> rules;  // heights of horizontal lines across the text width
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
    Flow(HPDF_Font regular, HPDF_Font bold) : regular_(regular), bold_(bold) {
        pages_.emplace_back();
    }

    HPDF_Font FontOf(Font f) const { return f == Font::kBold ? bold_ : regular_; }

    // `right`, when not empty, goes right-aligned on the first line.
    void Lines(const Style& style, std::string_view text, std::string_view right = {}) {
        HPDF_Font font = FontOf(style.font);
        const float right_width = right.empty() ? 0 : Width(font, style.size, right) + kRowGap;
        bool first = true;
        for (const std::string& l :
             Wrap(font, style.size, text, kTextWidth - style.indent - right_width)) {
            float leading = style.size * 1.45f;
            if (y_ - leading < kBodyBottom) NewPage();
            y_ -= leading;
            float x = kMargin + style.indent;
            if (style.center) x = (kPageWidth - Width(font, style.size, l)) / 2;
            pages_.back().texts.push_back({font, style.size, x, y_, l});
            if (first && !right.empty()) {
                pages_.back().texts.push_back({font, style.size,
                                               kMargin + kTextWidth - (right_width - kRowGap), y_,
                                               std::string(right)});
            }
            first = false;
        }
    }
    void Rule() {
        if (y_ - 8 < kBodyBottom) NewPage();
        pages_.back().rules.push_back(y_ - 5);
        y_ -= 8;
    }
    void Space(float points) { y_ -= points; }
    void Reserve(float height, float floor) {
        if (y_ - height < floor) NewPage();
    }
    void NewPage() {
        pages_.emplace_back();
        y_ = kBodyTop;
    }
    std::vector<PageOps>& pages() { return pages_; }

private:
    HPDF_Font regular_, bold_;
    std::vector<PageOps> pages_;
    float y_ = kBodyTop;
};

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

Document& Document::Paragraph(std::string_view text, Style style) {
    blocks_.push_back({Block::Kind::kParagraph, std::string(text), {}, style});
    return *this;
}

Document& Document::Row(std::string_view left, std::string_view right, Style style) {
    blocks_.push_back({Block::Kind::kRow, std::string(left), std::string(right), style});
    return *this;
}

Document& Document::Rule() {
    blocks_.push_back({Block::Kind::kRule});
    return *this;
}

Document& Document::Space(float points) {
    blocks_.push_back({Block::Kind::kSpace, {}, {}, {}, points});
    return *this;
}

Document& Document::KeepTogether(float height, float floor) {
    blocks_.push_back({Block::Kind::kKeep, {}, {}, {}, height, floor});
    return *this;
}

Document& Document::OnLastPage(Box box) {
    boxes_.push_back(std::move(box));
    return *this;
}

Document& Document::OnLastPage(std::vector<Square> squares) {
    squares_.insert(squares_.end(), squares.begin(), squares.end());
    return *this;
}

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
    // Signs the calculations use that Windows-1252 lacks, written the way a typewriter would.
    static constexpr std::array<std::pair<char32_t, std::string_view>, 6> kFolded = {{
        {0x2212, "-"},   // − minus sign
        {0x2248, "~"},   // ≈
        {0x2264, "<="},  // ≤
        {0x2265, ">="},  // ≥
        {0x2260, "!="},  // ≠
        {0x2192, "->"},  // →
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
            std::string_view mapped = "?";
            for (const auto& [from, to] : kSpecial) {
                if (from == cp) mapped = std::string_view(reinterpret_cast<const char*>(&to), 1);
            }
            for (const auto& [from, to] : kFolded) {
                if (from == cp) mapped = to;
            }
            out.append(mapped);
        }
    }
    return out;
}

Result<std::string> Render(const Document& d) {
    HaruErrors errors;
    DocPtr doc(HPDF_New(OnHaruError, &errors));
    if (!doc) return Error::Internal("libharu: no se pudo crear el documento");
    HPDF_Doc pdf = doc.get();
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Font regular = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
    HPDF_Font bold = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
    if (!regular || !bold)
        return Error::Internal("libharu: fuentes no disponibles (" + Hex(errors.error) + ")");

    const Info& info = d.info();
    HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, ToWinAnsi(info.title).c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, ToWinAnsi(info.author).c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, ToWinAnsi(info.subject).c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "Ventanilla MINTRAB");
    HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, info.keywords.c_str());
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, MetadataDate(info.created_at));

    // Lay everything out first, so every page can say "Página i de n".
    Flow flow(regular, bold);
    for (const Document::Block& b : d.blocks_) {
        switch (b.kind) {
            case Document::Block::Kind::kParagraph:
                flow.Lines(b.style, ToWinAnsi(b.text));
                break;
            case Document::Block::Kind::kRow:
                flow.Lines(b.style, ToWinAnsi(b.text), ToWinAnsi(b.right));
                break;
            case Document::Block::Kind::kRule:
                flow.Rule();
                break;
            case Document::Block::Kind::kSpace:
                flow.Space(b.points);
                break;
            case Document::Block::Kind::kKeep:
                flow.Reserve(b.points, b.floor);
                break;
        }
    }
    std::vector<PageOps>& pages = flow.pages();
    for (const Box& box : d.boxes_) {
        float y = box.top;
        for (const Box::Line& line : box.lines) {
            HPDF_Font font = flow.FontOf(line.font);
            for (const std::string& l : Wrap(font, line.size, ToWinAnsi(line.text), box.width)) {
                pages.back().texts.push_back({font, line.size, box.x, y, l});
                y -= line.size * 1.4f;
            }
        }
    }

    const std::string header = ToWinAnsi(kMinistryHeader);
    const std::string footer = ToWinAnsi(info.footer);
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
        if (!pages[i].rules.empty()) {
            HPDF_Page_SetRGBStroke(page, 0.55f, 0.55f, 0.55f);
            HPDF_Page_SetLineWidth(page, 0.5f);
            for (float y : pages[i].rules) {
                HPDF_Page_MoveTo(page, kMargin, y);
                HPDF_Page_LineTo(page, kPageWidth - kMargin, y);
            }
            HPDF_Page_Stroke(page);
        }

        std::vector<TextOp> texts = pages[i].texts;
        texts.push_back(
            {bold, 11, (kPageWidth - Width(bold, 11, header)) / 2, kHeaderBaseline, header});
        texts.push_back({regular, 8, kMargin, kFooterBaseline, footer});
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

        if (i + 1 == pages.size() && !d.squares_.empty()) {
            HPDF_Page_SetRGBFill(page, 0, 0, 0);
            for (const Square& s : d.squares_) {
                HPDF_Page_Rectangle(page, s.x, s.y, s.width, s.height);
            }
            HPDF_Page_Fill(page);
        }
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

}  // namespace vt::pdf
