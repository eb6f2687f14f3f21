-- no-transaction
-- Clientele schema, version 5: the care schedule. Care types become a catalog kind (the kind
-- CHECK of catalog_items is widened, so the table is rebuilt with SQLite's 12-step procedure,
-- foreign keys off, in one transaction of our own), catalog items get a stable `key`, care
-- activities and recurring care rules get their tables, and customers their last contact.

PRAGMA foreign_keys = OFF;

BEGIN;

CREATE TABLE catalog_items_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL CHECK (kind IN ('segment', 'level', 'group', 'status', 'channel', 'position',
                                                'product', 'invoice_type', 'care_type')),
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL,             -- folded name: "VIP" and "vip" are one item
    color      TEXT,
    sort_order INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL,
    -- Stable key of a starter item, the same in every language ('call', 'meeting', …): the CLI's
    -- `--type call` works whatever the item is called. NULL for items users add.
    key        TEXT,
    UNIQUE (kind, name_key)
);
INSERT INTO catalog_items_new (id, kind, name, name_key, color, sort_order, active, created_at)
    SELECT id, kind, name, name_key, color, sort_order, active, created_at FROM catalog_items;
-- Ids are never reused: carry the AUTOINCREMENT high-water mark over.
DELETE FROM sqlite_sequence WHERE name = 'catalog_items_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'catalog_items_new', seq FROM sqlite_sequence WHERE name = 'catalog_items';
DROP TABLE catalog_items;
ALTER TABLE catalog_items_new RENAME TO catalog_items;
CREATE INDEX catalog_items_order ON catalog_items (kind, sort_order, id);
CREATE UNIQUE INDEX catalog_items_key ON catalog_items (kind, key) WHERE key IS NOT NULL;

-- Starter care types for a database that already went through its first run (a new database
-- gets them from catalogs::seed, in the language chosen then). English unless the stored
-- language says Vietnamese. name_key is text::fold(name).
INSERT INTO catalog_items (kind, name, name_key, color, sort_order, active, created_at, key)
    SELECT 'care_type',
           CASE WHEN lang = 'vi' THEN vi ELSE en END,
           CASE WHEN lang = 'vi' THEN vi_key ELSE en_key END,
           NULL, n, 1, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), k
    FROM (SELECT 1 AS n, 'call' AS k, 'Call' AS en, 'call' AS en_key, 'Gọi điện' AS vi, 'goi dien' AS vi_key
          UNION ALL SELECT 2, 'meeting', 'Meeting', 'meeting', 'Gặp mặt', 'gap mat'
          UNION ALL SELECT 3, 'visit', 'Visit', 'visit', 'Thăm', 'tham'
          UNION ALL SELECT 4, 'email', 'E-mail', 'e-mail', 'E-mail', 'e-mail'
          UNION ALL SELECT 5, 'task', 'Task', 'task', 'Việc cần làm', 'viec can lam') AS starter,
         (SELECT (SELECT value FROM settings WHERE key = 'ui.language') AS lang) AS language
    WHERE EXISTS (SELECT 1 FROM staff)
      AND NOT EXISTS (SELECT 1 FROM catalog_items WHERE kind = 'care_type');

-- Recurring care: for every live, active customer of a level (or a segment), keep one planned
-- activity `interval_days` after the last contact. Exactly one of level_id / segment_id.
CREATE TABLE care_rules (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    level_id      INTEGER REFERENCES catalog_items (id),
    segment_id    INTEGER REFERENCES catalog_items (id),
    type_id       INTEGER NOT NULL REFERENCES catalog_items (id),
    title         TEXT    NOT NULL,
    interval_days INTEGER NOT NULL CHECK (interval_days BETWEEN 1 AND 3650),
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    created_by    INTEGER REFERENCES staff (id),
    updated_at    TEXT    NOT NULL,
    CHECK ((level_id IS NULL) <> (segment_id IS NULL))
);

-- A care activity: planned, then done (a follow-up record) or cancelled. `due_at` is the UTC
-- instant; `due_local` the wall-clock time the user picked ('YYYY-MM-DDTHH:MM') in zone `tz`,
-- so a reschedule by days or a recurrence keeps the wall-clock time across DST changes.
CREATE TABLE care_activities (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    type_id      INTEGER NOT NULL REFERENCES catalog_items (id),
    title        TEXT    NOT NULL,
    due_at       TEXT    NOT NULL,
    due_local    TEXT    NOT NULL,
    all_day      INTEGER NOT NULL DEFAULT 0,
    tz           TEXT    NOT NULL,
    duration_min INTEGER,
    assignee_id  INTEGER REFERENCES staff (id),
    notes        TEXT,
    state        TEXT    NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'done', 'cancelled')),
    outcome      TEXT,
    done_at      TEXT,
    rule_id      INTEGER REFERENCES care_rules (id) ON DELETE SET NULL,
    -- For a rule's activity: the customer's last contact (or creation) it was computed from; a
    -- later contact moves it.
    rule_base_at TEXT,
    batch_id     INTEGER,
    created_at   TEXT    NOT NULL,
    created_by   INTEGER REFERENCES staff (id),
    updated_at   TEXT    NOT NULL,
    updated_by   INTEGER REFERENCES staff (id)
);
-- "Mine" in due order (and a staff member's done records).
CREATE INDEX care_assignee ON care_activities (assignee_id, state, due_at, id);
-- "Everyone" in due order, and the counts.
CREATE INDEX care_state ON care_activities (state, due_at, id);
-- A customer's timeline.
CREATE INDEX care_customer ON care_activities (customer_id, due_at);
-- One upcoming activity per rule per customer, whatever runs the rules.
CREATE UNIQUE INDEX care_rule_planned ON care_activities (rule_id, customer_id)
    WHERE state = 'planned' AND rule_id IS NOT NULL;
-- A rule's activities of a customer (a cancelled one skips to the next occurrence).
CREATE INDEX care_rule ON care_activities (rule_id, customer_id, state) WHERE rule_id IS NOT NULL;
CREATE INDEX care_batch ON care_activities (batch_id) WHERE batch_id IS NOT NULL;
-- Catalog "in use" counts and replacement of a care type.
CREATE INDEX care_type ON care_activities (type_id);

-- The latest done activity's done_at (UTC), kept by the care module.
ALTER TABLE customers ADD COLUMN last_contact_at TEXT;
CREATE INDEX customers_last_contact ON customers (last_contact_at, id) WHERE deleted_at IS NULL;

-- Refuse to commit a rebuild that broke a reference (the CHECK fails when any row is reported).
CREATE TEMP TABLE care_migration_fk_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO care_migration_fk_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE care_migration_fk_check;

COMMIT;

PRAGMA foreign_keys = ON;
