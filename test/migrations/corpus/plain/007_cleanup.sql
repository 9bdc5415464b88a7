-- Housekeeping after the big import.
DELETE FROM order_lines;
VACUUM FULL order_lines;
REINDEX TABLE orders;
CLUSTER orders USING orders_pkey;
DROP INDEX orders_status_idx;
