#pragma once
// Validation and normalisation of what people type into account forms. Private to identity.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vt::identity::internal {

/// Field name -> Spanish message, collected so every problem is reported at once.
using FieldErrors = std::map<std::string, std::string>;

/// Trimmed and lower-cased; empty (with an error in `errors[field]`) when not an address.
std::string NormalizeEmail(std::string_view text, FieldErrors& errors,
                           const std::string& field = "correo");

/// Trimmed, inner runs of spaces collapsed; 2–200 characters.
std::string NormalizeName(std::string_view text, FieldErrors& errors,
                          const std::string& field = "nombre");

/// 8 digits (Guatemalan number, first digit 2–7), "+502" and spaces or dashes allowed.
/// Empty input is fine (the phone is optional).
std::string NormalizePhone(std::string_view text, FieldErrors& errors);

/// Checks roles against OfficialRoles(); returns them sorted without duplicates.
std::vector<std::string> NormalizeRoles(const std::vector<std::string>& roles, FieldErrors& errors);

std::string Trim(std::string_view text);

}  // namespace vt::identity::internal
