#pragma once
// Reads back what the SMTP adapter sent: unfolds headers, decodes RFC 2047 words and
// quoted-printable or base64 bodies, finds the parts of multipart/alternative. Written
// apart from the encoder so that a test compares two independent readings. Test-only.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vt::notify::testing {

struct ParsedMail {
    /// Header fields in order, names as sent, values unfolded (CRLF removed), not decoded.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string subject;           ///< Decoded.
    std::string content_type;      ///< Of the whole message, without parameters, lower case.
    std::string text;              ///< Decoded text/plain body (CRLF line ends).
    std::string html;              ///< Decoded text/html body; empty when there is none.
    std::size_t longest_line = 0;  ///< Longest line of the raw message, without CRLF.
    std::string error;             ///< Set when the message could not be read.

    /// The first value of header `name` (case-insensitive), or "".
    std::string Header(std::string_view name) const;
};

ParsedMail ParseMail(std::string_view raw);

/// Decodes RFC 2047 encoded-words (B and Q, UTF-8) in a header value; whitespace between
/// adjacent encoded-words is dropped, as the RFC requires.
std::string DecodeHeader(std::string_view value);

std::string DecodeQuotedPrintable(std::string_view body);

}  // namespace vt::notify::testing
