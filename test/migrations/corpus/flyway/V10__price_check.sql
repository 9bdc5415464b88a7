ALTER TABLE products ADD CONSTRAINT products_price_positive CHECK (price_cents > 0);
ALTER TABLE products ALTER COLUMN name SET NOT NULL;
ALTER TABLE products ALTER COLUMN sku TYPE text;
