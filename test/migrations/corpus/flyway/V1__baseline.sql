CREATE TABLE products (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sku varchar(64) NOT NULL UNIQUE,
  name text NOT NULL,
  price_cents bigint NOT NULL
);
CREATE TABLE stock_movements (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES products (id),
  delta int NOT NULL,
  moved_at timestamptz NOT NULL DEFAULT now()
);
