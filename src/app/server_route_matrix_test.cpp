// The authorization matrix of the whole server: every route AddServerRoutes registers ×
// every kind of actor and role, sent through the router with fresh credentials and a valid
// CSRF token (so only authorization can refuse), against a table written here by hand. A
// route added without a row fails the test.
//
// The case routes act on a fresh case filed by a citizen for employer A at the UIP, whose
// answers carry a marker. Nobody who may not read the case gets the marker in any response,
// and a refused case number answers exactly as a number that does not exist.
#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "adapters.hpp"
#include "server_routes.hpp"
#include "vt/audit/log_key.hpp"
#include "vt/core/calendar.hpp"
#include "vt/documents/documents.hpp"
#include "vt/http/route_call.hpp"
#include "vt/identity/factories.hpp"
#include "vt/identity/fake_mail_sink.hpp"
#include "vt/identity/policy.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/web/web.hpp"
#include "vt/testing.hpp"

namespace vt::app {
namespace {

namespace json = boost::json;
using identity::testing::ValidCui;
using identity::testing::ValidNit;

// clang-format off
// Columns of the table.
enum Column {
    kAnonymous,
    kApplicant,               // citizen who filed the case (and owns employer A)
    kOtherCitizen,            // citizen with no relation to the case
    kRepresentative,          // representative of employer A, acting for it
    kOtherRepresentative,     // owner of employer B, acting for it
    kReception,               // officials of the case's office (UIP), one role each
    kAnalyst,
    kInspector,
    kHead,
    kSignatory,
    kOtherOffice,             // official of another office (IGT) with every role
    kAdministrator,
    kMachine,                 // API token with every scope
    kMachineWithoutScope,     // API token with the "catalogo" scope only
    kColumns
};

constexpr const char* kNames[kColumns] = {
    "anonimo",   "solicitante", "otro-ciudadano", "representante", "representante-otra",
    "recepcion", "analista",    "inspector",      "jefe",          "firma",
    "otra-oficina", "administrador", "maquina",   "maquina-sin-alcance"};
// clang-format on

// Who may read the case (and so see its answers).
constexpr Column kViewers[] = {kApplicant, kReception, kAnalyst,        kInspector,
                               kHead,      kSignatory, kRepresentative, kMachine};

// clang-format off
// 'A': the request gets past authorization (2xx, or a 409/422 about its content);
// '.': it is refused (401, 403 or 404). Columns in the order of Column.
//
//                                                                    anon
//                                                                    |solicitante
//                                                                    ||otro
//                                                                    |||rep
//                                                                    ||||rep-otra
//                                                                    |||||recepcion
//                                                                    ||||||analista
//                                                                    |||||||inspector
//                                                                    ||||||||jefe
//                                                                    |||||||||firma
//                                                                    ||||||||||otra-oficina
//                                                                    |||||||||||admin
//                                                                    ||||||||||||maquina
//                                                                    |||||||||||||sin alcance
const std::map<std::string, std::string> kExpected = {
    // Platform, calculator and catalog: public.
    {"GET /healthz",                                             "AAAAAAAAAAAAAA"},
    {"GET /readyz",                                              "AAAAAAAAAAAAAA"},
    {"GET /metrics",                                             "AAAAAAAAAAAAAA"},
    {"GET /api/v1/openapi.yaml",                                 "AAAAAAAAAAAAAA"},
    {"GET /",                                                    "AAAAAAAAAAAAAA"},
    {"POST /api/v1/calculadora/prestaciones",                    "AAAAAAAAAAAAAA"},
    {"POST /api/v1/calculadora/prestaciones/pdf",                "AAAAAAAAAAAAAA"},
    {"GET /api/v1/tramites",                                     "AAAAAAAAAAAAAA"},
    {"GET /api/v1/tramites/{id}",                                "AAAAAAAAAAAAAA"},
    {"GET /api/v1/indicadores",                                  "AAAAAAAAAAAAAA"},
    // Accounts and sessions.
    {"POST /api/v1/cuentas",                                     "AAAAAAAAAAAAAA"},
    {"POST /api/v1/cuentas/verificacion",                        "AAAAAAAAAAAAAA"},
    {"POST /api/v1/sesiones",                                    "AAAAAAAAAAAAAA"},
    {"DELETE /api/v1/sesiones/actual",                           "AAAAAAAAAAAAAA"},
    {"DELETE /api/v1/sesiones",                                  ".AAAAAAAAAAA.."},
    {"POST /api/v1/cuentas/restablecimiento",                    "AAAAAAAAAAAAAA"},
    {"POST /api/v1/cuentas/restablecimiento/confirmacion",       "AAAAAAAAAAAAAA"},
    {"GET /api/v1/cuentas/yo",                                   ".AAAAAAAAAAA.."},
    {"POST /api/v1/cuentas/yo/segundo-factor",                   ".....AAAAAAA.."},
    {"POST /api/v1/cuentas/yo/segundo-factor/confirmacion",      ".....AAAAAAA.."},
    // Employers: the owner manages, representatives see.
    {"POST /api/v1/organizaciones",                              ".AAAA........."},
    {"GET /api/v1/organizaciones/{nit}/representantes",          ".A.A.........."},
    {"POST /api/v1/organizaciones/{nit}/representantes",         ".A............"},
    {"DELETE /api/v1/organizaciones/{nit}/representantes",       ".A............"},
    // The back office: administrators only.
    {"GET /api/v1/admin/oficinas",                               "...........A.."},
    {"POST /api/v1/admin/oficinas",                              "...........A.."},
    {"GET /api/v1/admin/funcionarios",                           "...........A.."},
    {"POST /api/v1/admin/funcionarios",                          "...........A.."},
    {"PUT /api/v1/admin/funcionarios/{id}/roles",                "...........A.."},
    {"POST /api/v1/admin/funcionarios/{id}/estado",              "...........A.."},
    {"GET /api/v1/admin/tokens",                                 "...........A.."},
    {"POST /api/v1/admin/tokens",                                "...........A.."},
    {"DELETE /api/v1/admin/tokens/{id}",                         "...........A.."},
    // Cases. Filing is open to anyone the trámite admits (this one admits anonymous
    // filings) except administrators; reading is for the applicant, the employer's
    // representatives and the office; "admitir" is the reception's; assigning is for the
    // head and the reception.
    {"POST /api/v1/expedientes",                                 "AAAAAAAAAAA.A."},
    {"GET /api/v1/expedientes",                                  ".AAAAAAAAAA..."},
    {"GET /api/v1/expedientes/{numero}",                         ".A.A.AAAAA..A."},
    {"POST /api/v1/expedientes/{numero}/transiciones",           ".....A......A."},
    {"POST /api/v1/expedientes/{numero}/asignacion",             ".....A..A....."},
    {"GET /api/v1/seguimiento/{codigo}",                         "AAAAAAAAAAAAAA"},
    {"POST /api/v1/borradores",                                  ".AAAAAAAAAA..."},
    {"GET /api/v1/borradores",                                   ".AAAAAAAAAA..."},
    {"GET /api/v1/informes/sla",                                 ".....AAAAAAAA."},
    // Documents. Verification and the published keys are public; a PDF and the list of a
    // case's documents are for those who may read the case; issuing is for the signatory
    // of the case's office, revoking for the signatory and the head. An upload is for its
    // uploader (and for those who may read a case that references it: none here).
    {"GET /api/v1/documentos/claves",                            "AAAAAAAAAAAAAA"},
    {"DELETE /api/v1/admin/claves/{id}",                         "...........A.."},
    {"GET /api/v1/documentos/{id}/verificacion",                 "AAAAAAAAAAAAAA"},
    {"POST /api/v1/documentos/{id}/verificacion",                "AAAAAAAAAAAAAA"},
    {"GET /api/v1/documentos/{id}/pdf",                          ".A.A.AAAAA..A."},
    {"POST /api/v1/documentos/{id}/revocacion",                  "........AA...."},
    {"GET /api/v1/expedientes/{numero}/documentos",              ".A.A.AAAAA..A."},
    {"POST /api/v1/expedientes/{numero}/documentos",             ".........A...."},
    {"POST /api/v1/archivos",                                    ".AAAAAAAAAA.A."},
    {"GET /api/v1/archivos/{id}",                                ".A..........A."},
    // The audit log: anyone may check it.
    {"GET /api/v1/audit/sth",                                    "AAAAAAAAAAAAAA"},
    {"GET /api/v1/audit/clave-publica",                          "AAAAAAAAAAAAAA"},
    {"GET /api/v1/audit/prueba-inclusion",                       "AAAAAAAAAAAAAA"},
    {"GET /api/v1/audit/prueba-consistencia",                    "AAAAAAAAAAAAAA"},
    // Public pages and the account pages: anyone (a logged-in visitor is sent on).
    {"GET /tramites",                                            "AAAAAAAAAAAAAA"},
    {"GET /tramites/{id}",                                       "AAAAAAAAAAAAAA"},
    {"GET /seguimiento",                                         "AAAAAAAAAAAAAA"},
    {"GET /calculadora-prestaciones",                            "AAAAAAAAAAAAAA"},
    {"POST /calculadora-prestaciones",                           "AAAAAAAAAAAAAA"},
    {"POST /calculadora-prestaciones/pdf",                       "AAAAAAAAAAAAAA"},
    {"GET /static/{archivo}",                                    "AAAAAAAAAAAAAA"},
    {"GET /cuenta/ingresar",                                     "AAAAAAAAAAAAAA"},
    {"POST /cuenta/ingresar",                                    "AAAAAAAAAAAAAA"},
    {"POST /cuenta/salir",                                       "AAAAAAAAAAAAAA"},
    {"GET /cuenta/registro",                                     "AAAAAAAAAAAAAA"},
    {"POST /cuenta/registro",                                    "AAAAAAAAAAAAAA"},
    {"GET /cuenta/verificar",                                    "AAAAAAAAAAAAAA"},
    {"POST /cuenta/verificar",                                   "AAAAAAAAAAAAAA"},
    {"GET /cuenta/restablecer",                                  "AAAAAAAAAAAAAA"},
    {"POST /cuenta/restablecer",                                 "AAAAAAAAAAAAAA"},
    {"GET /cuenta/activar",                                      "AAAAAAAAAAAAAA"},
    {"POST /cuenta/activar",                                     "AAAAAAAAAAAAAA"},
    // Filing through the pages: as the API (this trámite admits anonymous filings; a
    // machine client is anonymous to the pages).
    {"GET /tramites/{id}/solicitud",                             "AAAAAAAAAAA.AA"},
    {"POST /tramites/{id}/solicitud",                            "AAAAAAAAAAA.AA"},
    // One's own cases: people with an account; a case's page as the API's reading rule,
    // except machine clients, which have no pages.
    {"GET /mis-tramites",                                        ".AAAAAAAAAA..."},
    {"GET /mis-tramites/{numero}",                               ".A.A.AAAAA...."},
    // Employers' pages: as the API (citizens register; representatives see; owners manage).
    {"GET /organizaciones",                                      ".AAAA........."},
    {"POST /organizaciones",                                     ".AAAA........."},
    {"GET /organizaciones/{nit}",                                ".A.A.........."},
    {"POST /organizaciones/{nit}/representantes",                ".A............"},
    {"POST /organizaciones/{nit}/representantes/quitar",         ".A............"},
    // The officials' pages: their office's inbox and expedientes (the same rules as the
    // case API, but neither the applicant nor the employer use these pages), and the report.
    {"GET /bandeja",                                             ".....AAAAAA..."},
    {"GET /bandeja/{numero}",                                    ".....AAAAA...."},
    {"POST /bandeja/{numero}/transicion",                        ".....A........"},
    {"POST /bandeja/{numero}/asignacion",                        ".....A..A....."},
    {"POST /bandeja/{numero}/documentos",                        ".........A...."},
    {"GET /informes/sla",                                        ".....AAAAAAA.."},
    // Administration pages: administrators only.
    {"GET /admin",                                               "...........A.."},
    {"POST /admin/oficinas",                                     "...........A.."},
    {"POST /admin/funcionarios",                                 "...........A.."},
    {"GET /admin/funcionarios/{id}",                             "...........A.."},
    {"POST /admin/funcionarios/{id}/roles",                      "...........A.."},
    {"POST /admin/funcionarios/{id}/estado",                     "...........A.."},
    {"POST /admin/funcionarios/{id}/segundo-factor",             "...........A.."},
    {"POST /admin/tokens",                                       "...........A.."},
    {"POST /admin/tokens/{id}/revocacion",                       "...........A.."},
    // Second factor: staff only (citizens have none).
    {"GET /cuenta/segundo-factor",                               ".....AAAAAAA.."},
    {"POST /cuenta/segundo-factor",                              ".....AAAAAAA.."},
};
// clang-format on

constexpr const char* kPassword = "Caracol-azul-17";
constexpr const char* kOrgA = "576937-K";
constexpr const char* kOrgB = "12345678-9";
constexpr const char* kMarker = "MARCADOR-PRIVADO";
constexpr const char* kMissingCase = "MTPS-2026-999999";

struct Call {
    std::string method;
    std::string target;
    std::string body;
    std::map<std::string, std::string> headers;
};

// Routes `call` through `router` as the server would (404 when nothing matches).
http::Response Send(const http::Router& router, const Call& call) {
    http::testing::FakeHeaders headers(call.headers);
    return http::testing::CallRoute(router, call.method, call.target, call.body, headers);
}

// Pages are everything outside the JSON API and the platform endpoints.
bool IsPage(const std::string& route) {
    std::string path = route.substr(route.find(' ') + 1);
    return !path.starts_with("/api/") && path != "/healthz" && path != "/readyz" && path != "/metrics";
}

std::string LocationOf(const http::Response& r) {
    for (const auto& [name, value] : r.headers) {
        if (name == "Location") return value;
    }
    return {};
}

// A page request as a browser sends it: a form body carrying the CSRF token of the session,
// or, for visitors without one, of the double-submit cookie; so only authorization can
// refuse it.
void AsBrowserForm(Call& call) {
    const std::string anonymous_token(64, 'a');
    std::string token = anonymous_token;
    if (auto it = call.headers.find("X-CSRF-Token"); it != call.headers.end()) {
        token = it->second;
    } else {
        std::string& cookie = call.headers["Cookie"];
        cookie += (cookie.empty() ? "" : "; ") + std::string("vt_csrf=") + anonymous_token;
    }
    call.headers["Content-Type"] = "application/x-www-form-urlencoded";
    if (call.method != "GET") call.body = call.body.empty() || call.body == "{}" ? "csrf=" + token : call.body + "&csrf=" + token;
}

// Each login gets its own CSRF token, which pages embed in their forms.
std::string WithoutCsrfTokens(const std::string& html) {
    static const std::regex kToken(R"re(name="csrf" value="[0-9a-f]*")re");
    return std::regex_replace(html, kToken, R"(name="csrf" value="")");
}

void Replace(std::string& s, std::string_view what, std::string_view with) {
    for (std::size_t at = s.find(what); at != std::string::npos;
         at = s.find(what, at + with.size()))
        s.replace(at, what.size(), with);
}

class ServerRouteMatrixTest : public ::testing::TestWithParam<store::testdb::Engine> {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(GetParam());
        if (!db_->skip.empty()) GTEST_SKIP() << db_->skip;
        ASSERT_OK(db_->status);
        store::Store& store = *db_->store;

        auto registry = catalog::Registry::Open(store, VT_TRAMITES_DIR, clock_);
        ASSERT_OK(registry);
        registry_ = std::move(registry).value();
        auto data = core::BuiltinCalendarData();
        ASSERT_OK(data);
        calendar_ = std::make_unique<core::WorkingCalendar>(*data);
        identity::IdentityOptions o;
        o.password_opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
        o.password_memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
        o.require_second_factor = false;
        identity_ = std::make_unique<identity::IdentityService>(store, clock_, mail_, o);
        authenticator_ =
            std::make_unique<identity::Authenticator>(*identity_, identity::IdentityApiOptions{});
        officials_ = std::make_unique<IdentityOfficials>(*identity_);
        cases_ = std::make_unique<cases::CaseService>(store, *registry_, *calendar_, clock_,
                                                      *officials_);
        names_ = std::make_unique<IdentityOfficialNames>(*identity_);
        documents::DocumentsOptions d;
        d.data_dir = dir_.path();
        documents_ = std::make_unique<documents::DocumentService>(store, *registry_, *cases_,
                                                                  clock_, *names_, d);
        audit_log_ = std::make_unique<audit::AuditLog>(store, log_key_, clock_);
        AddServerRoutes(router_, ServerRouteDeps{store, metrics_, clock_, *registry_, *identity_,
                                                 *authenticator_, *cases_, *documents_,
                                                 *audit_log_, "prueba", "prueba",
                                                 calendar_.get()});

        // People and employers.
        for (int n = 1; n <= 5; ++n) Citizen(n);  // 5 is the one added and removed
        logins_[kApplicant] = Email(1);
        logins_[kOtherCitizen] = Email(2);
        logins_[kRepresentative] = Email(3);
        logins_[kOtherRepresentative] = Email(4);
        applicant_ = Person(1);
        ASSERT_OK(identity_->RegisterOrganization(applicant_, kOrgA, "Empresa A, S.A."));
        ASSERT_OK(identity_->RegisterOrganization(Person(4), kOrgB, "Empresa B, S.A."));
        ASSERT_OK(identity_->AddRepresentative(applicant_, kOrgA, ValidCui(3), "representante"));
        organization_[kRepresentative] = kOrgA;
        organization_[kOtherRepresentative] = kOrgB;
        auto acting = identity_->ActingFor(applicant_, kOrgA);
        ASSERT_OK(acting);
        applicant_for_a_ = *acting;

        // Staff.
        const core::Actor system = core::Actor::System();
        ASSERT_OK(
            identity_->CreateOffice(system, {"UIP", "Unidad de Información Pública", "0101"}));
        ASSERT_OK(
            identity_->CreateOffice(system, {"IGT", "Inspección General de Trabajo", "0101"}));
        const std::pair<Column, const char*> roles[] = {{kReception, "recepcion"},
                                                        {kAnalyst, "analista"},
                                                        {kInspector, "inspector"},
                                                        {kHead, "jefe"},
                                                        {kSignatory, "firma"}};
        for (const auto& [column, role] : roles) {
            logins_[column] = std::string(role) + "@mintrabajo.gob.gt";
            Official(logins_[column], "UIP", {role});
        }
        logins_[kOtherOffice] = "igt@mintrabajo.gob.gt";
        Official(logins_[kOtherOffice], "IGT",
                 {"recepcion", "analista", "inspector", "jefe", "firma"});
        target_official_ = Official("objetivo@mintrabajo.gob.gt", "IGT", {"analista"});
        logins_[kAdministrator] = "admin@mintrabajo.gob.gt";
        ASSERT_OK(identity_->BootstrapAdministrator(logins_[kAdministrator], "Administración",
                                                    kPassword));

        // Machine clients.
        std::vector<std::string> all;
        for (auto s : identity::KnownScopes()) all.emplace_back(s);
        auto machine = identity_->CreateApiToken(system, {"Banco", all, {}});
        ASSERT_OK(machine);
        tokens_[kMachine] = machine->first;
        auto narrow = identity_->CreateApiToken(system, {"Portal", {"catalogo"}, {}});
        ASSERT_OK(narrow);
        tokens_[kMachineWithoutScope] = narrow->first;
    }

    void TearDown() override {
        audit_log_.reset();
        documents_.reset();
        names_.reset();
        cases_.reset();
        officials_.reset();
        authenticator_.reset();
        identity_.reset();
        db_.reset();
    }

    static std::string Email(int n) { return "persona" + std::to_string(n) + "@correo.gt"; }

    // Registers and verifies a citizen; returns the account id.
    std::string Citizen(int n) {
        auto account = identity_->RegisterCitizen(
            {ValidCui(n), "Persona " + std::to_string(n), Email(n), "", kPassword});
        EXPECT_TRUE(account.ok()) << account.error().ToString();
        EXPECT_OK(identity_->VerifyEmail(mail_.LastToken("verificacion")));
        return account.ok() ? *account : "";
    }

    core::Actor Person(int n) {
        auto grant = LogIn(Email(n));
        EXPECT_TRUE(grant.ok());
        return grant.ok() ? identity_->AuthenticateSession(grant->token)->actor : core::Actor{};
    }

    std::string Official(const std::string& email, const std::string& office,
                         std::vector<std::string> roles) {
        auto created = identity_->CreateOfficial(core::Actor::System(),
                                                 {email, "Funcionario de prueba", office, roles});
        EXPECT_TRUE(created.ok()) << created.error().ToString();
        EXPECT_OK(identity_->ResetPassword(mail_.LastToken("activacion"), kPassword));
        return created.ok() ? created->id : "";
    }

    Result<identity::SessionGrant> LogIn(const std::string& login) {
        identity::LoginRequest r;
        r.login = login;
        r.password = kPassword;
        r.address = "192.0.2.10";
        return identity_->Login(r);
    }

    // Fresh credentials for `who`, and the employer they act for.
    void Credentials(Column who, Call& call) {
        if (tokens_.contains(who)) {
            call.headers["Authorization"] = "Bearer " + tokens_[who];
            return;
        }
        if (!logins_.contains(who)) return;
        auto grant = LogIn(logins_[who]);
        ASSERT_TRUE(grant.ok()) << logins_[who] << ": " << grant.error().ToString();
        call.headers["Cookie"] = "vt_sesion=" + grant->token;
        call.headers["X-CSRF-Token"] = grant->csrf_token;
        if (organization_.contains(who)) call.headers["X-Organizacion"] = organization_[who];
    }

    // A new case filed by the applicant for employer A, its answers carrying the marker.
    cases::Case FreshCase(int k) {
        cases::SubmitRequest r;
        r.tramite_id = "acceso-informacion-publica";
        r.organization = kOrgA;
        r.answers =
            json::object{{"informacion", std::string("Planillas ") + kMarker +
                                             " del ingenio, caso " + std::to_string(k) + "."},
                         {"formato", "electronico"},
                         {"identificarse", true},
                         {"nombre", std::string("Persona ") + kMarker}};
        auto c = cases_->Submit(applicant_for_a_, r);
        EXPECT_TRUE(c.ok()) << c.error().ToString();
        return c.ok() ? *c : cases::Case{};
    }

    // The session of the person or official in column `who`.
    core::Actor ActorOf(Column who) {
        auto grant = LogIn(logins_[who]);
        EXPECT_TRUE(grant.ok()) << logins_[who];
        return grant.ok() ? identity_->AuthenticateSession(grant->token)->actor : core::Actor{};
    }

    // A fresh case answered by the office's analyst: its resolution is due for signature.
    cases::Case ResolvedCase(int k) {
        cases::Case c = FreshCase(k);
        cases::TransitionRequest admit;
        admit.transition = "admitir";
        EXPECT_OK(cases_->Transition(ActorOf(kReception), c.number, admit));
        cases::TransitionRequest resolve;
        resolve.transition = "resolver";
        resolve.inputs = json::object{{"respuesta", "Se adjuntan las planillas solicitadas."}};
        auto resolved = cases_->Transition(ActorOf(kAnalyst), c.number, resolve);
        EXPECT_TRUE(resolved.ok()) << resolved.error().ToString();
        return resolved.ok() ? *resolved : c;
    }

    // A document issued for a fresh case by the office's signatory.
    documents::IssuedDocument IssuedDocument(int k) {
        cases::Case c = ResolvedCase(k);
        auto d = documents_->IssueForCase(ActorOf(kSignatory), c.number, "resolucion");
        EXPECT_TRUE(d.ok()) << d.error().ToString();
        return d.ok() ? *d : documents::IssuedDocument{};
    }

    static std::string PdfBytes(int k) {
        return "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% archivo " + std::to_string(k) +
               "\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    }

    // A request to `route` that would succeed for someone allowed to make it. `k` keeps the
    // data of each call distinct.
    Call RequestFor(const std::string& route, int k) {
        Call call;
        call.method = route.substr(0, route.find(' '));
        call.target = route.substr(route.find(' ') + 1);
        call.headers["Content-Type"] = "application/json";
        std::string n = std::to_string(k);
        if (route == "POST /api/v1/expedientes/{numero}/documentos" ||
            route == "POST /bandeja/{numero}/documentos") {
            Replace(call.target, "{numero}", ResolvedCase(k).number);
        } else if (call.target.find("{numero}") != std::string::npos ||
            call.target.find("{codigo}") != std::string::npos) {
            cases::Case c = FreshCase(k);
            Replace(call.target, "{numero}", c.number);
            Replace(call.target, "{codigo}", c.tracking_code);
        }
        Replace(call.target, "{nit}", kOrgA);
        Replace(call.target, "{archivo}", web::StylesheetFile());
        if (route == "GET /api/v1/tramites/{id}" || route.starts_with("GET /tramites/{id}") ||
            route.starts_with("POST /tramites/{id}")) {
            Replace(call.target, "{id}", "acceso-informacion-publica");
        } else if (route == "DELETE /api/v1/admin/claves/{id}") {
            // The signatory's key, created afresh after every revocation.
            auto key = documents_->EnsureSigningKey(ActorOf(kSignatory));
            EXPECT_OK(key);
            Replace(call.target, "{id}", key->key_id);
        } else if (route.find("/api/v1/documentos/{id}") != std::string::npos) {
            Replace(call.target, "{id}", IssuedDocument(k).id);
        } else if (route == "GET /api/v1/archivos/{id}") {
            auto upload = documents_->StoreUpload(applicant_, PdfBytes(k), "planilla.pdf", {});
            EXPECT_OK(upload);
            Replace(call.target, "{id}", upload->id);
        } else if (route == "DELETE /api/v1/admin/tokens/{id}" ||
                   route == "POST /admin/tokens/{id}/revocacion") {
            auto token = identity_->CreateApiToken(core::Actor::System(),
                                                   {"Revocable " + n, {"catalogo"}, {}});
            EXPECT_OK(token);
            Replace(call.target, "{id}", token->second.id);
        } else {
            Replace(call.target, "{id}", target_official_);
        }
        auto fresh_account = [&](int m) {
            EXPECT_OK(identity_->RegisterCitizen(
                {ValidCui(m), "Persona Nueva", Email(m), "", kPassword}));
            return Email(m);
        };

        if (route == "POST /api/v1/calculadora/prestaciones" ||
            route == "POST /api/v1/calculadora/prestaciones/pdf") {
            call.body = R"({"fecha_inicio":"2025-03-01","fecha_fin":"2025-11-30",)"
                        R"("motivo":"despido_injustificado","salario_ordinario_mensual":400000})";
        } else if (route == "POST /calculadora-prestaciones" ||
                   route == "POST /calculadora-prestaciones/pdf") {
            call.body = "fecha_inicio=2025-03-01&fecha_fin=2025-11-30&motivo=despido_injustificado"
                        "&salario_ordinario_mensual=Q4%2C000.00";
        } else if (route == "POST /api/v1/cuentas") {
            call.body = R"({"cui":")" + ValidCui(1000 + k) +
                        R"(","nombre":"Nueva Persona",)"
                        R"("correo":")" +
                        Email(1000 + k) + R"(","contrasena":")" + kPassword + R"("})";
        } else if (route == "POST /api/v1/cuentas/verificacion") {
            fresh_account(2000 + k);
            call.body = R"({"token":")" + mail_.LastToken("verificacion") + R"("})";
        } else if (route == "POST /api/v1/sesiones") {
            call.body = R"({"usuario":")" + Email(2) + R"(","contrasena":")" + kPassword + R"("})";
        } else if (route == "POST /api/v1/cuentas/restablecimiento") {
            call.body = R"({"correo":")" + Email(2) + R"("})";
        } else if (route == "POST /api/v1/cuentas/restablecimiento/confirmacion") {
            EXPECT_OK(identity_->RequestPasswordReset(fresh_account(3000 + k)));
            call.body = R"({"token":")" + mail_.LastToken("restablecimiento") +
                        R"(","contrasena":"Nueva-clave-segura-1"})";
        } else if (route == "POST /api/v1/cuentas/yo/segundo-factor/confirmacion") {
            call.body = R"({"codigo":"000000"})";
        } else if (route == "POST /api/v1/organizaciones") {
            call.body = R"({"nit":")" + ValidNit(500000 + k) + R"(","razon_social":"Nueva"})";
        } else if (route == "POST /organizaciones") {
            call.body = "nit=" + ValidNit(600000 + k) + "&razon_social=Nueva";
        } else if (route == "POST /organizaciones/{nit}/representantes") {
            call.body = "cui=" + ValidCui(5) + "&rol=representante";
        } else if (route == "POST /organizaciones/{nit}/representantes/quitar") {
            EXPECT_OK(
                identity_->AddRepresentative(applicant_, kOrgA, ValidCui(5), "representante"));
            call.body = "cui=" + ValidCui(5);
        } else if (route == "POST /api/v1/organizaciones/{nit}/representantes") {
            call.body = R"({"cui":")" + ValidCui(5) + R"("})";
        } else if (route == "DELETE /api/v1/organizaciones/{nit}/representantes") {
            // Someone to remove, put back by the owner before every call.
            EXPECT_OK(
                identity_->AddRepresentative(applicant_, kOrgA, ValidCui(5), "representante"));
            call.target += "?cui=" + ValidCui(5);
        } else if (route == "POST /api/v1/admin/oficinas") {
            call.body = R"({"codigo":"OF-)" + n +
                        R"(","nombre":"Oficina nueva",)"
                        R"("municipio":"0101"})";
        } else if (route == "POST /api/v1/admin/funcionarios") {
            call.body = R"({"correo":"nuevo)" + n +
                        R"(@mintrabajo.gob.gt",)"
                        R"("nombre":"Persona Nueva","oficina":"IGT","roles":["analista"]})";
        } else if (route == "PUT /api/v1/admin/funcionarios/{id}/roles") {
            call.body = R"({"oficina":"IGT","roles":["analista"]})";
        } else if (route == "POST /api/v1/admin/funcionarios/{id}/estado") {
            call.body = R"({"activa":true})";
        } else if (route == "POST /api/v1/admin/tokens") {
            call.body = R"({"cliente":"Cliente )" + n + R"(","alcances":["catalogo"]})";
        } else if (route == "POST /api/v1/expedientes") {
            call.body = R"({"tramite":"acceso-informacion-publica","respuestas":{)"
                        R"("informacion":"Solicitud de prueba de la matriz.",)"
                        R"("formato":"electronico","identificarse":false}})";
        } else if (route == "POST /api/v1/expedientes/{numero}/transiciones") {
            call.body = R"({"transicion":"admitir","comentario":"Completa."})";
        } else if (route == "POST /api/v1/expedientes/{numero}/asignacion") {
            call.body = "{}";
        } else if (route == "POST /api/v1/documentos/{id}/verificacion") {
            call.headers["Content-Type"] = "application/pdf";
            call.body = PdfBytes(k);
        } else if (route == "POST /api/v1/documentos/{id}/revocacion") {
            call.body = R"({"motivo":"Se emitió con un error."})";
        } else if (route == "POST /api/v1/expedientes/{numero}/documentos") {
            call.body = R"({"documento":"resolucion"})";
        } else if (route == "POST /api/v1/archivos") {
            call.headers["Content-Type"] = "application/pdf";
            call.headers["X-Nombre-Archivo"] = "planilla%20" + n + ".pdf";
            call.body = PdfBytes(k);
        } else if (route == "POST /bandeja/{numero}/transicion") {
            call.body = "transicion=admitir&revision=1&admitir-comentario=Completa.";
        } else if (route == "POST /bandeja/{numero}/documentos") {
            call.body = "documento=resolucion";
        } else if (route == "POST /admin/oficinas") {
            call.body = "oficina-codigo=PAG-" + n + "&oficina-nombre=Oficina+nueva&oficina-municipio=0101";
        } else if (route == "POST /admin/funcionarios") {
            call.body = "funcionario-correo=pagina" + n +
                        "%40mintrabajo.gob.gt&funcionario-nombre=Persona+Nueva&funcionario-oficina=IGT"
                        "&funcionario-roles=analista";
        } else if (route == "POST /admin/funcionarios/{id}/roles") {
            call.body = "oficina=IGT&roles=analista";
        } else if (route == "POST /admin/funcionarios/{id}/estado") {
            call.body = "activa=si";
        } else if (route == "POST /admin/tokens") {
            call.body = "token-cliente=Cliente+de+pagina+" + n + "&token-alcances=catalogo";
        } else if (route == "POST /cuenta/segundo-factor") {
            call.body = "accion=iniciar";
        } else if (route == "POST /api/v1/borradores") {
            call.body =
                R"({"tramite":"acceso-informacion-publica","respuestas":{"formato":"copia"}})";
        } else if (route == "GET /api/v1/informes/sla") {
            call.target += "?desde=2026-01-01&hasta=2026-12-31";
        } else if (route == "GET /api/v1/audit/prueba-inclusion") {
            call.target += "?indice=0";
        } else if (route == "GET /api/v1/audit/prueba-consistencia") {
            call.target += "?desde=1";
        }
        return call;
    }

    core::FrozenClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} +
                             std::chrono::hours{18}};
    identity::testing::FakeMailSink mail_;
    http::Metrics metrics_{"prueba", "prueba"};
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<catalog::Registry> registry_;
    std::unique_ptr<core::WorkingCalendar> calendar_;
    std::unique_ptr<identity::IdentityService> identity_;
    std::unique_ptr<identity::Authenticator> authenticator_;
    std::unique_ptr<IdentityOfficials> officials_;
    std::unique_ptr<cases::CaseService> cases_;
    testing::TempDir dir_;
    std::unique_ptr<IdentityOfficialNames> names_;
    std::unique_ptr<documents::DocumentService> documents_;
    audit::LogKey log_key_ = audit::LogKey::Generate();
    std::unique_ptr<audit::AuditLog> audit_log_;
    http::Router router_;

    std::map<Column, std::string> logins_, tokens_, organization_;
    core::Actor applicant_, applicant_for_a_;
    std::string target_official_;
};

TEST_P(ServerRouteMatrixTest, EveryRouteEveryActorWithZeroLeaks) {
    ASSERT_EQ(router_.routes().size(), kExpected.size()) << "a route has no row in the table";
    int k = 0, leaks = 0, denials = 0, checked = 0;
    for (const auto& route : router_.routes()) {
        std::string name = route.method + " " + route.pattern;
        auto row = kExpected.find(name);
        ASSERT_NE(row, kExpected.end()) << name << " has no row in the table";
        ASSERT_EQ(row->second.size(), std::size_t{kColumns}) << name;
        for (int a = 0; a < kColumns; ++a, ++k) {
            const Column who = static_cast<Column>(a);
            const std::string what = name + " × " + kNames[a];
            Call call = RequestFor(name, k);
            const Call unsent = call;
            Credentials(who, call);
            if (IsPage(name)) AsBrowserForm(call);
            http::Response r = Send(router_, call);
            ++checked;
            ASSERT_LT(r.status, 500) << what << ": " << r.body;
            bool refused = r.status == 401 || r.status == 403 || r.status == 404 ||
                           (r.status == 303 && LocationOf(r).starts_with("/cuenta/ingresar"));
            bool expected_allowed = row->second[a] == 'A';
            if (!refused && !expected_allowed) ++leaks;
            if (refused && expected_allowed) ++denials;
            EXPECT_EQ(!refused, expected_allowed) << what << " → " << r.status << " " << r.body;
            if (!refused) {
                EXPECT_TRUE((r.status >= 200 && r.status < 300) || r.status == 303 || r.status == 409 ||
                            r.status == 422)
                    << what << " → " << r.status << " " << r.body;
            }

            // Nobody who may not read the case sees its answers, whatever the route.
            bool viewer =
                std::find(std::begin(kViewers), std::end(kViewers), who) != std::end(kViewers);
            if (!viewer && r.body.find(kMarker) != std::string::npos) {
                ++leaks;
                ADD_FAILURE() << what << " shows the applicant's answers: " << r.body;
            }

            // A refused case number is indistinguishable from one that does not exist.
            if (r.status == 404 && name.find("{numero}") != std::string::npos) {
                std::size_t at = call.target.find("MTPS-");
                std::string number = call.target.substr(at, call.target.find_first_of("/?", at) - at);
                Call missing = unsent;
                Replace(missing.target, number, kMissingCase);
                Credentials(who, missing);
                if (IsPage(name)) AsBrowserForm(missing);
                http::Response m = Send(router_, missing);
                std::string body = WithoutCsrfTokens(r.body);
                m.body = WithoutCsrfTokens(m.body);
                Replace(body, number, "{numero}");
                Replace(m.body, kMissingCase, "{numero}");
                EXPECT_EQ(m.status, 404) << what;
                EXPECT_EQ(body, m.body) << what;
                EXPECT_EQ(r.content_type, m.content_type) << what;
            }
        }
    }
    EXPECT_EQ(leaks, 0);
    EXPECT_EQ(denials, 0);
    EXPECT_EQ(checked, static_cast<int>(kExpected.size()) * kColumns);
}

INSTANTIATE_TEST_SUITE_P(Engines, ServerRouteMatrixTest,
                         ::testing::Values(store::testdb::Engine::kSqlite,
                                           store::testdb::Engine::kPostgres),
                         [](const auto& info) { return store::testdb::EngineName(info.param); });

}  // namespace
}  // namespace vt::app
