// CSRF: a state-changing request authenticated by the session cookie must echo the
// session's token, in the X-CSRF-Token header or the csrf form field.
#include "vt/identity/api.hpp"

#include "tests/http_fixture.hpp"
#include "tests/identity_fixture.hpp"

namespace vt::identity {
namespace {

using testing::IdentityTest;
using testing::TestRequest;

class CsrfTest : public IdentityTest {
protected:
    void SetUp() override {
        IdentityTest::SetUp();
        if (IsSkipped()) return;
        account_ = Citizen(1);
        auto grant = LogIn(Email(1));
        ASSERT_OK(grant);
        grant_ = *grant;
        AddIdentityRoutes(router_, id(), IdentityApiOptions{});
    }

    Authentication CookieAuth() {
        Authentication a;
        a.via = Authentication::Via::kCookie;
        a.csrf_token = grant_.csrf_token;
        return a;
    }

    static Status Check(const TestRequest& req, const Authentication& auth) {
        return req.With([&](const http::Request& r) { return CheckCsrf(r, auth); });
    }

    TestRequest LogoutEverywhere() {
        TestRequest req;
        req.method = "DELETE";
        req.target = "/api/v1/sesiones";
        req.headers["Cookie"] = "vt_sesion=" + grant_.token;
        return req;
    }

    std::string account_;
    SessionGrant grant_;
    http::Router router_;
};

TEST_P(CsrfTest, StateChangingCookieRequestsNeedTheToken) {
    TestRequest post;
    post.method = "POST";
    Status missing = Check(post, CookieAuth());
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code(), "csrf-invalid");
    EXPECT_EQ(missing.error().kind(), ErrorKind::kForbidden);

    post.headers["X-CSRF-Token"] = std::string(64, '0');
    EXPECT_FALSE(Check(post, CookieAuth()).ok());
    post.headers["X-CSRF-Token"] = grant_.csrf_token.substr(0, 63);
    EXPECT_FALSE(Check(post, CookieAuth()).ok());
    post.headers["X-CSRF-Token"] = grant_.csrf_token;
    EXPECT_OK(Check(post, CookieAuth()));

    for (const char* method : {"PUT", "PATCH", "DELETE"}) {
        TestRequest r;
        r.method = method;
        EXPECT_FALSE(Check(r, CookieAuth()).ok()) << method;
    }
}

TEST_P(CsrfTest, FormsMayCarryTheTokenInAField) {
    TestRequest form;
    form.method = "POST";
    form.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
    form.body = "nombre=Ana+P%C3%A9rez&csrf=" + grant_.csrf_token + "&otro=1";
    EXPECT_OK(Check(form, CookieAuth()));
    form.body = "nombre=Ana&csrf=" + std::string(64, 'f');
    EXPECT_FALSE(Check(form, CookieAuth()).ok());
    // A JSON body is not searched for a field.
    form.headers["Content-Type"] = "application/json";
    form.body = R"({"csrf":")" + grant_.csrf_token + R"("})";
    EXPECT_FALSE(Check(form, CookieAuth()).ok());
}

TEST_P(CsrfTest, SafeMethodsTokensAndAnonymousRequestsAreExempt) {
    for (const char* method : {"GET", "HEAD", "OPTIONS"}) {
        TestRequest r;
        r.method = method;
        EXPECT_OK(Check(r, CookieAuth()));
    }
    TestRequest post;
    post.method = "POST";
    Authentication bearer;
    bearer.via = Authentication::Via::kBearer;
    EXPECT_OK(Check(post, bearer));
    EXPECT_OK(Check(post, Authentication{}));
    // A session whose CSRF token is somehow empty never matches an empty header.
    Authentication empty = CookieAuth();
    empty.csrf_token.clear();
    EXPECT_FALSE(Check(post, empty).ok());
}

TEST_P(CsrfTest, EveryRouteRefusesAForgedRequest) {
    TestRequest forged = LogoutEverywhere();
    http::Response r = testing::Send(router_, forged);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(testing::Body(r).at("error").at("code").as_string(), "csrf-invalid");
    EXPECT_TRUE(id().AuthenticateSession(grant_.token).ok());

    TestRequest genuine = LogoutEverywhere();
    genuine.headers["X-CSRF-Token"] = grant_.csrf_token;
    r = testing::Send(router_, genuine);
    EXPECT_EQ(r.status, 204) << r.body;
    EXPECT_FALSE(id().AuthenticateSession(grant_.token).ok());
}

TEST_P(CsrfTest, OtherModulesGetTheActorOnlyWithTheToken) {
    Authenticator auth(id(), IdentityApiOptions{});
    TestRequest post;
    post.method = "POST";
    post.headers["Cookie"] = "vt_sesion=" + grant_.token;
    auto forged = post.With([&](const http::Request& r) { return auth.ActorFor(r); });
    ASSERT_FALSE(forged.ok());
    EXPECT_EQ(forged.error().code(), "csrf-invalid");
    post.headers["X-CSRF-Token"] = grant_.csrf_token;
    auto genuine = post.With([&](const http::Request& r) { return auth.ActorFor(r); });
    ASSERT_OK(genuine);
    EXPECT_EQ(genuine->id, account_);
}

TEST_P(CsrfTest, TheAccountViewHandsTheTokenToTheSessionHolder) {
    TestRequest me;
    me.target = "/api/v1/cuentas/yo";
    me.headers["Cookie"] = "vt_sesion=" + grant_.token;
    http::Response r = testing::Send(router_, me);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(testing::Body(r).at("csrf").as_string(), grant_.csrf_token);
    EXPECT_EQ(testing::Body(r).at("id").as_string(), account_);
}

VT_IDENTITY_TEST_ENGINES(CsrfTest);

}  // namespace
}  // namespace vt::identity
