DROP INDEX products_category_id_idx;
ALTER TABLE products DROP COLUMN category_id;
