-- qun store, schema version 1.
--
-- The change log is the truth; every other table is derived from it and could be rebuilt
-- by replaying the log. Applying a batch of changes writes the log and the derived tables in
-- one transaction.

-- Store-wide settings and identity: replica_id, operator, team_id, team_secret, last_hlc,
-- home (where this file lives: detects a copied store), number_counter, max_skew_ms.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;

-- 128-bit replica ids mapped to small integers, so the hot change log stores one byte or two
-- instead of sixteen. `contiguous` is this store's version vector entry: every seq in
-- 1...contiguous from that replica is in the log.
CREATE TABLE replica (
    rowid      INTEGER PRIMARY KEY,
    id         BLOB NOT NULL UNIQUE CHECK (length(id) = 16),
    contiguous INTEGER NOT NULL DEFAULT 0
);

-- Interned collection and field names. The empty name is the record-level "field" of delete
-- and restore.
CREATE TABLE name (
    rowid INTEGER PRIMARY KEY,
    text  TEXT NOT NULL UNIQUE
);

-- Every record ever mentioned by a change, of any collection (known or not).
CREATE TABLE record (
    rowid      INTEGER PRIMARY KEY,
    collection INTEGER NOT NULL REFERENCES name(rowid),
    uid        TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (collection, uid)
);

-- The change log. Primary key (replica, seq): "everything after seq N of replica R" is a
-- range scan. `payload` is the operation's self-describing bytes (see bundle-format.md), so
-- operations from a newer qun are kept and forwarded untouched.
CREATE TABLE change (
    replica INTEGER NOT NULL REFERENCES replica(rowid),
    seq     INTEGER NOT NULL CHECK (seq >= 1),
    hlc     INTEGER NOT NULL,
    record  INTEGER NOT NULL REFERENCES record(rowid),
    field   INTEGER NOT NULL REFERENCES name(rowid),
    op      INTEGER NOT NULL,
    payload BLOB NOT NULL,
    PRIMARY KEY (replica, seq)
) WITHOUT ROWID;

CREATE INDEX change_by_record ON change(record);

-- Last-writer-wins registers: the winning value of each (record, field) and its stamp.
-- `replica_id` is the full 16-byte id because ties on hlc are broken by comparing ids, and
-- BLOB comparison (memcmp) is the id order.
CREATE TABLE field_value (
    record     INTEGER NOT NULL,
    field      INTEGER NOT NULL,
    value,
    hlc        INTEGER NOT NULL,
    replica_id BLOB NOT NULL,
    PRIMARY KEY (record, field)
) WITHOUT ROWID;

-- Observed-remove sets, append-only logs and delete tokens. One row per add/append/delete
-- change (its tag); `removed` is set by a remove/restore that observed the tag. A remove
-- may arrive before its add: the row is then created removed (kind 0) and the late add
-- leaves it so.
-- kind: 0 unknown yet (removed before seen), 2 set element, 4 log entry, 5 delete token.
CREATE TABLE set_tag (
    record  INTEGER NOT NULL,
    field   INTEGER NOT NULL,
    replica INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    element TEXT NOT NULL,
    hlc     INTEGER NOT NULL,
    kind    INTEGER NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (record, field, replica, seq)
) WITHOUT ROWID;

-- Remote changes stamped too far ahead of this laptop's clock: held, not applied, until the
-- clock catches up or the operator accepts them.
CREATE TABLE held_change (
    replica_id  BLOB NOT NULL,
    seq         INTEGER NOT NULL,
    hlc         INTEGER NOT NULL,
    collection  TEXT NOT NULL,
    record      TEXT NOT NULL,
    field       TEXT NOT NULL,
    op          INTEGER NOT NULL,
    payload     BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (replica_id, seq)
) WITHOUT ROWID;

-- What each peer replica was last known to hold (from the vector in its bundles), so that
-- `bundle export --for PEER` writes only what that peer lacks.
CREATE TABLE peer_knowledge (
    replica_id BLOB PRIMARY KEY,
    vector     TEXT NOT NULL,
    seen_at    INTEGER NOT NULL
) WITHOUT ROWID;

-- Members, materialised from field_value and set_tag after every applied batch.
CREATE TABLE member (
    record    INTEGER PRIMARY KEY REFERENCES record(rowid),
    uid       TEXT NOT NULL UNIQUE,
    number    TEXT,
    name      TEXT,
    role      TEXT,
    kol       TEXT,
    referrer  TEXT,
    gate      TEXT,
    gate_note TEXT,
    city      TEXT,
    joined    TEXT,
    status    TEXT,
    wechat    TEXT,
    phone     TEXT,
    email     TEXT,
    notes     TEXT,
    tags      TEXT NOT NULL DEFAULT '[]',
    log_count INTEGER NOT NULL DEFAULT 0,
    deleted   INTEGER NOT NULL DEFAULT 0,
    created   INTEGER NOT NULL DEFAULT 0,
    updated   INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX member_by_number ON member(number);
CREATE INDEX member_by_name ON member(name);
