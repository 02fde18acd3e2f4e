// The public pages and the rules every page follows: escaping, security headers, caching
// of the stylesheet.
#include "site_fixture.hpp"

namespace vt::web::testing {
namespace {

TEST_F(SiteTest, HomeIsSpanishHtmlWithSecurityHeadersAndTheCatalog) {
    Browser b(router_);
    http::Response r = b.Get("/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_NE(r.body.find("<html lang=\"es-GT\">"), std::string::npos);
    EXPECT_NE(r.body.find("Solicitud de acceso a la información pública"), std::string::npos);
    EXPECT_NE(Header(r, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
    // An anonymous visitor gets the CSRF cookie its forms are checked against.
    EXPECT_EQ(b.cookies()["vt_csrf"].size(), 64u);
}

TEST_F(SiteTest, CatalogSearchesAndFilters) {
    Browser b(router_);
    http::Response r = b.Get("/tramites?q=denuncia");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("/tramites/denuncia-laboral"), std::string::npos);
    EXPECT_EQ(r.body.find("/tramites/acceso-informacion-publica\""), std::string::npos);
    // The filter keeps what was chosen.
    r = b.Get("/tramites?canal=presencial&q=zzzz");
    EXPECT_NE(r.body.find("No hay trámites con esos criterios"), std::string::npos);
    EXPECT_NE(r.body.find("<option value=\"presencial\" selected>"), std::string::npos);
}

TEST_F(SiteTest, WhatVisitorsTypeComesBackAsText) {
    Browser b(router_);
    http::Response r = b.Get("/tramites?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    EXPECT_EQ(r.body.find("<script>alert(1)"), std::string::npos);
    EXPECT_NE(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    r = b.Get("/seguimiento?codigo=%3Cimg%20src%3Dx%3E");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find("<img src=x>"), std::string::npos);
    EXPECT_NE(r.body.find("&lt;img src=x&gt;"), std::string::npos);
}

TEST_F(SiteTest, TrámiteSheetAndUnknownTrámite) {
    Browser b(router_);
    http::Response r = b.Get("/tramites/acceso-informacion-publica");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Decreto 57-2008"), std::string::npos);
    EXPECT_NE(r.body.find("10 días hábiles"), std::string::npos);
    EXPECT_NE(r.body.find("href=\"/tramites/acceso-informacion-publica/solicitud\""), std::string::npos);
    r = b.Get("/tramites/no-existe");
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("No encontramos la página"), std::string::npos);
}

TEST_F(SiteTest, TrackingShowsStatusWithoutPersonalData) {
    cases::SubmitRequest req;
    req.tramite_id = "acceso-informacion-publica";
    req.answers = boost::json::object{{"informacion", "Planilla del ministerio de 2025, por favor."},
                                      {"formato", "electronico"},
                                      {"identificarse", true},
                                      {"nombre", "Nombre Muy Privado"}};
    auto filed = cases_->Submit(core::Actor::Anonymous(), req);
    ASSERT_OK(filed);
    Browser b(router_);
    http::Response r = b.Get("/seguimiento?codigo=" + filed->tracking_code);
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Presentada"), std::string::npos);
    EXPECT_NE(r.body.find("25 de noviembre de 2026"), std::string::npos);
    EXPECT_EQ(r.body.find("Nombre Muy Privado"), std::string::npos);
    r = b.Get("/seguimiento?codigo=ZZZZ-ZZZZ-ZZZZ");
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("href=\"#campo-codigo\""), std::string::npos);
}

TEST_F(SiteTest, StylesheetIsCachedForeverUnderItsHash) {
    Browser b(router_);
    std::string path = "/static/" + StylesheetFile();
    EXPECT_NE(b.Get("/").body.find(path), std::string::npos);
    http::Response r = b.Get(path);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/css; charset=utf-8");
    EXPECT_EQ(Header(r, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_GT(r.BodySize(), 1000u);
    EXPECT_EQ(b.Get("/static/estilo.000000000000.css").status, 404);
}

}  // namespace
}  // namespace vt::web::testing
