// Detecting changes made to case files behind the application's back: each scenario
// tampers with the real database (the SQLite file through a second connection, as the
// sqlite3 shell would; PostgreSQL through a session of its own) and checks the report of
// `audit::Verify` over the cases table, whose row hash covers the case's events.
#include "tests/case_fixture.hpp"
#include "vt/audit/audit.hpp"
#include "vt/audit/verify.hpp"
#include "vt/cases/cases.hpp"

namespace vt::cases {
namespace {

using store::Value;
using testing::CaseTest;
using testing::Citizen;
using testing::Official;

std::string Describe(const std::vector<audit::Finding>& findings) {
    std::string out;
    for (const auto& f : findings)
        out += "  " + f.table + " | " + f.key + " | " + f.problem + " | " + f.detail + "\n";
    return out.empty() ? "  (ninguno)\n" : out;
}

class DetectTamperingTest : public CaseTest {
protected:
    // Two cases: A filed, admitted and resolved (events 1-3, revision 3); B filed. Four
    // audit entries, and a signed tree head over them.
    void Prepare() {
        auto a = File(Citizen("c"));
        ASSERT_OK(a);
        auto b = File(Citizen("c"));
        ASSERT_OK(b);
        ASSERT_OK(Take(Official("r", "UIP", {"recepcion"}), a->number, "admitir"));
        ASSERT_OK(Take(Official("x", "UIP", {"analista"}), a->number, "resolver",
                       boost::json::object{{"respuesta", "Se adjunta el presupuesto."}}));
        a_ = a->number;
        b_ = b->number;
        ASSERT_OK(audit::IssueTreeHead(*db_->store, key_, clock_.Now()));
    }

    // Runs `sql` (statements separated by ';', `{A}` and `{B}` replaced by the case ids)
    // outside the application.
    void Tamper(std::string sql) {
        auto replace = [&](const std::string& mark, const std::string& number) {
            for (auto at = sql.find(mark); at != std::string::npos; at = sql.find(mark)) {
                sql.replace(at, mark.size(),
                            "(SELECT id FROM cases WHERE number = '" + number + "')");
            }
        };
        replace("{A}", a_);
        replace("{B}", b_);
        auto change = [&](store::Tx& tx) { return tx.ExecScript(sql); };
        if (GetParam() == store::testdb::Engine::kPostgres) {
            ASSERT_OK(db_->store->Write(change));
            return;
        }
        store::SqliteOptions o;
        o.path = db_->sqlite_path();
        o.create_if_missing = false;
        auto other = store::OpenSqlite(o);
        ASSERT_OK(other);
        ASSERT_OK((*other)->Write(change));
    }

    Result<audit::VerifyReport> Run() {
        std::vector<audit::CoveredTable> covered{AuditCoverage()};
        audit::VerifyOptions o;
        o.public_key = key_.public_key();
        return audit::Verify(*db_->store, covered, o);
    }

    audit::LogKey key_ = audit::LogKey::Generate();
    std::string a_, b_;
};

TEST_P(DetectTamperingTest, UntouchedCasesAndTheirHistoryVerify) {
    Prepare();
    auto report = Run();
    ASSERT_OK(report);
    EXPECT_TRUE(report->ok()) << Describe(report->findings);
    EXPECT_EQ(report->entries, 4);
    ASSERT_EQ(report->rows_checked.size(), 1u);
    EXPECT_EQ(report->rows_checked[0].second, 2);
}

TEST_P(DetectTamperingTest, EveryChangeIsReportedWithItsTableAndKey) {
    struct Scenario {
        std::string name;
        std::string sql;
        // Table, key, problem.
        std::vector<std::tuple<std::string, std::string, std::string>> expected;
    };
    const std::string cinco = "MTPS-2026-999999";
    std::vector<Scenario> scenarios = {
        {"UPDATE de un expediente",
         "UPDATE cases SET assignee = 'mallory' WHERE id = {B}",
         {{"cases", "B", "alterada"}}},
        {"DELETE de un expediente",
         "DELETE FROM case_events WHERE case_id = {B}; DELETE FROM cases WHERE id = {B}",
         {{"cases", "B", "eliminada"}}},
        {"INSERT de un expediente",
         "INSERT INTO cases (number, tracking_code, tramite_id, tramite_version, state, office, "
         "answers, filed_at, "
         "filed_on, state_since, revision) VALUES ('" +
             cinco +
             "', 'ZZZZ-ZZZZ-ZZZZ', 'solicitud-informacion', 1, "
             "'presentada', 'UIP', '{}', '2026-11-25T16:00:00.000Z', '2026-11-25', '2026-11-25', "
             "1)",
         {{"cases", cinco, "insertada sin registro de auditoría"}}},
        {"UPDATE de un evento",
         "UPDATE case_events SET comment = 'Todo en orden.' WHERE case_id = {A} AND seq = 2",
         {{"cases", "A", "alterada"}}},
        {"DELETE de un evento",
         "DELETE FROM case_events WHERE case_id = {A} AND seq = 2",
         {{"case_events", "A#2", "eliminada"}}},
        {"INSERT de un evento",
         "INSERT INTO case_events (case_id, seq, kind, actor, at) VALUES ({A}, 4, 'asignacion', "
         "'mallory', "
         "'2026-11-25T17:00:00.000Z')",
         {{"case_events", "A#4", "insertada sin registro de auditoría"}}},
        {"entrada del registro alterada",
         "UPDATE audit_log SET entry = replace(entry, '\"actor\":\"c\"', '\"actor\":\"z\"') WHERE "
         "leaf_index = 1",
         {{"audit_log", "1", "hoja alterada"},
          {"audit_sth", "id 1 (tamaño 4)", "raíz no coincide con la STH firmada"}}},
        {"última entrada del registro eliminada",
         "DELETE FROM audit_log WHERE leaf_index = 3",
         {{"audit_log", "3", "eliminada"},
          {"audit_sth", "id 1 (tamaño 4)", "raíz no coincide con la STH firmada"},
          {"cases", "A", "alterada"}}},
    };
    for (const Scenario& s : scenarios) {
        SCOPED_TRACE(s.name);
        TearDown();
        SetUp();
        Prepare();
        Tamper(s.sql);
        auto report = Run();
        ASSERT_OK(report);
        for (auto [table, key, problem] : s.expected) {
            if (key == "A" || key == "B") key = key == "A" ? a_ : b_;
            if (key.starts_with("A#")) key = a_ + key.substr(1);
            bool found = std::any_of(
                report->findings.begin(), report->findings.end(), [&](const audit::Finding& f) {
                    return f.table == table && f.key == key && f.problem == problem;
                });
            EXPECT_TRUE(found) << "falta: " << table << " | " << key << " | " << problem
                               << "\nhallazgos:\n"
                               << Describe(report->findings);
        }
        EXPECT_EQ(report->findings.size(), s.expected.size()) << Describe(report->findings);
    }
}

VT_CASE_TEST_ENGINES(DetectTamperingTest);

}  // namespace
}  // namespace vt::cases
