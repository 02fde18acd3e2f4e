// The authorization matrix of identity's own routes: every route × every kind of actor and
// role × owner / non-owner of the organization at hand, sent through the router with fresh
// credentials and a valid CSRF token (so only authorization can refuse), against a table
// written here by hand. A route added without a row fails the test.
#include "vt/identity/api.hpp"

#include "tests/http_fixture.hpp"
#include "tests/identity_fixture.hpp"
#include "vt/identity/policy.hpp"

namespace vt::identity {
namespace {

using testing::IdentityTest;
using testing::kPassword;
using testing::TestRequest;
using testing::ValidCui;
using testing::ValidNit;

constexpr const char* kActors[] = {
    "anonimo",  "ciudadano", "representante", "propietario", "propietario-otra", "recepcion",
    "analista", "inspector", "jefe",          "firma",       "administrador",    "maquina"};
constexpr std::size_t kActorCount = std::size(kActors);

// 'A': the request gets past authorization (2xx, or a 409/422 about its content);
// '.': it is refused (401, 403 or 404). Columns in the order of kActors.
const std::map<std::string, std::string> kExpected = {
    {"POST /api/v1/cuentas", "AAAAAAAAAAAA"},
    {"POST /api/v1/cuentas/verificacion", "AAAAAAAAAAAA"},
    {"POST /api/v1/sesiones", "AAAAAAAAAAAA"},
    {"DELETE /api/v1/sesiones/actual", "AAAAAAAAAAAA"},
    {"DELETE /api/v1/sesiones", ".AAAAAAAAAA."},
    {"POST /api/v1/cuentas/restablecimiento", "AAAAAAAAAAAA"},
    {"POST /api/v1/cuentas/restablecimiento/confirmacion", "AAAAAAAAAAAA"},
    {"GET /api/v1/cuentas/yo", ".AAAAAAAAAA."},
    {"POST /api/v1/cuentas/yo/segundo-factor", ".....AAAAAA."},
    {"POST /api/v1/cuentas/yo/segundo-factor/confirmacion", ".....AAAAAA."},
    {"POST /api/v1/organizaciones", ".AAAA......."},
    {"POST /api/v1/organizaciones/{nit}/representantes", "...A........"},
    {"DELETE /api/v1/organizaciones/{nit}/representantes", "...A........"},
    {"GET /api/v1/organizaciones/{nit}/representantes", "..AA........"},
    {"GET /api/v1/admin/oficinas", "..........A."},
    {"POST /api/v1/admin/oficinas", "..........A."},
    {"GET /api/v1/admin/funcionarios", "..........A."},
    {"POST /api/v1/admin/funcionarios", "..........A."},
    {"PUT /api/v1/admin/funcionarios/{id}/roles", "..........A."},
    {"POST /api/v1/admin/funcionarios/{id}/estado", "..........A."},
    {"GET /api/v1/admin/tokens", "..........A."},
    {"POST /api/v1/admin/tokens", "..........A."},
    {"DELETE /api/v1/admin/tokens/{id}", "..........A."},
};

class RouteMatrixTest : public IdentityTest {
protected:
    void SetUp() override {
        IdentityTest::SetUp();
        if (IsSkipped()) return;
        IdentityOptions o = testing::FastOptions();
        o.require_second_factor = false;
        MakeService(o);
        AddIdentityRoutes(router_, id(), IdentityApiOptions{});
        for (int n = 1; n <= 5; ++n) Citizen(n);  // 5 is the person added and removed
        logins_ = {"", Email(1), Email(2), Email(3), Email(4)};
        ASSERT_OK(id().RegisterOrganization(Acting(3), kOrgA, "Empresa A, S.A."));
        ASSERT_OK(id().RegisterOrganization(Acting(4), kOrgB, "Empresa B, S.A."));
        ASSERT_OK(id().AddRepresentative(Acting(3), kOrgA, ValidCui(2), "representante"));
        for (const char* role : {"recepcion", "analista", "inspector", "jefe", "firma"}) {
            std::string email = std::string(role) + "@mintrabajo.gob.gt";
            Official(email, "IGT", {role});
            logins_.push_back(email);
        }
        ASSERT_OK(
            id().BootstrapAdministrator("admin@mintrabajo.gob.gt", "Administración", kPassword));
        logins_.push_back("admin@mintrabajo.gob.gt");
        std::vector<std::string> all;
        for (auto s : KnownScopes()) all.emplace_back(s);
        auto token = id().CreateApiToken(core::Actor::System(), ApiTokenRequest{"Banco", all, {}});
        ASSERT_OK(token);
        machine_token_ = token->first;
        // The official whose roles and status the back-office routes change.
        target_official_ = Official("objetivo@mintrabajo.gob.gt", "IGT", {"analista"});
    }

    core::Actor Acting(int n) {
        auto grant = LogIn(Email(n));
        EXPECT_TRUE(grant.ok());
        return id().AuthenticateSession(grant->token)->actor;
    }

    // Fresh credentials for actor `a`.
    void Credentials(std::size_t a, TestRequest& req) {
        if (a == 0) return;
        if (a == kActorCount - 1) {
            req.headers["Authorization"] = "Bearer " + machine_token_;
            return;
        }
        auto grant = LogIn(logins_[a]);
        ASSERT_TRUE(grant.ok()) << logins_[a] << ": " << grant.error().ToString();
        req.headers["Cookie"] = "vt_sesion=" + grant->token;
        req.headers["X-CSRF-Token"] = grant->csrf_token;
    }

    // A request to `route` that would succeed for someone allowed to make it. `k` keeps
    // the data of each call distinct.
    TestRequest RequestFor(const std::string& route, int k) {
        TestRequest req;
        req.method = route.substr(0, route.find(' '));
        req.target = route.substr(route.find(' ') + 1);
        req.headers["Content-Type"] = "application/json";
        std::size_t param = req.target.find("{nit}");
        if (param != std::string::npos) req.target.replace(param, 5, kOrgA);
        param = req.target.find("{id}");
        if (param != std::string::npos) {
            std::string target = target_official_;
            if (route == "DELETE /api/v1/admin/tokens/{id}") {
                auto token = id().CreateApiToken(core::Actor::System(),
                                                 ApiTokenRequest{"Revocable", {"catalogo"}, {}});
                EXPECT_OK(token);
                target = token->second.id;
            }
            req.target.replace(param, 4, target);
        }
        auto fresh_account = [&](int n) {
            EXPECT_OK(id().RegisterCitizen(
                Registration{ValidCui(n), "Persona Nueva", Email(n), "", kPassword}));
            return Email(n);
        };
        if (route == "POST /api/v1/cuentas") {
            req.body = R"({"cui":")" + ValidCui(1000 + k) +
                       R"(","nombre":"Nueva Persona","correo":")" + Email(1000 + k) +
                       R"(","contrasena":")" + kPassword + R"("})";
        } else if (route == "POST /api/v1/cuentas/verificacion") {
            fresh_account(2000 + k);
            req.body = R"({"token":")" + mail_.LastToken("verificacion") + R"("})";
        } else if (route == "POST /api/v1/sesiones") {
            req.body = R"({"usuario":")" + Email(1) + R"(","contrasena":")" + kPassword + R"("})";
        } else if (route == "POST /api/v1/cuentas/restablecimiento") {
            req.body = R"({"correo":")" + Email(1) + R"("})";
        } else if (route == "POST /api/v1/cuentas/restablecimiento/confirmacion") {
            EXPECT_OK(id().RequestPasswordReset(fresh_account(3000 + k)));
            req.body = R"({"token":")" + mail_.LastToken("restablecimiento") +
                       R"(","contrasena":"Nueva-clave-segura-1"})";
        } else if (route == "POST /api/v1/cuentas/yo/segundo-factor/confirmacion") {
            req.body = R"({"codigo":"000000"})";
        } else if (route == "POST /api/v1/organizaciones") {
            req.body =
                R"({"nit":")" + ValidNit(500000 + k) + R"(","razon_social":"Empresa Nueva"})";
        } else if (route == "POST /api/v1/organizaciones/{nit}/representantes") {
            req.body = R"({"cui":")" + ValidCui(5) + R"("})";
        } else if (route == "DELETE /api/v1/organizaciones/{nit}/representantes") {
            // Someone to remove, put back by the owner before every call.
            EXPECT_OK(id().AddRepresentative(owner_a_, kOrgA, ValidCui(5), "representante"));
            req.target += "?cui=" + ValidCui(5);
        } else if (route == "POST /api/v1/admin/oficinas") {
            req.body = R"({"codigo":"OF-)" + std::to_string(k) +
                       R"(","nombre":"Oficina nueva","municipio":"0101"})";
        } else if (route == "POST /api/v1/admin/funcionarios") {
            req.body = R"({"correo":"nuevo)" + std::to_string(k) +
                       R"(@mintrabajo.gob.gt","nombre":"Persona Nueva","oficina":"IGT",)"
                       R"("roles":["analista"]})";
        } else if (route == "PUT /api/v1/admin/funcionarios/{id}/roles") {
            req.body = R"({"oficina":"IGT","roles":["analista"]})";
        } else if (route == "POST /api/v1/admin/funcionarios/{id}/estado") {
            req.body = R"({"activa":true})";
        } else if (route == "POST /api/v1/admin/tokens") {
            req.body = R"({"cliente":"Cliente )" + std::to_string(k) +
                       R"(","alcances":["catalogo"],"vence":"2027-01-31"})";
        }
        return req;
    }

    static constexpr const char* kOrgA = "576937-K";
    static constexpr const char* kOrgB = "12345678-9";
    http::Router router_;
    std::vector<std::string> logins_;
    std::string machine_token_;
    std::string target_official_;
    core::Actor owner_a_;
};

TEST_P(RouteMatrixTest, EveryRouteEveryActorWithZeroLeaks) {
    owner_a_ = Acting(3);
    ASSERT_EQ(router_.routes().size(), kExpected.size()) << "a route has no row in the table";
    int k = 0, leaks = 0, denials = 0;
    for (const auto& route : router_.routes()) {
        std::string name = route.method + " " + route.pattern;
        auto row = kExpected.find(name);
        ASSERT_NE(row, kExpected.end()) << name << " has no row in the table";
        for (std::size_t a = 0; a < kActorCount; ++a, ++k) {
            TestRequest req = RequestFor(name, k);
            Credentials(a, req);
            http::Response r = testing::Send(router_, req);
            ASSERT_LT(r.status, 500) << name << " × " << kActors[a] << ": " << r.body;
            bool refused = r.status == 401 || r.status == 403 || r.status == 404;
            bool expected_allowed = row->second[a] == 'A';
            if (!refused && !expected_allowed) ++leaks;
            if (refused && expected_allowed) ++denials;
            EXPECT_EQ(!refused, expected_allowed)
                << name << " × " << kActors[a] << " → " << r.status << " " << r.body;
            if (!refused) {
                EXPECT_TRUE((r.status >= 200 && r.status < 300) || r.status == 409 ||
                            r.status == 422)
                    << name << " × " << kActors[a] << " → " << r.status << " " << r.body;
            }
        }
    }
    EXPECT_EQ(leaks, 0);
    EXPECT_EQ(denials, 0);
}

VT_IDENTITY_TEST_ENGINES(RouteMatrixTest);

}  // namespace
}  // namespace vt::identity
