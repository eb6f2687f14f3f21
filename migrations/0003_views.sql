-- Saved views of the customer list: a named set of filters, search, sort and columns (JSON the
-- UI owns), personal or shared with everyone.
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    owner_id   INTEGER NOT NULL REFERENCES staff (id),
    shared     INTEGER NOT NULL DEFAULT 0,
    definition TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX saved_views_owner ON saved_views (owner_id, name);
