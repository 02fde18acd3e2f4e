#pragma once
// Checks shared by validation, the message builder and the SMTP adapter.
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::notify::internal {

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points
/// beyond U+10FFFF).
bool IsValidUtf8(std::string_view s);

/// True when `s` is one plain RFC 5321 mailbox "local@domain.tld": dot-atom local part
/// of at most 64 bytes, a domain of two or more LDH labels, nothing else.
bool IsValidAddress(std::string_view s);

/// A parsed "Display name <address>" (or bare address).
struct Mailbox {
    std::string display_name;  ///< UTF-8; may be empty.
    std::string address;
};

/// Parses the `from` setting. Errors: kInvalid when the address is not valid or the
/// display name contains a control character, '"', '\\', '<' or '>'.
Result<Mailbox> ParseMailbox(std::string_view s);

/// True when `s` is a timestamp exactly as core::FormatUtc writes it.
bool IsUtcTimestamp(std::string_view s);

}  // namespace vt::notify::internal
