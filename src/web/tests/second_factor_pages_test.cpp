// Officials enrol their second factor through the pages: the secret as text and QR code,
// then a code from their app; until then their session reaches nothing else.
#include <regex>

#include "page.hpp"
#include "site_fixture.hpp"

namespace vt::web::testing {
namespace {

class SecondFactorPagesTest : public SiteTest {
protected:
    SecondFactorPagesTest() { require_second_factor_ = true; }
};

TEST_F(SecondFactorPagesTest, AnOfficialEnrolsAtTheFirstLogin) {
    ASSERT_OK(identity_->CreateOffice(core::Actor::System(), {"UIP", "Unidad de Información Pública", "0101"}));
    ASSERT_OK(identity_->CreateOfficial(core::Actor::System(), {"jefa@mintrabajo.gob.gt", "Julia Jefa", "UIP", {"jefe"}}));
    ASSERT_OK(identity_->ResetPassword(mail_.LastToken("activacion"), kPassword));
    Browser b(router_);
    b.Get("/cuenta/ingresar");
    http::Response r = b.Post("/cuenta/ingresar", "usuario=jefa%40mintrabajo.gob.gt&contrasena=" + std::string(kPassword));
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(Header(r, "Location"), "/cuenta/segundo-factor");
    // Nothing else until enrolled.
    r = b.Get("/bandeja");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(Header(r, "Location"), "/cuenta/segundo-factor");

    r = b.Get("/cuenta/segundo-factor");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Mostrar el código para mi aplicación"), std::string::npos);
    r = b.Post("/cuenta/segundo-factor", "accion=iniciar");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("<img src=\"data:image/svg+xml;base64,"), std::string::npos);
    std::smatch m;
    static const std::regex kSecret(R"re(name="secreto" value="([A-Z2-7]+)")re");
    ASSERT_TRUE(std::regex_search(r.body, m, kSecret));
    std::string secret = m[1];
    std::string code = TotpCodeAt(secret, clock_.Now());
    ASSERT_EQ(code.size(), 6u);

    // A wrong code: 422, the same secret shown again.
    std::string wrong = code == "123456" ? "654321" : "123456";
    std::string hidden = "&secreto=" + secret + "&uri=" + UrlEncode(
        "otpauth://totp/Ventanilla%20MINTRAB:jefa%40mintrabajo.gob.gt?secret=" + secret);
    r = b.Post("/cuenta/segundo-factor", "accion=confirmar&codigo=" + wrong + hidden);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("href=\"#campo-codigo\""), std::string::npos);
    EXPECT_NE(r.body.find(secret), std::string::npos);

    r = b.Post("/cuenta/segundo-factor", "accion=confirmar&codigo=" + code + hidden);
    ASSERT_EQ(r.status, 303) << r.body;
    r = b.Get("/cuenta/segundo-factor");
    EXPECT_NE(r.body.find("Su segundo factor está configurado"), std::string::npos);
    EXPECT_NE(r.body.find("href=\"/bandeja\""), std::string::npos);
    EXPECT_EQ(b.Get("/bandeja").status, 200);
}

TEST_F(SecondFactorPagesTest, CitizensHaveNoSecondFactorPage) {
    Browser b(router_);
    LogIn(b, Citizen(1));
    EXPECT_EQ(b.Get("/cuenta/segundo-factor").status, 404);
    EXPECT_EQ(b.Post("/cuenta/segundo-factor", "accion=iniciar").status, 404);
    Browser anonymous(router_);
    EXPECT_EQ(anonymous.Get("/cuenta/segundo-factor").status, 303);
}

}  // namespace
}  // namespace vt::web::testing
