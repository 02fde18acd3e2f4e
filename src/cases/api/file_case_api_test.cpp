// The case endpoints, called through the router as the server would.
#include "vt/cases/api.hpp"

#include <boost/json.hpp>

#include "tests/case_fixture.hpp"
#include "vt/http/route_call.hpp"

namespace vt::cases {
namespace {

namespace json = boost::json;
using testing::Citizen;
using testing::Official;

class CaseApiTest : public testing::CaseTest {
protected:
    void SetUp() override {
        CaseTest::SetUp();
        if (IsSkipped()) return;
        AddCaseRoutes(router_, *service_, *registry_, [this](const http::Request&) -> Result<core::Actor> {
            return actor_;
        });
    }

    http::Response Call(const std::string& method, const std::string& target, const std::string& body = "") {
        return http::testing::CallRoute(router_, method, target, body, headers_);
    }

    http::Router router_;
    http::testing::FakeHeaders headers_;
    core::Actor actor_ = core::Actor::Anonymous();
};

TEST_P(CaseApiTest, FileReadTransitionAndTrack) {
    actor_ = Citizen("ciudadana");
    headers_.values["Idempotency-Key"] = "k1";
    auto res = Call("POST", "/api/v1/expedientes",
                    R"({"tramite": "solicitud-informacion", "respuestas": {"informacion": "Planilla de inspectores 2026."}})");
    ASSERT_EQ(res.status, 201) << res.body;
    auto c = json::parse(res.body).as_object();
    std::string number(c.at("numero").as_string());
    EXPECT_EQ(res.headers.at(0).second, "/api/v1/expedientes/" + number);
    EXPECT_EQ(c.at("plazo").as_string(), "por_vencer");  // the first state has 2 días hábiles
    EXPECT_TRUE(c.at("acciones").as_array().empty());  // citizens take no actions

    auto again = Call("POST", "/api/v1/expedientes",
                      R"({"tramite": "solicitud-informacion", "respuestas": {"informacion": "Planilla de inspectores 2026."}})");
    EXPECT_EQ(json::parse(again.body).at("numero").as_string(), number);

    actor_ = Official("r", "UIP", {"recepcion"});
    auto seen = Call("GET", "/api/v1/expedientes/" + number);
    ASSERT_EQ(seen.status, 200);
    auto actions = json::parse(seen.body).at("acciones").as_array();
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0].at("id").as_string(), "admitir");

    auto moved = Call("POST", "/api/v1/expedientes/" + number + "/transiciones",
                      R"({"transicion": "admitir", "comentario": "Completa.", "revision": 1})");
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(json::parse(moved.body).at("estado").at("id").as_string(), "en_tramite");
    auto stale = Call("POST", "/api/v1/expedientes/" + number + "/transiciones",
                      R"({"transicion": "admitir", "revision": 1})");
    EXPECT_EQ(stale.status, 409);

    std::string code(c.at("codigo_seguimiento").as_string());
    actor_ = core::Actor::Anonymous();
    auto track = Call("GET", "/api/v1/seguimiento/" + code);
    ASSERT_EQ(track.status, 200);
    EXPECT_EQ(track.body.find("Planilla"), std::string::npos);  // no answers in public tracking
    EXPECT_EQ(json::parse(track.body).at("estado").at("nombre").as_string(), "En trámite");
    EXPECT_EQ(Call("GET", "/api/v1/expedientes/" + number).status, 404);
}

TEST_P(CaseApiTest, BadRequestsGetPreciseErrors) {
    actor_ = Citizen("c");
    EXPECT_EQ(Call("POST", "/api/v1/expedientes", "{no json").status, 400);
    auto missing = Call("POST", "/api/v1/expedientes", R"({"respuestas": 5, "extra": 1})");
    EXPECT_EQ(missing.status, 422);
    auto fields = json::parse(missing.body).at("error").at("fields").as_object();
    EXPECT_TRUE(fields.contains("tramite"));
    EXPECT_TRUE(fields.contains("respuestas"));
    EXPECT_TRUE(fields.contains("extra"));
    auto invalid = Call("POST", "/api/v1/expedientes", R"({"tramite": "solicitud-informacion", "respuestas": {}})");
    EXPECT_EQ(invalid.status, 422);
    EXPECT_EQ(json::parse(invalid.body).at("error").at("fields").at("informacion").as_string(), "Este dato es obligatorio.");
    EXPECT_EQ(Call("POST", "/api/v1/expedientes", R"({"tramite": "no-existe"})").status, 404);
    EXPECT_EQ(Call("GET", "/api/v1/seguimiento/XXXX").status, 404);
    actor_ = core::Actor::Anonymous();
    auto internal = Call("POST", "/api/v1/expedientes", R"({"tramite": "soporte-tecnico", "respuestas": {"problema": "x"}})");
    EXPECT_EQ(internal.status, 401);  // anonymous: log in first
}

TEST_P(CaseApiTest, InboxAndReportForOfficials) {
    actor_ = Citizen("c");
    ASSERT_EQ(Call("POST", "/api/v1/expedientes",
                   R"({"tramite": "solicitud-informacion", "respuestas": {"informacion": "Estadísticas de empleo 2025."}})")
                  .status,
              201);
    auto mine = Call("GET", "/api/v1/expedientes");
    ASSERT_EQ(mine.status, 200);
    EXPECT_EQ(json::parse(mine.body).at("expedientes").as_array().size(), 1u);
    EXPECT_EQ(Call("GET", "/api/v1/informes/sla?desde=2026-01-01&hasta=2026-12-31").status, 403);
    actor_ = Official("j", "UIP", {"jefe"});
    auto inbox = Call("GET", "/api/v1/expedientes?vencidos=0");
    ASSERT_EQ(inbox.status, 200);
    EXPECT_EQ(json::parse(inbox.body).at("expedientes").as_array().size(), 1u);
    auto report = Call("GET", "/api/v1/informes/sla?desde=2026-01-01&hasta=2026-12-31");
    ASSERT_EQ(report.status, 200) << report.body;
    EXPECT_EQ(json::parse(report.body).at("por_tramite").as_array().at(0).at("presentados").as_int64(), 1);
    EXPECT_EQ(Call("GET", "/api/v1/informes/sla?desde=ayer&hasta=2026-12-31").status, 422);
}

VT_CASE_TEST_ENGINES(CaseApiTest);

}  // namespace
}  // namespace vt::cases
