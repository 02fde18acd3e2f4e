// The `ventanilla` binary: the server and its administration commands.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/admin.hpp"
#include "cli/audit.hpp"
#include "cli/prestaciones.hpp"
#include "cli/verify_document.hpp"
#include "cli/sanciones.hpp"
#include "vt/app/app.hpp"
#include "vt/app/config.hpp"
#include "vt/catalog/catalog.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/random.hpp"

namespace {

using vt::app::Config;

// Exit codes: 0 success, 1 the command failed, 2 bad usage or configuration.
constexpr int kFailed = 1;
constexpr int kBadConfig = 2;

int Fail(const std::string& message, int code = kFailed) {
    std::cerr << "ventanilla: " << message << "\n";
    return code;
}

std::optional<Config> Load(const vt::app::Overrides& flags, int& exit_code) {
    auto config = vt::app::LoadConfig(flags, vt::app::ProcessEnvironment());
    if (!config.ok()) {
        exit_code = Fail(config.error().message(), kBadConfig);
        return std::nullopt;
    }
    return std::move(config).value();
}

int Migrate(const Config& config, bool status_only) {
    auto store = vt::app::OpenStore(config, status_only ? vt::app::Create::kNever : vt::app::Create::kIfMissing);
    if (!store.ok()) return Fail(store.error().message());
    if (!status_only) {
        if (vt::Status s = (*store)->Migrate(); !s.ok()) return Fail(s.error().message());
    }
    auto list = (*store)->Migrations();
    if (!list.ok()) return Fail(list.error().message());
    for (const auto& m : *list) {
        std::cout << (m.applied ? "aplicada  " : "pendiente ") << m.version << " " << m.name << "\n";
    }
    std::cout << (*store)->Describe() << "\n";
    return 0;
}

int Backup(const Config& config, const std::string& file) {
    // Never create: a mistyped data directory must fail, not back up an empty database.
    auto store = vt::app::OpenStore(config, vt::app::Create::kNever);
    if (!store.ok()) return Fail(store.error().message());
    if (vt::Status s = (*store)->Backup(file); !s.ok()) return Fail(s.error().message());
    std::cout << "Copia de seguridad escrita en " << file << "\n";
    return 0;
}

int Restore(const Config& config, const std::string& file) {
    // Held until the restored database is migrated, so no server starts in between.
    std::unique_ptr<vt::app::DataDirLock> lock;
    if (config.storage.driver == "postgres") {
        if (vt::Status s = vt::store::RestorePostgres(config.storage.postgres_url, file); !s.ok())
            return Fail(s.error().message());
    } else {
        auto acquired = vt::app::DataDirLock::Acquire(config.storage.data_dir);
        if (!acquired.ok()) return Fail(acquired.error().message());
        lock = std::move(acquired).value();
        if (vt::Status s = vt::store::RestoreSqlite(file, config.SqlitePath()); !s.ok())
            return Fail(s.error().message());
    }
    // A backup from an older version is brought up to this binary's schema.
    auto store = vt::app::OpenStore(config, vt::app::Create::kIfMissing);
    if (!store.ok()) return Fail(store.error().message());
    if (vt::Status s = (*store)->Migrate(); !s.ok()) return Fail(s.error().message());
    std::cout << "Base de datos restaurada desde " << file << "\n";
    return 0;
}

// Lints the definitions without a database, so it can run in a review pipeline.
int CheckTramites(const std::filesystem::path& dir) {
    auto defs = vt::app::LoadTramites(dir);
    if (!defs.ok()) return Fail(defs.error().message(), kBadConfig);
    for (const auto& d : *defs) {
        std::cout << d.id << " v" << d.version << " (" << vt::catalog::ChannelName(d.channel) << "): " << d.name
                  << "\n";
    }
    std::cout << defs->size() << " definiciones válidas en " << dir.string() << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        vt::core::InitCrypto();
    } catch (const std::exception& e) {
        return Fail(e.what());
    }

    CLI::App cli{"Ventanilla: ventanilla única digital del Ministerio de Trabajo y Previsión Social"};
    cli.require_subcommand(1);
    vt::app::Overrides flags;
    std::string config_file, data_dir;
    int port = -1;
    cli.add_option("--config", config_file, "Archivo de configuración TOML");
    cli.add_option("--port", port, "Puerto TCP (reemplaza server.port)");
    cli.add_option("--data-dir", data_dir, "Directorio de datos (reemplaza storage.data_dir)");

    auto* serve = cli.add_subcommand("serve", "Inicia el servidor HTTP");
    bool demo = false;
    serve->add_flag("--demo", demo, "Carga los datos de demostración");
    serve->fallthrough();

    auto* migrate = cli.add_subcommand("migrate", "Aplica las migraciones pendientes de la base de datos");
    bool status_only = false;
    migrate->add_flag("--status", status_only, "Solo muestra el estado, no aplica nada");
    migrate->fallthrough();

    std::string backup_file;
    auto* backup = cli.add_subcommand("backup", "Escribe una copia de seguridad consistente sin detener el servicio");
    backup->add_option("FILE", backup_file, "Archivo de destino")->required();
    backup->fallthrough();

    std::string restore_file;
    auto* restore = cli.add_subcommand("restore", "Reemplaza la base de datos con una copia (servidor detenido)");
    restore->add_option("FILE", restore_file, "Copia de seguridad")->required()->check(CLI::ExistingFile);
    restore->fallthrough();

    auto* config_cmd = cli.add_subcommand("config", "Revisa o muestra la configuración");
    config_cmd->require_subcommand(1);
    auto* config_check = config_cmd->add_subcommand("check", "Valida la configuración efectiva");
    auto* config_show = config_cmd->add_subcommand("show", "Muestra la configuración efectiva en TOML");
    auto* config_doc = config_cmd->add_subcommand("doc", "Imprime la referencia de claves (docs/settings.md)");
    config_cmd->fallthrough();
    config_check->fallthrough();
    config_show->fallthrough();

    auto* tramites = cli.add_subcommand("tramites", "Revisa las definiciones de trámites");
    tramites->require_subcommand(1);
    std::string tramites_dir;
    auto* tramites_check = tramites->add_subcommand("check", "Valida cada definición y lista los errores");
    tramites_check->add_option("DIR", tramites_dir, "Carpeta de definiciones (por omisión catalog.dir)");
    tramites->fallthrough();
    tramites_check->fallthrough();

    auto* audit = cli.add_subcommand("audit", "Revisa el registro de auditoría");
    audit->require_subcommand(1);
    auto* audit_verify = audit->add_subcommand(
        "verify",
        "Recalcula el árbol desde la base y revisa cada fila cubierta; sale con 1 si hay problemas");
    audit->fallthrough();
    audit_verify->fallthrough();

    auto* version = cli.add_subcommand("version", "Muestra la versión");
    vt::app::PrestacionesCommand prestaciones(cli);
    vt::app::VerifyDocumentCommand verify_document(cli);
    vt::app::AdminCommand admin(cli);
    vt::app::SanctionsCommand sanciones(cli);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return cli.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        // CLI11 has its own exit codes; ours are 0, 1 and 2.
        std::cerr << "ventanilla: uso incorrecto: " << e.what() << "\n"
                  << "Use «ventanilla --help» para ver las órdenes y opciones.\n";
        return kBadConfig;
    }

    if (version->parsed()) {
        std::cout << "ventanilla " << vt::app::Version() << " (" << vt::app::Commit() << ")\n";
        return 0;
    }
    if (prestaciones.parsed()) {
        return prestaciones.Run(vt::core::SystemClock().Now(), std::cout, std::cerr);
    }
    if (config_doc->parsed()) {
        std::cout << vt::app::SettingsMarkdown();
        return 0;
    }
    if (verify_document.parsed() && !verify_document.needs_config()) {
        return verify_document.Run(nullptr, std::cout, std::cerr);
    }

    if (!config_file.empty()) flags.config_file = config_file;
    if (!data_dir.empty()) flags.data_dir = data_dir;
    if (port != -1) flags.port = port;
    if (demo) flags.demo = true;
    int exit_code = 0;
    std::optional<Config> config = Load(flags, exit_code);
    if (!config) return exit_code;

    if (tramites_check->parsed()) {
        return CheckTramites(tramites_dir.empty() ? config->catalog.dir : std::filesystem::path(tramites_dir));
    }
    if (config_check->parsed()) {
        std::cout << "Configuración válida.\n";
        return 0;
    }
    if (config_show->parsed()) {
        std::cout << vt::app::ConfigToToml(*config);
        return 0;
    }
    if (audit_verify->parsed()) return vt::app::VerifyAudit(*config, std::cout, std::cerr);
    if (verify_document.parsed()) return verify_document.Run(&*config, std::cout, std::cerr);
    if (admin.parsed()) return admin.Run(*config, std::cin, std::cout, std::cerr);
    if (sanciones.parsed()) return sanciones.Run(*config, std::cout, std::cerr);
    if (serve->parsed()) return vt::app::Serve(*config);
    if (migrate->parsed()) return Migrate(*config, status_only);
    if (backup->parsed()) return Backup(*config, backup_file);
    if (restore->parsed()) return Restore(*config, restore_file);
    return Fail("orden desconocida", kBadConfig);
}
