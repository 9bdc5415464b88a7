SET lock_timeout = '2s';
SET statement_timeout = '30s';
ALTER TABLE customers DROP COLUMN fax;
DROP TABLE legacy_coupons;
TRUNCATE import_batches CASCADE;
ALTER TABLE wishlists RENAME TO saved_items;
-- lint-migrations: allow drop-column the app stopped reading legacy_notes in release 2024.06
ALTER TABLE orders DROP COLUMN legacy_notes;
