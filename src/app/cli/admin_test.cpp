#include "cli/admin.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "vt/app/app.hpp"
#include "vt/core/random.hpp"
#include "vt/identity/fake_mail_sink.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::app {
namespace {

constexpr const char* kPassword = "Caracol-azul-17";

struct Salida {
    int code = -1;
    std::string out;
    std::string err;
};

std::vector<const char*> Argv(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"ventanilla", "admin"};
    for (const auto& a : args) argv.push_back(a.c_str());
    return argv;
}

// The command on a migrated SQLite store, with mail kept in memory and the fastest
// password hashing.
class AdminCommandTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(store::testdb::Engine::kSqlite);
        ASSERT_OK(db_->status);
        identity::IdentityOptions o;
        o.password_opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
        o.password_memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
        o.public_url = "https://ventanilla.mintrabajo.gob.gt";
        identity_ = std::make_unique<identity::IdentityService>(*db_->store, clock_, mail_, o);
    }

    Salida Ejecutar(std::vector<std::string> args, const std::string& input = "") {
        CLI::App cli;
        AdminCommand command(cli);
        auto argv = Argv(args);
        Salida s;
        try {
            cli.parse(static_cast<int>(argv.size()), argv.data());
        } catch (const CLI::ParseError& e) {
            s.code = 2;
            s.err = e.what();
            return s;
        }
        EXPECT_TRUE(command.parsed());
        std::istringstream in(input);
        std::ostringstream out, err;
        s.code = command.Execute(*identity_, in, out, err);
        s.out = out.str();
        s.err = err.str();
        return s;
    }

    std::int64_t Count(const std::string& sql) {
        std::int64_t n = -1;
        EXPECT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(store::Row r, tx.QueryOne(sql));
            n = r.Int(0);
            return Ok();
        }));
        return n;
    }

    void LoginOk(const std::string& login, const std::string& password,
                 bool second_factor_pending) {
        identity::LoginRequest r;
        r.login = login;
        r.password = password;
        r.address = "192.0.2.10";
        auto grant = identity_->Login(r);
        ASSERT_OK(grant);
        EXPECT_EQ(grant->second_factor_enrolment_pending, second_factor_pending);
    }

    // The text of the first tab-separated column of the line of `out` that contains `text`.
    static std::string FirstColumnOf(const std::string& out, const std::string& text) {
        std::istringstream lines(out);
        for (std::string line; std::getline(lines, line);) {
            if (line.find(text) != std::string::npos) return line.substr(0, line.find('\t'));
        }
        return {};
    }

    core::FrozenClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}};
    identity::testing::FakeMailSink mail_;
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<identity::IdentityService> identity_;
};

TEST_F(AdminCommandTest, BootstrapReadsThePasswordFromStandardInputOnce) {
    Salida s = Ejecutar(
        {"bootstrap", "--email", "Admin@MinTrabajo.gob.gt", "--name", "Administración Central"},
        std::string(kPassword) + "\r\n");
    ASSERT_EQ(s.code, 0) << s.err;
    EXPECT_NE(s.out.find("Administrador creado"), std::string::npos) << s.out;
    EXPECT_EQ(s.out.find(kPassword), std::string::npos);
    // Administrators enrol a second factor at their first login.
    LoginOk("admin@mintrabajo.gob.gt", kPassword, /*second_factor_pending=*/true);

    Salida again = Ejecutar({"bootstrap", "--email", "otra@mintrabajo.gob.gt", "--name", "Otra"},
                            std::string(kPassword) + "\n");
    EXPECT_EQ(again.code, 1);
    EXPECT_NE(again.err.find("ya tiene administrador"), std::string::npos) << again.err;
}

TEST_F(AdminCommandTest, BootstrapRefusesAShortOrMissingPassword) {
    Salida shortp =
        Ejecutar({"bootstrap", "--email", "a@mintrabajo.gob.gt", "--name", "Ana"}, "corta\n");
    EXPECT_EQ(shortp.code, 2);
    EXPECT_NE(shortp.err.find("contraseña: "), std::string::npos) << shortp.err;
    Salida none = Ejecutar({"bootstrap", "--email", "a@mintrabajo.gob.gt", "--name", "Ana"}, "");
    EXPECT_EQ(none.code, 2);
    EXPECT_NE(none.err.find("entrada estándar"), std::string::npos) << none.err;
    // There is no option to pass it on the command line.
    Salida argv = Ejecutar(
        {"bootstrap", "--email", "a@mintrabajo.gob.gt", "--name", "Ana", "--password", kPassword});
    EXPECT_EQ(argv.code, 2);
    EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 0);
}

TEST_F(AdminCommandTest, OfficesAndOfficialsAreManagedAsTheSystem) {
    Salida office =
        Ejecutar({"office", "create", "uip", "--name", "Unidad de Información Pública"});
    ASSERT_EQ(office.code, 0) << office.err;
    EXPECT_NE(office.out.find("Oficina UIP creada"), std::string::npos) << office.out;
    EXPECT_NE(office.out.find("municipio 0101"), std::string::npos);
    Salida dup = Ejecutar({"office", "create", "UIP", "--name", "Otra"});
    EXPECT_EQ(dup.code, 1);
    Salida bad = Ejecutar({"office", "create", "1", "--name", "X", "--municipio", "9999"});
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("CODE: "), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("--municipio: "), std::string::npos) << bad.err;
    Salida list = Ejecutar({"office", "list"});
    EXPECT_EQ(list.out, "UIP\t0101\tUnidad de Información Pública\n");

    Salida created = Ejecutar({"official", "create", "--email", "ana@mintrabajo.gob.gt", "--name",
                               "Ana Analista", "--office", "uip", "--roles", "analista,jefe"});
    ASSERT_EQ(created.code, 0) << created.err;
    // The link is mailed and printed, in case mail is not configured yet.
    std::string token = mail_.LastToken("activacion");
    ASSERT_FALSE(token.empty());
    EXPECT_NE(created.out.find("enlace de activación para ana@mintrabajo.gob.gt"),
              std::string::npos)
        << created.out;
    EXPECT_NE(
        created.out.find("https://ventanilla.mintrabajo.gob.gt/cuenta/activar?token=" + token),
        std::string::npos)
        << created.out;
    EXPECT_NE(created.out.find("roles analista, jefe"), std::string::npos);

    Salida staff = Ejecutar({"official", "list"});
    std::string id = FirstColumnOf(staff.out, "ana@mintrabajo.gob.gt");
    ASSERT_FALSE(id.empty()) << staff.out;
    EXPECT_NE(staff.out.find("funcionario\tactiva\tUIP\tanalista,jefe"), std::string::npos)
        << staff.out;

    Salida roles = Ejecutar({"official", "roles", id, "--office", "UIP", "--roles", "recepcion"});
    ASSERT_EQ(roles.code, 0) << roles.err;
    EXPECT_NE(roles.out.find("roles recepcion"), std::string::npos) << roles.out;
    Salida unknown = Ejecutar({"official", "roles", id, "--office", "UIP", "--roles", "rey"});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_NE(unknown.err.find("--roles: "), std::string::npos) << unknown.err;
    EXPECT_EQ(
        Ejecutar({"official", "roles", "no-existe", "--office", "UIP", "--roles", "jefe"}).code, 1);

    ASSERT_OK(identity_->ResetPassword(token, kPassword));
    LoginOk("ana@mintrabajo.gob.gt", kPassword, /*second_factor_pending=*/true);
    Salida disabled = Ejecutar({"official", "disable", id});
    ASSERT_EQ(disabled.code, 0) << disabled.err;
    EXPECT_NE(disabled.out.find("desactivada"), std::string::npos);
    EXPECT_NE(Ejecutar({"official", "list"}).out.find("desactivada"), std::string::npos);
    EXPECT_EQ(Ejecutar({"official", "enable", id}).code, 0);
    EXPECT_EQ(Ejecutar({"official", "reset-2fa", id}).code, 0);
    EXPECT_EQ(Ejecutar({"official", "disable", "no-existe"}).code, 1);

    // Every change is audited as the system: the office, the account, its roles, disabling,
    // enabling and the second-factor reset (Ana's own password and login are hers).
    EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entry LIKE '%\"actor\":\"sistema\"%'"),
              6);
    // Missing sub-commands and options are usage errors.
    EXPECT_EQ(Ejecutar({"official"}).code, 2);
    EXPECT_EQ(Ejecutar({"official", "create", "--email", "b@mintrabajo.gob.gt"}).code, 2);
}

TEST_F(AdminCommandTest, ATokenIsPrintedOnceAndCanBeRevoked) {
    Salida created =
        Ejecutar({"token", "create", "--client", "Banco de Desarrollo Rural", "--scopes",
                  "seguimiento,expedientes:leer", "--expires", "2027-06-30"});
    ASSERT_EQ(created.code, 0) << created.err;
    // The token is the last line, alone, so scripts can take it.
    std::string out = created.out;
    out.pop_back();
    std::string token = out.substr(out.rfind('\n') + 1);
    ASSERT_TRUE(token.starts_with("vt_")) << created.out;
    auto actor = identity_->AuthenticateApiToken(token);
    ASSERT_OK(actor);
    EXPECT_EQ(actor->roles, (std::vector<std::string>{"expedientes:leer", "seguimiento"}));
    EXPECT_NE(created.out.find("vence 2027-07-01T06:00:00.000Z"), std::string::npos) << created.out;

    Salida list = Ejecutar({"token", "list"});
    EXPECT_EQ(list.out.find(token), std::string::npos);
    std::string id = FirstColumnOf(list.out, "Banco de Desarrollo Rural");
    ASSERT_FALSE(id.empty()) << list.out;
    EXPECT_NE(list.out.find(id + "\tactivo"), std::string::npos) << list.out;

    EXPECT_EQ(Ejecutar({"token", "revoke", id}).code, 0);
    EXPECT_FALSE(identity_->AuthenticateApiToken(token).ok());
    EXPECT_NE(Ejecutar({"token", "list"}).out.find(id + "\trevocado"), std::string::npos);
    EXPECT_EQ(Ejecutar({"token", "revoke", "no-existe"}).code, 1);

    Salida bad = Ejecutar(
        {"token", "create", "--client", "X", "--scopes", "todo", "--expires", "2027-02-30"});
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("--expires: "), std::string::npos) << bad.err;
    Salida scope = Ejecutar({"token", "create", "--client", "Cliente", "--scopes", "todo"});
    EXPECT_EQ(scope.code, 2);
    EXPECT_NE(scope.err.find("--scopes: Alcance desconocido «todo»"), std::string::npos)
        << scope.err;
}

// Run() on a fresh installation, with either database: it creates and migrates the
// database, queues mail in the outbox, and loads no demonstration data.
class AdminCommandRun : public ::testing::TestWithParam<store::testdb::Engine> {};

TEST_P(AdminCommandRun, BootstrapWorksOnAFreshInstallWithoutDemoData) {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("vt-admin-" + core::RandomHex(6));
    Config config;
    config.storage.data_dir = dir / "datos";
    std::unique_ptr<store::testdb::PgScratchDatabase> pg;
    if (GetParam() == store::testdb::Engine::kPostgres) {
        auto server = store::testdb::PgTestUrl();
        if (!server) GTEST_SKIP() << store::testdb::PgSkipMessage();
        pg = std::make_unique<store::testdb::PgScratchDatabase>(*server);
        ASSERT_OK(pg->status());
        config.storage.driver = "postgres";
        config.storage.postgres_url = pg->url();
    }
    config.identity.password_opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
    config.identity.password_memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
    auto run = [&](std::vector<std::string> args, const std::string& input = "") {
        CLI::App cli;
        AdminCommand command(cli);
        auto argv = Argv(args);
        cli.parse(static_cast<int>(argv.size()), argv.data());
        std::istringstream in(input);
        std::ostringstream out, err;
        Salida s;
        s.code = command.Run(config, in, out, err);
        s.out = out.str();
        s.err = err.str();
        return s;
    };
    Salida boot = run({"bootstrap", "--email", "admin@mintrabajo.gob.gt", "--name", "Admin"},
                      std::string(kPassword) + "\n");
    ASSERT_EQ(boot.code, 0) << boot.err;
    ASSERT_EQ(run({"office", "create", "IGT", "--name", "Inspección General"}).code, 0);
    Salida official = run({"official", "create", "--email", "ana@mintrabajo.gob.gt", "--name",
                           "Ana", "--office", "IGT", "--roles", "inspector"});
    ASSERT_EQ(official.code, 0) << official.err;

    config.storage.create_if_missing = false;
    auto store = OpenStore(config, Create::kNever);
    ASSERT_OK(store);
    ASSERT_OK((*store)->Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row accounts, tx.QueryOne("SELECT count(*) FROM accounts"));
        EXPECT_EQ(accounts.Int(0), 2);
        VT_ASSIGN_OR_RETURN(
            store::Row demo,
            tx.QueryOne("SELECT count(*) FROM instance_settings WHERE key = 'demo'"));
        EXPECT_EQ(demo.Int(0), 0);
        VT_ASSIGN_OR_RETURN(store::Row mail,
                            tx.QueryOne("SELECT count(*) FROM outbox WHERE recipient = "
                                        "'ana@mintrabajo.gob.gt'"));
        EXPECT_EQ(mail.Int(0), 1);
        return Ok();
    }));
    store->reset();
    std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, AdminCommandRun,
                         ::testing::Values(store::testdb::Engine::kSqlite,
                                           store::testdb::Engine::kPostgres),
                         [](const auto& info) { return store::testdb::EngineName(info.param); });

}  // namespace
}  // namespace vt::app
