-- Up Migration
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '20s';
-- node-pg-migrate runs this in one transaction: one ALTER TABLE, so ACCESS EXCLUSIVE is taken last.
ALTER TABLE products
  ADD COLUMN rating_average numeric(3, 2),
  ADD CONSTRAINT products_rating_average_range CHECK (rating_average BETWEEN 1 AND 5) NOT VALID;

-- Down Migration
ALTER TABLE products DROP COLUMN rating_average;
