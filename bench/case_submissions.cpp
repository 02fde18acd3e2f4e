// Durable case submissions per second: CaseService::Submit from concurrent clients
// (validation, numbering, event and audit entry, group commit) against a raw SQLite loop
// writing the same rows with the same durability (synchronous=FULL) and the same batch
// size, measured in the same run. A benchmark, not a test: it prints figures and the ratio.
//
//   vt_bench_case_submissions [--clients N] [--seconds S] [--tramites DIR]
#include <sqlite3.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "vt/audit/audit.hpp"
#include "vt/cases/cases.hpp"
#include "vt/core/random.hpp"

namespace {

using Clock = std::chrono::steady_clock;

class NoOfficials final : public vt::cases::OfficialDirectory {
public:
    std::vector<std::string> OfficialsOf(std::string_view) const override { return {}; }
};

const char* kAnswers =
    R"({"informacion": "Listado de inspecciones realizadas en 2025 por departamento.", "formato": "electronico",
        "identificarse": false})";

struct PortResult {
    double per_second = 0;
    double batch = 1;
    long long total = 0;
};

PortResult MeasurePort(const std::filesystem::path& dir, const std::filesystem::path& tramites, int clients,
                       double seconds) {
    std::atomic<long long> writes{0}, commits{0};
    vt::store::SqliteOptions o;
    o.path = dir / "puerto.sqlite3";
    o.on_timing = [&](std::string_view op, std::chrono::nanoseconds) {
        if (op == "write") ++writes;
        if (op == "commit") ++commits;
    };
    auto store = vt::store::OpenSqlite(o);
    if (!store.ok() || !(*store)->Migrate().ok()) {
        std::fprintf(stderr, "no se pudo preparar la base\n");
        std::exit(1);
    }
    vt::core::SystemClock clock;
    auto registry = vt::catalog::Registry::Open(**store, tramites, clock);
    if (!registry.ok()) {
        std::fprintf(stderr, "%s\n", registry.error().message().c_str());
        std::exit(1);
    }
    auto data = vt::core::BuiltinCalendarData();
    vt::core::WorkingCalendar calendar(*data);
    NoOfficials officials;
    vt::cases::CaseService service(**store, **registry, calendar, clock, officials);
    auto answers = boost::json::parse(kAnswers).as_object();

    long long writes_before = writes, commits_before = commits;
    std::atomic<bool> stop{false};
    std::atomic<long long> done{0}, failed{0};
    std::vector<std::thread> threads;
    auto start = Clock::now();
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&] {
            vt::cases::SubmitRequest r;
            r.tramite_id = "acceso-informacion-publica";
            r.answers = answers;
            while (!stop.load(std::memory_order_relaxed)) {
                if (service.Submit(vt::core::Actor::Anonymous(), r).ok()) ++done;
                else ++failed;
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    double took = std::chrono::duration<double>(Clock::now() - start).count();
    if (failed > 0) std::fprintf(stderr, "aviso: %lld presentaciones fallaron\n", failed.load());
    PortResult r;
    r.total = done;
    r.per_second = done / took;
    long long w = writes - writes_before, c = commits - commits_before;
    r.batch = c > 0 ? double(w) / double(c) : 1;
    return r;
}

void Check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

// The same rows a submission writes (sequence, case, event, audit head and leaf), prepared
// once, in transactions of `batch` submissions, one thread: the floor the port pays for.
double MeasureRaw(const std::filesystem::path& dir, const std::filesystem::path& migrated, double batch,
                  double seconds) {
    std::filesystem::path path = dir / "directo.sqlite3";
    std::filesystem::copy_file(migrated, path);
    sqlite3* db = nullptr;
    Check(sqlite3_open(path.c_str(), &db), db, "open");
    Check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", nullptr,
                       nullptr, nullptr),
          db, "pragma");
    const char* sqls[] = {
        "INSERT INTO case_sequences (year, last) VALUES (2026, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1 "
        "RETURNING last",
        "INSERT INTO cases (number, tracking_code, tramite_id, tramite_version, state, office, answers, filed_at, "
        "filed_on, due_on, state_since, state_due_on, revision) VALUES (?1, ?2, 'acceso-informacion-publica', 1, "
        "'presentada', 'UIP', ?3, '2026-11-25T16:00:00.000Z', '2026-11-25', '2026-12-09', '2026-11-25', '2026-11-27', 1) "
        "RETURNING id",
        "INSERT INTO case_events (case_id, seq, kind, to_state, actor, at) VALUES (?1, 1, 'presentacion', "
        "'presentada', 'anonimo', '2026-11-25T16:00:00.000Z')",
        "UPDATE audit_head SET size = size + 1 WHERE id = 1 RETURNING size",
        "INSERT INTO audit_log (leaf_index, entry, leaf_hash, object_type, object_id, at) VALUES (?1, ?2, ?3, 'case', "
        "?4, '2026-11-25T16:00:00.000Z')",
    };
    std::vector<sqlite3_stmt*> st(5);
    for (int i = 0; i < 5; ++i) Check(sqlite3_prepare_v2(db, sqls[i], -1, &st[i], nullptr), db, "prepare");
    std::string answers = boost::json::serialize(boost::json::parse(kAnswers));
    std::string entry(180, 'e');
    std::string hash(32, 'h');
    long long done = 0;
    int per_tx = std::max(1, static_cast<int>(batch + 0.5));
    auto start = Clock::now();
    auto deadline = start + std::chrono::duration<double>(seconds);
    while (Clock::now() < deadline) {
        Check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
        for (int k = 0; k < per_tx; ++k) {
            sqlite3_step(st[0]);
            long long seq = sqlite3_column_int64(st[0], 0);
            sqlite3_reset(st[0]);
            std::string number = "MTPS-2026-" + std::to_string(seq);
            std::string code = vt::core::RandomHex(6);
            sqlite3_bind_text(st[1], 1, number.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st[1], 2, code.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st[1], 3, answers.c_str(), -1, SQLITE_STATIC);
            Check(sqlite3_step(st[1]), db, "case");
            long long id = sqlite3_column_int64(st[1], 0);
            sqlite3_reset(st[1]);
            sqlite3_bind_int64(st[2], 1, id);
            Check(sqlite3_step(st[2]), db, "event");
            sqlite3_reset(st[2]);
            sqlite3_step(st[3]);
            long long size = sqlite3_column_int64(st[3], 0);
            sqlite3_reset(st[3]);
            sqlite3_bind_int64(st[4], 1, size - 1);
            sqlite3_bind_text(st[4], 2, entry.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_blob(st[4], 3, hash.data(), 32, SQLITE_STATIC);
            sqlite3_bind_text(st[4], 4, number.c_str(), -1, SQLITE_TRANSIENT);
            Check(sqlite3_step(st[4]), db, "audit");
            sqlite3_reset(st[4]);
            ++done;
        }
        Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    }
    double took = std::chrono::duration<double>(Clock::now() - start).count();
    for (auto* s : st) sqlite3_finalize(s);
    sqlite3_close(db);
    return done / took;
}

}  // namespace

int main(int argc, char** argv) {
    int clients = 32;
    double seconds = 5;
    std::filesystem::path tramites = VT_SOURCE_DIR "/tramites";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--clients") clients = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--seconds") seconds = std::max(0.5, std::atof(argv[i + 1]));
        else if (flag == "--tramites") tramites = argv[i + 1];
        else {
            std::fprintf(stderr, "uso: vt_bench_case_submissions [--clients N] [--seconds S] [--tramites DIR]\n");
            return 2;
        }
    }
    vt::core::InitCrypto();
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("vt-bench-cases-" + vt::core::RandomHex(4));
    std::filesystem::create_directories(dir);
    std::printf("Presentaciones durables de expedientes (SQLite WAL, synchronous=FULL)\n");
    std::printf("midiendo CaseService::Submit: %d clientes, %.1f s...\n", clients, seconds);
    std::fflush(stdout);
    // A migrated, empty database for the raw loop, made before the port's run fills its own.
    {
        vt::store::SqliteOptions o;
        o.path = dir / "plantilla.sqlite3";
        auto s = vt::store::OpenSqlite(o);
        if (!s.ok() || !(*s)->Migrate().ok()) return 1;
        vt::core::SystemClock clock;
        if (!vt::catalog::Registry::Open(**s, tramites, clock).ok()) return 1;
    }
    PortResult port = MeasurePort(dir, tramites, clients, seconds);
    std::printf("midiendo SQLite directo: 1 hilo, lotes de %.1f presentaciones, %.1f s...\n", port.batch, seconds);
    std::fflush(stdout);
    double raw = MeasureRaw(dir, dir / "plantilla.sqlite3", port.batch, seconds);
    std::printf("\n%-40s %14s %12s\n", "", "present./s", "lote medio");
    std::printf("%-40s %14.0f %12.1f\n", ("CaseService::Submit, " + std::to_string(clients) + " clientes").c_str(),
                port.per_second, port.batch);
    std::printf("%-40s %14.0f %12.1f\n", "SQLite directo, mismas filas, 1 hilo", raw, port.batch);
    std::printf("\nrazón servicio/SQLite directo: %.2f×\n", port.per_second / raw);
    std::printf("resumen: presentaciones durables, servicio/SQLite directo = %.2f×; %.0f frente a %.0f por segundo\n",
                port.per_second / raw, port.per_second, raw);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return 0;
}
