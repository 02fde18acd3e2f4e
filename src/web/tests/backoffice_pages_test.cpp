// The officials' pages: the inbox of their office, an expediente, its transitions and
// assignment, and the SLA report; and who is kept out of them.
#include <boost/json.hpp>

#include "site_fixture.hpp"
#include "vt/documents/documents.hpp"

namespace vt::web::testing {
namespace {

namespace json = boost::json;

class BackofficeTest : public SiteTest {
protected:
    void SetUp() override {
        SiteTest::SetUp();
        ASSERT_OK(identity_->CreateOffice(core::Actor::System(), {"UIP", "Unidad de Información Pública", "0101"}));
        ASSERT_OK(identity_->CreateOffice(core::Actor::System(), {"IGT", "Inspección General de Trabajo", "0101"}));
    }

    /// An official who set their password through the activation link; returns the id.
    std::string Official(const std::string& email, const std::string& name, const std::string& office,
                         std::vector<std::string> roles) {
        auto created = identity_->CreateOfficial(core::Actor::System(), {email, name, office, std::move(roles)});
        EXPECT_TRUE(created.ok()) << created.error().ToString();
        EXPECT_OK(identity_->ResetPassword(mail_.LastToken("activacion"), kPassword));
        return created.ok() ? created->id : "";
    }

    core::Actor ActorOf(const std::string& login) {
        identity::LoginRequest r{login, kPassword, "", "192.0.2.1", ""};
        auto grant = identity_->Login(r);
        EXPECT_TRUE(grant.ok());
        return identity_->AuthenticateSession(grant->token)->actor;
    }

    /// A request for public information at the UIP.
    cases::Case FileAtUip(const core::Actor& who, const std::string& what) {
        cases::SubmitRequest req;
        req.tramite_id = "acceso-informacion-publica";
        req.answers = json::object{{"informacion", what}, {"formato", "electronico"}, {"identificarse", false}};
        auto c = cases_->Submit(who, req);
        EXPECT_TRUE(c.ok()) << c.error().ToString();
        return c.ok() ? *c : cases::Case{};
    }

    /// A labour complaint at the IGT.
    cases::Case FileAtIgt() {
        cases::SubmitRequest req;
        req.tramite_id = "denuncia-laboral";
        req.answers = json::object{{"anonima", true},
                                   {"empleador", "Finca El Ejemplo"},
                                   {"lugar", json::object{{"departamento", "01"}, {"municipio", "0101"}}},
                                   {"direccion", "Kilómetro 30, carretera al Pacífico"},
                                   {"motivos", json::array{"salario"}},
                                   {"hechos", "No pagan el salario mínimo desde enero de este año."}};
        auto c = cases_->Submit(core::Actor::Anonymous(), req);
        EXPECT_TRUE(c.ok()) << c.error().ToString();
        return c.ok() ? *c : cases::Case{};
    }

    static std::size_t Find(const http::Response& r, const std::string& text) { return r.body.find(text); }
};

TEST_F(BackofficeTest, InboxListsTheOfficeCasesByDeadlineAndNoOtherOffice) {
    Official("recepcion@mintrabajo.gob.gt", "Rosa Recepción", "UIP", {"recepcion"});
    core::Actor reception = ActorOf("recepcion@mintrabajo.gob.gt");
    // Filed first but admitted: its next deadline is the legal one, ten días hábiles away.
    cases::Case later = FileAtUip(core::Actor::Anonymous(), "Planillas del ministerio de 2025, por favor.");
    ASSERT_OK(cases_->Transition(reception, later.number, {.transition = "admitir"}));
    clock_.Advance(std::chrono::hours(24));
    // Filed a day later, still to be admitted within two días hábiles: it goes first.
    cases::Case sooner = FileAtUip(core::Actor::Anonymous(), "Contratos de servicios de limpieza de 2025.");
    cases::Case elsewhere = FileAtIgt();

    Browser b(router_);
    LogIn(b, "recepcion@mintrabajo.gob.gt");
    http::Response r = b.Get("/bandeja");
    ASSERT_EQ(r.status, 200) << r.body;
    std::size_t first = Find(r, "href=\"/bandeja/" + sooner.number + "\"");
    std::size_t second = Find(r, "href=\"/bandeja/" + later.number + "\"");
    ASSERT_NE(first, std::string::npos);
    ASSERT_NE(second, std::string::npos);
    EXPECT_LT(first, second);
    EXPECT_EQ(Find(r, elsewhere.number), std::string::npos);
    EXPECT_NE(Find(r, "2 expedientes"), std::string::npos);
    // The deadline in words and colour, and the días hábiles left.
    EXPECT_NE(Find(r, "estado-por-vencer\">Por vencer"), std::string::npos);
    EXPECT_NE(Find(r, "Quedan 2 días hábiles"), std::string::npos);
    EXPECT_NE(Find(r, "<th scope=\"col\">Plazo</th>"), std::string::npos);

    // Filters: by state, and only overdue.
    r = b.Get("/bandeja?estado=en_tramite");
    EXPECT_NE(Find(r, later.number), std::string::npos);
    EXPECT_EQ(Find(r, sooner.number), std::string::npos);
    EXPECT_NE(Find(r, "<option value=\"en_tramite\" selected>"), std::string::npos);
    r = b.Get("/bandeja?vencidos=1");
    EXPECT_NE(Find(r, "No hay expedientes con esos criterios."), std::string::npos);
    EXPECT_NE(Find(r, "name=\"vencidos\" value=\"1\" id=\"vencidos\" checked"), std::string::npos);

    // Another office's case is not found, exactly like a number that does not exist.
    http::Response other = b.Get("/bandeja/" + elsewhere.number);
    http::Response missing = b.Get("/bandeja/MTPS-2026-999999");
    EXPECT_EQ(other.status, 404);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(other.body, missing.body);
}

TEST_F(BackofficeTest, CitizensAndVisitorsAreKeptOut) {
    std::string email = Citizen(1);
    cases::Case own = FileAtUip(ActorOf(email), "Mis propias constancias laborales de 2024.");
    Browser anonymous(router_);
    http::Response r = anonymous.Get("/bandeja");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(Header(r, "Location"), "/cuenta/ingresar?volver=/bandeja");

    Browser b(router_);
    LogIn(b, email);
    EXPECT_EQ(b.Get("/bandeja").status, 403);
    // Even their own case: the officials' view of it is not theirs.
    r = b.Get("/bandeja/" + own.number);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(Find(r, "constancias"), std::string::npos);
    r = b.Post("/bandeja/" + own.number + "/transicion", "transicion=admitir&revision=1");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(b.Get("/informes/sla").status, 403);
}

TEST_F(BackofficeTest, ExpedienteShowsDataHistoryAndOnlyTheActionsOfTheRole) {
    Official("recepcion@mintrabajo.gob.gt", "Rosa Recepción", "UIP", {"recepcion"});
    cases::Case c = FileAtUip(core::Actor::Anonymous(), "Planillas <script>alert(1)</script> de 2025.");
    Browser b(router_);
    LogIn(b, "recepcion@mintrabajo.gob.gt");
    http::Response r = b.Get("/bandeja/" + c.number);
    ASSERT_EQ(r.status, 200) << r.body;
    // The answers in the order of the form, as people read them, and escaped.
    EXPECT_EQ(Find(r, "<script>alert(1)"), std::string::npos);
    EXPECT_NE(Find(r, "Planillas &lt;script&gt;alert(1)&lt;/script&gt; de 2025."), std::string::npos);
    EXPECT_LT(Find(r, "¿Qué información necesita?"), Find(r, "¿Cómo quiere recibir la información?"));
    EXPECT_NE(Find(r, "Por medio electrónico (en esta ventanilla o por correo)"), std::string::npos);
    EXPECT_NE(Find(r, "Persona anónima"), std::string::npos);
    EXPECT_NE(Find(r, "Presentación</strong> → Presentada"), std::string::npos);
    EXPECT_NE(Find(r, "25 de noviembre de 2026, 12:00"), std::string::npos);
    EXPECT_NE(Find(r, cases::CaseRowHash(c)), std::string::npos);
    EXPECT_NE(Find(r, "href=\"/api/v1/audit/sth\""), std::string::npos);
    // Reception admits or refuses; extending the deadline is the head's.
    EXPECT_NE(Find(r, "value=\"admitir\""), std::string::npos);
    EXPECT_NE(Find(r, "value=\"no_admitir\""), std::string::npos);
    EXPECT_EQ(Find(r, "value=\"prorrogar\""), std::string::npos);
    EXPECT_NE(Find(r, "name=\"revision\" value=\"1\""), std::string::npos);
    EXPECT_NE(Find(r, "for=\"f-no_admitir-motivo\""), std::string::npos);
}

TEST_F(BackofficeTest, TransitionWithoutItsRequiredInputKeepsWhatWasTyped) {
    Official("recepcion@mintrabajo.gob.gt", "Rosa Recepción", "UIP", {"recepcion"});
    cases::Case c = FileAtUip(core::Actor::Anonymous(), "Planillas del ministerio de 2025, por favor.");
    Browser b(router_);
    LogIn(b, "recepcion@mintrabajo.gob.gt");
    b.Get("/bandeja/" + c.number);
    http::Response r = b.Post("/bandeja/" + c.number + "/transicion",
                              "transicion=no_admitir&revision=1&no_admitir-comentario=Falta+%3Cb%3Edetalle%3C%2Fb%3E");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_NE(Find(r, "Hay un problema"), std::string::npos);
    EXPECT_NE(Find(r, "href=\"#campo-no_admitir-motivo\""), std::string::npos);
    EXPECT_NE(Find(r, "Falta &lt;b&gt;detalle&lt;/b&gt;</textarea>"), std::string::npos);
    EXPECT_NE(Find(r, "<details class=\"accion\" open>"), std::string::npos);
    EXPECT_EQ(cases_->Get(core::Actor::System(), c.number)->state, "presentada");

    r = b.Post("/bandeja/" + c.number + "/transicion",
               "transicion=no_admitir&revision=1&no_admitir-comentario=Revisado&no_admitir-motivo=No+es+informaci%C3%B3n+p%C3%BAblica+del+ministerio.");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(Header(r, "Location"), "/bandeja/" + c.number + "?hecho=transicion");
    r = b.Get(Header(r, "Location"));
    EXPECT_NE(Find(r, "Listo: la acción quedó registrada"), std::string::npos);
    EXPECT_NE(Find(r, "No admitir</strong> → No admitida"), std::string::npos);
    EXPECT_NE(Find(r, "Rosa Recepción (Recepción)"), std::string::npos);
    EXPECT_NE(Find(r, "No es información pública del ministerio."), std::string::npos);
    // Closed: no more actions.
    EXPECT_EQ(Find(r, "name=\"transicion\""), std::string::npos);
}

TEST_F(BackofficeTest, AStaleRevisionSaysSomeoneActedFirst) {
    Official("recepcion@mintrabajo.gob.gt", "Rosa Recepción", "UIP", {"recepcion"});
    Official("otra@mintrabajo.gob.gt", "Otra Recepción", "UIP", {"recepcion"});
    cases::Case c = FileAtUip(core::Actor::Anonymous(), "Planillas del ministerio de 2025, por favor.");
    Browser b(router_);
    LogIn(b, "recepcion@mintrabajo.gob.gt");
    b.Get("/bandeja/" + c.number);
    ASSERT_OK(cases_->Transition(ActorOf("otra@mintrabajo.gob.gt"), c.number,
                                 {.transition = "admitir", .expected_revision = 1}));
    http::Response r = b.Post("/bandeja/" + c.number + "/transicion",
                              "transicion=no_admitir&revision=1&no_admitir-motivo=No+es+informaci%C3%B3n+p%C3%BAblica.");
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_NE(Find(r, "Otra persona actuó antes"), std::string::npos);
    EXPECT_NE(Find(r, "En trámite"), std::string::npos);
    EXPECT_NE(Find(r, "href=\"/bandeja/" + c.number + "\""), std::string::npos);
    EXPECT_EQ(cases_->Get(core::Actor::System(), c.number)->state, "en_tramite");
}

TEST_F(BackofficeTest, TheHeadAssignsToSomeoneOrToTheNextInTurn) {
    Official("jefa@mintrabajo.gob.gt", "Julia Jefa", "UIP", {"jefe"});
    std::string analyst = Official("analista@mintrabajo.gob.gt", "Andrés Analista", "UIP", {"analista"});
    std::string elsewhere = Official("igt@mintrabajo.gob.gt", "Inés Inspectora", "IGT", {"inspector"});
    cases::Case c = FileAtUip(core::Actor::Anonymous(), "Planillas del ministerio de 2025, por favor.");

    Browser head(router_);
    LogIn(head, "jefa@mintrabajo.gob.gt");
    http::Response r = head.Get("/bandeja/" + c.number);
    EXPECT_NE(Find(r, "<option value=\"" + analyst + "\">Andrés Analista (Análisis)</option>"), std::string::npos);
    EXPECT_EQ(Find(r, "Inés Inspectora"), std::string::npos);
    // Someone of another office is refused, and the choice is kept.
    r = head.Post("/bandeja/" + c.number + "/asignacion", "funcionario=" + elsewhere);
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(Find(r, "href=\"#campo-funcionario\""), std::string::npos);
    r = head.Post("/bandeja/" + c.number + "/asignacion", "funcionario=" + analyst);
    ASSERT_EQ(r.status, 303) << r.body;
    r = head.Get(Header(r, "Location"));
    EXPECT_NE(Find(r, "el expediente quedó asignado"), std::string::npos);
    EXPECT_NE(Find(r, "<dt>Asignado a</dt><dd>Andrés Analista</dd>"), std::string::npos);
    EXPECT_NE(Find(r, "Asignado a Andrés Analista."), std::string::npos);
    r = head.Post("/bandeja/" + c.number + "/asignacion", "funcionario=");
    EXPECT_EQ(r.status, 303);
    EXPECT_TRUE(cases_->Get(core::Actor::System(), c.number)->assignee.has_value());

    // The analyst sees their cases but may not assign.
    ASSERT_OK(cases_->Assign(ActorOf("jefa@mintrabajo.gob.gt"), c.number, analyst));
    Browser b(router_);
    LogIn(b, "analista@mintrabajo.gob.gt");
    r = b.Get("/bandeja?mios=1");
    EXPECT_NE(Find(r, c.number), std::string::npos);
    EXPECT_NE(Find(r, "<td>Usted</td>"), std::string::npos);
    r = b.Get("/bandeja/" + c.number);
    EXPECT_EQ(Find(r, "action=\"/bandeja/" + c.number + "/asignacion\""), std::string::npos);
    EXPECT_EQ(b.Post("/bandeja/" + c.number + "/asignacion", "funcionario=").status, 403);
}

TEST_F(BackofficeTest, SlaReportForAPeriod) {
    Official("jefa@mintrabajo.gob.gt", "Julia Jefa", "UIP", {"jefe"});
    FileAtUip(core::Actor::Anonymous(), "Planillas del ministerio de 2025, por favor.");
    FileAtIgt();
    Browser b(router_);
    LogIn(b, "jefa@mintrabajo.gob.gt");
    http::Response r = b.Get("/informes/sla");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(Find(r, "value=\"2026-01-01\""), std::string::npos);
    EXPECT_NE(Find(r, "value=\"2026-11-25\""), std::string::npos);
    EXPECT_NE(Find(r, "<th scope=\"row\">Solicitud de acceso a la información pública</th><td>1</td>"),
              std::string::npos);
    EXPECT_NE(Find(r, "<th scope=\"row\">IGT</th>"), std::string::npos);
    r = b.Get("/informes/sla?desde=2026-12-01&hasta=2026-01-01");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(Find(r, "href=\"#campo-hasta\""), std::string::npos);
    r = b.Get("/informes/sla?desde=2025-01-01&hasta=2025-12-31");
    EXPECT_NE(Find(r, "No se presentaron expedientes en ese periodo."), std::string::npos);
}

// The site with the document service, as the server wires it.
class BackofficeDocumentsTest : public BackofficeTest {
protected:
    class Names final : public documents::OfficialNames {
    public:
        explicit Names(identity::IdentityService& id) : id_(id) {}
        Result<std::string> NameOf(std::string_view account) const override {
            VT_ASSIGN_OR_RETURN(identity::Account a, id_.GetStaff(core::Actor::System(), std::string(account)));
            return a.name;
        }

    private:
        identity::IdentityService& id_;
    };

    void SetUp() override {
        BackofficeTest::SetUp();
        names_ = std::make_unique<Names>(*identity_);
        documents::DocumentsOptions o;
        o.data_dir = dir_.path();
        docs_ = std::make_unique<documents::DocumentService>(*db_->store, *registry_, *cases_, clock_, *names_, o);
        AddWebRoutes(site_, WebDeps{.clock = clock_,
                                    .registry = *registry_,
                                    .identity = *identity_,
                                    .authenticator = *authenticator_,
                                    .cases = *cases_,
                                    .documents = docs_.get(),
                                    .calendar = calendar_.get()});
    }
    void TearDown() override { docs_.reset(); }

    /// A case admitted by reception, ready to be answered.
    cases::Case Admitted() {
        Official("recepcion@mintrabajo.gob.gt", "Rosa Recepción", "UIP", {"recepcion"});
        cases::Case c = FileAtUip(core::Actor::Anonymous(), "Planillas del ministerio de 2025, por favor.");
        EXPECT_OK(cases_->Transition(ActorOf("recepcion@mintrabajo.gob.gt"), c.number, {.transition = "admitir"}));
        return c;
    }

    static constexpr const char* kAnswer =
        "transicion=resolver&revision=2&resolver-respuesta=Se+adjuntan+las+planillas+solicitadas.";

    vt::testing::TempDir dir_;
    std::unique_ptr<Names> names_;
    std::unique_ptr<documents::DocumentService> docs_;
    http::Router site_;
};

TEST_F(BackofficeDocumentsTest, TheDocumentATransitionIssuesWaitsForTheSignatory) {
    cases::Case c = Admitted();
    Official("analista@mintrabajo.gob.gt", "Andrés Analista", "UIP", {"analista"});
    Official("firma@mintrabajo.gob.gt", "Fernanda Firma", "UIP", {"firma"});
    Browser analyst(site_);
    LogIn(analyst, "analista@mintrabajo.gob.gt");
    http::Response r = analyst.Get("/bandeja/" + c.number);
    // The analyst answers but may not sign: the button does not claim to.
    EXPECT_NE(Find(r, "<button type=\"submit\">Entregar la respuesta</button>"), std::string::npos);
    EXPECT_NE(Find(r, "que firmará quien tiene el rol de firma"), std::string::npos);
    r = analyst.Post("/bandeja/" + c.number + "/transicion", kAnswer);
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(Header(r, "Location"), "/bandeja/" + c.number + "?hecho=documento-pendiente");
    r = analyst.Get(Header(r, "Location"));
    EXPECT_NE(Find(r, "El documento espera la firma"), std::string::npos);
    EXPECT_NE(Find(r, "Todavía no se ha emitido ningún documento."), std::string::npos);
    EXPECT_EQ(Find(r, "action=\"/bandeja/" + c.number + "/documentos\""), std::string::npos);
    EXPECT_EQ(analyst.Post("/bandeja/" + c.number + "/documentos", "documento=resolucion").status, 403);

    Browser signatory(site_);
    LogIn(signatory, "firma@mintrabajo.gob.gt");
    r = signatory.Get("/bandeja/" + c.number);
    EXPECT_NE(Find(r, "Firmar y emitir «Resolución de acceso a la información pública»"), std::string::npos);
    r = signatory.Post("/bandeja/" + c.number + "/documentos", "documento=resolucion");
    ASSERT_EQ(r.status, 303) << r.body;
    r = signatory.Get(Header(r, "Location"));
    EXPECT_NE(Find(r, "el documento quedó firmado y emitido"), std::string::npos);
    auto issued = docs_->ListForCase(core::Actor::System(), c.number);
    ASSERT_OK(issued);
    ASSERT_EQ(issued->size(), 1u);
    EXPECT_NE(Find(r, "<a href=\"/api/v1/documentos/" + (*issued)[0].id + "/pdf\">"), std::string::npos);
    EXPECT_NE(Find(r, "firmado por Fernanda Firma"), std::string::npos);
    // Signing twice is a conflict, explained.
    r = signatory.Post("/bandeja/" + c.number + "/documentos", "documento=resolucion");
    EXPECT_EQ(r.status, 409);
    EXPECT_NE(Find(r, "No se pudo completar"), std::string::npos);
}

TEST_F(BackofficeDocumentsTest, AnOfficialWhoMaySignSignsAsTheyTakeTheTransition) {
    cases::Case c = Admitted();
    Official("ana@mintrabajo.gob.gt", "Ana Analista", "UIP", {"analista", "firma"});
    Browser b(site_);
    LogIn(b, "ana@mintrabajo.gob.gt");
    http::Response r = b.Get("/bandeja/" + c.number);
    EXPECT_NE(Find(r, "<button type=\"submit\">Firmar y emitir «Resolución de acceso a la información pública»</button>"),
              std::string::npos);
    r = b.Post("/bandeja/" + c.number + "/transicion", kAnswer);
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(Header(r, "Location"), "/bandeja/" + c.number + "?hecho=documento-emitido");
    EXPECT_EQ(docs_->ListForCase(core::Actor::System(), c.number)->size(), 1u);
}

}  // namespace
}  // namespace vt::web::testing
