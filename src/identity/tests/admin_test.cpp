// The back office: bootstrapping the first administrator once, offices, officials and their
// roles (every change audited), disabling accounts, the roster cases assigns from, and the
// demonstration data.
#include "vt/identity/identity.hpp"

#include <boost/json.hpp>

#include "tests/identity_fixture.hpp"

namespace vt::identity {
namespace {

using testing::IdentityTest;
using testing::kPassword;

class AdminTest : public IdentityTest {
protected:
    core::Actor Bootstrap() {
        auto admin =
            id().BootstrapAdministrator("admin@mintrabajo.gob.gt", "Administración", kPassword);
        EXPECT_TRUE(admin.ok()) << admin.error().ToString();
        return core::Actor{core::Actor::Kind::kAdministrator, admin.ok() ? *admin : "", {}, {}, {}};
    }
};

TEST_P(AdminTest, TheFirstAdministratorIsBootstrappedOnce) {
    core::Actor admin = Bootstrap();
    auto again = id().BootstrapAdministrator("otro@mintrabajo.gob.gt", "Otra persona", kPassword);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), "administrator-exists");
    EXPECT_EQ(Count("SELECT count(*) FROM accounts WHERE kind = 'administrador'"), 1);
    EXPECT_EQ(AuditCount("account.bootstrapped"), 1);

    // The bootstrapped administrator logs in with the password, and must enrol a second
    // factor before the session grants anything.
    auto login = LogIn("admin@mintrabajo.gob.gt");
    ASSERT_OK(login);
    EXPECT_TRUE(login->second_factor_enrolment_pending);
}

TEST_P(AdminTest, BootstrapRefusesWeakInput) {
    auto weak =
        id().BootstrapAdministrator("admin@mintrabajo.gob.gt", "Administración", "1234567890");
    ASSERT_FALSE(weak.ok());
    EXPECT_EQ(weak.error().fields().count("contrasena"), 1u);
    EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 0);
    Bootstrap();
}

TEST_P(AdminTest, OfficesAndOfficialsAreCreatedByAdministratorsOnly) {
    core::Actor admin = Bootstrap();
    std::string citizen = Citizen(1);
    EXPECT_EQ(id().CreateOffice(CitizenActor(citizen), Office{"IGT", "Inspección", "0101"})
                  .error()
                  .kind(),
              ErrorKind::kForbidden);
    EXPECT_EQ(id().CreateOffice(core::Actor::Anonymous(), Office{"IGT", "Inspección", "0101"})
                  .error()
                  .kind(),
              ErrorKind::kUnauthenticated);
    ASSERT_OK(id().CreateOffice(admin, Office{"igt", "Inspección General de Trabajo", "0101"}));
    EXPECT_EQ(id().CreateOffice(admin, Office{"IGT", "Otra", "0101"}).error().code(),
              "office-exists");
    auto bad = id().CreateOffice(admin, Office{"1X", "", "9999"});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().fields().size(), 3u);
    auto offices = id().ListOffices(admin);
    ASSERT_OK(offices);
    ASSERT_EQ(offices->size(), 1u);
    EXPECT_EQ((*offices)[0].code, "IGT");

    auto official = id().CreateOfficial(admin, NewOfficial{"Ana@MinTrabajo.gob.gt",
                                                           "Ana Inspectora",
                                                           "igt",
                                                           {"inspector", "analista", "inspector"}});
    ASSERT_OK(official);
    // The activation link sets the first password; the account has none before.
    EXPECT_EQ(LogIn("ana@mintrabajo.gob.gt", "").error().code(), "login-failed");
    const MailMessage m = mail_.messages().back();
    EXPECT_EQ(m.kind, "activacion");
    EXPECT_EQ(m.to, "ana@mintrabajo.gob.gt");
    ASSERT_OK(id().ResetPassword(mail_.LastToken("activacion"), kPassword));
    auto account = id().Me(core::Actor{core::Actor::Kind::kOfficial, official->id, {}, "IGT", {}});
    ASSERT_OK(account);
    EXPECT_EQ(account->office, "IGT");
    EXPECT_EQ(account->roles, (std::vector<std::string>{"analista", "inspector"}));

    auto unknown_role =
        id().CreateOfficial(admin, NewOfficial{"b@mintrabajo.gob.gt", "Beto", "IGT", {"rey"}});
    ASSERT_FALSE(unknown_role.ok());
    EXPECT_EQ(unknown_role.error().fields().count("roles"), 1u);
    auto no_office =
        id().CreateOfficial(admin, NewOfficial{"b@mintrabajo.gob.gt", "Beto", "DGE", {"jefe"}});
    ASSERT_FALSE(no_office.ok());
    EXPECT_EQ(no_office.error().fields().count("oficina"), 1u);
    EXPECT_EQ(id().CreateOfficial(CitizenActor(citizen),
                                  NewOfficial{"b@mintrabajo.gob.gt", "Beto", "IGT", {"jefe"}})
                  .error()
                  .kind(),
              ErrorKind::kForbidden);
}

TEST_P(AdminTest, RoleChangesAreRecordedAndAudited) {
    core::Actor admin = Bootstrap();
    std::string official = Official("ana@mintrabajo.gob.gt", "IGT", {"analista"});
    ASSERT_OK(id().CreateOffice(admin, Office{"DGE", "Dirección General de Empleo", "0101"}));
    ASSERT_OK(id().SetOfficialRoles(admin, official, "DGE", {"jefe", "firma"}));

    IdentityOptions o = testing::FastOptions();
    o.require_second_factor = false;
    MakeService(o);
    auto login = LogIn("ana@mintrabajo.gob.gt");
    ASSERT_OK(login);
    auto session = id().AuthenticateSession(login->token);
    ASSERT_OK(session);
    EXPECT_EQ(session->actor.office, "DGE");
    EXPECT_EQ(session->actor.roles, (std::vector<std::string>{"firma", "jefe"}));

    EXPECT_EQ(AuditCount("account.roles_changed"), 1);
    ASSERT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row r,
                            tx.QueryOne("SELECT actor, detail FROM security_events WHERE kind = "
                                        "'account.roles_changed' AND account_id = $1",
                                        {store::Value{official}}));
        EXPECT_EQ(r.Text(0), admin.id);
        auto detail = boost::json::parse(r.Text(1)).as_object();
        EXPECT_EQ(detail.at("oficina_anterior").as_string(), "IGT");
        EXPECT_EQ(detail.at("roles_anteriores").as_array(), boost::json::array({"analista"}));
        EXPECT_EQ(detail.at("roles").as_array(), boost::json::array({"firma", "jefe"}));
        return Ok();
    }));

    // Only an administrator; only officials; only known roles.
    EXPECT_EQ(
        id().SetOfficialRoles(CitizenActor(Citizen(1)), official, "IGT", {"jefe"}).error().kind(),
        ErrorKind::kForbidden);
    EXPECT_EQ(id().SetOfficialRoles(admin, admin.id, "IGT", {"jefe"}).error().kind(),
              ErrorKind::kNotFound);
    EXPECT_EQ(id().SetOfficialRoles(admin, official, "IGT", {}).error().kind(),
              ErrorKind::kInvalid);
    EXPECT_EQ(AuditCount("account.roles_changed"), 1);
}

TEST_P(AdminTest, DisablingAccountsAndTheLastAdministrator) {
    core::Actor admin = Bootstrap();
    EXPECT_EQ(id().SetAccountActive(admin, admin.id, false).error().code(), "last-administrator");
    auto second =
        id().CreateAdministrator(admin, "segundo@mintrabajo.gob.gt", "Segunda Administradora");
    ASSERT_OK(second);
    ASSERT_OK(id().SetAccountActive(admin, second->id, false));
    EXPECT_EQ(id().SetAccountActive(admin, admin.id, false).error().code(), "last-administrator");
    ASSERT_OK(id().SetAccountActive(admin, second->id, true));
    ASSERT_OK(id().SetAccountActive(admin, admin.id, false));
    EXPECT_EQ(AuditCount("account.disabled"), 2);
    EXPECT_EQ(AuditCount("account.enabled"), 1);
    EXPECT_EQ(id().SetAccountActive(admin, "no-existe", false).error().kind(),
              ErrorKind::kNotFound);
}

TEST_P(AdminTest, TheRosterListsActiveOfficialsOfAnOfficeInAStableOrder) {
    std::string a = Official("a@mintrabajo.gob.gt", "UIP", {"analista"});
    clock_.Advance(std::chrono::seconds(1));
    std::string b = Official("b@mintrabajo.gob.gt", "UIP", {"recepcion"});
    clock_.Advance(std::chrono::seconds(1));
    std::string c = Official("c@mintrabajo.gob.gt", "UIP", {"jefe"});
    Official("d@mintrabajo.gob.gt", "IGT", {"jefe"});
    EXPECT_EQ(id().OfficialsOf("UIP"), (std::vector<std::string>{a, b, c}));
    ASSERT_OK(id().SetAccountActive(core::Actor::System(), b, false));
    EXPECT_EQ(id().OfficialsOf("UIP"), (std::vector<std::string>{a, c}));
    EXPECT_TRUE(id().OfficialsOf("DGE").empty());
}

TEST_P(AdminTest, OfficialsSeeTheirColleaguesAndTheNamesOfStaff) {
    const core::Actor system = core::Actor::System();
    ASSERT_OK(id().CreateOffice(system, Office{"UIP", "Información Pública", "0101"}));
    ASSERT_OK(id().CreateOffice(system, Office{"IGT", "Inspección", "0101"}));
    auto zoila = id().CreateOfficial(system, NewOfficial{"z@mintrabajo.gob.gt", "Zoila Pérez", "UIP",
                                                         {"recepcion", "jefe"}});
    auto ana = id().CreateOfficial(system, NewOfficial{"a@mintrabajo.gob.gt", "Ana Díaz", "UIP",
                                                       {"analista"}});
    auto otra = id().CreateOfficial(system, NewOfficial{"o@mintrabajo.gob.gt", "Otra Oficina", "IGT",
                                                        {"jefe"}});
    ASSERT_OK(zoila);
    ASSERT_OK(ana);
    ASSERT_OK(otra);
    std::string citizen = Citizen(1);
    core::Actor uip{core::Actor::Kind::kOfficial, ana->id, {}, "UIP", {"analista"}};

    auto colleagues = id().ListColleagues(uip, "UIP");
    ASSERT_OK(colleagues);
    ASSERT_EQ(colleagues->size(), 2u);
    EXPECT_EQ((*colleagues)[0].name, "Ana Díaz");
    EXPECT_EQ((*colleagues)[1].roles, (std::vector<std::string>{"jefe", "recepcion"}));
    ASSERT_OK(id().SetAccountActive(system, zoila->id, false));
    EXPECT_EQ(id().ListColleagues(uip, "UIP")->size(), 1u);
    // Another office's roster, and citizens, are refused.
    EXPECT_EQ(id().ListColleagues(uip, "IGT").error().kind(), ErrorKind::kForbidden);
    EXPECT_EQ(id().ListColleagues(CitizenActor(citizen), "UIP").error().kind(),
              ErrorKind::kForbidden);

    // Names of staff, disabled or of other offices too; citizens and unknown ids left out.
    auto names = id().StaffNames(uip, {zoila->id, otra->id, citizen, "no-existe", zoila->id});
    ASSERT_OK(names);
    EXPECT_EQ(*names, (std::map<std::string, std::string>{{zoila->id, "Zoila Pérez"},
                                                           {otra->id, "Otra Oficina"}}));
    EXPECT_EQ(id().StaffNames(CitizenActor(citizen), {zoila->id}).error().kind(),
              ErrorKind::kForbidden);
}

TEST_P(AdminTest, TheCommandLineActsAsTheSystem) {
    // `ventanilla admin ...` runs with core::Actor::System(), audited as "sistema".
    ASSERT_OK(id().CreateOffice(core::Actor::System(),
                                Office{"UIP", "Unidad de Información Pública", "0101"}));
    ASSERT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            store::Row r, tx.QueryOne("SELECT entry FROM audit_log WHERE object_type = 'office'"));
        EXPECT_NE(r.Text(0).find("\"actor\":\"sistema\""), std::string::npos) << r.Text(0);
        return Ok();
    }));
}

TEST_P(AdminTest, DemonstrationDataIsIdempotent) {
    IdentityOptions o = testing::FastOptions();
    o.require_second_factor = false;
    MakeService(o);
    auto first = id().SeedDemoData();
    ASSERT_OK(first);
    std::int64_t accounts = Count("SELECT count(*) FROM accounts");
    auto second = id().SeedDemoData();
    ASSERT_OK(second);
    EXPECT_EQ(first->size(), second->size());
    EXPECT_EQ(Count("SELECT count(*) FROM accounts"), accounts);
    for (const DemoLogin& d : *first) {
        SCOPED_TRACE(d.login);
        EXPECT_OK(LogIn(d.login, d.password));
    }
    auto employer = LogIn("empleador@demo.ventanilla.gt", first->at(1).password);
    ASSERT_OK(employer);
    auto owner = id().ActingFor(CitizenActor(employer->account_id), "576937-K");
    ASSERT_OK(owner);
    EXPECT_EQ(owner->roles, std::vector<std::string>{"propietario"});
    EXPECT_EQ(id().OfficialsOf("IGT").size(), 4u);
}

VT_IDENTITY_TEST_ENGINES(AdminTest);

}  // namespace
}  // namespace vt::identity
