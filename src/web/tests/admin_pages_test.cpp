// Administration through the pages: offices, officials and roles, accounts enabled and
// disabled, API tokens; and nobody else gets in.
#include "site_fixture.hpp"

namespace vt::web::testing {
namespace {

class AdminPagesTest : public SiteTest {
protected:
    void SetUp() override {
        SiteTest::SetUp();
        auto admin = identity_->BootstrapAdministrator("admin@mintrabajo.gob.gt", "Administración", kPassword);
        ASSERT_OK(admin);
        admin_id_ = *admin;
        ASSERT_OK(identity_->CreateOffice(core::Actor::System(), {"UIP", "Unidad de Información Pública", "0101"}));
        ASSERT_OK(identity_->CreateOffice(core::Actor::System(), {"IGT", "Inspección General de Trabajo", "0101"}));
    }

    static std::size_t Find(const http::Response& r, const std::string& text) { return r.body.find(text); }

    std::string admin_id_;
};

TEST_F(AdminPagesTest, AnAdministratorCreatesAnOfficialAndChangesTheirRoles) {
    Browser b(router_);
    LogIn(b, "admin@mintrabajo.gob.gt");
    http::Response r = b.Get("/admin");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(Find(r, "<th scope=\"row\">UIP</th><td>Unidad de Información Pública</td><td>Guatemala (0101)</td>"),
              std::string::npos);
    EXPECT_NE(Find(r, "name=\"funcionario-roles\" value=\"firma\""), std::string::npos);

    // Missing data: 422, every message, what was typed kept.
    r = b.Post("/admin/funcionarios", "funcionario-correo=ana%40mintrabajo.gob.gt&funcionario-nombre=Ana+D%C3%ADaz"
                                      "&funcionario-oficina=UIP");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_NE(Find(r, "href=\"#campo-funcionario-roles\""), std::string::npos);
    EXPECT_NE(Find(r, "value=\"ana@mintrabajo.gob.gt\""), std::string::npos);
    EXPECT_NE(Find(r, "value=\"UIP\" id=\"f-funcionario-oficina-2\" checked"), std::string::npos);

    r = b.Post("/admin/funcionarios", "funcionario-correo=ana%40mintrabajo.gob.gt&funcionario-nombre=Ana+D%C3%ADaz"
                                      "&funcionario-oficina=UIP&funcionario-roles=recepcion&funcionario-roles=analista");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(Header(r, "Location"), "/admin?hecho=funcionario-creado#funcionarios");
    EXPECT_FALSE(mail_.LastToken("activacion").empty());
    r = b.Get("/admin?hecho=funcionario-creado");
    EXPECT_NE(Find(r, "La cuenta quedó creada."), std::string::npos);
    EXPECT_NE(Find(r, "UIP: Análisis, Recepción"), std::string::npos);

    auto staff = identity_->ListStaff(core::Actor::System());
    ASSERT_OK(staff);
    std::string ana;
    for (const auto& a : *staff) {
        if (a.email == "ana@mintrabajo.gob.gt") ana = a.id;
    }
    ASSERT_FALSE(ana.empty());
    r = b.Get("/admin/funcionarios/" + ana);
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(Find(r, "name=\"roles\" value=\"recepcion\" id=\"f-roles-1\" checked"), std::string::npos);
    r = b.Post("/admin/funcionarios/" + ana + "/roles", "oficina=IGT");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(Find(r, "href=\"#campo-roles\""), std::string::npos);
    r = b.Post("/admin/funcionarios/" + ana + "/roles", "oficina=IGT&roles=inspector&roles=firma");
    ASSERT_EQ(r.status, 303) << r.body;
    auto changed = identity_->GetStaff(core::Actor::System(), ana);
    ASSERT_OK(changed);
    EXPECT_EQ(changed->office, "IGT");
    EXPECT_EQ(changed->roles, (std::vector<std::string>{"firma", "inspector"}));

    // Disabling and enabling again.
    r = b.Post("/admin/funcionarios/" + ana + "/estado", "activa=no");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(Header(r, "Location"), "/admin?hecho=cuenta-desactivada#funcionarios");
    EXPECT_FALSE(identity_->GetStaff(core::Actor::System(), ana)->active);
    EXPECT_EQ(b.Post("/admin/funcionarios/" + ana + "/estado", "activa=si").status, 303);
    EXPECT_TRUE(identity_->GetStaff(core::Actor::System(), ana)->active);

    // A lost phone: the second factor is reset and enrolled again at the next login.
    EXPECT_EQ(Find(b.Get("/admin/funcionarios/" + ana), "Restablecer el segundo factor"), std::string::npos);
    auto started = identity_->BeginTotpEnrolment(ana);
    ASSERT_OK(started);
    ASSERT_OK(identity_->ConfirmTotpEnrolment(ana, TotpCodeAt(started->secret_base32, clock_.Now())));
    EXPECT_NE(Find(b.Get("/admin/funcionarios/" + ana), "Restablecer el segundo factor"), std::string::npos);
    r = b.Post("/admin/funcionarios/" + ana + "/segundo-factor", "");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(Header(r, "Location"), "/admin?hecho=segundo-factor-restablecido#funcionarios");
    EXPECT_FALSE(identity_->GetStaff(core::Actor::System(), ana)->second_factor);
}

TEST_F(AdminPagesTest, OfficesAndTokens) {
    Browser b(router_);
    LogIn(b, "admin@mintrabajo.gob.gt");
    b.Get("/admin");
    http::Response r = b.Post("/admin/oficinas", "oficina-codigo=1x&oficina-nombre=&oficina-municipio=9999");
    ASSERT_EQ(r.status, 422);
    EXPECT_NE(Find(r, "href=\"#campo-oficina-codigo\""), std::string::npos);
    EXPECT_NE(Find(r, "href=\"#campo-oficina-municipio\""), std::string::npos);
    r = b.Post("/admin/oficinas", "oficina-codigo=UIP&oficina-nombre=Otra&oficina-municipio=0101");
    EXPECT_EQ(r.status, 409);
    r = b.Post("/admin/oficinas", "oficina-codigo=dep-que&oficina-nombre=Departamental+de+Quetzaltenango"
                                  "&oficina-municipio=0901");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(identity_->ListOffices(core::Actor::System())->size(), 3u);

    // A token is shown once, on the page that issues it.
    r = b.Post("/admin/tokens", "token-cliente=Banco+de+prueba&token-alcances=catalogo&token-vence=2027-12-31");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_NE(Find(r, "no se volverá a mostrar"), std::string::npos);
    EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
    auto tokens = identity_->ListApiTokens(core::Actor::System());
    ASSERT_OK(tokens);
    ASSERT_EQ(tokens->size(), 1u);
    r = b.Get("/admin");
    EXPECT_NE(Find(r, "<th scope=\"row\">Banco de prueba</th><td>catalogo</td>"), std::string::npos);
    EXPECT_NE(Find(r, "31 de diciembre de 2027"), std::string::npos);
    r = b.Post("/admin/tokens", "token-cliente=Otro&token-vence=31%2F12%2F2027");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(Find(r, "href=\"#campo-token-vence\""), std::string::npos);
    EXPECT_NE(Find(r, "value=\"Otro\""), std::string::npos);
    r = b.Post("/admin/tokens/" + (*tokens)[0].id + "/revocacion", "");
    ASSERT_EQ(r.status, 303);
    EXPECT_TRUE(identity_->ListApiTokens(core::Actor::System())->at(0).revoked_at.has_value());
    r = b.Get("/admin?hecho=token-revocado");
    EXPECT_NE(Find(r, "El token quedó revocado"), std::string::npos);
    // ?hecho= only selects a fixed message; anything else shows nothing.
    r = b.Get("/admin?hecho=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    EXPECT_EQ(Find(r, "alert(1)"), std::string::npos);
}

TEST_F(AdminPagesTest, OnlyAdministratorsGetIn) {
    auto created = identity_->CreateOfficial(core::Actor::System(),
                                             {"jefa@mintrabajo.gob.gt", "Julia Jefa", "UIP", {"jefe"}});
    ASSERT_OK(created);
    ASSERT_OK(identity_->ResetPassword(mail_.LastToken("activacion"), kPassword));
    Browser official(router_);
    LogIn(official, "jefa@mintrabajo.gob.gt");
    EXPECT_EQ(official.Get("/admin").status, 403);
    EXPECT_EQ(official.Get("/admin/funcionarios/" + created->id).status, 403);
    http::Response r = official.Post("/admin/funcionarios/" + created->id + "/roles", "oficina=UIP&roles=firma");
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(identity_->GetStaff(core::Actor::System(), created->id)->roles, (std::vector<std::string>{"jefe"}));
    EXPECT_EQ(official.Post("/admin/oficinas", "oficina-codigo=XX&oficina-nombre=X&oficina-municipio=0101").status,
              403);

    Browser citizen(router_);
    LogIn(citizen, Citizen(1));
    EXPECT_EQ(citizen.Get("/admin").status, 403);
    Browser anonymous(router_);
    r = anonymous.Get("/admin");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(Header(r, "Location"), "/cuenta/ingresar?volver=/admin");
}

}  // namespace
}  // namespace vt::web::testing
