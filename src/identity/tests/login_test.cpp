// Logging in: one answer for unknown accounts and wrong passwords, throttling per account
// and per address with exponential backoff, lockout, and the security record. The clock is
// frozen, so every backoff is measured exactly.
#include "vt/identity/identity.hpp"

#include "tests/identity_fixture.hpp"

namespace vt::identity {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::IdentityTest;
using testing::kPassword;

class LoginTest : public IdentityTest {
protected:
    std::string Code(const Result<SessionGrant>& r) { return r.ok() ? "ok" : r.error().code(); }
};

TEST_P(LoginTest, UnknownAccountAndWrongPasswordGetTheSameAnswer) {
    Citizen(1);
    auto wrong = LogIn(Email(1), "Otra-contrasena-9");
    auto unknown = LogIn("nadie@correo.gt", "Otra-contrasena-9");
    auto unknown_cui = LogIn(testing::ValidCui(99), "Otra-contrasena-9");
    ASSERT_FALSE(wrong.ok());
    ASSERT_FALSE(unknown.ok());
    ASSERT_FALSE(unknown_cui.ok());
    for (const auto* r : {&unknown, &unknown_cui}) {
        EXPECT_EQ(r->error().kind(), wrong.error().kind());
        EXPECT_EQ(r->error().code(), wrong.error().code());
        EXPECT_EQ(r->error().message(), wrong.error().message());
    }
    EXPECT_EQ(wrong.error().code(), "login-failed");
    EXPECT_EQ(wrong.error().kind(), ErrorKind::kUnauthenticated);
}

TEST_P(LoginTest, LogsInByEmailOrCuiAndRecordsIt) {
    std::string account = Citizen(1);
    auto by_email = LogIn("  PERSONA1@correo.gt ");
    ASSERT_OK(by_email);
    EXPECT_EQ(by_email->account_id, account);
    EXPECT_EQ(by_email->token.size(), 64u);
    EXPECT_EQ(by_email->csrf_token.size(), 64u);
    EXPECT_EQ(by_email->expires_at, clock_.Now() + std::chrono::hours(12));
    EXPECT_FALSE(by_email->second_factor_enrolment_pending);
    ASSERT_OK(LogIn(testing::ValidCui(1)));
    EXPECT_EQ(Count("SELECT count(*) FROM security_events WHERE kind = 'login.succeeded' AND "
                    "account_id = $1 "
                    "AND address = '192.0.2.10'",
                    {store::Value{account}}),
              2);
    EXPECT_EQ(AuditCount("login.succeeded"), 2);
}

TEST_P(LoginTest, FailuresBackOffExponentiallyThenLockTheAccount) {
    std::string account = Citizen(1);
    // Three free failures (account_free_failures = 3).
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(Code(LogIn(Email(1), "Mala-contrasena-0")), "login-failed");
    // The 4th failure blocks for 1 s, then 2 s, 4 s, ... each time from that failure on.
    seconds expected{1};
    for (int failure = 4; failure <= 9; ++failure, expected *= 2) {
        SCOPED_TRACE(failure);
        EXPECT_EQ(Code(LogIn(Email(1), "Mala-contrasena-0")), "login-failed");
        // Even the right password is not checked while blocked.
        auto blocked = LogIn(Email(1));
        EXPECT_EQ(Code(blocked), "login-throttled");
        EXPECT_EQ(blocked.error().kind(), ErrorKind::kRateLimited);
        clock_.Advance(expected - seconds(1));
        if (expected > seconds(1)) {
            EXPECT_EQ(Code(LogIn(Email(1))), "login-throttled");
        }
        clock_.Advance(seconds(1));
    }
    // The 10th failure locks the account for 15 minutes.
    EXPECT_EQ(Code(LogIn(Email(1), "Mala-contrasena-0")), "login-failed");
    EXPECT_EQ(AuditCount("login.locked"), 1);
    EXPECT_EQ(
        Count(
            "SELECT count(*) FROM security_events WHERE kind = 'login.locked' AND account_id = $1",
            {store::Value{account}}),
        1);
    clock_.Advance(minutes(15) - seconds(1));
    auto locked = LogIn(Email(1));
    EXPECT_EQ(Code(locked), "login-throttled");
    EXPECT_NE(locked.error().message().find("en 1 segundo."), std::string::npos)
        << locked.error().message();
    clock_.Advance(seconds(1));
    ASSERT_OK(LogIn(Email(1)));

    // Every failure was recorded and audited; blocked attempts only recorded.
    EXPECT_EQ(AuditCount("login.failed"), 10);
    EXPECT_EQ(Count("SELECT count(*) FROM security_events WHERE kind = 'login.failed'"), 10);
    EXPECT_GE(Count("SELECT count(*) FROM security_events WHERE kind = 'login.throttled'"), 6);
    EXPECT_EQ(AuditCount("login.throttled"), 0);
}

TEST_P(LoginTest, SuccessResetsTheAccountCounter) {
    Citizen(1);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(Code(LogIn(Email(1), "Mala-contrasena-0")), "login-failed");
    ASSERT_OK(LogIn(Email(1)));
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(Code(LogIn(Email(1), "Mala-contrasena-0")), "login-failed");
    ASSERT_OK(LogIn(Email(1)));
}

TEST_P(LoginTest, CountersForgetOldFailures) {
    Citizen(1);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(Code(LogIn(Email(1), "Mala-contrasena-0")), "login-failed");
    clock_.Advance(std::chrono::hours(1) + seconds(1));
    // The window passed: this is failure 1 again, not 4, so no block.
    EXPECT_EQ(Code(LogIn(Email(1), "Mala-contrasena-0")), "login-failed");
    ASSERT_OK(LogIn(Email(1)));
}

TEST_P(LoginTest, UnknownLoginIsThrottledLikeAnAccount) {
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(Code(LogIn("nadie@correo.gt", "Mala-contrasena-0")), "login-failed");
    EXPECT_EQ(Code(LogIn("nadie@correo.gt", "Mala-contrasena-0")), "login-throttled");
}

TEST_P(LoginTest, OneAddressIsThrottledAcrossAccounts) {
    for (int n = 1; n <= 3; ++n) Citizen(n);
    // Twenty free failures per address, spread over accounts so none is blocked itself.
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(
            Code(LogIn("otro" + std::to_string(i) + "@correo.gt", "Mala-0000-x", "198.51.100.7")),
            "login-failed");
    }
    EXPECT_EQ(Code(LogIn(Email(1), "Mala-0000-x", "198.51.100.7")),
              "login-failed");  // the 21st: 1 s block
    EXPECT_EQ(Code(LogIn(Email(2), kPassword, "198.51.100.7")), "login-throttled");
    // Another address is not affected, nor is the account from there.
    ASSERT_OK(LogIn(Email(2), kPassword, "203.0.113.5"));
    clock_.Advance(seconds(1));
    ASSERT_OK(LogIn(Email(3), kPassword, "198.51.100.7"));
}

TEST_P(LoginTest, DisabledAccountsCannotLogIn) {
    std::string account = Citizen(1);
    ASSERT_OK(id().SetAccountActive(core::Actor::System(), account, false));
    EXPECT_EQ(Code(LogIn(Email(1))), "login-failed");
    ASSERT_OK(id().SetAccountActive(core::Actor::System(), account, true));
    ASSERT_OK(LogIn(Email(1)));
}

TEST_P(LoginTest, HashesMadeWithOtherLimitsAreUpgradedAtLogin) {
    std::string account = Citizen(1);
    auto hash = [&] {
        std::string h;
        EXPECT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(store::Row r,
                                tx.QueryOne("SELECT password_hash FROM accounts WHERE id = $1",
                                            {store::Value{account}}));
            h = r.Text(0);
            return Ok();
        }));
        return h;
    };
    std::string before = hash();
    IdentityOptions stronger = testing::FastOptions();
    stronger.password_opslimit += 1;
    MakeService(stronger);
    ASSERT_OK(LogIn(Email(1)));
    std::string after = hash();
    EXPECT_NE(after, before);
    EXPECT_NE(after.find("t=" + std::to_string(stronger.password_opslimit)), std::string::npos)
        << after;
    ASSERT_OK(LogIn(Email(1)));
    EXPECT_EQ(hash(), after);
}

VT_IDENTITY_TEST_ENGINES(LoginTest);

}  // namespace
}  // namespace vt::identity
