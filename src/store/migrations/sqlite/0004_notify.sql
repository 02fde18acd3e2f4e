-- Transactional outbox: mail written in the same transaction as the change that causes it,
-- delivered later by the outbox worker. Times are RFC 3339 UTC text, compared as text.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('email')),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT,
    -- Chosen by the caller; a second message with the same key is not queued.
    dedup_key       TEXT UNIQUE,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    -- A worker owns the row until claimed_until; claim_token says which worker.
    claimed_until   TEXT,
    claim_token     TEXT,
    last_error      TEXT,
    sent_at         TEXT,
    gave_up_at      TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND gave_up_at IS NULL;
