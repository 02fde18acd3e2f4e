// Behaviour of the PostgreSQL adapter beyond the shared contract: options, the pool,
// reconnection, the statement cache, error mapping on a real server, and the client tools.
// Tests that need a server skip when VENTANILLA_TEST_PG_URL is unset.
#include "vt/store/store.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <latch>
#include <thread>

#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::store {
namespace {

TEST(OpenPostgresTest, RejectsBadOptions) {
    PostgresOptions no_url;
    auto a = OpenPostgres(no_url);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().kind(), ErrorKind::kInvalid);

    PostgresOptions bad_url;
    bad_url.url = "postgresql://[::1";
    auto b = OpenPostgres(bad_url);
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error().kind(), ErrorKind::kInvalid);

    PostgresOptions no_pool;
    no_pool.url = "postgresql://127.0.0.1/x";
    no_pool.pool_size = 0;
    auto c = OpenPostgres(no_pool);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().kind(), ErrorKind::kInvalid);
}

TEST(OpenPostgresTest, UnreachableServerIsUnavailable) {
    PostgresOptions options;
    // Port 1 on loopback refuses at once.
    options.url = "postgresql://postgres@127.0.0.1:1/ventanilla?connect_timeout=2";
    auto store = OpenPostgres(options);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(store.error().code(), "database-unavailable");
}

TEST(RestorePostgresTest, MissingFileIsNotFound) {
    Status s = RestorePostgres("postgresql://127.0.0.1:1/x", "/nonexistent/copia.backup");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kNotFound);
}

class PostgresStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::optional<std::string> server = testdb::PgTestUrl();
        if (!server) GTEST_SKIP() << testdb::PgSkipMessage();
        server_url_ = *server;
        db_ = std::make_unique<testdb::PgScratchDatabase>(*server);
        ASSERT_OK(db_->status());
    }

    PostgresOptions Options() const {
        PostgresOptions options;
        options.url = db_->url();
        return options;
    }

    std::unique_ptr<Store> MustOpen(const PostgresOptions& options) {
        auto store = OpenPostgres(options);
        EXPECT_TRUE(store.ok()) << store.error().ToString();
        return store.ok() ? std::move(store).value() : nullptr;
    }

    static Status Script(Store& store, const std::string& sql) {
        return store.Write([&](Tx& tx) { return tx.ExecScript(sql); });
    }

    // Ends every server session on the scratch database, as a server restart would.
    Status KillConnections() {
        return testdb::PgAdminExec(server_url_,
                                   "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                                   "WHERE datname = '" +
                                       db_->name() + "'");
    }

    std::string server_url_;
    std::unique_ptr<testdb::PgScratchDatabase> db_;
};

TEST_F(PostgresStoreTest, DescribeShowsAddressWithoutPassword) {
    PostgresOptions options = Options();
    // The test server trusts local logins, so any password is accepted.
    options.url += " password='s3cr3t'";
    auto store = MustOpen(options);
    ASSERT_TRUE(store);
    const std::string described = store->Describe();
    EXPECT_EQ(described.rfind("postgresql://", 0), 0u) << described;
    EXPECT_NE(described.find("/" + db_->name()), std::string::npos) << described;
    EXPECT_EQ(described.find("s3cr3t"), std::string::npos) << described;
    // The password goes to pg_dump through its environment, and the dump still works.
    vt::testing::TempDir dir;
    EXPECT_OK(store->Backup(dir.path() / "copia.backup"));
}

TEST_F(PostgresStoreTest, PoolExhaustedWhenEveryConnectionIsBusy) {
    PostgresOptions options = Options();
    options.pool_size = 1;
    options.acquire_timeout = std::chrono::milliseconds(50);
    auto store = MustOpen(options);
    ASSERT_TRUE(store);

    std::promise<void> entered;
    std::promise<void> release;
    std::thread holder([&] {
        EXPECT_OK(store->Write([&](Tx&) -> Status {
            entered.set_value();
            release.get_future().wait();
            return Ok();
        }));
    });
    entered.get_future().wait();
    Status s = store->Read([](Tx&) { return Ok(); });
    release.set_value();
    holder.join();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(s.error().code(), "pool-exhausted");
    EXPECT_OK(store->Read([](Tx&) { return Ok(); }));
}

TEST_F(PostgresStoreTest, ReconnectsAfterTheServerDropsConnections) {
    PostgresOptions options = Options();
    options.pool_size = 2;
    auto store = MustOpen(options);
    ASSERT_TRUE(store);
    ASSERT_OK(Script(*store, "CREATE TABLE t (x BIGINT)"));
    ASSERT_OK(KillConnections());
    for (int i = 0; i < 4; ++i) {
        EXPECT_OK(store->Write([](Tx& tx) -> Status {
            VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (x) VALUES ($1)", {Value{std::int64_t{1}}}));
            return Ok();
        }));
    }
    ASSERT_OK(KillConnections());
    EXPECT_OK(store->Ping());
    EXPECT_OK(store->Read([](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT count(*) FROM t"));
        EXPECT_EQ(row.Int(0), 4);
        return Ok();
    }));
}

TEST_F(PostgresStoreTest, ConnectionLostInsideTransactionIsUnavailable) {
    PostgresOptions options = Options();
    options.pool_size = 1;
    auto store = MustOpen(options);
    ASSERT_TRUE(store);
    Status s = store->Write([&](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(KillConnections());
        VT_RETURN_IF_ERROR(tx.Query("SELECT 1"));
        return Ok();
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kUnavailable) << s.error().ToString();
    EXPECT_EQ(s.error().code(), "database-unavailable");
    EXPECT_OK(store->Ping());
}

TEST_F(PostgresStoreTest, StatementCacheStaysBoundedAndCorrect) {
    for (int cache_size : {0, 2}) {
        SCOPED_TRACE(cache_size);
        PostgresOptions options = Options();
        options.pool_size = 1;
        options.statement_cache_size = cache_size;
        auto store = MustOpen(options);
        ASSERT_TRUE(store);
        for (int round = 0; round < 3; ++round) {
            for (std::int64_t k = 1; k <= 5; ++k) {
                // Five different statements, so a cache of two keeps evicting.
                const std::string sql = "SELECT $1::bigint * " + std::to_string(k);
                EXPECT_OK(store->Read([&](Tx& tx) -> Status {
                    VT_ASSIGN_OR_RETURN(Row row, tx.QueryOne(sql, {Value{std::int64_t{10}}}));
                    EXPECT_EQ(row.Int(0), 10 * k);
                    return Ok();
                }));
            }
        }
        EXPECT_OK(store->Read([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(Row row,
                                tx.QueryOne("SELECT count(*) FROM pg_prepared_statements"));
            // The cache, plus the statement this query evicted (dropped before the next
            // transaction).
            EXPECT_LE(row.Int(0), cache_size + 1);
            return Ok();
        }));
    }
}

TEST_F(PostgresStoreTest, CachedStatementSurvivesAChangeOfItsTable) {
    PostgresOptions options = Options();
    options.pool_size = 1;
    auto store = MustOpen(options);
    ASSERT_TRUE(store);
    ASSERT_OK(Script(*store, "CREATE TABLE t (a BIGINT); INSERT INTO t VALUES (1)"));
    auto select_all = [&]() -> Result<std::size_t> {
        std::size_t columns = 0;
        VT_RETURN_IF_ERROR(store->Read([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT * FROM t"));
            columns = row.size();
            return Ok();
        }));
        return columns;
    };
    auto before = select_all();
    ASSERT_OK(before);
    EXPECT_EQ(*before, 1u);
    ASSERT_OK(Script(*store, "ALTER TABLE t ADD COLUMN b TEXT"));
    // The server refuses a cached plan whose columns changed; that attempt may fail, the
    // next one must not.
    (void)select_all();
    auto after = select_all();
    ASSERT_OK(after);
    EXPECT_EQ(*after, 2u);
}

TEST_F(PostgresStoreTest, IgnoredStatementErrorStillFailsTheTransaction) {
    auto store = MustOpen(Options());
    ASSERT_TRUE(store);
    ASSERT_OK(Script(*store, "CREATE TABLE k (v TEXT PRIMARY KEY); INSERT INTO k VALUES ('a')"));
    Status s = store->Write([](Tx& tx) -> Status {
        (void)tx.Exec("INSERT INTO k (v) VALUES ($1)", {Value{"b"}});
        (void)tx.Exec("INSERT INTO k (v) VALUES ($1)", {Value{"a"}});
        return Ok();
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), "constraint");
    EXPECT_OK(store->Read([](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT count(*) FROM k"));
        EXPECT_EQ(row.Int(0), 1);
        return Ok();
    }));
}

TEST_F(PostgresStoreTest, DeadlockIsASerializationConflict) {
    auto store = MustOpen(Options());
    ASSERT_TRUE(store);
    ASSERT_OK(Script(*store,
                     "CREATE TABLE d (id BIGINT PRIMARY KEY, n BIGINT);"
                     "INSERT INTO d VALUES (1, 0), (2, 0)"));
    std::latch both_locked(2);
    auto lock_in_order = [&](std::int64_t first, std::int64_t second) {
        return store->Write([&](Tx& tx) -> Status {
            VT_RETURN_IF_ERROR(tx.Exec("UPDATE d SET n = n + 1 WHERE id = $1", {Value{first}}));
            both_locked.arrive_and_wait();
            VT_RETURN_IF_ERROR(tx.Exec("UPDATE d SET n = n + 1 WHERE id = $1", {Value{second}}));
            return Ok();
        });
    };
    Status a = Ok();
    Status b = Ok();
    std::thread ta([&] { a = lock_in_order(1, 2); });
    std::thread tb([&] { b = lock_in_order(2, 1); });
    ta.join();
    tb.join();
    ASSERT_NE(a.ok(), b.ok()) << "exactly one transaction must lose the deadlock";
    const Error& lost = a.ok() ? b.error() : a.error();
    EXPECT_EQ(lost.kind(), ErrorKind::kConflict);
    EXPECT_EQ(lost.code(), "serialization");
}

TEST_F(PostgresStoreTest, BackupToAMissingFolderIsUnavailableWithPgDumpsMessage) {
    auto store = MustOpen(Options());
    ASSERT_TRUE(store);
    Status s = store->Backup("/nonexistent-folder/copia.backup");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(s.error().code(), "backup-failed");
    EXPECT_NE(s.error().message().find("pg_dump"), std::string::npos) << s.error().message();
}

TEST_F(PostgresStoreTest, RestoreOfAFileThatIsNotADumpFails) {
    vt::testing::TempDir dir;
    const auto file = dir.path() / "no-es-copia.backup";
    std::ofstream(file) << "esto no es un archivo de pg_dump";
    Status s = RestorePostgres(db_->url(), file);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(s.error().code(), "restore-failed");
}

}  // namespace
}  // namespace vt::store
