// Loading and linting trámite definitions.
#include "vt/catalog/catalog.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "tests/fixtures.hpp"
#include "vt/testing.hpp"

namespace vt::catalog {
namespace {

namespace json = boost::json;

// The fixture with one edit applied at a JSON pointer.
std::string Edited(const std::function<void(json::object&)>& edit) {
    json::value v = json::parse(testing::kDenuncia);
    edit(v.as_object());
    return json::serialize(v);
}

TEST(DefineTramite, ParsesACompleteDefinition) {
    auto d = ParseDefinition(testing::kDenuncia, "denuncia-laboral.json");
    ASSERT_OK(d);
    EXPECT_EQ(d->id, "denuncia-laboral");
    EXPECT_EQ(d->version, 2);
    EXPECT_EQ(d->priority, Priority::kPriority);
    EXPECT_EQ(d->form.size(), 16u);
    EXPECT_EQ(d->form.back().type, FieldType::kGroup);
    EXPECT_EQ(d->form.back().fields.size(), 2u);
    EXPECT_EQ(d->workflow.initial, "presentada");
    EXPECT_EQ(d->workflow.From("presentada").size(), 2u);
    EXPECT_EQ(d->workflow.FindTransition("resolver")->issues, "acta");
    EXPECT_EQ(*d->sla_working_days, 15);
    EXPECT_FALSE(d->source.empty());
}

struct LintCase {
    const char* name;
    std::function<void(json::object&)> edit;
    const char* path;    // expected key in fields(), after "file: "
    const char* reason;  // substring of the message
};

class LintTest : public ::testing::TestWithParam<LintCase> {};

TEST_P(LintTest, ReportsFilePathAndReason) {
    const LintCase& c = GetParam();
    auto d = ParseDefinition(Edited(c.edit), "x.json");
    ASSERT_FALSE(d.ok()) << c.name;
    const auto& fields = d.error().fields();
    auto it = fields.find(std::string("x.json: ") + c.path);
    ASSERT_NE(it, fields.end()) << c.name << "\n" << d.error().message();
    EXPECT_NE(it->second.find(c.reason), std::string::npos) << it->second;
}

json::object& Form(json::object& o, std::size_t i) { return o["formulario"].as_array()[i].as_object(); }
json::object& Flow(json::object& o) { return o["flujo"].as_object(); }
json::object& Tr(json::object& o, std::size_t i) { return Flow(o)["transiciones"].as_array()[i].as_object(); }

INSTANTIATE_TEST_SUITE_P(
    Definitions, LintTest,
    ::testing::Values(
        LintCase{"unknown key", [](json::object& o) { o["nombr"] = "x"; }, "$.nombr", "clave desconocida"},
        LintCase{"missing name", [](json::object& o) { o.erase("nombre"); }, "$.nombre", "falta"},
        LintCase{"bad id", [](json::object& o) { o["id"] = "Denuncia Laboral"; }, "$.id", "minúsculas"},
        LintCase{"bad version", [](json::object& o) { o["version"] = 0; }, "$.version", "positivo"},
        LintCase{"bad priority", [](json::object& o) { o["prioridad"] = "alta"; }, "$.prioridad", "prioritario"},
        LintCase{"unknown field type", [](json::object& o) { Form(o, 1)["tipo"] = "dpi"; },
                 "$.formulario[1].tipo", "desconocido"},
        LintCase{"duplicate field", [](json::object& o) { Form(o, 2)["id"] = "cui"; }, "$.formulario[2].id",
                 "repetido"},
        LintCase{"select without options", [](json::object& o) { Form(o, 8).erase("opciones"); },
                 "$.formulario[8].opciones", "opciones"},
        LintCase{"bad regex", [](json::object& o) { Form(o, 13)["patron"] = "([A-Z"; }, "$.formulario[13].patron",
                 "expresión regular"},
        LintCase{"min above max", [](json::object& o) { Form(o, 5)["min"] = 20000; }, "$.formulario[5].min",
                 "mayor que max"},
        LintCase{"condition on later field", [](json::object& o) { Form(o, 1)["visible_si"].as_object()["campo"] = "tipo"; },
                 "$.formulario[1].visible_si.campo", "anterior"},
        LintCase{"bad date bound", [](json::object& o) { Form(o, 7)["fecha_max"] = "mañana"; },
                 "$.formulario[7].fecha_max", "AAAA-MM-DD"},
        LintCase{"file without size", [](json::object& o) { Form(o, 14).erase("max_bytes"); },
                 "$.formulario[14].max_bytes", "falta"},
        LintCase{"unknown initial state", [](json::object& o) { Flow(o)["inicial"] = "nueva"; }, "$.flujo.inicial",
                 "no es un estado"},
        LintCase{"transition to unknown state", [](json::object& o) { Tr(o, 0)["a"] = "archivada"; },
                 "$.flujo.transiciones[0].a", "no es un estado"},
        LintCase{"unknown role", [](json::object& o) { Tr(o, 0)["roles"] = json::array{"recepción"}; },
                 "$.flujo.transiciones[0].roles[0]", "rol desconocido"},
        LintCase{"issues unknown document", [](json::object& o) { Tr(o, 2)["emite"] = "certificado"; },
                 "$.flujo.transiciones[2].emite", "documento"},
        LintCase{"state without exit", [](json::object& o) { Flow(o)["transiciones"].as_array().erase(Flow(o)["transiciones"].as_array().begin() + 2); },
                 "$.flujo.estados[1]", "no tiene salida"},
        LintCase{"terminal with exit", [](json::object& o) { Tr(o, 0)["de"] = json::array{"presentada", "resuelta"}; },
                 "$.flujo.estados[2]", "final no puede"},
        LintCase{"no form when digital", [](json::object& o) { o.erase("formulario"); }, "$.formulario", "falta"},
        LintCase{"link on an in-person trámite",
                 [](json::object& o) {
                     o["canal"] = "presencial";
                     o["enlace"] = "/api/v1/calculadora/prestaciones";
                 },
                 "$.enlace", "solo un servicio digital"},
        LintCase{"link outside the site", [](json::object& o) { o["enlace"] = "https://example.com/x"; }, "$.enlace",
                 "ruta de este sitio"},
        LintCase{"link with a form", [](json::object& o) { o["enlace"] = "/api/v1/calculadora/prestaciones"; },
                 "$.formulario", "quite formulario y flujo"}),
    [](const ::testing::TestParamInfo<LintCase>& info) {
        std::string n = info.param.name;
        for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
        return n;
    });

TEST(DefineTramite, UnreachableStateIsReported) {
    auto d = ParseDefinition(Edited([](json::object& o) {
                                 Flow(o)["estados"].as_array().push_back(
                                     json::object{{"id", "olvidada"}, {"nombre", "Olvidada"}, {"final", true}});
                             }),
                             "x.json");
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().fields().at("x.json: $.flujo.estados[4]"), "inalcanzable desde el estado inicial");
}

TEST(DefineTramite, InPersonTramiteNeedsNoFormOrWorkflow) {
    auto d = ParseDefinition(R"({"id": "licencia-x", "version": 1, "nombre": "Licencia", "descripcion": "d",
        "base_legal": "b", "audiencia": ["empleador"], "prioridad": "general", "canal": "presencial",
        "oficina": "DGT"})",
                             "licencia-x.json");
    ASSERT_OK(d);
    EXPECT_EQ(d->channel, Channel::kInPerson);
}

TEST(DefineTramite, LinkedDigitalServiceNeedsNoFormOrWorkflow) {
    auto d = ParseDefinition(R"({"id": "calculo-x", "version": 1, "nombre": "Cálculo", "descripcion": "d",
        "base_legal": "b", "audiencia": ["ciudadano"], "prioridad": "general", "canal": "digital",
        "oficina": "DGT", "enlace": "/api/v1/calculadora/prestaciones"})",
                             "calculo-x.json");
    ASSERT_OK(d);
    EXPECT_EQ(d->channel, Channel::kDigital);
    EXPECT_EQ(d->link, "/api/v1/calculadora/prestaciones");
    EXPECT_TRUE(d->workflow.states.empty());
    Registry registry({*d});
    EXPECT_EQ(registry.ComputeIndicators().general_digital, 1);
}

TEST(DefineTramite, ReportsAllProblemsAtOnce) {
    auto d = ParseDefinition(Edited([](json::object& o) {
                                 o["prioridad"] = "alta";
                                 o["extra"] = 1;
                                 Form(o, 0)["tipo"] = "booleano";
                             }),
                             "x.json");
    ASSERT_FALSE(d.ok());
    EXPECT_GE(d.error().fields().size(), 3u);
    EXPECT_NE(d.error().message().find("x.json: $.extra: clave desconocida"), std::string::npos) << d.error().message();
}

TEST(DefineTramite, LoadDirectoryChecksFileNamesAndDuplicates) {
    vt::testing::TempDir dir;
    std::ofstream(dir.path() / "denuncia-laboral.json") << testing::kDenuncia;
    std::ofstream(dir.path() / "otro-nombre.json") << testing::kDenuncia;
    std::ofstream(dir.path() / "roto.json") << "{ no es json";
    auto all = LoadDirectory(dir.path());
    ASSERT_FALSE(all.ok());
    const auto& f = all.error().fields();
    EXPECT_TRUE(f.contains("otro-nombre.json: $.id")) << all.error().message();
    EXPECT_TRUE(f.contains("roto.json: $")) << all.error().message();

    std::filesystem::remove(dir.path() / "otro-nombre.json");
    std::filesystem::remove(dir.path() / "roto.json");
    auto ok = LoadDirectory(dir.path());
    ASSERT_OK(ok);
    EXPECT_EQ(ok->size(), 1u);
}

}  // namespace
}  // namespace vt::catalog
