#pragma once
/// The 22 departamentos of Guatemala and their 340 municipios, with the two-digit
/// departamento codes ("01" Guatemala … "22" Jutiapa) and four-digit municipio codes
/// ("DDMM") in the order INE and RENAP use, which is the order the CUI encodes.
///
/// The data is compiled into the binary (geo_data.cpp) and never changes at run time, so
/// every function here is thread-safe and every returned view stays valid for the whole
/// life of the program.
///
/// Two municipios were created after the table that CUI validation follows: Sipacate
/// (Escuintla, 2015, code 0514) and Petatán (Huehuetenango, 2015, code 1333). They are
/// listed with `recent = true`; whether RENAP issues CUIs with those codes is unverified
/// (OPEN-10), so CuiMunicipioCount() leaves them out.

#include <span>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::core {

struct Departamento {
    std::string_view code;  ///< "01" … "22".
    std::string_view name;  ///< Spanish name with accents, e.g. "Sacatepéquez".
};

struct Municipio {
    std::string_view code;  ///< "DDMM": departamento code followed by the municipio number.
    std::string_view name;  ///< Spanish name with accents, e.g. "Antigua Guatemala".
    bool recent = false;    ///< Created in 2015 and absent from the CUI table (OPEN-10).

    /// The first two characters of `code`.
    std::string_view departamento_code() const { return code.substr(0, 2); }
};

/// All 22 departamentos, ordered by code.
std::span<const Departamento> Departamentos();

/// All 340 municipios, ordered by code (so grouped by departamento).
std::span<const Municipio> Municipios();

/// The municipios of one departamento, ordered by code; empty if `departamento_code` is
/// not one of "01" … "22".
std::span<const Municipio> MunicipiosOf(std::string_view departamento_code);

/// The departamento with this code ("01" … "22").
/// Errors: kNotFound with code "departamento-not-found".
[[nodiscard]] Result<Departamento> FindDepartamento(std::string_view code);

/// The municipio with this four-digit code ("0101" … "2217").
/// Errors: kNotFound with code "municipio-not-found".
[[nodiscard]] Result<Municipio> FindMunicipio(std::string_view code);

/// Checks that `departamento_code` ("DD") exists and that `municipio_code` ("DDMM") is one
/// of its municipios, as a form with two linked selects must.
/// Errors (all kInvalid): "departamento-unknown", "municipio-unknown",
/// "municipio-departamento-mismatch".
[[nodiscard]] Status ValidateMunicipio(std::string_view departamento_code,
                                       std::string_view municipio_code);

/// How many municipio numbers (01 … N) the CUI rule accepts for this departamento: its
/// municipios that are not `recent`. 0 for an unknown departamento.
int CuiMunicipioCount(std::string_view departamento_code);

}  // namespace vt::core
