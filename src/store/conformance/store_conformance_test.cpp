// The storage port's contract, checked against every adapter: the same tests run on
// SQLite (a file in a temporary folder) and on PostgreSQL (a scratch database on the
// server named by VENTANILLA_TEST_PG_URL; skipped when it is unset).
#include "vt/store/store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::store {

// Lets GoogleTest print a Value holding a Blob.
static void PrintTo(const Blob& blob, std::ostream* os) {
    *os << "Blob(" << blob.bytes.size() << " bytes)";
}

namespace {

enum class Engine { kSqlite, kPostgres };

std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
    return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

class StoreConformanceTest : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        if (GetParam() == Engine::kPostgres) {
            std::optional<std::string> server = testdb::PgTestUrl();
            if (!server) GTEST_SKIP() << testdb::PgSkipMessage();
            pg_ = std::make_unique<testdb::PgScratchDatabase>(*server);
            ASSERT_OK(pg_->status());
        }
        auto store = Open();
        ASSERT_OK(store);
        store_ = std::move(store).value();
    }

    void TearDown() override {
        // The store goes first: its connections would keep the scratch database in use.
        store_.reset();
        pg_.reset();
    }

    Result<std::unique_ptr<Store>> Open(TimingObserver on_timing = nullptr) {
        if (GetParam() == Engine::kSqlite) {
            SqliteOptions options;
            options.path = dir_.path() / "ventanilla.sqlite3";
            options.on_timing = std::move(on_timing);
            return OpenSqlite(options);
        }
        PostgresOptions options;
        options.url = pg_->url();
        options.on_timing = std::move(on_timing);
        return OpenPostgres(options);
    }

    // Column types and key definitions where the dialects differ.
    std::string BlobType() const { return GetParam() == Engine::kSqlite ? "BLOB" : "BYTEA"; }
    std::string IdColumn() const {
        return GetParam() == Engine::kSqlite ? "id INTEGER PRIMARY KEY"
                                             : "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
    }

    Status Script(const std::string& sql) {
        return store_->Write([&](Tx& tx) { return tx.ExecScript(sql); });
    }

    Result<std::int64_t> Count(const std::string& table) {
        std::int64_t n = -1;
        VT_RETURN_IF_ERROR(store_->Read([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT count(*) FROM " + table));
            n = row.Int(0);
            return Ok();
        }));
        return n;
    }

    vt::testing::TempDir dir_;
    std::unique_ptr<testdb::PgScratchDatabase> pg_;
    std::unique_ptr<Store> store_;
};

TEST_P(StoreConformanceTest, ReportsItsDialect) {
    const Dialect expected = GetParam() == Engine::kSqlite ? Dialect::kSqlite : Dialect::kPostgres;
    EXPECT_EQ(store_->dialect(), expected);
    EXPECT_OK(store_->Read([&](Tx& tx) -> Status {
        EXPECT_EQ(tx.dialect(), expected);
        return Ok();
    }));
    EXPECT_FALSE(store_->Describe().empty());
}

TEST_P(StoreConformanceTest, PingAnswers) { EXPECT_OK(store_->Ping()); }

TEST_P(StoreConformanceTest, MigrationsArePendingBeforeMigrate) {
    auto migrations = store_->Migrations();
    ASSERT_OK(migrations);
    ASSERT_FALSE(migrations->empty());
    for (const MigrationInfo& m : *migrations) EXPECT_FALSE(m.applied) << m.version;
}

TEST_P(StoreConformanceTest, MigrateAppliesFirstMigrationAndIsIdempotent) {
    ASSERT_OK(store_->Migrate());
    auto migrations = store_->Migrations();
    ASSERT_OK(migrations);
    ASSERT_FALSE(migrations->empty());
    EXPECT_EQ(migrations->front().version, 1);
    EXPECT_EQ(migrations->front().name, "instance");
    for (const MigrationInfo& m : *migrations) EXPECT_TRUE(m.applied) << m.version;

    ASSERT_OK(store_->Migrate());
    auto applied = Count("schema_migrations");
    ASSERT_OK(applied);
    EXPECT_EQ(*applied, static_cast<std::int64_t>(migrations->size()));

    // 0001 created instance_settings.
    EXPECT_OK(store_->Write([](Tx& tx) -> Status {
        return tx.Exec("INSERT INTO instance_settings (key, value, updated_at) VALUES ($1, $2, $3)",
                       {Value{"instance-id"}, Value{"abc"}, Value{"2026-01-05T10:00:00.000Z"}})
                       .ok()
                   ? Ok()
                   : Error::Internal("instance_settings no existe");
    }));
}

TEST_P(StoreConformanceTest, EveryValueTypeRoundTrips) {
    ASSERT_OK(
        Script("CREATE TABLE vals (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, "
               "t TEXT, b " +
               BlobType() + ")"));
    std::string all_bytes;
    for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
    struct Case {
        std::int64_t id;
        Value i, r, t, b;
    };
    const std::vector<Case> cases = {
        {1, Value{std::numeric_limits<std::int64_t>::min()}, Value{-1.5e300},
         Value{"Sacatepéquez ñ"}, Value{Blob{std::string("\0a\0\xff", 4)}}},
        {2, Value{std::numeric_limits<std::int64_t>::max()}, Value{0.1}, Value{""},
         Value{Blob{""}}},
        {3, Value{std::int64_t{-1}}, Value{3.141592653589793}, Value{"comilla ' barra \\ 😀"},
         Value{Blob{all_bytes}}},
        {4, Value{std::int64_t{0}}, Value{-2.5e-300}, Value{"$1 no es un parámetro"},
         Value{Blob{std::string(3, '\0')}}},
        {5, Value{}, Value{}, Value{}, Value{}},
    };
    ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
        for (const Case& c : cases) {
            VT_RETURN_IF_ERROR(
                tx.Exec("INSERT INTO vals (id, i, r, t, b) VALUES ($1, $2, $3, $4, $5)",
                        {Value{c.id}, c.i, c.r, c.t, c.b}));
        }
        return Ok();
    }));
    ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT id, i, r, t, b FROM vals ORDER BY id"));
        EXPECT_EQ(rows.size(), cases.size());
        for (std::size_t k = 0; k < rows.size() && k < cases.size(); ++k) {
            const Row& row = rows[k];
            const Case& c = cases[k];
            SCOPED_TRACE("id " + std::to_string(c.id));
            EXPECT_EQ(row.size(), 5u);
            EXPECT_EQ(row.Int(0), c.id);
            EXPECT_EQ(row.at(1), c.i);
            EXPECT_EQ(row.at(2), c.r);
            EXPECT_EQ(row.at(3), c.t);
            EXPECT_EQ(row.at(4), c.b);
        }
        return Ok();
    }));
    ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT i, t, b, r FROM vals WHERE id = $1",
                                                 {Value{std::int64_t{1}}}));
        EXPECT_EQ(row.Int(0), std::numeric_limits<std::int64_t>::min());
        EXPECT_EQ(row.Text(1), "Sacatepéquez ñ");
        EXPECT_EQ(row.Bytes(2), std::string("\0a\0\xff", 4));
        EXPECT_EQ(row.Real(3), -1.5e300);
        EXPECT_EQ(row.OptInt(0), std::numeric_limits<std::int64_t>::min());
        EXPECT_EQ(row.OptText(1), "Sacatepéquez ñ");
        VT_ASSIGN_OR_RETURN(Row nulls, tx.QueryOne("SELECT i, t FROM vals WHERE id = $1",
                                                   {Value{std::int64_t{5}}}));
        EXPECT_TRUE(nulls.IsNull(0));
        EXPECT_EQ(nulls.OptInt(0), std::nullopt);
        EXPECT_EQ(nulls.OptText(1), std::nullopt);
        // Parameters compare against stored values of each type.
        VT_ASSIGN_OR_RETURN(Row by_blob,
                            tx.QueryOne("SELECT id FROM vals WHERE b = $1 AND t = $2",
                                        {Value{Blob{all_bytes}}, Value{"comilla ' barra \\ 😀"}}));
        EXPECT_EQ(by_blob.Int(0), 3);
        return Ok();
    }));
}

TEST_P(StoreConformanceTest, InsertReturningGivesTheNewId) {
    ASSERT_OK(Script("CREATE TABLE people (" + IdColumn() + ", name TEXT NOT NULL)"));
    std::int64_t first = 0;
    std::int64_t second = 0;
    ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row a, tx.QueryOne("INSERT INTO people (name) VALUES ($1) RETURNING id",
                                               {Value{"Ana"}}));
        VT_ASSIGN_OR_RETURN(Row b, tx.QueryOne("INSERT INTO people (name) VALUES ($1) RETURNING id",
                                               {Value{"Luis"}}));
        first = a.Int(0);
        second = b.Int(0);
        return Ok();
    }));
    EXPECT_GT(first, 0);
    EXPECT_GT(second, first);
    ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row row,
                            tx.QueryOne("SELECT name FROM people WHERE id = $1", {Value{second}}));
        EXPECT_EQ(row.Text(0), "Luis");
        return Ok();
    }));
}

TEST_P(StoreConformanceTest, NumberedParametersMayRepeatAndComeOutOfOrder) {
    ASSERT_OK(
        Script("CREATE TABLE pairs (a BIGINT, b TEXT);"
               "CREATE TABLE twins (x BIGINT, y BIGINT);"
               "CREATE TABLE wide (c1 BIGINT, c2 BIGINT, c3 BIGINT, c4 BIGINT, c5 BIGINT,"
               " c6 BIGINT, c7 BIGINT, c8 BIGINT, c9 BIGINT, c10 BIGINT)"));
    std::vector<Value> ten;
    for (std::int64_t n = 1; n <= 10; ++n) ten.emplace_back(n * 11);
    ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO pairs (b, a) VALUES ($2, $1)",
                                   {Value{std::int64_t{7}}, Value{"siete"}}));
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO pairs (b, a) VALUES ($2, $1)",
                                   {Value{std::int64_t{8}}, Value{"ocho"}}));
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO twins (x, y) VALUES ($1, $1)", {Value{std::int64_t{5}}}));
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO twins (x, y) VALUES ($1, $2)",
                                   {Value{std::int64_t{5}}, Value{std::int64_t{6}}}));
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO wide VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", ten));
        return Ok();
    }));
    ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT a, b FROM pairs WHERE a = $2 AND b = $1",
                                                {Value{"ocho"}, Value{std::int64_t{8}}}));
        EXPECT_EQ(rows.size(), 1u);
        if (!rows.empty()) {
            EXPECT_EQ(rows[0].Text(1), "ocho");
        }
        VT_ASSIGN_OR_RETURN(Row same,
                            tx.QueryOne("SELECT count(*) FROM twins WHERE x = $1 AND y = $1",
                                        {Value{std::int64_t{5}}}));
        EXPECT_EQ(same.Int(0), 1);
        // $10 must not be read as $1 followed by "0".
        VT_ASSIGN_OR_RETURN(
            Row wide,
            tx.QueryOne(
                "SELECT c10, c1 FROM wide WHERE c10 = $10 AND c9 = $9 AND c8 = $8 AND c7 = $7 AND "
                "c6 = $6 AND c5 = $5 AND c4 = $4 AND c3 = $3 AND c2 = $2 AND c1 = $1",
                ten));
        EXPECT_EQ(wide.Int(0), 110);
        EXPECT_EQ(wide.Int(1), 11);
        return Ok();
    }));
}

TEST_P(StoreConformanceTest, ParametersKeepTheTypeOfTheirValue) {
    ASSERT_OK(store_->Read([](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(
            Row row, tx.QueryOne("SELECT $1 + $2, $3, $4, $5 * 2, COALESCE($6, $1)",
                                 {Value{std::int64_t{2}}, Value{std::int64_t{3000000000}},
                                  Value{"texto"}, Value{std::int64_t{-7}}, Value{1.25}, Value{}}));
        EXPECT_EQ(row.at(0), Value{std::int64_t{3000000002}});
        EXPECT_EQ(row.at(1), Value{"texto"});
        EXPECT_EQ(row.at(2), Value{std::int64_t{-7}});
        EXPECT_EQ(row.at(3), Value{2.5});
        EXPECT_EQ(row.at(4), Value{std::int64_t{2}});
        return Ok();
    }));
}

TEST_P(StoreConformanceTest, ExecReturnsChangedRows) {
    ASSERT_OK(Script("CREATE TABLE n (x BIGINT)"));
    std::int64_t inserted = 0;
    std::int64_t updated = 0;
    std::int64_t deleted = 0;
    ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(inserted, tx.Exec("INSERT INTO n (x) VALUES (1), (2), (3)"));
        VT_ASSIGN_OR_RETURN(
            updated, tx.Exec("UPDATE n SET x = x + 10 WHERE x >= $1", {Value{std::int64_t{2}}}));
        VT_ASSIGN_OR_RETURN(deleted,
                            tx.Exec("DELETE FROM n WHERE x = $1", {Value{std::int64_t{99}}}));
        return Ok();
    }));
    EXPECT_EQ(inserted, 3);
    EXPECT_EQ(updated, 2);
    EXPECT_EQ(deleted, 0);
}

TEST_P(StoreConformanceTest, ExecScriptRunsSeveralStatements) {
    ASSERT_OK(
        Script("CREATE TABLE a (x BIGINT); CREATE TABLE b (y BIGINT);\n"
               "INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);"));
    auto n = Count("a");
    ASSERT_OK(n);
    EXPECT_EQ(*n, 2);
}

TEST_P(StoreConformanceTest, FailingFnRollsBackEverythingItWrote) {
    ASSERT_OK(Script("CREATE TABLE items (name TEXT)"));
    Status s = store_->Write([](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (name) VALUES ($1)", {Value{"uno"}}));
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (name) VALUES ($1)", {Value{"dos"}}));
        VT_RETURN_IF_ERROR(tx.ExecScript("CREATE TABLE created_inside (x BIGINT)"));
        return Error::Invalid("El formulario tiene errores.");
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kInvalid);
    EXPECT_EQ(s.error().message(), "El formulario tiene errores.");
    auto n = Count("items");
    ASSERT_OK(n);
    EXPECT_EQ(*n, 0);
    EXPECT_FALSE(Count("created_inside").ok()) << "DDL inside the failed transaction remained";
}

TEST_P(StoreConformanceTest, IgnoredStatementFailureDoomsTheWrite) {
    ASSERT_OK(Script("CREATE TABLE items (name TEXT UNIQUE)"));
    ASSERT_OK(store_->Write([](Tx& tx) -> Status {
        return tx.Exec("INSERT INTO items (name) VALUES ($1)", {Value{"uno"}}).ok() ? Ok() : Error::Internal("x");
    }));
    Status s = store_->Write([](Tx& tx) -> Status {
        (void)tx.Exec("INSERT INTO items (name) VALUES ($1)", {Value{"dos"}});
        (void)tx.Exec("INSERT INTO items (name) VALUES ($1)", {Value{"uno"}});  // fails, ignored
        auto later = tx.Exec("INSERT INTO items (name) VALUES ($1)", {Value{"tres"}});
        EXPECT_FALSE(later.ok());
        return Ok();
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), "constraint");
    auto n = Count("items");
    ASSERT_OK(n);
    EXPECT_EQ(*n, 1);
}

TEST_P(StoreConformanceTest, ExceptionInFnIsInternalAndRollsBack) {
    ASSERT_OK(Script("CREATE TABLE items (name TEXT)"));
    Status s = store_->Write([](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (name) VALUES ($1)", {Value{"uno"}}));
        throw std::runtime_error("falla inesperada");
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kInternal);
    EXPECT_NE(s.error().message().find("falla inesperada"), std::string::npos);
    auto n = Count("items");
    ASSERT_OK(n);
    EXPECT_EQ(*n, 0);

    Status r = store_->Read([](Tx&) -> Status { throw 42; });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ErrorKind::kInternal);
    EXPECT_OK(store_->Write([](Tx& tx) -> Status {
        return tx.Exec("INSERT INTO items (name) VALUES ($1)", {Value{"dos"}}).ok()
                   ? Ok()
                   : Error::Internal("la escritura siguiente falló");
    }));
}

TEST_P(StoreConformanceTest, ConstraintViolationIsConflictAndRollsBack) {
    ASSERT_OK(Script(
        "CREATE TABLE accounts (email TEXT PRIMARY KEY, age BIGINT NOT NULL CHECK (age >= 0));"
        "CREATE TABLE sessions (email TEXT NOT NULL REFERENCES accounts (email))"));
    auto insert = [](std::string email, std::int64_t age) {
        return [email, age](Tx& tx) -> Status {
            return tx.Exec("INSERT INTO accounts (email, age) VALUES ($1, $2)",
                           {Value{email}, Value{age}})
                           .ok()
                       ? Ok()
                       : Error::Internal("insert");
        };
    };
    ASSERT_OK(store_->Write(insert("ana@example.gt", 30)));

    struct Case {
        const char* name;
        const char* sql;
        std::vector<Value> params;
    };
    const std::vector<Case> cases = {
        {"unique",
         "INSERT INTO accounts (email, age) VALUES ($1, $2)",
         {Value{"ana@example.gt"}, Value{std::int64_t{40}}}},
        {"not null",
         "INSERT INTO accounts (email, age) VALUES ($1, $2)",
         {Value{"sin-edad@example.gt"}, Value{}}},
        {"check",
         "INSERT INTO accounts (email, age) VALUES ($1, $2)",
         {Value{"negativa@example.gt"}, Value{std::int64_t{-1}}}},
        {"foreign key", "INSERT INTO sessions (email) VALUES ($1)", {Value{"nadie@example.gt"}}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        Status s = store_->Write([&](Tx& tx) -> Status {
            VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO accounts (email, age) VALUES ($1, $2)",
                                       {Value{"luis@example.gt"}, Value{std::int64_t{25}}}));
            VT_RETURN_IF_ERROR(tx.Exec(c.sql, c.params));
            return Ok();
        });
        ASSERT_FALSE(s.ok());
        EXPECT_EQ(s.error().kind(), ErrorKind::kConflict) << s.error().ToString();
        EXPECT_EQ(s.error().code(), "constraint");
        EXPECT_FALSE(s.error().message().empty());
        auto n = Count("accounts");
        ASSERT_OK(n);
        EXPECT_EQ(*n, 1) << "the row written before the violation remained";
    }
    // The store is usable afterwards.
    EXPECT_OK(store_->Write(insert("luis@example.gt", 25)));
}

TEST_P(StoreConformanceTest, ViolationFoundAtCommitFailsTheWrite) {
    ASSERT_OK(
        Script("CREATE TABLE parents (id BIGINT PRIMARY KEY);"
               "CREATE TABLE children (id BIGINT PRIMARY KEY, parent BIGINT NOT NULL"
               " REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)"));
    Status s = store_->Write([](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO children (id, parent) VALUES (1, 99)"));
        return Ok();
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kConflict) << s.error().ToString();
    EXPECT_EQ(s.error().code(), "constraint");
    auto n = Count("children");
    ASSERT_OK(n);
    EXPECT_EQ(*n, 0);
}

TEST_P(StoreConformanceTest, ReadCannotWrite) {
    ASSERT_OK(Script("CREATE TABLE notes (t TEXT)"));
    Status insert = store_->Read([](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO notes (t) VALUES ($1)", {Value{"no"}}));
        return Ok();
    });
    EXPECT_FALSE(insert.ok());
    Status ddl =
        store_->Read([](Tx& tx) { return tx.ExecScript("CREATE TABLE other (x BIGINT)"); });
    EXPECT_FALSE(ddl.ok());
    auto n = Count("notes");
    ASSERT_OK(n);
    EXPECT_EQ(*n, 0);
    EXPECT_FALSE(Count("other").ok());

    ASSERT_OK(store_->Write([](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO notes (t) VALUES ($1)", {Value{"sí"}}));
        return Ok();
    }));
    ASSERT_OK(store_->Read([](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT t FROM notes"));
        EXPECT_EQ(row.Text(0), "sí");
        return Ok();
    }));
}

TEST_P(StoreConformanceTest, ReadSeesOneSnapshot) {
    ASSERT_OK(Script("CREATE TABLE s (x BIGINT); INSERT INTO s (x) VALUES (1)"));
    std::int64_t before = -1;
    std::int64_t after = -1;
    ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row a, tx.QueryOne("SELECT count(*) FROM s"));
        before = a.Int(0);
        // Another thread commits while this read is open.
        std::thread writer([&] {
            EXPECT_OK(store_->Write([](Tx& w) -> Status {
                VT_RETURN_IF_ERROR(w.Exec("INSERT INTO s (x) VALUES (2)"));
                return Ok();
            }));
        });
        writer.join();
        VT_ASSIGN_OR_RETURN(Row b, tx.QueryOne("SELECT count(*) FROM s"));
        after = b.Int(0);
        return Ok();
    }));
    EXPECT_EQ(before, 1);
    EXPECT_EQ(after, 1);
    auto n = Count("s");
    ASSERT_OK(n);
    EXPECT_EQ(*n, 2);
}

TEST_P(StoreConformanceTest, QueryOneWithoutRowsIsNotFound) {
    ASSERT_OK(Script("CREATE TABLE empty_table (x BIGINT)"));
    Status s = store_->Read([](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row row, tx.QueryOne("SELECT x FROM empty_table WHERE x = $1",
                                                 {Value{std::int64_t{1}}}));
        return Ok();
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kNotFound);
}

TEST_P(StoreConformanceTest, ConcurrentWritesLoseNothing) {
    constexpr int kThreads = 16;
    constexpr int kWritesPerThread = 200;
    ASSERT_OK(
        Script("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
               "INSERT INTO counter (id, n) VALUES (1, 0);"
               "CREATE TABLE events (" +
               IdColumn() + ", thread BIGINT, seq BIGINT)"));
    std::mutex mu;
    std::vector<std::string> failures;  // GUARDED_BY(mu)
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kWritesPerThread; ++i) {
                Status s = store_->Write([&](Tx& tx) -> Status {
                    VT_ASSIGN_OR_RETURN(std::int64_t changed,
                                        tx.Exec("UPDATE counter SET n = n + 1 WHERE id = 1"));
                    if (changed != 1) return Error::Internal("counter row missing");
                    VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO events (thread, seq) VALUES ($1, $2)",
                                               {Value{std::int64_t{t}}, Value{std::int64_t{i}}}));
                    return Ok();
                });
                if (!s.ok()) {
                    std::lock_guard lock(mu);
                    failures.push_back(s.error().ToString());
                }
            }
        });
    }
    for (std::thread& th : threads) th.join();
    ASSERT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
    ASSERT_OK(store_->Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Row counter, tx.QueryOne("SELECT n FROM counter WHERE id = 1"));
        EXPECT_EQ(counter.Int(0), kThreads * kWritesPerThread);
        VT_ASSIGN_OR_RETURN(
            Row events,
            tx.QueryOne("SELECT count(*), count(DISTINCT thread * 1000 + seq) FROM events"));
        EXPECT_EQ(events.Int(0), kThreads * kWritesPerThread);
        EXPECT_EQ(events.Int(1), kThreads * kWritesPerThread);
        return Ok();
    }));
}

TEST_P(StoreConformanceTest, TimingObserverSeesWritesAndReads) {
    // Shared, because the store (and its copy of the observer) outlives this function.
    struct Seen {
        std::mutex mu;
        std::vector<std::string> ops;  // GUARDED_BY(mu)
    };
    auto seen = std::make_shared<Seen>();
    store_.reset();
    auto store = Open([seen](std::string_view op, std::chrono::nanoseconds took) {
        std::lock_guard lock(seen->mu);
        seen->ops.emplace_back(op);
        EXPECT_GE(took.count(), 0);
    });
    ASSERT_OK(store);
    store_ = std::move(store).value();
    ASSERT_OK(store_->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (x BIGINT)"); }));
    ASSERT_OK(store_->Read([](Tx& tx) -> Status {
        return tx.Query("SELECT x FROM t").ok() ? Ok() : Error::Internal("read");
    }));
    std::lock_guard lock(seen->mu);
    EXPECT_NE(std::find(seen->ops.begin(), seen->ops.end(), "write"), seen->ops.end());
    EXPECT_NE(std::find(seen->ops.begin(), seen->ops.end(), "read"), seen->ops.end());
}

TEST_P(StoreConformanceTest, BackupThenRestoreBringsDataBack) {
    ASSERT_OK(store_->Migrate());
    ASSERT_OK(
        Script("CREATE TABLE kept (k TEXT PRIMARY KEY, v TEXT NOT NULL, b " + BlobType() + ")"));
    const Blob blob{std::string("\0copia\0", 7)};
    ASSERT_OK(store_->Write([&](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("INSERT INTO kept (k, v, b) VALUES ($1, $2, $3)",
                                   {Value{"clave"}, Value{"antes ñ"}, Value{blob}}));
        return Ok();
    }));
    const std::filesystem::path backup = dir_.path() / "copia.backup";
    ASSERT_OK(store_->Backup(backup));
    EXPECT_TRUE(std::filesystem::exists(backup));
    EXPECT_FALSE(std::filesystem::exists(backup.string() + ".tmp"));

    ASSERT_OK(store_->Write([](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(tx.Exec("UPDATE kept SET v = $1", {Value{"después"}}));
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO kept (k, v) VALUES ($1, $2)", {Value{"otra"}, Value{"nueva"}}));
        return Ok();
    }));

    auto check = [&](Store& store) {
        EXPECT_OK(store.Read([&](Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT k, v, b FROM kept ORDER BY k"));
            EXPECT_EQ(rows.size(), 1u);
            if (!rows.empty()) {
                EXPECT_EQ(rows[0].Text(0), "clave");
                EXPECT_EQ(rows[0].Text(1), "antes ñ");
                EXPECT_EQ(rows[0].Bytes(2), blob.bytes);
            }
            return Ok();
        }));
        auto migrations = store.Migrations();
        ASSERT_OK(migrations);
        for (const MigrationInfo& m : *migrations) EXPECT_TRUE(m.applied) << m.version;
    };

    if (GetParam() == Engine::kSqlite) {
        const std::filesystem::path restored = dir_.path() / "restaurada.sqlite3";
        ASSERT_OK(RestoreSqlite(backup, restored));
        SqliteOptions options;
        options.path = restored;
        options.create_if_missing = false;
        auto reopened = OpenSqlite(options);
        ASSERT_OK(reopened);
        check(**reopened);
    } else {
        ASSERT_OK(RestorePostgres(pg_->url(), backup));
        // The same store keeps working on the restored tables.
        check(*store_);
    }
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreConformanceTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres), EngineName);

}  // namespace
}  // namespace vt::store
