#pragma once
// Versioned migrations shared by both adapters. Files are named NNNN_name.sql; the
// embedded copies are the only ones used, so a binary always carries its own schema.
#include <span>

#include "vt/core/embedded.hpp"
#include "vt/store/store.hpp"

std::span<const vt::core::EmbeddedFile> vt_sqlite_migrations();
std::span<const vt::core::EmbeddedFile> vt_postgres_migrations();

namespace vt::store::internal {

/// Applies pending migrations of `files` through `store.Write`, one transaction each,
/// recording version, name, checksum and time in schema_migrations.
Status RunMigrations(Store& store, std::span<const core::EmbeddedFile> files);

/// Lists `files` with their applied flag.
Result<std::vector<MigrationInfo>> ListMigrations(Store& store,
                                                  std::span<const core::EmbeddedFile> files);

/// Maps the embedded files of one dialect.
std::span<const core::EmbeddedFile> MigrationsFor(Dialect dialect);

}  // namespace vt::store::internal
