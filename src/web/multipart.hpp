#pragma once
// multipart/form-data bodies (RFC 7578), which browsers use for forms with files. Boost
// (Beast, URL) has no parser for them and no Debian package offers a small one, so this is
// a short parser over the request body already held in memory (the server's body limit
// bounds it); it copies nothing but the field values.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vt::web {

struct FormPart {
    std::string name;
    std::optional<std::string> filename;  ///< Set for file inputs (empty when none chosen).
    std::string_view data;                ///< Points into the body.
};

/// The boundary parameter of a multipart/form-data Content-Type, or empty.
std::string MultipartBoundary(std::string_view content_type);

/// Splits `body` into its parts. nullopt when the body is not well-formed multipart with
/// that boundary.
std::optional<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view boundary);

}  // namespace vt::web
