// Demonstration data: offices, an employer and one account per kind and role.
#include <boost/json.hpp>

#include "service_impl.hpp"

namespace vt::identity {
namespace {

constexpr std::string_view kDemoPassword = "Demostracion-2026";

struct DemoOffice {
    const char* code;
    const char* name;
    const char* municipio;
};

constexpr DemoOffice kOffices[] = {
    {"IGT", "Inspección General de Trabajo", "0101"},
    {"DGE", "Dirección General de Empleo", "0101"},
    {"UIP", "Unidad de Información Pública", "0101"},
    {"DEP-QUE", "Delegación Departamental de Quetzaltenango", "0901"},
    {"DGT", "Dirección General de Trabajo", "0101"},
    {"DGPS", "Dirección General de Previsión Social", "0101"},
    {"DML", "Departamento de Movilidad Laboral (Dirección General de Empleo)", "0101"},
    {"UAI", "Unidad de Auditoría Interna", "0101"},
    {"DSI", "Dirección de Sistemas de Información", "0101"},
    {"INV", "Sección de Inventarios (Dirección Administrativa)", "0101"},
    {"PAM", "Programa de Aporte Económico del Adulto Mayor", "0101"},
};

struct DemoPerson {
    const char* role;  // as printed
    AccountKind kind;
    const char* email;
    const char* name;
    const char* cui;     // citizens
    const char* office;  // officials
    std::vector<std::string> roles;
};

}  // namespace

Result<std::vector<DemoLogin>> IdentityService::SeedDemoData() {
    Impl& s = *impl_;
    const std::vector<DemoPerson> people = {
        {"ciudadano",
         AccountKind::kCitizen,
         "ciudadana@demo.ventanilla.gt",
         "María López Pérez",
         "1234567890101",
         "",
         {}},
        {"empleador (propietario)",
         AccountKind::kCitizen,
         "empleador@demo.ventanilla.gt",
         "Juan Pérez García",
         "9999999902217",
         "",
         {}},
        {"recepción IGT",
         AccountKind::kOfficial,
         "recepcion.igt@demo.ventanilla.gt",
         "Ana Recepción",
         "",
         "IGT",
         {"recepcion"}},
        {"analista IGT",
         AccountKind::kOfficial,
         "analista.igt@demo.ventanilla.gt",
         "Beto Analista",
         "",
         "IGT",
         {"analista"}},
        {"inspector IGT",
         AccountKind::kOfficial,
         "inspector.igt@demo.ventanilla.gt",
         "Carla Inspectora",
         "",
         "IGT",
         {"inspector"}},
        {"jefe IGT",
         AccountKind::kOfficial,
         "jefe.igt@demo.ventanilla.gt",
         "Diego Jefe",
         "",
         "IGT",
         {"firma", "jefe"}},
        {"UIP (recepción, analista, jefe, firma)",
         AccountKind::kOfficial,
         "uip@demo.ventanilla.gt",
         "Elena Información",
         "",
         "UIP",
         {"analista", "firma", "jefe", "recepcion"}},
        {"administrador",
         AccountKind::kAdministrator,
         "admin@demo.ventanilla.gt",
         "Fernando Administrador",
         "",
         "",
         {}},
    };
    VT_ASSIGN_OR_RETURN(std::string hash, s.hasher.Hash(kDemoPassword));
    std::vector<DemoLogin> logins;
    VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
        std::string now = core::FormatUtc(s.Now());
        for (const auto& o : kOffices) {
            VT_RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO offices (code, name, municipio, created_at) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (code) DO NOTHING",
                {Value{std::string(o.code)}, Value{std::string(o.name)},
                 Value{std::string(o.municipio)}, Value{now}}));
        }
        std::string owner_id;
        for (const auto& p : people) {
            logins.push_back({p.role, p.email, std::string(kDemoPassword)});
            VT_ASSIGN_OR_RETURN(auto existing, s.FindAccount(tx, "email", p.email));
            if (existing) {
                if (p.kind == AccountKind::kCitizen && std::string_view(p.cui) == "9999999902217") {
                    owner_id = existing->account.id;
                }
                continue;
            }
            std::string id = Impl::NewAccountId();
            if (std::string_view(p.cui) == "9999999902217") owner_id = id;
            VT_RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO accounts (id, kind, cui, email, name, office, password_hash, "
                "email_verified, created_at, "
                "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
                {Value{id}, Value{std::string(KindColumn(p.kind))},
                 *p.cui ? Value{std::string(p.cui)} : Value{}, Value{std::string(p.email)},
                 Value{std::string(p.name)}, *p.office ? Value{std::string(p.office)} : Value{},
                 Value{hash}, Value{now}}));
            for (const auto& r : p.roles) {
                VT_RETURN_IF_ERROR(
                    tx.Exec("INSERT INTO official_roles (account_id, role) VALUES ($1, $2)",
                            {Value{id}, Value{r}}));
            }
            VT_RETURN_IF_ERROR(s.Record(tx, {.kind = "account.created",
                                             .actor = "sistema",
                                             .account = id,
                                             .detail = {{"demostracion", true}}}));
        }
        VT_ASSIGN_OR_RETURN(
            std::int64_t org,
            tx.Exec("INSERT INTO organizations (nit, legal_name, created_at, created_by) "
                    "VALUES ('576937-K', 'Empresa Demostración, S.A.', $1, $2) ON CONFLICT (nit) "
                    "DO NOTHING",
                    {Value{now}, Value{owner_id}}));
        if (org > 0) {
            VT_RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO organization_members (nit, account_id, role, added_at, added_by) "
                "VALUES ('576937-K', $1, 'propietario', $2, $1)",
                {Value{owner_id}, Value{now}}));
        }
        return Ok();
    }));
    return logins;
}

}  // namespace vt::identity
