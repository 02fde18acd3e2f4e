// The back office over HTTP: an administrator's session creates offices and officials,
// changes roles, disables accounts and issues and revokes API tokens; the activation link
// and token secrets never appear where they should not; representatives of an organization
// see who else represents it.
#include "tests/http_fixture.hpp"
#include "tests/identity_fixture.hpp"
#include "vt/identity/api.hpp"

namespace vt::identity {
namespace {

using testing::Body;
using testing::IdentityTest;
using testing::kPassword;
using testing::TestRequest;
using testing::ValidCui;

class ManageStaffApiTest : public IdentityTest {
protected:
    void SetUp() override {
        IdentityTest::SetUp();
        if (IsSkipped()) return;
        IdentityOptions o = testing::FastOptions();
        o.require_second_factor = false;
        MakeService(o);
        AddIdentityRoutes(router_, id(), IdentityApiOptions{});
        ASSERT_OK(
            id().BootstrapAdministrator("admin@mintrabajo.gob.gt", "Administración", kPassword));
        auto grant = LogIn("admin@mintrabajo.gob.gt");
        ASSERT_OK(grant);
        admin_ = *grant;
    }

    http::Response Call(const std::string& method, const std::string& target,
                        const std::string& body = "", bool with_csrf = true) {
        TestRequest req;
        req.method = method;
        req.target = target;
        req.body = body;
        if (!body.empty()) req.headers["Content-Type"] = "application/json";
        req.headers["Cookie"] = "vt_sesion=" + admin_.token;
        if (with_csrf) req.headers["X-CSRF-Token"] = admin_.csrf_token;
        return testing::Send(router_, req);
    }

    http::Router router_;
    SessionGrant admin_;
};

TEST_P(ManageStaffApiTest, AnAdministratorCreatesAnOfficeAndAnOfficialAndChangesTheirRoles) {
    auto office = Call("POST", "/api/v1/admin/oficinas",
                       R"({"codigo":"uip","nombre":"Unidad  de Información Pública",)"
                       R"("municipio":"0101"})");
    ASSERT_EQ(office.status, 201) << office.body;
    EXPECT_EQ(Body(office).at("codigo").as_string(), "UIP");
    EXPECT_EQ(Body(office).at("nombre").as_string(), "Unidad de Información Pública");
    auto offices = Call("GET", "/api/v1/admin/oficinas");
    ASSERT_EQ(offices.status, 200);
    EXPECT_EQ(Body(offices).at("oficinas").as_array().size(), 1u);

    auto created = Call("POST", "/api/v1/admin/funcionarios",
                        R"({"correo":"Ana@MinTrabajo.gob.gt","nombre":"Ana Analista",)"
                        R"("oficina":"UIP","roles":["analista"]})");
    ASSERT_EQ(created.status, 201) << created.body;
    auto official = Body(created);
    std::string account(official.at("id").as_string());
    EXPECT_EQ(official.at("correo").as_string(), "ana@mintrabajo.gob.gt");
    EXPECT_EQ(official.at("activa").as_bool(), true);
    // The activation link went by mail, and only by mail.
    std::string token = mail_.LastToken("activacion");
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(created.body.find(token), std::string::npos);
    EXPECT_EQ(created.body.find("token"), std::string::npos);

    auto roles = Call("PUT", "/api/v1/admin/funcionarios/" + account + "/roles",
                      R"({"oficina":"uip","roles":["jefe","recepcion","jefe"]})");
    ASSERT_EQ(roles.status, 200) << roles.body;
    EXPECT_EQ(Body(roles).at("roles").as_array(), (boost::json::array{"jefe", "recepcion"}));
    EXPECT_EQ(AuditCount("account.roles_changed"), 1);

    auto bad = Call("PUT", "/api/v1/admin/funcionarios/" + account + "/roles",
                    R"({"oficina":"NADA","roles":["rey"]})");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(Body(bad).at("error").at("fields").as_object().count("roles"), 1u);
    EXPECT_EQ(Call("PUT", "/api/v1/admin/funcionarios/no-existe/roles",
                   R"({"oficina":"UIP","roles":["jefe"]})")
                  .status,
              404);

    auto list = Call("GET", "/api/v1/admin/funcionarios");
    ASSERT_EQ(list.status, 200);
    auto staff = Body(list).at("funcionarios").as_array();
    ASSERT_EQ(staff.size(), 2u);  // the administrator and Ana, by name
    EXPECT_EQ(staff[0].at("tipo").as_string(), "administrador");
    EXPECT_EQ(staff[1].at("oficina").as_string(), "UIP");
}

TEST_P(ManageStaffApiTest, DisablingAnOfficialEndsTheirSessions) {
    std::string official = Official("ana@mintrabajo.gob.gt", "IGT", {"analista"});
    auto session = LogIn("ana@mintrabajo.gob.gt");
    ASSERT_OK(session);
    auto off =
        Call("POST", "/api/v1/admin/funcionarios/" + official + "/estado", R"({"activa":false})");
    ASSERT_EQ(off.status, 200) << off.body;
    EXPECT_EQ(Body(off).at("activa").as_bool(), false);
    EXPECT_FALSE(id().AuthenticateSession(session->token).ok());
    EXPECT_EQ(LogIn("ana@mintrabajo.gob.gt").error().code(), "login-failed");

    auto on =
        Call("POST", "/api/v1/admin/funcionarios/" + official + "/estado", R"({"activa":true})");
    ASSERT_EQ(on.status, 200) << on.body;
    EXPECT_OK(LogIn("ana@mintrabajo.gob.gt"));

    // Only true or false; citizens are not managed here; the last administrator stays.
    EXPECT_EQ(
        Call("POST", "/api/v1/admin/funcionarios/" + official + "/estado", R"({"activa":"no"})")
            .status,
        422);
    EXPECT_EQ(Call("POST", "/api/v1/admin/funcionarios/" + official + "/estado", R"({})").status,
              422);
    std::string citizen = Citizen(1);
    EXPECT_EQ(
        Call("POST", "/api/v1/admin/funcionarios/" + citizen + "/estado", R"({"activa":false})")
            .status,
        404);
    EXPECT_OK(LogIn(Email(1)));
    auto me = id().AuthenticateSession(admin_.token);
    ASSERT_OK(me);
    auto last = Call("POST", "/api/v1/admin/funcionarios/" + me->account_id + "/estado",
                     R"({"activa":false})");
    EXPECT_EQ(last.status, 409);
    EXPECT_EQ(Body(last).at("error").at("code").as_string(), "last-administrator");
}

TEST_P(ManageStaffApiTest, ATokenIsShownOnceAndStopsWorkingWhenRevoked) {
    auto issued = Call("POST", "/api/v1/admin/tokens",
                       R"({"cliente":"Banco de Desarrollo Rural",)"
                       R"("alcances":["seguimiento","expedientes:leer"],"vence":"2027-06-30"})");
    ASSERT_EQ(issued.status, 201) << issued.body;
    auto t = Body(issued);
    std::string secret(t.at("token").as_string());
    std::string token_id(t.at("id").as_string());
    EXPECT_EQ(t.at("alcances").as_array(), (boost::json::array{"expedientes:leer", "seguimiento"}));
    // The end of 2027-06-30 in Guatemala is 06:00 UTC the next day.
    EXPECT_EQ(t.at("vence").as_string(), "2027-07-01T06:00:00.000Z");
    EXPECT_OK(id().AuthenticateApiToken(secret));

    auto list = Call("GET", "/api/v1/admin/tokens");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body.find(secret), std::string::npos);
    EXPECT_EQ(Body(list).at("tokens").as_array().size(), 1u);

    auto revoked = Call("DELETE", "/api/v1/admin/tokens/" + token_id);
    EXPECT_EQ(revoked.status, 204);
    EXPECT_FALSE(id().AuthenticateApiToken(secret).ok());
    EXPECT_EQ(Call("DELETE", "/api/v1/admin/tokens/no-existe").status, 404);

    auto bad = Call("POST", "/api/v1/admin/tokens",
                    R"({"cliente":"","alcances":["todo"],"vence":"2027-02-30"})");
    ASSERT_EQ(bad.status, 422);
    auto fields = Body(bad).at("error").at("fields").as_object();
    EXPECT_EQ(fields.count("vence"), 1u);
}

TEST_P(ManageStaffApiTest, CookieSessionsNeedTheCsrfTokenAndOthersAreRefused) {
    auto no_csrf = Call("POST", "/api/v1/admin/oficinas",
                        R"({"codigo":"UIP","nombre":"Información","municipio":"0101"})", false);
    EXPECT_EQ(no_csrf.status, 403);
    EXPECT_EQ(Body(no_csrf).at("error").at("code").as_string(), "csrf-invalid");
    EXPECT_TRUE(id().ListOffices(core::Actor::System())->empty());

    std::string citizen = Citizen(1);
    auto grant = LogIn(Email(1));
    ASSERT_OK(grant);
    TestRequest req;
    req.target = "/api/v1/admin/funcionarios";
    req.headers["Cookie"] = "vt_sesion=" + grant->token;
    auto refused = testing::Send(router_, req);
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(Body(refused).at("error").at("message").as_string(),
              "No tiene permiso para esta acción.");
    req.headers.clear();
    EXPECT_EQ(testing::Send(router_, req).status, 401);
}

TEST_P(ManageStaffApiTest, RepresentativesSeeWhoRepresentsTheirOrganization) {
    std::string owner = Citizen(1);
    Citizen(2);
    std::string stranger = Citizen(3);
    ASSERT_OK(id().RegisterOrganization(CitizenActor(owner), "576937-K", "Fábrica, S.A."));
    ASSERT_OK(
        id().AddRepresentative(CitizenActor(owner), "576937-K", ValidCui(2), "representante"));
    for (int n : {1, 2}) {
        auto grant = LogIn(Email(n));
        ASSERT_OK(grant);
        TestRequest req;
        req.target = "/api/v1/organizaciones/576937-k/representantes";
        req.headers["Cookie"] = "vt_sesion=" + grant->token;
        auto r = testing::Send(router_, req);
        ASSERT_EQ(r.status, 200) << r.body;
        auto list = Body(r).at("representantes").as_array();
        ASSERT_EQ(list.size(), 2u);
        EXPECT_EQ(list[0].at("rol").as_string(), "propietario");
        EXPECT_EQ(list[0].at("cui").as_string(), ValidCui(1));
        EXPECT_EQ(list[1].at("cui").as_string(), ValidCui(2));
    }
    // Someone else is told the organization is not theirs, as if it did not exist.
    auto other = id().ListRepresentatives(CitizenActor(stranger), "576937-K");
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().kind(), ErrorKind::kNotFound);
    auto missing = id().ListRepresentatives(CitizenActor(stranger), "12345678-9");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message(), other.error().message());
}

VT_IDENTITY_TEST_ENGINES(ManageStaffApiTest);

}  // namespace
}  // namespace vt::identity
