#pragma once
// Maps PostgreSQL failures to vt::Error kinds and codes. Private to the PostgreSQL adapter.
#include <libpq-fe.h>

#include <string_view>

#include "vt/core/result.hpp"

namespace vt::store::pg {

/// The error for a server failure with SQLSTATE `sqlstate` (five characters) and primary
/// message `server_message`:
///   class 23 (integrity)           kConflict    "constraint"
///   40001, 40P01 (serialization)   kConflict    "serialization"
///   53100 (disk full)              kStorageFull "storage-full"
///   class 08, 53, 57P (connection, resources, shutdown)
///                                  kUnavailable "database-unavailable"
///   anything else                  kInternal    "internal", with the server's message
Error ErrorFromSqlState(std::string_view sqlstate, std::string_view server_message);

/// The error for a failed libpq call on `conn` whose result is `res` (may be null, e.g.
/// when the server could not be reached). A broken connection is kUnavailable.
/// REQUIRES: `conn` is not null.
Error ErrorFromResult(const PGconn* conn, const PGresult* res);

/// The error when the server cannot be reached at all; `detail` is libpq's message.
Error Unreachable(std::string_view detail);

}  // namespace vt::store::pg
