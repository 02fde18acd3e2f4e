// Publishing definitions to the database and finding them again.
#include "vt/catalog/catalog.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "tests/fixtures.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::catalog {
namespace {

namespace json = boost::json;

std::string WithVersion(int version, std::string name) {
    json::value v = json::parse(testing::kDenuncia);
    v.as_object()["version"] = version;
    v.as_object()["nombre"] = std::move(name);
    return json::serialize(v);
}

TEST(PublishTramite, NewVersionsArePublishedOnceAndOldOnesKept) {
    store::testdb::MigratedStore db(store::testdb::Engine::kSqlite);
    ASSERT_OK(db.status);
    vt::testing::TempDir dir;
    core::SystemClock clock;
    std::ofstream(dir.path() / "denuncia-laboral.json") << WithVersion(1, "Denuncia laboral");
    ASSERT_OK(Registry::Open(*db.store, dir.path(), clock));
    ASSERT_OK(Registry::Open(*db.store, dir.path(), clock));  // idempotent

    // Changing the file without a new version is refused.
    std::ofstream(dir.path() / "denuncia-laboral.json") << WithVersion(1, "Denuncia laboral (cambiada)");
    auto changed = Registry::Open(*db.store, dir.path(), clock);
    ASSERT_FALSE(changed.ok());
    EXPECT_EQ(changed.error().code(), "definition-changed");

    std::ofstream(dir.path() / "denuncia-laboral.json") << WithVersion(2, "Denuncia laboral (v2)");
    auto reg = Registry::Open(*db.store, dir.path(), clock);
    ASSERT_OK(reg);
    EXPECT_EQ((*reg)->Current("denuncia-laboral")->version, 2);
    ASSERT_NE((*reg)->Find("denuncia-laboral", 1), nullptr);
    EXPECT_EQ((*reg)->Find("denuncia-laboral", 1)->name, "Denuncia laboral");
    ASSERT_OK(db.store->Read([](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row r,
                            tx.QueryOne("SELECT count(*) FROM audit_log WHERE object_type = 'tramite_definition'"));
        EXPECT_EQ(r.Int(0), 2);
        return Ok();
    }));
}

Definition Make(std::string id, std::string name, std::string audience, std::string priority, std::string channel) {
    json::object o{{"id", id}, {"version", 1}, {"nombre", name}, {"descripcion", "Descripción de " + name},
                   {"base_legal", "Ley"}, {"audiencia", json::array{json::value(audience)}},
                   {"prioridad", priority}, {"canal", channel}, {"oficina", "DGT"}, {"tema", "empleo"}};
    auto d = ParseDefinition(json::serialize(o), id);
    EXPECT_TRUE(d.ok()) << d.error().message();
    return std::move(d).value();
}

TEST(PublishTramite, SearchIgnoresAccentsAndFilters) {
    std::vector<Definition> defs;
    defs.push_back(Make("permiso-extranjeros", "Permiso de trabajo para extranjeros", "empleador", "prioritario", "presencial"));
    defs.push_back(Make("solvencia", "Solvencia de faltas", "empleador", "prioritario", "presencial"));
    defs.push_back(Make("informacion", "Acceso a la información pública", "ciudadano", "general", "presencial"));
    defs.push_back(Make("inventario", "Inventario de bienes", "interno", "general", "presencial"));
    Registry reg(std::move(defs));
    auto hits = reg.Search({.text = "INFORMACION publica"});
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0]->id, "informacion");
    EXPECT_EQ(reg.Search({.audience = Audience::kEmployer}).size(), 2u);
    EXPECT_EQ(reg.Search({.text = "permiso", .priority = Priority::kGeneral}).size(), 0u);
    EXPECT_EQ(reg.All().front()->id, "informacion");  // ordered by name: "Acceso ..."
}

TEST(PublishTramite, IndicatorsCountPublicServicesByPriority) {
    std::vector<Definition> defs;
    defs.push_back(Make("tramite-a", "A", "ciudadano", "prioritario", "presencial"));
    defs.push_back(Make("tramite-b", "B", "empleador", "prioritario", "presencial"));
    defs.push_back(Make("tramite-c", "C", "ciudadano", "general", "presencial"));
    defs.push_back(Make("tramite-d", "D", "interno", "general", "presencial"));  // not a public service
    auto online = json::parse(testing::kDenuncia);  // prioritario, digital
    auto denuncia = ParseDefinition(json::serialize(online), "d");
    ASSERT_OK(denuncia);
    defs.push_back(std::move(denuncia).value());
    Registry reg(std::move(defs));
    Indicators ind = reg.ComputeIndicators();
    EXPECT_EQ(ind.priority_total, 3);
    EXPECT_EQ(ind.priority_digital, 1);
    EXPECT_EQ(ind.general_total, 1);
    EXPECT_EQ(ind.general_digital, 0);
}

TEST(FoldForSearch, RemovesSpanishAccents) { EXPECT_EQ(FoldForSearch("Petén Ñandú ÁRBOL"), "peten nandu arbol"); }

}  // namespace
}  // namespace vt::catalog
