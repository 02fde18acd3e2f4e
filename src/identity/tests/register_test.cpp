// Registering a citizen: validation of CUI and the other fields, password policy, Argon2id,
// the verification link, and the audit trail.
#include "vt/identity/identity.hpp"

#include "tests/identity_fixture.hpp"

namespace vt::identity {
namespace {

using testing::IdentityTest;
using testing::kPassword;
using testing::ValidCui;

class RegisterTest : public IdentityTest {
protected:
    Result<std::string> Register(std::string cui, std::string email = "ana@correo.gt",
                                 std::string password = kPassword, std::string phone = "") {
        return id().RegisterCitizen(Registration{std::move(cui), "Ana Pérez", std::move(email),
                                                 std::move(phone), std::move(password)});
    }
    std::string FieldError(const Result<std::string>& r, const std::string& field) {
        if (r.ok()) return "(aceptado)";
        auto it = r.error().fields().find(field);
        return it == r.error().fields().end() ? "" : it->second;
    }
};

TEST_P(RegisterTest, CreatesAnUnverifiedAccountAndMailsTheLink) {
    auto account = Register("1587 56444 0904", "Ana@Correo.GT", kPassword, "+502 5555-1234");
    ASSERT_OK(account);
    ASSERT_EQ(mail_.messages().size(), 1u);
    const MailMessage m = mail_.messages()[0];
    EXPECT_EQ(m.to, "ana@correo.gt");
    EXPECT_EQ(m.kind, "verificacion");
    EXPECT_NE(m.text.find("http://127.0.0.1:8080/cuenta/verificar?token="), std::string::npos);
    std::string token = mail_.LastToken("verificacion");
    EXPECT_EQ(token.size(), 64u);

    // Stored normalised, with an Argon2id hash and no token in clear.
    ASSERT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row r,
                            tx.QueryOne("SELECT cui, email, phone, password_hash, email_verified "
                                        "FROM accounts WHERE id = $1",
                                        {store::Value{*account}}));
        EXPECT_EQ(r.Text(0), "1587564440904");
        EXPECT_EQ(r.Text(1), "ana@correo.gt");
        EXPECT_EQ(r.Text(2), "55551234");
        EXPECT_TRUE(r.Text(3).starts_with("$argon2id$")) << r.Text(3);
        EXPECT_EQ(r.Int(4), 0);
        return Ok();
    }));
    EXPECT_EQ(
        Count("SELECT count(*) FROM account_tokens WHERE token_hash = $1", {store::Value{token}}),
        0);

    // Not verified yet: the right password is not enough.
    auto early = LogIn("1587564440904");
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().code(), "email-not-verified");

    ASSERT_OK(id().VerifyEmail(token));
    ASSERT_OK(LogIn("1587-56444-0904"));
    ASSERT_OK(LogIn("ana@correo.gt"));
    EXPECT_EQ(AuditCount("account.registered"), 1);
    EXPECT_EQ(AuditCount("account.email_verified"), 1);
}

TEST_P(RegisterTest, ValidatesTheCui) {
    struct Case {
        const char* cui;
        const char* expected;  // "" = accepted, else a fragment of the message
    };
    const Case cases[] = {
        {"1587564440904", ""},
        {"1580 35224 0101", ""},
        {"1587564450904", "verificador"},   // bad check digit (5 for 4)
        {"1587564442304", "departamento"},  // departamento 23
        {"1587564440999", "municipio"},     // no municipio 99 in Quetzaltenango
        {"158756444090", "13 dígitos"},     // too short
        {"15875644409O4", "dígitos"},       // a letter O
        {"1587--56444-0904", "dígitos"},    // misplaced separators
        {"", "13 dígitos"},
    };
    int n = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.cui);
        auto r = Register(c.cui, "persona" + std::to_string(n++) + "@correo.gt");
        if (*c.expected == '\0') {
            EXPECT_OK(r);
            continue;
        }
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().kind(), ErrorKind::kInvalid);
        EXPECT_NE(FieldError(r, "cui").find(c.expected), std::string::npos) << FieldError(r, "cui");
    }
}

TEST_P(RegisterTest, ReportsEveryBadFieldAtOnceAndWritesNothing) {
    auto r = id().RegisterCitizen(Registration{"123", "A", "no-es-correo", "1234", "corta"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kInvalid);
    std::vector<std::string> fields;
    for (const auto& [k, v] : r.error().fields()) fields.push_back(k);
    EXPECT_EQ(fields,
              (std::vector<std::string>{"contrasena", "correo", "cui", "nombre", "telefono"}));
    EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 0);
    EXPECT_TRUE(mail_.messages().empty());
}

TEST_P(RegisterTest, RefusesWeakPasswords) {
    const std::string cui = ValidCui(42);
    const char* weak[] = {
        "corta1",         // too short
        "aaaaaaaaaaaa",   // one repeated character
        "1234567890",     // well known
        "Guatemala123",   // well known, any case
        "mi-cui-es-",     // completed below with the CUI
        "ana@correo.gt",  // the email
        "ANA",            // (completed below) the local part of the email, as typed
    };
    for (std::string password : weak) {
        if (password == "mi-cui-es-") password += cui;
        if (password == "ANA") password = "ana";
        SCOPED_TRACE(password);
        auto r = Register(cui, "ana@correo.gt", password);
        ASSERT_FALSE(r.ok());
        EXPECT_FALSE(FieldError(r, "contrasena").empty());
    }
    // Long enough, in code points: ten accented letters are ten characters.
    EXPECT_OK(Register(cui, "ana@correo.gt", "ñandúñandú"));
}

TEST_P(RegisterTest, OneAccountPerCuiAndPerEmail) {
    ASSERT_OK(Register(ValidCui(1), "uno@correo.gt"));
    auto same_cui = Register(ValidCui(1), "otro@correo.gt");
    ASSERT_FALSE(same_cui.ok());
    EXPECT_EQ(same_cui.error().code(), "account-exists");
    auto same_email = Register(ValidCui(2), "UNO@correo.gt");
    ASSERT_FALSE(same_email.ok());
    EXPECT_EQ(same_email.error().code(), "account-exists");
    EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 1);
}

TEST_P(RegisterTest, VerificationLinkIsSingleUseAndExpires) {
    ASSERT_OK(Register(ValidCui(1), "uno@correo.gt"));
    std::string first = mail_.LastToken("verificacion");
    ASSERT_OK(id().VerifyEmail(first));
    auto again = id().VerifyEmail(first);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), "token-invalid");

    ASSERT_OK(Register(ValidCui(2), "dos@correo.gt"));
    std::string second = mail_.LastToken("verificacion");
    clock_.Advance(std::chrono::hours(48));
    auto late = id().VerifyEmail(second);
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().code(), "token-invalid");

    EXPECT_EQ(id().VerifyEmail("no-es-un-token").error().code(), "token-invalid");
    EXPECT_EQ(id().VerifyEmail("").error().code(), "token-invalid");
}

TEST_P(RegisterTest, WhenTheMailCannotBeQueuedNothingIsRegistered) {
    mail_.FailFromNowOn();
    auto r = Register(ValidCui(1));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), 0);
}

VT_IDENTITY_TEST_ENGINES(RegisterTest);

}  // namespace
}  // namespace vt::identity
