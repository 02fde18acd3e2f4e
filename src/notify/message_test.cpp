#include "message.hpp"

#include <gtest/gtest.h>

#include "testing/mime_reader.hpp"
#include "vt/core/random.hpp"

namespace vt::notify::internal {
namespace {

using namespace std::chrono;

Envelope TestEnvelope() {
    return Envelope{Mailbox{"Ventanilla MINTRAB", "no-responder@mintrabajo.gob.gt"},
                    sys_days{year{2026} / November / 25} + hours{16} + minutes{5} + seconds{9},
                    "abc123@mintrabajo.gob.gt", "=_vt_limite"};
}

std::vector<std::string> Lines(std::string_view s) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t eol = s.find("\r\n", start);
        if (eol == std::string_view::npos) {
            lines.emplace_back(s.substr(start));
            break;
        }
        lines.emplace_back(s.substr(start, eol - start));
        start = eol + 2;
    }
    return lines;
}

TEST(MessageDateTest, IsRfc5322InUtc) {
    EXPECT_EQ(FormatMessageDate(TestEnvelope().date), "Wed, 25 Nov 2026 16:05:09 +0000");
    EXPECT_EQ(FormatMessageDate(sys_days{year{2027} / January / 3}),
              "Sun, 03 Jan 2027 00:00:00 +0000");
}

TEST(HeaderTextTest, ShortAsciiIsUnchanged) {
    EXPECT_EQ(EncodeHeaderText("Verifique su correo", 9), "Verifique su correo");
}

TEST(HeaderTextTest, LongAsciiIsFoldedAtSpacesAndUnfoldsBack) {
    std::string subject;
    for (int i = 0; i < 30; ++i) subject += "palabra" + std::to_string(i) + " ";
    subject += "fin";
    std::string folded = EncodeHeaderText(subject, 9);
    EXPECT_NE(folded.find("\r\n "), std::string::npos);
    for (const auto& line : Lines("Subject: " + folded)) EXPECT_LE(line.size(), 78u) << line;
    std::string unfolded = folded;
    for (std::size_t p; (p = unfolded.find("\r\n")) != std::string::npos;) unfolded.erase(p, 2);
    EXPECT_EQ(unfolded, subject);
}

TEST(HeaderTextTest, NonAsciiBecomesEncodedWordsThatNeverSplitACharacter) {
    for (std::string subject :
         {std::string("Verificación de su cuenta"), std::string("ñ") + std::string(200, 'x'),
          std::string(100, 'a') + "áéíóúñÁÉÍÓÚÑ¿¡€" + std::string(30, 'b'),
          std::string("€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€"),
          std::string("Aviso =?no es una palabra?= codificada")}) {
        std::string encoded = EncodeHeaderText(subject, 9);
        EXPECT_TRUE(encoded.starts_with("=?UTF-8?B?")) << encoded;
        for (const auto& line : Lines("Subject: " + encoded)) EXPECT_LE(line.size(), 76u) << line;
        EXPECT_EQ(testing::DecodeHeader(encoded), subject);
        // Each word decodes on its own to valid UTF-8.
        for (const auto& line : Lines(encoded)) {
            EXPECT_TRUE(IsValidUtf8(testing::DecodeHeader(line))) << line;
        }
    }
}

TEST(QuotedPrintableTest, EncodesAndRoundTrips) {
    EXPECT_EQ(QuotedPrintable("Año = 2026"), "A=C3=B1o =3D 2026");
    // Trailing whitespace before a line break is encoded; line breaks become CRLF.
    EXPECT_EQ(QuotedPrintable("uno \ndos\t\r\ntres\rcuatro"), "uno=20\r\ndos=09\r\ntres\r\ncuatro");
    std::string long_line;
    for (int i = 0; i < 50; ++i) long_line += "señor=ñ ";
    std::string qp = QuotedPrintable(long_line + "\n.\n..punto\nFrom here\n");
    for (const auto& line : Lines(qp)) EXPECT_LE(line.size(), 76u) << line;
    std::string expected = long_line + "\r\n.\r\n..punto\r\nFrom here\r\n";
    EXPECT_EQ(testing::DecodeQuotedPrintable(qp), expected);
}

TEST(BuildMessageTest, TextOnlyMessageHasEveryHeader) {
    Email e{"persona@example.gt", "Verificación de su cuenta", "Hola, María.\nSu código: 1234.\n",
            "", ""};
    std::string raw = BuildMessage(e, TestEnvelope());
    EXPECT_TRUE(raw.ends_with("\r\n"));
    EXPECT_EQ(raw.find('\n'), raw.find("\r\n") + 1);  // CRLF line ends
    auto mail = testing::ParseMail(raw);
    ASSERT_EQ(mail.error, "");
    EXPECT_EQ(mail.Header("Date"), "Wed, 25 Nov 2026 16:05:09 +0000");
    EXPECT_EQ(mail.Header("From"), "Ventanilla MINTRAB <no-responder@mintrabajo.gob.gt>");
    EXPECT_EQ(mail.Header("To"), "persona@example.gt");
    EXPECT_EQ(mail.Header("Message-ID"), "<abc123@mintrabajo.gob.gt>");
    EXPECT_EQ(mail.Header("MIME-Version"), "1.0");
    EXPECT_EQ(mail.Header("Content-Type"), "text/plain; charset=UTF-8");
    EXPECT_EQ(mail.Header("Content-Transfer-Encoding"), "quoted-printable");
    EXPECT_EQ(mail.subject, "Verificación de su cuenta");
    EXPECT_EQ(mail.text, "Hola, María.\r\nSu código: 1234.\r\n");
    EXPECT_LE(mail.longest_line, 78u);
}

TEST(BuildMessageTest, HtmlMakesMultipartAlternative) {
    Email e{"persona@example.gt", "Aviso", "Texto plano.", "<p>Texto <b>HTML</b> – ñ</p>", ""};
    std::string raw = BuildMessage(e, TestEnvelope());
    auto mail = testing::ParseMail(raw);
    ASSERT_EQ(mail.error, "");
    EXPECT_EQ(mail.content_type, "multipart/alternative");
    EXPECT_EQ(mail.text, "Texto plano.");
    EXPECT_EQ(mail.html, "<p>Texto <b>HTML</b> – ñ</p>");
    EXPECT_NE(raw.find("--=_vt_limite--"), std::string::npos);
}

TEST(BuildMessageTest, SenderNamesAreQuotedOrEncoded) {
    Envelope env = TestEnvelope();
    Email e{"persona@example.gt", "Aviso", "Texto.", "", ""};
    env.from.display_name = "Ministerio de Trabajo y Previsión Social";
    auto mail = testing::ParseMail(BuildMessage(e, env));
    EXPECT_EQ(testing::DecodeHeader(mail.Header("From")),
              "Ministerio de Trabajo y Previsión Social <no-responder@mintrabajo.gob.gt>");
    EXPECT_EQ(mail.Header("From"),
              "=?UTF-8?Q?Ministerio_de_Trabajo_y_Previsi=C3=B3n_Social?= "
              "<no-responder@mintrabajo.gob.gt>");
    env.from.display_name = std::string(80, 'n') + "ñ";  // too long for one word
    mail = testing::ParseMail(BuildMessage(e, env));
    EXPECT_EQ(testing::DecodeHeader(mail.Header("From")),
              env.from.display_name + " <no-responder@mintrabajo.gob.gt>");
    EXPECT_LE(mail.longest_line, 78u);
    env.from.display_name = "MINTRAB, Guatemala";
    mail = testing::ParseMail(BuildMessage(e, env));
    EXPECT_EQ(mail.Header("From"), "\"MINTRAB, Guatemala\" <no-responder@mintrabajo.gob.gt>");
    env.from.display_name = "";
    mail = testing::ParseMail(BuildMessage(e, env));
    EXPECT_EQ(mail.Header("From"), "no-responder@mintrabajo.gob.gt");
}

TEST(MessageIdTest, StableForAKeyRandomWithout) {
    core::InitCrypto();
    EXPECT_EQ(MessageIdLocalPart("verificacion:42"), MessageIdLocalPart("verificacion:42"));
    EXPECT_NE(MessageIdLocalPart("verificacion:42"), MessageIdLocalPart("verificacion:43"));
    EXPECT_NE(MessageIdLocalPart(""), MessageIdLocalPart(""));
    EXPECT_EQ(MessageIdLocalPart("x").size(), 32u);
}

}  // namespace
}  // namespace vt::notify::internal
