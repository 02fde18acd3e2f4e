#pragma once
/// Printable A4 pages of the ministry, written with libharu: text that flows down as many
/// pages as it needs under the ministry's header, a footer with "Página i de n", and, on
/// the last page, text and filled squares at fixed places (a verification QR code).
///
/// Why a module of its own: the documents module (signed certificates) and the calculators
/// (the printable severance calculation) both print, but the calculators depend on core
/// only, while documents depends on the store, cases and identity. This leaf module,
/// which depends on core and libharu only, is what both share; neither depends on the
/// other.
///
/// A Document is plain data: building one does no I/O and cannot fail; Render() lays it
/// out and writes the PDF. Text is UTF-8, set in the standard Helvetica fonts with
/// WinAnsiEncoding, so Spanish letters (á é í ó ú ü ñ ¿ ¡) and typographic quotes and
/// dashes print correctly without embedding a font; any other character prints as "?".
/// Thread-safety: distinct Documents may be built and rendered concurrently.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vt/core/result.hpp"

namespace vt::pdf {

/// The ministry's header line, printed at the top of every page.
inline constexpr std::string_view kMinistryHeader =
    "Ministerio de Trabajo y Previsión Social — República de Guatemala";

/// A4 in points (1/72 inch), and the frame of the text.
inline constexpr float kPageWidth = 595.276f;
inline constexpr float kPageHeight = 841.89f;
inline constexpr float kMargin = 56.7f;  ///< 2 cm left and right
inline constexpr float kTextWidth = kPageWidth - 2 * kMargin;
/// Lowest baseline of flowing text; the footer sits below it.
inline constexpr float kBodyBottom = 64;

enum class Font { kRegular, kBold };

/// How a paragraph is set.
struct Style {
    Font font = Font::kRegular;
    float size = 11;      ///< points; lines are 1.45 × size apart
    float indent = 0;     ///< points from the left margin
    bool center = false;  ///< centred on the page instead of left-aligned
};

/// Document metadata (PDF Info dictionary) and the footer.
struct Info {
    std::string title;    ///< UTF-8
    std::string author;   ///< UTF-8
    std::string subject;  ///< UTF-8
    /// Written as is (not re-encoded): documents keep their signature field here.
    std::string keywords;
    /// RFC 3339 UTC, "2026-11-25T16:00:00.000Z": the creation date. Anything else is
    /// written as 1970-01-01.
    std::string created_at;
    /// Printed at the left of every page's footer; "Página i de n" goes at the right.
    std::string footer;
};

/// Text placed on the last page at a fixed place instead of flowing.
struct Box {
    float x = kMargin;  ///< left edge
    float top = 0;      ///< baseline of the first line
    float width = kTextWidth;
    struct Line {
        Font font = Font::kRegular;
        float size = 9;
        std::string text;  ///< UTF-8, wrapped to `width`; lines are 1.4 × size apart
    };
    std::vector<Line> lines;
};

/// A filled black rectangle on the last page, in points from the bottom-left corner.
struct Square {
    float x = 0, y = 0, width = 0, height = 0;
};

class Document;

/// The PDF of `document`. Deterministic: the same document always gives the same bytes
/// (no timestamps or random ids besides those in it). Compressed.
/// Errors: kInternal when libharu fails.
[[nodiscard]] Result<std::string> Render(const Document& document);

/// A printable document under construction. Flowing content is laid out in the order it
/// is added, from the top of the first page; lines that do not fit on a page go on to a
/// new one. Words wider than a line are broken.
class Document {
public:
    explicit Document(Info info) : info_(std::move(info)) {}

    /// A paragraph wrapped to the text width (less the indent).
    Document& Paragraph(std::string_view text, Style style = {});
    /// A line of a table: `left` wrapped to leave room for `right`, which is printed
    /// right-aligned on the first line of `left`, in the same style.
    Document& Row(std::string_view left, std::string_view right, Style style = {});
    /// A thin horizontal line across the text width.
    Document& Rule();
    /// Vertical space, in points.
    Document& Space(float points);
    /// Starts a new page unless `height` points are left above `floor` on this one: keeps
    /// together what follows (a heading and its first lines, a closing block).
    Document& KeepTogether(float height, float floor = kBodyBottom);
    /// Text at a fixed place on the last page (e.g. the legend beside a QR code). The caller
    /// keeps the flowing text clear of it with KeepTogether().
    Document& OnLastPage(Box box);
    /// Filled squares on the last page (e.g. the modules of a QR code).
    Document& OnLastPage(std::vector<Square> squares);

    const Info& info() const { return info_; }

private:
    friend Result<std::string> Render(const Document& document);

    // One piece of flowing content, as the methods above add it.
    struct Block {
        enum class Kind { kParagraph, kRow, kRule, kSpace, kKeep } kind;
        std::string text, right;
        Style style;
        float points = 0, floor = 0;
    };

    Info info_;
    std::vector<Block> blocks_;
    std::vector<Box> boxes_;
    std::vector<Square> squares_;
};

/// UTF-8 to Windows-1252 (the bytes of WinAnsiEncoding). A few signs it lacks are written
/// in ASCII (− as "-", ≈ as "~", ≤ as "<=", ≥ as ">=", ≠ as "!=", → as "->"); other
/// characters it lacks and invalid UTF-8 become '?'; control characters are dropped, tabs
/// become spaces.
std::string ToWinAnsi(std::string_view utf8);

}  // namespace vt::pdf
