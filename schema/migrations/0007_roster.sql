-- qun store, schema version 7: the team roster.
--
-- The roster itself is in the change log (operations `roster` in collection `_roster`, each
-- commit closed by a `signature` change in `_commit`); these tables are this laptop's own.
-- Its key pair is in meta (`laptop_key`), never in a snapshot.

-- The data keys of the team's key epochs this laptop holds. Epoch 1 is derived from the team
-- secret when it is not here. A new teammate receives them inside its join snapshot.
CREATE TABLE team_key (
    epoch INTEGER PRIMARY KEY CHECK (epoch >= 1),
    key   BLOB NOT NULL CHECK (length(key) = 32)
);

-- Invites this laptop issued (`qun team invite`): only a hash of the token, so that reading
-- the store file does not give a usable invite. An invite is redeemed here, once.
CREATE TABLE invite (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    role       TEXT NOT NULL,
    created    INTEGER NOT NULL,
    expires    INTEGER NOT NULL,
    used_by    BLOB,
    used_at    INTEGER
) WITHOUT ROWID;

-- Changes the roster says do not count (written after their author's removal, by a viewer, or
-- by a stranger after the team was locked): kept in the log and forwarded like every change,
-- left out of the records. Recomputed when the roster changes.
CREATE TABLE void_change (
    replica INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    reason  TEXT NOT NULL,
    PRIMARY KEY (replica, seq)
) WITHOUT ROWID;

-- Changes of a commit block whose other changes or signature have not arrived yet (a batch
-- cut a block, or a peer delivered it in pieces): checked and applied once the block is
-- whole. Nothing of them is in the log meanwhile.
CREATE TABLE unverified_change (
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
