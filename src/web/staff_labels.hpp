#pragma once
// How the back-office pages name officials' roles (identity::OfficialRoles()) to people.
#include <string>
#include <string_view>

namespace vt::web {

/// "recepcion" -> "Recepción", "jefe" -> "Jefatura", ...; an unknown role as it is.
inline std::string RoleLabel(std::string_view role) {
    if (role == "recepcion") return "Recepción";
    if (role == "analista") return "Análisis";
    if (role == "inspector") return "Inspección";
    if (role == "jefe") return "Jefatura";
    if (role == "firma") return "Firma de documentos";
    return std::string(role);
}

}  // namespace vt::web
