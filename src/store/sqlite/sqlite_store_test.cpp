#include "vt/store/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "vt/testing.hpp"

namespace vt::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
protected:
    SqliteOptions Options() {
        SqliteOptions o;
        o.path = dir_.path() / "ventanilla.sqlite3";
        return o;
    }
    testing::TempDir dir_;
};

TEST_F(SqliteStoreTest, ConcurrentWritersShareCommits) {
    std::atomic<int> writes{0}, commits{0};
    SqliteOptions o = Options();
    o.on_timing = [&](std::string_view op, std::chrono::nanoseconds) {
        if (op == "write") ++writes;
        if (op == "commit") ++commits;
    };
    auto store = OpenSqlite(o);
    ASSERT_OK(store);
    ASSERT_OK((*store)->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); }));

    constexpr int kThreads = 32, kEach = 50;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                Status s = (*store)->Write([&](Tx& tx) -> Status {
                    VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (v) VALUES ($1)",
                                               {Value{std::to_string(t) + ":" + std::to_string(i)}}));
                    return Ok();
                });
                EXPECT_OK(s);
            }
        });
    }
    for (auto& th : threads) th.join();

    std::int64_t count = 0;
    ASSERT_OK((*store)->Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row r, tx.QueryOne("SELECT count(*) FROM t"));
        count = r.Int(0);
        return Ok();
    }));
    EXPECT_EQ(count, kThreads * kEach);
    EXPECT_EQ(writes.load(), kThreads * kEach + 1);
    // With 32 writers waiting on fsync, batches form; far fewer commits than writes.
    EXPECT_LT(commits.load(), writes.load());
}

TEST_F(SqliteStoreTest, FailingJobInBatchRollsBackAlone) {
    auto store = OpenSqlite(Options());
    ASSERT_OK(store);
    ASSERT_OK((*store)->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (id INTEGER PRIMARY KEY)"); }));
    std::vector<std::thread> threads;
    std::atomic<int> failed{0};
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&, t] {
            Status s = (*store)->Write([&](Tx& tx) -> Status {
                VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id) VALUES ($1)", {Value{std::int64_t{t * 10}}}));
                VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id) VALUES ($1)", {Value{std::int64_t{t * 10 + 1}}}));
                if (t % 2 == 1) return Error::Conflict("test", "falla a propósito");
                return Ok();
            });
            if (!s.ok()) ++failed;
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failed.load(), 8);
    ASSERT_OK((*store)->Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row r, tx.QueryOne("SELECT count(*), sum(id % 20) FROM t"));
        EXPECT_EQ(r.Int(0), 16);     // 8 jobs × 2 rows
        EXPECT_EQ(r.Int(1), 8 * 1);  // only even t: ids t*10 (mod 20 = 0) and t*10+1 (mod 20 = 1)
        return Ok();
    }));
}

TEST_F(SqliteStoreTest, FullDiskRefusesWriteAndKeepsEarlierData) {
    SqliteOptions o = Options();
    o.max_page_count = 512;  // 2 MiB: room for the schema, not for the 4 MiB write below
    auto store = OpenSqlite(o);
    ASSERT_OK(store);
    ASSERT_OK((*store)->Migrate());
    ASSERT_OK((*store)->Write([](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.ExecScript("CREATE TABLE files (id INTEGER PRIMARY KEY, data BLOB)"));
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO files (data) VALUES ($1)", {Value{Blob{std::string(1000, 'a')}}}));
        return Ok();
    }));
    Status s = (*store)->Write([](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO files (data) VALUES ($1)", {Value{Blob{std::string(100, 'b')}}}));
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO files (data) VALUES ($1)",
                                   {Value{Blob{std::string(4 << 20, 'c')}}}));
        return Ok();
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kStorageFull);
    ASSERT_OK((*store)->Read([](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row r, tx.QueryOne("SELECT count(*) FROM files"));
        EXPECT_EQ(r.Int(0), 1);  // neither row of the failed transaction
        return Ok();
    }));
    // The store keeps working for writes that fit.
    EXPECT_OK((*store)->Write([](Tx& tx) -> Status {
        return tx.Exec("INSERT INTO files (data) VALUES ($1)", {Value{Blob{"x"}}}).ok() ? Ok() : Error::Internal("x");
    }));
}

TEST_F(SqliteStoreTest, CorruptFileRefusesToOpen) {
    {
        std::ofstream f(Options().path);
        f << std::string(8192, 'z');
    }
    auto store = OpenSqlite(Options());
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code(), "database-corrupt");
    EXPECT_NE(store.error().message().find("dañado"), std::string::npos);
}

TEST_F(SqliteStoreTest, MissingFileRefusedWhenCreationDisallowed) {
    SqliteOptions o = Options();
    o.create_if_missing = false;
    auto store = OpenSqlite(o);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().kind(), ErrorKind::kNotFound);
}

TEST_F(SqliteStoreTest, MissingDirectoryIsAClearError) {
    SqliteOptions o = Options();
    o.path = dir_.path() / "no-existe" / "db.sqlite3";
    auto store = OpenSqlite(o);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code(), "data-dir-missing");
}

TEST_F(SqliteStoreTest, ChangedMigrationIsRefused) {
    auto store = OpenSqlite(Options());
    ASSERT_OK(store);
    ASSERT_OK((*store)->Migrate());
    ASSERT_OK((*store)->Write([](Tx& tx) -> Status {
        return tx.Exec("UPDATE schema_migrations SET checksum = 'x' WHERE version = 1").ok() ? Ok()
                                                                                            : Error::Internal("u");
    }));
    Status s = (*store)->Migrate();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), "migration-changed");
}

TEST_F(SqliteStoreTest, NewerSchemaIsRefused) {
    auto store = OpenSqlite(Options());
    ASSERT_OK(store);
    ASSERT_OK((*store)->Migrate());
    ASSERT_OK((*store)->Write([](Tx& tx) -> Status {
        return tx.Exec("INSERT INTO schema_migrations VALUES (9999, 'futuro', 'x', 'now')").ok()
                   ? Ok()
                   : Error::Internal("i");
    }));
    Status s = (*store)->Migrate();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), "schema-too-new");
}

TEST_F(SqliteStoreTest, RestoreRejectsForeignFile) {
    std::filesystem::path other = dir_.path() / "otra.sqlite3";
    {
        SqliteOptions o;
        o.path = other;
        auto s = OpenSqlite(o);
        ASSERT_OK(s);
        ASSERT_OK((*s)->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE x (a)"); }));
    }
    Status s = RestoreSqlite(other, Options().path);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kInvalid);
}

}  // namespace
}  // namespace vt::store
