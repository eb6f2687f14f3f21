-- The word and phone indexes hold the default list's customers only: live and active. A search
-- of the default list then reads them alone, in name order, to a page or an offset, and counts
-- on them, however many customers are inactive. (Inactive customers are few, with their own
-- index; a search that includes them checks their rows.) The triggers of 0001 are the same but
-- for being active, and also run when `active` changes.

DROP TRIGGER customers_after_insert;
CREATE TRIGGER customers_after_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, search_text)
        SELECT new.name_pos, new.search_text
        WHERE new.deleted_at IS NULL AND new.active = 1 AND new.name_pos IS NOT NULL;
    INSERT INTO customers_digits (rowid, phone_digits)
        SELECT new.id, new.phone_digits WHERE new.deleted_at IS NULL AND new.active = 1;
    UPDATE counters SET value = value + 1
        WHERE name = CASE WHEN new.deleted_at IS NULL THEN 'customers.live' ELSE 'customers.trash' END;
END;

DROP TRIGGER customers_after_delete;
CREATE TRIGGER customers_after_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text)
        SELECT 'delete', old.name_pos, old.search_text
        WHERE old.deleted_at IS NULL AND old.active = 1 AND old.name_pos IS NOT NULL;
    INSERT INTO customers_digits (customers_digits, rowid, phone_digits)
        SELECT 'delete', old.id, old.phone_digits WHERE old.deleted_at IS NULL AND old.active = 1;
    UPDATE counters SET value = value - 1
        WHERE name = CASE WHEN old.deleted_at IS NULL THEN 'customers.live' ELSE 'customers.trash' END;
END;

DROP TRIGGER customers_after_update_words;
CREATE TRIGGER customers_after_update_words AFTER UPDATE OF search_text, deleted_at, name_pos, active ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text)
        SELECT 'delete', old.name_pos, old.search_text
        WHERE old.deleted_at IS NULL AND old.active = 1 AND old.name_pos IS NOT NULL;
    INSERT INTO customers_fts (rowid, search_text)
        SELECT new.name_pos, new.search_text
        WHERE new.deleted_at IS NULL AND new.active = 1 AND new.name_pos IS NOT NULL;
END;

DROP TRIGGER customers_after_update;
CREATE TRIGGER customers_after_update AFTER UPDATE OF phone_digits, deleted_at, active ON customers BEGIN
    INSERT INTO customers_digits (customers_digits, rowid, phone_digits)
        SELECT 'delete', old.id, old.phone_digits WHERE old.deleted_at IS NULL AND old.active = 1;
    INSERT INTO customers_digits (rowid, phone_digits)
        SELECT new.id, new.phone_digits WHERE new.deleted_at IS NULL AND new.active = 1;
    UPDATE counters SET value = value - 1
        WHERE (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)
          AND name = CASE WHEN old.deleted_at IS NULL THEN 'customers.live' ELSE 'customers.trash' END;
    UPDATE counters SET value = value + 1
        WHERE (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)
          AND name = CASE WHEN new.deleted_at IS NULL THEN 'customers.live' ELSE 'customers.trash' END;
END;

-- Inactive customers leave both indexes (external content: the entry's own values delete it).
INSERT INTO customers_fts (customers_fts, rowid, search_text)
    SELECT 'delete', name_pos, search_text FROM customers
    WHERE deleted_at IS NULL AND active = 0 AND name_pos IS NOT NULL;
INSERT INTO customers_digits (customers_digits, rowid, phone_digits)
    SELECT 'delete', id, phone_digits FROM customers WHERE deleted_at IS NULL AND active = 0;

-- The triggers of 0006 again, after these, so that all of them stand in the order they stood
-- before. In the other order, the first update of a customer on a pool connection that had not
-- yet seen a bulk insert's schema change (dropped and restored triggers and indexes, made on
-- another connection) failed once with "no such table: customers" (SQLite 3.51; a purge there
-- fails that way in either order, as it did before this migration).
DROP TRIGGER customers_inactive_insert;
DROP TRIGGER customers_inactive_delete;
DROP TRIGGER customers_inactive_update;
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
