#pragma once
/// The composition root: builds every module from the configuration, in dependency
/// order (store → ... → http), and tears them down in reverse.

#include <memory>
#include <string>
#include <vector>

#include "vt/app/config.hpp"
#include "vt/catalog/catalog.hpp"
#include "vt/core/result.hpp"
#include "vt/http/metrics.hpp"
#include "vt/identity/identity.hpp"
#include "vt/store/store.hpp"

namespace spdlog {
class logger;
}

namespace vt::app {

/// Version and commit of this build (from CMake).
const char* Version();
const char* Commit();

struct Loggers {
    std::shared_ptr<spdlog::logger> app;
    std::shared_ptr<spdlog::logger> access;
};
/// Creates the logger for the application (stderr or log.file) and the access log.
/// Errors: kUnavailable naming the file when a log file cannot be opened.
Result<Loggers> MakeLoggers(const LogConfig& config);

/// Whether opening the store may create the data directory and an empty database.
enum class Create { kIfMissing, kNever };

/// Opens the configured database. With Create::kIfMissing (and storage.create_if_missing)
/// a missing SQLite database and data directory are created; with Create::kNever a
/// missing database is kNotFound and nothing is written. Does not migrate.
Result<std::unique_ptr<store::Store>> OpenStore(const Config& config, Create create,
                                                store::TimingObserver on_timing = {});

/// Holds an exclusive lock on the data directory while alive, so two servers (or a
/// restore and a server) never share one SQLite database.
class DataDirLock {
public:
    /// Errors: kConflict (code "data-dir-in-use") when another process holds the lock.
    static Result<std::unique_ptr<DataDirLock>> Acquire(const std::filesystem::path& data_dir);
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

private:
    explicit DataDirLock(int fd) : fd_(fd) {}
    int fd_;
};

/// A demonstration account printed by `ventanilla run`.
struct DemoAccount {
    std::string role;
    std::string login;
    std::string password;
};

/// Loads the demonstration data (idempotent). Returns the accounts a visitor can use.
Result<std::vector<DemoAccount>> LoadDemoData(store::Store& store, identity::IdentityService& identity);

/// The trámite definitions in `dir`, checked as the server needs them: catalog::LoadDirectory()
/// plus documents::CheckTemplates() of each. Errors: kInvalid, one line per problem in the
/// message ("<id>.json: <JSON path>: <reason>") and in fields().
Result<std::vector<catalog::Definition>> LoadTramites(const std::filesystem::path& dir);

/// Runs the HTTP server until SIGINT/SIGTERM. Returns the process exit code.
int Serve(const Config& config);

}  // namespace vt::app
