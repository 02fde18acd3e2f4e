// The catalog endpoints, called through the router.
#include "vt/catalog/api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/fixtures.hpp"
#include "vt/http/route_call.hpp"
#include "vt/testing.hpp"

namespace vt::catalog {
namespace {

namespace json = boost::json;

class BrowseCatalogTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto d = ParseDefinition(testing::kDenuncia, "denuncia-laboral.json");
        ASSERT_OK(d);
        std::vector<Definition> defs;
        defs.push_back(std::move(d).value());
        registry_ = std::make_unique<Registry>(std::move(defs));
        AddCatalogRoutes(router_, *registry_);
    }
    http::Response Get(const std::string& path, const std::string& query = "") {
        std::string target = query.empty() ? path : path + "?" + query;
        return http::testing::CallRoute(router_, "GET", target, "", http::testing::FakeHeaders());
    }
    std::unique_ptr<Registry> registry_;
    http::Router router_;
};

TEST_F(BrowseCatalogTest, ListsSearchesAndFilters) {
    auto all = Get("/api/v1/tramites");
    ASSERT_EQ(all.status, 200);
    EXPECT_EQ(json::parse(all.body).at("total").as_int64(), 1);
    EXPECT_EQ(json::parse(Get("/api/v1/tramites", "q=inspeccion").body).at("total").as_int64(), 1);
    EXPECT_EQ(json::parse(Get("/api/v1/tramites", "audiencia=empleador").body).at("total").as_int64(), 0);
    auto bad = Get("/api/v1/tramites", "canal=fax");
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(json::parse(bad.body).at("error").at("fields").as_object().contains("canal"));
}

TEST_F(BrowseCatalogTest, ShowsOneDefinition) {
    auto one = Get("/api/v1/tramites/denuncia-laboral");
    ASSERT_EQ(one.status, 200);
    auto v = json::parse(one.body);
    EXPECT_EQ(v.at("formulario").as_array().size(), 16u);
    EXPECT_EQ(v.at("resumen").at("prioridad").as_string(), "prioritario");
    EXPECT_EQ(Get("/api/v1/tramites/no-existe").status, 404);
}

TEST_F(BrowseCatalogTest, IndicatorsAgainstTargets) {
    auto res = Get("/api/v1/indicadores");
    ASSERT_EQ(res.status, 200);
    auto v = json::parse(res.body);
    EXPECT_EQ(v.at("prioritarios").at("porcentaje").as_double(), 100.0);
    EXPECT_EQ(v.at("metas").as_array().size(), 2u);
}

}  // namespace
}  // namespace vt::catalog
