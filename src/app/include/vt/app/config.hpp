#pragma once
/// Configuration: one TOML file plus VENTANILLA_* environment overrides plus command-line
/// flags, in that order of precedence (flags win). Every key is declared once in
/// config.cpp with its default and meaning; docs/settings.md is generated from the same
/// table (`ventanilla config doc`). Unknown keys and out-of-range values are errors.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "vt/audit/audit.hpp"
#include "vt/cases/cases.hpp"
#include "vt/core/result.hpp"
#include "vt/documents/documents.hpp"
#include "vt/http/server.hpp"
#include "vt/identity/api.hpp"
#include "vt/identity/identity.hpp"
#include "vt/notify/notify.hpp"
#include "vt/sanctions/sanctions.hpp"

namespace vt::app {

struct StorageConfig {
    /// "sqlite" (embedded, default) or "postgres".
    std::string driver = "sqlite";
    /// Directory for the SQLite database, uploaded files and keys.
    std::filesystem::path data_dir = "var";
    bool create_if_missing = true;
    std::int64_t busy_timeout_ms = 5000;
    std::int64_t read_connections = 4;
    std::int64_t max_group_commit = 256;
    std::int64_t max_page_count = 0;
    std::string postgres_url;
    std::int64_t postgres_pool_size = 8;
    std::int64_t statement_cache_size = 128;
};

struct LogConfig {
    /// trace, debug, info, warn, error.
    std::string level = "info";
    /// Application log file; empty writes to standard error.
    std::string file;
    /// Access log file (one JSON object per line); empty writes to standard output.
    std::string access_file;
};

struct CatalogConfig {
    /// Folder of the trámite definition files (*.json).
    std::filesystem::path dir = "tramites";
};

struct OutboxConfig {
    /// Run the delivery worker in this process. With several nodes, one is enough (more
    /// are safe: each message is claimed by one).
    bool enabled = true;
    notify::OutboxOptions options;
};

struct AuditConfig {
    /// The log's Ed25519 key file; empty: <data_dir>/keys/audit_ed25519.key.
    std::filesystem::path key_file;
    audit::AuditOptions options;
};

struct SanctionsConfig {
    /// The Registro de Faltas over HTTP; an empty base_url asks only the sanctions recorded
    /// in this system.
    sanctions::HttpRegistryOptions registry;
    /// The office that keeps the registry of firm sanctions.
    std::string office = "IGT";
};

struct AppConfig {
    /// Load demonstration data at start.
    bool demo = false;
};

struct Config {
    http::ServerOptions server;
    StorageConfig storage;
    LogConfig log;
    CatalogConfig catalog;
    cases::CasesOptions cases;
    identity::IdentityOptions identity;
    identity::IdentityApiOptions identity_http;
    notify::SmtpOptions smtp;
    OutboxConfig outbox;
    AuditConfig audit;
    /// Upload limits (the [documents] keys); data_dir and public_url are ignored here:
    /// DocumentsOptions() takes them from storage.data_dir and identity.public_url.
    documents::DocumentsOptions documents;
    SanctionsConfig sanctions;
    AppConfig app;
    /// The file the configuration came from, if any (for messages).
    std::optional<std::filesystem::path> file;

    std::filesystem::path SqlitePath() const { return storage.data_dir / "ventanilla.sqlite3"; }
    /// The documents module's options: the [documents] keys, the data directory and the
    /// site's public URL (for the QR code of each document).
    documents::DocumentsOptions DocumentsOptions() const {
        documents::DocumentsOptions o = documents;
        o.data_dir = storage.data_dir;
        o.public_url = identity.public_url;
        return o;
    }
    std::filesystem::path AuditKeyPath() const {
        if (!audit.key_file.empty()) return audit.key_file;
        return storage.data_dir / "keys" / "audit_ed25519.key";
    }
};

/// Flags given on the command line, already parsed; they override everything else.
struct Overrides {
    std::optional<std::filesystem::path> config_file;
    std::optional<int> port;
    std::optional<std::filesystem::path> data_dir;
    std::optional<bool> demo;
};

/// Builds the configuration. `env` is the process environment (name -> value).
/// Errors: kInvalid with one entry in fields() per bad key, e.g.
/// {"server.port": "debe estar entre 0 y 65535"}; the message names the source.
Result<Config> LoadConfig(const Overrides& flags, const std::map<std::string, std::string>& env);

/// The process environment as a map.
std::map<std::string, std::string> ProcessEnvironment();

/// Markdown reference of every setting (the content of docs/settings.md).
std::string SettingsMarkdown();

/// The effective configuration as TOML, secrets masked.
std::string ConfigToToml(const Config& config);

}  // namespace vt::app
