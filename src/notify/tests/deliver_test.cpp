// Delivering the outbox: retries with backoff, giving up, exclusive claims across
// workers, and stopping.
#include <atomic>
#include <map>
#include <thread>

#include "testing/recording_mailer.hpp"
#include "tests/outbox_fixture.hpp"
#include "vt/notify/notify.hpp"

namespace vt::notify {
namespace {

using namespace std::chrono;
using testing::OutboxTest;
using testing::RecordingMailer;
using testing::SmtpStage;

class DeliverTest : public OutboxTest {
protected:
    std::string At(system_clock::duration since_start) const {
        return core::FormatUtc(testing::Start() + since_start);
    }
};

TEST_P(DeliverTest, TemporaryFailureIsRetriedWithBackoffThenDelivered) {
    ASSERT_OK(Queue(Mail()));
    sink_->Fail(SmtpStage::kData, 451, "4.3.0 Cola llena, intente luego", 2);
    OutboxWorker worker(store(), *mailer_, clock_, Options());

    ASSERT_OK(worker.DeliverDue());
    auto row = Row();
    EXPECT_EQ(row.attempts, 1);
    EXPECT_EQ(row.next_attempt_at, At(minutes(1)));
    ASSERT_TRUE(row.last_error.has_value());
    EXPECT_NE(row.last_error->find("451 4.3.0 Cola llena"), std::string::npos) << *row.last_error;
    EXPECT_EQ(row.sent_at, std::nullopt);

    // Not due yet: nothing is attempted.
    clock_.Advance(seconds(59));
    ASSERT_OK(worker.DeliverDue());
    EXPECT_EQ(Row().attempts, 1);

    clock_.Advance(seconds(1));
    ASSERT_OK(worker.DeliverDue());
    row = Row();
    EXPECT_EQ(row.attempts, 2);
    EXPECT_EQ(row.next_attempt_at, At(minutes(1) + minutes(2)));

    clock_.Advance(minutes(2));
    auto sent = worker.DeliverDue();
    ASSERT_OK(sent);
    EXPECT_EQ(*sent, 1);
    row = Row();
    EXPECT_EQ(row.attempts, 3);
    EXPECT_EQ(row.sent_at, At(minutes(3)));
    EXPECT_EQ(row.gave_up_at, std::nullopt);
    ASSERT_EQ(sink_->ReceivedCount(), 1u);
    EXPECT_EQ(testing::ParseMail(sink_->Received()[0].data).subject, Mail().subject);
    EXPECT_EQ(worker.sent(), 1);
    EXPECT_EQ(worker.failed(), 2);
    EXPECT_EQ(worker.given_up(), 0);
}

TEST_P(DeliverTest, PermanentFailureIsGivenUpAfterMaxAttempts) {
    ASSERT_OK(Queue(Mail("nadie@example.gt")));
    sink_->Fail(SmtpStage::kRcptTo, 550, "5.1.1 Buzón inexistente");
    OutboxWorker worker(store(), *mailer_, clock_, Options());  // max_attempts 4

    for (int attempt = 1; attempt <= 4; ++attempt) {
        ASSERT_OK(worker.DeliverDue());
        EXPECT_EQ(Row().attempts, attempt);
        clock_.Advance(hours(1));
    }
    auto row = Row();
    EXPECT_EQ(row.gave_up_at, At(hours(3)));
    ASSERT_TRUE(row.last_error.has_value());
    EXPECT_NE(row.last_error->find("smtp-rejected"), std::string::npos);
    EXPECT_NE(row.last_error->find("550 5.1.1 Buzón inexistente"), std::string::npos);
    EXPECT_EQ(worker.failed(), 4);
    EXPECT_EQ(worker.given_up(), 1);

    // Abandoned for good, even once the server would accept it.
    sink_->Heal();
    clock_.Advance(hours(48));
    auto sent = worker.DeliverDue();
    ASSERT_OK(sent);
    EXPECT_EQ(*sent, 0);
    EXPECT_EQ(Row().attempts, 4);
    EXPECT_EQ(sink_->ReceivedCount(), 0u);
}

TEST_P(DeliverTest, BackoffDoublesUpToOneHour) {
    ASSERT_OK(Queue(Mail()));
    RecordingMailer mailer;
    mailer.FailNext(-1);
    OutboxOptions o = Options();
    o.max_attempts = 10;
    OutboxWorker worker(store(), mailer, clock_, o);
    for (int expected_minutes : {1, 2, 4, 8, 16, 32, 60, 60, 60}) {
        ASSERT_OK(worker.DeliverDue());
        EXPECT_EQ(Row().next_attempt_at, core::FormatUtc(clock_.Now() + minutes(expected_minutes)))
            << "after attempt " << Row().attempts;
        clock_.Advance(minutes(expected_minutes));
    }
    ASSERT_OK(worker.DeliverDue());
    EXPECT_EQ(Row().attempts, 10);
    EXPECT_TRUE(Row().gave_up_at.has_value());
    EXPECT_EQ(mailer.attempts(), 10);
}

TEST_P(DeliverTest, MessageTheMailerRefusesAsInvalidIsNotRetried) {
    // A row written by an older version, or by hand, that no longer passes validation.
    ASSERT_OK(store().Write([&](store::Tx& tx) -> Status {
        return tx.Exec(
                     "INSERT INTO outbox (kind, recipient, subject, body_text, created_at, "
                     "attempts, next_attempt_at) VALUES ('email', 'no es un correo', 'Hola', "
                     "'Texto', $1, 0, $1)",
                     {store::Value{Now()}})
                       .ok()
                   ? Ok()
                   : Error::Internal("insert");
    }));
    OutboxWorker worker(store(), *mailer_, clock_, Options());
    ASSERT_OK(worker.DeliverDue());
    auto row = Row();
    EXPECT_EQ(row.attempts, 1);
    EXPECT_TRUE(row.gave_up_at.has_value());
    EXPECT_EQ(worker.given_up(), 1);
    EXPECT_EQ(sink_->connections(), 0);
}

TEST_P(DeliverTest, ClaimOfACrashedWorkerIsTakenOverWhenItExpires) {
    ASSERT_OK(Queue(Mail()));
    // A worker in another process claimed the row and died before sending.
    ASSERT_OK(store().Write([&](store::Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE outbox SET claimed_until = $1, claim_token = 'muerto', attempts = 1",
                    {store::Value{At(minutes(5))}}));
        return Ok();
    }));
    OutboxWorker worker(store(), *mailer_, clock_, Options());
    auto sent = worker.DeliverDue();
    ASSERT_OK(sent);
    EXPECT_EQ(*sent, 0);
    clock_.Advance(minutes(5));
    sent = worker.DeliverDue();
    ASSERT_OK(sent);
    EXPECT_EQ(*sent, 1);
    EXPECT_EQ(Row().attempts, 2);
    EXPECT_EQ(sink_->ReceivedCount(), 1u);
}

// Counts deliveries per subject over the sink.
std::map<std::string, int> Deliveries(const testing::SmtpSink& sink) {
    std::map<std::string, int> per_subject;
    for (const auto& m : sink.Received()) ++per_subject[testing::ParseMail(m.data).subject];
    return per_subject;
}

TEST_P(DeliverTest, TwoWorkersDeliverEachMessageExactlyOnce) {
    constexpr int kMessages = 40;
    for (int i = 0; i < kMessages; ++i) {
        Email e = Mail("persona" + std::to_string(i) + "@example.gt");
        e.subject = "Aviso número " + std::to_string(i);
        ASSERT_OK(Queue(e));
    }
    // Each worker has its own mailer, as in two processes.
    SmtpMailer other_mailer(SmtpTo(*sink_), clock_);
    OutboxOptions o = Options();
    o.batch_size = 3;
    OutboxWorker a(store(), *mailer_, clock_, o);
    OutboxWorker b(store(), other_mailer, clock_, o);

    std::atomic<bool> failed{false};
    auto drain = [&](OutboxWorker& w) {
        for (int pass = 0; pass < 200 && Count("sent_at IS NULL") > 0; ++pass) {
            if (!w.DeliverDue().ok()) failed = true;
        }
    };
    std::vector<std::thread> threads;
    for (OutboxWorker* w : {&a, &b, &a, &b}) threads.emplace_back([&, w] { drain(*w); });
    for (auto& t : threads) t.join();

    EXPECT_FALSE(failed);
    EXPECT_EQ(Count("sent_at IS NOT NULL"), kMessages);
    EXPECT_EQ(a.sent() + b.sent(), kMessages);
    auto per_subject = Deliveries(*sink_);
    EXPECT_EQ(per_subject.size(), static_cast<std::size_t>(kMessages));
    for (const auto& [subject, n] : per_subject) EXPECT_EQ(n, 1) << subject;
    EXPECT_EQ(sink_->ReceivedCount(), static_cast<std::size_t>(kMessages));
}

TEST_P(DeliverTest, BackgroundWorkersDeliverEachMessageExactlyOnce) {
    constexpr int kMessages = 30;
    SmtpMailer other_mailer(SmtpTo(*sink_), clock_);
    OutboxOptions o = Options();
    o.batch_size = 4;
    OutboxWorker a(store(), *mailer_, clock_, o);
    OutboxWorker b(store(), other_mailer, clock_, o);
    a.Start();
    b.Start();
    for (int i = 0; i < kMessages; ++i) {
        Email e = Mail();
        e.subject = "Aviso número " + std::to_string(i);
        ASSERT_OK(Queue(e));
        if (i % 5 == 0) a.Wake();
    }
    b.Wake();
    ASSERT_TRUE(sink_->WaitForReceived(kMessages, seconds(30)));
    // Time for a duplicate, if there were going to be one.
    std::this_thread::sleep_for(milliseconds(100));
    a.Stop();
    b.Stop();
    auto per_subject = Deliveries(*sink_);
    EXPECT_EQ(per_subject.size(), static_cast<std::size_t>(kMessages));
    for (const auto& [subject, n] : per_subject) EXPECT_EQ(n, 1) << subject;
    EXPECT_EQ(a.sent() + b.sent(), kMessages);
}

TEST_P(DeliverTest, StopIsPromptAndDestructionStops) {
    OutboxOptions o = Options();
    o.poll_interval = hours(1);
    auto started = steady_clock::now();
    {
        OutboxWorker worker(store(), *mailer_, clock_, o);
        worker.Start();
        worker.Start();  // already running: nothing happens
        std::this_thread::sleep_for(milliseconds(50));
        worker.Stop();
        worker.Stop();
        worker.Start();  // restartable
    }                    // destructor stops it
    EXPECT_LT(steady_clock::now() - started, seconds(2));
}

// Blocks in Send until released, to stop a worker in the middle of a pass.
class GateMailer final : public Mailer {
public:
    Status Send(const Email& email) override {
        std::unique_lock lock(mu_);
        ++entered_;
        cv_.notify_all();
        cv_.wait(lock, [&] { return open_; });
        return Ok();
    }
    void WaitEntered() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return entered_ > 0; });
    }
    void Open() {
        std::lock_guard lock(mu_);
        open_ = true;
        cv_.notify_all();
    }
    int entered() {
        std::lock_guard lock(mu_);
        return entered_;
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    int entered_ = 0;
    bool open_ = false;
};

TEST_P(DeliverTest, StopFinishesTheCurrentMessageAndReleasesTheRest) {
    for (int i = 0; i < 3; ++i) ASSERT_OK(Queue(Mail()));
    GateMailer gate;
    OutboxWorker worker(store(), gate, clock_, Options());
    worker.Start();
    gate.WaitEntered();
    std::thread stopper([&] { worker.Stop(); });
    std::this_thread::sleep_for(milliseconds(200));  // let Stop() ask the pass to end
    gate.Open();
    stopper.join();
    EXPECT_EQ(gate.entered(), 1);
    EXPECT_EQ(Count("sent_at IS NOT NULL"), 1);
    // The others are free at once, their attempts not counted.
    EXPECT_EQ(Count("claimed_until IS NULL AND attempts = 0"), 2);
    OutboxWorker next(store(), *mailer_, clock_, Options());
    auto sent = next.DeliverDue();
    ASSERT_OK(sent);
    EXPECT_EQ(*sent, 2);
}

VT_OUTBOX_TEST_ENGINES(DeliverTest);

}  // namespace
}  // namespace vt::notify
