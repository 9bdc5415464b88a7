SET lock_timeout = '2s';
SET statement_timeout = '1min';
ALTER TABLE orders ADD COLUMN invoice_id bigint;
ALTER TABLE orders ADD CONSTRAINT orders_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id);
CREATE INDEX CONCURRENTLY orders_invoice_id_idx ON orders (invoice_id);
