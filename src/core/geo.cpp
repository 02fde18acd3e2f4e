#include "vt/core/geo.hpp"

#include <algorithm>
#include <string>

namespace vt::core {

std::span<const Municipio> MunicipiosOf(std::string_view departamento_code) {
    // The table is sorted by code, so one departamento is a contiguous run.
    auto run = std::ranges::equal_range(Municipios(), departamento_code, {},
                                        &Municipio::departamento_code);
    return {run.begin(), run.end()};
}

Result<Departamento> FindDepartamento(std::string_view code) {
    auto all = Departamentos();
    auto it = std::ranges::find(all, code, &Departamento::code);
    if (it == all.end()) {
        return Error(ErrorKind::kNotFound, "departamento-not-found",
                     "No existe un departamento con ese código.");
    }
    return *it;
}

Result<Municipio> FindMunicipio(std::string_view code) {
    auto all = Municipios();
    auto it = std::ranges::lower_bound(all, code, {}, &Municipio::code);
    if (it == all.end() || it->code != code) {
        return Error(ErrorKind::kNotFound, "municipio-not-found",
                     "No existe un municipio con ese código.");
    }
    return *it;
}

Status ValidateMunicipio(std::string_view departamento_code, std::string_view municipio_code) {
    auto departamento = FindDepartamento(departamento_code);
    if (!departamento.ok()) {
        return Error(ErrorKind::kInvalid, "departamento-unknown",
                     "Seleccione un departamento de la lista.");
    }
    auto municipio = FindMunicipio(municipio_code);
    if (!municipio.ok()) {
        return Error(ErrorKind::kInvalid, "municipio-unknown",
                     "Seleccione un municipio de la lista.");
    }
    if (municipio->departamento_code() != departamento_code) {
        return Error(ErrorKind::kInvalid, "municipio-departamento-mismatch",
                     std::string(municipio->name) + " no es un municipio del departamento de " +
                         std::string(departamento->name) + ".");
    }
    return Ok();
}

int CuiMunicipioCount(std::string_view departamento_code) {
    return static_cast<int>(
        std::ranges::count(MunicipiosOf(departamento_code), false, &Municipio::recent));
}

}  // namespace vt::core
