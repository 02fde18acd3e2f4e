#pragma once
// A log on a real store for the audit scenario tests: entries appended through Append in
// write transactions, and the in-memory tree they must produce.
#include <gtest/gtest.h>

#include "vt/audit/audit.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::audit::testing {

inline Entry SomeEntry(int i, std::string object_id = "") {
    if (object_id.empty()) object_id = "obj-" + std::to_string(i);
    return Entry{"ana",     "widget.changed",           "widget",
                 object_id, "2026-11-25T16:00:00.000Z", Sha256Hex("fila " + std::to_string(i))};
}

/// Appends `entry` in a write transaction of its own.
inline Result<std::int64_t> AppendOne(store::Store& store, const Entry& entry) {
    std::int64_t index = -1;
    VT_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(index, Append(tx, entry));
        return Ok();
    }));
    return index;
}

/// The leaf hash of every entry of the log, in order.
inline Result<std::vector<Hash>> LeafHashes(store::Store& store) {
    std::vector<Hash> out;
    VT_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query("SELECT entry FROM audit_log ORDER BY leaf_index"));
        for (const store::Row& r : rows) out.push_back(HashLeaf(r.Text(0)));
        return Ok();
    }));
    return out;
}

inline std::int64_t Count(store::Store& store, const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_OK(store.Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Row r, tx.QueryOne(sql));
        n = r.Int(0);
        return Ok();
    }));
    return n;
}

class LogTest : public ::testing::TestWithParam<store::testdb::Engine> {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(GetParam());
        if (!db_->skip.empty()) GTEST_SKIP() << db_->skip;
        ASSERT_OK(db_->status);
    }
    store::Store& store() { return *db_->store; }

    std::unique_ptr<store::testdb::MigratedStore> db_;
};

#define VT_LOG_TEST_ENGINES(suite)                                                           \
    INSTANTIATE_TEST_SUITE_P(                                                                \
        Engines, suite,                                                                      \
        ::testing::Values(store::testdb::Engine::kSqlite, store::testdb::Engine::kPostgres), \
        [](const auto& info) { return store::testdb::EngineName(info.param); })

}  // namespace vt::audit::testing
