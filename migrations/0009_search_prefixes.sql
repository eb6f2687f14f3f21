-- The word index keeps every token's prefixes of 2 to 6 characters (it kept 2 and 3). A prefix
-- query longer than the longest kept prefix merges the doclist of every word that starts with it:
-- "nguyen"* over a million customers is ~20,000 such words (e-mail names such as nguyen27), and
-- counting it took ~60 ms; with the 6-character prefix kept it is one doclist (~7 ms). Longer
-- prefixes start few words. The index grows by about half (~60 MB at a million customers).
--
-- Rebuilt with the same content and rowids: the live, active customers, keyed by name position.
-- The triggers of 0008 name the table and stand unchanged.
DROP TABLE customers_fts;
CREATE VIRTUAL TABLE customers_fts USING fts5 (
    search_text,
    content = 'customers',
    content_rowid = 'name_pos',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6',
    detail = 'none'
);
INSERT INTO customers_fts (rowid, search_text)
    SELECT name_pos, search_text FROM customers
    WHERE deleted_at IS NULL AND active = 1 AND name_pos IS NOT NULL
    ORDER BY name_pos;
