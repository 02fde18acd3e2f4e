// Registering, confirming the email, logging in and out, resetting a password: through
// the pages, as a browser without JavaScript does it.
#include "site_fixture.hpp"

namespace vt::web::testing {
namespace {

TEST_F(SiteTest, RegisterConfirmAndLogIn) {
    Browser b(router_);
    b.Get("/cuenta/registro");
    std::string cui = identity::testing::ValidCui(7);
    http::Response r = b.Post("/cuenta/registro", "cui=" + cui +
                                                      "&nombre=Ana+L%C3%B3pez&correo=ana%40correo.gt&telefono=55551234"
                                                      "&contrasena=Caracol-azul-17");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_NE(r.body.find("ana@correo.gt"), std::string::npos);

    std::string token = mail_.LastToken("verificacion");
    ASSERT_FALSE(token.empty());
    r = b.Get("/cuenta/verificar?token=" + token);
    EXPECT_EQ(r.status, 200);  // a page with a button: opening the link does not use it up
    r = b.Post("/cuenta/verificar", "token=" + token);
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Correo confirmado"), std::string::npos);
    r = b.Post("/cuenta/verificar", "token=" + token);
    EXPECT_EQ(r.status, 422);

    b.Get("/cuenta/ingresar");
    r = b.Post("/cuenta/ingresar", "usuario=" + cui + "&contrasena=Caracol-azul-17");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(Header(r, "Location"), "/mis-tramites");
    EXPECT_NE(Header(r, "Set-Cookie").find("HttpOnly; SameSite=Lax"), std::string::npos);
    // Logged in: the navigation changes and the logout form carries the session's token.
    r = b.Get("/");
    EXPECT_NE(r.body.find("action=\"/cuenta/salir\""), std::string::npos);
    r = b.Post("/cuenta/salir", "");
    EXPECT_EQ(r.status, 303);
    EXPECT_FALSE(b.cookies().contains("vt_sesion"));
}

TEST_F(SiteTest, RegistrationErrorsKeepWhatWasTyped) {
    Browser b(router_);
    b.Get("/cuenta/registro");
    http::Response r = b.Post("/cuenta/registro",
                              "cui=1234567890123&nombre=Ana+%3Cb%3E&correo=no-es-correo&contrasena=corta");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("Hay un problema"), std::string::npos);
    EXPECT_NE(r.body.find("href=\"#campo-cui\""), std::string::npos);
    EXPECT_NE(r.body.find("href=\"#campo-correo\""), std::string::npos);
    EXPECT_NE(r.body.find("value=\"1234567890123\""), std::string::npos);
    EXPECT_NE(r.body.find("value=\"Ana &lt;b&gt;\""), std::string::npos);
    EXPECT_NE(r.body.find("aria-invalid=\"true\""), std::string::npos);
    // The password is never sent back.
    EXPECT_EQ(r.body.find("corta"), std::string::npos);
}

TEST_F(SiteTest, FormsWithoutTheirTokenAreRefused) {
    std::string email = Citizen(1);
    Browser b(router_);
    // A visitor who never saw the form (no CSRF cookie) and one with a wrong token.
    http::Response r = b.PostRaw("/cuenta/ingresar", "usuario=" + email + "&contrasena=" + kPassword);
    EXPECT_EQ(r.status, 403);
    b.Get("/cuenta/ingresar");
    r = b.PostRaw("/cuenta/ingresar", "csrf=" + std::string(64, '0') + "&usuario=" + email + "&contrasena=" + kPassword);
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(b.cookies().contains("vt_sesion"));
    // Logged in, the anonymous token no longer works: the session's does.
    LogIn(b, email);
    r = b.PostRaw("/cuenta/salir", "csrf=" + std::string(64, 'a'));
    EXPECT_EQ(r.status, 403);
}

TEST_F(SiteTest, WrongPasswordSaysSoAndKeepsTheLogin) {
    std::string email = Citizen(2);
    Browser b(router_);
    b.Get("/cuenta/ingresar");
    http::Response r = b.Post("/cuenta/ingresar", "usuario=" + email + "&contrasena=otra-cosa-mala");
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("El usuario o la contraseña no son correctos."), std::string::npos);
    EXPECT_NE(r.body.find("value=\"" + email + "\""), std::string::npos);
}

TEST_F(SiteTest, LoginReturnsOnlyToPagesOfThisSite) {
    std::string email = Citizen(3);
    Browser b(router_);
    b.Get("/cuenta/ingresar?volver=%2F%2Fmalo.example");
    http::Response r = b.Post("/cuenta/ingresar",
                              "volver=%2F%2Fmalo.example&usuario=" + email + "&contrasena=" + kPassword);
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(Header(r, "Location"), "/");
}

TEST_F(SiteTest, PasswordResetThroughThePages) {
    std::string email = Citizen(4);
    Browser b(router_);
    b.Get("/cuenta/restablecer");
    http::Response r = b.Post("/cuenta/restablecer", "correo=" + email);
    EXPECT_EQ(r.status, 202);
    std::string token = mail_.LastToken("restablecimiento");
    ASSERT_FALSE(token.empty());
    r = b.Get("/cuenta/restablecer?token=" + token);
    EXPECT_NE(r.body.find("name=\"token\" value=\"" + token + "\""), std::string::npos);
    r = b.Post("/cuenta/restablecer", "token=" + token + "&contrasena=corta");
    EXPECT_EQ(r.status, 422);
    r = b.Post("/cuenta/restablecer", "token=" + token + "&contrasena=Otra-frase-segura-9");
    EXPECT_EQ(r.status, 200);
    r = b.Post("/cuenta/restablecer", "token=" + token + "&contrasena=Otra-frase-segura-10");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("El enlace ya no sirve"), std::string::npos);
}

}  // namespace
}  // namespace vt::web::testing

namespace vt::web::testing {
namespace {

TEST_F(SiteTest, EmployerRegisteredAndRepresentativesManagedByItsOwner) {
    std::string owner_email = Citizen(11);
    std::string rep_email = Citizen(12);
    Browser owner(router_);
    LogIn(owner, owner_email);
    owner.Get("/organizaciones");
    http::Response r = owner.Post("/organizaciones", "nit=12345&razon_social=");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("href=\"#campo-nit\""), std::string::npos);
    EXPECT_NE(r.body.find("value=\"12345\""), std::string::npos);
    r = owner.Post("/organizaciones", "nit=576937-K&razon_social=Finca+La+Esperanza%2C+S.A.");
    ASSERT_EQ(r.status, 303) << r.body;
    std::string page = Header(r, "Location");
    r = owner.Get(page);
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Registramos el empleador"), std::string::npos);
    EXPECT_NE(r.body.find("Finca La Esperanza, S.A."), std::string::npos);

    // The owner adds a representative by CUI; a CUI without an account is explained.
    r = owner.Post("/organizaciones/576937-K/representantes", "cui=" + identity::testing::ValidCui(99) + "&rol=representante");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("No hay ninguna cuenta con ese DPI"), std::string::npos);
    r = owner.Post("/organizaciones/576937-K/representantes", "cui=" + identity::testing::ValidCui(12) + "&rol=representante");
    ASSERT_EQ(r.status, 303) << r.body;

    // The representative sees the employer but may not manage it.
    Browser rep(router_);
    LogIn(rep, rep_email);
    r = rep.Get("/organizaciones");
    EXPECT_NE(r.body.find("Finca La Esperanza"), std::string::npos);
    r = rep.Get("/organizaciones/576937-K");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body.find("Agregar un representante"), std::string::npos);
    r = rep.Post("/organizaciones/576937-K/representantes/quitar", "cui=" + identity::testing::ValidCui(11));
    EXPECT_EQ(r.status, 404);

    // A stranger cannot see it at all.
    Browser stranger(router_);
    LogIn(stranger, Citizen(13));
    EXPECT_EQ(stranger.Get("/organizaciones/576937-K").status, 404);

    // The owner removes the representative.
    r = owner.Get("/organizaciones/576937-K");
    r = owner.Post("/organizaciones/576937-K/representantes/quitar", "cui=" + identity::testing::ValidCui(12));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(rep.Get("/organizaciones/576937-K").status, 404);
}

}  // namespace
}  // namespace vt::web::testing
