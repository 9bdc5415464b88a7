CREATE TABLE sessions (
  id text PRIMARY KEY,
  customer_id bigint REFERENCES customers (id),
  expires_at timestamptz NOT NULL
);
