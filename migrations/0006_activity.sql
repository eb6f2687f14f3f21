-- Inactive customers leave the default list, and an administrator's activity log reads history
-- across customers.

-- The default list holds active live customers: its sort orders become partial indexes over
-- exactly those rows, so pages and offset jumps read an index alone as before. (Inactive
-- customers are listed from `customers_inactive`; listing everyone reads the table.)
DROP INDEX customers_live_name;
CREATE INDEX customers_live_name ON customers (name_key, id) WHERE deleted_at IS NULL AND active = 1;
DROP INDEX customers_live_code;
CREATE INDEX customers_live_code ON customers (code_key, id) WHERE deleted_at IS NULL AND active = 1;
DROP INDEX customers_live_id;
CREATE INDEX customers_live_id ON customers (id) WHERE deleted_at IS NULL AND active = 1;

-- Live inactive customers, kept by triggers: the default list's count is live minus inactive, O(1).
INSERT INTO counters (name, value)
    VALUES ('customers.inactive', (SELECT count(*) FROM customers WHERE deleted_at IS NULL AND active = 0));

CREATE TRIGGER customers_inactive_insert AFTER INSERT ON customers
    WHEN new.deleted_at IS NULL AND new.active = 0 BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'customers.inactive';
END;

CREATE TRIGGER customers_inactive_delete AFTER DELETE ON customers
    WHEN old.deleted_at IS NULL AND old.active = 0 BEGIN
    UPDATE counters SET value = value - 1 WHERE name = 'customers.inactive';
END;

CREATE TRIGGER customers_inactive_update AFTER UPDATE OF active, deleted_at ON customers
    WHEN (old.deleted_at IS NULL AND old.active = 0) <> (new.deleted_at IS NULL AND new.active = 0) BEGIN
    UPDATE counters SET value = value + CASE WHEN new.deleted_at IS NULL AND new.active = 0 THEN 1 ELSE -1 END
        WHERE name = 'customers.inactive';
END;

-- The activity log: newest first, by staff member or by action, and a date range mapped to ids
-- (entries are written in time order).
CREATE INDEX history_actor ON history (actor_id, id);
CREATE INDEX history_action ON history (action, id);
CREATE INDEX history_at ON history (at);

-- The default list in order of last contact, never contacted ('') first: an index on the sort
-- key as the list reads it, over the same rows as the other sort indexes.
CREATE INDEX customers_live_contact ON customers (coalesce(last_contact_at, ''), id)
    WHERE deleted_at IS NULL AND active = 1;
