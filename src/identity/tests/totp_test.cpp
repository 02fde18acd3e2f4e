// The TOTP second factor of officials and administrators: RFC 6238 codes, a ±1 step window,
// enrolment at first login, and no replay of a code.
#include "totp.hpp"

#include <liboath/oath.h>

#include <cstdlib>

#include "tests/identity_fixture.hpp"

namespace vt::identity {
namespace {

using std::chrono::seconds;
using testing::IdentityTest;
using testing::kPassword;

// RFC 6238, Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
constexpr std::string_view kRfcSecret = "12345678901234567890";

TEST(Totp, MatchesTheRfc6238TestVectorsForSha1) {
    struct Vector {
        std::time_t time;
        const char* code;
    };
    const Vector vectors[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
    };
    for (const auto& v : vectors) {
        SCOPED_TRACE(v.time);
        EXPECT_EQ(internal::TotpCode(kRfcSecret, v.time, 8), v.code);
        auto step = internal::TotpMatch(kRfcSecret, v.time, v.code, 1, 8);
        ASSERT_TRUE(step.has_value());
        EXPECT_EQ(*step, v.time / 30);
    }
}

TEST(Totp, AcceptsOneStepEitherSideAndNoMore) {
    const std::time_t now = 1111111111;  // step 37037037
    for (int offset : {-1, 0, 1}) {
        std::string code = internal::TotpCode(kRfcSecret, now + offset * 30);
        auto step = internal::TotpMatch(kRfcSecret, now, code);
        ASSERT_TRUE(step.has_value()) << offset;
        EXPECT_EQ(*step, now / 30 + offset);
    }
    for (int offset : {-2, 2, 10}) {
        std::string code = internal::TotpCode(kRfcSecret, now + offset * 30);
        EXPECT_FALSE(internal::TotpMatch(kRfcSecret, now, code).has_value()) << offset;
    }
    for (const char* junk : {"", "12345", "1234567", "12345a", "      "}) {
        EXPECT_FALSE(internal::TotpMatch(kRfcSecret, now, junk).has_value()) << junk;
    }
}

TEST(Totp, EncodesSecretsForAuthenticatorApps) {
    EXPECT_EQ(internal::Base32(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    EXPECT_EQ(internal::OtpauthUri("Ventanilla MINTRAB", "ana@mintrabajo.gob.gt", kRfcSecret),
              "otpauth://totp/"
              "Ventanilla%20MINTRAB:ana%40mintrabajo.gob.gt?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
              "&issuer=Ventanilla%20MINTRAB&algorithm=SHA1&digits=6&period=30");
}

class TotpEnrolmentTest : public IdentityTest {
protected:
    static std::string Decode(const std::string& base32) {
        char* out = nullptr;
        std::size_t len = 0;
        EXPECT_EQ(oath_base32_decode(base32.data(), base32.size(), &out, &len), OATH_OK);
        std::string secret(out, len);
        std::free(out);
        return secret;
    }
    std::string CodeNow(const std::string& secret, int steps_ahead = 0) {
        return internal::TotpCode(
            secret, std::chrono::system_clock::to_time_t(clock_.Now()) + steps_ahead * 30);
    }
};

TEST_P(TotpEnrolmentTest, OfficialsEnrolAtFirstLoginThenNeedACodeEveryTime) {
    std::string account = Official("ana@mintrabajo.gob.gt", "IGT", {"analista"});
    auto first = LogIn("ana@mintrabajo.gob.gt");
    ASSERT_OK(first);
    EXPECT_TRUE(first->second_factor_enrolment_pending);
    // Until enrolled, the session grants nothing.
    auto pending = id().AuthenticateSession(first->token);
    ASSERT_OK(pending);
    EXPECT_TRUE(pending->second_factor_enrolment_pending);
    EXPECT_EQ(pending->actor.kind, core::Actor::Kind::kAnonymous);
    EXPECT_EQ(pending->account_id, account);

    auto enrolment = id().BeginTotpEnrolment(account);
    ASSERT_OK(enrolment);
    std::string secret = Decode(enrolment->secret_base32);
    EXPECT_EQ(secret.size(), 20u);
    EXPECT_TRUE(enrolment->otpauth_uri.starts_with(
        "otpauth://totp/Ventanilla%20MINTRAB:ana%40mintrabajo.gob.gt?"));

    auto wrong =
        id().ConfirmTotpEnrolment(account, "000000" == CodeNow(secret) ? "111111" : "000000");
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code(), "second-factor-invalid");
    ASSERT_OK(id().ConfirmTotpEnrolment(account, CodeNow(secret)));
    EXPECT_EQ(AuditCount("account.second_factor_enrolled"), 1);

    // The enrolling session now acts as the official.
    auto enrolled = id().AuthenticateSession(first->token);
    ASSERT_OK(enrolled);
    EXPECT_FALSE(enrolled->second_factor_enrolment_pending);
    EXPECT_EQ(enrolled->actor.kind, core::Actor::Kind::kOfficial);
    EXPECT_EQ(enrolled->actor.office, "IGT");
    EXPECT_EQ(enrolled->actor.roles, std::vector<std::string>{"analista"});

    // The code that confirmed enrolment cannot log in: it was used.
    EXPECT_EQ(LogIn("ana@mintrabajo.gob.gt", kPassword, "192.0.2.10", "").error().code(),
              "second-factor-required");
    EXPECT_EQ(
        LogIn("ana@mintrabajo.gob.gt", kPassword, "192.0.2.10", CodeNow(secret)).error().code(),
        "second-factor-invalid");
    clock_.Advance(seconds(30));
    auto second = LogIn("ana@mintrabajo.gob.gt", kPassword, "192.0.2.10", CodeNow(secret));
    ASSERT_OK(second);
    EXPECT_FALSE(second->second_factor_enrolment_pending);
    // Replaying the same code, even within its window, is refused.
    auto replay = LogIn("ana@mintrabajo.gob.gt", kPassword, "192.0.2.10", CodeNow(secret));
    ASSERT_FALSE(replay.ok());
    EXPECT_EQ(replay.error().code(), "second-factor-invalid");
    // So is the previous step's code, once a later one has been used.
    EXPECT_EQ(
        LogIn("ana@mintrabajo.gob.gt", kPassword, "192.0.2.10", CodeNow(secret, -1)).error().code(),
        "second-factor-invalid");
    // The next step's code (a phone slightly ahead) is fine.
    ASSERT_OK(LogIn("ana@mintrabajo.gob.gt", kPassword, "192.0.2.10", CodeNow(secret, 1)));
    // Wrong codes count as failed logins.
    EXPECT_GE(
        Count(
            "SELECT count(*) FROM security_events WHERE kind = 'login.failed' AND account_id = $1",
            {store::Value{account}}),
        3);
    EXPECT_EQ(
        Count("SELECT count(*) FROM accounts WHERE totp_secret IS NOT NULL AND totp_secret = $1",
              {store::Value{enrolment->secret_base32}}),
        0);
}

TEST_P(TotpEnrolmentTest, CitizensHaveNoSecondFactorAndEnrolmentIsNotRepeated) {
    std::string citizen = Citizen(1);
    EXPECT_EQ(id().BeginTotpEnrolment(citizen).error().kind(), ErrorKind::kForbidden);
    EXPECT_EQ(id().ConfirmTotpEnrolment(citizen, "123456").error().kind(), ErrorKind::kForbidden);

    std::string official = Official("beto@mintrabajo.gob.gt", "IGT", {"jefe"});
    EXPECT_EQ(id().ConfirmTotpEnrolment(official, "123456").error().code(), "no-enrolment-pending");
    auto e = id().BeginTotpEnrolment(official);
    ASSERT_OK(e);
    ASSERT_OK(id().ConfirmTotpEnrolment(official, CodeNow(Decode(e->secret_base32))));
    EXPECT_EQ(id().BeginTotpEnrolment(official).error().code(), "second-factor-enrolled");

    // An administrator resets it (lost phone): enrolment starts over at the next login.
    ASSERT_OK(id().ResetSecondFactor(core::Actor::System(), official));
    auto login = LogIn("beto@mintrabajo.gob.gt");
    ASSERT_OK(login);
    EXPECT_TRUE(login->second_factor_enrolment_pending);
    EXPECT_EQ(AuditCount("account.second_factor_reset"), 1);
}

TEST_P(TotpEnrolmentTest, WithoutTheRequirementStaffMayLogInWithoutEnrolling) {
    IdentityOptions o = testing::FastOptions();
    o.require_second_factor = false;
    MakeService(o);
    Official("ana@mintrabajo.gob.gt", "IGT", {"analista"});
    auto login = LogIn("ana@mintrabajo.gob.gt");
    ASSERT_OK(login);
    EXPECT_FALSE(login->second_factor_enrolment_pending);
    auto session = id().AuthenticateSession(login->token);
    ASSERT_OK(session);
    EXPECT_EQ(session->actor.kind, core::Actor::Kind::kOfficial);
}

VT_IDENTITY_TEST_ENGINES(TotpEnrolmentTest);

}  // namespace
}  // namespace vt::identity
