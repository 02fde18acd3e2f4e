#pragma once
// A migrated store on each engine, a frozen clock, an SMTP sink and helpers to queue and
// inspect outbox rows, for the outbox scenario tests.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "testing/mime_reader.hpp"
#include "testing/smtp_sink.hpp"
#include "vt/notify/notify.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::notify::testing {

inline std::chrono::system_clock::time_point Start() {
    using namespace std::chrono;
    return sys_days{year{2026} / November / 25} + hours{16};
}

/// What the worker wrote on a row.
struct RowState {
    std::int64_t attempts = 0;
    std::string next_attempt_at;
    std::optional<std::string> claimed_until;
    std::optional<std::string> last_error;
    std::optional<std::string> sent_at;
    std::optional<std::string> gave_up_at;
};

class OutboxTest : public ::testing::TestWithParam<store::testdb::Engine> {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(GetParam());
        if (!db_->skip.empty()) GTEST_SKIP() << db_->skip;
        ASSERT_OK(db_->status);
        sink_ = std::make_unique<SmtpSink>();
        mailer_ = std::make_unique<SmtpMailer>(SmtpTo(*sink_), clock_);
    }
    void TearDown() override {
        mailer_.reset();
        sink_.reset();
        db_.reset();
    }

    store::Store& store() { return *db_->store; }

    SmtpOptions SmtpTo(const SmtpSink& sink) const {
        SmtpOptions o;
        o.port = sink.port();
        o.timeout = std::chrono::milliseconds(5000);
        return o;
    }

    static OutboxOptions Options() {
        OutboxOptions o;
        o.poll_interval = std::chrono::milliseconds(20);
        o.max_attempts = 4;
        return o;
    }

    static Email Mail(std::string to = "maria.lopez@example.gt", std::string key = "") {
        return Email{std::move(to), "Verificación de su cuenta — Ventanilla MINTRAB",
                     "Hola, María:\n\nSu código de verificación es 482913.\n\nMinisterio de "
                     "Trabajo y Previsión Social\n",
                     "", std::move(key)};
    }

    Status Queue(const Email& email) {
        return store().Write([&](store::Tx& tx) { return Enqueue(tx, email, Now()); });
    }

    std::string Now() const { return core::FormatUtc(clock_.Now()); }

    std::int64_t Count(std::string_view where = "1 = 1") {
        std::int64_t n = -1;
        EXPECT_OK(store().Read([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(store::Row r, tx.QueryOne("SELECT count(*) FROM outbox WHERE " +
                                                          std::string(where)));
            n = r.Int(0);
            return Ok();
        }));
        return n;
    }

    RowState Row(std::int64_t id = 1) {
        RowState s;
        EXPECT_OK(store().Read([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(
                store::Row r,
                tx.QueryOne("SELECT attempts, next_attempt_at, claimed_until, last_error, sent_at, "
                            "gave_up_at FROM outbox WHERE id = $1",
                            {store::Value{id}}));
            s = RowState{r.Int(0),     r.Text(1),    r.OptText(2),
                         r.OptText(3), r.OptText(4), r.OptText(5)};
            return Ok();
        }));
        return s;
    }

    core::FrozenClock clock_{Start()};
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<SmtpSink> sink_;
    std::unique_ptr<SmtpMailer> mailer_;
};

#define VT_OUTBOX_TEST_ENGINES(suite)                                                        \
    INSTANTIATE_TEST_SUITE_P(                                                                \
        Engines, suite,                                                                      \
        ::testing::Values(store::testdb::Engine::kSqlite, store::testdb::Engine::kPostgres), \
        [](const auto& info) { return store::testdb::EngineName(info.param); })

}  // namespace vt::notify::testing
