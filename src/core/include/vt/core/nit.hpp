#pragma once
/// NIT (Número de Identificación Tributaria) issued by SAT: a body of digits and a check
/// character 0–9 or K, usually written "cuerpo-verificador". Rules in GUATEMALA_RULES §4.
/// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::core {

struct Nit {
    std::string body;  ///< Digits without leading zeros, e.g. "576937".
    char check_digit;  ///< '0'–'9' or 'K'.

    /// The normalised form "cuerpo-V", e.g. "576937-K": the form to store and compare.
    std::string ToString() const { return body + '-' + check_digit; }
};

/// The check character of a body of digits: with weights 2, 3, 4, … from the rightmost
/// digit, s = Σ digit × weight, c = (11 − s mod 11) mod 11, and c = 10 is written 'K'.
/// REQUIRES: `body` is 1–11 ASCII digits.
char NitCheckDigit(std::string_view body);

/// Validates a NIT as typed by a person (stricter than SAT's own tools):
/// all whitespace is removed and letters upper-cased; the rest must match
/// `^\d+-?[0-9K]$` (at most one hyphen, only before the check character); leading zeros of
/// the body are dropped; body plus check character must be 2–12 characters; and the check
/// character must equal NitCheckDigit(body).
///
/// Errors (all kInvalid, message in Spanish for the person):
///   "nit-final-consumer" the text is "CF" or "C/F" (consumidor final is not a NIT);
///   "nit-format"         any other shape (letters, two hyphens, hyphen elsewhere);
///   "nit-length"         fewer than 2 or more than 12 characters once compacted;
///   "nit-check-digit"    the check character does not match.
[[nodiscard]] Result<Nit> ParseNit(std::string_view text);

}  // namespace vt::core
