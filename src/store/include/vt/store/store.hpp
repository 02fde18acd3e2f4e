#pragma once
/// The storage port. Domain modules talk to the database only through this header;
/// the SQLite and PostgreSQL adapters implement it and pass the same conformance suite
/// (src/store/conformance/).
///
/// SQL dialect: statements use PostgreSQL-style numbered parameters `$1, $2, ...` (the
/// SQLite adapter binds them by name), and stick to the subset both engines share:
/// INSERT ... RETURNING, ON CONFLICT, integer booleans, TEXT timestamps, BIGINT ids.
/// Where the dialects must differ, ask `dialect()`; migrations have one folder per dialect.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vt/core/result.hpp"

namespace vt::store {

enum class Dialect { kSqlite, kPostgres };

/// Binary data (stored as BLOB / BYTEA).
struct Blob {
    std::string bytes;
    bool operator==(const Blob&) const = default;
};

/// One SQL value: NULL, integer, real, text or blob.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

/// A result row. Column access by index; type mismatches are programming errors
/// (the accessors assert), NULL is read with IsNull() or the optional accessors.
class Row {
public:
    explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
    std::size_t size() const { return values_.size(); }
    bool IsNull(std::size_t i) const;
    std::int64_t Int(std::size_t i) const;
    double Real(std::size_t i) const;
    const std::string& Text(std::size_t i) const;
    const std::string& Bytes(std::size_t i) const;
    std::optional<std::int64_t> OptInt(std::size_t i) const;
    std::optional<std::string> OptText(std::size_t i) const;
    const Value& at(std::size_t i) const { return values_.at(i); }

private:
    std::vector<Value> values_;
};

using Rows = std::vector<Row>;

/// A transaction in progress. Only valid inside the callback that received it, and only
/// on that callback's thread. Errors map engine failures to kinds: a uniqueness or
/// check violation is kConflict (code "constraint"), a full disk kStorageFull, a lost
/// connection kUnavailable (code "database-unavailable").
///
/// A failed statement dooms the transaction on both engines: every later statement
/// returns the same error and the transaction rolls back even if the callback returns
/// Ok(). (PostgreSQL works this way natively; the SQLite adapter imitates it.)
class Tx {
public:
    virtual ~Tx() = default;
    /// Runs a statement that returns rows.
    virtual Result<Rows> Query(std::string_view sql, std::span<const Value> params = {}) = 0;
    /// Runs a statement; returns the number of rows it changed.
    virtual Result<std::int64_t> Exec(std::string_view sql, std::span<const Value> params = {}) = 0;
    /// Runs several `;`-separated statements without parameters (migrations, DDL).
    virtual Status ExecScript(std::string_view sql) = 0;
    virtual Dialect dialect() const = 0;

    /// Convenience: the first row, or NotFound when there is none.
    Result<Row> QueryOne(std::string_view sql, std::span<const Value> params = {});
    /// Convenience: initializer-list parameters, e.g. tx.Exec(sql, {Value{id}, Value{name}}).
    Result<Rows> Query(std::string_view sql, std::initializer_list<Value> params) {
        return Query(sql, std::span<const Value>(params.begin(), params.size()));
    }
    Result<std::int64_t> Exec(std::string_view sql, std::initializer_list<Value> params) {
        return Exec(sql, std::span<const Value>(params.begin(), params.size()));
    }
    Result<Row> QueryOne(std::string_view sql, std::initializer_list<Value> params) {
        return QueryOne(sql, std::span<const Value>(params.begin(), params.size()));
    }
};

/// Work to run inside a transaction. Returning an error rolls back everything it did.
using TxFn = std::function<Status(Tx&)>;

/// Timing observer, called after each transaction with its kind ("write", "read") and
/// duration. The SQLite adapter also reports each group commit as "commit", so the
/// ratio of writes to commits is the batch size.
/// Must be thread-safe and cheap; the composition root wires it to /metrics.
using TimingObserver = std::function<void(std::string_view op, std::chrono::nanoseconds took)>;

/// One applied (or pending) migration.
struct MigrationInfo {
    int version = 0;
    std::string name;
    bool applied = false;
};

/// The database. Implementations are thread-safe: any thread may call any method
/// concurrently. Calls block the calling thread; never call them on an I/O thread.
/// The store must outlive every call in progress.
class Store {
public:
    virtual ~Store() = default;

    virtual Dialect dialect() const = 0;

    /// Runs `fn` in a read-write transaction and commits it durably (on SQLite,
    /// synchronous=FULL; concurrent writers share one fsync through group commit).
    /// If `fn` fails, or the commit fails, nothing `fn` wrote remains and the error is
    /// returned. `fn` may be retried internally only when it has not run yet.
    ///
    /// Isolation: SQLite runs writers one at a time; PostgreSQL runs them concurrently at
    /// READ COMMITTED. So never read-then-write a value in two statements: use atomic
    /// updates (`SET n = n + 1 ... RETURNING n`) or conditional ones
    /// (`UPDATE ... WHERE version = $2`, then check the changed-row count).
    /// The pool may be exhausted (kUnavailable, code "pool-exhausted").
    virtual Status Write(const TxFn& fn) = 0;

    /// Runs `fn` in a read-only snapshot. Writes inside it fail.
    virtual Status Read(const TxFn& fn) = 0;

    /// Succeeds when the database answers a trivial query (for /readyz).
    virtual Status Ping() = 0;

    /// Applies every pending migration, each in its own transaction, in version order.
    /// Fails (and applies nothing more) when an applied migration's text changed, or when
    /// the database has a version this binary does not know (a newer binary ran on it).
    virtual Status Migrate() = 0;

    /// Known migrations and whether each one has been applied. Writes nothing.
    virtual Result<std::vector<MigrationInfo>> Migrations() = 0;

    /// Writes a consistent copy of the database to `file` while it stays online.
    virtual Status Backup(const std::filesystem::path& file) = 0;

    /// Human-readable description for logs ("sqlite:/path/db.sqlite3"), without secrets.
    virtual std::string Describe() const = 0;
};

/// Options for the SQLite adapter.
struct SqliteOptions {
    /// Database file. Its directory must exist.
    std::filesystem::path path;
    /// Create the file when it does not exist. When false, a missing file is an error.
    bool create_if_missing = true;
    /// How long a statement waits for a lock held by another process before failing.
    std::chrono::milliseconds busy_timeout{5000};
    /// Read-only connections kept open for Read(); WAL lets them run beside the writer.
    int read_connections = 4;
    /// Most transactions committed together under one fsync.
    int max_group_commit = 256;
    /// Prepared statements cached per connection (least recently used are dropped).
    int statement_cache_size = 128;
    /// Limit on the database size in pages (0 = no limit); writes beyond it fail with
    /// kStorageFull. Lets an operator cap disk use; tests use it to simulate a full disk.
    std::int64_t max_page_count = 0;
    TimingObserver on_timing;
};

/// Options for the PostgreSQL adapter.
struct PostgresOptions {
    /// libpq connection string or URI, e.g. "postgresql://user@127.0.0.1:5432/ventanilla".
    std::string url;
    /// Connections in the pool.
    int pool_size = 8;
    /// How long Write/Read waits for a free connection before failing with kUnavailable.
    std::chrono::milliseconds acquire_timeout{5000};
    /// Prepared statements cached per connection.
    int statement_cache_size = 128;
    TimingObserver on_timing;
};

/// Opens (creating if allowed) an SQLite database in WAL mode. Does not migrate.
/// Errors: kUnavailable when the file cannot be opened or is not an SQLite database
/// (code "database-corrupt"), NotFound when missing and !create_if_missing.
Result<std::unique_ptr<Store>> OpenSqlite(const SqliteOptions& options);

/// Connects to PostgreSQL and fills the pool. Does not migrate.
/// Errors: kUnavailable when the server cannot be reached or refuses the login.
Result<std::unique_ptr<Store>> OpenPostgres(const PostgresOptions& options);

/// Replaces the SQLite database at `target` with the backup `file` after checking that
/// the backup is an intact Ventanilla database. The server must not be running on it.
Status RestoreSqlite(const std::filesystem::path& file, const std::filesystem::path& target);

/// Replaces the contents of the PostgreSQL database at `url` with the pg_dump archive
/// `file` (pg_restore --clean --if-exists --single-transaction).
Status RestorePostgres(const std::string& url, const std::filesystem::path& file);

}  // namespace vt::store
