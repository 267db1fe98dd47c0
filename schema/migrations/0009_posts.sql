-- qun store, schema version 9: the content calendar (内容规划表): planned posts.

-- Posts, materialised from field_value after every applied batch. A recurring post's
-- instance (`template` and `date` set; its id comes from the routine's id and the day) shows
-- its routine's title, channel, owner, message template and time of day where it has no
-- value of its own, so the row is rewritten when either record changes. `at` is local
-- `YYYY-MM-DDTHH:MM`; `message` the id of a message template; `done` when it was posted
-- (local `YYYY-MM-DDTHH:MM`), NULL while it is still to post.
CREATE TABLE post (
    record   INTEGER PRIMARY KEY REFERENCES record(rowid),
    uid      TEXT NOT NULL UNIQUE,
    title    TEXT NOT NULL DEFAULT '',
    at       TEXT,
    channel  TEXT,
    owner    TEXT,
    message  TEXT,
    recur    TEXT,
    until    TEXT,
    template TEXT,
    date     TEXT,
    done     TEXT,
    deleted  INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX post_by_template ON post(template);
CREATE INDEX post_by_at ON post(at);
CREATE INDEX post_by_title ON post(title);
