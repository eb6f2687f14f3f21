-- Clientele schema, version 1: staff, settings, customers with search and duplicate keys, history.
-- Times are UTC text written by the application (never CURRENT_TIMESTAMP).

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'manager', 'staff')),
    active        INTEGER NOT NULL DEFAULT 1,
    password_hash TEXT,
    created_at    TEXT    NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Monotonic counters (e.g. the next customer code number).
CREATE TABLE sequences (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- Live and trashed customer counts, kept by triggers so the grid's total is O(1).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('customers.live', 0), ('customers.trash', 0);

-- AUTOINCREMENT: ids are never reused, so id order is creation order (the "Created" sort).
CREATE TABLE customers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    code         TEXT    NOT NULL,
    code_key     TEXT    NOT NULL UNIQUE,          -- folded code: uniqueness ignores case
    kind         TEXT    NOT NULL CHECK (kind IN ('individual', 'business')),
    name         TEXT    NOT NULL,
    name_key     TEXT    NOT NULL,                 -- folded name: sort order
    -- Gapped order-maintenance key: ordering by name_pos is ordering by (name_key, id) over all
    -- rows, live and trashed. The word index is keyed by it, so a search in name order reads
    -- the index in rowid order and stops at the page. Set by the application (customers::write),
    -- NULL only inside the transaction that creates or renames the row.
    name_pos     INTEGER UNIQUE,
    phones       TEXT    NOT NULL DEFAULT '[]',    -- JSON array, as entered (cleaned)
    emails       TEXT    NOT NULL DEFAULT '[]',    -- JSON array, lowercase
    address      TEXT,
    tax_code     TEXT,
    website      TEXT,
    birthday     TEXT,
    founded_on   TEXT,
    gender       TEXT CHECK (gender IN ('male', 'female', 'other')),
    notes        TEXT,
    owner_id     INTEGER REFERENCES staff (id),
    search_text  TEXT    NOT NULL DEFAULT '',      -- folded name, code, phones, e-mails, tax code
    phone_digits TEXT    NOT NULL DEFAULT '',      -- phone keys, space separated (trigram index)
    created_at   TEXT    NOT NULL,
    created_by   INTEGER REFERENCES staff (id),
    updated_at   TEXT    NOT NULL,
    updated_by   INTEGER REFERENCES staff (id),
    deleted_at   TEXT
);

CREATE INDEX customers_live_name ON customers (name_key, id) WHERE deleted_at IS NULL;
-- Neighbours of a (name_key, id) among positioned rows: where a new or renamed row goes.
CREATE INDEX customers_name_pos ON customers (name_key, id, name_pos);
CREATE INDEX customers_live_code ON customers (code_key, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_trash ON customers (deleted_at, id) WHERE deleted_at IS NOT NULL;
-- Creation order over live rows only: offset jumps read this narrow index, not the table.
CREATE INDEX customers_live_id ON customers (id) WHERE deleted_at IS NULL;
CREATE INDEX customers_owner ON customers (owner_id);

-- Normalised phone and e-mail keys: exact lookups and duplicate checks.
CREATE TABLE customer_keys (
    kind        TEXT    NOT NULL CHECK (kind IN ('phone', 'email', 'tax_code')),
    key         TEXT    NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_keys_customer ON customer_keys (customer_id);

-- Word-prefix search over live customers only (trashed rows leave the index), keyed by name_pos:
-- rowid order is name order.
CREATE VIRTUAL TABLE customers_fts USING fts5 (
    search_text,
    content = 'customers',
    content_rowid = 'name_pos',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3',
    detail = 'none'
);

-- Any run of 3+ digits inside a phone ("345 678" finds "0912.345.678").
CREATE VIRTUAL TABLE customers_digits USING fts5 (
    phone_digits,
    content = 'customers',
    content_rowid = 'id',
    tokenize = 'trigram'
);

CREATE TRIGGER customers_after_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, search_text)
        SELECT new.name_pos, new.search_text WHERE new.deleted_at IS NULL AND new.name_pos IS NOT NULL;
    INSERT INTO customers_digits (rowid, phone_digits)
        SELECT new.id, new.phone_digits WHERE new.deleted_at IS NULL;
    UPDATE counters SET value = value + 1
        WHERE name = CASE WHEN new.deleted_at IS NULL THEN 'customers.live' ELSE 'customers.trash' END;
END;

CREATE TRIGGER customers_after_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text)
        SELECT 'delete', old.name_pos, old.search_text WHERE old.deleted_at IS NULL AND old.name_pos IS NOT NULL;
    INSERT INTO customers_digits (customers_digits, rowid, phone_digits)
        SELECT 'delete', old.id, old.phone_digits WHERE old.deleted_at IS NULL;
    UPDATE counters SET value = value - 1
        WHERE name = CASE WHEN old.deleted_at IS NULL THEN 'customers.live' ELSE 'customers.trash' END;
END;

-- One trigger per index, old entry out before new entry in, so shared tokens survive the update.
-- Moving a row to another name_pos (rename, renumbering) touches only the word index.
CREATE TRIGGER customers_after_update_words AFTER UPDATE OF search_text, deleted_at, name_pos ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text)
        SELECT 'delete', old.name_pos, old.search_text WHERE old.deleted_at IS NULL AND old.name_pos IS NOT NULL;
    INSERT INTO customers_fts (rowid, search_text)
        SELECT new.name_pos, new.search_text WHERE new.deleted_at IS NULL AND new.name_pos IS NOT NULL;
END;

CREATE TRIGGER customers_after_update AFTER UPDATE OF phone_digits, deleted_at ON customers BEGIN
    INSERT INTO customers_digits (customers_digits, rowid, phone_digits)
        SELECT 'delete', old.id, old.phone_digits WHERE old.deleted_at IS NULL;
    INSERT INTO customers_digits (rowid, phone_digits)
        SELECT new.id, new.phone_digits WHERE new.deleted_at IS NULL;
    UPDATE counters SET value = value - 1
        WHERE (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)
          AND name = CASE WHEN old.deleted_at IS NULL THEN 'customers.live' ELSE 'customers.trash' END;
    UPDATE counters SET value = value + 1
        WHERE (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)
          AND name = CASE WHEN new.deleted_at IS NULL THEN 'customers.live' ELSE 'customers.trash' END;
END;

CREATE TABLE history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    action    TEXT    NOT NULL,
    changes   TEXT    NOT NULL DEFAULT '[]',   -- JSON [{field, before, after}]
    actor_id  INTEGER REFERENCES staff (id),
    at        TEXT    NOT NULL,
    batch_id  INTEGER
);
CREATE INDEX history_entity ON history (entity, entity_id, id);
