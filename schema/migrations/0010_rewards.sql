-- qun store, schema version 10: the rewards ledger (奖励台账).
-- (Version 9 is the post collection; a store that has it or not runs this script the same.)

-- Rewards, materialised from field_value after every applied batch, like `template`. A
-- reward's record id comes from its month, its member and its kind (see `Reward.id`), so two
-- laptops that grant the same month's rewards offline hold one reward per member and month.
-- `sent` counts the entries of the reward's append-only `sent` log: a gift once marked sent
-- stays sent whatever edits or grants arrive later (who marked it and when are read from the
-- log itself).
CREATE TABLE reward (
    record  INTEGER PRIMARY KEY REFERENCES record(rowid),
    uid     TEXT NOT NULL UNIQUE,
    member  TEXT,
    month   TEXT,
    kind    TEXT,
    gift    TEXT,
    points  INTEGER,
    note    TEXT,
    rank    INTEGER,
    score   REAL,
    sent    INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX reward_by_member ON reward(member, month);
CREATE INDEX reward_by_month ON reward(month, kind);
