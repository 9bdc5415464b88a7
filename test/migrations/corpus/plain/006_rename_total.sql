ALTER TABLE orders RENAME COLUMN total TO amount;
ALTER TABLE order_lines ALTER COLUMN quantity TYPE bigint;
