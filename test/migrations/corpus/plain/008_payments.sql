SET lock_timeout = '2s';
CREATE TABLE payments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL,
  amount numeric(12, 2) NOT NULL,
  captured_at timestamp
);
ALTER TABLE payments ADD CONSTRAINT payments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE orders ADD CONSTRAINT orders_payment_reference_key UNIQUE (id, status);
ALTER TABLE orders ADD COLUMN payment_id bigint REFERENCES payments (id);
