-- Identity: offices, accounts, organizations, sessions, one-time tokens, login throttling,
-- security events and API tokens. Times are RFC 3339 UTC text, compared as text. Secret
-- tokens are never stored: only their hex SHA-256.

CREATE TABLE offices (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    municipio  TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE accounts (
    id                  TEXT PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('ciudadano', 'funcionario', 'administrador')),
    cui                 TEXT UNIQUE,
    email               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    phone               TEXT,
    office              TEXT REFERENCES offices (code),
    -- Argon2id encoded hash; NULL until an official or administrator activates the account.
    password_hash       TEXT,
    email_verified      BIGINT NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'activa' CHECK (status IN ('activa', 'desactivada')),
    totp_secret         TEXT,
    totp_pending_secret TEXT,
    -- The last TOTP time step accepted: a code of that step or an earlier one is a replay.
    totp_last_step      BIGINT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK ((kind = 'ciudadano') = (cui IS NOT NULL)),
    CHECK ((kind = 'funcionario') = (office IS NOT NULL))
);
CREATE INDEX accounts_office ON accounts (office, kind, status, created_at);

CREATE TABLE official_roles (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    role       TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

-- One row ever: the first administrator of the installation.
CREATE TABLE identity_bootstrap (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    account_id TEXT NOT NULL,
    at         TEXT NOT NULL
);

CREATE TABLE organizations (
    nit        TEXT PRIMARY KEY,
    legal_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE organization_members (
    nit        TEXT NOT NULL REFERENCES organizations (nit),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    role       TEXT NOT NULL CHECK (role IN ('propietario', 'representante')),
    added_at   TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    PRIMARY KEY (nit, account_id)
);
CREATE INDEX organization_members_account ON organization_members (account_id);

CREATE TABLE sessions (
    token_hash            TEXT PRIMARY KEY,
    account_id            TEXT NOT NULL REFERENCES accounts (id),
    csrf_token            TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    last_seen_at          TEXT NOT NULL,
    expires_at            TEXT NOT NULL,
    -- The account must enrol a second factor before this session grants anything.
    second_factor_pending BIGINT NOT NULL DEFAULT 0,
    address               TEXT
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Single-use emailed tokens: email verification, password reset, account activation.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verificacion', 'restablecimiento')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX account_tokens_account ON account_tokens (account_id, purpose, created_at);

-- Failed logins per account (or typed login name) and per client address.
CREATE TABLE login_throttle (
    key             TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL,
    last_failure_at TEXT NOT NULL,
    blocked_until   TEXT
);

-- Logins, failures, lockouts, role and account changes: the security record.
CREATE TABLE security_events (
    id         BIGSERIAL PRIMARY KEY,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    account_id TEXT,
    address    TEXT,
    detail     TEXT NOT NULL
);
CREATE INDEX security_events_account ON security_events (account_id, at);
CREATE INDEX security_events_at ON security_events (at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    client       TEXT NOT NULL,
    -- Space-separated scopes.
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT
);
