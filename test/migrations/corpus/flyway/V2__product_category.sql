ALTER TABLE products ADD COLUMN category_id int;
ALTER TABLE products ADD CONSTRAINT products_category_fk FOREIGN KEY (category_id) REFERENCES categories (id) NOT VALID;
ALTER TABLE products VALIDATE CONSTRAINT products_category_fk;
CREATE INDEX products_category_id_idx ON products (category_id);
