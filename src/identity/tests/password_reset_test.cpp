// Password reset by emailed link: single use, one hour, ends every session, and never tells
// whether an email has an account.
#include "vt/identity/identity.hpp"

#include "tests/identity_fixture.hpp"

namespace vt::identity {
namespace {

using std::chrono::minutes;
using testing::IdentityTest;
using testing::kPassword;

constexpr const char* kNewPassword = "Tortuga-verde-42";

class PasswordResetTest : public IdentityTest {
protected:
    std::string RequestLink(int n) {
        EXPECT_OK(id().RequestPasswordReset(Email(n)));
        return mail_.LastToken("restablecimiento");
    }
};

TEST_P(PasswordResetTest, ResetsThePasswordAndEndsEverySession) {
    std::string account = Citizen(1);
    auto session = LogIn(Email(1));
    ASSERT_OK(session);
    std::string token = RequestLink(1);
    ASSERT_EQ(token.size(), 64u);
    const MailMessage m = mail_.messages().back();
    EXPECT_EQ(m.to, Email(1));
    EXPECT_NE(m.text.find("/cuenta/restablecer?token=" + token), std::string::npos);

    ASSERT_OK(id().ResetPassword(token, kNewPassword));
    EXPECT_FALSE(id().AuthenticateSession(session->token).ok());
    EXPECT_EQ(LogIn(Email(1)).error().code(), "login-failed");
    ASSERT_OK(LogIn(Email(1), kNewPassword));
    EXPECT_EQ(AuditCount("account.password_reset"), 1);
    EXPECT_EQ(
        Count("SELECT count(*) FROM account_tokens WHERE token_hash = $1", {store::Value{token}}),
        0);
}

TEST_P(PasswordResetTest, ALinkWorksOnce) {
    Citizen(1);
    std::string token = RequestLink(1);
    ASSERT_OK(id().ResetPassword(token, kNewPassword));
    auto again = id().ResetPassword(token, "Otra-nueva-clave-7");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), "token-invalid");
    ASSERT_OK(LogIn(Email(1), kNewPassword));
}

TEST_P(PasswordResetTest, ALinkExpiresAfterAnHour) {
    Citizen(1);
    std::string token = RequestLink(1);
    clock_.Advance(minutes(59));
    std::string fresh_enough = token;
    clock_.Advance(minutes(1));
    auto late = id().ResetPassword(fresh_enough, kNewPassword);
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().code(), "token-invalid");
    ASSERT_OK(LogIn(Email(1), kPassword));

    std::string second = RequestLink(1);
    clock_.Advance(minutes(59));
    ASSERT_OK(id().ResetPassword(second, kNewPassword));
}

TEST_P(PasswordResetTest, AWeakPasswordDoesNotBurnTheLink) {
    Citizen(1);
    std::string token = RequestLink(1);
    auto weak = id().ResetPassword(token, "corta");
    ASSERT_FALSE(weak.ok());
    EXPECT_EQ(weak.error().code(), "password-weak");
    EXPECT_EQ(weak.error().fields().count("contrasena"), 1u);
    std::string with_cui = testing::ValidCui(1);
    with_cui += "-clave";
    auto cui = id().ResetPassword(token, with_cui);
    ASSERT_FALSE(cui.ok());
    EXPECT_EQ(cui.error().code(), "password-weak");
    ASSERT_OK(id().ResetPassword(token, kNewPassword));
}

TEST_P(PasswordResetTest, UnknownEmailsGetTheSameAnswerAndNoMail) {
    Citizen(1);
    ASSERT_OK(id().RequestPasswordReset("nadie@correo.gt"));
    EXPECT_EQ(mail_.LastToken("restablecimiento"), "");
    auto malformed = id().RequestPasswordReset("no es correo");
    ASSERT_FALSE(malformed.ok());
    EXPECT_EQ(malformed.error().kind(), ErrorKind::kInvalid);
}

TEST_P(PasswordResetTest, RequestsAreRateLimitedAndANewLinkRetiresTheOld) {
    Citizen(1);
    std::string first = RequestLink(1);
    std::size_t mails = mail_.messages().size();
    ASSERT_OK(id().RequestPasswordReset(Email(1)));  // within a minute: ignored
    EXPECT_EQ(mail_.messages().size(), mails);
    clock_.Advance(minutes(1) + std::chrono::seconds(1));
    std::string second = RequestLink(1);
    EXPECT_NE(second, first);
    ASSERT_OK(id().ResetPassword(second, kNewPassword));
    // Using one link retires every other outstanding link.
    EXPECT_EQ(id().ResetPassword(first, "Otra-nueva-clave-7").error().code(), "token-invalid");
}

TEST_P(PasswordResetTest, AVerificationLinkIsNotAResetLink) {
    ASSERT_OK(id().RegisterCitizen(
        Registration{testing::ValidCui(5), "Ana", "ana@correo.gt", "", kPassword}));
    std::string verification = mail_.LastToken("verificacion");
    EXPECT_EQ(id().ResetPassword(verification, kNewPassword).error().code(), "token-invalid");
    // A reset proves control of the mailbox, so it verifies the address too.
    ASSERT_OK(id().RequestPasswordReset("ana@correo.gt"));
    ASSERT_OK(id().ResetPassword(mail_.LastToken("restablecimiento"), kNewPassword));
    ASSERT_OK(LogIn("ana@correo.gt", kNewPassword));
}

VT_IDENTITY_TEST_ENGINES(PasswordResetTest);

}  // namespace
}  // namespace vt::identity
