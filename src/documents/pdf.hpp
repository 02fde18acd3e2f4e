#pragma once
// Rendering an issued document to PDF with libharu: A4, the ministry's header, the
// document's data, its text, who signed it and when, and a QR code for verification.
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::documents {

/// Everything printed on a document. Text is UTF-8.
struct PdfContent {
    std::string id;
    std::string title;
    std::string case_number;
    std::string tramite_name;
    std::string office;
    /// The filled template: paragraphs separated by '\n', blank lines kept.
    std::string body;
    std::string issuer_name;
    std::string issued_at;  ///< RFC 3339 UTC, "2026-11-25T16:00:00.000Z": the metadata date.
    std::string issued_on;  ///< "25 de noviembre de 2026": the printed date.
    std::string verification_url;
    /// Written as the Keywords metadata: the signature field (see signature.hpp).
    std::string signature_field;
};

/// The ministry's header line on every page.
inline constexpr std::string_view kMinistryHeader =
    "Ministerio de Trabajo y Previsión Social — República de Guatemala";

/// The PDF. Deterministic: the same content always gives the same bytes (no timestamps
/// or random ids besides those in `content`). Text is set in the standard Helvetica fonts
/// with WinAnsiEncoding, so Spanish letters (á é í ó ú ü ñ ¿ ¡) and typographic quotes
/// and dashes print correctly without embedding a font; any other character prints as "?".
/// Errors: kInternal when libharu or libqrencode fail.
[[nodiscard]] Result<std::string> RenderPdf(const PdfContent& content);

/// UTF-8 to Windows-1252 (the bytes of WinAnsiEncoding). Characters it lacks and invalid
/// UTF-8 become '?'; control characters are dropped, tabs become spaces.
std::string ToWinAnsi(std::string_view utf8);

}  // namespace vt::documents
