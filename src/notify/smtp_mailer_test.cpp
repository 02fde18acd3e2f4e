// The SMTP adapter over a real TCP conversation with the in-process sink.
#include <gtest/gtest.h>

#include "testing/mime_reader.hpp"
#include "testing/smtp_sink.hpp"
#include "vt/notify/notify.hpp"
#include "vt/testing.hpp"

namespace vt::notify {
namespace {

using namespace std::chrono;
using testing::SmtpSink;
using testing::SmtpStage;

SmtpOptions ToSink(const SmtpSink& sink) {
    SmtpOptions o;
    o.host = "127.0.0.1";
    o.port = sink.port();
    o.timeout = milliseconds(5000);
    return o;
}

Email Verification() {
    return Email{"maria.lopez@example.gt", "Verificación de su cuenta en la Ventanilla",
                 "Hola, María:\n\nSu código es 482913.\n.\n..si no lo pidió, ignore este correo.\n",
                 "", "verificacion:cuenta-42"};
}

class SmtpMailerTest : public ::testing::Test {
protected:
    core::FrozenClock clock_{sys_days{year{2026} / November / 25} + hours{16}};
};

TEST_F(SmtpMailerTest, DeliversAProperMessage) {
    SmtpSink sink;
    SmtpMailer mailer(ToSink(sink), clock_);
    ASSERT_OK(mailer.Send(Verification()));
    auto received = sink.Received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].mail_from, "no-responder@mintrabajo.gob.gt");
    ASSERT_EQ(received[0].rcpt_to.size(), 1u);
    EXPECT_EQ(received[0].rcpt_to[0], "maria.lopez@example.gt");
    EXPECT_EQ(received[0].auth_user, "");

    auto mail = testing::ParseMail(received[0].data);
    ASSERT_EQ(mail.error, "");
    EXPECT_EQ(mail.subject, "Verificación de su cuenta en la Ventanilla");
    EXPECT_NE(mail.Header("Subject"), mail.subject);  // encoded on the wire
    EXPECT_EQ(mail.Header("Date"), "Wed, 25 Nov 2026 16:00:00 +0000");
    EXPECT_EQ(mail.Header("From"), "Ventanilla MINTRAB <no-responder@mintrabajo.gob.gt>");
    EXPECT_EQ(mail.Header("To"), "maria.lopez@example.gt");
    EXPECT_TRUE(mail.Header("Message-ID").ends_with("@mintrabajo.gob.gt>"));
    EXPECT_EQ(mail.Header("MIME-Version"), "1.0");
    EXPECT_EQ(mail.content_type, "text/plain");
    // Lines that start with a dot survive dot-stuffing.
    EXPECT_EQ(mail.text,
              "Hola, María:\r\n\r\nSu código es 482913.\r\n.\r\n..si no lo pidió, ignore este "
              "correo.\r\n");
    EXPECT_LE(mail.longest_line, 78u);
}

TEST_F(SmtpMailerTest, SameKeySameMessageId) {
    SmtpSink sink;
    SmtpMailer mailer(ToSink(sink), clock_);
    ASSERT_OK(mailer.Send(Verification()));
    ASSERT_OK(mailer.Send(Verification()));
    Email other = Verification();
    other.dedup_key = "";
    ASSERT_OK(mailer.Send(other));
    auto r = sink.Received();
    ASSERT_EQ(r.size(), 3u);
    auto id = [&](int i) { return testing::ParseMail(r[i].data).Header("Message-ID"); };
    EXPECT_EQ(id(0), id(1));
    EXPECT_NE(id(0), id(2));
}

TEST_F(SmtpMailerTest, HtmlGoesAsAlternative) {
    SmtpSink sink;
    SmtpMailer mailer(ToSink(sink), clock_);
    Email e = Verification();
    e.html = "<p>Hola, <strong>María</strong>: su código es <code>482913</code>.</p>\n";
    ASSERT_OK(mailer.Send(e));
    ASSERT_EQ(sink.ReceivedCount(), 1u);
    auto mail = testing::ParseMail(sink.Received()[0].data);
    ASSERT_EQ(mail.error, "");
    EXPECT_EQ(mail.content_type, "multipart/alternative");
    EXPECT_NE(mail.text.find("Su código es 482913."), std::string::npos);
    EXPECT_EQ(mail.html,
              "<p>Hola, <strong>María</strong>: su código es <code>482913</code>.</p>\r\n");
}

TEST_F(SmtpMailerTest, RejectionsCarryTheServersReply) {
    struct Case {
        SmtpStage stage;
        int code;
        std::string text;
        std::string error_code;
    };
    for (const Case& c :
         {Case{SmtpStage::kGreeting, 421, "4.3.2 Servicio no disponible", "smtp-temporary"},
          Case{SmtpStage::kMailFrom, 451, "4.3.0 Intente más tarde", "smtp-temporary"},
          Case{SmtpStage::kRcptTo, 550, "5.1.1 Buzón inexistente", "smtp-rejected"},
          Case{SmtpStage::kData, 554, "5.7.1 Mensaje rechazado", "smtp-rejected"}}) {
        SmtpSink sink;
        sink.Fail(c.stage, c.code, c.text, 1);
        SmtpMailer mailer(ToSink(sink), clock_);
        auto s = mailer.Send(Verification());
        ASSERT_FALSE(s.ok()) << c.text;
        EXPECT_EQ(s.error().kind(), ErrorKind::kUnavailable);
        EXPECT_EQ(s.error().code(), c.error_code) << s.error().message();
        EXPECT_NE(s.error().message().find(std::to_string(c.code) + " " + c.text),
                  std::string::npos)
            << s.error().message();
        EXPECT_EQ(sink.ReceivedCount(), 0u);
        // The failure was injected once: the next attempt goes through.
        ASSERT_OK(mailer.Send(Verification()));
        EXPECT_EQ(sink.ReceivedCount(), 1u);
    }
}

TEST_F(SmtpMailerTest, UnreachableServer) {
    std::uint16_t port = 0;
    {
        SmtpSink sink;
        port = sink.port();
    }
    SmtpOptions o;
    o.port = port;  // nobody listens there now
    o.timeout = milliseconds(2000);
    SmtpMailer mailer(o, clock_);
    auto s = mailer.Send(Verification());
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(s.error().code(), "smtp-unreachable");
}

TEST_F(SmtpMailerTest, SilentServerTimesOut) {
    SmtpSink sink;
    sink.Stall(true);
    SmtpOptions o = ToSink(sink);
    o.timeout = milliseconds(300);
    SmtpMailer mailer(o, clock_);
    auto start = steady_clock::now();
    auto s = mailer.Send(Verification());
    auto took = steady_clock::now() - start;
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), "smtp-unreachable");
    EXPECT_LT(took, seconds(3));
}

TEST_F(SmtpMailerTest, AuthenticatesWhenConfigured) {
    testing::SmtpSinkOptions so;
    so.username = "ventanilla";
    so.password = "s3creto:con símbolos";
    SmtpSink sink(so);
    SmtpOptions o = ToSink(sink);

    // Without credentials the server refuses MAIL FROM.
    auto s = SmtpMailer(o, clock_).Send(Verification());
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message().find("530"), std::string::npos) << s.error().message();

    o.username = "ventanilla";
    o.password = "incorrecta";
    s = SmtpMailer(o, clock_).Send(Verification());
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kUnavailable);

    o.password = so.password;
    ASSERT_OK(SmtpMailer(o, clock_).Send(Verification()));
    ASSERT_EQ(sink.ReceivedCount(), 1u);
    EXPECT_EQ(sink.Received()[0].auth_user, "ventanilla");
}

TEST_F(SmtpMailerTest, RequiredStarttlsRefusesAPlainServer) {
    SmtpSink sink;  // does not offer STARTTLS
    SmtpOptions o = ToSink(sink);
    o.starttls = true;
    auto s = SmtpMailer(o, clock_).Send(Verification());
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(sink.ReceivedCount(), 0u);
}

TEST_F(SmtpMailerTest, MisconfiguredSenderIsRetryableNotTheMessagesFault) {
    SmtpSink sink;
    SmtpOptions o = ToSink(sink);
    o.from = "Ventanilla <sin-dominio>";
    auto s = SmtpMailer(o, clock_).Send(Verification());
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kInternal);
    EXPECT_EQ(sink.connections(), 0);
}

TEST_F(SmtpMailerTest, HeaderInjectionNeverReachesTheServer) {
    SmtpSink sink;
    SmtpMailer mailer(ToSink(sink), clock_);
    Email e = Verification();
    e.to = "maria@example.gt>\r\nRCPT TO:<todos@example.gt";
    auto s = mailer.Send(e);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kInvalid);
    e = Verification();
    e.subject = "Hola\r\nBcc: todos@example.gt";
    EXPECT_EQ(mailer.Send(e).error().kind(), ErrorKind::kInvalid);
    EXPECT_EQ(sink.connections(), 0);
}

}  // namespace
}  // namespace vt::notify
