-- A digest of each replica's history up to its contiguous seq: two stores with equal version
-- vectors can then tell whether they hold the same changes under each id, not only as many.
-- (A change forged under a teammate's id and its real one never meet otherwise.) Filled for
-- the changes already in the log when this migration runs.
ALTER TABLE replica ADD COLUMN digest BLOB;

-- Histories that differed from a peer's under one replica id: shown by `qun status` until
-- the team has dealt with them.
CREATE TABLE history_fork (
    replica BLOB NOT NULL CHECK (length(replica) = 16),
    peer    TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (replica, peer)
) WITHOUT ROWID;
