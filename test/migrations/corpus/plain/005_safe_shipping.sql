-- The expand step of a shipping address change, done the safe way.
SET lock_timeout = '3s';
SET statement_timeout = '15min';

ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
ALTER TABLE orders ADD COLUMN carrier text;

CREATE INDEX CONCURRENTLY orders_shipped_at_idx ON orders (shipped_at);

ALTER TABLE orders ADD CONSTRAINT orders_total_non_negative CHECK (total >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_non_negative;

ALTER TABLE order_lines ADD CONSTRAINT order_lines_sku_present CHECK (sku IS NOT NULL) NOT VALID;
ALTER TABLE order_lines VALIDATE CONSTRAINT order_lines_sku_present;

-- Backfill in keyed batches (the job runs this for each range).
UPDATE orders SET carrier = 'dhl' WHERE id >= 1 AND id < 5001 AND carrier IS NULL;
