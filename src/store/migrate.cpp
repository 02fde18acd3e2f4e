#include "migrate.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>

#include "vt/core/clock.hpp"
#include "vt/core/hash.hpp"

namespace vt::store::internal {
namespace {

struct Parsed {
    int version;
    std::string name;
    std::string_view sql;
    std::string checksum;
};

Result<std::vector<Parsed>> Parse(std::span<const core::EmbeddedFile> files) {
    std::vector<Parsed> out;
    for (const auto& f : files) {
        // "sqlite/0001_instance.sql" -> version 1, name "instance"
        std::string_view base = f.path.substr(f.path.find_last_of('/') + 1);
        int version = 0;
        auto [end, ec] = std::from_chars(base.data(), base.data() + base.size(), version);
        if (ec != std::errc() || *end != '_' || version <= 0) {
            return Error::Internal("Nombre de migración inválido: " + std::string(f.path));
        }
        std::string_view rest(end + 1, base.data() + base.size() - end - 1);
        if (rest.ends_with(".sql")) rest.remove_suffix(4);
        out.push_back({version, std::string(rest), f.data, core::Sha256Hex(f.data)});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < out.size(); ++i) {
        if (out[i].version == out[i - 1].version)
            return Error::Internal("Versión de migración repetida: " + std::to_string(out[i].version));
    }
    return out;
}

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

// Reads what has been applied without writing anything; a database that was never
// migrated has applied nothing.
Result<std::map<int, std::string>> AppliedReadOnly(Store& store) {
    std::map<int, std::string> applied;
    VT_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
        std::string_view exists =
            tx.dialect() == Dialect::kSqlite
                ? "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"
                : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                  "AND table_name = 'schema_migrations'";
        VT_ASSIGN_OR_RETURN(Row r, tx.QueryOne(exists));
        if (r.Int(0) == 0) return Ok();
        VT_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT version, checksum FROM schema_migrations"));
        for (const Row& row : rows) applied[static_cast<int>(row.Int(0))] = row.Text(1);
        return Ok();
    }));
    return applied;
}

Result<std::map<int, std::string>> Applied(Store& store) {
    std::map<int, std::string> applied;
    VT_RETURN_IF_ERROR(store.Write([&](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.ExecScript(kCreateTable));
        VT_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT version, checksum FROM schema_migrations"));
        for (const Row& r : rows) applied[static_cast<int>(r.Int(0))] = r.Text(1);
        return Ok();
    }));
    return applied;
}

}  // namespace

std::span<const core::EmbeddedFile> MigrationsFor(Dialect dialect) {
    return dialect == Dialect::kSqlite ? vt_sqlite_migrations() : vt_postgres_migrations();
}

Status RunMigrations(Store& store, std::span<const core::EmbeddedFile> files) {
    VT_ASSIGN_OR_RETURN(auto known, Parse(files));
    VT_ASSIGN_OR_RETURN(auto applied, Applied(store));
    for (const auto& [version, checksum] : applied) {
        auto it = std::find_if(known.begin(), known.end(), [&](auto& p) { return p.version == version; });
        if (it == known.end()) {
            return Error::Unavailable(
                "schema-too-new",
                "La base de datos tiene la migración " + std::to_string(version) +
                    ", que esta versión del programa no conoce: fue actualizada por una versión "
                    "más nueva. Use esa versión o restaure una copia de seguridad anterior.");
        }
        if (it->checksum != checksum) {
            return Error::Unavailable(
                "migration-changed",
                "La migración " + std::to_string(version) + " (" + it->name +
                    ") ya aplicada fue modificada después de aplicarse; corrija el archivo en lugar "
                    "de cambiar una migración publicada.");
        }
    }
    for (const auto& m : known) {
        if (applied.contains(m.version)) continue;
        Status s = store.Write([&](Tx& tx) -> Status {
            VT_RETURN_IF_ERROR(tx.ExecScript(m.sql));
            VT_RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
                "VALUES ($1, $2, $3, $4)",
                {Value{std::int64_t{m.version}}, Value{m.name}, Value{m.checksum},
                 Value{core::FormatUtc(std::chrono::system_clock::now())}}));
            return Ok();
        });
        if (!s.ok()) {
            return Error(s.error().kind(), s.error().code(),
                         "No se pudo aplicar la migración " + std::to_string(m.version) + " (" +
                             m.name + "): " + s.error().message());
        }
    }
    return Ok();
}

Result<std::vector<MigrationInfo>> ListMigrations(Store& store,
                                                  std::span<const core::EmbeddedFile> files) {
    VT_ASSIGN_OR_RETURN(auto known, Parse(files));
    VT_ASSIGN_OR_RETURN(auto applied, AppliedReadOnly(store));
    std::vector<MigrationInfo> out;
    for (const auto& m : known) out.push_back({m.version, m.name, applied.contains(m.version)});
    return out;
}

}  // namespace vt::store::internal
