#pragma once
/// Who is acting in a request: the identity module builds it from a session or an API
/// token; domain modules receive it as plain data and never look at HTTP.
#include <algorithm>
#include <string>
#include <vector>

namespace vt::core {

struct Actor {
    enum class Kind { kAnonymous, kCitizen, kOfficial, kAdministrator, kSystem };
    Kind kind = Kind::kAnonymous;
    /// Account id; empty for anonymous.
    std::string id;
    /// Employer (NIT, canonical "cuerpo-V") the person acts for in this request, if any.
    std::string organization;
    /// An official's office code.
    std::string office;
    /// An official's roles in that office ("recepcion", "analista", "jefe", "firma", ...).
    std::vector<std::string> roles;

    bool HasRole(std::string_view role) const {
        return std::find(roles.begin(), roles.end(), role) != roles.end();
    }
    bool IsOfficial() const { return kind == Kind::kOfficial; }
    /// The name written to logs and the audit trail.
    std::string AuditName() const { return kind == Kind::kAnonymous ? "anonimo" : id; }

    static Actor Anonymous() { return {}; }
    static Actor System() { return Actor{Kind::kSystem, "sistema", {}, {}, {}}; }
};

}  // namespace vt::core
