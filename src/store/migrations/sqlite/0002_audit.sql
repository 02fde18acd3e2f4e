-- Append-only audit log: leaves of a Merkle tree (RFC 6962 leaf hashes).
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size INTEGER NOT NULL
);
INSERT INTO audit_head (id, size) VALUES (1, 0);

CREATE TABLE audit_log (
    leaf_index  INTEGER PRIMARY KEY,
    entry       TEXT NOT NULL,
    leaf_hash   BLOB NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
