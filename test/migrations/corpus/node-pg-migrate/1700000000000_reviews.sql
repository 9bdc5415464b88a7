-- Up Migration
CREATE TABLE reviews (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES products (id),
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body text
);
CREATE INDEX reviews_product_id_idx ON reviews (product_id);
ALTER TABLE products ADD COLUMN review_count int NOT NULL DEFAULT 0;
CREATE INDEX CONCURRENTLY products_review_count_idx ON products (review_count);

-- Down Migration
DROP TABLE reviews;
