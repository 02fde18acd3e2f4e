// Verifying the log after someone changed the database behind the application's back: each
// scenario tampers with a real database (the SQLite file through a second connection, as
// the sqlite3 shell would; the PostgreSQL database through its own session) and checks
// what `Verify` reports. The covered table here is a test table; the case tables have
// their own scenarios in src/cases/tests/detect_tampering_test.cpp.
#include "tests/log_fixture.hpp"
#include "vt/audit/verify.hpp"

namespace vt::audit {
namespace {

using store::Value;
using testing::LogTest;

struct Expected {
    std::string table, key, problem;
};

std::string Describe(const std::vector<Finding>& findings) {
    std::string out;
    for (const auto& f : findings)
        out += "  " + f.table + " | " + f.key + " | " + f.problem + " | " + f.detail + "\n";
    return out.empty() ? "  (ninguno)\n" : out;
}

class VerifyLogTest : public LogTest {
protected:
    void SetUp() override {
        LogTest::SetUp();
        if (IsSkipped()) return;
        ASSERT_OK(store().Write([](store::Tx& tx) -> Status {
            return tx.ExecScript(
                "CREATE TABLE widgets (id TEXT PRIMARY KEY, payload TEXT NOT NULL)");
        }));
        widgets_.table = "widgets";
        widgets_.object_type = "widget";
        widgets_.rows = [](store::Tx& tx) -> Result<std::vector<CoveredRow>> {
            VT_ASSIGN_OR_RETURN(store::Rows rows,
                                tx.Query("SELECT id, payload FROM widgets ORDER BY id"));
            std::vector<CoveredRow> out;
            for (const auto& r : rows) out.push_back({r.Text(0), Sha256Hex(r.Text(1))});
            return out;
        };
        // Entries 0-5, a signed tree head of size 6, then entry 6.
        Put("w1", "uno");
        Put("w2", "dos");
        Put("w3", "tres");
        Put("w1", "uno bis");
        Put("w4", "cuatro");
        Remove("w4");
        ASSERT_OK(IssueTreeHead(store(), key_, std::chrono::system_clock::now()));
        Put("w5", "cinco");
    }

    // Saves a widget and its audit entry in one transaction, as a module would.
    void Put(const std::string& id, const std::string& payload) {
        ASSERT_OK(store().Write([&](store::Tx& tx) -> Status {
            VT_RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO widgets (id, payload) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE "
                "SET payload = excluded.payload",
                {Value{id}, Value{payload}}));
            return Append(tx, Entry{"ana", "widget.saved", "widget", id, "2026-11-25T16:00:00.000Z",
                                    Sha256Hex(payload)})
                           .ok()
                       ? Ok()
                       : Error::Internal("append");
        }));
    }
    void Remove(const std::string& id) {
        ASSERT_OK(store().Write([&](store::Tx& tx) -> Status {
            VT_RETURN_IF_ERROR(tx.Exec("DELETE FROM widgets WHERE id = $1", {Value{id}}));
            VT_ASSIGN_OR_RETURN(auto index, Append(tx, Entry{"ana", "widget.deleted", "widget", id,
                                                             "2026-11-25T16:00:00.000Z",
                                                             std::string(kRowDeleted)}));
            (void)index;
            return Ok();
        }));
    }

    // Runs `change` on the database outside the application: a second connection to the
    // SQLite file, or a session of its own on PostgreSQL.
    void Tamper(const std::function<Status(store::Tx&)>& change) {
        if (GetParam() == store::testdb::Engine::kPostgres) {
            ASSERT_OK(store().Write(change));
            return;
        }
        store::SqliteOptions o;
        o.path = db_->sqlite_path();
        o.create_if_missing = false;
        auto other = store::OpenSqlite(o);
        ASSERT_OK(other);
        ASSERT_OK((*other)->Write(change));
    }

    Result<VerifyReport> Run() {
        VerifyOptions o;
        o.public_key = key_.public_key();
        o.batch = 3;  // several chunks even for a small log
        std::vector<CoveredTable> covered{widgets_};
        return Verify(store(), covered, o);
    }

    LogKey key_ = LogKey::Generate();
    CoveredTable widgets_;
};

TEST_P(VerifyLogTest, AnUntouchedDatabaseVerifies) {
    auto report = Run();
    ASSERT_OK(report);
    EXPECT_TRUE(report->ok()) << Describe(report->findings);
    EXPECT_EQ(report->entries, 7);
    EXPECT_EQ(report->tree_heads, 1);
    EXPECT_TRUE(report->signatures_checked);
    ASSERT_EQ(report->rows_checked.size(), 1u);
    EXPECT_EQ(report->rows_checked[0], std::make_pair(std::string("widgets"), std::int64_t{4}));
    ASSERT_OK(store().Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(Hash root, RootAt(tx, 7));
        EXPECT_EQ(report->root, root);
        return Ok();
    }));
}

struct Scenario {
    std::string name;
    std::function<Status(store::Tx&)> change;
    std::vector<Expected> expected;
    bool exactly = true;  ///< no other finding
};

std::vector<Scenario> Scenarios() {
    return {
        {"fila alterada",
         [](store::Tx& tx) {
             return tx.Exec("UPDATE widgets SET payload = 'otro' WHERE id = 'w2'").ok()
                        ? Ok()
                        : Error::Internal("x");
         },
         {{"widgets", "w2", "alterada"}}},
        {"fila eliminada",
         [](store::Tx& tx) {
             return tx.Exec("DELETE FROM widgets WHERE id = 'w3'").ok() ? Ok()
                                                                        : Error::Internal("x");
         },
         {{"widgets", "w3", "eliminada"}}},
        {"fila insertada",
         [](store::Tx& tx) {
             return tx.Exec("INSERT INTO widgets VALUES ('w9', 'nueve')").ok()
                        ? Ok()
                        : Error::Internal("x");
         },
         {{"widgets", "w9", "insertada sin registro de auditoría"}}},
        {"fila eliminada con registro que reaparece",
         [](store::Tx& tx) {
             return tx.Exec("INSERT INTO widgets VALUES ('w4', 'cuatro')").ok()
                        ? Ok()
                        : Error::Internal("x");
         },
         {{"widgets", "w4", "insertada sin registro de auditoría"}}},
        {"entrada alterada",
         [](store::Tx& tx) {
             return tx.Exec(
                          "UPDATE audit_log SET entry = replace(entry, '\"actor\":\"ana\"', "
                          "'\"actor\":\"eva\"') "
                          "WHERE leaf_index = 1")
                            .ok()
                        ? Ok()
                        : Error::Internal("x");
         },
         {{"audit_log", "1", "hoja alterada"},
          {"audit_sth", "id 1 (tamaño 6)", "raíz no coincide con la STH firmada"}}},
        {"entrada y hash de hoja alterados",
         [](store::Tx& tx) -> Status {
             Entry e{"eva",           "widget.saved", "widget", "w2", "2026-11-25T16:00:00.000Z",
                     Sha256Hex("dos")};
             std::string json = CanonicalJson(e);
             VT_RETURN_IF_ERROR(
                 tx.Exec("UPDATE audit_log SET entry = $1, leaf_hash = $2 WHERE leaf_index = 1",
                         {Value{json}, Value{store::Blob{std::string(AsBytes(HashLeaf(json)))}}}));
             return Ok();
         },
         {{"audit_tree", "nivel 1, índice 0", "alterada"},
          {"audit_sth", "id 1 (tamaño 6)", "raíz no coincide con la STH firmada"}}},
        {"última entrada eliminada",
         [](store::Tx& tx) {
             return tx.Exec("DELETE FROM audit_log WHERE leaf_index = 6").ok()
                        ? Ok()
                        : Error::Internal("x");
         },
         {{"audit_log", "6", "eliminada"},
          {"widgets", "w5", "insertada sin registro de auditoría"}}},
        {"registro truncado con su árbol",
         [](store::Tx& tx) -> Status {
             VT_RETURN_IF_ERROR(tx.Exec("DELETE FROM audit_log WHERE leaf_index >= 5"));
             VT_RETURN_IF_ERROR(tx.Exec("DELETE FROM audit_tree WHERE level = 1 AND idx >= 2"));
             VT_RETURN_IF_ERROR(tx.Exec("UPDATE audit_head SET size = 5, tree_size = 5"));
             return Ok();
         },
         {{"audit_sth", "id 1 (tamaño 6)", "raíz no coincide con la STH firmada"},
          {"widgets", "w4", "eliminada"},
          {"widgets", "w5", "insertada sin registro de auditoría"}}},
        {"STH falsificada",
         [](store::Tx& tx) -> Status {
             VT_ASSIGN_OR_RETURN(Hash root, RootAt(tx, 7));
             VT_RETURN_IF_ERROR(tx.Exec(
                 "INSERT INTO audit_sth (tree_size, timestamp_ms, root_hash, signature, key_id) "
                 "VALUES (7, 1, $1, $2, 'x')",
                 {Value{store::Blob{std::string(AsBytes(root))}},
                  Value{store::Blob{std::string(64, '\0')}}}));
             return Ok();
         },
         {{"audit_sth", "id 2 (tamaño 7)", "firma de la STH no válida"}}},
        {"nodo del árbol eliminado",
         [](store::Tx& tx) {
             return tx.Exec("DELETE FROM audit_tree WHERE level = 2 AND idx = 0").ok()
                        ? Ok()
                        : Error::Internal("x");
         },
         {{"audit_tree", "nivel 2, índice 0", "eliminada"}}},
        {"entrada agregada fuera del registro",
         [](store::Tx& tx) {
             return tx.Exec(
                          "INSERT INTO audit_log (leaf_index, entry, leaf_hash, object_type, "
                          "object_id, at) "
                          "SELECT 99, entry, leaf_hash, object_type, object_id, at FROM audit_log "
                          "WHERE leaf_index = 0")
                            .ok()
                        ? Ok()
                        : Error::Internal("x");
         },
         {{"audit_log", "99", "insertada sin registro de auditoría"}}},
    };
}

TEST_P(VerifyLogTest, EveryTamperingIsReportedWithItsTableAndKey) {
    for (const Scenario& s : Scenarios()) {
        SCOPED_TRACE(s.name);
        // Each scenario on a fresh copy of the same history.
        db_.reset();
        SetUp();
        Tamper(s.change);
        auto report = Run();
        ASSERT_OK(report);
        EXPECT_FALSE(report->ok());
        for (const Expected& e : s.expected) {
            bool found = std::any_of(
                report->findings.begin(), report->findings.end(), [&](const Finding& f) {
                    return f.table == e.table && f.key == e.key && f.problem == e.problem;
                });
            EXPECT_TRUE(found) << "falta: " << e.table << " | " << e.key << " | " << e.problem
                               << "\nhallazgos:\n"
                               << Describe(report->findings);
        }
        if (s.exactly) {
            EXPECT_EQ(report->findings.size(), s.expected.size()) << Describe(report->findings);
        }
    }
}

VT_LOG_TEST_ENGINES(VerifyLogTest);

}  // namespace
}  // namespace vt::audit
