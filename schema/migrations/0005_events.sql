-- qun store, schema version 5: event plans (活动策划).

-- Event plans, materialised from field_value and set_tag after every applied batch, like
-- `member`. `phase` is NULL while the plan is a draft (no phase was ever set). `signups` and
-- `attendance` are canonical JSON arrays of member ids, deleted members included: whether a
-- member still counts is decided when reading, against the member table. The retrospective
-- logs (achieved, missed, keep) live in set_tag; only their sizes are kept here.
CREATE TABLE event (
    record         INTEGER PRIMARY KEY REFERENCES record(rowid),
    uid            TEXT NOT NULL UNIQUE,
    title          TEXT,
    kind           TEXT,
    place          TEXT,
    city           TEXT,
    start_at       TEXT,
    end_at         TEXT,
    purpose        TEXT,
    target         INTEGER,
    rules          TEXT,
    rewards        TEXT,
    budget         REAL,
    phase          TEXT,
    signups        TEXT NOT NULL DEFAULT '[]',
    attendance     TEXT NOT NULL DEFAULT '[]',
    achieved_count INTEGER NOT NULL DEFAULT 0,
    missed_count   INTEGER NOT NULL DEFAULT 0,
    keep_count     INTEGER NOT NULL DEFAULT 0,
    deleted        INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX event_by_start ON event(start_at);
CREATE INDEX event_by_title ON event(title);
