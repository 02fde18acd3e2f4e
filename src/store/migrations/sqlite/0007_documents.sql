-- Documents: uploaded files, the signing keys of the officials who sign, and the documents
-- issued (certificates, resolutions). File contents live on disk, content-addressed by
-- their SHA-256 under the data directory (uploads/ and documents/); these tables hold what
-- is known about them. Times are RFC 3339 UTC text.

-- One row per (owner, content): the same bytes uploaded twice by one person are one upload;
-- by two people, two uploads of one file on disk.
CREATE TABLE uploads (
    id            TEXT PRIMARY KEY,     -- random, 128 bits, hex: never guessable
    sha256        TEXT NOT NULL,        -- hex SHA-256 of the bytes: the file's name on disk
    size          INTEGER NOT NULL,
    mime_type     TEXT NOT NULL,        -- detected from the content, never the client's word
    original_name TEXT NOT NULL,        -- as declared by the client, cleaned
    owner         TEXT NOT NULL,        -- account id of who uploaded it
    created_at    TEXT NOT NULL,
    UNIQUE (owner, sha256)
);
CREATE INDEX uploads_sha256 ON uploads (sha256);

-- Ed25519 keys of officials with role `firma`. The secret key is sealed (crypto_secretbox)
-- with the server key in <data_dir>/keys/documents.key; the public key is published.
CREATE TABLE signing_keys (
    id                TEXT PRIMARY KEY,  -- hex SHA-256 of the public key
    account_id        TEXT NOT NULL,
    official_name     TEXT NOT NULL,
    office            TEXT NOT NULL,
    public_key        BLOB NOT NULL,     -- 32 bytes
    sealed_secret_key BLOB NOT NULL,     -- nonce (24 bytes) || secretbox(secret key)
    created_at        TEXT NOT NULL,
    revoked_at        TEXT,
    revoked_by        TEXT
);
-- At most one key in force per official.
CREATE UNIQUE INDEX signing_keys_active ON signing_keys (account_id) WHERE revoked_at IS NULL;

CREATE TABLE issued_documents (
    id                TEXT PRIMARY KEY,  -- random, 128 bits, hex: printed on the PDF and its QR
    case_number       TEXT NOT NULL REFERENCES cases (number),
    tramite_id        TEXT NOT NULL,
    tramite_version   INTEGER NOT NULL,
    document_type     TEXT NOT NULL,     -- id in the trámite definition's documents
    title             TEXT NOT NULL,
    office            TEXT NOT NULL,
    sha256            TEXT NOT NULL,     -- hex SHA-256 of the PDF file as served
    signed_digest     TEXT NOT NULL,     -- hex SHA-256 of the PDF with its signature field zeroed
    signature         BLOB NOT NULL,     -- Ed25519 (64 bytes), see docs/documentos.md
    key_id            TEXT NOT NULL REFERENCES signing_keys (id),
    issuer            TEXT NOT NULL,     -- account id of the signing official
    issuer_name       TEXT NOT NULL,
    issued_at         TEXT NOT NULL,
    size              INTEGER NOT NULL,
    revoked_at        TEXT,
    revoked_by        TEXT,
    revocation_reason TEXT
);
CREATE INDEX issued_documents_case ON issued_documents (case_number, issued_at);
-- At most one document of each type in force per case: issuing again needs a revocation.
CREATE UNIQUE INDEX issued_documents_in_force ON issued_documents (case_number, document_type)
    WHERE revoked_at IS NULL;
