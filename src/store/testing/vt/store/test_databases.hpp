#pragma once
// Scratch databases for the store tests. Test-only; include only from *_test.cpp files.
//
// PostgreSQL tests need a server: start one with scripts/pg-test-server.sh and export its
// URL as VENTANILLA_TEST_PG_URL. Its role must be allowed to create databases. Each test
// gets a database of its own (created and dropped here), so tests never see each other's
// tables, migrations or restores, even when several runs share one server.
#include <libpq-fe.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <filesystem>
#include <memory>

#include "vt/store/store.hpp"

#include "vt/core/random.hpp"
#include "vt/core/result.hpp"

namespace vt::store::testdb {

inline constexpr const char* kPgUrlVariable = "VENTANILLA_TEST_PG_URL";

/// The test server's URL, or nullopt when VENTANILLA_TEST_PG_URL is unset or empty.
inline std::optional<std::string> PgTestUrl() {
    const char* url = std::getenv(kPgUrlVariable);
    if (url == nullptr || *url == '\0') return std::nullopt;
    return std::string(url);
}

/// The message a PostgreSQL test skips with when there is no server.
inline std::string PgSkipMessage() {
    return std::string(kPgUrlVariable) +
           " is not set; PostgreSQL tests skipped. Run: dir=$(mktemp -d); export " +
           kPgUrlVariable + "=$(scripts/pg-test-server.sh start \"$dir\")";
}

/// Runs one statement outside any transaction on the database at `conninfo`.
inline Status PgAdminExec(const std::string& conninfo, const std::string& sql) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    Status result = Ok();
    if (PQstatus(conn) != CONNECTION_OK) {
        result = Error::Unavailable("test-database", PQerrorMessage(conn));
    } else {
        PGresult* res = PQexec(conn, sql.c_str());
        ExecStatusType status = PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            result = Error::Internal(sql + ": " + PQresultErrorMessage(res));
        }
        PQclear(res);
    }
    PQfinish(conn);
    return result;
}

/// `conninfo` (a URL or key=value string) with its dbname replaced by `dbname`, as a
/// key=value connection string.
inline Result<std::string> PgWithDatabase(const std::string& conninfo, std::string_view dbname) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (options == nullptr) {
        std::string detail = error ? error : "?";
        PQfreemem(error);
        return Error::Invalid(std::string(kPgUrlVariable) + " is not a valid URL: " + detail);
    }
    auto quote = [](std::string_view v) {
        std::string out = "'";
        for (char c : v) {
            if (c == '\'' || c == '\\') out.push_back('\\');
            out.push_back(c);
        }
        return out + "'";
    };
    std::string out = "dbname=";
    out += quote(dbname);
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
        if (o->val == nullptr || std::string_view(o->keyword) == "dbname") continue;
        out.push_back(' ');
        out += o->keyword;
        out.push_back('=');
        out += quote(o->val);
    }
    PQconninfoFree(options);
    return out;
}

/// A database created on the test server for one test and dropped with this object.
class PgScratchDatabase {
public:
    /// Creates the database; check status() before using url().
    explicit PgScratchDatabase(std::string server_url) : server_url_(std::move(server_url)) {
        core::InitCrypto();
        name_ = "vt_test_" + core::RandomHex(6);
        auto url = PgWithDatabase(server_url_, name_);
        if (!url.ok()) {
            status_ = url.error();
            return;
        }
        url_ = *url;
        status_ = PgAdminExec(server_url_, "CREATE DATABASE " + name_);
        created_ = status_.ok();
    }
    ~PgScratchDatabase() {
        // FORCE ends connections a failed test left open.
        if (created_)
            (void)PgAdminExec(server_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
    PgScratchDatabase(const PgScratchDatabase&) = delete;
    PgScratchDatabase& operator=(const PgScratchDatabase&) = delete;

    const Status& status() const { return status_; }
    /// Connection string of the scratch database.
    const std::string& url() const { return url_; }
    const std::string& name() const { return name_; }

private:
    std::string server_url_;
    std::string name_;
    std::string url_;
    Status status_;
    bool created_ = false;
};

}  // namespace vt::store::testdb

namespace vt::store::testdb {

enum class Engine { kSqlite, kPostgres };

inline std::string EngineName(Engine e) { return e == Engine::kSqlite ? "Sqlite" : "Postgres"; }

/// A migrated, empty store on either engine for domain-module tests. For PostgreSQL,
/// a scratch database on VENTANILLA_TEST_PG_URL's server (check `skip` first).
class MigratedStore {
public:
    explicit MigratedStore(Engine engine) {
        core::InitCrypto();
        if (engine == Engine::kPostgres) {
            auto server = PgTestUrl();
            if (!server) {
                skip = PgSkipMessage();
                return;
            }
            pg_ = std::make_unique<PgScratchDatabase>(*server);
            if (!pg_->status().ok()) {
                status = pg_->status();
                return;
            }
            PostgresOptions o;
            o.url = pg_->url();
            o.pool_size = 16;
            Open(OpenPostgres(o));
        } else {
            dir_ = std::filesystem::temp_directory_path() / ("vt-test-" + core::RandomHex(8));
            std::filesystem::create_directories(dir_);
            SqliteOptions o;
            o.path = dir_ / "ventanilla.sqlite3";
            Open(OpenSqlite(o));
        }
    }
    ~MigratedStore() {
        store.reset();  // before the scratch database is dropped
        pg_.reset();
        if (!dir_.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(dir_, ec);
        }
    }
    MigratedStore(const MigratedStore&) = delete;
    MigratedStore& operator=(const MigratedStore&) = delete;

    /// The SQLite database file (empty on PostgreSQL), for tests that open it a second time.
    std::filesystem::path sqlite_path() const {
        return dir_.empty() ? std::filesystem::path() : dir_ / "ventanilla.sqlite3";
    }

    std::string skip;  ///< Non-empty: the engine is not available here; skip the test.
    Status status;     ///< Why opening or migrating failed.
    std::unique_ptr<Store> store;

private:
    void Open(Result<std::unique_ptr<Store>> opened) {
        if (!opened.ok()) {
            status = opened.error();
            return;
        }
        store = std::move(opened).value();
        status = store->Migrate();
    }

    std::unique_ptr<PgScratchDatabase> pg_;
    std::filesystem::path dir_;
};

}  // namespace vt::store::testdb
