#pragma once
// A trámite that issues a certificate, a frozen clock, a case service and a documents
// service on a real store and a scratch data directory, for the scenario tests.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "vt/cases/cases.hpp"
#include "vt/documents/documents.hpp"
#include "vt/pdf/pdf_text.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::documents::testing {

inline const std::string kConstancia = R"({
  "id": "constancia-laboral",
  "version": 1,
  "nombre": "Constancia de relación laboral",
  "descripcion": "Solicite una constancia de su relación laboral.",
  "base_legal": "Código de Trabajo, Art. 18",
  "audiencia": ["ciudadano"],
  "prioridad": "prioritario",
  "canal": "digital",
  "oficina": "IGT",
  "requisitos": [
    {"id": "dpi", "nombre": "Copia del DPI", "obligatorio": true, "tipos": ["application/pdf", "image/*"], "max_bytes": 4096}
  ],
  "formulario": [
    {"id": "nombre", "tipo": "texto", "etiqueta": "Nombre completo", "obligatorio": true},
    {"id": "empleador", "tipo": "texto", "etiqueta": "Empleador", "obligatorio": true},
    {"id": "inicio", "tipo": "fecha", "etiqueta": "Fecha de inicio", "obligatorio": true},
    {"id": "salario", "tipo": "dinero", "etiqueta": "Salario mensual", "obligatorio": true},
    {"id": "contrato", "tipo": "archivo", "etiqueta": "Contrato", "tipos": ["application/pdf"], "max_bytes": 2048}
  ],
  "documentos": [
    {"id": "constancia", "nombre": "Constancia de relación laboral",
     "plantilla": "Se hace constar que {{nombre}} labora para {{empleador}} desde el {{inicio}}, con un salario mensual de {{salario}}.\n\nObservación: {{observacion}}\n\nExpediente {{numero_expediente}}, resuelto por {{ funcionario }} el {{fecha}}."},
    {"id": "roto", "nombre": "Documento con error", "plantilla": "Hola {{no_existe}}."}
  ],
  "flujo": {
    "inicial": "presentada",
    "estados": [
      {"id": "presentada", "nombre": "Presentada"},
      {"id": "emitida", "nombre": "Emitida", "final": true}
    ],
    "transiciones": [
      {"id": "emitir", "nombre": "Emitir constancia", "de": ["presentada"], "a": "emitida", "roles": ["firma"],
       "emite": "constancia",
       "entradas": [{"id": "observacion", "tipo": "texto_largo", "etiqueta": "Observación"}]}
    ]
  }
})";

inline constexpr const char* kPublicUrl = "https://ventanilla.mintrab.gob.gt";

class FakeOfficials final : public cases::OfficialDirectory {
public:
    std::vector<std::string> OfficialsOf(std::string_view office) const override {
        if (office == "IGT") return {"fabiola", "jorge", "ana"};
        return {};
    }
};

class FakeNames final : public OfficialNames {
public:
    Result<std::string> NameOf(std::string_view account_id) const override {
        auto it = names.find(std::string(account_id));
        if (it == names.end()) return Error::NotFound("No existe el funcionario.");
        return it->second;
    }
    std::map<std::string, std::string> names = {{"fabiola", "María José Álvarez Ñuñez"},
                                                {"jorge", "Jorge Pérez"},
                                                {"otra", "Otra Firmante"}};
};

inline std::chrono::system_clock::time_point At(int y, unsigned m, unsigned d, int hour_gt = 10) {
    using namespace std::chrono;
    return sys_days{year{y} / month{m} / day{d}} + hours{hour_gt + 6};  // Guatemala is UTC-6
}

inline core::Actor Citizen(std::string id) {
    return core::Actor{core::Actor::Kind::kCitizen, std::move(id), {}, {}, {}};
}
inline core::Actor Official(std::string id, std::string office, std::vector<std::string> roles) {
    return core::Actor{
        core::Actor::Kind::kOfficial, std::move(id), {}, std::move(office), std::move(roles)};
}
inline core::Actor Firma() { return Official("fabiola", "IGT", {"firma"}); }

// A minimal PDF and a 1×1 PNG: what libmagic needs to tell them apart.
inline std::string PdfBytes(std::string tag = "") {
    return "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% " + tag +
           "\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
}
inline std::string PngBytes() {
    static const unsigned char kPng[] = {
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
        0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
        0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
        0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
        0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
    return std::string(reinterpret_cast<const char*>(kPng), sizeof kPng);
}

using vt::pdf::testing::HaveTool;
using vt::pdf::testing::PdfText;
using vt::pdf::testing::RunTool;
using vt::pdf::testing::WriteFile;

/// What zbarimg (zbar-tools) reads from the QR code on the last page; nullopt when the
/// tools are missing.
inline std::optional<std::string> DecodeQr(const std::filesystem::path& dir, std::string_view pdf,
                                           int page) {
    if (!HaveTool("pdftoppm") || !HaveTool("zbarimg")) return std::nullopt;
    std::filesystem::path file = dir / "qr.pdf";
    WriteFile(file, pdf);
    std::string p = std::to_string(page);
    RunTool("pdftoppm -r 150 -gray -png -f " + p + " -l " + p + " -singlefile '" + file.string() +
            "' '" + (dir / "qr").string() + "' 2>/dev/null");
    auto out = RunTool("zbarimg --raw -q '" + (dir / "qr.png").string() + "' 2>/dev/null");
    if (!out) return std::string("<zbarimg no leyó nada>");
    while (!out->empty() && (out->back() == '\n' || out->back() == '\r')) out->pop_back();
    return out;
}

class DocumentsTest : public ::testing::TestWithParam<store::testdb::Engine> {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(GetParam());
        if (!db_->skip.empty()) GTEST_SKIP() << db_->skip;
        ASSERT_OK(db_->status);
        auto d = catalog::ParseDefinition(kConstancia, "fixture");
        ASSERT_OK(d);
        ASSERT_OK(db_->store->Write([&](store::Tx& tx) -> Status {
            VT_RETURN_IF_ERROR(
                tx.Exec("INSERT INTO tramite_definitions VALUES ($1, $2, $3, 'x', 'now')",
                        {store::Value{d->id}, store::Value{std::int64_t{d->version}},
                         store::Value{d->source}}));
            return Ok();
        }));
        std::vector<catalog::Definition> defs;
        defs.push_back(std::move(d).value());
        registry_ = std::make_unique<catalog::Registry>(std::move(defs));
        auto data = core::BuiltinCalendarData();
        ASSERT_OK(data);
        calendar_ = std::make_unique<core::WorkingCalendar>(*data);
        cases_ = std::make_unique<cases::CaseService>(*db_->store, *registry_, *calendar_, clock_,
                                                      officials_);
        DocumentsOptions o;
        o.data_dir = dir_.path();
        o.public_url = kPublicUrl;
        docs_ =
            std::make_unique<DocumentService>(*db_->store, *registry_, *cases_, clock_, names_, o);
    }
    void TearDown() override {
        docs_.reset();
        cases_.reset();
        db_.reset();
    }

    const catalog::Definition& Definition() const {
        return *registry_->Current("constancia-laboral");
    }

    static boost::json::object Answers(std::optional<std::string> contract = std::nullopt) {
        boost::json::object a{{"nombre", "José Ñúñez Pérez"},
                              {"empleador", "Café La Montaña, S.A."},
                              {"inicio", "2020-03-15"},
                              {"salario", 450000}};
        if (contract) a["contrato"] = boost::json::object{{"documento", *contract}};
        return a;
    }

    Result<cases::Case> File(const core::Actor& who, boost::json::object answers = Answers()) {
        cases::SubmitRequest r;
        r.tramite_id = "constancia-laboral";
        r.answers = std::move(answers);
        return cases_->Submit(who, r);
    }

    static boost::json::object Inputs() {
        return boost::json::object{{"observacion", "Válida para trámites bancarios — «urgente»."}};
    }

    // Files a case as `citizen` and issues its certificate as the office's signer.
    Result<IssuedDocument> FileAndIssue(const core::Actor& citizen = Citizen("ciudadana")) {
        VT_ASSIGN_OR_RETURN(cases::Case c, File(citizen));
        return docs_->Issue(Firma(), c, Definition(), "constancia", Inputs());
    }

    // Audit entries of `action`, as (object_id, row_hash) from their canonical JSON.
    std::vector<std::pair<std::string, std::string>> AuditEntries(const std::string& action) {
        std::vector<std::pair<std::string, std::string>> out;
        EXPECT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(store::Rows rows,
                                tx.Query("SELECT entry FROM audit_log ORDER BY leaf_index"));
            for (const store::Row& r : rows) {
                boost::json::object e = boost::json::parse(r.Text(0)).as_object();
                if (e.at("action").as_string() != action) continue;
                out.emplace_back(std::string(e.at("object_id").as_string()),
                                 std::string(e.at("row_hash").as_string()));
            }
            return Ok();
        }));
        return out;
    }

    vt::testing::TempDir dir_;
    core::FrozenClock clock_{At(2026, 11, 25)};
    FakeOfficials officials_;
    FakeNames names_;
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<catalog::Registry> registry_;
    std::unique_ptr<core::WorkingCalendar> calendar_;
    std::unique_ptr<cases::CaseService> cases_;
    std::unique_ptr<DocumentService> docs_;
};

#define VT_DOCUMENTS_TEST_ENGINES(suite)                                                     \
    INSTANTIATE_TEST_SUITE_P(                                                                \
        Engines, suite,                                                                      \
        ::testing::Values(store::testdb::Engine::kSqlite, store::testdb::Engine::kPostgres), \
        [](const auto& info) { return store::testdb::EngineName(info.param); })

}  // namespace vt::documents::testing
