-- qun store, schema version 11: the group's own chat as member activity (`qun import chat`).

-- A member's QQ number, materialised like the other handles: a QQ group's chat export names
-- its senders by it.
ALTER TABLE member ADD COLUMN qq TEXT;
CREATE INDEX member_by_qq ON member(qq);
CREATE INDEX member_by_wechat ON member(wechat);

-- Chat messages, join and leave lines, materialised from the `chat` collection: each record
-- of it is one packed chunk of an import (see `ChatChunk`), and this table is the union of
-- every live chunk's lines. A line's id comes from the line itself (sender, time, text, and
-- its place among identical lines of that second), so overlapping exports imported on two
-- laptops hold each message once. Keyed by time first: exports run in time order, so an
-- import appends to the end of the tree rather than writing all over it.
--   at      the export's wall-clock time, seconds since 1970-01-01 of that clock (`ChatTime`)
--   id      64 bits of the line's hash
--   kind    0 message, 1 join, 2 leave
--   sender  the sender key (`qq:…`, `wxid:…`, `name:…`); for a join or leave, the person
--   length  Unicode scalars of the text
--   inviter a join's inviter, by display name
--   text    only when imported with --keep-text
CREATE TABLE chat_message (
    at      INTEGER NOT NULL,
    id      INTEGER NOT NULL,
    kind    INTEGER NOT NULL,
    sender  TEXT NOT NULL,
    length  INTEGER NOT NULL,
    inviter TEXT,
    text    TEXT,
    PRIMARY KEY (at, id)
) WITHOUT ROWID;

CREATE INDEX chat_message_by_sender ON chat_message(sender, at);

-- Every display name seen for a sender key: a union, so it does not depend on which laptop's
-- export arrived first. Senders are matched to members by these names when no handle or
-- link names them.
CREATE TABLE chat_sender (
    key      TEXT NOT NULL,
    nickname TEXT NOT NULL,
    PRIMARY KEY (key, nickname)
) WITHOUT ROWID;
