-- qun store, schema version 2: sync peers.

-- Teammates' laptops this store syncs with over HTTP (`qun peer add NAME URL`).
-- `replica_id` is learned at the first sync; `last_sync` is milliseconds since 1970.
CREATE TABLE peer (
    name      TEXT PRIMARY KEY,
    url       TEXT NOT NULL,
    replica_id BLOB,
    added_at  INTEGER NOT NULL,
    last_sync INTEGER
) WITHOUT ROWID;
