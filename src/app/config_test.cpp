#include "vt/app/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "vt/testing.hpp"

namespace vt::app {
namespace {

class ConfigTest : public ::testing::Test {
protected:
    std::filesystem::path Write(const std::string& text) {
        auto p = dir_.path() / "ventanilla.toml";
        std::ofstream(p) << text;
        return p;
    }
    testing::TempDir dir_;
};

TEST_F(ConfigTest, DefaultsAreSafe) {
    auto c = LoadConfig({}, {});
    ASSERT_OK(c);
    EXPECT_EQ(c->server.address, "127.0.0.1");
    EXPECT_EQ(c->server.port, 8080);
    EXPECT_EQ(c->storage.driver, "sqlite");
    EXPECT_EQ(c->SqlitePath(), std::filesystem::path("var/ventanilla.sqlite3"));
    EXPECT_FALSE(c->app.demo);
}

TEST_F(ConfigTest, FileThenEnvironmentThenFlags) {
    Overrides flags;
    flags.config_file = Write("[server]\nport = 9000\nread_timeout_ms = 2000\n[storage]\ndata_dir = \"/srv/v\"\n");
    auto c = LoadConfig(flags, {});
    ASSERT_OK(c);
    EXPECT_EQ(c->server.port, 9000);
    EXPECT_EQ(c->server.read_timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(c->storage.data_dir, "/srv/v");

    c = LoadConfig(flags, {{"VENTANILLA_PORT", "9100"}, {"VENTANILLA_SERVER_ACCESS_LOG", "false"}});
    ASSERT_OK(c);
    EXPECT_EQ(c->server.port, 9100);
    EXPECT_FALSE(c->server.access_log);

    flags.port = 9200;
    flags.data_dir = "/tmp/otra";
    c = LoadConfig(flags, {{"VENTANILLA_PORT", "9100"}, {"VENTANILLA_DATA_DIR", "/x"}});
    ASSERT_OK(c);
    EXPECT_EQ(c->server.port, 9200);
    EXPECT_EQ(c->storage.data_dir, "/tmp/otra");
}

TEST_F(ConfigTest, EveryProblemIsNamed) {
    Overrides flags;
    flags.config_file = Write(
        "[server]\nport = 70000\npuerto = 1\nmax_body_bytes = \"mucho\"\n"
        "[storage]\ndriver = \"mysql\"\n[nada]\nx = 1\n");
    auto c = LoadConfig(flags, {{"VENTANILLA_SERVER_PROT", "1"}, {"VENTANILLA_TEST_PG_URL", "ignored"}});
    ASSERT_FALSE(c.ok());
    const auto& f = c.error().fields();
    EXPECT_EQ(f.at("server.port"), "debe estar entre 0 y 65535");
    EXPECT_EQ(f.at("server.puerto"), "clave desconocida");
    EXPECT_EQ(f.at("server.max_body_bytes"), "debe ser un número entero");
    EXPECT_EQ(f.at("storage.driver"), "debe ser uno de: sqlite, postgres");
    EXPECT_EQ(f.at("nada.x"), "clave desconocida");
    EXPECT_EQ(f.at("VENTANILLA_SERVER_PROT"), "variable de entorno desconocida");
    EXPECT_EQ(f.size(), 6u);
    EXPECT_NE(c.error().message().find("ventanilla.toml"), std::string::npos);
}

TEST_F(ConfigTest, DocumentsTakeTheDataDirectoryAndThePublicAddress) {
    Overrides flags;
    flags.config_file = Write(
        "[storage]\ndata_dir = \"/srv/v\"\n[identity]\npublic_url = \"https://ventanilla.mintrabajo.gob.gt\"\n"
        "[documents]\nmax_upload_bytes = 20971520\n");
    auto c = LoadConfig(flags, {});
    ASSERT_OK(c);
    documents::DocumentsOptions o = c->DocumentsOptions();
    EXPECT_EQ(o.data_dir, "/srv/v");
    EXPECT_EQ(o.public_url, "https://ventanilla.mintrabajo.gob.gt");
    EXPECT_EQ(o.max_upload_bytes, 20971520);
    EXPECT_EQ(o.default_upload_bytes, 5 << 20);

    auto bad = LoadConfig({}, {{"VENTANILLA_IDENTITY_PUBLIC_URL", "https://ventanilla.gob.gt/"},
                               {"VENTANILLA_DOCUMENTS_MAX_UPLOAD_BYTES", "4096"},
                               {"VENTANILLA_DOCUMENTS_DEFAULT_UPLOAD_BYTES", "8192"}});
    ASSERT_FALSE(bad.ok());
    const auto& f = bad.error().fields();
    EXPECT_EQ(f.at("identity.public_url"), "debe empezar con http:// o https:// y no terminar en /");
    EXPECT_EQ(f.at("documents.default_upload_bytes"),
              "no puede ser mayor que documents.max_upload_bytes");
    EXPECT_EQ(f.size(), 2u);
}

TEST_F(ConfigTest, SyntaxErrorPointsAtLine) {
    Overrides flags;
    flags.config_file = Write("[server]\nport = 80\nthis is not toml\n");
    auto c = LoadConfig(flags, {});
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().message().find("ventanilla.toml:3"), std::string::npos) << c.error().message();
}

TEST_F(ConfigTest, MissingFileIsAnError) {
    Overrides flags;
    flags.config_file = dir_.path() / "no.toml";
    EXPECT_FALSE(LoadConfig(flags, {}).ok());
}

TEST_F(ConfigTest, PostgresNeedsUrlAndShowMasksIt) {
    auto c = LoadConfig({}, {{"VENTANILLA_STORAGE_DRIVER", "postgres"}});
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(c.error().fields().contains("storage.postgres_url"));
    c = LoadConfig({}, {{"VENTANILLA_STORAGE_DRIVER", "postgres"},
                        {"VENTANILLA_STORAGE_POSTGRES_URL", "postgresql://u:secreto@h/db"}});
    ASSERT_OK(c);
    std::string toml = ConfigToToml(*c);
    EXPECT_EQ(toml.find("secreto"), std::string::npos);
    EXPECT_NE(toml.find("postgres_url = '********'"), std::string::npos);
}

TEST_F(ConfigTest, ShownConfigLoadsBackIdentically) {
    auto c = LoadConfig({}, {{"VENTANILLA_PORT", "1234"}});
    ASSERT_OK(c);
    Overrides flags;
    flags.config_file = Write(ConfigToToml(*c));
    auto again = LoadConfig(flags, {});
    ASSERT_OK(again);
    EXPECT_EQ(ConfigToToml(*again), ConfigToToml(*c));
}

TEST_F(ConfigTest, SettingsDocumentListsEveryKey) {
    std::string doc = SettingsMarkdown();
    for (std::string key : {"`port`", "`VENTANILLA_SERVER_PORT`", "`max_group_commit`", "`postgres_url`",
                            "`access_file`", "`demo`"}) {
        EXPECT_NE(doc.find(key), std::string::npos) << key;
    }
}

}  // namespace
}  // namespace vt::app
