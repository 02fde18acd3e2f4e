// The audit log: appends per second, and proof generation at 10 million leaves.
//
// (1) Appends. C clients call Store::Write() with one audit::Append() each (the head update,
// the leaf, and the subtree hashes the leaf completes) on SQLite for S seconds. Reference,
// measured the same way right after: the same clients writing the same entry text as one
// plain INSERT per Write(). The ratio is what the log costs over the cheapest durable
// write of the same bytes.
//
// (2) Proofs at N leaves (10 000 000 by default). The leaves are written straight into a
// fresh benchmark database in large transactions (multi-row INSERTs), then
// audit::CompleteTree() fills the subtree table, as it does for a database upgraded from a
// version without it. Then P inclusion and P consistency proofs for random leaves and
// sizes, each in its own read transaction as a request would be, each checked against the
// root computed in memory. Reference, measured in the same run: SHA-256 of the same leaves
// (leaf hashes per second) and the time to recompute the root from all of them, which is
// what a proof would cost without the stored subtrees.
//
//   vt_bench_audit_log [--clients N] [--seconds S] [--leaves N] [--proofs N] [--dir DIR]
//
// Figures, not a test: it fails only when a measurement cannot run or a proof does not
// verify. The last line starts with "resumen:" so that bench/run.sh can collect it.

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <latch>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "work_dir.hpp"
#include "vt/audit/audit.hpp"
#include "vt/audit/verify.hpp"
#include "vt/core/random.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace {

using SteadyClock = std::chrono::steady_clock;
using vt::Error;
using vt::Result;
using vt::Status;
using vt::store::Value;
namespace audit = vt::audit;

constexpr int kFailed = 1;
constexpr int kBadUsage = 2;

struct Options {
    // Concurrent clients calling Store::Write() in (1). Default 16.
    int clients = 16;
    // Length of each measured run of (1), in seconds. Default 5.
    double seconds = 5.0;
    // Leaves of the tree of (2). Default 10 000 000.
    std::int64_t leaves = 10'000'000;
    // Proofs of each kind generated in (2). Default 1000.
    int proofs = 1000;
    // Folder for the databases; empty = a fresh temporary folder, removed at the end.
    std::filesystem::path dir;
};

constexpr std::string_view kUsage =
    "uso: vt_bench_audit_log [--clients N] [--seconds S] [--leaves N] [--proofs N] [--dir DIR]\n"
    "  --clients N   clientes concurrentes que anexan entradas (1-1024, 16)\n"
    "  --seconds S   duración de cada medición de anexos en segundos (0.1-600, 5)\n"
    "  --leaves N    hojas del árbol para medir las pruebas (1000-1000000000, 10000000)\n"
    "  --proofs N    pruebas de cada tipo (1-1000000, 1000)\n"
    "  --dir DIR     carpeta existente para las bases (por omisión, una temporal)\n";

Result<double> ParseNumber(std::string_view flag, std::string_view text, double min, double max) {
    double v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max) {
        return Error::Invalid(std::string(flag) + " debe ser un número entre " +
                              std::to_string(min) + " y " + std::to_string(max) + ".");
    }
    return v;
}

Result<std::optional<Options>> ParseArgs(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        if (flag == "-h" || flag == "--help") return std::optional<Options>();
        if (i + 1 >= argc) return Error::Invalid("Falta el valor de " + std::string(flag) + ".");
        std::string_view value = argv[++i];
        if (flag == "--clients") {
            VT_ASSIGN_OR_RETURN(double v, ParseNumber(flag, value, 1, 1024));
            o.clients = static_cast<int>(v);
        } else if (flag == "--seconds") {
            VT_ASSIGN_OR_RETURN(o.seconds, ParseNumber(flag, value, 0.1, 600));
        } else if (flag == "--leaves") {
            VT_ASSIGN_OR_RETURN(double v, ParseNumber(flag, value, 1000, 1e9));
            o.leaves = static_cast<std::int64_t>(v);
        } else if (flag == "--proofs") {
            VT_ASSIGN_OR_RETURN(double v, ParseNumber(flag, value, 1, 1e6));
            o.proofs = static_cast<int>(v);
        } else if (flag == "--dir") {
            o.dir = std::string(value);
        } else {
            return Error::Invalid("Opción desconocida: " + std::string(flag) + ".");
        }
    }
    return std::optional<Options>(std::move(o));
}

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

// A realistic entry: what filing case `i` appends.
audit::Entry EntryFor(std::int64_t i) {
    char number[32];
    std::snprintf(number, sizeof number, "MTPS-2026-%07lld", static_cast<long long>(i));
    std::string row_hash = std::to_string(i);
    row_hash.insert(0, 64 - std::min<std::size_t>(row_hash.size(), 64), '0');
    return audit::Entry{"3f9a1c0b2d4e", "case.filed", "case", number, "2026-11-25T16:00:00.000Z",
                        row_hash};
}

Result<std::unique_ptr<vt::store::Store>> OpenFresh(const std::filesystem::path& file) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(file.string() + suffix, ec);
    vt::store::SqliteOptions so;
    so.path = file;
    VT_ASSIGN_OR_RETURN(std::unique_ptr<vt::store::Store> store, vt::store::OpenSqlite(so));
    VT_RETURN_IF_ERROR(store->Migrate());
    return store;
}

// (1) C clients, one write transaction per entry, for the given time.
struct Rate {
    std::int64_t writes = 0;
    double seconds = 0;
    double PerSecond() const { return seconds > 0 ? static_cast<double>(writes) / seconds : 0; }
};

Result<Rate> RunClients(vt::store::Store& store, const Options& o, bool audited) {
    std::atomic<std::int64_t> next{0}, done{0};
    std::atomic<bool> stop{false};
    std::optional<Error> failure;
    std::mutex failure_mu;
    std::latch start(1);
    std::vector<std::thread> threads;
    for (int c = 0; c < o.clients; ++c) {
        threads.emplace_back([&] {
            start.wait();
            while (!stop.load(std::memory_order_relaxed)) {
                std::int64_t i = next.fetch_add(1);
                audit::Entry e = EntryFor(i);
                Status s = store.Write([&](vt::store::Tx& tx) -> Status {
                    if (audited) {
                        VT_ASSIGN_OR_RETURN(std::int64_t index, audit::Append(tx, e));
                        (void)index;
                        return vt::Ok();
                    }
                    VT_RETURN_IF_ERROR(
                        tx.Exec("INSERT INTO bench_plain (id, entry) VALUES ($1, $2)",
                                {Value{i}, Value{audit::CanonicalJson(e)}}));
                    return vt::Ok();
                });
                if (!s.ok()) {
                    std::lock_guard lock(failure_mu);
                    if (!failure) failure = s.error();
                    stop = true;
                    return;
                }
                done.fetch_add(1, std::memory_order_relaxed);
            }
        });
    }
    auto t0 = SteadyClock::now();
    start.count_down();
    auto deadline = t0 + std::chrono::duration_cast<SteadyClock::duration>(
                             std::chrono::duration<double>(o.seconds));
    while (!stop.load() && SteadyClock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stop = true;
    for (auto& t : threads) t.join();
    if (failure) return *failure;
    return Rate{done.load(), Seconds(SteadyClock::now() - t0)};
}

// (2) The big tree. Timings of each phase.
struct BigTree {
    std::int64_t leaves = 0;
    double hash_seconds = 0;    // SHA-256 leaf hashes only
    double build_seconds = 0;   // folding them into the root in memory
    double insert_seconds = 0;  // writing the leaves
    double nodes_seconds = 0;   // CompleteTree
    audit::Hash root{};
    std::uintmax_t file_bytes = 0;
};

Result<BigTree> BuildBigTree(vt::store::Store& store, const std::filesystem::path& file,
                             std::int64_t n) {
    BigTree t;
    t.leaves = n;
    audit::TreeBuilder builder;
    constexpr std::int64_t kBatch = 50'000;
    constexpr std::size_t kRowsPerStatement = 150;
    std::vector<std::string> entries;
    std::vector<audit::Hash> hashes;
    for (std::int64_t begin = 0; begin < n; begin += kBatch) {
        std::int64_t end = std::min(n, begin + kBatch);
        entries.clear();
        for (std::int64_t i = begin; i < end; ++i)
            entries.push_back(audit::CanonicalJson(EntryFor(i)));
        auto t0 = SteadyClock::now();
        hashes.clear();
        for (const std::string& e : entries) hashes.push_back(audit::HashLeaf(e));
        auto t1 = SteadyClock::now();
        for (const audit::Hash& h : hashes) builder.Append(h);
        auto t2 = SteadyClock::now();
        VT_RETURN_IF_ERROR(store.Write([&](vt::store::Tx& tx) -> Status {
            for (std::size_t start = 0; start < entries.size(); start += kRowsPerStatement) {
                std::size_t stop = std::min(entries.size(), start + kRowsPerStatement);
                std::string sql =
                    "INSERT INTO audit_log (leaf_index, entry, leaf_hash, object_type, object_id, "
                    "at) VALUES ";
                std::vector<Value> params;
                for (std::size_t k = start; k < stop; ++k) {
                    std::size_t p = params.size();
                    sql += k == start ? "(" : ", (";
                    for (std::size_t c = 1; c <= 6; ++c) {
                        sql += '$';
                        sql += std::to_string(p + c);
                        sql += c < 6 ? ", " : ")";
                    }
                    std::int64_t i = begin + static_cast<std::int64_t>(k);
                    audit::Entry e = EntryFor(i);
                    params.emplace_back(i);
                    params.emplace_back(entries[k]);
                    params.emplace_back(vt::store::Blob{std::string(audit::AsBytes(hashes[k]))});
                    params.emplace_back(e.object_type);
                    params.emplace_back(e.object_id);
                    params.emplace_back(e.at);
                }
                VT_RETURN_IF_ERROR(tx.Exec(sql, params));
            }
            return vt::Ok();
        }));
        auto t3 = SteadyClock::now();
        t.hash_seconds += Seconds(t1 - t0);
        t.build_seconds += Seconds(t2 - t1);
        t.insert_seconds += Seconds(t3 - t2);
        if ((end / kBatch) % 20 == 0 || end == n) {
            std::fprintf(stderr, "  %lld de %lld hojas escritas\n", static_cast<long long>(end),
                         static_cast<long long>(n));
        }
    }
    // The log now holds n leaves without subtree hashes, like a database from before them.
    VT_RETURN_IF_ERROR(store.Write([&](vt::store::Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE audit_head SET size = $1, tree_size = 0 WHERE id = 1", {Value{n}}));
        return vt::Ok();
    }));
    std::fprintf(stderr, "  calculando los subárboles (audit::CompleteTree)...\n");
    auto t0 = SteadyClock::now();
    VT_RETURN_IF_ERROR(audit::CompleteTree(store, 1 << 16));
    t.nodes_seconds = Seconds(SteadyClock::now() - t0);
    t.root = builder.Root();
    std::error_code ec;
    t.file_bytes = std::filesystem::file_size(file, ec);
    auto wal = std::filesystem::file_size(file.string() + "-wal", ec);
    if (!ec) t.file_bytes += wal;
    return t;
}

struct Timings {
    std::vector<double> ms;
    double Quantile(double q) {
        if (ms.empty()) return 0;
        auto k = static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1));
        std::nth_element(ms.begin(), ms.begin() + static_cast<std::ptrdiff_t>(k), ms.end());
        return ms[k];
    }
    double Mean() const {
        double sum = 0;
        for (double v : ms) sum += v;
        return ms.empty() ? 0 : sum / static_cast<double>(ms.size());
    }
};

Result<std::pair<Timings, Timings>> MeasureProofs(vt::store::Store& store, const BigTree& t,
                                                  int count) {
    std::mt19937_64 random(20261125);
    const auto n = t.leaves;
    std::uniform_int_distribution<std::int64_t> any_leaf(0, n - 1), any_size(1, n - 1);
    Timings inclusion, consistency;
    for (int k = 0; k < count; ++k) {
        std::int64_t index = any_leaf(random);
        audit::InclusionProof p;
        auto t0 = SteadyClock::now();
        VT_RETURN_IF_ERROR(store.Read([&](vt::store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(p, audit::ProveInclusion(tx, index, n));
            return vt::Ok();
        }));
        inclusion.ms.push_back(
            std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
        if (!audit::VerifyInclusion(index, n, p.leaf_hash, p.path, t.root)) {
            return Error::Internal("La prueba de inclusión de la hoja " + std::to_string(index) +
                                   " no verifica.");
        }
    }
    for (int k = 0; k < count; ++k) {
        std::int64_t m = any_size(random);
        audit::ConsistencyProofs c;
        auto t0 = SteadyClock::now();
        VT_RETURN_IF_ERROR(store.Read([&](vt::store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(c, audit::ProveConsistency(tx, m, n));
            return vt::Ok();
        }));
        consistency.ms.push_back(
            std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
        if (!audit::VerifyConsistency(m, n, c.root_from, t.root, c.proof)) {
            return Error::Internal("La prueba de consistencia desde " + std::to_string(m) +
                                   " no verifica.");
        }
    }
    return std::make_pair(std::move(inclusion), std::move(consistency));
}

int Fail(const Error& e, int code = kFailed) {
    std::fprintf(stderr, "vt_bench_audit_log: %s\n", e.message().c_str());
    return code;
}

std::string Grouped(double v) {
    auto n = static_cast<long long>(std::llround(v));
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(' ');
        out.push_back(digits[i]);
    }
    return out;
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
    vt::core::InitCrypto();
    auto dir = vt::bench::WorkDir::Make(o.dir, "vt-bench-audit");
    if (!dir.ok()) return Fail(dir.error());
    std::printf("Registro de auditoría (SQLite, WAL, synchronous=FULL); carpeta de las bases: %s\n",
                dir->path().c_str());

    // (1) Appends against plain writes of the same bytes.
    std::printf("midiendo anexos: %d clientes, %.1f s...\n", o.clients, o.seconds);
    std::fflush(stdout);
    Rate appends, plain;
    {
        auto store = OpenFresh(dir->path() / "appends.sqlite3");
        if (!store.ok()) return Fail(store.error());
        auto r = RunClients(**store, o, true);
        if (!r.ok()) return Fail(r.error());
        appends = *r;
        auto report = audit::Verify(**store, {});
        if (!report.ok()) return Fail(report.error());
        if (!report->ok() || report->entries != appends.writes) {
            return Fail(Error::Internal("El registro escrito por los clientes no verifica."));
        }
    }
    std::printf("midiendo escrituras simples de la misma entrada: %d clientes, %.1f s...\n",
                o.clients, o.seconds);
    std::fflush(stdout);
    {
        auto store = OpenFresh(dir->path() / "plain.sqlite3");
        if (!store.ok()) return Fail(store.error());
        Status created = (*store)->Write([](vt::store::Tx& tx) {
            return tx.ExecScript(
                "CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, entry TEXT NOT NULL)");
        });
        if (!created.ok()) return Fail(created.error());
        auto r = RunClients(**store, o, false);
        if (!r.ok()) return Fail(r.error());
        plain = *r;
    }
    const double append_ratio = plain.PerSecond() > 0 ? appends.PerSecond() / plain.PerSecond() : 0;
    std::printf("\n%-48s %12s\n", "", "por segundo");
    std::printf("%-48s %12s\n", "audit::Append en Store::Write()",
                Grouped(appends.PerSecond()).c_str());
    std::printf("%-48s %12s\n", "INSERT de la misma entrada en Store::Write()",
                Grouped(plain.PerSecond()).c_str());
    std::printf("razón anexos/escrituras simples: %.2f×\n\n", append_ratio);

    // (2) Proofs at N leaves.
    std::printf("construyendo un árbol de %s hojas en una base de medición...\n",
                Grouped(double(o.leaves)).c_str());
    std::fflush(stdout);
    auto tree_file = dir->path() / "tree.sqlite3";
    auto store = OpenFresh(tree_file);
    if (!store.ok()) return Fail(store.error());
    auto tree = BuildBigTree(**store, tree_file, o.leaves);
    if (!tree.ok()) return Fail(tree.error());
    Status same_root = (*store)->Read([&](vt::store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(audit::Hash root, audit::RootAt(tx, o.leaves));
        if (root != tree->root)
            return Error::Internal("La raíz de la base no es la calculada en memoria.");
        return vt::Ok();
    });
    if (!same_root.ok()) return Fail(same_root.error());
    std::printf(
        "  hojas escritas en %.1f s, subárboles calculados y guardados en %.1f s; base de %.2f "
        "GB\n",
        tree->insert_seconds, tree->nodes_seconds, double(tree->file_bytes) / 1e9);

    std::printf("generando %d pruebas de inclusión y %d de consistencia...\n", o.proofs, o.proofs);
    std::fflush(stdout);
    auto proofs = MeasureProofs(**store, *tree, o.proofs);
    if (!proofs.ok()) return Fail(proofs.error());
    auto& [inclusion, consistency] = *proofs;

    const double leaf_rate = double(tree->leaves) / tree->hash_seconds;
    const double from_scratch_s = tree->hash_seconds + tree->build_seconds;
    std::printf("\n%-48s %10s %10s %10s\n", "", "media", "p50", "p99");
    std::printf("%-48s %7.3f ms %7.3f ms %7.3f ms\n", "prueba de inclusión (lectura + ruta)",
                inclusion.Mean(), inclusion.Quantile(0.5), inclusion.Quantile(0.99));
    std::printf("%-48s %7.3f ms %7.3f ms %7.3f ms\n", "prueba de consistencia (lectura + prueba)",
                consistency.Mean(), consistency.Quantile(0.5), consistency.Quantile(0.99));
    std::printf(
        "referencia: SHA-256 de las mismas hojas, %s hojas/s; recalcular la raíz desde todas: %.2f "
        "s\n",
        Grouped(leaf_rate).c_str(), from_scratch_s);
    const double inclusion_in_leaves = inclusion.Quantile(0.5) / 1e3 * leaf_rate;
    const double scratch_over_proof = from_scratch_s / (inclusion.Quantile(0.5) / 1e3);
    std::printf(
        "una prueba de inclusión (p50) cuesta lo que hashear %s hojas; recalcular la raíz cuesta "
        "%s veces más\n",
        Grouped(inclusion_in_leaves).c_str(), Grouped(scratch_over_proof).c_str());
    std::printf(
        "resumen: registro de auditoría, %s anexos/s (%.2f× de escrituras simples); a %s hojas, "
        "inclusión p50 %.3f "
        "ms y consistencia p50 %.3f ms (= hashear %s hojas; la raíz desde cero, %.1f s)\n",
        Grouped(appends.PerSecond()).c_str(), append_ratio, Grouped(double(o.leaves)).c_str(),
        inclusion.Quantile(0.5), consistency.Quantile(0.5), Grouped(inclusion_in_leaves).c_str(),
        from_scratch_s);
    return 0;
}
