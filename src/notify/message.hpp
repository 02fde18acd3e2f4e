#pragma once
// Building the RFC 5322 / MIME text of an Email, as handed to the SMTP relay.
//
// libcurl's MIME API would wrap even a lone text part in multipart/mixed and does not
// encode header words (RFC 2047), which Spanish subjects and sender names need; the
// message is small enough to build here, and message_test.cpp pins every rule.
#include <chrono>
#include <string>
#include <string_view>

#include "email.hpp"
#include "vt/notify/notify.hpp"

namespace vt::notify::internal {

/// RFC 5322 date-time in UTC: "Wed, 25 Nov 2026 16:00:00 +0000".
std::string FormatMessageDate(std::chrono::system_clock::time_point t);

/// `value` as the body of a header field whose name (with ": ") takes `name_length`
/// columns: unchanged when it is short printable ASCII, folded at spaces when it is
/// long ASCII, otherwise RFC 2047 "B" encoded-words of UTF-8, never splitting a
/// character, each line at most 78 columns. REQUIRES: valid UTF-8 without controls.
std::string EncodeHeaderText(std::string_view value, std::size_t name_length);

/// `text` in quoted-printable (RFC 2045 §6.7): line breaks (LF, CRLF or CR) become
/// CRLF, lines are soft-broken to at most 76 columns.
std::string QuotedPrintable(std::string_view text);

/// What the builder needs besides the Email.
struct Envelope {
    Mailbox from;
    std::chrono::system_clock::time_point date;
    std::string message_id;  ///< Without angle brackets: "abc@mintrabajo.gob.gt".
    std::string boundary;    ///< Used only when the message has an HTML part.
};

/// The message: headers, a blank line, the body; CRLF line ends, ending with CRLF.
/// Not dot-stuffed (the SMTP client does that). REQUIRES: ValidateEmail(email).ok().
std::string BuildMessage(const Email& email, const Envelope& envelope);

/// A Message-ID local part: derived from `dedup_key` when it is not empty (stable across
/// retries), random otherwise.
std::string MessageIdLocalPart(std::string_view dedup_key);

}  // namespace vt::notify::internal
