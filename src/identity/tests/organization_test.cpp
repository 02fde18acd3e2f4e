// Employer organizations: NIT validation, the owner, representatives added and removed by
// owners only, acting for an organization, and the audit trail.
#include "vt/identity/identity.hpp"

#include "tests/http_fixture.hpp"
#include "tests/identity_fixture.hpp"
#include "vt/identity/api.hpp"
#include "vt/identity/policy.hpp"

namespace vt::identity {
namespace {

using testing::IdentityTest;
using testing::TestRequest;
using testing::ValidCui;

class OrganizationTest : public IdentityTest {
protected:
    void SetUp() override {
        IdentityTest::SetUp();
        if (IsSkipped()) return;
        owner_ = CitizenActor(Citizen(1));
        rep_ = CitizenActor(Citizen(2));
        stranger_ = CitizenActor(Citizen(3));
        ASSERT_OK(id().RegisterOrganization(owner_, "576937-k", "Fábrica de Prueba, S.A."));
    }

    std::string RoleOf(const core::Actor& person, const std::string& nit = "576937-K") {
        auto acting = id().ActingFor(person, nit);
        return acting.ok() ? acting->roles.at(0) : acting.error().code();
    }

    core::Actor owner_, rep_, stranger_;
};

TEST_P(OrganizationTest, ValidatesTheNit) {
    struct Case {
        const char* nit;
        const char* expected;  // "" = accepted, else a fragment of the message
    };
    const Case cases[] = {
        {"12345678-9", ""},
        {"  1234567 8k ", "verificador"},  // K where 9 is due
        {"39525503-1", ""},
        {"39525503-2", "verificador"},
        {"CF", "consumidor final"},
        {"12-34-5", "solo puede contener"},
        {"ABC-1", "solo puede contener"},
        {"1234567890123", "entre 2 y 12"},
        {"576937-K", "ya está registrada"},  // valid, but taken
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.nit);
        auto r = id().RegisterOrganization(stranger_, c.nit, "Empresa");
        if (*c.expected == '\0') {
            ASSERT_OK(r);
            EXPECT_EQ(r->role, "propietario");
            continue;
        }
        ASSERT_FALSE(r.ok());
        std::string text =
            r.error().fields().count("nit") ? r.error().fields().at("nit") : r.error().message();
        EXPECT_NE(text.find(c.expected), std::string::npos) << text;
    }
    auto no_name = id().RegisterOrganization(stranger_, "100-7", " ");
    ASSERT_FALSE(no_name.ok());
    EXPECT_EQ(no_name.error().fields().count("razon_social"), 1u);
}

TEST_P(OrganizationTest, OnlyCitizensRegisterOrganizations) {
    EXPECT_EQ(id().RegisterOrganization(core::Actor::Anonymous(), "100-7", "X").error().kind(),
              ErrorKind::kUnauthenticated);
    core::Actor official{core::Actor::Kind::kOfficial, "f1", {}, "IGT", {"jefe"}};
    EXPECT_EQ(id().RegisterOrganization(official, "100-7", "X").error().kind(),
              ErrorKind::kForbidden);
}

TEST_P(OrganizationTest, TheOwnerAddsAndRemovesRepresentatives) {
    EXPECT_EQ(RoleOf(owner_), "propietario");
    EXPECT_EQ(RoleOf(rep_), "not-found");
    ASSERT_OK(id().AddRepresentative(owner_, "576937-K", ValidCui(2), "representante"));
    EXPECT_EQ(RoleOf(rep_), "representante");
    auto me = id().Me(rep_);
    ASSERT_OK(me);
    ASSERT_EQ(me->organizations.size(), 1u);
    EXPECT_EQ(me->organizations[0].nit, "576937-K");
    EXPECT_EQ(me->organizations[0].legal_name, "Fábrica de Prueba, S.A.");

    // A representative is not an owner: they cannot change the list.
    auto by_rep = id().AddRepresentative(rep_, "576937-K", ValidCui(3), "representante");
    ASSERT_FALSE(by_rep.ok());
    EXPECT_EQ(by_rep.error().kind(), ErrorKind::kForbidden);
    // Someone unrelated is told nothing about the organization.
    auto by_stranger = id().AddRepresentative(stranger_, "576937-K", ValidCui(3), "representante");
    ASSERT_FALSE(by_stranger.ok());
    EXPECT_EQ(by_stranger.error().kind(), ErrorKind::kNotFound);
    EXPECT_EQ(id().AddRepresentative(stranger_, "100-7", ValidCui(3), "").error().kind(),
              ErrorKind::kNotFound);

    ASSERT_OK(id().RemoveRepresentative(owner_, "576937K", ValidCui(2)));
    EXPECT_EQ(RoleOf(rep_), "not-found");
    EXPECT_EQ(id().RemoveRepresentative(owner_, "576937-K", ValidCui(2)).error().kind(),
              ErrorKind::kNotFound);

    EXPECT_EQ(AuditCount("organization.registered"), 1);
    EXPECT_EQ(AuditCount("organization.representative_added"), 1);
    EXPECT_EQ(AuditCount("organization.representative_removed"), 1);
}

TEST_P(OrganizationTest, RepresentativesMustHaveACitizenAccount) {
    auto unknown = id().AddRepresentative(owner_, "576937-K", ValidCui(77), "representante");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().kind(), ErrorKind::kNotFound);
    auto bad_cui = id().AddRepresentative(owner_, "576937-K", "1234", "representante");
    ASSERT_FALSE(bad_cui.ok());
    EXPECT_EQ(bad_cui.error().fields().count("cui"), 1u);
    auto bad_role = id().AddRepresentative(owner_, "576937-K", ValidCui(2), "gerente");
    ASSERT_FALSE(bad_role.ok());
    EXPECT_EQ(bad_role.error().fields().count("rol"), 1u);
}

TEST_P(OrganizationTest, AnOrganizationAlwaysKeepsAnOwner) {
    auto alone = id().RemoveRepresentative(owner_, "576937-K", ValidCui(1));
    ASSERT_FALSE(alone.ok());
    EXPECT_EQ(alone.error().code(), "last-owner");
    auto demote = id().AddRepresentative(owner_, "576937-K", ValidCui(1), "representante");
    ASSERT_FALSE(demote.ok());
    EXPECT_EQ(demote.error().code(), "last-owner");

    // With a second owner, the first may step down.
    ASSERT_OK(id().AddRepresentative(owner_, "576937-K", ValidCui(2), "propietario"));
    ASSERT_OK(id().RemoveRepresentative(owner_, "576937-K", ValidCui(1)));
    EXPECT_EQ(RoleOf(owner_), "not-found");
    EXPECT_EQ(RoleOf(rep_), "propietario");
}

TEST_P(OrganizationTest, ActingForAnOrganizationFeedsThePolicy) {
    ASSERT_OK(id().AddRepresentative(owner_, "576937-K", ValidCui(2), "representante"));
    auto acting = id().ActingFor(rep_, "576937k");
    ASSERT_OK(acting);
    EXPECT_EQ(acting->organization, "576937-K");
    Resource theirs{.owner = "otra-persona", .organization = "576937-K"};
    Resource others{.owner = "otra-persona", .organization = "100-7"};
    EXPECT_EQ(Decide(*acting, Action::kCaseView, theirs), Decision::kAllow);
    EXPECT_EQ(Decide(*acting, Action::kCaseView, others), Decision::kDeny);
    EXPECT_EQ(Decide(rep_, Action::kCaseView, theirs), Decision::kDeny);  // not acting for it

    // Over HTTP, the X-Organizacion header chooses it; a stranger is refused.
    Authenticator auth(id(), IdentityApiOptions{});
    for (const auto& [person, expected] : {std::pair{rep_, true}, std::pair{stranger_, false}}) {
        auto grant = LogIn(Email(person.id == rep_.id ? 2 : 3));
        ASSERT_OK(grant);
        TestRequest req;
        req.headers["Cookie"] = "vt_sesion=" + grant->token;
        req.headers["X-Organizacion"] = "576937-K";
        auto a = req.With([&](const http::Request& r) { return auth.Authenticate(r); });
        EXPECT_EQ(a.ok(), expected);
        if (a.ok()) {
            EXPECT_EQ(a->actor.organization, "576937-K");
        } else {
            EXPECT_EQ(a.error().code(), "organization-not-represented");
        }
    }
}

TEST_P(OrganizationTest, OverHttp) {
    http::Router router;
    AddIdentityRoutes(router, id(), IdentityApiOptions{});
    auto grant = LogIn(Email(1));
    ASSERT_OK(grant);
    auto call = [&](std::string method, std::string target, std::string body) {
        TestRequest r;
        r.method = std::move(method);
        r.target = std::move(target);
        r.body = std::move(body);
        r.headers["Content-Type"] = "application/json";
        r.headers["Cookie"] = "vt_sesion=" + grant->token;
        r.headers["X-CSRF-Token"] = grant->csrf_token;
        return testing::Send(router, r);
    };
    auto r = call("POST", "/api/v1/organizaciones",
                  R"({"nit":"12345678-9","razon_social":"Otra, S.A."})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(testing::Body(r).at("nit").as_string(), "12345678-9");
    r = call("POST", "/api/v1/organizaciones",
             R"({"nit":"12345678-0","razon_social":"Otra, S.A."})");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(testing::Body(r).at("error").at("fields").as_object().contains("nit"));
    r = call("POST", "/api/v1/organizaciones/12345678-9/representantes",
             R"({"cui":")" + ValidCui(2) + R"("})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(RoleOf(rep_, "12345678-9"), "representante");
    r = call("DELETE", "/api/v1/organizaciones/12345678-9/representantes?cui=" + ValidCui(2), "");
    ASSERT_EQ(r.status, 204) << r.body;
    EXPECT_EQ(RoleOf(rep_, "12345678-9"), "not-found");
    r = call("POST", "/api/v1/organizaciones/12345678-9/representantes", R"({"cui":5})");
    EXPECT_EQ(r.status, 422) << r.body;
}

VT_IDENTITY_TEST_ENGINES(OrganizationTest);

}  // namespace
}  // namespace vt::identity
