#include "email.hpp"

#include <gtest/gtest.h>

#include "vt/notify/notify.hpp"
#include "vt/testing.hpp"

namespace vt::notify {
namespace {

Email Valid() { return Email{"persona@example.gt", "Verifique su correo", "Hola.", "", ""}; }

TEST(ValidateEmailTest, AcceptsAPlainMessage) {
    EXPECT_OK(ValidateEmail(Valid()));
    Email e = Valid();
    e.to = "maria.lopez+avisos@correo.mintrabajo.gob.gt";
    e.subject = "Su trámite MTPS-2026-000123 fue resuelto — revisión";
    e.html = "<p>Hola, <b>María</b>.</p>";
    e.dedup_key = "verificacion:cuenta-42";
    EXPECT_OK(ValidateEmail(e));
}

TEST(ValidateEmailTest, RefusesBadAddresses) {
    for (std::string to : std::vector<std::string>{
             "", "persona", "persona@", "@example.gt", "persona@localhost", "a@b@example.gt",
             "per sona@example.gt", "\"quoted\"@example.gt", ".persona@example.gt",
             "per..sona@example.gt", "persona@-x.gt", "persona@example..gt",
             "Persona <persona@example.gt>", "a@example.gt, b@example.gt", "maría@example.gt",
             "persona@exámple.gt", std::string(65, 'a') + "@example.gt"}) {
        Email e = Valid();
        e.to = to;
        auto s = ValidateEmail(e);
        ASSERT_FALSE(s.ok()) << to;
        EXPECT_EQ(s.error().kind(), ErrorKind::kInvalid) << to;
        EXPECT_EQ(s.error().fields().count("to"), 1u) << to;
    }
}

TEST(ValidateEmailTest, RefusesHeaderInjection) {
    struct Case {
        std::string to, subject, field;
    };
    for (const Case& c : {Case{"persona@example.gt\r\nBcc: todos@example.gt", "Hola", "to"},
                          Case{"persona@example.gt\nBcc: todos@example.gt", "Hola", "to"},
                          Case{"persona@example.gt\r", "Hola", "to"},
                          Case{"persona@example.gt", "Hola\r\nBcc: todos@example.gt", "subject"},
                          Case{"persona@example.gt", "Hola\nX-Spam: no", "subject"},
                          Case{"persona@example.gt", "Hola\rX: y", "subject"},
                          Case{"persona@example.gt", "Hola\x01", "subject"},
                          Case{"persona@example.gt", "Hola\tmundo", "subject"}}) {
        Email e = Valid();
        e.to = c.to;
        e.subject = c.subject;
        auto s = ValidateEmail(e);
        ASSERT_FALSE(s.ok()) << c.to << " / " << c.subject;
        EXPECT_EQ(s.error().kind(), ErrorKind::kInvalid);
        ASSERT_EQ(s.error().fields().size(), 1u);
        EXPECT_EQ(s.error().fields().begin()->first, c.field);
    }
}

TEST(ValidateEmailTest, RefusesMissingOrMalformedContent) {
    Email e = Valid();
    e.subject = "";
    e.text = "";
    e.html = std::string("<p>\xC3\x28</p>");  // invalid UTF-8
    e.dedup_key = "clave\x7F";
    auto s = ValidateEmail(e);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().fields().size(), 4u);
    e = Valid();
    e.text = std::string("a\0b", 3);
    EXPECT_FALSE(ValidateEmail(e).ok());
}

TEST(ValidateEmailTest, BoundsEverySize) {
    struct Case {
        std::string field;
        std::size_t max;
    };
    for (const Case& c : {Case{"subject", kMaxSubjectBytes}, Case{"text", kMaxBodyBytes},
                          Case{"html", kMaxBodyBytes}, Case{"dedup_key", kMaxDedupKeyBytes}}) {
        Email e = Valid();
        std::string* f = c.field == "subject" ? &e.subject
                         : c.field == "text"  ? &e.text
                         : c.field == "html"  ? &e.html
                                              : &e.dedup_key;
        *f = std::string(c.max, 'a');
        EXPECT_OK(ValidateEmail(e));
        *f += "a";
        auto s = ValidateEmail(e);
        ASSERT_FALSE(s.ok()) << c.field;
        EXPECT_EQ(s.error().kind(), ErrorKind::kTooLarge) << c.field;
        EXPECT_EQ(s.error().code(), "email-too-large");
        EXPECT_EQ(s.error().fields().count(c.field), 1u);
    }
    Email e = Valid();
    e.to = std::string(kMaxAddressBytes, 'a') + "@example.gt";
    EXPECT_EQ(ValidateEmail(e).error().kind(), ErrorKind::kTooLarge);
}

TEST(Utf8Test, AcceptsWellFormedAndRefusesTheRest) {
    EXPECT_TRUE(internal::IsValidUtf8("ñandú — €𝄞"));
    for (std::string bad : {"\x80", "\xC3", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                            "\xF4\x90\x80\x80", "\xFF", "a\xE2\x82"}) {
        EXPECT_FALSE(internal::IsValidUtf8(bad)) << ::testing::PrintToString(bad);
    }
}

TEST(ParseMailboxTest, ReadsTheFromSetting) {
    auto m = internal::ParseMailbox("Ventanilla MINTRAB <no-responder@mintrabajo.gob.gt>");
    ASSERT_OK(m);
    EXPECT_EQ(m->display_name, "Ventanilla MINTRAB");
    EXPECT_EQ(m->address, "no-responder@mintrabajo.gob.gt");
    m = internal::ParseMailbox("avisos@mintrabajo.gob.gt");
    ASSERT_OK(m);
    EXPECT_EQ(m->display_name, "");
    for (std::string bad : {"Nombre <no-es-correo>", "Nombre <a@b.gt", "\"Falso\" <a@b.gt>",
                            "Nombre\r\nBcc: x <a@b.gt>", ""}) {
        EXPECT_FALSE(internal::ParseMailbox(bad).ok()) << bad;
    }
}

TEST(ValidateOptionsTest, DefaultsAreValidAndMistakesAreNamed) {
    EXPECT_OK(ValidateSmtpOptions(SmtpOptions{}));
    EXPECT_OK(ValidateOutboxOptions(OutboxOptions{}));
    SmtpOptions smtp;
    smtp.host = "";
    smtp.port = 0;
    smtp.from = "nadie";
    smtp.password = "secreto";
    smtp.timeout = std::chrono::milliseconds(0);
    auto s = ValidateSmtpOptions(smtp);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().fields().size(), 5u);
    OutboxOptions outbox;
    outbox.batch_size = 0;
    outbox.max_backoff = std::chrono::seconds(1);
    auto o = ValidateOutboxOptions(outbox);
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.error().fields().size(), 2u);
}

}  // namespace
}  // namespace vt::notify
