#pragma once
/// Notifications: a transactional outbox and email over SMTP.
///
/// A module that wants to send mail calls Enqueue() inside the write transaction of the
/// change that causes it, so a registration and its verification mail commit together or
/// not at all. An OutboxWorker later hands due messages to a Mailer (SmtpMailer in
/// production), retrying failures with exponential backoff, and records the outcome on
/// the outbox row.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "vt/core/clock.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace spdlog {
class logger;
}

namespace vt::notify {

/// One email message to one recipient.
struct Email {
    /// A single bare address, "usuario@dominio.gt": no display name, no list.
    std::string to;
    /// One line of UTF-8, required; encoded for the wire (RFC 2047) by the SMTP adapter.
    std::string subject;
    /// Plain-text body, UTF-8. Required. Line ends may be LF or CRLF; they become CRLF.
    std::string text;
    /// HTML alternative, UTF-8. Empty: the message is text only.
    std::string html;
    /// Optional identity of the message. At most one outbox row has a given key, so a
    /// retried request that queues "the same" mail queues it once. The SMTP adapter
    /// derives the Message-ID from it (a random one when empty), so every delivery
    /// attempt of one message carries the same Message-ID.
    std::string dedup_key;
};

/// Limits on a message, in bytes of UTF-8.
inline constexpr std::size_t kMaxAddressBytes = 254;
inline constexpr std::size_t kMaxSubjectBytes = 400;
inline constexpr std::size_t kMaxBodyBytes = 512 * 1024;  ///< Each of text and html.
inline constexpr std::size_t kMaxDedupKeyBytes = 200;

/// Checks `email` before it is queued or sent.
/// Errors: kTooLarge (code "email-too-large") when a field exceeds its limit; otherwise
/// kInvalid (code "invalid", `fields()` naming each bad field) when `to` is not a single
/// plain address, when `to` or `subject` contains CR, LF or another control character
/// (header injection), when `subject` or `text` is empty, when a field is not valid UTF-8 or
/// contains NUL, or when `dedup_key` is not printable ASCII.
[[nodiscard]] Status ValidateEmail(const Email& email);

/// Queues `email` inside `tx`: it is delivered only if `tx` commits. `now_utc` is the
/// current time as core::FormatUtc writes it ("2026-11-25T16:00:00.000Z"); the message
/// is due at once. When `email.dedup_key` is not empty and a message with that key was
/// already queued (sent or not), nothing is written and Enqueue returns Ok.
/// Errors: those of ValidateEmail, and kInvalid when `now_utc` is malformed (nothing is
/// written); store errors from `tx` (which doom it).
[[nodiscard]] Status Enqueue(store::Tx& tx, const Email& email, std::string_view now_utc);

/// Port: hands one message to a mail system. Every implementation is thread-safe:
/// Send may be called concurrently.
class Mailer {
public:
    virtual ~Mailer() = default;
    /// Hands `email` to the next hop; Ok means it was accepted for delivery.
    /// Errors: those of ValidateEmail (retrying cannot help); kUnavailable when the mail
    /// system cannot be reached or refuses the message, with its reply in the message.
    virtual Status Send(const Email& email) = 0;
};

/// Settings of the SMTP adapter.
struct SmtpOptions {
    /// Host name or IP address of the SMTP relay. Default: a relay on this machine.
    std::string host = "127.0.0.1";
    /// TCP port of the relay. Default 25 (587 is usual for submission with STARTTLS).
    std::uint16_t port = 25;
    /// The From header: "Display name <address>" or a bare address. The address is also
    /// the envelope sender. Default: the ministry's no-reply address.
    std::string from = "Ventanilla MINTRAB <no-responder@mintrabajo.gob.gt>";
    /// Login for SMTP AUTH. Empty (default): no authentication. Sent in the clear unless
    /// `starttls` is set.
    std::string username;
    std::string password;
    /// Require STARTTLS before anything else is sent; the message fails when the relay
    /// does not offer it or its certificate does not verify. Default false.
    bool starttls = false;
    /// Limit on connecting and on the whole conversation of one message. Default 10 s.
    std::chrono::milliseconds timeout{10000};
};

/// Checks SmtpOptions at startup. Errors: kInvalid with `fields()` naming each bad
/// setting (empty host, port 0, a `from` that is not a valid mailbox, a password without
/// a username, a timeout that is not positive).
[[nodiscard]] Status ValidateSmtpOptions(const SmtpOptions& options);

/// The Mailer that speaks SMTP to a relay through libcurl. Each Send opens one
/// connection, sends one RFC 5322 / MIME message (text/plain, or multipart/alternative
/// with the HTML part) and closes it. Thread-safe.
class SmtpMailer final : public Mailer {
public:
    /// REQUIRES: ValidateSmtpOptions(options).ok(). Dates messages with the real clock.
    explicit SmtpMailer(SmtpOptions options);
    /// As above, dating messages with `clock`, which must outlive this object.
    SmtpMailer(SmtpOptions options, const core::Clock& clock);

    /// Errors: those of ValidateEmail; kUnavailable with code "smtp-unreachable" (no
    /// connection, timeout, TLS failure), "smtp-temporary" (a 4xx reply) or
    /// "smtp-rejected" (a 5xx reply), the message quoting the server's reply; kInternal
    /// when the options break their REQUIRES (e.g. `from` is not a valid mailbox).
    Status Send(const Email& email) override;

private:
    core::SystemClock system_clock_;
    SmtpOptions options_;
    const core::Clock* clock_;
};

/// Settings of the outbox worker.
struct OutboxOptions {
    /// How often the background thread looks for due messages. Default 5 s.
    std::chrono::milliseconds poll_interval{5000};
    /// Most messages one pass claims. Default 20.
    int batch_size = 20;
    /// A message is abandoned after this many failed attempts (the row stays, with
    /// gave_up_at and last_error set). Default 10 (about 4 hours of retries).
    int max_attempts = 10;
    /// Wait after the first failure; it doubles after each further one. Default 1 min.
    std::chrono::seconds initial_backoff{60};
    /// Longest wait between attempts. Default 1 h.
    std::chrono::seconds max_backoff{3600};
    /// How long a worker owns the messages it claimed. Must exceed the longest time a
    /// pass can take: batch_size times the mailer's timeout. Default 5 min.
    std::chrono::seconds claim_lease{300};
};

/// Checks OutboxOptions at startup. Errors: kInvalid with `fields()` naming each
/// setting that is not positive, or max_backoff < initial_backoff.
[[nodiscard]] Status ValidateOutboxOptions(const OutboxOptions& options);

/// Delivers queued messages through a Mailer, on a background thread or pass by pass.
///
/// Each message is handed to the mailer once, even with several workers in one or
/// several processes on the same database: a pass first claims rows with a conditional
/// UPDATE (compare-and-set on claimed_until), and only the claiming worker sends them.
/// If a process dies after the relay accepted a message but before the row was marked
/// sent, the message is sent again when its claim expires (at-least-once across
/// crashes) with the same Message-ID.
///
/// A failed attempt is retried after initial_backoff, then twice that, and so on up to
/// max_backoff; after max_attempts the row is kept with last_error and gave_up_at.
/// Errors of kind kInvalid or kTooLarge from the mailer are not retried.
class OutboxWorker {
public:
    /// `store`, `mailer` and `clock` must outlive the worker; `log` may be null (no
    /// logging). Does not start the thread.
    /// REQUIRES: ValidateOutboxOptions(options).ok().
    OutboxWorker(store::Store& store, Mailer& mailer, const core::Clock& clock,
                 OutboxOptions options = {}, std::shared_ptr<spdlog::logger> log = nullptr);
    /// Stops the background thread (see Stop()).
    ~OutboxWorker();
    OutboxWorker(const OutboxWorker&) = delete;
    OutboxWorker& operator=(const OutboxWorker&) = delete;

    /// Starts the background thread, which runs a pass every poll_interval, at once when
    /// woken, and again at once after a full batch. Does nothing when already running.
    void Start();
    /// Stops the background thread and waits for it. A message already handed to the
    /// mailer finishes (bounded by the mailer's timeout); messages the thread claimed but
    /// did not attempt yet are released, so another worker can take them at once.
    /// Idempotent.
    void Stop();
    /// Makes the background thread run a pass now (e.g. after a commit that queued mail).
    void Wake();

    /// Runs one pass on the calling thread: claims up to batch_size due messages, sends
    /// each and records the outcome. Returns how many were sent. A failed send is not an
    /// error of the pass: it is recorded on the row and counted in failed().
    /// Errors: store errors while claiming or recording; claims of messages not recorded
    /// then expire after claim_lease.
    /// Thread-safe: may run concurrently with the background thread and other workers.
    [[nodiscard]] Result<int> DeliverDue();

    /// Counters since construction, for metrics. Thread-safe.
    std::int64_t sent() const { return sent_.load(); }          ///< Accepted by the mailer.
    std::int64_t failed() const { return failed_.load(); }      ///< Failed attempts.
    std::int64_t given_up() const { return given_up_.load(); }  ///< Messages abandoned.

private:
    struct Pass {
        int claimed = 0;
        int sent = 0;
    };
    struct Claimed;

    Result<Pass> RunPass();
    Status Record(const Claimed& message, const Status& outcome, const std::string& token);
    Status Release(const Claimed& message, const std::string& token);
    void Loop();

    store::Store& store_;
    Mailer& mailer_;
    const core::Clock& clock_;
    const OutboxOptions options_;
    std::shared_ptr<spdlog::logger> log_;

    std::atomic<std::int64_t> sent_{0};
    std::atomic<std::int64_t> failed_{0};
    std::atomic<std::int64_t> given_up_{0};
    // Set while Stop() runs; a pass stops sending and releases its remaining claims.
    std::atomic<bool> stopping_{false};

    std::mutex lifecycle_mu_;  // serialises Start() and Stop()
    std::thread thread_;       // GUARDED_BY(lifecycle_mu_)

    std::mutex mu_;
    std::condition_variable wake_cv_;
    bool woken_ = false;  // GUARDED_BY(mu_)
    bool stop_ = false;   // GUARDED_BY(mu_)
};

}  // namespace vt::notify
