-- qun store, schema version 4: operations tasks (运营任务).

-- Tasks, materialised from field_value and set_tag after every applied batch. A recurrence
-- instance's row shows its template's title, assignee, priority, tags and time of day
-- where it has no value of its own, so the row is rewritten when either record changes.
-- `status` is never NULL here: a task without a status is 'todo'. `tags` is a canonical
-- JSON array, as in member. `created` is the HLC milliseconds of the task's first change
-- (the same on every replica), for urgency by age.
CREATE TABLE task (
    record     INTEGER PRIMARY KEY REFERENCES record(rowid),
    uid        TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL DEFAULT '',
    assignee   TEXT,
    due        TEXT,
    status     TEXT NOT NULL DEFAULT 'todo',
    priority   TEXT,
    tags       TEXT NOT NULL DEFAULT '[]',
    event      TEXT,
    "offset"   INTEGER,
    notes      INTEGER NOT NULL DEFAULT 0,
    recur      TEXT,
    until      TEXT,
    template   TEXT,
    date       TEXT,
    completed  TEXT,
    created    INTEGER NOT NULL DEFAULT 0,
    deleted    INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX task_by_template ON task(template);
CREATE INDEX task_by_event ON task(event);
CREATE INDEX task_by_due ON task(due);
