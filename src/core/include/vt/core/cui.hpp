#pragma once
/// CUI (Código Único de Identificación), the 13-digit number on the DPI issued by RENAP:
/// `AAAAAAAA B DD MM` = 8-digit correlativo, check digit, departamento and municipio of
/// birth (of registration for naturalised persons). Rules in GUATEMALA_RULES §3.
/// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::core {

struct Cui {
    std::string digits;        ///< The 13 digits, no separators: the form to store and compare.
    std::string departamento;  ///< Digits 10–11, "01" … "22".
    std::string municipio;     ///< Digits 10–13, "DDMM", a code of vt/core/geo.hpp.
};

/// Validates a CUI as typed by a person and returns it normalised.
///
/// Surrounding whitespace is ignored. The rest must read `^\d{4}[ -]?\d{5}[ -]?\d{4}$`
/// ("1587564440904", "1587 56444 0904", "1587-56444-0904"). Then, in this order:
/// departamento 01–22; municipio 01..N(departamento), N being CuiMunicipioCount() of
/// vt/core/geo.hpp (so the 2015 municipios 0514 and 1333 are rejected, OPEN-10); and
/// check digit d9 == (Σ_{i=1..8} d_i × (i+1)) mod 11. A remainder of 10 matches no digit,
/// so such numbers are never valid (OPEN-9: some libraries take it mod 10 and accept 0).
///
/// Errors (all kInvalid, message in Spanish for the person):
///   "cui-length"       (longitud) not 13 digits;
///   "cui-format"       (formato) characters other than digits, or separators misplaced;
///   "cui-departamento" digits 10–11 are not a departamento;
///   "cui-municipio"    digits 12–13 are not a municipio of that departamento;
///   "cui-check-digit"  the check digit does not match.
[[nodiscard]] Result<Cui> ParseCui(std::string_view text);

}  // namespace vt::core
