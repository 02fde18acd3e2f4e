#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "migrate.hpp"
#include "postgres/pg_connection.hpp"
#include "postgres/pg_errors.hpp"
#include "postgres/pg_process.hpp"
#include "postgres/pg_values.hpp"
#include "vt/store/store.hpp"

namespace vt::store {
namespace {

using pg::Connection;
using pg::ResultPtr;

// Bounds on the options; beyond them the server, not the store, would run out first.
constexpr int kMaxPoolSize = 1000;
constexpr int kMaxStatementCache = 100000;
// libpq waits forever for an unreachable host unless told otherwise; a URL may still
// set its own connect_timeout.
constexpr std::string_view kDefaultConnectTimeoutSeconds = "10";

// The parts of a connection string that a child process needs: the string without the
// password (argv is visible to other users), and the password in PGPASSWORD.
struct ToolConnection {
    std::string conninfo;
    std::vector<std::string> env;
};

// Quotes a value for a "key='value'" connection string.
std::string QuoteConninfoValue(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

Result<ToolConnection> ParseUrl(const std::string& url) {
    if (url.empty()) return Error::Invalid("Falta la URL de la base de datos PostgreSQL.");
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
    if (options == nullptr) {
        std::string detail = error ? error : "sin memoria";
        PQfreemem(error);
        while (!detail.empty() && detail.back() == '\n') detail.pop_back();
        return Error::Invalid("La URL de la base de datos PostgreSQL no es válida: " + detail);
    }
    ToolConnection out;
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
        if (o->val == nullptr) continue;
        if (std::string_view(o->keyword) == "password") {
            out.env.push_back(std::string("PGPASSWORD=") + o->val);
            continue;
        }
        if (!out.conninfo.empty()) out.conninfo.push_back(' ');
        out.conninfo += std::string(o->keyword) + "=" + QuoteConninfoValue(o->val);
    }
    PQconninfoFree(options);
    return out;
}

// A fixed set of connections shared by all threads.
class Pool {
public:
    // A connection lent to one caller; goes back to the pool when destroyed.
    class Lease {
    public:
        Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
        Lease(Lease&&) = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (conn_) pool_->Release(std::move(conn_));
        }
        Connection& operator*() const { return *conn_; }
        Connection* operator->() const { return conn_.get(); }

    private:
        Pool* pool_;
        std::unique_ptr<Connection> conn_;
    };

    Pool(std::vector<std::unique_ptr<Connection>> connections, std::chrono::milliseconds timeout)
        : timeout_(std::max(timeout, std::chrono::milliseconds(0))),
          idle_(std::move(connections)) {}

    // Waits up to the acquire timeout for a free connection. A connection that broke is
    // reconnected here, so one server restart costs each connection one failure at most.
    Result<Lease> Acquire() {
        std::unique_ptr<Connection> conn;
        {
            std::unique_lock lock(mu_);
            if (!cv_.wait_for(lock, timeout_, [&] { return !idle_.empty(); })) {
                return Error::Unavailable(
                    "pool-exhausted",
                    "Todas las conexiones a la base de datos están ocupadas; intente de nuevo "
                    "en un momento.");
            }
            conn = std::move(idle_.back());
            idle_.pop_back();
        }
        Lease lease(this, std::move(conn));
        if (!lease->healthy()) VT_RETURN_IF_ERROR(lease->Reset());
        return lease;
    }

private:
    void Release(std::unique_ptr<Connection> conn) {
        {
            std::lock_guard lock(mu_);
            idle_.push_back(std::move(conn));
        }
        cv_.notify_one();
    }

    const std::chrono::milliseconds timeout_;
    std::mutex mu_;
    std::condition_variable cv_;  // Signalled when idle_ gains a connection.
    // GUARDED_BY(mu_). Connections not lent out; the most recently used is at the back.
    std::vector<std::unique_ptr<Connection>> idle_;
};

// A transaction on one leased connection. Lives on the stack of Write/Read, so it cannot
// outlive the lease.
class PgTx final : public Tx {
public:
    explicit PgTx(Connection& conn) : conn_(conn) {}

    using Tx::Exec;
    using Tx::Query;

    Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
        VT_ASSIGN_OR_RETURN(ResultPtr res, Run(sql, params));
        const int rows = PQntuples(res.get());
        const int cols = PQnfields(res.get());
        Rows out;
        out.reserve(static_cast<std::size_t>(rows));
        for (int r = 0; r < rows; ++r) {
            std::vector<Value> values;
            values.reserve(static_cast<std::size_t>(cols));
            for (int c = 0; c < cols; ++c) {
                if (PQgetisnull(res.get(), r, c)) {
                    values.emplace_back(std::monostate{});
                    continue;
                }
                auto value = pg::DecodeField(PQftype(res.get(), c), PQgetvalue(res.get(), r, c),
                                             PQgetlength(res.get(), r, c));
                if (!value.ok()) return Fail(std::move(value).error());
                values.push_back(std::move(value).value());
            }
            out.emplace_back(std::move(values));
        }
        return out;
    }

    Result<std::int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
        VT_ASSIGN_OR_RETURN(ResultPtr res, Run(sql, params));
        std::string_view count = PQcmdTuples(res.get());
        std::int64_t n = 0;
        if (!count.empty()) std::from_chars(count.data(), count.data() + count.size(), n);
        return n;
    }

    Status ExecScript(std::string_view sql) override {
        auto res = conn_.RunScript(sql);
        if (!res.ok()) return Fail(std::move(res).error());
        return Ok();
    }

    Dialect dialect() const override { return Dialect::kPostgres; }

    // The first statement error. PostgreSQL refuses every later statement of the
    // transaction and would turn COMMIT into ROLLBACK, so this error decides the outcome
    // even if `fn` ignored it.
    const std::optional<Error>& failure() const { return failure_; }

private:
    Result<ResultPtr> Run(std::string_view sql, std::span<const Value> params) {
        auto res = conn_.Run(sql, params);
        if (!res.ok()) return Fail(std::move(res).error());
        return res;
    }

    Error Fail(Error e) {
        if (!failure_) failure_ = e;
        return e;
    }

    Connection& conn_;
    std::optional<Error> failure_;
};

// Runs a statement that must succeed and return no rows (BEGIN, COMMIT, ROLLBACK).
Status Command(Connection& conn, std::string_view sql) {
    auto res = conn.RunScript(sql);
    if (!res.ok()) return std::move(res).error();
    return Ok();
}

// Leaves the connection outside any transaction, or broken (and then reset on next use).
void EnsureIdle(Connection& conn) {
    if (!conn.healthy() || conn.transaction_status() == PQTRANS_IDLE) return;
    // A ROLLBACK that fails leaves the session in an unknown state; start it over rather
    // than let the next caller's BEGIN join a stale transaction.
    if (!Command(conn, "ROLLBACK").ok() || conn.transaction_status() != PQTRANS_IDLE) {
        (void)conn.Reset();
    }
}

class PostgresStore final : public Store {
public:
    PostgresStore(std::vector<std::unique_ptr<Connection>> connections,
                  const PostgresOptions& options, ToolConnection tool, std::string description)
        : pool_(std::move(connections), options.acquire_timeout),
          on_timing_(options.on_timing),
          tool_(std::move(tool)),
          description_(std::move(description)) {}

    Dialect dialect() const override { return Dialect::kPostgres; }

    Status Write(const TxFn& fn) override { return Transact(fn, /*read_only=*/false); }

    Status Read(const TxFn& fn) override { return Transact(fn, /*read_only=*/true); }

    Status Ping() override {
        VT_ASSIGN_OR_RETURN(Pool::Lease conn, pool_.Acquire());
        EnsureIdle(*conn);
        Status s = Command(*conn, "SELECT 1");
        if (!s.ok() && !conn->healthy() && conn->Reset().ok()) s = Command(*conn, "SELECT 1");
        return s;
    }

    Status Migrate() override {
        return internal::RunMigrations(*this, internal::MigrationsFor(Dialect::kPostgres));
    }

    Result<std::vector<MigrationInfo>> Migrations() override {
        return internal::ListMigrations(*this, internal::MigrationsFor(Dialect::kPostgres));
    }

    Status Backup(const std::filesystem::path& file) override {
        std::error_code ec;
        std::filesystem::path target = std::filesystem::absolute(file, ec);
        if (ec) return Error::Invalid("Ruta de copia de seguridad inválida: " + file.string());
        std::filesystem::path tmp = target;
        tmp += ".tmp";
        const std::string argv[] = {"pg_dump", "--format=custom", "--file=" + tmp.string(),
                                    "--dbname=" + tool_.conninfo};
        Status s = pg::RunTool(argv, tool_.env, "backup-failed",
                               "No se pudo hacer la copia de seguridad con pg_dump");
        if (s.ok()) {
            // Renaming last means `file` is either the old copy or a complete new one.
            std::filesystem::rename(tmp, target, ec);
            if (ec) {
                s = Error::Unavailable(
                    "backup-failed", "No se pudo mover la copia de seguridad a " + target.string() +
                                         ": " + ec.message());
            }
        }
        if (!s.ok()) std::filesystem::remove(tmp, ec);
        return s;
    }

    std::string Describe() const override { return description_; }

private:
    Status Transact(const TxFn& fn, bool read_only) {
        const auto start = std::chrono::steady_clock::now();
        VT_ASSIGN_OR_RETURN(Pool::Lease conn, pool_.Acquire());
        Status s = TransactOn(*conn, fn, read_only);
        if (on_timing_) {
            on_timing_(read_only ? "read" : "write", std::chrono::steady_clock::now() - start);
        }
        return s;
    }

    static Status TransactOn(Connection& conn, const TxFn& fn, bool read_only) {
        // REPEATABLE READ gives a read one snapshot for all its statements, as SQLite's
        // read transactions have; read-only transactions never fail to serialize under it.
        const std::string_view begin =
            read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN";
        EnsureIdle(conn);
        conn.DropEvicted();
        Status began = Command(conn, begin);
        if (!began.ok() && !conn.healthy()) {
            // The connection died while idle (server restart, idle timeout). `fn` has not
            // run, so reconnecting and beginning again is safe.
            if (conn.Reset().ok()) began = Command(conn, begin);
        }
        VT_RETURN_IF_ERROR(began);

        PgTx tx(conn);
        Status s = RunFn(fn, tx);
        if (s.ok() && tx.failure()) s = *tx.failure();
        if (s.ok()) s = Commit(conn);
        EnsureIdle(conn);
        return s;
    }

    static Status RunFn(const TxFn& fn, Tx& tx) {
        try {
            return fn(tx);
        } catch (const std::exception& e) {
            return Error::Internal(std::string("Excepción dentro de la transacción: ") + e.what());
        } catch (...) {
            return Error::Internal("Excepción desconocida dentro de la transacción.");
        }
    }

    static Status Commit(Connection& conn) {
        auto res = conn.RunScript("COMMIT");
        if (!res.ok()) {
            if (res.error().kind() == ErrorKind::kUnavailable) {
                return Error::Unavailable(
                    "database-unavailable",
                    "Se perdió la conexión con la base de datos al confirmar los cambios; no se "
                    "sabe si quedaron guardados. (" +
                        res.error().message() + ")");
            }
            return std::move(res).error();
        }
        // COMMIT of a transaction the server already aborted answers ROLLBACK, not an error.
        if (std::string_view(PQcmdStatus(res->get())) != "COMMIT") {
            return Error::Internal(
                "La base de datos revirtió la transacción en lugar de confirmarla.");
        }
        return Ok();
    }

    Pool pool_;
    const TimingObserver on_timing_;
    const ToolConnection tool_;
    const std::string description_;
};

pg::ConnectParams MakeConnectParams(const std::string& url) {
    // Keywords before "dbname" are defaults the URL may override; those after it win.
    pg::ConnectParams params;
    params.keywords = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding"};
    params.values = {std::string(kDefaultConnectTimeoutSeconds), "ventanilla", url, "UTF8"};
    return params;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgres(const PostgresOptions& options) {
    if (options.pool_size < 1 || options.pool_size > kMaxPoolSize) {
        return Error::Invalid("El tamaño del grupo de conexiones debe estar entre 1 y " +
                              std::to_string(kMaxPoolSize) + ".");
    }
    if (options.statement_cache_size < 0 || options.statement_cache_size > kMaxStatementCache) {
        return Error::Invalid("El tamaño de la caché de sentencias debe estar entre 0 y " +
                              std::to_string(kMaxStatementCache) + ".");
    }
    VT_ASSIGN_OR_RETURN(ToolConnection tool, ParseUrl(options.url));
    pg::ConnectParams params = MakeConnectParams(options.url);
    std::vector<std::unique_ptr<Connection>> connections;
    for (int i = 0; i < options.pool_size; ++i) {
        VT_ASSIGN_OR_RETURN(auto conn, Connection::Open(params, options.statement_cache_size));
        connections.push_back(std::move(conn));
    }
    std::string description = "postgresql://" + connections.front()->Address();
    return std::unique_ptr<Store>(new PostgresStore(std::move(connections), options,
                                                    std::move(tool), std::move(description)));
}

Status RestorePostgres(const std::string& url, const std::filesystem::path& file) {
    VT_ASSIGN_OR_RETURN(ToolConnection tool, ParseUrl(url));
    std::error_code ec;
    std::filesystem::path source = std::filesystem::absolute(file, ec);
    if (ec || !std::filesystem::is_regular_file(source, ec)) {
        return Error::NotFound("No existe el archivo de copia de seguridad " + file.string() + ".");
    }
    // An absolute path cannot be mistaken for an option.
    const std::string argv[] = {"pg_restore",
                                "--clean",
                                "--if-exists",
                                "--single-transaction",
                                "--no-owner",
                                "--exit-on-error",
                                "--dbname=" + tool.conninfo,
                                source.string()};
    return pg::RunTool(argv, tool.env, "restore-failed",
                       "No se pudo restaurar la copia de seguridad con pg_restore");
}

}  // namespace vt::store
