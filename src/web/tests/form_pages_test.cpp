// Filing a trámite through the pages generated from its definition.
#include <regex>

#include "page.hpp"
#include "site_fixture.hpp"

namespace vt::web::testing {
namespace {

// The hidden state of the form on a page, to send it back as the browser would.
std::string Hidden(const std::string& html, const std::string& name) {
    std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
    std::smatch m;
    if (!std::regex_search(html, m, re)) return {};
    std::string v = m[1];
    // Undo the HTML escaping of the value, then URL-encode it for the body.
    for (auto [from, to] : {std::pair{"&quot;", "\""}, {"&apos;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
        for (std::size_t at = v.find(from); at != std::string::npos; at = v.find(from, at + 1)) {
            v.replace(at, std::string(from).size(), to);
        }
    }
    return UrlEncode(v);
}

std::string State(const std::string& html) {
    return "respuestas=" + Hidden(html, "respuestas") + "&archivos=" + Hidden(html, "archivos") +
           "&clave=" + Hidden(html, "clave") + "&borrador=" + Hidden(html, "borrador") +
           "&paso=" + Hidden(html, "paso");
}

constexpr const char* kPath = "/tramites/acceso-informacion-publica/solicitud";

TEST_F(SiteTest, AnonymousFilingStepByStepWithReviewAndReceipt) {
    Browser b(router_);
    http::Response r = b.Get(kPath);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("Paso 1 de 2"), std::string::npos);
    EXPECT_NE(r.body.find("name=\"informacion\""), std::string::npos);
    EXPECT_EQ(r.body.find("name=\"nombre\""), std::string::npos);  // depends on "identificarse"

    // Too short: the page comes back with the summary, the message and the text typed.
    std::string page = r.body;
    r = b.Post(kPath, State(page) + "&informacion=Poco%20%3Cb%3E&formato=copia&identificarse=no&accion=continuar");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("href=\"#campo-informacion\""), std::string::npos);
    EXPECT_NE(r.body.find("Poco &lt;b&gt;</textarea>"), std::string::npos);
    EXPECT_NE(r.body.find("value=\"copia\" id=\"f-formato-2\" checked"), std::string::npos);

    // Nothing answered: one summary box listing the three questions, even on the first step
    // (whose view has its own "primero").
    http::Response empty = b.Post(kPath, State(r.body) + "&accion=continuar");
    ASSERT_EQ(empty.status, 422) << empty.body;
    auto count = [&empty](const std::string& what) {
        std::size_t n = 0;
        for (std::size_t at = empty.body.find(what); at != std::string::npos; at = empty.body.find(what, at + 1)) ++n;
        return n;
    };
    EXPECT_EQ(count("class=\"resumen-errores\""), 1u);
    EXPECT_EQ(count("<li><a href=\"#campo-"), 3u);

    // Not identifying: the personal-data page is skipped and the review follows.
    page = r.body;
    r = b.Post(kPath, State(page) +
                          "&informacion=Planillas%20de%20la%20sede%20central%20de%202025%20%3Cscript%3E"
                          "&formato=copia&identificarse=no&accion=continuar");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("Revise sus respuestas"), std::string::npos);
    EXPECT_NE(r.body.find("Copia impresa"), std::string::npos);
    EXPECT_EQ(r.body.find("<script>"), std::string::npos);
    EXPECT_NE(r.body.find("&lt;script&gt;"), std::string::npos);

    page = r.body;
    r = b.Post(kPath, State(page) + "&accion=enviar");
    ASSERT_EQ(r.status, 201) << r.body;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.body, m, std::regex("MTPS-2026-[0-9]{6}")));
    std::string number = m[0];
    EXPECT_NE(r.body.find("código de seguimiento"), std::string::npos);

    // Sending again (a reload, a double tap) returns the same case.
    r = b.Post(kPath, State(page) + "&accion=enviar");
    ASSERT_EQ(r.status, 201);
    EXPECT_NE(r.body.find(number), std::string::npos);
}

TEST_F(SiteTest, ChangingAnAnswerFromTheReviewPage) {
    Browser b(router_);
    std::string page = b.Get(kPath).body;
    page = b.Post(kPath, State(page) +
                             "&informacion=Lista%20de%20inspecciones%20de%202025&formato=consulta"
                             "&identificarse=si&accion=continuar")
               .body;
    // Identifying: the second page asks for the name.
    EXPECT_NE(page.find("name=\"nombre\""), std::string::npos);
    http::Response r = b.Post(kPath, State(page) + "&nombre=&correo=&telefono=&accion=continuar");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("href=\"#campo-nombre\""), std::string::npos);
    page = b.Post(kPath, State(r.body) + "&nombre=Ana%20L%C3%B3pez&correo=&telefono=&accion=continuar").body;
    EXPECT_NE(page.find("Ana López"), std::string::npos);
    // "Cambiar" the first answer, then go straight on: the second page's answers are kept.
    page = b.Post(kPath, State(page) + "&accion=ir%3A0").body;
    EXPECT_NE(page.find("Lista de inspecciones de 2025</textarea>"), std::string::npos);
    page = b.Post(kPath, State(page) +
                             "&informacion=Lista%20de%20inspecciones%20de%202024&formato=consulta"
                             "&identificarse=si&accion=continuar")
               .body;
    EXPECT_NE(page.find("value=\"Ana López\""), std::string::npos);
    // Saying no now hides the name, and it is not sent.
    page = b.Post(kPath, State(page) + "&accion=volver").body;
    page = b.Post(kPath, State(page) +
                             "&informacion=Lista%20de%20inspecciones%20de%202024&formato=consulta"
                             "&identificarse=no&accion=continuar")
               .body;
    EXPECT_NE(page.find("Revise sus respuestas"), std::string::npos);
    EXPECT_EQ(page.find("Ana López"), std::string::npos);
    r = b.Post(kPath, State(page) + "&accion=enviar");
    EXPECT_EQ(r.status, 201) << r.body;
}

TEST_F(SiteTest, LoggedInPeopleKeepADraftAndFindTheirCase) {
    std::string email = Citizen(1);
    Browser b(router_);
    LogIn(b, email);
    std::string page = b.Get(kPath).body;
    http::Response r = b.Post(kPath, State(page) +
                                         "&informacion=Contratos%20de%20limpieza%20de%202025&formato=electronico"
                                         "&identificarse=no&accion=guardar");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(Header(r, "Location"), "/mis-tramites?hecho=borrador");
    r = b.Get("/mis-tramites?hecho=borrador");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Guardamos su borrador"), std::string::npos);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.body, m, std::regex("solicitud\\?borrador=([0-9a-f]+)")));
    // Continuing the draft shows what was saved.
    page = b.Get(std::string(kPath) + "?borrador=" + std::string(m[1])).body;
    EXPECT_NE(page.find("Contratos de limpieza de 2025</textarea>"), std::string::npos);
    page = b.Post(kPath, State(page) +
                             "&informacion=Contratos%20de%20limpieza%20de%202025&formato=electronico"
                             "&identificarse=no&accion=continuar")
               .body;
    r = b.Post(kPath, State(page) + "&accion=enviar");
    ASSERT_EQ(r.status, 201) << r.body;
    ASSERT_TRUE(std::regex_search(r.body, m, std::regex("MTPS-2026-[0-9]{6}")));
    std::string number = m[0];
    // The draft is gone and the case is listed, with its own page.
    r = b.Get("/mis-tramites");
    EXPECT_EQ(r.body.find("solicitud?borrador="), std::string::npos);
    EXPECT_NE(r.body.find("/mis-tramites/" + number), std::string::npos);
    r = b.Get("/mis-tramites/" + number);
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Contratos de limpieza de 2025"), std::string::npos);

    // Another citizen cannot open it: the same answer as a number that does not exist.
    Browser other(router_);
    LogIn(other, Citizen(2));
    http::Response theirs = other.Get("/mis-tramites/" + number);
    http::Response missing = other.Get("/mis-tramites/MTPS-2026-999999");
    EXPECT_EQ(theirs.status, 404);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(theirs.body.find("Contratos de limpieza"), std::string::npos);
}

TEST_F(SiteTest, MyPagesNeedALogin) {
    Browser b(router_);
    http::Response r = b.Get("/mis-tramites");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(Header(r, "Location"), "/cuenta/ingresar?volver=/mis-tramites");
}

TEST_F(SiteTest, StaleFormStateIsHandledNotTrusted) {
    Browser b(router_);
    std::string page = b.Get(kPath).body;
    // A tampered answer set (a field the form does not have) is refused at sending, with a
    // message, not a crash.
    http::Response r = b.Post(kPath, "respuestas=" + UrlEncode(R"({"informacion":"Algo suficientemente largo","formato":"copia","identificarse":false,"extra":1})") +
                                         "&clave=" + Hidden(page, "clave") + "&paso=revision&accion=enviar");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("Este dato no pertenece al formulario."), std::string::npos);
    r = b.Post(kPath, "respuestas=%7Bno-es-json&paso=99&accion=continuar");
    EXPECT_LT(r.status, 500);
}

}  // namespace
}  // namespace vt::web::testing
