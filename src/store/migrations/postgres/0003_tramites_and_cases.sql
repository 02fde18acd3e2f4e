-- Every published version of every trámite definition. Immutable: a changed file must
-- carry a new version, so each case is processed under the version it was filed with.
CREATE TABLE tramite_definitions (
    tramite_id   TEXT NOT NULL,
    version      BIGINT NOT NULL,
    source       TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (tramite_id, version)
);

-- Case numbers MTPS-<year>-<sequence>: one counter per year.
CREATE TABLE case_sequences (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

-- Expedientes.
CREATE TABLE cases (
    id               BIGSERIAL PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    tracking_code    TEXT NOT NULL UNIQUE,
    tramite_id       TEXT NOT NULL,
    tramite_version  BIGINT NOT NULL,
    state            TEXT NOT NULL,
    office           TEXT NOT NULL,
    assignee         TEXT,
    applicant        TEXT,
    organization     TEXT,
    filed_by         TEXT,
    answers          TEXT NOT NULL,
    filed_at         TEXT NOT NULL,
    filed_on         TEXT NOT NULL,
    due_on           TEXT,
    state_since      TEXT NOT NULL,
    state_due_on     TEXT,
    closed_at        TEXT,
    closed_on        TEXT,
    revision         BIGINT NOT NULL,
    FOREIGN KEY (tramite_id, tramite_version) REFERENCES tramite_definitions (tramite_id, version)
);
CREATE INDEX cases_office_open ON cases (office, closed_at, state_due_on);
CREATE INDEX cases_applicant ON cases (applicant, filed_at);
CREATE INDEX cases_organization ON cases (organization, filed_at);
CREATE INDEX cases_tramite ON cases (tramite_id, filed_on);

-- What happened to each case, in order: filing, transitions, assignments.
CREATE TABLE case_events (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    transition  TEXT,
    from_state  TEXT,
    to_state    TEXT,
    actor       TEXT NOT NULL,
    actor_role  TEXT,
    comment     TEXT,
    inputs      TEXT,
    at          TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- Saved, resumable drafts of a filing.
CREATE TABLE case_drafts (
    id              TEXT PRIMARY KEY,
    owner           TEXT NOT NULL,
    tramite_id      TEXT NOT NULL,
    tramite_version BIGINT NOT NULL,
    answers         TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX case_drafts_owner ON case_drafts (owner, updated_at);

-- A retried submission with the same key returns the case it already created.
CREATE TABLE case_idempotency (
    actor        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    case_number  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (actor, key)
);

-- Round-robin position per office.
CREATE TABLE office_rotation (
    office TEXT PRIMARY KEY,
    next   BIGINT NOT NULL
);
