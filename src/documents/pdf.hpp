#pragma once
// Rendering an issued document to PDF: A4, the ministry's header, the document's data, its
// text, who signed it and when, and a QR code for verification.
#include <string>

#include "vt/core/result.hpp"
#include "vt/pdf/pdf.hpp"

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

/// The PDF, laid out by vt/pdf/pdf.hpp (the ministry's header, Helvetica with
/// WinAnsiEncoding). Deterministic: the same content always gives the same bytes (no
/// timestamps or random ids besides those in `content`).
/// Errors: kInternal when libharu or libqrencode fail.
[[nodiscard]] Result<std::string> RenderPdf(const PdfContent& content);

}  // namespace vt::documents
