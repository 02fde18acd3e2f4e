// Durable writes: the storage port against a raw SQLite loop.
//
// The SQLite adapter commits every Store::Write() durably (WAL, synchronous=FULL) and lets
// concurrent writers share one fsync (group commit). This program measures how many
// one-row write transactions per second the port sustains with C concurrent clients, then
// measures the reference: one thread inserting the same rows into the same table through
// the sqlite3 C API, with the same durability settings, in transactions of the batch size
// the port reached. Their ratio is the cost of the port (queue, savepoints, threads) over
// what the engine itself allows for the same number of fsyncs per row.
//
// With a PostgreSQL URL (--pg-url, or BENCH_PG_URL / VENTANILLA_TEST_PG_URL) it also
// measures the PostgreSQL adapter with the same clients; that figure has no reference.
//
//   vt_bench_durable_writes [--clients N] [--seconds S] [--payload-bytes N] [--dir DIR]
//                           [--pg-url URL]
//
// Figures, not a test: it fails only when a measurement cannot run. The last line starts
// with "resumen:" so that bench/run.sh can collect it.

#include <fcntl.h>
#include <linux/magic.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "work_dir.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace {

using SteadyClock = std::chrono::steady_clock;
using vt::Error;
using vt::Result;
using vt::Status;

// Exit codes: 0 figures printed, 1 a measurement failed, 2 bad usage.
constexpr int kFailed = 1;
constexpr int kBadUsage = 2;

// The ratio port/raw the SQLite adapter aims for; printed beside the figure, not enforced.
constexpr double kGoal = 0.5;

// Mean commit times of the two runs further apart than this factor mean the machine, not
// the code, made the difference: the disk changed speed, or other load took the CPU from
// the single-threaded reference (the port's commit also runs its jobs, so it is a little
// longer).
constexpr double kMachineDrift = 2.0;

// One statement text for every engine: the port binds $N by number on both, and raw
// SQLite numbers named parameters in order of appearance, so $1 and $2 are slots 1 and 2.
constexpr std::string_view kInsert =
    "INSERT INTO bench_durable_writes (id, payload) VALUES ($1, $2)";

std::string CreateTable(vt::store::Dialect dialect) {
    std::string id_type = dialect == vt::store::Dialect::kSqlite ? "INTEGER" : "BIGINT";
    return "CREATE TABLE bench_durable_writes (id " + id_type +
           " PRIMARY KEY, payload TEXT NOT NULL)";
}

struct Options {
    // Concurrent clients calling Store::Write(). Default 64.
    int clients = 64;
    // Length of each measured run, in seconds. Default 5.
    double seconds = 5.0;
    // Size of the text stored in each row. Default 200.
    int payload_bytes = 200;
    // Folder for the database files; empty = a fresh temporary folder, removed at the end.
    std::filesystem::path dir;
    // PostgreSQL to measure as well; empty = skip it.
    std::string pg_url;
};

constexpr std::string_view kUsage =
    "uso: vt_bench_durable_writes [--clients N] [--seconds S] [--payload-bytes N] [--dir DIR]\n"
    "                             [--pg-url URL]\n"
    "  --clients N        clientes concurrentes que llaman a Store::Write() (1-4096, 64)\n"
    "  --seconds S        duración de cada medición en segundos (0.1-600, 5)\n"
    "  --payload-bytes N  tamaño del texto de cada fila (1-1048576, 200)\n"
    "  --dir DIR          carpeta existente para las bases (por omisión, una temporal)\n"
    "  --pg-url URL       mide también el adaptador de PostgreSQL (por omisión BENCH_PG_URL\n"
    "                     o VENTANILLA_TEST_PG_URL, si existen)\n";

// Reads a flag's number within [min, max]; `integer` refuses fractions.
Result<double> ParseNumber(std::string_view flag, std::string_view text, double min, double max,
                           bool integer) {
    double v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max ||
        (integer && v != std::floor(v))) {
        char message[160];
        std::snprintf(message, sizeof message, "%.*s debe ser un número %sentre %g y %g.",
                      static_cast<int>(flag.size()), flag.data(), integer ? "entero " : "", min,
                      max);
        return Error::Invalid(message);
    }
    return v;
}

// Returns nullopt when --help was asked for.
Result<std::optional<Options>> ParseArgs(int argc, char** argv) {
    Options o;
    if (const char* url = std::getenv("BENCH_PG_URL"); url && *url)
        o.pg_url = url;
    else if (const char* test_url = std::getenv("VENTANILLA_TEST_PG_URL"); test_url && *test_url)
        o.pg_url = test_url;
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        if (flag == "-h" || flag == "--help") return std::optional<Options>();
        if (i + 1 >= argc) return Error::Invalid("Falta el valor de " + std::string(flag) + ".");
        std::string_view value = argv[++i];
        if (flag == "--clients") {
            VT_ASSIGN_OR_RETURN(double v, ParseNumber(flag, value, 1, 4096, true));
            o.clients = static_cast<int>(v);
        } else if (flag == "--seconds") {
            VT_ASSIGN_OR_RETURN(double v, ParseNumber(flag, value, 0.1, 600, false));
            o.seconds = v;
        } else if (flag == "--payload-bytes") {
            VT_ASSIGN_OR_RETURN(double v, ParseNumber(flag, value, 1, 1 << 20, true));
            o.payload_bytes = static_cast<int>(v);
        } else if (flag == "--dir") {
            o.dir = std::string(value);
        } else if (flag == "--pg-url") {
            o.pg_url = std::string(value);
        } else {
            return Error::Invalid("Opción desconocida: " + std::string(flag) + ".");
        }
    }
    return std::optional<Options>(std::move(o));
}

// The text stored in row `id`: the same bytes for the port and the raw loop.
std::string Payload(std::int64_t id, int bytes) {
    std::string s = std::to_string(id) + ":";
    s.reserve(static_cast<std::size_t>(bytes));
    while (s.size() < static_cast<std::size_t>(bytes))
        s.push_back(static_cast<char>('a' + (id + s.size()) % 26));
    s.resize(static_cast<std::size_t>(bytes));
    return s;
}

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

// What a run of concurrent clients achieved.
struct Load {
    std::int64_t writes = 0;  // committed
    double seconds = 0;
    std::vector<std::uint32_t> latencies_us;  // one per committed write
    std::optional<Error> first_error;

    double Rate() const { return seconds > 0 ? static_cast<double>(writes) / seconds : 0; }
    // The q-quantile of the write latency, in milliseconds; REQUIRES: writes > 0.
    double LatencyMs(double q) {
        auto k = static_cast<std::size_t>(q * static_cast<double>(latencies_us.size() - 1));
        std::nth_element(latencies_us.begin(),
                         latencies_us.begin() + static_cast<std::ptrdiff_t>(k), latencies_us.end());
        return latencies_us[k] / 1000.0;
    }
};

// Runs `clients` threads, each committing one INSERT per Write() until the time is up.
// The first failure stops every client: the figure would mean nothing after it.
Load RunClients(vt::store::Store& store, const Options& o) {
    struct Client {
        std::int64_t writes = 0;
        std::vector<std::uint32_t> latencies_us;
        std::optional<Error> error;
    };
    std::vector<Client> clients(static_cast<std::size_t>(o.clients));
    std::atomic<std::int64_t> next_id{1};
    std::atomic<bool> stop{false};
    std::latch start(1);
    std::vector<std::thread> threads;
    threads.reserve(clients.size());
    for (Client& c : clients) {
        threads.emplace_back([&store, &o, &next_id, &stop, &start, &c] {
            c.latencies_us.reserve(1 << 14);
            start.wait();
            while (!stop.load(std::memory_order_relaxed)) {
                std::int64_t id = next_id.fetch_add(1, std::memory_order_relaxed);
                std::string payload = Payload(id, o.payload_bytes);
                auto t0 = SteadyClock::now();
                Status s = store.Write([&](vt::store::Tx& tx) -> Status {
                    VT_RETURN_IF_ERROR(
                        tx.Exec(kInsert, {vt::store::Value{id}, vt::store::Value{payload}}));
                    return vt::Ok();
                });
                auto took =
                    std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - t0);
                if (!s.ok()) {
                    c.error = s.error();
                    stop.store(true);
                    return;
                }
                ++c.writes;
                c.latencies_us.push_back(static_cast<std::uint32_t>(took.count()));
            }
        });
    }
    auto t0 = SteadyClock::now();
    start.count_down();
    auto deadline = t0 + std::chrono::duration_cast<SteadyClock::duration>(
                             std::chrono::duration<double>(o.seconds));
    while (!stop.load() && SteadyClock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stop.store(true);
    for (auto& t : threads) t.join();

    Load load;
    load.seconds = Seconds(SteadyClock::now() - t0);
    for (Client& c : clients) {
        load.writes += c.writes;
        load.latencies_us.insert(load.latencies_us.end(), c.latencies_us.begin(),
                                 c.latencies_us.end());
        if (c.error && !load.first_error) load.first_error = c.error;
    }
    return load;
}

Status CreateBenchTable(vt::store::Store& store) {
    std::string sql = CreateTable(store.dialect());
    return store.Write([&](vt::store::Tx& tx) { return tx.ExecScript(sql); });
}

struct PortRun {
    Load load;
    std::int64_t observed_writes = 0;         // "write" timing events
    std::int64_t observed_commits = 0;        // "commit" timing events (one per group commit)
    std::chrono::nanoseconds commit_time{0};  // their total duration
    double Batch() const {
        return observed_commits > 0
                   ? static_cast<double>(observed_writes) / static_cast<double>(observed_commits)
                   : 1;
    }
};

// (1) The port: OpenSqlite with its default options, counting timing events.
Result<PortRun> MeasurePort(const std::filesystem::path& file, const Options& o) {
    std::atomic<std::int64_t> writes{0};
    std::atomic<std::int64_t> commits{0};
    std::atomic<std::int64_t> commit_ns{0};
    vt::store::SqliteOptions so;
    so.path = file;
    so.on_timing = [&](std::string_view op, std::chrono::nanoseconds took) {
        if (op == "write") {
            writes.fetch_add(1, std::memory_order_relaxed);
        } else if (op == "commit") {
            commits.fetch_add(1, std::memory_order_relaxed);
            commit_ns.fetch_add(took.count(), std::memory_order_relaxed);
        }
    };
    VT_ASSIGN_OR_RETURN(std::unique_ptr<vt::store::Store> store, vt::store::OpenSqlite(so));
    VT_RETURN_IF_ERROR(CreateBenchTable(*store));
    writes = 0;
    commits = 0;
    commit_ns = 0;

    PortRun run;
    run.load = RunClients(*store, o);
    store.reset();  // the writer thread has reported every commit once this returns
    if (run.load.first_error) return *run.load.first_error;
    run.observed_writes = writes.load();
    run.observed_commits = commits.load();
    run.commit_time = std::chrono::nanoseconds(commit_ns.load());
    return run;
}

struct RawRun {
    std::int64_t writes = 0;
    std::int64_t commits = 0;
    double seconds = 0;
    SteadyClock::duration commit_time{0};  // from BEGIN to the end of COMMIT, summed
    double Rate() const { return seconds > 0 ? static_cast<double>(writes) / seconds : 0; }
};

Error SqliteFailure(sqlite3* db, std::string_view what) {
    return Error::Internal("SQLite directo, " + std::string(what) + ": " +
                           (db ? sqlite3_errmsg(db) : "sin memoria"));
}

// (2) The reference: one thread, the sqlite3 C API, WAL with synchronous=FULL, the same
// table and statement, in transactions whose sizes average exactly `batch` rows.
Result<RawRun> MeasureRaw(const std::filesystem::path& file, double batch, const Options& o) {
    sqlite3* raw_db = nullptr;
    int rc =
        sqlite3_open_v2(file.c_str(), &raw_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db(raw_db, &sqlite3_close_v2);
    if (rc != SQLITE_OK) return SqliteFailure(db.get(), "abrir " + file.string());

    std::string setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " +
                        CreateTable(vt::store::Dialect::kSqlite) + ";";
    if (sqlite3_exec(db.get(), setup.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return SqliteFailure(db.get(), "preparar la base");
    }
    auto prepare = [&](std::string_view sql) -> Result<sqlite3_stmt*> {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt,
                               nullptr) != SQLITE_OK) {
            return SqliteFailure(db.get(), "preparar " + std::string(sql));
        }
        return stmt;
    };
    using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;
    VT_ASSIGN_OR_RETURN(sqlite3_stmt * begin_raw, prepare("BEGIN IMMEDIATE"));
    Stmt begin(begin_raw, &sqlite3_finalize);
    VT_ASSIGN_OR_RETURN(sqlite3_stmt * commit_raw, prepare("COMMIT"));
    Stmt commit(commit_raw, &sqlite3_finalize);
    VT_ASSIGN_OR_RETURN(sqlite3_stmt * insert_raw, prepare(kInsert));
    Stmt insert(insert_raw, &sqlite3_finalize);

    auto step = [&](sqlite3_stmt* stmt, std::string_view what) -> Status {
        int step_rc = sqlite3_step(stmt);
        sqlite3_reset(stmt);
        if (step_rc != SQLITE_DONE) return SqliteFailure(db.get(), what);
        return vt::Ok();
    };

    RawRun run;
    std::int64_t next_id = 1;
    auto t0 = SteadyClock::now();
    auto deadline = t0 + std::chrono::duration_cast<SteadyClock::duration>(
                             std::chrono::duration<double>(o.seconds));
    while (SteadyClock::now() < deadline) {
        // Transaction k holds floor((k+1)·B) − floor(k·B) rows, so sizes average B exactly.
        auto k = static_cast<double>(run.commits);
        auto rows = static_cast<std::int64_t>(std::floor((k + 1) * batch) - std::floor(k * batch));
        rows = std::max<std::int64_t>(rows, 1);
        auto began = SteadyClock::now();
        VT_RETURN_IF_ERROR(step(begin.get(), "BEGIN"));
        for (std::int64_t r = 0; r < rows; ++r, ++next_id) {
            std::string payload = Payload(next_id, o.payload_bytes);
            sqlite3_bind_int64(insert.get(), 1, next_id);
            sqlite3_bind_text64(insert.get(), 2, payload.data(), payload.size(), SQLITE_STATIC,
                                SQLITE_UTF8);
            VT_RETURN_IF_ERROR(step(insert.get(), "INSERT"));
        }
        VT_RETURN_IF_ERROR(step(commit.get(), "COMMIT"));
        run.commit_time += SteadyClock::now() - began;
        run.writes += rows;
        ++run.commits;
    }
    run.seconds = Seconds(SteadyClock::now() - t0);
    return run;
}

struct PostgresRun {
    Load load;
    std::string fsync;               // the server's fsync setting
    std::string synchronous_commit;  // and synchronous_commit
    int pool_size = 0;
};

// (3) Optional: the PostgreSQL adapter with its default pool, the same clients and rows.
// The table is created fresh and dropped at the end.
Result<PostgresRun> MeasurePostgres(const Options& o) {
    vt::store::PostgresOptions po;
    po.url = o.pg_url;
    PostgresRun run;
    run.pool_size = po.pool_size;
    VT_ASSIGN_OR_RETURN(std::unique_ptr<vt::store::Store> store, vt::store::OpenPostgres(po));
    VT_RETURN_IF_ERROR(store->Write([](vt::store::Tx& tx) {
        return tx.ExecScript("DROP TABLE IF EXISTS bench_durable_writes");
    }));
    VT_RETURN_IF_ERROR(CreateBenchTable(*store));
    VT_RETURN_IF_ERROR(store->Read([&run](vt::store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            vt::store::Row row,
            tx.QueryOne("SELECT current_setting('fsync'), current_setting('synchronous_commit')"));
        run.fsync = row.Text(0);
        run.synchronous_commit = row.Text(1);
        return vt::Ok();
    }));
    run.load = RunClients(*store, o);
    Status dropped = store->Write(
        [](vt::store::Tx& tx) { return tx.ExecScript("DROP TABLE bench_durable_writes"); });
    if (run.load.first_error) return *run.load.first_error;
    VT_RETURN_IF_ERROR(dropped);
    return run;
}

bool OnTmpfs(const std::filesystem::path& dir) {
    struct statfs fs {};
    return ::statfs(dir.c_str(), &fs) == 0 && fs.f_type == TMPFS_MAGIC;
}

// Writes back whatever is still dirty on the folder's file system, so that one run's
// leftovers (the previous database's pages) do not slow the next run's fsyncs.
void FlushFileSystem(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)::syncfs(fd);
    ::close(fd);
}

// Threads other than this one ready to run, averaged over one second (/proc/stat
// procs_running): a busy machine makes every figure here unreliable.
double OthersRunning() {
    constexpr int kSamples = 20;
    double total = 0;
    for (int i = 0; i < kSamples; ++i) {
        std::FILE* f = std::fopen("/proc/stat", "r");
        if (!f) return 0;
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            long running = 0;
            if (std::sscanf(line, "procs_running %ld", &running) == 1) {
                total += static_cast<double>(running - 1);
                break;
            }
        }
        std::fclose(f);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return total / kSamples;
}

int Fail(const Error& e, int code = kFailed) {
    std::fprintf(stderr, "vt_bench_durable_writes: %s\n", e.message().c_str());
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = ParseArgs(argc, argv);
    if (!parsed.ok()) {
        std::fprintf(stderr, "%s", kUsage.data());
        return Fail(parsed.error(), kBadUsage);
    }
    if (!parsed->has_value()) {
        std::printf("%s", kUsage.data());
        return 0;
    }
    const Options o = std::move(**parsed);
    auto dir = vt::bench::WorkDir::Make(o.dir, "vt-bench-writes", {"port.sqlite3", "raw.sqlite3"});
    if (!dir.ok()) return Fail(dir.error());

    std::printf(
        "Escrituras durables: una fila (id, texto de %d bytes) por transacción, SQLite en modo WAL "
        "con synchronous=FULL\n",
        o.payload_bytes);
    std::printf("carpeta de las bases: %s\n", dir->path().c_str());
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    if (double others = OthersRunning(); others * 2 >= cores) {
        std::printf(
            "aviso: en promedio %.1f procesos de otros están listos para correr en %u núcleos; "
            "compiten con la medición y las cifras variarán\n",
            others, cores);
    }
    if (OnTmpfs(dir->path())) {
        std::printf(
            "aviso: la carpeta está en tmpfs (memoria): fsync no cuesta nada y las cifras no son "
            "las de un disco; use --dir o TMPDIR\n");
    }

    std::printf("midiendo el puerto: %d clientes, %.1f s...\n", o.clients, o.seconds);
    std::fflush(stdout);
    FlushFileSystem(dir->path());
    auto port = MeasurePort(dir->path() / "port.sqlite3", o);
    if (!port.ok()) return Fail(port.error());
    if (port->load.writes == 0 || port->observed_commits == 0) {
        return Fail(Error::Internal("El puerto no confirmó ninguna escritura."));
    }
    const double batch = port->Batch();

    std::printf("midiendo SQLite directo: 1 hilo, lotes de %.1f filas en promedio, %.1f s...\n",
                batch, o.seconds);
    std::fflush(stdout);
    FlushFileSystem(dir->path());
    auto raw = MeasureRaw(dir->path() / "raw.sqlite3", batch, o);
    if (!raw.ok()) return Fail(raw.error());

    std::optional<PostgresRun> pg;
    if (!o.pg_url.empty()) {
        std::printf("midiendo PostgreSQL: %d clientes, %.1f s...\n", o.clients, o.seconds);
        std::fflush(stdout);
        auto measured = MeasurePostgres(o);
        if (!measured.ok()) return Fail(measured.error());
        pg = std::move(measured).value();
    }

    // Per transaction, from BEGIN to the end of COMMIT: the inserts and the fsync. Both rows
    // should show about the same time (see kMachineDrift).
    auto per_commit_ms = [](auto total, std::int64_t commits) {
        return std::chrono::duration<double, std::milli>(total).count() /
               static_cast<double>(std::max<std::int64_t>(commits, 1));
    };
    std::printf("\n%-40s %13s %11s %13s %10s %10s\n", "", "escrituras/s", "lote medio",
                "ms/confirm.", "p50", "p99");
    std::string port_label = "puerto SQLite, " + std::to_string(o.clients) + " clientes";
    const double port_commit_ms = per_commit_ms(port->commit_time, port->observed_commits);
    const double raw_commit_ms = per_commit_ms(raw->commit_time, raw->commits);
    std::printf("%-40s %13.0f %11.1f %13.3f %7.2f ms %7.2f ms\n", port_label.c_str(),
                port->load.Rate(), batch, port_commit_ms, port->load.LatencyMs(0.50),
                port->load.LatencyMs(0.99));
    std::printf("%-40s %13.0f %11.1f %13.3f %10s %10s\n", "SQLite directo, 1 hilo", raw->Rate(),
                static_cast<double>(raw->writes) /
                    static_cast<double>(std::max<std::int64_t>(raw->commits, 1)),
                raw_commit_ms, "-", "-");
    if (pg && pg->load.writes > 0) {
        std::string pg_label = "puerto PostgreSQL, " + std::to_string(o.clients) +
                               " clientes, grupo de " + std::to_string(pg->pool_size);
        std::printf("%-40s %13.0f %11s %13s %7.2f ms %7.2f ms\n", pg_label.c_str(), pg->load.Rate(),
                    "-", "-", pg->load.LatencyMs(0.50), pg->load.LatencyMs(0.99));
    }
    std::printf(
        "(p50 y p99: duración de cada Store::Write() vista por el cliente; ms/confirm.: de BEGIN "
        "al final de COMMIT)\n");
    std::printf(
        "puerto: %lld escrituras en %lld confirmaciones; SQLite directo: %lld filas en %lld "
        "confirmaciones\n",
        static_cast<long long>(port->observed_writes),
        static_cast<long long>(port->observed_commits), static_cast<long long>(raw->writes),
        static_cast<long long>(raw->commits));
    const bool pg_durable = pg && pg->fsync != "off" && pg->synchronous_commit != "off";
    if (pg) {
        std::printf(
            "PostgreSQL: fsync=%s, synchronous_commit=%s%s\n", pg->fsync.c_str(),
            pg->synchronous_commit.c_str(),
            pg_durable ? "" : " (servidor sin escrituras durables: la cifra no es comparable)");
    }

    // The same batch costs the same fsync and the same inserts.
    const bool unsteady = port_commit_ms > kMachineDrift * raw_commit_ms ||
                          raw_commit_ms > kMachineDrift * port_commit_ms;
    if (unsteady) {
        std::printf(
            "aviso: una confirmación tardó %.3f ms en el puerto y %.3f ms en SQLite directo: las "
            "dos corridas no tuvieron la misma máquina (disco o CPU ocupados por otra carga); la "
            "razón no es fiable, repita la medición con la máquina en reposo\n",
            port_commit_ms, raw_commit_ms);
    }

    const double ratio = raw->Rate() > 0 ? port->load.Rate() / raw->Rate() : 0;
    std::printf("\nrazón puerto/SQLite directo (escrituras/s): %.2f×   meta ≥ %.1f×\n", ratio,
                kGoal);
    std::printf(
        "resumen: escrituras durables, puerto/SQLite directo = %.2f× (meta ≥ %.1f×); %.0f frente "
        "a %.0f escrituras/s, lote medio %.1f%s\n",
        ratio, kGoal, port->load.Rate(), raw->Rate(), batch,
        unsteady ? " (no fiable: máquina ocupada, repita)" : "");
    if (pg) {
        std::printf("resumen: escrituras PostgreSQL, %.0f escrituras/s con %d clientes%s\n",
                    pg->load.Rate(), o.clients,
                    pg_durable ? "" : " (servidor sin escrituras durables)");
    }
    return 0;
}
