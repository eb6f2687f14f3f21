-- Ownership rules: lock, public pool, approval, active. Staff can have a limit on customers
-- claimed from the pool.
ALTER TABLE customers ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN in_pool INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN pool_since TEXT;
ALTER TABLE customers ADD COLUMN approval TEXT NOT NULL DEFAULT 'approved'
    CHECK (approval IN ('approved', 'pending', 'rejected'));
ALTER TABLE customers ADD COLUMN approval_reason TEXT;
ALTER TABLE customers ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

CREATE INDEX customers_pool ON customers (pool_since, id) WHERE in_pool = 1 AND deleted_at IS NULL;
CREATE INDEX customers_pending ON customers (approval, id) WHERE approval <> 'approved' AND deleted_at IS NULL;
CREATE INDEX customers_inactive ON customers (id) WHERE active = 0 AND deleted_at IS NULL;

ALTER TABLE staff ADD COLUMN claim_limit INTEGER;
ALTER TABLE customers ADD COLUMN claimed_at TEXT;
