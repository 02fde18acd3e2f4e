#include "postgres/pg_errors.hpp"

#include <gtest/gtest.h>

namespace vt::store::pg {
namespace {

TEST(ErrorFromSqlStateTest, MapsSqlStatesToKindsAndCodes) {
    struct Case {
        const char* sqlstate;
        ErrorKind kind;
        const char* code;
    };
    const Case cases[] = {
        {"23505", ErrorKind::kConflict, "constraint"},               // unique_violation
        {"23503", ErrorKind::kConflict, "constraint"},               // foreign_key_violation
        {"23502", ErrorKind::kConflict, "constraint"},               // not_null_violation
        {"23514", ErrorKind::kConflict, "constraint"},               // check_violation
        {"23P01", ErrorKind::kConflict, "constraint"},               // exclusion_violation
        {"40001", ErrorKind::kConflict, "serialization"},            // serialization_failure
        {"40P01", ErrorKind::kConflict, "serialization"},            // deadlock_detected
        {"53100", ErrorKind::kStorageFull, "storage-full"},          // disk_full
        {"53300", ErrorKind::kUnavailable, "database-unavailable"},  // too_many_connections
        {"08006", ErrorKind::kUnavailable, "database-unavailable"},  // connection_failure
        {"57P01", ErrorKind::kUnavailable, "database-unavailable"},  // admin_shutdown
        {"57P03", ErrorKind::kUnavailable, "database-unavailable"},  // cannot_connect_now
        {"42P01", ErrorKind::kInternal, "internal"},                 // undefined_table
        {"25006", ErrorKind::kInternal, "internal"},                 // read_only_sql_transaction
        {"57014", ErrorKind::kInternal, "internal"},                 // query_canceled
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.sqlstate);
        Error e = ErrorFromSqlState(c.sqlstate, "server says\nsomething");
        EXPECT_EQ(e.kind(), c.kind);
        EXPECT_EQ(e.code(), c.code);
        EXPECT_FALSE(e.message().empty());
        EXPECT_EQ(e.message().find('\n'), std::string::npos);
    }
}

TEST(ErrorFromSqlStateTest, UniqueViolationSaysSoInSpanish) {
    EXPECT_EQ(ErrorFromSqlState("23505", "duplicate key").message(),
              "Ya existe un registro con esos datos.");
}

TEST(ErrorFromSqlStateTest, InternalErrorsKeepTheServerMessage) {
    Error e = ErrorFromSqlState("42P01", "relation \"cases\" does not exist\n");
    EXPECT_NE(e.message().find("relation \"cases\" does not exist"), std::string::npos);
    EXPECT_NE(e.message().find("42P01"), std::string::npos);
}

}  // namespace
}  // namespace vt::store::pg
