-- qun store, schema version 3: this replica's commands, for `qun undo`.

-- One row per command that made local changes: the range first_seq..last_seq of this
-- store's replica (`replica` is its row in the replica table at the time) and a short text
-- for messages (the command line). Local only: never synced. `undone` is set once an undo
-- has reversed it; an undo is itself a command, marked by `undoes` (the command it
-- reversed), and is never picked by the next undo.
CREATE TABLE command (
    id          INTEGER PRIMARY KEY,
    replica     INTEGER NOT NULL,
    first_seq   INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    description TEXT,
    undone      INTEGER NOT NULL DEFAULT 0,
    undoes      INTEGER,
    created     INTEGER NOT NULL
);
