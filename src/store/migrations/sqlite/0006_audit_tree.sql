-- The interior of the audit Merkle tree, so that roots and proofs cost O(log n) reads.
-- audit_tree holds the hash of every perfect subtree of 2^level leaves (level >= 1) that
-- starts at leaf idx * 2^level; level 0 is audit_log.leaf_hash. Each row is written in the
-- transaction of the leaf that completes the subtree.
CREATE TABLE audit_tree (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    hash  BLOB NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Leaves whose subtree hashes are stored. Entries written before this table existed are
-- filled in by the server at start (audit::CompleteTree).
ALTER TABLE audit_head ADD COLUMN tree_size INTEGER NOT NULL DEFAULT 0;

-- Every signed tree head issued: the RFC 6962 TreeHeadSignature fields and the Ed25519
-- signature over them, by the key whose id (hex SHA-256 of the public key) is key_id.
CREATE TABLE audit_sth (
    id           INTEGER PRIMARY KEY,
    tree_size    INTEGER NOT NULL,
    timestamp_ms INTEGER NOT NULL,
    root_hash    BLOB NOT NULL,
    signature    BLOB NOT NULL,
    key_id       TEXT NOT NULL
);
CREATE INDEX audit_sth_size ON audit_sth (tree_size);
