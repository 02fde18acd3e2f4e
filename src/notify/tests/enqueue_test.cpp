// Queuing mail inside the caller's transaction: it leaves with the commit or not at all.
#include "tests/outbox_fixture.hpp"
#include "vt/notify/notify.hpp"

namespace vt::notify {
namespace {

using testing::OutboxTest;

class EnqueueTest : public OutboxTest {};

TEST_P(EnqueueTest, RolledBackTransactionSendsNothing) {
    auto s = store().Write([&](store::Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(Enqueue(tx, Mail(), Now()));
        // The registration that wanted this mail fails afterwards.
        return Error::Conflict("cui-registered", "El CUI ya tiene una cuenta.");
    });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(Count(), 0);
    OutboxWorker worker(store(), *mailer_, clock_, Options());
    auto sent = worker.DeliverDue();
    ASSERT_OK(sent);
    EXPECT_EQ(*sent, 0);
    EXPECT_EQ(sink_->connections(), 0);
}

TEST_P(EnqueueTest, CommittedMailIsDeliveredIntactOnce) {
    ASSERT_OK(Queue(Mail()));
    EXPECT_EQ(sink_->ReceivedCount(), 0u);  // nothing leaves inside the transaction
    OutboxWorker worker(store(), *mailer_, clock_, Options());
    auto sent = worker.DeliverDue();
    ASSERT_OK(sent);
    EXPECT_EQ(*sent, 1);
    ASSERT_EQ(sink_->ReceivedCount(), 1u);
    auto received = sink_->Received()[0];
    EXPECT_EQ(received.rcpt_to, std::vector<std::string>{"maria.lopez@example.gt"});
    auto mail = testing::ParseMail(received.data);
    ASSERT_EQ(mail.error, "");
    EXPECT_EQ(mail.subject, "Verificación de su cuenta — Ventanilla MINTRAB");
    EXPECT_EQ(mail.text,
              "Hola, María:\r\n\r\nSu código de verificación es 482913.\r\n\r\nMinisterio de "
              "Trabajo y Previsión Social\r\n");

    auto row = Row();
    EXPECT_EQ(row.attempts, 1);
    EXPECT_EQ(row.sent_at, Now());
    EXPECT_EQ(row.claimed_until, std::nullopt);
    EXPECT_EQ(row.last_error, std::nullopt);
    EXPECT_EQ(worker.sent(), 1);
    EXPECT_EQ(worker.failed(), 0);

    // A sent message is never sent again.
    clock_.Advance(std::chrono::hours(24));
    sent = worker.DeliverDue();
    ASSERT_OK(sent);
    EXPECT_EQ(*sent, 0);
    EXPECT_EQ(sink_->ReceivedCount(), 1u);
}

TEST_P(EnqueueTest, HtmlAlternativeIsKept) {
    Email e = Mail();
    e.html = "<p>Hola, <strong>María</strong>: su código es 482913.</p>";
    ASSERT_OK(Queue(e));
    OutboxWorker worker(store(), *mailer_, clock_, Options());
    ASSERT_OK(worker.DeliverDue());
    ASSERT_EQ(sink_->ReceivedCount(), 1u);
    auto mail = testing::ParseMail(sink_->Received()[0].data);
    EXPECT_EQ(mail.content_type, "multipart/alternative");
    EXPECT_EQ(mail.html, e.html);
}

TEST_P(EnqueueTest, SameDedupKeyIsQueuedOnce) {
    ASSERT_OK(Queue(Mail("maria.lopez@example.gt", "verificacion:42")));
    ASSERT_OK(Queue(Mail("maria.lopez@example.gt", "verificacion:42")));
    ASSERT_OK(store().Write([&](store::Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(Enqueue(tx, Mail("otra@example.gt", "verificacion:43"), Now()));
        return Enqueue(tx, Mail("otra@example.gt", "verificacion:43"), Now());
    }));
    // Messages without a key are independent.
    ASSERT_OK(Queue(Mail()));
    ASSERT_OK(Queue(Mail()));
    EXPECT_EQ(Count(), 4);
    OutboxWorker worker(store(), *mailer_, clock_, Options());
    ASSERT_OK(worker.DeliverDue());
    EXPECT_EQ(sink_->ReceivedCount(), 4u);
    // Still refused after it was sent.
    ASSERT_OK(Queue(Mail("maria.lopez@example.gt", "verificacion:42")));
    EXPECT_EQ(Count(), 4);
}

TEST_P(EnqueueTest, HeaderInjectionIsRefusedAndWritesNothing) {
    for (Email bad : {Mail("maria@example.gt\r\nBcc: todos@example.gt"),
                      Mail("maria@example.gt\nBcc: todos@example.gt")}) {
        auto s = store().Write([&](store::Tx& tx) { return Enqueue(tx, bad, Now()); });
        ASSERT_FALSE(s.ok());
        EXPECT_EQ(s.error().kind(), ErrorKind::kInvalid);
        EXPECT_EQ(s.error().fields().count("to"), 1u);
    }
    Email bad_subject = Mail();
    bad_subject.subject = "Verificación\r\nBcc: todos@example.gt";
    auto s = store().Write([&](store::Tx& tx) { return Enqueue(tx, bad_subject, Now()); });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().fields().count("subject"), 1u);
    EXPECT_EQ(Count(), 0);

    // A refused message does not doom the caller's transaction.
    ASSERT_OK(store().Write([&](store::Tx& tx) -> Status {
        EXPECT_FALSE(Enqueue(tx, bad_subject, Now()).ok());
        return Enqueue(tx, Mail(), Now());
    }));
    EXPECT_EQ(Count(), 1);
}

TEST_P(EnqueueTest, MalformedTimeIsRefused) {
    auto s = store().Write([&](store::Tx& tx) { return Enqueue(tx, Mail(), "2026-11-25 16:00"); });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kInvalid);
    EXPECT_EQ(Count(), 0);
}

VT_OUTBOX_TEST_ENGINES(EnqueueTest);

}  // namespace
}  // namespace vt::notify
