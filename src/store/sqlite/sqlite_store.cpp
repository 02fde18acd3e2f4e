// SQLite adapter of the storage port.
//
// One writer connection owned by one writer thread, which runs queued write
// transactions in batches: BEGIN IMMEDIATE, each job inside its own SAVEPOINT (so a
// failing job rolls back alone), then a single COMMIT — one fsync for the whole batch
// under synchronous=FULL ("group commit"). Readers use a small pool of connections that
// WAL lets run beside the writer. Every connection is used by one thread at a time.

#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <semaphore>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "migrate.hpp"
#include "vt/store/store.hpp"

namespace vt::store {
namespace {

using Clock = std::chrono::steady_clock;

Error MapError(int rc, sqlite3* db, std::string_view what) {
    std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT:
            return Error::Conflict("constraint",
                                   "Ya existe un registro con esos datos o viola una regla de la "
                                   "base de datos (" + detail + ").");
        case SQLITE_FULL:
            return Error::StorageFull(
                "El almacenamiento está lleno; no se guardó nada. Libere espacio en disco.");
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Error::Unavailable("database-busy",
                                      "La base de datos está ocupada por otro proceso; intente de nuevo.");
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
            return Error::Unavailable("database-corrupt",
                                      "El archivo de base de datos está dañado o no es una base "
                                      "SQLite (" + detail + ").");
        case SQLITE_READONLY:
            return Error::Internal("Escritura en una transacción de solo lectura (" + detail + ").");
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
            return Error::Unavailable("database-io", "Error de entrada/salida en la base de datos (" +
                                                         detail + ").");
        default:
            return Error::Internal(std::string(what) + ": " + detail);
    }
}

// A connection with a bounded LRU cache of prepared statements.
class Connection {
public:
    Connection(sqlite3* db, std::size_t cache_size) : db_(db), cache_size_(cache_size) {}
    ~Connection() {
        for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
        sqlite3_close_v2(db_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* db() const { return db_; }

    Status ExecScript(std::string_view sql) {
        std::string s(sql);
        char* err = nullptr;
        int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
        if (err) sqlite3_free(err);
        if (rc != SQLITE_OK) return MapError(rc, db_, "SQL");
        return Ok();
    }

    // Runs a statement; hands each row to `on_row` when given.
    Result<std::int64_t> Run(std::string_view sql, std::span<const Value> params, Rows* out) {
        VT_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
        // Statements stay cached; reset them whatever happens.
        struct Reset {
            sqlite3_stmt* s;
            ~Reset() { sqlite3_reset(s); sqlite3_clear_bindings(s); }
        } reset{stmt};
        VT_RETURN_IF_ERROR(Bind(stmt, params));
        int columns = sqlite3_column_count(stmt);
        while (true) {
            int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) return MapError(rc, db_, "SQL");
            if (!out) continue;
            std::vector<Value> values;
            values.reserve(columns);
            for (int c = 0; c < columns; ++c) values.push_back(Column(stmt, c));
            out->emplace_back(std::move(values));
        }
        return static_cast<std::int64_t>(sqlite3_changes64(db_));
    }

private:
    struct Entry {
        sqlite3_stmt* stmt;
        std::list<std::string>::iterator lru;
    };

    Result<sqlite3_stmt*> Prepare(std::string_view sql) {
        std::string key(sql);
        if (auto it = cache_.find(key); it != cache_.end()) {
            lru_.splice(lru_.begin(), lru_, it->second.lru);
            return it->second.stmt;
        }
        sqlite3_stmt* stmt = nullptr;
        const char* tail = nullptr;
        int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
        if (rc != SQLITE_OK) return MapError(rc, db_, "SQL");
        if (!stmt) return Error::Internal("Sentencia SQL vacía.");
        if (cache_size_ == 0) cache_size_ = 1;
        while (cache_.size() >= cache_size_) {
            auto victim = cache_.find(lru_.back());
            sqlite3_finalize(victim->second.stmt);
            cache_.erase(victim);
            lru_.pop_back();
        }
        lru_.push_front(key);
        cache_.emplace(std::move(key), Entry{stmt, lru_.begin()});
        return stmt;
    }

    // Parameters are written $1..$N; SQLite treats each as a named parameter, so map each
    // name back to its number.
    Status Bind(sqlite3_stmt* stmt, std::span<const Value> params) {
        int count = sqlite3_bind_parameter_count(stmt);
        for (int i = 1; i <= count; ++i) {
            const char* name = sqlite3_bind_parameter_name(stmt, i);
            std::size_t n = 0;
            if (!name || name[0] != '$' || (n = std::strtoul(name + 1, nullptr, 10)) == 0 ||
                n > params.size()) {
                return Error::Internal(std::string("Parámetro SQL sin valor: ") + (name ? name : "?"));
            }
            const Value& v = params[n - 1];
            int rc = std::visit(
                [&](const auto& x) -> int {
                    using T = std::decay_t<decltype(x)>;
                    if constexpr (std::is_same_v<T, std::monostate>) return sqlite3_bind_null(stmt, i);
                    else if constexpr (std::is_same_v<T, std::int64_t>) return sqlite3_bind_int64(stmt, i, x);
                    else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt, i, x);
                    else if constexpr (std::is_same_v<T, std::string>)
                        return sqlite3_bind_text64(stmt, i, x.data(), x.size(), SQLITE_STATIC, SQLITE_UTF8);
                    else
                        return sqlite3_bind_blob64(stmt, i, x.bytes.data(), x.bytes.size(), SQLITE_STATIC);
                },
                v);
            if (rc != SQLITE_OK) return MapError(rc, db_, "bind");
        }
        return Ok();
    }

    static Value Column(sqlite3_stmt* stmt, int c) {
        switch (sqlite3_column_type(stmt, c)) {
            case SQLITE_INTEGER: return std::int64_t{sqlite3_column_int64(stmt, c)};
            case SQLITE_FLOAT: return sqlite3_column_double(stmt, c);
            case SQLITE_TEXT: {
                auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                return std::string(p, sqlite3_column_bytes(stmt, c));
            }
            case SQLITE_BLOB: {
                auto p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
                return Blob{std::string(p ? p : "", sqlite3_column_bytes(stmt, c))};
            }
            default: return std::monostate{};
        }
    }

    sqlite3* db_;
    std::size_t cache_size_;
    std::list<std::string> lru_;  // most recently used first
    std::unordered_map<std::string, Entry> cache_;
};

// A failed statement dooms the transaction, as on PostgreSQL: later statements return
// the first error, and the job rolls back even if its callback ignores the failure.
class SqliteTx final : public Tx {
public:
    SqliteTx(Connection& conn, bool read_only) : conn_(conn), read_only_(read_only) {}
    Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
        VT_RETURN_IF_ERROR(doomed_);
        Rows rows;
        if (auto r = conn_.Run(sql, params, &rows); !r.ok()) return Doom(std::move(r).error());
        return rows;
    }
    Result<std::int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
        VT_RETURN_IF_ERROR(doomed_);
        auto r = conn_.Run(sql, params, nullptr);
        if (!r.ok()) return Doom(std::move(r).error());
        return r;
    }
    Status ExecScript(std::string_view sql) override {
        VT_RETURN_IF_ERROR(doomed_);
        if (read_only_) return Doom(Error::Internal("Escritura en una transacción de solo lectura."));
        if (Status s = conn_.ExecScript(sql); !s.ok()) return Doom(std::move(s).error());
        return Ok();
    }
    Dialect dialect() const override { return Dialect::kSqlite; }

    /// The first failure of a statement, if any.
    const Status& doomed() const { return doomed_; }
    /// Starts a new job on the same connection.
    void Reset() { doomed_ = Ok(); }

private:
    Error Doom(Error e) {
        if (doomed_.ok()) doomed_ = e;
        return e;
    }

    Connection& conn_;
    bool read_only_;
    Status doomed_;
};

Status RunGuarded(const TxFn& fn, Tx& tx) {
    try {
        return fn(tx);
    } catch (const std::exception& e) {
        return Error::Internal(std::string("Excepción dentro de la transacción: ") + e.what());
    } catch (...) {
        return Error::Internal("Excepción desconocida dentro de la transacción.");
    }
}

Result<std::unique_ptr<Connection>> OpenConnection(const SqliteOptions& o, bool create,
                                                   bool writer) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(o.path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e = MapError(rc, db, "open");
        sqlite3_close_v2(db);
        return Error(e.kind(), e.code(),
                     "No se pudo abrir la base de datos " + o.path.string() + ": " + e.message());
    }
    auto conn = std::make_unique<Connection>(db, o.statement_cache_size);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(o.busy_timeout.count()));
    // Touching the schema makes a file that is not a database fail here, at open.
    std::string setup = "PRAGMA foreign_keys=ON; SELECT count(*) FROM sqlite_schema;";
    if (writer) {
        setup += "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
        if (o.max_page_count > 0) setup += "PRAGMA max_page_count=" + std::to_string(o.max_page_count) + ";";
    } else {
        setup += "PRAGMA query_only=1;";
    }
    if (Status s = conn->ExecScript(setup); !s.ok()) {
        return Error(s.error().kind(), s.error().code(),
                     "No se pudo abrir la base de datos " + o.path.string() + ": " + s.error().message());
    }
    return conn;
}

class SqliteStore final : public Store {
public:
    SqliteStore(SqliteOptions options, std::unique_ptr<Connection> writer,
                std::vector<std::unique_ptr<Connection>> readers)
        : options_(std::move(options)), writer_(std::move(writer)) {
        for (auto& r : readers) idle_readers_.push_back(r.get());
        readers_ = std::move(readers);
        writer_thread_ = std::thread([this] { WriterLoop(); });
    }

    ~SqliteStore() override {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        queue_cv_.notify_all();
        writer_thread_.join();
        // Leave the file self-contained: fold the WAL back into the database.
        (void)writer_->ExecScript("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    Dialect dialect() const override { return Dialect::kSqlite; }

    Status Write(const TxFn& fn) override {
        auto start = Clock::now();
        Job job{&fn, Ok()};
        bool wake;
        {
            std::lock_guard lock(mu_);
            if (stopping_) return Error::Unavailable("shutting-down", "El servidor se está deteniendo.");
            queue_.push_back(&job);
            // A busy writer picks the job up after its current batch; only an idle one
            // needs the (system-call) wake-up.
            wake = writer_idle_;
        }
        if (wake) queue_cv_.notify_one();
        job.done.acquire();
        Observe("write", start);
        return std::move(job.status);
    }

    Status Read(const TxFn& fn) override {
        auto start = Clock::now();
        Connection* conn = AcquireReader();
        Status result = [&]() -> Status {
            VT_RETURN_IF_ERROR(conn->ExecScript("BEGIN"));
            SqliteTx tx(*conn, /*read_only=*/true);
            Status s = RunGuarded(fn, tx);
            if (s.ok() && !tx.doomed().ok()) s = tx.doomed();
            (void)conn->ExecScript(s.ok() ? "COMMIT" : "ROLLBACK");
            return s;
        }();
        ReleaseReader(conn);
        Observe("read", start);
        return result;
    }

    Status Ping() override {
        return Read([](Tx& tx) -> Status { return tx.Query("SELECT 1").ok() ? Ok() : Error::Internal("ping"); });
    }

    Status Migrate() override {
        return internal::RunMigrations(*this, internal::MigrationsFor(Dialect::kSqlite));
    }

    Result<std::vector<MigrationInfo>> Migrations() override {
        return internal::ListMigrations(*this, internal::MigrationsFor(Dialect::kSqlite));
    }

    Status Backup(const std::filesystem::path& file) override {
        // A separate source connection, so the copy neither blocks nor waits for the writer
        // thread; the backup API copies a consistent snapshot page by page.
        VT_ASSIGN_OR_RETURN(auto src, OpenConnection(options_, false, false));
        return CopyDatabase(src->db(), file);
    }

    std::string Describe() const override { return "sqlite:" + options_.path.string(); }

    static Status CopyDatabase(sqlite3* src, const std::filesystem::path& file) {
        std::filesystem::path tmp = file;
        tmp += ".tmp";
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        sqlite3* dst = nullptr;
        int rc = sqlite3_open_v2(tmp.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_close_v2(dst);
            return Error::Unavailable("backup-failed", "No se pudo crear " + tmp.string() + ": " +
                                                           sqlite3_errstr(rc));
        }
        sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
        if (!b) {
            Error e = MapError(sqlite3_errcode(dst), dst, "backup");
            sqlite3_close_v2(dst);
            return e;
        }
        do {
            rc = sqlite3_backup_step(b, 1024);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
        Status result = Ok();
        if (rc != SQLITE_DONE) result = MapError(rc, dst, "backup");
        sqlite3_close_v2(dst);
        if (!result.ok()) {
            std::filesystem::remove(tmp, ec);
            return result;
        }
        std::filesystem::rename(tmp, file, ec);
        if (ec) return Error::Unavailable("backup-failed", "No se pudo escribir " + file.string() + ": " + ec.message());
        return Ok();
    }

private:
    struct Job {
        const TxFn* fn;
        Status status;                     // written by the writer thread before `done`
        std::binary_semaphore done{0};     // released once, when the batch has committed
    };

    void Observe(std::string_view op, Clock::time_point start) {
        if (options_.on_timing) options_.on_timing(op, Clock::now() - start);
    }

    Connection* AcquireReader() {
        std::unique_lock lock(readers_mu_);
        readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
        Connection* c = idle_readers_.back();
        idle_readers_.pop_back();
        return c;
    }

    void ReleaseReader(Connection* c) {
        {
            std::lock_guard lock(readers_mu_);
            idle_readers_.push_back(c);
        }
        readers_cv_.notify_one();
    }

    void WriterLoop() {
        std::vector<Job*> batch;
        while (true) {
            {
                std::unique_lock lock(mu_);
                writer_idle_ = true;
                queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
                writer_idle_ = false;
                if (queue_.empty()) return;  // stopping and drained
                std::size_t n = std::min<std::size_t>(queue_.size(), std::max(1, options_.max_group_commit));
                batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
                queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
            }
            RunBatch(batch);
            // Wake exactly the writers of this batch; the others keep sleeping.
            for (Job* j : batch) j->done.release();
        }
    }

    // Runs the batch in one transaction. Statuses are set on each job; a job that
    // succeeded is reported as such only if the final COMMIT succeeds.
    // Transaction-control statements go through the statement cache: parsing them on
    // every job costs more than the work of a small job.
    static Status Control(Connection& c, std::string_view sql) {
        auto r = c.Run(sql, {}, nullptr);
        if (!r.ok()) return std::move(r).error();
        return Ok();
    }

    void RunBatch(const std::vector<Job*>& batch) {
        auto start = Clock::now();
        RunBatchInTransaction(batch);
        Observe("commit", start);
    }

    void RunBatchInTransaction(const std::vector<Job*>& batch) {
        Connection& w = *writer_;
        if (Status s = Control(w, "BEGIN IMMEDIATE"); !s.ok()) {
            for (Job* j : batch) j->status = s;
            return;
        }
        SqliteTx tx(w, /*read_only=*/false);
        std::size_t ran = 0;
        for (; ran < batch.size(); ++ran) {
            Job* j = batch[ran];
            Status s = Control(w, "SAVEPOINT job");
            if (s.ok()) {
                tx.Reset();
                s = RunGuarded(*j->fn, tx);
                if (s.ok() && !tx.doomed().ok()) s = tx.doomed();
                if (!s.ok() && sqlite3_get_autocommit(w.db()) == 0) {
                    (void)Control(w, "ROLLBACK TO job");
                }
                if (sqlite3_get_autocommit(w.db()) == 0) (void)Control(w, "RELEASE job");
            }
            j->status = std::move(s);
            // Some errors (full disk, I/O) make SQLite abandon the whole transaction;
            // then the jobs before this one are lost too and must report it.
            if (sqlite3_get_autocommit(w.db()) != 0) {
                Error lost = j->status.ok() ? Error::Internal("La transacción se canceló.") : j->status.error();
                for (std::size_t k = 0; k < batch.size(); ++k) {
                    if (k != ran) batch[k]->status = lost;
                }
                return;
            }
        }
        Status commit = Control(w, "COMMIT");
        if (!commit.ok()) {
            (void)Control(w, "ROLLBACK");
            for (Job* j : batch) {
                if (j->status.ok()) j->status = commit;
            }
        }
    }

    const SqliteOptions options_;
    std::unique_ptr<Connection> writer_;  // used only by writer_thread_ (and the destructor)

    std::mutex mu_;
    std::condition_variable queue_cv_;
    std::deque<Job*> queue_;  // GUARDED_BY(mu_)
    bool stopping_ = false;   // GUARDED_BY(mu_)
    bool writer_idle_ = false;  // GUARDED_BY(mu_): the writer waits on queue_cv_

    std::vector<std::unique_ptr<Connection>> readers_;
    std::mutex readers_mu_;
    std::condition_variable readers_cv_;
    std::vector<Connection*> idle_readers_;  // GUARDED_BY(readers_mu_)

    std::thread writer_thread_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlite(const SqliteOptions& options) {
    std::error_code ec;
    if (!options.path.has_parent_path() ? false : !std::filesystem::is_directory(options.path.parent_path(), ec)) {
        return Error::Unavailable("data-dir-missing",
                                  "No existe el directorio de datos " +
                                      options.path.parent_path().string() + ".");
    }
    bool exists = std::filesystem::exists(options.path, ec);
    if (!exists && !options.create_if_missing) {
        return Error::NotFound("No existe la base de datos " + options.path.string() +
                               " y la configuración no permite crearla.");
    }
    VT_ASSIGN_OR_RETURN(auto writer, OpenConnection(options, true, true));
    std::vector<std::unique_ptr<Connection>> readers;
    for (int i = 0; i < std::max(1, options.read_connections); ++i) {
        VT_ASSIGN_OR_RETURN(auto r, OpenConnection(options, false, false));
        readers.push_back(std::move(r));
    }
    return std::unique_ptr<Store>(new SqliteStore(options, std::move(writer), std::move(readers)));
}

Status RestoreSqlite(const std::filesystem::path& file, const std::filesystem::path& target) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return Error::NotFound("No existe la copia " + file.string() + ".");
    SqliteOptions check;
    check.path = file;
    check.create_if_missing = false;
    VT_ASSIGN_OR_RETURN(auto src, OpenConnection(check, false, false));
    Rows rows;
    if (auto r = src->Run("PRAGMA integrity_check", {}, &rows); !r.ok()) return std::move(r).error();
    if (rows.empty() || rows[0].Text(0) != "ok") {
        return Error::Unavailable("database-corrupt", "La copia " + file.string() + " está dañada.");
    }
    rows.clear();
    if (auto r = src->Run("SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'", {}, &rows);
        !r.ok() || rows.empty() || rows[0].Int(0) != 1) {
        return Error::Invalid("La copia " + file.string() + " no es una base de datos de Ventanilla.");
    }
    // Copying with the backup API into the target (rather than renaming files) takes the
    // target's locks and rewrites its WAL state correctly.
    sqlite3* dst = nullptr;
    int rc = sqlite3_open_v2(target.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_close_v2(dst);
        return Error::Unavailable("restore-failed", "No se pudo abrir " + target.string() + ".");
    }
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", src->db(), "main");
    if (!b) {
        Error e = MapError(sqlite3_errcode(dst), dst, "restore");
        sqlite3_close_v2(dst);
        return e;
    }
    rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    Status result = rc == SQLITE_DONE ? Ok() : Status(MapError(rc, dst, "restore"));
    if (result.ok()) {
        char* err = nullptr;
        sqlite3_exec(dst, "PRAGMA wal_checkpoint(TRUNCATE);", nullptr, nullptr, &err);
        sqlite3_free(err);
    }
    sqlite3_close_v2(dst);
    return result;
}

}  // namespace vt::store
