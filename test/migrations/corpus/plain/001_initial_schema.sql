-- Initial schema: nothing else uses these tables yet, so indexes and constraints are free.
CREATE TABLE customers (
  id serial PRIMARY KEY,
  email varchar(255) NOT NULL,
  country char(2),
  created_at timestamp NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_key ON customers (email);

CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers (id),
  status text NOT NULL DEFAULT 'new',
  total numeric(12, 2) NOT NULL,
  placed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_lines (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  sku text NOT NULL,
  quantity int NOT NULL CHECK (quantity > 0)
);
CREATE INDEX order_lines_order_id_idx ON order_lines (order_id);
