// API tokens for machine clients: issued by administrators, stored hashed, limited to their
// scopes, revocable at once, with an optional end of validity and a last-used time.
#include "vt/identity/identity.hpp"

#include "tests/http_fixture.hpp"
#include "tests/identity_fixture.hpp"
#include "vt/identity/api.hpp"
#include "vt/identity/policy.hpp"

namespace vt::identity {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::IdentityTest;
using testing::TestRequest;

class ApiTokenTest : public IdentityTest {
protected:
    void SetUp() override {
        IdentityTest::SetUp();
        if (IsSkipped()) return;
        auto admin = id().BootstrapAdministrator("admin@mintrabajo.gob.gt", "Administración",
                                                 testing::kPassword);
        ASSERT_OK(admin);
        admin_ = core::Actor{core::Actor::Kind::kAdministrator, *admin, {}, {}, {}};
    }

    std::pair<std::string, ApiToken> Issue(
        std::vector<std::string> scopes,
        std::optional<std::chrono::system_clock::time_point> expires = {}) {
        auto r = id().CreateApiToken(
            admin_, ApiTokenRequest{"Banco de Desarrollo Rural", std::move(scopes), expires});
        EXPECT_TRUE(r.ok()) << r.error().ToString();
        return r.ok() ? *r : std::pair<std::string, ApiToken>{};
    }

    core::Actor admin_;
};

TEST_P(ApiTokenTest, ATokenActsWithinItsScopesOnly) {
    auto [token, record] = Issue({"seguimiento", "expedientes:leer"});
    EXPECT_TRUE(token.starts_with("vt_"));
    EXPECT_EQ(record.scopes, (std::vector<std::string>{"expedientes:leer", "seguimiento"}));
    auto actor = id().AuthenticateApiToken(token);
    ASSERT_OK(actor);
    EXPECT_EQ(actor->kind, core::Actor::Kind::kSystem);
    EXPECT_EQ(actor->id, "api:" + record.id);
    EXPECT_EQ(Decide(*actor, Action::kTrackingView, {}), Decision::kAllow);
    EXPECT_EQ(Decide(*actor, Action::kCaseView, {.owner = "alguien", .office = "IGT"}),
              Decision::kAllow);
    EXPECT_EQ(Decide(*actor, Action::kCaseTransition, {.office = "IGT", .roles = {"analista"}}),
              Decision::kDeny);
    EXPECT_EQ(Decide(*actor, Action::kAdminManage, {}), Decision::kDeny);
    EXPECT_EQ(Decide(*actor, Action::kCaseFile, {}), Decision::kDeny);
    EXPECT_EQ(AuditCount("api_token.created"), 1);
    // Only the digest is stored.
    EXPECT_EQ(Count("SELECT count(*) FROM api_tokens WHERE token_hash = $1", {store::Value{token}}),
              0);
}

TEST_P(ApiTokenTest, RevocationTakesEffectAtOnce) {
    auto [token, record] = Issue({"seguimiento"});
    ASSERT_OK(id().AuthenticateApiToken(token));
    ASSERT_OK(id().RevokeApiToken(admin_, record.id));
    auto revoked = id().AuthenticateApiToken(token);
    ASSERT_FALSE(revoked.ok());
    EXPECT_EQ(revoked.error().code(), "token-invalid");
    EXPECT_EQ(revoked.error().kind(), ErrorKind::kUnauthenticated);
    ASSERT_OK(id().RevokeApiToken(admin_, record.id));  // again: nothing changes
    EXPECT_EQ(AuditCount("api_token.revoked"), 1);
    EXPECT_EQ(id().RevokeApiToken(admin_, "no-existe").error().kind(), ErrorKind::kNotFound);
    auto list = id().ListApiTokens(admin_);
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_TRUE((*list)[0].revoked_at.has_value());
}

TEST_P(ApiTokenTest, ExpiresWhenTold) {
    auto [token, record] = Issue({"seguimiento"}, clock_.Now() + hours(24));
    ASSERT_OK(id().AuthenticateApiToken(token));
    clock_.Advance(hours(24));
    EXPECT_EQ(id().AuthenticateApiToken(token).error().code(), "token-invalid");
}

TEST_P(ApiTokenTest, RecordsWhenItWasLastUsed) {
    auto [token, record] = Issue({"seguimiento"});
    auto last_used = [&] {
        auto list = id().ListApiTokens(admin_);
        return list.ok() && !list->empty() ? (*list)[0].last_used_at : std::nullopt;
    };
    EXPECT_FALSE(last_used().has_value());
    ASSERT_OK(id().AuthenticateApiToken(token));
    EXPECT_EQ(last_used(), core::FormatUtc(clock_.Now()));
    std::string first = *last_used();
    clock_.Advance(std::chrono::seconds(10));
    ASSERT_OK(id().AuthenticateApiToken(token));
    EXPECT_EQ(last_used(), first);  // not rewritten within a minute
    clock_.Advance(minutes(1));
    ASSERT_OK(id().AuthenticateApiToken(token));
    EXPECT_EQ(last_used(), core::FormatUtc(clock_.Now()));
}

TEST_P(ApiTokenTest, OnlyAdministratorsIssueKnownScopes) {
    std::string citizen = Citizen(1);
    auto by_citizen =
        id().CreateApiToken(CitizenActor(citizen), ApiTokenRequest{"Yo", {"seguimiento"}, {}});
    ASSERT_FALSE(by_citizen.ok());
    EXPECT_EQ(by_citizen.error().kind(), ErrorKind::kForbidden);
    auto unknown = id().CreateApiToken(admin_, ApiTokenRequest{"Banco", {"todo"}, {}});
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().fields().count("alcances"), 1u);
    auto none = id().CreateApiToken(admin_, ApiTokenRequest{"Banco", {}, {}});
    ASSERT_FALSE(none.ok());
    auto past =
        id().CreateApiToken(admin_, ApiTokenRequest{"Banco", {"seguimiento"}, clock_.Now()});
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.error().fields().count("vence"), 1u);
    EXPECT_EQ(Count("SELECT count(*) FROM api_tokens"), 0);
}

TEST_P(ApiTokenTest, TheAuthenticatorTakesBearerTokens) {
    auto [token, record] = Issue({"expedientes:leer"});
    Authenticator auth(id(), IdentityApiOptions{});
    TestRequest req;
    req.headers["Authorization"] = "Bearer " + token;
    auto a = req.With([&](const http::Request& r) { return auth.Authenticate(r); });
    ASSERT_OK(a);
    EXPECT_EQ(a->via, Authentication::Via::kBearer);
    EXPECT_EQ(a->actor.roles, std::vector<std::string>{"expedientes:leer"});
    // A bearer request needs no CSRF token.
    req.method = "POST";
    EXPECT_OK(req.With([&](const http::Request& r) { return CheckCsrf(r, *a); }));

    for (std::string bad : {"Bearer vt_" + std::string(64, '0'), std::string("Basic dXNlcjpwYXNz"),
                            std::string("Bearer"), "Bearer " + token.substr(0, 20)}) {
        TestRequest r;
        r.headers["Authorization"] = bad;
        auto result = r.With([&](const http::Request& x) { return auth.Authenticate(x); });
        ASSERT_FALSE(result.ok()) << bad;
        EXPECT_EQ(result.error().code(), "token-invalid");
    }
    ASSERT_OK(id().RevokeApiToken(admin_, record.id));
    EXPECT_FALSE(req.With([&](const http::Request& r) { return auth.Authenticate(r); }).ok());
}

VT_IDENTITY_TEST_ENGINES(ApiTokenTest);

}  // namespace
}  // namespace vt::identity
