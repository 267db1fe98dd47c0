-- qun store, schema version 8: message templates (话术, 欢迎语).

-- Message templates, materialised from field_value after every applied batch, like `member`.
-- A template's record id comes from its name (see `MessageTemplate.id(forName:)`), so two
-- laptops that add the same template offline hold one record.
CREATE TABLE template (
    record  INTEGER PRIMARY KEY REFERENCES record(rowid),
    uid     TEXT NOT NULL UNIQUE,
    name    TEXT,
    body    TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX template_by_name ON template(name);
