#include "vt/app/app.hpp"

#include <fcntl.h>
#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <condition_variable>
#include <iostream>
#include <thread>

#include "adapters.hpp"
#include "server_routes.hpp"
#include "vt/audit/api.hpp"
#include "vt/identity/api.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/random.hpp"
#include "vt/http/server.hpp"

#ifndef VT_VERSION
#define VT_VERSION "0.0.0"
#endif
#ifndef VT_COMMIT
#define VT_COMMIT "unknown"
#endif

namespace vt::app {

const char* Version() { return VT_VERSION; }
const char* Commit() { return VT_COMMIT; }

Result<Loggers> MakeLoggers(const LogConfig& config) {
    Loggers l;
    spdlog::sink_ptr app_sink, access_sink;
    const std::string* current = &config.file;
    try {
        if (config.file.empty()) app_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        else app_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.file);
        current = &config.access_file;
        if (config.access_file.empty()) access_sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
        else access_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.access_file);
    } catch (const spdlog::spdlog_ex& e) {
        return Error::Unavailable("log-file", "No se pudo abrir el archivo de registro " + *current + ": " + e.what());
    }
    l.app = std::make_shared<spdlog::logger>("ventanilla", app_sink);
    l.app->set_level(spdlog::level::from_str(config.level));
    l.app->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    l.app->flush_on(spdlog::level::info);

    // The access log goes through a queue so the I/O threads never wait on a disk write.
    if (!spdlog::thread_pool()) spdlog::init_thread_pool(8192, 1);
    l.access = std::make_shared<spdlog::async_logger>("access", access_sink, spdlog::thread_pool(),
                                                      spdlog::async_overflow_policy::block);
    l.access->set_pattern("%v");
    return l;
}

Result<std::unique_ptr<store::Store>> OpenStore(const Config& config, Create create,
                                                store::TimingObserver on_timing) {
    if (config.storage.driver == "postgres") {
        store::PostgresOptions o;
        o.url = config.storage.postgres_url;
        o.pool_size = static_cast<int>(config.storage.postgres_pool_size);
        o.statement_cache_size = static_cast<int>(config.storage.statement_cache_size);
        o.on_timing = std::move(on_timing);
        return store::OpenPostgres(o);
    }
    bool may_create = create == Create::kIfMissing && config.storage.create_if_missing;
    if (may_create) {
        std::error_code ec;
        std::filesystem::create_directories(config.storage.data_dir, ec);
        if (ec) {
            return Error::Unavailable("data-dir", "No se pudo crear el directorio de datos " +
                                                      config.storage.data_dir.string() + ": " + ec.message());
        }
    }
    store::SqliteOptions o;
    o.path = config.SqlitePath();
    o.create_if_missing = may_create;
    o.busy_timeout = std::chrono::milliseconds(config.storage.busy_timeout_ms);
    o.read_connections = static_cast<int>(config.storage.read_connections);
    o.max_group_commit = static_cast<int>(config.storage.max_group_commit);
    o.max_page_count = config.storage.max_page_count;
    o.statement_cache_size = static_cast<int>(config.storage.statement_cache_size);
    o.on_timing = std::move(on_timing);
    return store::OpenSqlite(o);
}

Result<std::unique_ptr<DataDirLock>> DataDirLock::Acquire(const std::filesystem::path& data_dir) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    std::string path = (data_dir / "ventanilla.lock").string();
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Error::Unavailable("data-dir", "No se pudo abrir " + path + ".");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return Error::Conflict("data-dir-in-use", "Otro proceso de Ventanilla usa el directorio de datos " +
                                                      data_dir.string() + "; deténgalo primero.");
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) (void)!::write(fd, pid.data(), pid.size());
    return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() { ::close(fd_); }

Result<std::vector<DemoAccount>> LoadDemoData(store::Store& store, identity::IdentityService& identity) {
    VT_RETURN_IF_ERROR(store.Write([](store::Tx& tx) -> Status {
        return tx
            .Exec("INSERT INTO instance_settings (key, value, updated_at) VALUES ('demo', 'true', $1) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                  {store::Value{core::FormatUtc(std::chrono::system_clock::now())}})
            .ok()
            ? Ok()
            : Error::Internal("No se pudo marcar la instalación como demostración.");
    }));
    VT_ASSIGN_OR_RETURN(auto logins, identity.SeedDemoData());
    std::vector<DemoAccount> accounts;
    for (const auto& l : logins) accounts.push_back({l.role, l.login, l.password});
    return accounts;
}

Result<std::vector<catalog::Definition>> LoadTramites(const std::filesystem::path& dir) {
    VT_ASSIGN_OR_RETURN(std::vector<catalog::Definition> defs, catalog::LoadDirectory(dir));
    std::string message;
    Error bad = Error::Invalid("");
    for (const catalog::Definition& d : defs) {
        Status checked = documents::CheckTemplates(d);
        if (checked.ok()) continue;
        for (const auto& [path, why] : checked.error().fields()) {
            std::string where = d.id + ".json: " + path;
            message += (message.empty() ? "" : "\n") + where + ": " + why;
            bad.WithField(where, why);
        }
    }
    if (bad.fields().empty()) return defs;
    Error e = Error::Invalid(message);
    for (const auto& [k, v] : bad.fields()) e.WithField(k, v);
    return e;
}

namespace {

// Records this installation's identity the first time it starts.
Status RecordInstance(store::Store& store) {
    return store.Write([](store::Tx& tx) -> Status {
        std::string now = core::FormatUtc(std::chrono::system_clock::now());
        VT_RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO instance_settings (key, value, updated_at) VALUES ('instance_id', $1, $2), "
            "('created_at', $2, $2) ON CONFLICT (key) DO NOTHING",
            {store::Value{core::RandomHex(16)}, store::Value{now}}));
        return Ok();
    });
}

// Runs `task` every `period` on its own thread until destroyed.
class PeriodicTask {
public:
    PeriodicTask(std::chrono::seconds period, std::function<void()> task)
        : thread_([this, period, task = std::move(task)](std::stop_token stop) {
              std::mutex mu;
              std::unique_lock lock(mu);
              while (true) {
                  cv_.wait_for(lock, stop, period, [] { return false; });
                  if (stop.stop_requested()) return;
                  task();
              }
          }) {}

private:
    std::condition_variable_any cv_;
    std::jthread thread_;  // last: stops and joins before cv_ goes
};

// What a person who just typed `./ventanilla run` needs to know.
void PrintBanner(const Config& config, std::uint16_t port, const std::vector<DemoAccount>& accounts) {
    std::string host = config.server.address == "0.0.0.0" ? "127.0.0.1" : config.server.address;
    std::cerr << "\n  Ventanilla está lista en http://" << host << ":" << port << "/\n"
              << "  Datos en " << config.storage.data_dir.string() << " · Ctrl-C para detener\n";
    if (accounts.empty()) {
        std::cerr << "  Cuentas de demostración: ninguna.\n";
    } else {
        std::cerr << "  Cuentas de demostración:\n";
        for (const auto& a : accounts) {
            std::cerr << "    " << a.role << ": " << a.login << " / " << a.password << "\n";
        }
    }
    std::cerr << "\n";
}

}  // namespace

int Serve(const Config& config) {
    auto made = MakeLoggers(config.log);
    if (!made.ok()) {
        std::cerr << "ventanilla: " << made.error().message() << "\n";
        return 1;
    }
    Loggers logs = std::move(made).value();
    auto& log = *logs.app;

    std::unique_ptr<DataDirLock> lock;
    if (config.storage.driver == "sqlite") {
        auto l = DataDirLock::Acquire(config.storage.data_dir);
        if (!l.ok()) {
            log.critical("{}", l.error().message());
            return 1;
        }
        lock = std::move(l).value();
    }

    // Bind first: a server refused for a taken port must not create or migrate anything.
    http::Metrics metrics(Version(), Commit());
    http::Router router;
    std::unique_ptr<http::Server> server;
    try {
        server = std::make_unique<http::Server>(config.server, router, metrics, logs.app, logs.access);
    } catch (const std::exception& e) {
        log.critical("No se puede iniciar: {}", e.what());
        return 1;
    }

    auto opened = OpenStore(config, Create::kIfMissing, [&metrics](std::string_view op, std::chrono::nanoseconds took) {
        metrics.ObserveDb(op, took);
    });
    if (!opened.ok()) {
        log.critical("No se puede iniciar: {}", opened.error().message());
        return 1;
    }
    std::unique_ptr<store::Store> store = std::move(opened).value();
    if (Status s = store->Migrate(); !s.ok()) {
        log.critical("No se puede iniciar: {}", s.error().message());
        return 1;
    }
    if (Status s = RecordInstance(*store); !s.ok()) {
        log.critical("No se puede iniciar: {}", s.error().message());
        return 1;
    }
    log.info("database {} ready", store->Describe());
    // Entries written before the audit tree existed get their subtree hashes first.
    if (Status s = audit::CompleteTree(*store); !s.ok()) {
        log.critical("No se puede iniciar: {}", s.error().message());
        return 1;
    }
    auto log_key = audit::LoadOrCreateLogKey(config.AuditKeyPath());
    if (!log_key.ok()) {
        log.critical("No se puede iniciar: {}", log_key.error().message());
        return 1;
    }
    log.info("audit log key {} at {}", log_key->KeyId(), config.AuditKeyPath().string());

    core::SystemClock clock;
    // Checked whole before anything is published: a definition is never published with a
    // document that could not be issued.
    if (auto checked = LoadTramites(config.catalog.dir); !checked.ok()) {
        log.critical("No se puede iniciar: definiciones de trámites en {}:\n{}", config.catalog.dir.string(),
                     checked.error().message());
        return 1;
    }
    auto registry = catalog::Registry::Open(*store, config.catalog.dir, clock);
    if (!registry.ok()) {
        log.critical("No se puede iniciar: definiciones de trámites en {}:\n{}", config.catalog.dir.string(),
                     registry.error().message());
        return 1;
    }
    log.info("catalog: {} trámites from {}", (*registry)->All().size(), config.catalog.dir.string());
    auto calendar_data = core::BuiltinCalendarData();
    if (!calendar_data.ok()) {
        log.critical("No se puede iniciar: {}", calendar_data.error().message());
        return 1;
    }
    core::WorkingCalendar calendar(*calendar_data);

    notify::SmtpMailer mailer(config.smtp);
    OutboxMailSink mail_sink(clock);
    identity::IdentityOptions identity_options = config.identity;
    if (config.app.demo && identity_options.require_second_factor) {
        identity_options.require_second_factor = false;
        log.warn("demo mode: officials and administrators log in without a second factor");
    }
    identity::IdentityService identity(*store, clock, mail_sink, identity_options);
    identity::Authenticator authenticator(identity, config.identity_http);
    IdentityOfficials officials(identity);
    // The firm sanctions: the ministry's own table, and the Registro de Faltas when configured.
    sanctions::LocalSanctions local_sanctions(*store, clock, config.sanctions.office);
    std::optional<sanctions::HttpSanctionsRegistry> remote_sanctions;
    std::vector<const sanctions::SanctionsRegistry*> sanction_sources{&local_sanctions};
    if (!config.sanctions.registry.base_url.empty()) {
        remote_sanctions.emplace(config.sanctions.registry);
        sanction_sources.push_back(&*remote_sanctions);
    }
    sanctions::CombinedSanctions all_sanctions(sanction_sources);
    sanctions::NoFirmSanctionsCheck no_firm_sanctions(all_sanctions);
    const cases::AutomaticChecks checks{{std::string(sanctions::kNoFirmSanctionsCheck), &no_firm_sanctions}};
    if (Status s = cases::VerifyAutomaticChecks(**registry, checks); !s.ok()) {
        log.critical("No se puede iniciar: {}", s.error().message());
        return 1;
    }
    cases::CaseService case_service(*store, **registry, calendar, clock, officials, config.cases, checks);
    IdentityOfficialNames official_names(identity);
    std::unique_ptr<documents::DocumentService> document_service;
    try {
        document_service = std::make_unique<documents::DocumentService>(*store, **registry, case_service, clock,
                                                                 official_names, config.DocumentsOptions());
    } catch (const std::exception& e) {
        log.critical("No se puede iniciar: {}", e.what());
        return 1;
    }
    audit::AuditLog audit_log(*store, *log_key, clock, config.audit.options);
    PeriodicTask purge(std::chrono::hours(1), [&identity, &log] {
        auto purged = identity.PurgeExpired();
        if (!purged.ok()) log.warn("purging expired sessions failed: {}", purged.error().message());
    });
    std::unique_ptr<notify::OutboxWorker> outbox;
    if (config.outbox.enabled) {
        outbox = std::make_unique<notify::OutboxWorker>(*store, mailer, clock, config.outbox.options, logs.app);
        outbox->Start();
        auto* worker = outbox.get();
        metrics.AddSource("ventanilla_outbox_sent_total", "Messages accepted by the SMTP relay.", "counter",
                          [worker] { return double(worker->sent()); });
        metrics.AddSource("ventanilla_outbox_failed_total", "Failed delivery attempts.", "counter",
                          [worker] { return double(worker->failed()); });
        metrics.AddSource("ventanilla_outbox_given_up_total", "Messages abandoned after every retry.", "counter",
                          [worker] { return double(worker->given_up()); });
    }

    std::vector<DemoAccount> demo_accounts;
    if (config.app.demo) {
        auto accounts = LoadDemoData(*store, identity);
        if (!accounts.ok()) {
            log.critical("No se pudieron cargar los datos de demostración: {}", accounts.error().message());
            return 1;
        }
        demo_accounts = std::move(accounts).value();
        log.info("demo data loaded ({} accounts)", demo_accounts.size());
    }

    AddServerRoutes(router, ServerRouteDeps{*store, metrics, clock, **registry, identity, authenticator,
                                            case_service, *document_service, audit_log, Version(), Commit(), &calendar});

    if (config.app.demo) PrintBanner(config, server->port(), demo_accounts);
    server->Run(/*handle_signals=*/true);
    server.reset();
    outbox.reset();  // stops delivering before the database closes
    logs.access->flush();
    store.reset();  // closes the database cleanly (checkpoints the WAL) before the lock goes
    log.info("database closed");
    return 0;
}

}  // namespace vt::app
