// Sessions: rotation at login (no fixation), idle and absolute expiry, logout and logout
// everywhere, tokens stored hashed, and how the Authenticator turns a cookie into an actor.
#include "vt/identity/identity.hpp"

#include "tests/http_fixture.hpp"
#include "tests/identity_fixture.hpp"
#include "vt/identity/api.hpp"

namespace vt::identity {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::IdentityTest;
using testing::kPassword;
using testing::TestRequest;

class SessionTest : public IdentityTest {
protected:
    bool Valid(const std::string& token) { return id().AuthenticateSession(token).ok(); }

    Result<SessionGrant> LogInReplacing(const std::string& previous) {
        LoginRequest r;
        r.login = Email(1);
        r.password = kPassword;
        r.previous_session = previous;
        return id().Login(r);
    }
};

TEST_P(SessionTest, LoginIssuesANewTokenAndEndsThePreviousOne) {
    std::string account = Citizen(1);
    auto first = LogIn(Email(1));
    ASSERT_OK(first);
    ASSERT_TRUE(Valid(first->token));

    // An attacker plants a token of their choosing before the victim logs in: it never
    // becomes a session.
    std::string planted(64, 'a');
    auto second = LogInReplacing(planted);
    ASSERT_OK(second);
    EXPECT_NE(second->token, planted);
    EXPECT_FALSE(Valid(planted));

    // Logging in again with a session in hand rotates it: the pre-login token is dead.
    auto third = LogInReplacing(first->token);
    ASSERT_OK(third);
    EXPECT_NE(third->token, first->token);
    EXPECT_NE(third->csrf_token, first->csrf_token);
    EXPECT_FALSE(Valid(first->token));
    EXPECT_TRUE(Valid(third->token));

    auto session = id().AuthenticateSession(third->token);
    ASSERT_OK(session);
    EXPECT_EQ(session->actor.kind, core::Actor::Kind::kCitizen);
    EXPECT_EQ(session->actor.id, account);
    EXPECT_EQ(session->csrf_token, third->csrf_token);
}

TEST_P(SessionTest, TokensAreStoredOnlyAsDigests) {
    Citizen(1);
    auto grant = LogIn(Email(1));
    ASSERT_OK(grant);
    EXPECT_EQ(
        Count("SELECT count(*) FROM sessions WHERE token_hash = $1", {store::Value{grant->token}}),
        0);
    EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 1);
}

TEST_P(SessionTest, EndsAfterThirtyIdleMinutes) {
    Citizen(1);
    auto grant = LogIn(Email(1));
    ASSERT_OK(grant);
    // Activity keeps it alive...
    for (int i = 0; i < 4; ++i) {
        clock_.Advance(minutes(29));
        ASSERT_TRUE(Valid(grant->token)) << i;
    }
    // ...thirty minutes without any ends it, for good.
    clock_.Advance(minutes(30));
    EXPECT_FALSE(Valid(grant->token));
    clock_.Advance(-minutes(10));
    EXPECT_FALSE(Valid(grant->token));
    EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 0);
}

TEST_P(SessionTest, EndsTwelveHoursAfterLoginHoweverBusy) {
    Citizen(1);
    auto grant = LogIn(Email(1));
    ASSERT_OK(grant);
    for (int i = 0; i < 47; ++i) {
        clock_.Advance(minutes(15));
        ASSERT_TRUE(Valid(grant->token)) << i;
    }
    clock_.Advance(minutes(14));
    ASSERT_TRUE(Valid(grant->token));
    clock_.Advance(minutes(1));
    EXPECT_FALSE(Valid(grant->token));
}

TEST_P(SessionTest, LogoutEndsOneSessionLogoutEverywhereEndsAll) {
    std::string account = Citizen(1);
    Citizen(2);
    auto phone = LogIn(Email(1));
    auto laptop = LogIn(Email(1));
    auto tablet = LogIn(Email(1));
    auto other = LogIn(Email(2));
    ASSERT_OK(phone);
    ASSERT_OK(laptop);
    ASSERT_OK(tablet);
    ASSERT_OK(other);

    ASSERT_OK(id().Logout(phone->token));
    EXPECT_FALSE(Valid(phone->token));
    EXPECT_TRUE(Valid(laptop->token));
    ASSERT_OK(id().Logout(phone->token));  // again: nothing to do

    ASSERT_OK(id().LogoutEverywhere(CitizenActor(account)));
    EXPECT_FALSE(Valid(laptop->token));
    EXPECT_FALSE(Valid(tablet->token));
    EXPECT_TRUE(Valid(other->token));
    EXPECT_EQ(AuditCount("session.ended"), 1);
    EXPECT_EQ(AuditCount("session.ended_everywhere"), 1);

    auto anonymous = id().LogoutEverywhere(core::Actor::Anonymous());
    ASSERT_FALSE(anonymous.ok());
    EXPECT_EQ(anonymous.error().kind(), ErrorKind::kUnauthenticated);
}

TEST_P(SessionTest, PurgingRemovesOnlyWhatCanNoLongerBeUsed) {
    Citizen(1);
    auto old_session = LogIn(Email(1));
    ASSERT_OK(old_session);
    clock_.Advance(minutes(20));
    auto recent = LogIn(Email(1));
    ASSERT_OK(recent);
    clock_.Advance(minutes(15));  // the first is 35 minutes idle, the second 15
    auto purged = id().PurgeExpired();
    ASSERT_OK(purged);
    EXPECT_GE(*purged, 1);
    EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 1);
    EXPECT_TRUE(Valid(recent->token));
    // The verification link was used at registration; a day later it is gone too.
    clock_.Advance(hours(24));
    ASSERT_OK(id().PurgeExpired());
    EXPECT_EQ(Count("SELECT count(*) FROM account_tokens"), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 0);
}

TEST_P(SessionTest, DisablingAnAccountEndsItsSessions) {
    std::string account = Citizen(1);
    auto grant = LogIn(Email(1));
    ASSERT_OK(grant);
    ASSERT_OK(id().SetAccountActive(core::Actor::System(), account, false));
    EXPECT_FALSE(Valid(grant->token));
}

TEST_P(SessionTest, MalformedTokensAreRefusedWithoutALookup) {
    for (std::string token :
         {std::string(), std::string("x"), std::string(65, 'a'), std::string(64, '\0')}) {
        auto r = id().AuthenticateSession(token);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code(), "session-invalid");
    }
}

TEST_P(SessionTest, AuthenticatorReadsTheCookieAndClearsAStaleOne) {
    std::string account = Citizen(1);
    auto grant = LogIn(Email(1));
    ASSERT_OK(grant);
    Authenticator auth(id(), IdentityApiOptions{});

    TestRequest req;
    req.headers["Cookie"] = "tema=oscuro; vt_sesion=" + grant->token + "; otro=1";
    auto a = req.With([&](const http::Request& r) { return auth.Authenticate(r); });
    ASSERT_OK(a);
    EXPECT_EQ(a->via, Authentication::Via::kCookie);
    EXPECT_EQ(a->actor.id, account);
    EXPECT_EQ(a->csrf_token, grant->csrf_token);
    EXPECT_FALSE(a->clear_cookie);

    // No cookie: anonymous, nothing to clear.
    TestRequest none;
    auto b = none.With([&](const http::Request& r) { return auth.Authenticate(r); });
    ASSERT_OK(b);
    EXPECT_EQ(b->actor.kind, core::Actor::Kind::kAnonymous);
    EXPECT_FALSE(b->clear_cookie);

    // Expired: anonymous, and the response must remove the cookie.
    clock_.Advance(hours(1));
    auto c = req.With([&](const http::Request& r) { return auth.Authenticate(r); });
    ASSERT_OK(c);
    EXPECT_EQ(c->actor.kind, core::Actor::Kind::kAnonymous);
    EXPECT_EQ(c->via, Authentication::Via::kNone);
    EXPECT_TRUE(c->clear_cookie);
    http::Response response;
    ApplyCookieEffects(*c, auth.options(), response);
    ASSERT_EQ(response.headers.size(), 1u);
    EXPECT_EQ(response.headers[0].second, "vt_sesion=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

TEST_P(SessionTest, CookieAttributes) {
    IdentityApiOptions plain;
    EXPECT_EQ(SessionCookie(plain, "abc", hours(12)),
              "vt_sesion=abc; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax");
    IdentityApiOptions tls;
    tls.secure_cookie = true;
    EXPECT_EQ(SessionCookie(tls, "abc", seconds(60)),
              "vt_sesion=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
}

TEST_P(SessionTest, LoginOverHttpRotatesTheCookie) {
    Citizen(1);
    http::Router router;
    AddIdentityRoutes(router, id(), IdentityApiOptions{});
    auto first = LogIn(Email(1));
    ASSERT_OK(first);

    TestRequest login;
    login.method = "POST";
    login.target = "/api/v1/sesiones";
    login.body = R"({"usuario":")" + Email(1) + R"(","contrasena":")" + kPassword + R"("})";
    login.headers["Content-Type"] = "application/json";
    login.headers["Cookie"] = "vt_sesion=" + first->token;
    http::Response r = testing::Send(router, login);
    ASSERT_EQ(r.status, 201) << r.body;
    std::string cookie = testing::SetCookie(r);
    ASSERT_TRUE(cookie.starts_with("vt_sesion=")) << cookie;
    std::string token = cookie.substr(10, 64);
    EXPECT_NE(token, first->token);
    EXPECT_TRUE(Valid(token));
    EXPECT_FALSE(Valid(first->token));
    EXPECT_NE(cookie.find("HttpOnly; SameSite=Lax"), std::string::npos);
    EXPECT_EQ(testing::Body(r).at("csrf").as_string(), id().AuthenticateSession(token)->csrf_token);
}

VT_IDENTITY_TEST_ENGINES(SessionTest);

}  // namespace
}  // namespace vt::identity
