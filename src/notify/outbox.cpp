#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "email.hpp"
#include "vt/core/random.hpp"
#include "vt/notify/notify.hpp"

namespace vt::notify {
namespace {

using store::Value;

constexpr std::string_view kKindEmail = "email";
// last_error keeps the start of the failure; the rest only repeats the server's text.
constexpr std::size_t kMaxLastErrorBytes = 1000;
constexpr std::size_t kClaimTokenBytes = 16;

Value Text(std::string_view s) { return Value{std::string(s)}; }
Value OptText(const std::string& s) { return s.empty() ? Value{} : Value{s}; }

// The conditions under which a row may be claimed: not finished, due, and not owned by a
// live claim. Repeated in the UPDATE so that it is a compare-and-set: of two workers
// that saw the same row, only the first to update it gets it.
constexpr std::string_view kClaimable =
    "sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1 "
    "AND (claimed_until IS NULL OR claimed_until <= $1)";

std::chrono::seconds Backoff(const OutboxOptions& o, std::int64_t failed_attempts) {
    std::chrono::seconds delay = o.initial_backoff;
    for (std::int64_t i = 1; i < failed_attempts && delay < o.max_backoff; ++i) delay *= 2;
    return std::min(delay, o.max_backoff);
}

std::string Truncate(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    // Cut on a character boundary so the column stays valid UTF-8.
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
    return s;
}

}  // namespace

struct OutboxWorker::Claimed {
    std::int64_t id = 0;
    std::int64_t attempts = 0;  // including the one about to be made
    Email email;
};

Status Enqueue(store::Tx& tx, const Email& email, std::string_view now_utc) {
    VT_RETURN_IF_ERROR(ValidateEmail(email));
    if (!internal::IsUtcTimestamp(now_utc)) {
        return Error::Invalid("La hora de encolado no tiene el formato RFC 3339 UTC esperado.");
    }
    // ON CONFLICT DO NOTHING: a duplicate key is the expected outcome of a retried
    // request, not a failure, and must not doom the caller's transaction.
    VT_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO outbox (kind, recipient, subject, body_text, body_html, dedup_key, "
                "created_at, attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $7) "
                "ON CONFLICT (dedup_key) DO NOTHING",
                {Text(kKindEmail), Value{email.to}, Value{email.subject}, Value{email.text},
                 OptText(email.html), OptText(email.dedup_key), Text(now_utc)}));
    return Ok();
}

Status ValidateOutboxOptions(const OutboxOptions& o) {
    std::map<std::string, std::string> fields;
    const std::string positive = "Debe ser mayor que cero.";
    if (o.poll_interval.count() <= 0) fields["poll_interval"] = positive;
    if (o.batch_size <= 0) fields["batch_size"] = positive;
    if (o.max_attempts <= 0) fields["max_attempts"] = positive;
    if (o.initial_backoff.count() <= 0) fields["initial_backoff"] = positive;
    if (o.claim_lease.count() <= 0) fields["claim_lease"] = positive;
    if (o.max_backoff < o.initial_backoff) {
        fields["max_backoff"] = "No puede ser menor que la espera inicial.";
    }
    if (!fields.empty()) {
        return Error::Invalid("La configuración del envío de correo no es válida.",
                              std::move(fields));
    }
    return Ok();
}

OutboxWorker::OutboxWorker(store::Store& store, Mailer& mailer, const core::Clock& clock,
                           OutboxOptions options, std::shared_ptr<spdlog::logger> log)
    : store_(store), mailer_(mailer), clock_(clock), options_(options), log_(std::move(log)) {
    core::InitCrypto();
}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start() {
    std::lock_guard lifecycle(lifecycle_mu_);
    if (thread_.joinable()) return;
    {
        std::lock_guard lock(mu_);
        stop_ = false;
    }
    thread_ = std::thread([this] { Loop(); });
}

void OutboxWorker::Stop() {
    std::lock_guard lifecycle(lifecycle_mu_);
    stopping_ = true;
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    wake_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    stopping_ = false;
}

void OutboxWorker::Wake() {
    {
        std::lock_guard lock(mu_);
        woken_ = true;
    }
    wake_cv_.notify_all();
}

Result<int> OutboxWorker::DeliverDue() {
    VT_ASSIGN_OR_RETURN(Pass pass, RunPass());
    return pass.sent;
}

void OutboxWorker::Loop() {
    std::unique_lock lock(mu_);
    while (!stop_) {
        woken_ = false;
        lock.unlock();
        Result<Pass> pass = RunPass();
        if (!pass.ok() && log_) log_->warn("outbox pass failed: {}", pass.error().ToString());
        lock.lock();
        // A full batch suggests more are due: go again at once.
        if (pass.ok() && pass->claimed == options_.batch_size) continue;
        wake_cv_.wait_for(lock, options_.poll_interval, [this] { return stop_ || woken_; });
    }
}

Result<OutboxWorker::Pass> OutboxWorker::RunPass() {
    const auto now = clock_.Now();
    const std::string now_utc = core::FormatUtc(now);
    const std::string lease_until = core::FormatUtc(now + options_.claim_lease);
    const std::string token = core::RandomHex(kClaimTokenBytes);

    std::vector<Claimed> claimed;
    VT_RETURN_IF_ERROR(store_.Write([&](store::Tx& tx) -> Status {
        claimed.clear();
        std::string select = "SELECT id FROM outbox WHERE " + std::string(kClaimable) +
                             " ORDER BY next_attempt_at, id LIMIT $2";
        // Lets concurrent workers on PostgreSQL pick different rows instead of queueing
        // on the same row locks; the conditional UPDATE below is what guarantees
        // exclusivity on both engines.
        if (tx.dialect() == store::Dialect::kPostgres) select += " FOR UPDATE SKIP LOCKED";
        VT_ASSIGN_OR_RETURN(
            store::Rows due,
            tx.Query(select, {Value{now_utc}, Value{std::int64_t{options_.batch_size}}}));
        for (const store::Row& row : due) {
            VT_ASSIGN_OR_RETURN(
                store::Rows won,
                tx.Query("UPDATE outbox SET claimed_until = $2, claim_token = $3, "
                         "attempts = attempts + 1 WHERE id = $4 AND " +
                             std::string(kClaimable) +
                             " RETURNING id, attempts, recipient, subject, body_text, "
                             "body_html, dedup_key, created_at",
                         {Value{now_utc}, Value{lease_until}, Value{token}, Value{row.Int(0)}}));
            if (won.empty()) continue;  // another worker claimed it first
            const store::Row& r = won.front();
            Claimed c;
            c.id = r.Int(0);
            c.attempts = r.Int(1);
            c.email.to = r.Text(2);
            c.email.subject = r.Text(3);
            c.email.text = r.Text(4);
            c.email.html = r.OptText(5).value_or("");
            // Every attempt of one row carries the same Message-ID, so a relay or a
            // mailbox can tell a resend after a crash from a new message.
            c.email.dedup_key =
                r.OptText(6).value_or("outbox-" + std::to_string(c.id) + "-" + r.Text(7));
            claimed.push_back(std::move(c));
        }
        return Ok();
    }));

    Pass pass;
    pass.claimed = static_cast<int>(claimed.size());
    for (std::size_t i = 0; i < claimed.size(); ++i) {
        if (stopping_) {
            for (std::size_t j = i; j < claimed.size(); ++j) {
                VT_RETURN_IF_ERROR(Release(claimed[j], token));
            }
            break;
        }
        Status outcome = mailer_.Send(claimed[i].email);
        VT_RETURN_IF_ERROR(Record(claimed[i], outcome, token));
        if (outcome.ok()) ++pass.sent;
    }
    return pass;
}

Status OutboxWorker::Record(const Claimed& message, const Status& outcome,
                            const std::string& token) {
    const auto now = clock_.Now();
    const std::string now_utc = core::FormatUtc(now);
    std::int64_t changed = 0;
    if (outcome.ok()) {
        VT_RETURN_IF_ERROR(store_.Write([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(changed,
                                tx.Exec("UPDATE outbox SET sent_at = $1, "
                                        "claimed_until = NULL, claim_token = NULL "
                                        "WHERE id = $2 AND claim_token = $3",
                                        {Value{now_utc}, Value{message.id}, Value{token}}));
            return Ok();
        }));
        ++sent_;
    } else {
        const Error& error = outcome.error();
        // Input the mailer refuses now will be refused on every retry.
        bool permanent =
            error.kind() == ErrorKind::kInvalid || error.kind() == ErrorKind::kTooLarge;
        bool give_up = permanent || message.attempts >= options_.max_attempts;
        std::string next_utc = core::FormatUtc(now + Backoff(options_, message.attempts));
        VT_RETURN_IF_ERROR(store_.Write([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(
                changed,
                tx.Exec("UPDATE outbox SET last_error = $1, next_attempt_at = $2, gave_up_at = $3, "
                        "claimed_until = NULL, claim_token = NULL "
                        "WHERE id = $4 AND claim_token = $5",
                        {Value{Truncate(error.ToString(), kMaxLastErrorBytes)}, Value{next_utc},
                         give_up ? Value{now_utc} : Value{}, Value{message.id}, Value{token}}));
            return Ok();
        }));
        ++failed_;
        if (give_up) ++given_up_;
        if (log_) {
            log_->warn("outbox message {} failed (attempt {} of {}){}: {}", message.id,
                       message.attempts, options_.max_attempts, give_up ? ", given up" : "",
                       error.ToString());
        }
    }
    if (changed == 0 && log_) {
        // The claim expired before the outcome was recorded, so another worker may have
        // taken the row: claim_lease is too short for the mailer's timeout.
        log_->error("outbox message {}: claim expired during delivery; raise claim_lease",
                    message.id);
    }
    return Ok();
}

Status OutboxWorker::Release(const Claimed& message, const std::string& token) {
    // The attempt was counted when the row was claimed; it was never made.
    return store_.Write([&](store::Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE outbox SET claimed_until = NULL, claim_token = NULL, "
                    "attempts = attempts - 1 WHERE id = $1 AND claim_token = $2",
                    {Value{message.id}, Value{token}}));
        return Ok();
    });
}

}  // namespace vt::notify
