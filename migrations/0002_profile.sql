-- Clientele schema, version 2: catalogs, the full customer profile, contacts, duplicate keys for
-- every rule, and import batches.

-- Every catalog (segments, levels, groups, statuses, channels, contact positions, products and
-- services, invoice types) is one table: same rules (rename, reorder, colour, deactivate, refuse
-- deleting what is in use). Levels are ranked by sort_order (first = highest).
CREATE TABLE catalog_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL CHECK (kind IN ('segment', 'level', 'group', 'status', 'channel', 'position',
                                                'product', 'invoice_type')),
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL,             -- folded name: "VIP" and "vip" are one item
    color      TEXT,
    sort_order INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL,
    UNIQUE (kind, name_key)
);
CREATE INDEX catalog_items_order ON catalog_items (kind, sort_order, id);

ALTER TABLE customers ADD COLUMN segment_id INTEGER REFERENCES catalog_items (id);
ALTER TABLE customers ADD COLUMN level_id INTEGER REFERENCES catalog_items (id);
ALTER TABLE customers ADD COLUMN status_id INTEGER REFERENCES catalog_items (id);
ALTER TABLE customers ADD COLUMN channel_id INTEGER REFERENCES catalog_items (id);
ALTER TABLE customers ADD COLUMN service_manager_id INTEGER REFERENCES staff (id);
ALTER TABLE customers ADD COLUMN email_consent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN email_consent_at TEXT;
ALTER TABLE customers ADD COLUMN referrer_customer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL;
ALTER TABLE customers ADD COLUMN referrer_supplier TEXT;
ALTER TABLE customers ADD COLUMN photo TEXT;          -- file name inside the data folder's photos/

-- Filters and "in use" counts: partial indexes stay small while most rows are unclassified.
CREATE INDEX customers_segment ON customers (segment_id, id) WHERE segment_id IS NOT NULL;
CREATE INDEX customers_level ON customers (level_id, id) WHERE level_id IS NOT NULL;
CREATE INDEX customers_status ON customers (status_id, id) WHERE status_id IS NOT NULL;
CREATE INDEX customers_channel ON customers (channel_id, id) WHERE channel_id IS NOT NULL;
CREATE INDEX customers_service_manager ON customers (service_manager_id) WHERE service_manager_id IS NOT NULL;
CREATE INDEX customers_referrer ON customers (referrer_customer_id) WHERE referrer_customer_id IS NOT NULL;

CREATE TABLE customer_groups (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    item_id     INTEGER NOT NULL REFERENCES catalog_items (id),
    PRIMARY KEY (customer_id, item_id)
) WITHOUT ROWID;
CREATE INDEX customer_groups_item ON customer_groups (item_id, customer_id);

CREATE TABLE customer_products (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    item_id     INTEGER NOT NULL REFERENCES catalog_items (id),
    since       TEXT,
    PRIMARY KEY (customer_id, item_id)
) WITHOUT ROWID;
CREATE INDEX customer_products_item ON customer_products (item_id, customer_id);

CREATE TABLE customer_invoice_types (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    item_id     INTEGER NOT NULL REFERENCES catalog_items (id),
    PRIMARY KEY (customer_id, item_id)
) WITHOUT ROWID;
CREATE INDEX customer_invoice_types_item ON customer_invoice_types (item_id, customer_id);

CREATE TABLE legal_entities (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    tax_code    TEXT,
    address     TEXT,
    sort_order  INTEGER NOT NULL
);
CREATE INDEX legal_entities_customer ON legal_entities (customer_id, sort_order);

-- People at a business customer.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    position_id INTEGER REFERENCES catalog_items (id),
    phones      TEXT    NOT NULL DEFAULT '[]',
    emails      TEXT    NOT NULL DEFAULT '[]',
    is_primary  INTEGER NOT NULL DEFAULT 0,
    notes       TEXT,
    sort_order  INTEGER NOT NULL
);
CREATE INDEX contacts_customer ON contacts (customer_id, sort_order);
CREATE INDEX contacts_position ON contacts (position_id) WHERE position_id IS NOT NULL;

-- Duplicate keys for every rule: the name + address rule needs a kind the first schema's CHECK
-- did not allow, so the table is rebuilt (it holds only derived keys).
CREATE TABLE customer_keys_new (
    kind        TEXT    NOT NULL CHECK (kind IN ('phone', 'email', 'tax_code', 'name_address')),
    key         TEXT    NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key, customer_id)
) WITHOUT ROWID;
INSERT INTO customer_keys_new (kind, key, customer_id) SELECT kind, key, customer_id FROM customer_keys;
DROP TABLE customer_keys;
ALTER TABLE customer_keys_new RENAME TO customer_keys;
CREATE INDEX customer_keys_customer ON customer_keys (customer_id);
-- name_address keys are written by the application (folded name and address) once an admin turns
-- that duplicate rule on (duplicates::set_rules backfills them).

-- One spreadsheet import: what, how, by whom, and what it did, so that it can be shown and
-- reverted. Rows it touched are in import_batch_items (created ids, and the state of updated
-- customers before the import, as JSON, for revert).
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    mode        TEXT    NOT NULL CHECK (mode IN ('skip', 'update', 'create')),
    rows        INTEGER NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    failed      INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES staff (id),
    at          TEXT    NOT NULL,
    reverted_at TEXT,
    reverted_by INTEGER REFERENCES staff (id)
);

CREATE TABLE import_batch_items (
    batch_id    INTEGER NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('create', 'update')),
    before      TEXT,
    PRIMARY KEY (batch_id, customer_id)
) WITHOUT ROWID;

CREATE INDEX history_batch ON history (batch_id) WHERE batch_id IS NOT NULL;
