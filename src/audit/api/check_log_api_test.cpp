// Checking the log from outside: the public endpoints, called through the router, give
// everything a client needs to verify tree heads and proofs on its own.
#include <boost/json.hpp>

#include "tests/log_fixture.hpp"
#include "vt/audit/api.hpp"

namespace vt::audit {
namespace {

namespace json = boost::json;
using testing::AppendOne;
using testing::LogTest;
using testing::SomeEntry;

class CheckLogApiTest : public LogTest {
protected:
    void SetUp() override {
        LogTest::SetUp();
        if (IsSkipped()) return;
        log_ = std::make_unique<AuditLog>(store(), key_, clock_);
        AddAuditRoutes(router_, *log_);
    }
    http::Response Get(const std::string& path, const std::string& query = "") {
        auto m = router_.Find("GET", path);
        if (!m.route) return http::ErrorResponse(Error::NotFound("ruta"));
        http::Request req;
        req.method = "GET";
        req.path = path;
        req.query = query;
        return m.route->handler(req);
    }
    static Hash HashOf(const json::value& v) {
        auto bytes = FromBase64(v.as_string());
        EXPECT_TRUE(bytes.ok());
        return bytes.ok() && bytes->size() == kHashSize ? HashFromBytes(*bytes) : Hash{};
    }
    static std::vector<Hash> HashesOf(const json::value& v) {
        std::vector<Hash> out;
        for (const auto& h : v.as_array()) out.push_back(HashOf(h));
        return out;
    }
    // Checks a tree head as a client would: with the published key only.
    void ExpectSigned(const json::value& sth) {
        SignedTreeHead h;
        h.tree_size = sth.at("tamano").as_int64();
        h.timestamp_ms = sth.at("marca_tiempo").as_int64();
        h.root = HashOf(sth.at("raiz"));
        h.signature = *FromBase64(sth.at("firma").as_string());
        auto published = json::parse(Get("/api/v1/audit/clave-publica").body);
        EXPECT_TRUE(VerifyTreeHead(h, *FromBase64(published.at("clave_publica").as_string())));
        EXPECT_EQ(sth.at("id_clave").as_string(), published.at("id_clave").as_string());
    }
    std::string FieldsOf(const http::Response& r) {
        EXPECT_EQ(r.status, 422) << r.body;
        std::string out;
        json::value body = json::parse(r.body);
        for (const auto& [k, v] : body.at("error").at("fields").as_object())
            out += std::string(k) + ";";
        return out;
    }

    core::FrozenClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}};
    LogKey key_ = LogKey::Generate();
    std::unique_ptr<AuditLog> log_;
    http::Router router_;
};

TEST_P(CheckLogApiTest, TreeHeadsAndProofsVerifyWithThePublishedKey) {
    auto empty = Get("/api/v1/audit/sth");
    ASSERT_EQ(empty.status, 200) << empty.body;
    json::value sth0 = json::parse(empty.body);
    EXPECT_EQ(sth0.at("tamano").as_int64(), 0);
    EXPECT_EQ(HashOf(sth0.at("raiz")), EmptyRoot());
    ExpectSigned(sth0);

    for (int i = 0; i < 5; ++i) ASSERT_OK(AppendOne(store(), SomeEntry(i)));
    auto inclusion = Get("/api/v1/audit/prueba-inclusion", "indice=2");
    ASSERT_EQ(inclusion.status, 200) << inclusion.body;
    json::value p = json::parse(inclusion.body);
    ExpectSigned(p.at("sth"));
    EXPECT_EQ(p.at("tamano").as_int64(), 5);
    Hash leaf = HashLeaf(p.at("entrada").as_string());
    EXPECT_EQ(leaf, HashOf(p.at("hoja")));
    EXPECT_TRUE(
        VerifyInclusion(2, 5, leaf, HashesOf(p.at("ruta")), HashOf(p.at("sth").at("raiz"))));

    auto sized = json::parse(Get("/api/v1/audit/prueba-inclusion", "indice=1&tamano=3").body);
    EXPECT_FALSE(sized.as_object().contains("sth"));
    EXPECT_TRUE(VerifyInclusion(1, 3, HashOf(sized.at("hoja")), HashesOf(sized.at("ruta")),
                                HashOf(sized.at("raiz"))));

    auto consistency = Get("/api/v1/audit/prueba-consistencia", "desde=2&hasta=5");
    ASSERT_EQ(consistency.status, 200) << consistency.body;
    json::value c = json::parse(consistency.body);
    EXPECT_TRUE(VerifyConsistency(2, 5, HashOf(c.at("raiz_desde")), HashOf(c.at("raiz_hasta")),
                                  HashesOf(c.at("prueba"))));
    EXPECT_EQ(HashOf(c.at("raiz_hasta")), HashOf(p.at("sth").at("raiz")));

    // From the first published head to the current one.
    auto since_empty = json::parse(Get("/api/v1/audit/prueba-consistencia", "desde=1").body);
    EXPECT_EQ(since_empty.at("hasta").as_int64(), 5);
    ExpectSigned(since_empty.at("sth"));
}

TEST_P(CheckLogApiTest, BadParametersAre422WithOneMessageEach) {
    for (int i = 0; i < 3; ++i) ASSERT_OK(AppendOne(store(), SomeEntry(i)));
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-inclusion")), "indice;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-inclusion", "indice=dos")), "indice;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-inclusion", "indice=1e3")), "indice;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-inclusion", "indice=99999999999999999999")),
              "indice;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-inclusion", "indice=3")), "indice;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-inclusion", "indice=-1")), "indice;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-inclusion", "indice=0&tamano=4")), "tamano;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-inclusion", "indice=x&tamano=y")),
              "indice;tamano;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-consistencia")), "desde;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-consistencia", "desde=3&hasta=2")), "desde;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-consistencia", "desde=0&hasta=2")), "desde;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-consistencia", "desde=1&hasta=4")), "hasta;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-consistencia", "desde=4")), "desde;");
    EXPECT_EQ(FieldsOf(Get("/api/v1/audit/prueba-consistencia", "desde=uno&hasta=dos")),
              "desde;hasta;");
    auto message = json::parse(Get("/api/v1/audit/prueba-inclusion", "indice=dos").body);
    EXPECT_EQ(message.at("error").at("fields").at("indice").as_string(),
              "Debe ser un número entero.");
}

VT_LOG_TEST_ENGINES(CheckLogApiTest);

}  // namespace
}  // namespace vt::audit
